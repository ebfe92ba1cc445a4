//! The scheduler on a real workspace with a manual clock: timing, exactly-once, catch-up
//! after a jump, reminders, do-not-disturb, restarts and who is told.

// Test helpers: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::Duration;
use common::{env, Recorder};
use pulsedesk_core::kinds::{Role, Stage};
use pulsedesk_core::sla::notice::Lang;
use std::sync::Arc;

#[tokio::test]
async fn near_breach_then_breach_each_pop_up_once_at_their_threshold() {
    let e = env().await;
    let agent = e.member(Role::Agent, 0).await;
    e.sit(agent, Lang::En);
    let rec = Arc::new(Recorder::default());
    let sched = e.start(rec.clone()).await;
    let t = e.ticket(&agent, "Refund missing").await;
    e.ws.claim_ticket(&agent, t.id).await.unwrap();
    sched.ticket_changed(t.id);

    e.clock
        .advance(Duration::minutes(24) - Duration::seconds(1));
    assert_eq!(sched.tick().await, 0, "one second early: nothing");
    e.clock.advance(Duration::seconds(1));
    assert_eq!(sched.tick().await, 1);
    let p = rec.take();
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].summary, format!("Near breach: {}", t.number));
    assert!(
        p[0].body
            .starts_with("VIP customer · First response due at 10:30"),
        "{}",
        p[0].body
    );
    assert_eq!(p[0].ticket, Some(t.id));
    assert_eq!(sched.tick().await, 0, "not again");

    e.clock.advance(Duration::minutes(6));
    assert_eq!(
        sched.tick().await,
        0,
        "exactly 30 minutes is still within target"
    );
    e.clock.advance(Duration::seconds(1));
    assert_eq!(sched.tick().await, 1);
    let p = rec.take();
    assert_eq!(p[0].summary, format!("SLA breached: {}", t.number));
    assert!(p[0].urgent);
}

#[tokio::test]
async fn answering_in_time_cancels_the_warning() {
    let e = env().await;
    let agent = e.member(Role::Agent, 0).await;
    e.sit(agent, Lang::En);
    let rec = Arc::new(Recorder::default());
    let sched = e.start(rec.clone()).await;
    let t = e.ticket(&agent, "Quick one").await;
    e.ws.claim_ticket(&agent, t.id).await.unwrap();
    e.ws.move_ticket(&agent, t.id, Stage::InProgress, None)
        .await
        .unwrap();
    sched.ticket_changed(t.id);
    e.clock.advance(Duration::minutes(40));
    assert_eq!(sched.tick().await, 0);
    assert!(rec.take().is_empty());
}

#[tokio::test]
async fn after_a_jump_what_was_missed_fires_once_and_reminders_follow() {
    let e = env().await;
    let sup = e.member(Role::Supervisor, 0).await;
    let agent = e.member(Role::Agent, 0).await;
    e.sit(sup, Lang::Zh);
    let rec = Arc::new(Recorder::default());
    let sched = e.start(rec.clone()).await;
    let t = e.ticket(&agent, "无人认领").await;
    sched.ticket_changed(t.id);

    // The laptop slept for two hours.
    e.clock.advance(Duration::hours(2));
    assert_eq!(sched.tick().await, 2, "near breach and breach, once each");
    let p = rec.take();
    assert_eq!(p.len(), 1, "the breach alone is shown: {p:?}");
    assert_eq!(p[0].summary, format!("已超时：{}", t.number));
    assert!(
        p[0].body.contains("未分配"),
        "supervisors hear of unassigned tickets: {}",
        p[0].body
    );
    assert_eq!(sched.tick().await, 0);

    // Reminders every 30 minutes (the default), counted from the breach.
    e.clock.advance(Duration::minutes(21));
    assert_eq!(sched.tick().await, 1);
    let p = rec.take();
    assert_eq!(p[0].summary, format!("仍超时：{}", t.number));
    let d = e.ws.ticket_detail(&sup, t.id).await.unwrap();
    // The records carry when each threshold was crossed, not when the desktop woke.
    let stamps: Vec<_> = d
        .timeline
        .iter()
        .filter(|x| {
            matches!(
                x.event.kind,
                pulsedesk_core::ticket::EventKind::SlaAlert { .. }
            )
        })
        .map(|x| x.event.at - t.created_at)
        .collect();
    assert_eq!(
        stamps,
        vec![
            Duration::minutes(24),
            Duration::minutes(30) + Duration::seconds(1)
        ],
        "two records (reminders are pop-ups, not records): near breach at 80% of 30 minutes, breach the second after 30"
    );
}

