//! SLA on a real SQLite file: clock projection, policies and calendars, re-targeting,
//! priority changes, exactly-once alert records, tray counts and stale flags.

// Test helpers: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::Duration;
use common::{env, start};
use pulsedesk_core::clock::{Clock, ManualClock};
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::kinds::{Priority, Role, Stage, Tier};
use pulsedesk_core::sla::alert::dues_of;
use pulsedesk_core::sla::setup::{CalendarInput, DaySpan, PolicyInput};
use pulsedesk_core::sla::{AlertLevel, ClockKind, Due};
use pulsedesk_core::ticket::EventKind;
use pulsedesk_core::view::PoolQuery;
use pulsedesk_store::{StoreError, Workspace};
use std::sync::Arc;

fn vip_policy() -> PolicyInput {
    PolicyInput {
        name: "VIP fast lane".into(),
        priorities: vec![],
        type_ids: vec![],
        tiers: vec![Tier::Vip],
        first_response_minutes: 10,
        resolution_minutes: 120,
        near_percent: 80,
        pause_awaiting_reply: true,
        calendar_id: None,
    }
}

/// The pool row's countdown deadline, as `agent` sees it.
async fn pool_due(
    e: &common::Env,
    agent: &pulsedesk_core::permissions::Actor,
    id: TicketId,
) -> Option<chrono::DateTime<chrono::Utc>> {
    e.ws.pool_row_for(agent, id)
        .await
        .unwrap()
        .sla
        .unwrap()
        .due_at
}

/// Every open ticket, as a supervisor sees the pool.
async fn open_rows(e: &common::Env) -> pulsedesk_core::view::PoolPage {
    let sup = e.first(Role::Supervisor).await;
    let q = PoolQuery {
        open_only: true,
        limit: 1000,
        ..Default::default()
    };
    e.ws.list_pool(&sup, &q).await.unwrap()
}

async fn due_of(ws: &Workspace, id: TicketId, level: AlertLevel) -> Due {
    let w = ws.watched_ticket(id).await.unwrap().unwrap();
    dues_of(id, w.round, &w.running)
        .into_iter()
        .find(|d| d.key.level == level && d.key.clock == ClockKind::FirstResponse)
        .unwrap()
}

#[tokio::test]
async fn a_new_ticket_shows_its_countdown_in_the_pool() {
    let e = env(0).await;
    let agent = e.agent(0).await;
    let row = e.create(&agent, "退款未到账").await;
    let badge = row.sla.unwrap();
    assert_eq!(badge.kind, ClockKind::FirstResponse);
    // High priority: first response within 30 minutes; near breach at 80% = 24.
    assert_eq!(badge.due_at, Some(start() + Duration::minutes(30)));
    assert_eq!(badge.near_at, Some(start() + Duration::minutes(24)));
    assert!(row.stale_at.is_none(), "an unassigned ticket is not stale");
}

#[tokio::test]
async fn saving_a_policy_retargets_open_tickets_and_the_order_decides() {
    let e = env(0).await;
    let admin = e.first(Role::Admin).await;
    let agent = e.agent(0).await;
    let row = e.create(&agent, "VIP 投诉").await;

    let vip =
        e.ws.save_sla_policy(&admin, None, &vip_policy())
            .await
            .unwrap();
    assert_eq!(
        pool_due(&e, &agent, row.id).await,
        Some(start() + Duration::minutes(10))
    );

    let mut looser = vip_policy();
    looser.name = "High anything".into();
    looser.tiers = vec![];
    looser.priorities = vec![Priority::High];
    looser.first_response_minutes = 45;
    let high = e.ws.save_sla_policy(&admin, None, &looser).await.unwrap();
    assert_eq!(
        pool_due(&e, &agent, row.id).await,
        Some(start() + Duration::minutes(10)),
        "the VIP policy comes first"
    );
    e.ws.order_sla_policies(&admin, &[high.id, vip.id])
        .await
        .unwrap();
    assert_eq!(
        pool_due(&e, &agent, row.id).await,
        Some(start() + Duration::minutes(45))
    );
    let setup = e.ws.sla_setup(&admin).await.unwrap();
    let names: Vec<_> = setup
        .policies
        .iter()
        .map(|p| p.spec.name.as_str())
        .collect();
    assert_eq!(names, ["High anything", "VIP fast lane"]);

    // An incomplete order is refused and nothing changes.
    let err =
        e.ws.order_sla_policies(&admin, &[vip.id])
            .await
            .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    e.ws.delete_sla_policy(&admin, high.id).await.unwrap();
    assert_eq!(
        pool_due(&e, &agent, row.id).await,
        Some(start() + Duration::minutes(10))
    );
}

