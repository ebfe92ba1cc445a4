//! The board's figures against an independent oracle: the raw event logs folded in plain
//! Rust (the board itself is SQL over the ticket rows), on a real SQLite workspace with two
//! weeks of demo tickets.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::{env, fold};
use pulsedesk_core::board::{Board, DayRange, PeriodKey};
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::kinds::{Priority, Role, Stage};
use pulsedesk_core::sla::{ClockKind, ClockState};
use pulsedesk_core::ticket::TicketState;
use pulsedesk_store::StoreError;
use std::collections::{BTreeMap, HashMap};

/// The mean of whole seconds, rounded half away from zero, by floating point.
fn mean(secs: &[i64]) -> Option<i64> {
    if secs.is_empty() {
        return None;
    }
    Some((secs.iter().sum::<i64>() as f64 / secs.len() as f64).round() as i64)
}

fn within(t: Option<DateTime<Utc>>, from: DateTime<Utc>, to: DateTime<Utc>) -> bool {
    t.is_some_and(|t| t >= from && t < to)
}

/// Checks every period of `board` against the fold.
fn check_periods(board: &Board, all: &BTreeMap<i64, (TicketState, i64)>) {
    for p in &board.periods {
        let created = all
            .values()
            .filter(|(s, _)| within(s.timings.created_at, p.from, p.to))
            .count();
        let fr: Vec<i64> = all
            .values()
            .filter(|(s, _)| within(s.timings.first_response_at, p.from, p.to))
            .map(|(s, _)| s.timings.first_response_secs().unwrap())
            .collect();
        let res: Vec<i64> = all
            .values()
            .filter(|(s, _)| within(s.timings.resolved_at, p.from, p.to))
            .map(|(s, _)| s.timings.resolution_secs().unwrap())
            .collect();
        assert_eq!(p.created as usize, created, "{:?} created", p.key);
        assert_eq!(p.first_response.tickets as usize, fr.len(), "{:?}", p.key);
        assert_eq!(
            p.first_response.secs,
            mean(&fr),
            "{:?} first response",
            p.key
        );
        assert_eq!(p.resolution.tickets as usize, res.len(), "{:?}", p.key);
        assert_eq!(p.resolution.secs, mean(&res), "{:?} resolution", p.key);
    }
}

