//! Smart assignment on a real SQLite file: skills, tier preference, caps, presence,
//! waiting for capacity and its episodes, transfers, rules — and many assigners at once.

// Test helpers: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::Duration;
use common::{env, new_ticket, Env};
use pulsedesk_core::assign::transfer::TransferDecision;
use pulsedesk_core::assign::{AssignRules, Decision, Rule};
use pulsedesk_core::ids::{TicketId, TicketTypeId};
use pulsedesk_core::kinds::{
    Outcome, Presence, Priority, Role, Stage, Tier, TransferStatus, WaitReason,
};
use pulsedesk_core::permissions::Actor;
use pulsedesk_core::ticket::EventKind;
use pulsedesk_core::view::PoolRow;
use pulsedesk_store::{Episode, StoreError};

async fn member(e: &Env, name: &str) -> Actor {
    let a =
        e.ws.accounts()
            .await
            .unwrap()
            .into_iter()
            .find(|a| a.name == name)
            .unwrap();
    Actor {
        id: a.id,
        role: a.role,
    }
}

async fn online(e: &Env, names: &[&str]) {
    for n in names {
        let m = member(e, n).await;
        e.ws.set_presence(m.id, Presence::Online, false)
            .await
            .unwrap();
    }
}

/// Creates a ticket of `type_id` (1 咨询 needs 产品咨询) from a `tier` customer.
async fn ticket(e: &Env, priority: Priority, tier: Tier, type_id: i64) -> PoolRow {
    let sup = e.first(Role::Supervisor).await;
    let mut t = new_ticket("自动分配测试");
    t.priority = priority;
    t.type_id = TicketTypeId(type_id);
    if let pulsedesk_core::view::CustomerChoice::New(c) = &mut t.customer {
        c.tier = tier;
    }
    e.ws.create_ticket(&sup, &t).await.unwrap()
}

async fn row(e: &Env, id: TicketId) -> PoolRow {
    let sup = e.first(Role::Supervisor).await;
    e.ws.pool_row_for(&sup, id).await.unwrap()
}

async fn events(e: &Env, id: TicketId) -> Vec<EventKind> {
    let sup = e.first(Role::Supervisor).await;
    let d = e.ws.ticket_detail(&sup, id).await.unwrap();
    d.timeline.into_iter().map(|t| t.event.kind).collect()
}