#[tokio::test]
async fn only_admins_edit_policies_and_bad_input_names_its_field() {
    let e = env(0).await;
    let sup = e.first(Role::Supervisor).await;
    let admin = e.first(Role::Admin).await;
    let err =
        e.ws.save_sla_policy(&sup, None, &vip_policy())
            .await
            .unwrap_err();
    assert_eq!(err.code(), "forbidden");
    let mut bad = vip_policy();
    bad.near_percent = 0;
    match e.ws.save_sla_policy(&admin, None, &bad).await.unwrap_err() {
        StoreError::Domain(d) => assert!(format!("{d:?}").contains("near_percent")),
        other => panic!("{other:?}"),
    }
    e.ws.save_sla_policy(&admin, None, &vip_policy())
        .await
        .unwrap();
    let err =
        e.ws.save_sla_policy(&admin, None, &vip_policy())
            .await
            .unwrap_err();
    assert_eq!(err.code(), "duplicate");
    let mut missing_cal = vip_policy();
    missing_cal.name = "other".into();
    missing_cal.calendar_id = Some(pulsedesk_core::ids::CalendarId(99));
    let err =
        e.ws.save_sla_policy(&admin, None, &missing_cal)
            .await
            .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert_eq!(e.ws.sla_setup(&admin).await.unwrap().policies.len(), 1);
}

#[tokio::test]
async fn a_calendar_policy_counts_working_hours_only() {
    let e = env(0).await;
    let admin = e.first(Role::Admin).await;
    let agent = e.agent(0).await;
    let day = vec![DaySpan {
        from: "09:00".into(),
        to: "18:00".into(),
    }];
    let mut week = vec![day; 5];
    week.extend([vec![], vec![]]);
    let cal =
        e.ws.save_sla_calendar(
            &admin,
            None,
            &CalendarInput {
                name: "Shanghai office".into(),
                tz: "Asia/Shanghai".into(),
                week,
                holidays: vec!["2026-11-24".into()],
            },
        )
        .await
        .unwrap();
    let mut p = vip_policy();
    p.first_response_minutes = 9 * 60;
    p.resolution_minutes = 20 * 60;
    p.calendar_id = Some(cal.id);
    e.ws.save_sla_policy(&admin, None, &p).await.unwrap();
    // Created Monday 10:00 local: 8 working hours on Monday, Tuesday is a holiday,
    // the ninth hour ends Wednesday 10:00 local (02:00 UTC).
    let row = e.create(&agent, "跨天").await;
    assert_eq!(row.sla.unwrap().due_at, Some(start() + Duration::days(2)));

    let err = e.ws.delete_sla_calendar(&admin, cal.id).await.unwrap_err();
    assert_eq!(err.code(), "conflict", "a calendar in use stays");
    let mut bad = e.ws.sla_setup(&admin).await.unwrap().calendars[0]
        .spec
        .clone();
    bad.tz = "Nowhere/City".into();
    let err =
        e.ws.save_sla_calendar(&admin, Some(cal.id), &bad)
            .await
            .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
}