#[tokio::test]
async fn every_figure_matches_the_raw_event_logs() {
    let e = env(400).await;
    let sup = e.first(Role::Supervisor).await;
    let board =
        e.ws.board(
            &sup,
            Some(DayRange {
                first: chrono::NaiveDate::from_ymd_opt(2026, 11, 12).unwrap(),
                last: chrono::NaiveDate::from_ymd_opt(2026, 11, 18).unwrap(),
            }),
        )
        .await
        .unwrap();
    let all = fold(&e.ws).await;
    // The demo's 400 tickets, and the follow-ups its low-scored answers opened.
    let (follow_ups,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM tickets WHERE follows_ticket_id IS NOT NULL")
            .fetch_one(e.ws.pool())
            .await
            .unwrap();
    assert!(follow_ups > 0);
    assert_eq!(all.len() as i64, 400 + follow_ups);

    // Periods: today from Beijing midnight, the week from six days before.
    let keys: Vec<PeriodKey> = board.periods.iter().map(|p| p.key).collect();
    assert_eq!(keys, [PeriodKey::Today, PeriodKey::Week, PeriodKey::Range]);
    assert_eq!(
        board.periods[0].from,
        Utc.with_ymd_and_hms(2026, 11, 22, 16, 0, 0).unwrap()
    );
    assert_eq!(
        board.periods[1].from,
        Utc.with_ymd_and_hms(2026, 11, 16, 16, 0, 0).unwrap()
    );
    assert_eq!(
        board.periods[2].to,
        Utc.with_ymd_and_hms(2026, 11, 18, 16, 0, 0).unwrap()
    );
    check_periods(&board, &all);
    assert!(
        board.periods[1].first_response.tickets > 20 && board.periods[1].resolution.tickets > 20,
        "the demo's week has figures to compare: {:?}",
        board.periods[1]
    );

    // SLA attainment per priority: each ticket's clocks computed now, one by one.
    let mut verdicts: HashMap<(usize, Priority), [u32; 4]> = HashMap::new();
    for (id, (state, _)) in &all {
        let detail = e.ws.ticket_detail(&sup, TicketId(*id)).await.unwrap();
        for (i, p) in board.periods.iter().enumerate() {
            if !within(state.timings.created_at, p.from, p.to) {
                continue;
            }
            let v = verdicts.entry((i, detail.row.priority)).or_default();
            for c in &detail.sla {
                let slot = match c.kind {
                    ClockKind::FirstResponse => 0,
                    ClockKind::Resolution => 2,
                };
                match c.state {
                    ClockState::Met => v[slot] += 1,
                    ClockState::Breached => v[slot + 1] += 1,
                    ClockState::OnTrack | ClockState::NearBreach => {}
                }
            }
        }
    }
    let mut decided = 0;
    for (i, p) in board.periods.iter().enumerate() {
        assert_eq!(p.sla.len(), Priority::ALL.len());
        for a in &p.sla {
            let want = verdicts.get(&(i, a.priority)).copied().unwrap_or_default();
            let got = [
                a.first_response.met,
                a.first_response.breached,
                a.resolution.met,
                a.resolution.breached,
            ];
            assert_eq!(got, want, "{:?} {:?}", p.key, a.priority);
            decided += got.iter().sum::<u32>();
        }
    }
    assert!(decided > 100, "the demo has clocks to judge");

    // Backlog by stage and by type.
    for sc in &board.backlog_by_stage {
        let n = all.values().filter(|(s, _)| s.stage == sc.stage).count();
        assert_eq!(sc.tickets as usize, n, "{:?}", sc.stage);
    }
    assert!(board
        .backlog_by_stage
        .iter()
        .all(|s| s.stage != Stage::Done));
    let open_by_type = |t: i64| {
        all.values()
            .filter(|(s, ty)| s.stage != Stage::Done && *ty == t)
            .count()
    };
    for tc in &board.backlog_by_type {
        assert_eq!(
            tc.tickets as usize,
            open_by_type(tc.type_id.0),
            "{}",
            tc.name
        );
    }
    let waiting = all
        .values()
        .filter(|(s, _)| s.stage == Stage::Unassigned)
        .count();
    assert_eq!(board.waiting.tickets as usize, waiting);

    // Per agent: handled today, open, overdue (each open ticket's clocks computed now).
    let today = &board.periods[0];
    let week = &board.periods[1];
    for a in &board.agents {
        let mine: Vec<(&i64, &TicketState)> = all
            .iter()
            .filter(|(_, (s, _))| s.assignee == Some(a.id))
            .map(|(id, (s, _))| (id, s))
            .collect();
        let handled = mine
            .iter()
            .filter(|(_, s)| within(s.timings.resolved_at, today.from, today.to))
            .count();
        assert_eq!(a.handled_today as usize, handled, "{} handled", a.name);
        let open: Vec<i64> = mine
            .iter()
            .filter(|(_, s)| s.stage != Stage::Done)
            .map(|(id, _)| **id)
            .collect();
        assert_eq!(a.open as usize, open.len(), "{} open", a.name);
        let mut overdue = 0;
        for id in &open {
            let detail = e.ws.ticket_detail(&sup, TicketId(*id)).await.unwrap();
            if detail
                .sla
                .iter()
                .any(|c| c.stopped_at.is_none() && !c.paused && c.state == ClockState::Breached)
            {
                overdue += 1;
            }
        }
        assert_eq!(a.overdue, overdue, "{} overdue", a.name);
        let fr: Vec<i64> = mine
            .iter()
            .filter(|(_, s)| within(s.timings.first_response_at, week.from, week.to))
            .map(|(_, s)| s.timings.first_response_secs().unwrap())
            .collect();
        assert_eq!(
            a.first_response.secs,
            mean(&fr),
            "{} first response",
            a.name
        );
        // CSAT: every answer given this week to a survey of a ticket they finished, each
        // answer's three scores averaged together, in floating point here.
        let answers: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT answered_at, speed, professionalism, resolution FROM surveys
             WHERE agent_id = ? AND answered_at IS NOT NULL",
        )
        .bind(a.id.0)
        .fetch_all(e.ws.pool())
        .await
        .unwrap();
        let week_answers: Vec<i64> = answers
            .iter()
            .filter(|(at, ..)| {
                let at = chrono::DateTime::from_timestamp_millis(*at);
                within(at, week.from, week.to)
            })
            .map(|(_, s, p, r)| s + p + r)
            .collect();
        assert_eq!(a.answers as usize, week_answers.len(), "{} answers", a.name);
        let want = (!week_answers.is_empty()).then(|| {
            let sum: i64 = week_answers.iter().sum();
            let tenths = (sum as f64 * 10.0 / (3.0 * week_answers.len() as f64) + 0.5).floor();
            pulsedesk_core::feedback::Tenths(tenths as u32)
        });
        assert_eq!(a.csat, want, "{} CSAT", a.name);
    }
    assert!(board.agents.iter().any(|a| a.open > 0));
    assert!(
        board.agents.iter().any(|a| a.csat.is_some()),
        "the demo answers surveys"
    );

    // Breached now and near breach are two lists; every open ticket whose headline clock is
    // past its target is counted as overdue.
    assert!(board.breached.iter().all(|n| n.breached));
    assert!(board.near_breach.iter().all(|n| !n.breached));
    assert!(!board.breached.is_empty(), "the demo has breached tickets");
    let overdue_by_agents: u32 = board.agents.iter().map(|a| a.overdue).sum();
    assert!(board.overdue >= overdue_by_agents);
    if board.breached.len() < pulsedesk_core::board::NEAR_BREACH_ROWS {
        assert_eq!(board.overdue as usize, board.breached.len());
    }
    for n in board.breached.iter().chain(&board.near_breach) {
        let detail = e.ws.ticket_detail(&sup, n.id).await.unwrap();
        let clock = detail.sla.iter().find(|c| c.kind == n.clock).unwrap();
        assert!(
            matches!(clock.state, ClockState::NearBreach | ClockState::Breached),
            "{} {:?}",
            n.number,
            clock.state
        );
        assert_eq!(
            n.breached,
            clock.state == ClockState::Breached,
            "{}",
            n.number
        );
    }
    for list in [&board.breached, &board.near_breach] {
        let due: Vec<DateTime<Utc>> = list.iter().map(|n| n.due_at).collect();
        assert!(due.windows(2).all(|w| w[0] <= w[1]), "soonest first");
    }
}