async fn finish(e: &Env, who: &Actor, id: TicketId) {
    e.ws.move_ticket(who, id, Stage::InProgress, None)
        .await
        .unwrap();
    e.ws.move_ticket(who, id, Stage::Done, Some(Outcome::Fully))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_new_ticket_goes_to_the_best_agent_with_the_reason_recorded() {
    let e = env(0).await;
    online(&e, &["王芳", "Emily Chen", "张伟"]).await;
    let vip = ticket(&e, Priority::High, Tier::Vip, 1).await;
    let plain = ticket(&e, Priority::Medium, Tier::Normal, 1).await;
    let tech = ticket(&e, Priority::Low, Tier::Normal, 3).await;

    let report = e.ws.assign_waiting().await.unwrap();
    assert_eq!(report.assigned.len(), 3);
    assert_eq!(report.waiting, 0);

    let emily = member(&e, "Emily Chen").await;
    let wang = member(&e, "王芳").await;
    let zhang = member(&e, "张伟").await;
    let vip_row = row(&e, vip.id).await;
    assert_eq!(
        vip_row.assignee_id,
        Some(emily.id),
        "VIP goes to the VIP-tagged agent"
    );
    assert_eq!(vip_row.stage, Stage::ToContact);
    assert_eq!(vip_row.waiting, None);
    assert_eq!(
        row(&e, plain.id).await.assignee_id,
        Some(wang.id),
        "then the less loaded"
    );
    assert_eq!(
        row(&e, tech.id).await.assignee_id,
        Some(zhang.id),
        "only 张伟 has 技术故障"
    );

    let why = events(&e, vip.id)
        .await
        .into_iter()
        .find_map(|k| match k {
            EventKind::Assigned { why, .. } => why,
            _ => None,
        })
        .expect("the assignment says why");
    assert_eq!(why.rule, Rule::TierPreference);
    assert_eq!(why.required, ["产品咨询"]);
    assert_eq!(why.preferred.as_deref(), Some("VIP"));
    assert_eq!(
        why.eligible, 2,
        "王芳 and Emily have 产品咨询 and are online"
    );
    assert_eq!(why.ranked[0].name, "Emily Chen");

    // Assignment is the agent's: it shows in their "My tickets" count and fairness stamp.
    let again = e.ws.assign_waiting().await.unwrap();
    assert!(again.assigned.is_empty(), "nothing is assigned twice");
}

#[tokio::test]
async fn without_capacity_tickets_wait_and_are_assigned_in_priority_then_age_order() {
    let e = env(0).await;
    online(&e, &["王芳"]).await; // cap 5, 产品咨询
    let wang = member(&e, "王芳").await;
    let mut held = Vec::new();
    for _ in 0..5 {
        held.push(ticket(&e, Priority::Low, Tier::Normal, 1).await.id);
    }
    let filled = e.ws.assign_waiting().await.unwrap();
    assert_eq!(filled.assigned.len(), 5);
    assert_eq!(filled.episode, None);
    let older_high = ticket(&e, Priority::High, Tier::Normal, 1).await;
    e.clock.advance(Duration::minutes(1));
    let first = e.ws.assign_waiting().await.unwrap();
    assert!(first.assigned.is_empty());
    assert_eq!(first.newly_waiting, [older_high.id]);
    let Some(Episode::Started { waiting: 1, .. }) = first.episode else {
        panic!("an episode starts: {:?}", first.episode);
    };
    assert_eq!(
        row(&e, older_high.id).await.waiting,
        Some(WaitReason::AllAtCap)
    );

    let newer_urgent = ticket(&e, Priority::Urgent, Tier::Normal, 1).await;
    let second = e.ws.assign_waiting().await.unwrap();
    assert_eq!(second.newly_waiting, [newer_urgent.id]);
    assert_eq!(
        second.episode, None,
        "one episode, not one alert per ticket"
    );
    assert_eq!(
        e.ws.open_capacity_episode().await.unwrap().unwrap().waiting,
        2
    );
    // Draining again adds no second wait event.
    e.ws.assign_waiting().await.unwrap();
    let waits = |k: &Vec<EventKind>| {
        k.iter()
            .filter(|k| matches!(k, EventKind::CapacityWait { .. }))
            .count()
    };
    assert_eq!(waits(&events(&e, older_high.id).await), 1);

    // Capacity frees: urgent first, although it came later.
    finish(&e, &wang, held[0]).await;
    let third = e.ws.assign_waiting().await.unwrap();
    assert_eq!(third.assigned, [(newer_urgent.id, wang.id)]);
    assert_eq!(third.episode, None);
    finish(&e, &wang, held[1]).await;
    let fourth = e.ws.assign_waiting().await.unwrap();
    assert_eq!(fourth.assigned, [(older_high.id, wang.id)]);
    assert!(matches!(fourth.episode, Some(Episode::Ended { .. })));
    assert_eq!(e.ws.open_capacity_episode().await.unwrap(), None);
    assert_eq!(row(&e, older_high.id).await.waiting, None);
}

#[tokio::test]
async fn away_offline_and_silent_agents_get_nothing() {
    let e = env(0).await;
    let t = ticket(&e, Priority::High, Tier::Normal, 3).await; // needs 技术故障
    let r = e.ws.assign_waiting().await.unwrap();
    assert!(r.assigned.is_empty());
    assert_eq!(row(&e, t.id).await.waiting, Some(WaitReason::NobodyOnline));

    let zhang = member(&e, "张伟").await;
    e.ws.set_presence(zhang.id, Presence::Away, true)
        .await
        .unwrap();
    assert!(e.ws.assign_waiting().await.unwrap().assigned.is_empty());

    e.ws.set_presence(zhang.id, Presence::Online, false)
        .await
        .unwrap();
    // A desktop that stopped sending heartbeats counts as offline.
    e.clock.advance(Duration::minutes(4));
    assert!(e.ws.assign_waiting().await.unwrap().assigned.is_empty());
    e.ws.presence_heartbeat(zhang.id).await.unwrap();
    let r = e.ws.assign_waiting().await.unwrap();
    assert_eq!(r.assigned, [(t.id, zhang.id)]);
    let current = e.ws.presence_of(zhang.id).await.unwrap();
    assert_eq!(current.presence, Presence::Online);
}

#[tokio::test]
async fn a_type_nobody_can_take_waits_with_that_reason() {
    let e = env(0).await;
    let admin = e.first(Role::Admin).await;
    online(&e, &["王芳"]).await;
    let mut rules = e.ws.assign_rules().await.unwrap();
    rules.type_skills[0].skills = vec!["VIP".into(), "技术故障".into(), "退换货".into()];
    e.ws.save_assign_rules(&admin, rules).await.unwrap();
    let t = ticket(&e, Priority::High, Tier::Normal, 1).await;
    e.ws.assign_waiting().await.unwrap();
    assert_eq!(
        row(&e, t.id).await.waiting,
        Some(WaitReason::NoSkilledAgent)
    );
}

#[tokio::test]
async fn with_automatic_assignment_off_supervisors_assign_by_hand() {
    let e = env(0).await;
    let admin = e.first(Role::Admin).await;
    let waiting = ticket(&e, Priority::High, Tier::Normal, 1).await;
    e.ws.assign_waiting().await.unwrap();
    assert!(e.ws.open_capacity_episode().await.unwrap().is_some());

    let rules = AssignRules {
        auto: false,
        ..e.ws.assign_rules().await.unwrap()
    };
    e.ws.save_assign_rules(&admin, rules).await.unwrap();
    online(&e, &["王芳"]).await;
    let r = e.ws.assign_waiting().await.unwrap();
    assert!(r.assigned.is_empty());
    assert!(matches!(r.episode, Some(Episode::Ended { .. })));
    assert_eq!(
        row(&e, waiting.id).await.waiting,
        None,
        "nothing waits for capacity"
    );
    assert_eq!(row(&e, waiting.id).await.assignee_id, None);
}

#[tokio::test]
async fn rules_are_for_admins_checked_and_previewed() {
    let e = env(0).await;
    let admin = e.first(Role::Admin).await;
    let agent = e.agent(0).await;
    let err =
        e.ws.save_assign_rules(&agent, AssignRules::default())
            .await
            .unwrap_err();
    assert_eq!(err.code(), "forbidden");
    let bad = AssignRules {
        idle_minutes: 0,
        ..AssignRules::default()
    };
    let err = e.ws.save_assign_rules(&admin, bad).await.unwrap_err();
    assert_eq!(err.field(), Some("idle_minutes"));
    let before = e.ws.assign_rules().await.unwrap();
    assert_eq!(before.idle_minutes, 10, "a refused edit saves nothing");

    online(&e, &["王芳", "吴婷"]).await;
    let preview =
        e.ws.preview_assignment(&admin, TicketTypeId(4), Tier::Vip)
            .await
            .unwrap();
    let Decision::Assign { why, .. } = preview else {
        panic!("吴婷 has 退换货 and VIP: {preview:?}");
    };
    assert_eq!(why.ranked[0].name, "吴婷");
    assert_eq!(why.rule, Rule::OnlyCandidate);
    let nobody =
        e.ws.preview_assignment(&admin, TicketTypeId(3), Tier::Normal)
            .await
            .unwrap();
    assert_eq!(
        nobody,
        Decision::Wait {
            reason: WaitReason::NobodyOnline
        }
    );
    assert!(e
        .ws
        .preview_assignment(&agent, TicketTypeId(3), Tier::Normal)
        .await
        .is_err());
}

#[tokio::test]
async fn a_transfer_is_asked_with_a_reason_and_decided_by_a_supervisor() {
    let e = env(0).await;
    online(&e, &["王芳", "Emily Chen"]).await;
    let t = ticket(&e, Priority::High, Tier::Normal, 1).await;
    e.ws.assign_waiting().await.unwrap();
    let wang = member(&e, "王芳").await;
    let emily = member(&e, "Emily Chen").await;
    let sup = e.first(Role::Supervisor).await;
    assert_eq!(row(&e, t.id).await.assignee_id, Some(wang.id));

    // Only the assignee asks, and a reason is required.
    let err =
        e.ws.request_transfer(&emily, t.id, "想接")
            .await
            .unwrap_err();
    assert_eq!(err.code(), "forbidden");
    let err = e.ws.request_transfer(&wang, t.id, "  ").await.unwrap_err();
    assert_eq!(err.field(), Some("reason"));
    let first =
        e.ws.request_transfer(&wang, t.id, "需要英文支持")
            .await
            .unwrap();
    let err =
        e.ws.request_transfer(&wang, t.id, "再问一次")
            .await
            .unwrap_err();
    assert!(err.to_string().contains("already waiting"), "{err}");

    // Supervisors see it with the ticket's SLA countdown; suggestions leave out the asker.
    let open = e.ws.transfers(&sup).await.unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].reason, "需要英文支持");
    assert!(open[0].sla.as_ref().is_some_and(|s| s.due_at.is_some()));
    let Decision::Assign { to, .. } = e.ws.transfer_suggestions(&sup, first).await.unwrap() else {
        panic!("Emily is free");
    };
    assert_eq!(to, emily.id);

    // Decline with a reason; the agent hears it once.
    let decline = TransferDecision::Decline {
        reason: "先联系客户确认".into(),
    };
    assert_eq!(
        e.ws.decide_transfer(&wang, first, &decline)
            .await
            .unwrap_err()
            .code(),
        "forbidden"
    );
    e.ws.decide_transfer(&sup, first, &decline).await.unwrap();
    let news = e.ws.take_transfer_news(&wang).await.unwrap();
    assert_eq!(news.len(), 1);
    assert_eq!(news[0].status, TransferStatus::Declined);
    assert_eq!(news[0].note, "先联系客户确认");
    assert!(e.ws.take_transfer_news(&wang).await.unwrap().is_empty());
    let err =
        e.ws.decide_transfer(&sup, first, &TransferDecision::Approve { to: emily.id })
            .await
            .unwrap_err();
    assert!(err.to_string().contains("already declined"), "{err}");

    // Ask again; approval moves the ticket.
    let second =
        e.ws.request_transfer(&wang, t.id, "客户要求换人")
            .await
            .unwrap();
    e.ws.decide_transfer(&sup, second, &TransferDecision::Approve { to: emily.id })
        .await
        .unwrap();
    assert_eq!(row(&e, t.id).await.assignee_id, Some(emily.id));
    let news = e.ws.take_transfer_news(&wang).await.unwrap();
    assert_eq!(news[0].status, TransferStatus::Approved);
    assert_eq!(news[0].to.as_deref(), Some("Emily Chen"));
    let kinds = events(&e, t.id).await;
    let names: Vec<&str> = kinds.iter().map(|k| k.name()).collect();
    assert!(
        names.ends_with(&["transfer_requested", "transfer_decided", "assigned"]),
        "{names:?}"
    );
    let detail = e.ws.ticket_detail(&emily, t.id).await.unwrap();
    assert_eq!(detail.transfer.unwrap().status, TransferStatus::Approved);

    // A pending request is withdrawn when a supervisor reassigns directly.
    let third = e.ws.request_transfer(&emily, t.id, "下班了").await.unwrap();
    e.ws.assign_ticket(&sup, t.id, wang.id).await.unwrap();
    assert!(e.ws.transfers(&sup).await.unwrap().is_empty());
    let err =
        e.ws.decide_transfer(&sup, third, &TransferDecision::Approve { to: emily.id })
            .await
            .unwrap_err();
    assert!(err.to_string().contains("withdrawn"), "{err}");
}

