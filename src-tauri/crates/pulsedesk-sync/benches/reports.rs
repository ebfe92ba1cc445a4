//! Long-range reports in team mode on a real PostgreSQL server (`PULSEDESK_TEST_PG`, see
//! bench/reports.sh): a year of a 3,000-a-day team (1,000,000 tickets by default,
//! `PULSEDESK_BENCH_TICKETS` overrides) on the server; a weekly review and a monthly report
//! older than the replica's window, each read from the server into a period workspace as a
//! supervisor (row-level security applying) and computed there.
//!
//! The tickets are copies of one ticket taken through its life by real commands (logged,
//! claimed, worked, finished), spread evenly over the year, inserted by the owner in bulk.
//!
//! Then the live board in team mode: a supervisor's desktop and an agent's desktop, each a
//! replica of what its member may see (open tickets and 30 days of finished ones) filled
//! from that server; the agent logs a ticket and the time is taken until the supervisor's
//! board, computed from its replica, shows it.
//!
//! `PULSEDESK_BENCH_PHASES` picks phases: `w` weekly review, `m` monthly report, `b` board.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::{DateTime, Days, Duration as Span, Utc};
use common::{desk, Quiet, Watch};
use pulsedesk_core::board::midnight;
use pulsedesk_core::clock::Clock;
use pulsedesk_core::command::{Command, Envelope};
use pulsedesk_core::kinds::{Outcome, Role, Stage};
use pulsedesk_core::review::{monday_of, month_of};
use pulsedesk_core::ticket::TicketCommand;
use pulsedesk_shared::snapshot::PERIOD_CHUNK;
use pulsedesk_shared::testing::{create, db, new_ticket, TestDb};
use pulsedesk_sync::Options;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