#[tokio::test]
async fn a_change_shows_at_once_and_agents_may_not_see_the_board() {
    let e = env(0).await;
    let sup = e.first(Role::Supervisor).await;
    let agent = e.agent(0).await;
    let before = e.ws.board(&sup, None).await.unwrap();
    assert_eq!(before.waiting.tickets, 0);
    assert_eq!(before.periods[0].first_response, Default::default());

    // Read the same instant the ticket is logged: it counts already.
    let row = e.create(&sup, "屏幕闪烁").await;
    let board = e.ws.board(&sup, None).await.unwrap();
    assert_eq!(board.waiting.tickets, 1);
    assert_eq!(board.periods[0].created, 1);
    let unassigned = board
        .backlog_by_stage
        .iter()
        .find(|s| s.stage == Stage::Unassigned)
        .unwrap();
    assert_eq!(unassigned.tickets, 1);

    e.clock.advance(Duration::seconds(90));
    e.ws.claim_ticket(&agent, row.id).await.unwrap();
    e.clock.advance(Duration::seconds(45));
    e.ws.move_ticket(&agent, row.id, Stage::InProgress, None)
        .await
        .unwrap();
    let board = e.ws.board(&sup, None).await.unwrap();
    assert_eq!(board.waiting.tickets, 0);
    assert_eq!(board.periods[0].first_response.tickets, 1);
    assert_eq!(board.periods[0].first_response.secs, Some(135));
    let mine = board.agents.iter().find(|a| a.id == agent.id).unwrap();
    assert_eq!(mine.open, 1);
    assert_eq!(mine.first_response.secs, Some(135));

    let err = e.ws.board(&agent, None).await.unwrap_err();
    assert!(matches!(err, StoreError::Domain(_)), "{err}");
    assert_eq!(err.code(), "forbidden");
}