#[tokio::test]
async fn a_restart_neither_repeats_nor_loses_warnings() {
    let e = env().await;
    let agent = e.member(Role::Agent, 0).await;
    e.sit(agent, Lang::En);
    let rec = Arc::new(Recorder::default());
    let sched = e.start(rec.clone()).await;
    let a = e.ticket(&agent, "first").await;
    e.ws.claim_ticket(&agent, a.id).await.unwrap();
    sched.ticket_changed(a.id);
    e.clock.advance(Duration::minutes(24));
    assert_eq!(sched.tick().await, 1);
    sched.stop();
    rec.take();

    // While the app was closed, the breach passed.
    e.clock.advance(Duration::minutes(10));
    let rec2 = Arc::new(Recorder::default());
    let again = e.start(rec2.clone()).await;
    assert_eq!(again.tick().await, 1, "the missed breach is recorded, once");
    let p = rec2.take();
    assert_eq!(p.len(), 1, "told once, by the start-up greeting: {p:?}");
    assert_eq!(p[0].summary, "1 ticket already breached");
    assert_eq!(p[0].ticket, Some(a.id), "a click opens it");
    assert_eq!(again.tick().await, 0);
}

#[tokio::test]
async fn agents_hear_only_of_their_tickets_and_do_not_disturb_mutes_near_breach() {
    let e = env().await;
    let mine = e.member(Role::Agent, 0).await;
    let other = e.member(Role::Agent, 1).await;
    let rec = Arc::new(Recorder::default());
    let sched = e.start(rec.clone()).await;
    let a = e.ticket(&mine, "mine").await;
    e.ws.claim_ticket(&mine, a.id).await.unwrap();
    let b = e.ticket(&other, "theirs").await;
    e.ws.claim_ticket(&other, b.id).await.unwrap();
    sched.ticket_changed(a.id);
    sched.ticket_changed(b.id);
    e.sit(mine, Lang::En);
    e.desk.0.lock().unwrap().as_mut().unwrap().dnd_until = Some(e.clock_now() + Duration::hours(1));

    e.clock.advance(Duration::minutes(24));
    assert_eq!(sched.tick().await, 2, "both recorded");
    assert!(
        rec.take().is_empty(),
        "muted near breach; the other is not mine"
    );
    e.clock.advance(Duration::minutes(7));
    assert_eq!(sched.tick().await, 2);
    let p = rec.take();
    assert_eq!(p.len(), 1, "a breach shows through do-not-disturb");
    assert_eq!(p[0].ticket, Some(a.id));
}

#[tokio::test]
async fn a_burst_of_alerts_is_one_popup_and_nobody_signed_in_means_none() {
    let e = env().await;
    let agent = e.member(Role::Agent, 0).await;
    let sup = e.member(Role::Supervisor, 0).await;
    e.sit(sup, Lang::En);
    let rec = Arc::new(Recorder::default());
    let sched = e.start(rec.clone()).await;
    for i in 0..5 {
        let t = e.ticket(&agent, &format!("burst {i}")).await;
        sched.ticket_changed(t.id);
    }
    e.clock.advance(Duration::minutes(25));
    assert_eq!(sched.tick().await, 5);
    let p = rec.take();
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].summary, "5 tickets need attention");
    assert_eq!(p[0].body.lines().next(), Some("0 breached, 5 near breach"));

    e.leave();
    e.clock.advance(Duration::minutes(6));
    assert_eq!(sched.tick().await, 5, "the breaches are recorded");
    assert!(rec.take().is_empty(), "nobody signed in");
}

