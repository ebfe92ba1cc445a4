//! The assigner task on a real workspace: a new ticket is assigned within one wake-up, and
//! a burst of wake-ups coalesces into few drains.

// Test setup: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

mod common;

use common::member;
use pulsedesk_assign::Assigner;
use pulsedesk_core::ids::TicketTypeId;
use pulsedesk_core::kinds::{Channel, Presence, Priority, Role, Tier};
use pulsedesk_core::view::{CustomerChoice, NewCustomer, NewTicket};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

fn new_ticket() -> NewTicket {
    NewTicket {
        channel: Channel::Chat,
        type_id: TicketTypeId(3),
        customer: CustomerChoice::New(NewCustomer {
            name: "赵六".into(),
            phone: "13700001111".into(),
            email: String::new(),
            tier: Tier::Normal,
        }),
        priority: Priority::Urgent,
        subject: "App 登录后闪退".into(),
        description: String::new(),
        departments: vec![],
        attachments: vec![],
    }
}

#[tokio::test]
async fn a_woken_assigner_assigns_the_new_ticket_and_reports_it() {
    let e = common::env().await;
    let ws = Arc::new(e.ws);
    let zhang = member(&ws, "张伟").await;
    ws.set_presence(zhang.id, Presence::Online, false)
        .await
        .unwrap();
    let reports = Arc::new(AtomicUsize::new(0));
    let seen = reports.clone();
    let (handle, task) = Assigner::new(ws.clone())
        .on_drained(Arc::new(move |r| {
            seen.fetch_add(r.assigned.len(), Ordering::SeqCst);
        }))
        .start();
    let running = tokio::spawn(task);
    handle.drain().await;

    let sup = member(&ws, "陈静").await;
    assert_eq!(sup.role, Role::Supervisor);
    let row = ws.create_ticket(&sup, &new_ticket()).await.unwrap();
    handle.drain().await;
    let now = ws.pool_row_for(&sup, row.id).await.unwrap();
    assert_eq!(now.assignee_id, Some(zhang.id));
    assert_eq!(reports.load(Ordering::SeqCst), 1);

    // Fifty tickets and fifty wake-ups: all assigned or parked, in few drains.
    for _ in 0..50 {
        ws.create_ticket(&sup, &new_ticket()).await.unwrap();
        handle.wake();
    }
    handle.drain().await;
    let open = ws.open_capacity_episode().await.unwrap().unwrap();
    assert_eq!(
        open.waiting,
        50 - 4,
        "张伟 took four more (cap 5), the rest wait"
    );

    handle.stop();
    running.await.unwrap();
}
