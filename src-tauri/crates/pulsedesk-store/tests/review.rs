//! The weekly review and the monthly report against an oracle: the raw event logs folded in plain Rust and each
//! ticket's clocks computed one by one, on two weeks of demo tickets.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::{NaiveDate, TimeZone, Utc};
use common::{env, fold};
use pulsedesk_core::clock::Clock;
use pulsedesk_core::ids::{TicketId, UserId};
use pulsedesk_core::kinds::{Outcome, Priority, Role, Stage, Tier};
use pulsedesk_core::review::{breach_reasons, top_reasons};
use pulsedesk_core::sla::{ClockKind, ClockState};
use pulsedesk_core::ticket::timings::stage_durations;
use pulsedesk_core::ticket::{EventKind, TicketEvent};
use std::collections::HashMap;

#[tokio::test]
async fn the_review_of_last_week_matches_the_logs() {
    let e = env(400).await;
    let sup = e.first(Role::Supervisor).await;
    // Any day of the week: the review is of its Monday to Sunday.
    let review =
        e.ws.weekly_review(&sup, NaiveDate::from_ymd_opt(2026, 11, 19).unwrap())
            .await
            .unwrap();
    assert_eq!(review.week, NaiveDate::from_ymd_opt(2026, 11, 16).unwrap());
    assert_eq!(
        review.from,
        Utc.with_ymd_and_hms(2026, 11, 15, 16, 0, 0).unwrap()
    );
    assert_eq!(
        review.to,
        Utc.with_ymd_and_hms(2026, 11, 22, 16, 0, 0).unwrap()
    );
    let prev = (
        Utc.with_ymd_and_hms(2026, 11, 8, 16, 0, 0).unwrap(),
        review.from,
    );
    let within = |t: Option<chrono::DateTime<Utc>>,
                  (a, b): (chrono::DateTime<Utc>, chrono::DateTime<Utc>)| {
        t.is_some_and(|t| t >= a && t < b)
    };
    let week = (review.from, review.to);
    let all = fold(&e.ws).await;

    // VIP tickets logged in the week that answered late, and why.
    let mut late = Vec::new();
    let mut fr_breached: HashMap<i64, (Option<UserId>, i64)> = HashMap::new();
    for (id, (state, ty)) in &all {
        if !within(state.timings.created_at, week) && !within(state.timings.created_at, prev) {
            continue;
        }
        let detail = e.ws.ticket_detail(&sup, TicketId(*id)).await.unwrap();
        let fr = detail
            .sla
            .iter()
            .find(|c| c.kind == ClockKind::FirstResponse)
            .unwrap();
        if fr.state != ClockState::Breached {
            continue;
        }
        fr_breached.insert(*id, (state.assignee, *ty));
        if within(state.timings.created_at, week) && detail.row.tier == Tier::Vip {
            let log: Vec<_> = detail.timeline.iter().map(|t| t.event.clone()).collect();
            late.push(breach_reasons(&log, fr.target_secs));
        }
    }
    assert_eq!(review.vip_breached as usize, late.len());
    assert!(!late.is_empty(), "the demo has late VIP tickets");
    assert_eq!(
        review.top_reasons,
        top_reasons(late.iter().map(Vec::as_slice))
    );
    assert!(review.top_reasons.len() <= 3);

    // The most frequent unresolved problems: types of tickets logged in the week and not
    // fully resolved.
    let mut open_by_type: HashMap<i64, u32> = HashMap::new();
    for (state, ty) in all.values() {
        if within(state.timings.created_at, week)
            && (state.stage != Stage::Done || state.outcome != Some(Outcome::Fully))
        {
            *open_by_type.entry(*ty).or_default() += 1;
        }
    }
    for p in &review.unresolved {
        assert_eq!(p.tickets, open_by_type[&p.type_id.0], "{}", p.name);
    }
    let counts: Vec<u32> = review.unresolved.iter().map(|p| p.tickets).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "most first");
    assert_eq!(
        review.unresolved.len(),
        open_by_type.len().min(10),
        "every type with unresolved tickets, up to ten"
    );

    // Each agent against the week before: resolved, first response, late first responses.
    for t in &review.agents {
        for (span, got) in [(week, t.this_week), (prev, t.last_week)] {
            let mine = all
                .values()
                .filter(|(s, _)| s.assignee == Some(UserId(t.id)));
            let resolved = mine
                .clone()
                .filter(|(s, _)| within(s.timings.resolved_at, span))
                .count();
            assert_eq!(got.resolved as usize, resolved, "{} resolved", t.name);
            let responded: Vec<i64> = mine
                .clone()
                .filter(|(s, _)| within(s.timings.first_response_at, span))
                .map(|(s, _)| s.timings.first_response_secs().unwrap())
                .collect();
            assert_eq!(
                got.first_response.tickets as usize,
                responded.len(),
                "{}",
                t.name
            );
            let breached = all
                .iter()
                .filter(|(id, (s, _))| {
                    within(s.timings.created_at, span)
                        && fr_breached
                            .get(id)
                            .is_some_and(|(a, _)| *a == Some(UserId(t.id)))
                })
                .count();
            assert_eq!(got.breached as usize, breached, "{} breached", t.name);
        }
    }
    assert!(review
        .agents
        .iter()
        .any(|t| t.this_week.resolved > 0 && t.last_week.resolved > 0));
    // Each type: late first responses this week.
    for t in &review.types {
        let breached = all
            .iter()
            .filter(|(id, (s, _))| {
                within(s.timings.created_at, week)
                    && fr_breached.get(id).is_some_and(|(_, ty)| *ty == t.id)
            })
            .count();
        assert_eq!(t.this_week.breached as usize, breached, "{}", t.name);
    }

    // Agents may not read it.
    let agent = e.agent(0).await;
    let err =
        e.ws.weekly_review(&agent, NaiveDate::from_ymd_opt(2026, 11, 19).unwrap())
            .await
            .unwrap_err();
    assert_eq!(err.code(), "forbidden");
}

