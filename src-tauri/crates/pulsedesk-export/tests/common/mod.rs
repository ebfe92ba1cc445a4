//! A real workspace for the export tests: two weeks of demo tickets on a fixed clock.

#![allow(dead_code)]
#![allow(clippy::unwrap_used)]

use chrono::{FixedOffset, NaiveDate, TimeZone, Utc};
use pulsedesk_core::clock::ManualClock;
use pulsedesk_core::kinds::Role;
use pulsedesk_core::permissions::Actor;
use pulsedesk_core::review::WeeklyReview;
use pulsedesk_store::demo::DemoOptions;
use pulsedesk_store::Workspace;
use std::sync::Arc;

pub fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap()
}

/// The demo workspace at 2026-11-23 10:00 Beijing, with a supervisor and an agent.
pub async fn workspace(dir: &std::path::Path) -> (Workspace, Actor, Actor) {
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap(),
        beijing(),
    ));
    let ws = Workspace::open(&dir.join("ws.db"), clock).await.unwrap();
    ws.seed_demo(DemoOptions::default()).await.unwrap();
    let accounts = ws.accounts().await.unwrap();
    let actor = |role| {
        let a = accounts.iter().find(|a| a.role == role).unwrap();
        Actor {
            id: a.id,
            role: a.role,
        }
    };
    let sup = actor(Role::Supervisor);
    let agent = actor(Role::Agent);
    (ws, sup, agent)
}

/// Last week's review, with known frequent problems: 退款 (40% of complaints, a focus),
/// 物流 (30%) and the type 售后申请.
pub async fn last_weeks_review(ws: &Workspace, sup: &Actor) -> WeeklyReview {
    let mut review = ws
        .weekly_review(sup, NaiveDate::from_ymd_opt(2026, 11, 16).unwrap())
        .await
        .unwrap();
    review.problems = pulsedesk_core::review::frequent_problems(
        50,
        10,
        vec![("退款".into(), 12, 4), ("物流".into(), 9, 3)],
        vec![(pulsedesk_core::ids::TicketTypeId(4), "售后申请".into(), 6)],
    );
    review
}