#[tokio::test]
async fn signing_in_tells_what_already_breached_in_one_popup_then_only_what_is_new() {
    let e = env().await;
    let li = e.member(Role::Agent, 0).await;
    let wang = e.member(Role::Agent, 1).await;
    let rec = Arc::new(Recorder::default());
    let sched = e.start(rec.clone()).await;
    let mut mine = Vec::new();
    for (who, subject) in [(&li, "first"), (&wang, "not hers"), (&li, "second")] {
        let t = e.ticket(who, subject).await;
        e.ws.claim_ticket(who, t.id).await.unwrap();
        sched.ticket_changed(t.id);
        if who.id == li.id {
            mine.push(t.number.clone());
        }
        e.clock.advance(Duration::minutes(1));
    }
    // Nobody at the desk while all three breach.
    e.clock.advance(Duration::minutes(40));
    assert_eq!(sched.tick().await, 6);
    assert!(rec.take().is_empty());

    // Li signs in: one pop-up for her two, longest overdue first; not the crossings one
    // by one, not Wang's.
    e.sit(li, Lang::Zh);
    sched.tick().await;
    let p = rec.take();
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].summary, "2 个工单已超时");
    assert!(p[0].body.ends_with(&mine.join("，")), "{}", p[0].body);
    assert!(p[0].urgent);
    assert_eq!(p[0].ticket, None, "several tickets open the app");
    sched.tick().await;
    assert!(rec.take().is_empty(), "told once");

    // What happens from now on pops up as it happens; the old breaches are reminded only
    // a whole interval after the greeting.
    let fresh = e.ticket(&li, "new").await;
    e.ws.claim_ticket(&li, fresh.id).await.unwrap();
    sched.ticket_changed(fresh.id);
    e.clock.advance(Duration::minutes(24));
    assert_eq!(
        sched.tick().await,
        4,
        "the new ticket's near breach, and the three old breaches' first reminders"
    );
    let p = rec.take();
    assert_eq!(p.len(), 1, "the reminders wait for the interval: {p:?}");
    assert_eq!(p[0].summary, format!("即将超时：{}", fresh.number));

    // Signing in again greets again, with what is breached then.
    e.leave();
    sched.tick().await;
    e.sit(li, Lang::En);
    sched.tick().await;
    let p = rec.take();
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].summary, "2 tickets already breached");
}

#[tokio::test]
async fn a_policy_edit_moves_pending_warnings() {
    let e = env().await;
    let admin = e.member(Role::Admin, 0).await;
    let agent = e.member(Role::Agent, 0).await;
    e.sit(agent, Lang::En);
    let rec = Arc::new(Recorder::default());
    let sched = e.start(rec.clone()).await;
    let t = e.ticket(&agent, "tightened").await;
    e.ws.claim_ticket(&agent, t.id).await.unwrap();
    sched.ticket_changed(t.id);
    let vip = pulsedesk_core::sla::setup::PolicyInput {
        name: "VIP".into(),
        priorities: vec![],
        type_ids: vec![],
        tiers: vec![pulsedesk_core::kinds::Tier::Vip],
        first_response_minutes: 10,
        resolution_minutes: 60,
        near_percent: 50,
        pause_awaiting_reply: true,
        calendar_id: None,
    };
    e.ws.save_sla_policy(&admin, None, &vip).await.unwrap();
    sched.rules_changed();
    e.clock.advance(Duration::minutes(5));
    assert_eq!(sched.tick().await, 1, "near breach at 50% of 10 minutes");
    assert!(rec.take()[0].body.contains("due at 10:10"));
}

trait Now {
    fn clock_now(&self) -> chrono::DateTime<chrono::Utc>;
}

impl Now for common::Env {
    fn clock_now(&self) -> chrono::DateTime<chrono::Utc> {
        use pulsedesk_core::clock::Clock;
        self.clock.now()
    }
}

#[tokio::test]
async fn breach_reminders_come_as_one_popup_per_interval() {
    let e = env().await;
    let agent = e.member(Role::Agent, 0).await;
    let sup = e.member(Role::Supervisor, 0).await;
    e.sit(sup, Lang::En);
    let rec = Arc::new(Recorder::default());
    let sched = e.start(rec.clone()).await;
    // Three tickets five minutes apart: their reminders fall at different minutes.
    for i in 0..3 {
        let t = e.ticket(&agent, &format!("late {i}")).await;
        sched.ticket_changed(t.id);
        e.clock.advance(Duration::minutes(5));
        sched.tick().await;
    }
    let mut reminders = Vec::new();
    for minute in 15..=160 {
        e.clock.advance(Duration::minutes(1));
        sched.tick().await;
        for p in rec.take() {
            if p.summary.starts_with("Still breached") {
                reminders.push((minute, p));
            }
        }
    }
    let minutes: Vec<i64> = reminders.iter().map(|(m, _)| *m).collect();
    assert!(
        minutes.windows(2).all(|w| w[1] - w[0] >= 30),
        "at most one reminder pop-up per 30 minutes: {minutes:?}"
    );
    assert_eq!(minutes.len(), 4, "{minutes:?}");
    assert!(
        reminders[0].1.ticket.is_some(),
        "the first names its ticket"
    );
    assert_eq!(reminders[1].1.summary, "Still breached: 3 tickets");
    assert_eq!(reminders[1].1.ticket, None);
}