/// The frequent-problem count reads the texts of problems only: every ticket of the week
/// that is a complaint or not fully resolved, none that was resolved without complaint
/// (praise and routine questions would drown the problems).
#[tokio::test]
async fn frequent_problems_read_complaints_and_unresolved_tickets_only() {
    let e = env(400).await;
    let sup = e.first(Role::Supervisor).await;
    let from = Utc.with_ymd_and_hms(2026, 11, 15, 16, 0, 0).unwrap();
    let to = Utc.with_ymd_and_hms(2026, 11, 22, 16, 0, 0).unwrap();
    let mut handed: HashMap<String, usize> = HashMap::new();
    e.ws.problem_texts(&sup, from, to, |t, _| {
        *handed.entry(t.to_string()).or_default() += 1
    })
    .await
    .unwrap();
    let mut expected: HashMap<String, usize> = HashMap::new();
    let mut left_out = 0;
    for id in fold(&e.ws).await.keys() {
        let d = e.ws.ticket_detail(&sup, TicketId(*id)).await.unwrap();
        if d.row.created_at < from || d.row.created_at >= to || d.follows.is_some() {
            continue;
        }
        let complaint = d.row.type_name.contains("投诉");
        let unresolved = d.row.stage != Stage::Done || d.outcome != Some(Outcome::Fully);
        let text = format!("{} {}", d.row.subject, d.description);
        if complaint || unresolved {
            *expected.entry(text).or_default() += 1;
        } else {
            left_out += 1;
            expected.entry(text).or_default();
        }
    }
    assert!(
        left_out > 0,
        "the week has tickets resolved without complaint"
    );
    for (text, n) in &expected {
        assert_eq!(handed.get(text).copied().unwrap_or(0), *n, "{text}");
    }
}