/// Every number on the board clicks through to a list: that list holds exactly the tickets
/// the number counts.
#[tokio::test]
async fn each_figure_lists_exactly_the_tickets_behind_it() {
    use pulsedesk_core::view::{AssigneeFilter, PoolQuery, TimeField, TimeWindow};
    let e = env(400).await;
    let sup = e.first(Role::Supervisor).await;
    let board = e.ws.board(&sup, None).await.unwrap();
    let total = |q: PoolQuery| {
        let ws = &e.ws;
        let sup = &sup;
        async move {
            ws.list_pool(sup, &PoolQuery { limit: 1, ..q })
                .await
                .unwrap()
                .total
        }
    };
    let window = |field, p: &pulsedesk_core::board::PeriodFigures| {
        Some(TimeWindow {
            field,
            from: p.from,
            to: p.to,
        })
    };
    for p in &board.periods {
        let q = |field| PoolQuery {
            window: window(field, p),
            ..Default::default()
        };
        assert_eq!(total(q(TimeField::Created)).await, p.created, "{:?}", p.key);
        assert_eq!(
            total(q(TimeField::FirstResponse)).await,
            p.first_response.tickets,
            "{:?}",
            p.key
        );
        assert_eq!(
            total(q(TimeField::Resolved)).await,
            p.resolution.tickets,
            "{:?}",
            p.key
        );
    }
    let today = &board.periods[0];
    let mut seen_overdue = 0;
    for a in &board.agents {
        let handled = PoolQuery {
            assignee: Some(AssigneeFilter::User(a.id)),
            window: window(TimeField::Resolved, today),
            ..Default::default()
        };
        assert_eq!(total(handled).await, a.handled_today, "{} handled", a.name);
        let overdue = PoolQuery {
            assignee: Some(AssigneeFilter::User(a.id)),
            overdue: Some(true),
            ..Default::default()
        };
        assert_eq!(total(overdue).await, a.overdue, "{} overdue", a.name);
        seen_overdue += a.overdue;
    }
    assert!(seen_overdue > 0, "the demo has overdue tickets");
    // A window that ends before it starts is refused by name.
    let bad =
        e.ws.list_pool(
            &sup,
            &PoolQuery {
                window: Some(TimeWindow {
                    field: TimeField::Created,
                    from: today.to,
                    to: today.from,
                }),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(bad.to_string().contains("window"), "{bad}");
}

/// The tracking table as a live view: pages of the same rows the export writes, latest first.
#[tokio::test]
async fn the_live_tracking_table_pages_the_exported_rows_latest_first() {
    let e = env(400).await;
    let sup = e.first(Role::Supervisor).await;
    let mut all = Vec::new();
    e.ws.tracking_rows::<()>(&sup, None, |r| {
        all.push(r);
        Ok(())
    })
    .await
    .unwrap();
    all.reverse();
    let mut paged = Vec::new();
    let mut offset = 0;
    loop {
        let page = e.ws.tracking_page(&sup, None, offset, 150).await.unwrap();
        assert_eq!(page.total as usize, all.len());
        if page.rows.is_empty() {
            break;
        }
        offset += page.rows.len() as u32;
        paged.extend(page.rows);
    }
    assert_eq!(paged, all);
    let agent = e.agent(0).await;
    let err = e.ws.tracking_page(&agent, None, 0, 10).await.unwrap_err();
    assert_eq!(err.code(), "forbidden");
}