#[tokio::test]
async fn a_priority_change_retargets_from_the_start() {
    let e = env(0).await;
    let agent = e.agent(0).await;
    let row = e.create(&agent, "升级").await;
    e.ws.claim_ticket(&agent, row.id).await.unwrap();
    e.clock.advance(Duration::minutes(12));
    e.ws.change_priority(&agent, row.id, Priority::Urgent)
        .await
        .unwrap();
    let d = e.ws.ticket_detail(&agent, row.id).await.unwrap();
    assert_eq!(d.row.priority, Priority::Urgent);
    let fr = d
        .sla
        .iter()
        .find(|c| c.kind == ClockKind::FirstResponse)
        .unwrap();
    assert_eq!(
        fr.due_at,
        Some(start() + Duration::minutes(15)),
        "urgent: 15 min from creation"
    );
    assert!(d.timeline.iter().any(|t| matches!(
        t.event.kind,
        EventKind::PriorityChanged {
            from: Priority::High,
            to: Priority::Urgent
        }
    )));
    let err =
        e.ws.change_priority(&agent, row.id, Priority::Urgent)
            .await
            .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    let other = e.agent(1).await;
    let err =
        e.ws.change_priority(&other, row.id, Priority::Low)
            .await
            .unwrap_err();
    assert_eq!(err.code(), "forbidden");
}

#[tokio::test]
async fn two_desktops_record_an_alert_exactly_once() {
    let e = env(0).await;
    let agent = e.agent(0).await;
    let row = e.create(&agent, "并发预警").await;
    e.clock.advance(Duration::minutes(25));
    // A second desktop on the same workspace file, with its own pool and clock.
    let clock2 = Arc::new(ManualClock::new(e.clock.now(), common::beijing()));
    let ws2 = Workspace::open(&e.dir.path().join("ws.db"), clock2)
        .await
        .unwrap();
    let due = due_of(&e.ws, row.id, AlertLevel::NearBreach).await;

    let (a, b) = tokio::join!(e.ws.record_alert(&due), ws2.record_alert(&due));
    let (a, b) = (a.unwrap().unwrap(), b.unwrap().unwrap());
    assert!(
        a.newly_recorded ^ b.newly_recorded,
        "exactly one desktop wrote it"
    );
    assert_eq!(a.facts.number, row.number);
    assert_eq!(a.facts.tier, Tier::Vip);
    // A restart computing it again writes nothing more.
    let again = e.ws.record_alert(&due).await.unwrap().unwrap();
    assert!(!again.newly_recorded);
    let d = e.ws.ticket_detail(&agent, row.id).await.unwrap();
    let alerts = d
        .timeline
        .iter()
        .filter(|t| matches!(t.event.kind, EventKind::SlaAlert { .. }))
        .count();
    assert_eq!(alerts, 1);
    assert_eq!(e.ws.raised_alerts().await.unwrap().len(), 1);

    // The pop-up is claimed once per member.
    assert!(e.ws.claim_notice(&due, agent.id).await.unwrap());
    assert!(!ws2.claim_notice(&due, agent.id).await.unwrap());
}

#[tokio::test]
async fn an_alert_that_no_longer_holds_is_not_recorded() {
    let e = env(0).await;
    let agent = e.agent(0).await;
    let row = e.create(&agent, "及时响应").await;
    let due = due_of(&e.ws, row.id, AlertLevel::Breached).await;
    e.ws.claim_ticket(&agent, row.id).await.unwrap();
    e.ws.move_ticket(&agent, row.id, Stage::InProgress, None)
        .await
        .unwrap();
    e.clock.advance(Duration::minutes(31));
    assert_eq!(
        e.ws.record_alert(&due).await.unwrap(),
        None,
        "answered in time"
    );
    // Too early is refused too: the scheduler must never write a warning before its time.
    let row2 = e.create(&agent, "尚早").await;
    let due2 = due_of(&e.ws, row2.id, AlertLevel::NearBreach).await;
    assert_eq!(e.ws.record_alert(&due2).await.unwrap(), None);
    assert!(e.ws.raised_alerts().await.unwrap().is_empty());
}