fn tickets() -> i64 {
    std::env::var("PULSEDESK_BENCH_TICKETS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

/// Whether phase `p` runs (all by default).
fn phase(p: char) -> bool {
    std::env::var("PULSEDESK_BENCH_PHASES").map_or(true, |v| v.contains(p))
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n = tickets();
    let db = db().await;
    // The team service applies what the desktops submit.
    let _service = db.service().await;
    let sup = db.member("陈静", Role::Supervisor).await;
    let agent = db.member("吴婷", Role::Agent).await;
    let chen = db.connect(&sup).await;
    let wu = db.as_member(&db.connect(&agent).await).await;
    let now = db.clock.now();

    // The template: one ticket through its whole life.
    let t = create(&db, &chen, "模板工单").await;
    let act = |change| {
        let env = Envelope::new(db.clock.now(), Command::Ticket { ticket: t, change });
        let wu = wu.clone();
        async move { wu.apply(&env).await.unwrap() }
    };
    db.clock.advance(Span::minutes(7));
    act(TicketCommand::Claim).await;
    db.clock.advance(Span::minutes(5));
    act(TicketCommand::Move {
        to: Stage::InProgress,
        outcome: None,
    })
    .await;
    db.clock.advance(Span::minutes(40));
    act(TicketCommand::Move {
        to: Stage::Done,
        outcome: Some(Outcome::Fully),
    })
    .await;

    // Copies over the year before `now`: each logged `gap` after the one before, finished
    // like the template unless logged in the last day (those are still waiting).
    let owner = db.owner.pool();
    let started = Instant::now();
    let gap_ms = 365.0 * 86_400_000.0 / n as f64;
    let first = now - Span::days(365);
    sqlx::query("ALTER TABLE tickets DISABLE TRIGGER USER")
        .execute(owner)
        .await
        .unwrap();
    sqlx::query("ALTER TABLE ticket_events DISABLE TRIGGER USER")
        .execute(owner)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO tickets (number, channel, type_id, customer_id, tier, priority,
             priority_rank, subject, description, stage, assignee_id, outcome, round,
             created_at, updated_at, first_response_at, resolved_at)
         SELECT 'B' || lpad(g::text, 8, '0'), t.channel, t.type_id, t.customer_id, t.tier,
             t.priority, t.priority_rank, t.subject || ' ' || g, t.description,
             CASE WHEN c.at < $4 THEN 'done' ELSE 'unassigned' END,
             CASE WHEN c.at < $4 THEN t.assignee_id END,
             CASE WHEN c.at < $4 THEN t.outcome END, 1, c.at,
             c.at + (t.updated_at - t.created_at),
             CASE WHEN c.at < $4 THEN c.at + (t.first_response_at - t.created_at) END,
             CASE WHEN c.at < $4 THEN c.at + (t.resolved_at - t.created_at) END
         FROM tickets t, generate_series(1, $2) g,
              LATERAL (SELECT $3 + (g * $5) * interval '1 millisecond' AS at) c
         WHERE t.id = $1",
    )
    .bind(t.0)
    .bind(n)
    .bind(first)
    .bind(now - Span::days(1))
    .bind(gap_ms)
    .execute(owner)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO ticket_events (ticket_id, at, actor_id, kind, data)
         SELECT c.id, c.created_at + (e.at - t.created_at), e.actor_id, e.kind, e.data
         FROM tickets t JOIN ticket_events e ON e.ticket_id = t.id
         CROSS JOIN tickets c
         WHERE t.id = $1 AND c.id <> $1
           AND (c.stage = 'done' OR e.id = (SELECT min(id) FROM ticket_events WHERE ticket_id = $1))
         ORDER BY c.id, e.id",
    )
    .bind(t.0)
    .execute(owner)
    .await
    .unwrap();
    for table in ["tickets", "ticket_events"] {
        sqlx::query(&format!("ALTER TABLE {table} ENABLE TRIGGER USER"))
            .execute(owner)
            .await
            .unwrap();
        // Vacuumed now, as a server's autovacuum would have done long ago: not while the
        // figures are taken.
        sqlx::query(&format!("VACUUM (ANALYZE) {table}"))
            .execute(owner)
            .await
            .unwrap();
    }
    let events: i64 = sqlx::query_scalar("SELECT count(*) FROM ticket_events")
        .fetch_one(owner)
        .await
        .unwrap();
    println!(
        "seeded {n} tickets, {events} events in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let clock = db.clock.clone();
    let today = clock.local_day(now);
    let dir = tempfile::tempdir().unwrap();
    let actor = chen.actor();
    let mut k = 0;
    let mut period = |since: DateTime<Utc>, until: DateTime<Utc>| {
        k += 1;
        let path = dir.path().join(format!("period-{k}.db"));
        let chen = chen.clone();
        let clock = clock.clone();
        async move {
            let start = Instant::now();
            let ws =
                pulsedesk_sync::period_workspace(&chen, clock, &path, (since, until), PERIOD_CHUNK)
                    .await
                    .unwrap();
            (ws, start.elapsed().as_secs_f64())
        }
    };

    if phase('b') {
        board(&db, &sup, &agent, n).await;
    }
    // A weekly review ten weeks back (with the week before it).
    let monday = monday_of(today - Days::new(70));
    let (since, until) = (
        midnight(clock.as_ref(), monday - Days::new(7)),
        midnight(clock.as_ref(), monday + Days::new(7)),
    );
    let (mut read, mut report, mut held) = (Vec::new(), Vec::new(), 0);
    for _ in 0..if phase('w') { 5 } else { 0 } {
        let (ws, r) = period(since, until).await;
        let start = Instant::now();
        let review = ws.weekly_review(&actor, monday).await.unwrap();
        report.push(start.elapsed().as_secs_f64());
        read.push(r);
        held = review.agents.iter().map(|a| a.this_week.resolved).sum();
        ws.close().await;
    }
    if !read.is_empty() {
        let (r, w) = (median(&mut read), median(&mut report));
        let server = server_alone(&chen, since, until).await;
        println!(
        "| Weekly review from PostgreSQL, {n} tickets, a week ten weeks back | {:.2} s median of 5: period read {r:.2} s + review {w:.2} s ({held} resolved that week; the server's side alone {server:.2} s) |",
        r + w
    );
    }

    // The monthly report of three months back (with the month before it).
    let (first_day, next) = month_of(today - Days::new(90));
    let (prev, _) = month_of(first_day - Days::new(1));
    let (since, until) = (
        midnight(clock.as_ref(), prev),
        midnight(clock.as_ref(), next),
    );
    if !phase('m') {
        return;
    }
    let (mut read, mut report, mut logged) = (Vec::new(), Vec::new(), 0);
    for _ in 0..3 {
        let (ws, r) = period(since, until).await;
        let start = Instant::now();
        let m = ws.monthly_report(&actor, first_day).await.unwrap();
        report.push(start.elapsed().as_secs_f64());
        read.push(r);
        logged = m.this_month.logged;
        ws.close().await;
    }
    let (r, m) = (median(&mut read), median(&mut report));
    let server = server_alone(&chen, since, until).await;
    println!(
        "| Monthly report from PostgreSQL, {n} tickets, three months back | {:.2} s median of 3: period read {r:.2} s + report {m:.2} s ({logged} logged that month; the server's side alone {server:.2} s) |",
        r + m
    );
}

/// Seconds to read a period from the server without writing it anywhere: the server's and
/// the driver's share of a period read.
async fn server_alone(
    shared: &pulsedesk_shared::Shared,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> f64 {
    let start = Instant::now();
    let mut period = shared.period(since, until, PERIOD_CHUNK).await.unwrap();
    while let Some(chunk) = period.tickets.recv().await {
        chunk.unwrap();
    }
    start.elapsed().as_secs_f64()
}

/// The live board in team mode over the server's `n` tickets: the agent's desktop logs a
/// ticket; the time until the supervisor's board, from its replica, counts it among the
/// waiting.
async fn board(db: &TestDb, sup: &str, agent: &str, n: i64) {
    const RUNS: usize = 50;
    // Nobody assigns: the new tickets stay waiting, where the board counts them.
    let options = Options {
        ..Options::default()
    };
    let started = Instant::now();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let chen = desk(db, sup, options.clone(), Arc::new(Watch(tx))).await;
    let filled = started.elapsed().as_secs_f64();
    let wu = desk(db, agent, options, Arc::new(Quiet)).await;
    let held: i64 = sqlx::query_scalar("SELECT count(*) FROM tickets")
        .fetch_one(chen.ws.pool())
        .await
        .unwrap();
    let mut whole = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        std::hint::black_box(chen.ws.board(&chen.actor, None).await.unwrap());
        whole.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let (mut shown, mut synced) = (Vec::new(), Vec::new());
    for i in 0..RUNS {
        db.clock.advance(Span::seconds(30));
        let before = chen
            .ws
            .board(&chen.actor, None)
            .await
            .unwrap()
            .waiting
            .tickets;
        while rx.try_recv().is_ok() {}
        let t = Instant::now();
        wu.ws
            .create_ticket(&wu.actor, &new_ticket(&format!("看板 {i}")))
            .await
            .unwrap();
        wu.engine.kick();
        loop {
            let told = tokio::time::timeout(Duration::from_secs(30), rx.recv()).await;
            assert!(
                matches!(told, Ok(Some(_))),
                "the supervisor's desktop was never told"
            );
            let replica = t.elapsed().as_secs_f64() * 1000.0;
            let now = chen.ws.board(&chen.actor, None).await.unwrap();
            if now.waiting.tickets == before + 1 {
                shown.push(t.elapsed().as_secs_f64() * 1000.0);
                synced.push(replica);
                break;
            }
        }
    }
    whole.sort_by(f64::total_cmp);
    shown.sort_by(f64::total_cmp);
    synced.sort_by(f64::total_cmp);
    let p = |v: &[f64], q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "| Board in team mode, {n} tickets on PostgreSQL: the supervisor's replica ({held} tickets) filled in {filled:.1} s; the whole board {:.1} ms p50, {:.1} ms p99; an agent's new ticket on the supervisor's board {:.1} ms p50, {:.1} ms p99, {:.1} ms max of {RUNS} (in the supervisor's replica {:.1} ms p50, {:.1} ms p99) |",
        p(&whole, 0.5),
        p(&whole, 0.99),
        p(&shown, 0.5),
        p(&shown, 0.99),
        shown[RUNS - 1],
        p(&synced, 0.5),
        p(&synced, 0.99),
    );
    wu.engine.stop().await;
    chen.engine.stop().await;
}
