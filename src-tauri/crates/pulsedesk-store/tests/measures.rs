//! Improvement measures: the metric over equal windows before and after the start, from
//! tickets with known timings; the verdict once the after window is complete; reminders
//! before the deadline; who may keep them.

// Test code: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::{Duration, NaiveDate};
use common::{env, new_ticket, Env};
use pulsedesk_core::clock::Clock;
use pulsedesk_core::kinds::{Outcome, Priority, Role, Stage};
use pulsedesk_core::measures::{MeasureInput, MeasureStatus, Metric, Target, Verdict};
use pulsedesk_core::permissions::Actor;

/// An urgent VIP ticket logged now, first answered `minutes` later and finished.
async fn answered_in(e: &Env, agent: &Actor, minutes: i64) {
    let mut t = new_ticket("VIP 响应");
    t.priority = Priority::Urgent;
    let id = e.ws.create_ticket(agent, &t).await.unwrap().id;
    e.ws.claim_ticket(agent, id).await.unwrap();
    e.clock.advance(Duration::minutes(minutes));
    e.ws.move_ticket(agent, id, Stage::InProgress, None)
        .await
        .unwrap();
    e.ws.move_ticket(agent, id, Stage::Done, Some(Outcome::Fully))
        .await
        .unwrap();
}

fn input(owner: &Actor, started_on: NaiveDate, targets: Vec<Target>) -> MeasureInput {
    MeasureInput {
        problem: "VIP 客户响应超时率从 5% 升至 12%".into(),
        root_cause: "高峰期（19:00-21:00）专职客服不足".into(),
        action: "增设 1 名高峰期弹性客服，负责 VIP 工单".into(),
        owner_id: owner.id,
        deadline: started_on + Duration::days(9),
        started_on,
        window_days: 7,
        targets,
        status: MeasureStatus::InProgress,
    }
}

#[tokio::test]
async fn a_measure_is_judged_on_equal_windows_before_and_after_it_started() {
    let e = env(0).await;
    let sup = e.first(Role::Supervisor).await;
    let li = e.agent(0).await;
    let started = e.clock.local_day(e.clock.now());
    // Two days before the start: three VIP tickets answered in 20 minutes (urgent: 15
    // minutes allowed, so all late).
    e.clock.advance(Duration::days(-2));
    for _ in 0..3 {
        answered_in(&e, &li, 20).await;
    }
    // From the start: two answered in 8 minutes, one in 11.
    e.clock.set(common::start() + Duration::hours(1));
    for m in [8, 8, 11] {
        answered_in(&e, &li, m).await;
    }
    let vip = Target {
        metric: Metric::VipFirstResponseMinutes,
        value: 10.0,
    };
    let breach = Target {
        metric: Metric::VipBreachPercent,
        value: 5.0,
    };
    let m =
        e.ws.save_measure(&sup, None, &input(&sup, started, vec![vip, breach]))
            .await
            .unwrap();
    // Day one: measuring, both windows one day long; the tickets two days back are outside.
    assert_eq!(m.evaluation.verdict, Verdict::Measuring);
    let w = m.evaluation.windows.unwrap();
    assert_eq!((w.days, w.complete), (1, false));
    assert_eq!(m.evaluation.results[0].comparison.before, None);
    assert_eq!(m.evaluation.results[0].comparison.after, Some(9.0));

    // Three days in: the before window reaches them. (20 + 20 + 20) / 3 against (8 + 8 + 11) / 3.
    e.clock.advance(Duration::days(3));
    let m = &e.ws.measures(&sup).await.unwrap()[0];
    let r = &m.evaluation.results;
    assert_eq!(r[0].comparison.before, Some(20.0));
    assert_eq!(r[0].comparison.after, Some(9.0));
    assert_eq!(r[0].comparison.change_percent, Some(-55.0));
    assert_eq!(r[0].met, Some(true));
    assert_eq!(r[1].comparison.before, Some(100.0));
    assert_eq!(r[1].comparison.after, Some(0.0));
    assert_eq!(m.evaluation.verdict, Verdict::Measuring);

    // A full week after the start: every target met.
    e.clock.advance(Duration::days(5));
    let m = &e.ws.measures(&sup).await.unwrap()[0];
    assert_eq!(m.evaluation.verdict, Verdict::Met);
    assert_eq!(m.days_left, 1);

    // A tighter target on the same numbers misses: the measure needs revision.
    let mut tighter = input(&sup, started, vec![Target { value: 8.5, ..vip }]);
    tighter.problem = "VIP 首次响应仍偏慢".into();
    let t = e.ws.save_measure(&sup, Some(m.id), &tighter).await.unwrap();
    assert_eq!(t.evaluation.verdict, Verdict::NeedsRevision);
    assert_eq!(t.evaluation.results[0].met, Some(false));
}

#[tokio::test]
async fn owners_are_reminded_once_before_the_deadline_and_bad_input_is_refused() {
    let e = env(0).await;
    // The second supervisor: the first owns the demo's measure.
    let liu =
        e.ws.accounts()
            .await
            .unwrap()
            .into_iter()
            .filter(|a| a.role == Role::Supervisor)
            .nth(1)
            .unwrap();
    let sup = e.user(liu.id).await;
    let li = e.agent(0).await;
    let before = e.ws.measures(&sup).await.unwrap().len();
    let today = e.clock.local_day(e.clock.now());
    let csat = Target {
        metric: Metric::Csat,
        value: 4.5,
    };
    e.ws.save_measure(&sup, None, &input(&sup, today, vec![csat]))
        .await
        .unwrap();
    assert!(e.ws.take_measure_reminders(&sup).await.unwrap().is_empty());
    e.clock.advance(Duration::days(7));
    let due = e.ws.take_measure_reminders(&sup).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].2, today + Duration::days(9));
    assert!(e.ws.take_measure_reminders(&sup).await.unwrap().is_empty());
    // Nothing answered after the start: a complete window with nothing measured needs revision.
    let m = &e.ws.measures(&sup).await.unwrap()[0];
    assert_eq!(m.evaluation.verdict, Verdict::NeedsRevision);

    let refused =
        e.ws.save_measure(&li, None, &input(&sup, today, vec![csat]))
            .await
            .unwrap_err();
    assert_eq!(refused.code(), "forbidden");
    let none =
        e.ws.save_measure(&sup, None, &input(&sup, today, vec![]))
            .await
            .unwrap_err();
    assert!(none.to_string().contains("at least one target"), "{none}");
    let bad = Target {
        metric: Metric::Csat,
        value: 7.0,
    };
    let err =
        e.ws.save_measure(&sup, None, &input(&sup, today, vec![bad]))
            .await
            .unwrap_err();
    assert!(err.to_string().contains("from 1 to 5"), "{err}");
    assert_eq!(
        e.ws.measures(&sup).await.unwrap().len(),
        before + 1,
        "nothing saved"
    );
    assert_eq!(e.ws.measures(&li).await.unwrap_err().code(), "forbidden");
}