#[tokio::test]
async fn tray_counts_follow_the_clock_and_the_role() {
    let e = env(0).await;
    let agent = e.agent(0).await;
    let other = e.agent(1).await;
    let sup = e.first(Role::Supervisor).await;
    let a = e.create(&agent, "一").await;
    e.ws.claim_ticket(&agent, a.id).await.unwrap();
    e.clock.advance(Duration::minutes(10));
    let b = e.create(&other, "二").await;
    e.ws.claim_ticket(&other, b.id).await.unwrap();
    e.clock.advance(Duration::minutes(15)); // a: 25 min (near), b: 15 min
    let c = e.ws.sla_counts(&agent).await.unwrap();
    assert_eq!((c.near_breach, c.breached), (1, 0));
    e.clock.advance(Duration::minutes(5) + Duration::seconds(1)); // a: over 30, b: 20 min
    assert_eq!(e.ws.sla_counts(&agent).await.unwrap().breached, 1);
    assert_eq!(e.ws.sla_counts(&other).await.unwrap().breached, 0);
    let s = e.ws.sla_counts(&sup).await.unwrap();
    assert_eq!((s.near_breach, s.breached), (0, 1));
    e.clock.advance(Duration::minutes(5)); // b: 25 min
    let s = e.ws.sla_counts(&sup).await.unwrap();
    assert_eq!((s.near_breach, s.breached), (1, 1));
}

#[tokio::test]
async fn an_untouched_active_ticket_turns_stale_after_the_configured_minutes() {
    let e = env(0).await;
    let admin = e.first(Role::Admin).await;
    let agent = e.agent(0).await;
    let row = e.create(&agent, "无人跟进").await;
    e.ws.claim_ticket(&agent, row.id).await.unwrap();
    let r = e.ws.pool_row_for(&agent, row.id).await.unwrap();
    assert_eq!(r.stale_at, Some(start() + Duration::minutes(10)));
    let mut s = e.ws.sla_settings().await.unwrap();
    s.stale_minutes = 25;
    e.ws.save_sla_settings(&admin, &s).await.unwrap();
    let r = e.ws.pool_row_for(&agent, row.id).await.unwrap();
    assert_eq!(r.stale_at, Some(start() + Duration::minutes(25)));
    // Stale until its first response breaches: then the red countdown says it.
    let due = r.sla.as_ref().and_then(|b| b.due_at);
    assert!(due.is_some());
    assert_eq!(r.stale_until, due);
    s.stale_minutes = 45;
    e.ws.save_sla_settings(&admin, &s).await.unwrap();
    let r = e.ws.pool_row_for(&agent, row.id).await.unwrap();
    assert_eq!(
        (r.stale_at, r.stale_until),
        (None, None),
        "it breaches before it could turn stale"
    );
    // Waiting on the customer is not stale either.
    s.stale_minutes = 10;
    e.ws.save_sla_settings(&admin, &s).await.unwrap();
    e.ws.move_ticket(&agent, row.id, Stage::InProgress, None)
        .await
        .unwrap();
    e.ws.move_ticket(&agent, row.id, Stage::AwaitingReply, None)
        .await
        .unwrap();
    let r = e.ws.pool_row_for(&agent, row.id).await.unwrap();
    assert_eq!(r.stale_at, None);
    s.stale_minutes = 5000;
    assert_eq!(
        e.ws.save_sla_settings(&admin, &s).await.unwrap_err().code(),
        "invalid_input"
    );
}

#[tokio::test]
async fn retargeting_covers_every_open_ticket() {
    let e = env(300).await;
    let admin = e.first(Role::Admin).await;
    let n = e.ws.retarget_all().await.unwrap();
    let page = open_rows(&e).await;
    assert_eq!(n, page.total as usize);
    assert!(
        page.rows.iter().all(|r| r.sla.is_some()),
        "every open ticket has a clock"
    );
    e.ws.save_sla_policy(&admin, None, &vip_policy())
        .await
        .unwrap();
    let vip_rows: Vec<_> = open_rows(&e)
        .await
        .rows
        .into_iter()
        .filter(|r| r.tier == Tier::Vip && r.stage == Stage::Unassigned)
        .collect();
    assert!(!vip_rows.is_empty());
    for r in vip_rows {
        let b = r.sla.unwrap();
        assert_eq!(
            b.due_at,
            Some(r.created_at + Duration::minutes(10)),
            "{}",
            r.number
        );
    }
}