/// Replays the whole event log in commit order and checks that no agent ever held more
/// open tickets than their cap and that no ticket was taken from the pool twice.
async fn check_log(e: &Env, caps: &std::collections::HashMap<i64, i64>) -> usize {
    use std::collections::HashMap;
    let rows: Vec<(i64, String)> = sqlx_rows(e).await;
    let mut assignee: HashMap<i64, i64> = HashMap::new();
    let mut open: HashMap<i64, i64> = HashMap::new();
    let mut load: HashMap<i64, i64> = HashMap::new();
    let mut auto = 0;
    for (ticket, data) in rows {
        let kind: EventKind = serde_json::from_str(&data).unwrap();
        match kind {
            EventKind::Created { .. } => {
                open.insert(ticket, 1);
            }
            EventKind::Assigned { from, to, why } => {
                if from.is_none() {
                    assert!(
                        !assignee.contains_key(&ticket),
                        "ticket {ticket} taken twice"
                    );
                }
                if why.is_some() {
                    auto += 1;
                }
                if let Some(f) = from {
                    *load.get_mut(&f.0).unwrap() -= 1;
                }
                assignee.insert(ticket, to.0);
                let l = load.entry(to.0).or_insert(0);
                *l += 1;
                assert!(*l <= caps[&to.0], "agent {} past the cap: {l}", to.0);
            }
            EventKind::StageChanged {
                to: Stage::Done, ..
            } => {
                open.remove(&ticket);
                *load.get_mut(&assignee[&ticket]).unwrap() -= 1;
            }
            _ => {}
        }
    }
    auto
}