#[tokio::test]
async fn the_monthly_report_matches_the_logs() {
    let e = env(400).await;
    let sup = e.first(Role::Supervisor).await;
    let report =
        e.ws.monthly_report(&sup, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
            .await
            .unwrap();
    assert_eq!(report.month, NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
    assert_eq!(
        report.from,
        Utc.with_ymd_and_hms(2026, 10, 31, 16, 0, 0).unwrap()
    );
    let month = (report.from, report.to);
    let within = |t: Option<chrono::DateTime<Utc>>| t.is_some_and(|t| t >= month.0 && t < month.1);
    let all = fold(&e.ws).await;
    // Every ticket's log, raw.
    let rows: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT ticket_id, at, data FROM ticket_events ORDER BY ticket_id, id")
            .fetch_all(e.ws.pool())
            .await
            .unwrap();
    let mut logs: HashMap<i64, Vec<TicketEvent>> = HashMap::new();
    for (ticket, at, data) in rows {
        logs.entry(ticket).or_default().push(TicketEvent {
            id: 0,
            ticket_id: TicketId(ticket),
            at: chrono::DateTime::from_timestamp_millis(at).unwrap(),
            actor_id: None,
            kind: serde_json::from_str(&data).unwrap(),
        });
    }
    let now = e.clock.now();
    let m = report.this_month;
    let logged: Vec<i64> = all
        .iter()
        .filter(|(_, (s, _))| within(s.timings.created_at))
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(m.logged as usize, logged.len());
    let resolved: Vec<i64> = all
        .iter()
        .filter(|(_, (s, _))| within(s.timings.resolved_at))
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(m.resolved as usize, resolved.len());
    assert!(resolved.len() > 50, "the demo resolves tickets");
    let mean = |v: &[i64]| -> Option<i64> {
        (!v.is_empty()).then(|| (v.iter().sum::<i64>() as f64 / v.len() as f64).round() as i64)
    };
    let res: Vec<i64> = resolved
        .iter()
        .map(|id| all[id].0.timings.resolution_secs().unwrap())
        .collect();
    assert_eq!(m.resolution.secs, mean(&res));
    let fr: Vec<i64> = all
        .values()
        .filter(|(s, _)| within(s.timings.first_response_at))
        .map(|(s, _)| s.timings.first_response_secs().unwrap())
        .collect();
    assert_eq!(m.first_response.secs, mean(&fr));
    // Handling time: time in 处理中, from the stage durations of each resolved ticket.
    let handling: Vec<i64> = resolved
        .iter()
        .map(|id| {
            stage_durations(&logs[id], now)
                .iter()
                .find(|d| d.stage == Stage::InProgress)
                .unwrap()
                .seconds
        })
        .collect();
    assert_eq!(m.handling.secs, mean(&handling));
    // First contact: round 1, never waiting on the customer. Reopened: round > 1.
    let first_contact = resolved
        .iter()
        .filter(|id| {
            all[*id].0.round == 1
                && !logs[*id].iter().any(|e| {
                    matches!(
                        e.kind,
                        EventKind::StageChanged {
                            to: Stage::AwaitingReply,
                            ..
                        }
                    )
                })
        })
        .count();
    assert_eq!(m.first_contact.of as usize, first_contact);
    assert_eq!(m.first_contact.total as usize, resolved.len());
    let reopened = resolved.iter().filter(|id| all[*id].0.round > 1).count();
    assert_eq!(m.reopened.of as usize, reopened);
    // Urgent and high tickets logged in the month whose resolution clock is met; and the
    // month's SLA verdicts.
    let (mut high, mut high_met) = (0, 0);
    let mut verdicts = [0u32; 4];
    for id in &logged {
        let detail = e.ws.ticket_detail(&sup, TicketId(*id)).await.unwrap();
        let res = detail
            .sla
            .iter()
            .find(|c| c.kind == ClockKind::Resolution)
            .unwrap();
        if matches!(detail.row.priority, Priority::Urgent | Priority::High) {
            high += 1;
            high_met += u32::from(res.state == ClockState::Met);
        }
        for c in &detail.sla {
            let slot = if c.kind == ClockKind::FirstResponse {
                0
            } else {
                2
            };
            match c.state {
                ClockState::Met => verdicts[slot] += 1,
                ClockState::Breached => verdicts[slot + 1] += 1,
                _ => {}
            }
        }
    }
    assert_eq!(
        (m.high_priority_resolved.of, m.high_priority_resolved.total),
        (high_met, high)
    );
    assert_eq!(
        [
            m.first_response_sla.met,
            m.first_response_sla.breached,
            m.resolution_sla.met,
            m.resolution_sla.breached
        ],
        verdicts
    );
    // The month before holds no demo tickets.
    assert_eq!(report.last_month.logged, 0);
    assert_eq!(report.last_month.first_contact.per_mille, None);
    // The backlog now: open tickets, the middle one's age and the oldest's.
    let mut open: Vec<i64> = all
        .values()
        .filter(|(s, _)| s.stage != Stage::Done)
        .map(|(s, _)| (now - s.timings.created_at.unwrap()).num_milliseconds() / 1000)
        .collect();
    open.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(report.backlog as usize, open.len());
    assert_eq!(report.backlog_oldest_age_secs, open.first().copied());
    assert_eq!(
        report.backlog_median_age_secs,
        open.get((open.len() - 1) / 2).copied()
    );
}

#[tokio::test]
async fn a_weeks_review_is_given_once_however_many_ask_at_once() {
    let e = env(0).await;
    let sup = e.first(Role::Supervisor).await;
    let monday = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    // Sign-in and the background round (and a second window) ask at the same moment.
    let asks = (0..6).map(|_| e.ws.claim_weekly_review(sup.id, monday));
    let given: Vec<_> = futures_util::future::join_all(asks)
        .await
        .into_iter()
        .map(|r| r.unwrap())
        .collect();
    let last_week = NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    assert_eq!(
        given.iter().filter(|g| **g == Some(last_week)).count(),
        1,
        "{given:?}"
    );
    assert_eq!(given.iter().filter(|g| g.is_none()).count(), 5);
    // Later the same week: nothing; the next Monday: the next week, once.
    let friday = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    assert_eq!(
        e.ws.claim_weekly_review(sup.id, friday).await.unwrap(),
        None
    );
    let next = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    assert_eq!(
        e.ws.claim_weekly_review(sup.id, next).await.unwrap(),
        Some(monday)
    );
    // Each member has their own.
    let other =
        e.ws.claim_weekly_review(UserId(9999), monday)
            .await
            .unwrap();
    assert_eq!(other, Some(last_week));
}