/// Reads the file directly, as an auditor would.
async fn raw(e: &Env) -> sqlx::SqlitePool {
    sqlx::SqlitePool::connect(&format!(
        "sqlite://{}?mode=ro",
        e.dir.path().join("ws.db").display()
    ))
    .await
    .unwrap()
}

async fn sqlx_rows(e: &Env) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT ticket_id, data FROM ticket_events ORDER BY id")
        .fetch_all(&raw(e).await)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_assigners_on_one_file_never_double_assign_or_pass_a_cap() {
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};
    use std::sync::Arc;

    for seed in 0..6u64 {
        let e = env(0).await;
        let path = e.dir.path().join("ws.db");
        let everyone: Vec<Actor> = {
            let mut v = Vec::new();
            for a in e.ws.accounts().await.unwrap() {
                v.push(Actor {
                    id: a.id,
                    role: a.role,
                });
            }
            v
        };
        let agents: Vec<Actor> = everyone
            .iter()
            .copied()
            .filter(|a| a.role == Role::Agent)
            .collect();
        for a in &agents {
            e.ws.set_presence(a.id, Presence::Online, false)
                .await
                .unwrap();
        }
        let sup = e.first(Role::Supervisor).await;
        let desks = 4;
        let mut tasks = Vec::new();
        for d in 0..desks {
            let ws = pulsedesk_store::Workspace::open(&path, e.clock.clone())
                .await
                .unwrap();
            let agents = agents.clone();
            tasks.push(tokio::spawn(async move {
                let ws = Arc::new(ws);
                let mut rng = StdRng::seed_from_u64(seed * 100 + d);
                for _ in 0..60 {
                    match rng.random_range(0..10) {
                        0..=3 => {
                            let mut t = new_ticket("并发");
                            t.type_id = TicketTypeId(rng.random_range(1..=4));
                            t.priority = Priority::ALL[rng.random_range(0..4)];
                            ws.create_ticket(&sup, &t).await.unwrap();
                        }
                        4..=6 => {
                            ws.assign_waiting().await.unwrap();
                        }
                        7 => {
                            // A supervisor hands a random open ticket to a random agent.
                            let to = agents[rng.random_range(0..agents.len())];
                            let id = TicketId(rng.random_range(1..=120));
                            match ws.assign_ticket(&sup, id, to.id).await {
                                Ok(()) | Err(StoreError::Conflict(_) | StoreError::NotFound(_)) => {
                                }
                                Err(other) => panic!("{other}"),
                            }
                        }
                        _ => {
                            // An agent finishes one of their tickets.
                            let who = agents[rng.random_range(0..agents.len())];
                            let id = TicketId(rng.random_range(1..=120));
                            let _ = ws.move_ticket(&who, id, Stage::InProgress, None).await;
                            let _ = ws
                                .move_ticket(&who, id, Stage::Done, Some(Outcome::Fully))
                                .await;
                        }
                    }
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        e.ws.assign_waiting().await.unwrap();
        let caps: std::collections::HashMap<i64, i64> = sqlx::query_as("SELECT id, cap FROM users")
            .fetch_all(&raw(&e).await)
            .await
            .unwrap()
            .into_iter()
            .collect();
        let auto = check_log(&e, &caps).await;
        assert!(auto > 20, "seed {seed}: the assigners did assign ({auto})");
        // Whatever still waits, waits because the agents it needs are full.
        let left = e.ws.assign_waiting().await.unwrap();
        assert!(
            left.assigned.is_empty(),
            "seed {seed}: a drain leaves nothing assignable"
        );
    }
}
