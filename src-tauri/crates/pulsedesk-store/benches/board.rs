//! The team board on a year of a 3,000-a-day team (1,000,000 tickets) in SQLite: how long
//! the whole board takes to compute, and how long from a ticket change to a board that shows
//! it; the weekly review of a week and the monthly report of a month. Run with `bench/board.sh` (release build); `PULSEDESK_BENCH_TICKETS` overrides the
//! size. The seeded file is cached under `target/bench-data/`.

use chrono::{Duration as Span, FixedOffset, TimeZone, Utc};
use pulsedesk_core::clock::ManualClock;
use pulsedesk_core::ids::TicketTypeId;
use pulsedesk_core::kinds::{Channel, Priority, Role, Tier};
use pulsedesk_core::permissions::Actor;
use pulsedesk_core::view::{CustomerChoice, NewCustomer, NewTicket};
use pulsedesk_store::demo::DemoOptions;
use pulsedesk_store::Workspace;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

const RUNS: usize = 50;

fn new_ticket(i: usize) -> NewTicket {
    NewTicket {
        channel: Channel::Phone,
        type_id: TicketTypeId(1),
        customer: CustomerChoice::New(NewCustomer {
            name: format!("看板测试{i}"),
            phone: "13800001111".into(),
            email: String::new(),
            tier: Tier::Vip,
        }),
        priority: Priority::High,
        subject: "看板基准".into(),
        description: String::new(),
        departments: vec![],
        attachments: vec![],
    }
}

fn ms(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tickets: usize = std::env::var("PULSEDESK_BENCH_TICKETS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../target/bench-data");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("board-{tickets}.db"));
    let now = Utc
        .with_ymd_and_hms(2026, 11, 23, 2, 0, 0)
        .single()
        .ok_or("time")?;
    let clock = Arc::new(ManualClock::new(
        now,
        FixedOffset::east_opt(8 * 3600).ok_or("tz")?,
    ));
    let mut ws = Workspace::open(&path, clock.clone()).await?;
    let t = Instant::now();
    if ws
        .seed_demo(DemoOptions {
            tickets,
            days: 365,
            seed: 11,
        })
        .await?
    {
        eprintln!(
            "seeded {tickets} tickets in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        // Measure the workspace as the app finds it at start, not with the seed's
        // gigabyte-sized write-ahead log still waiting to be checkpointed.
        ws.close().await;
        ws = Workspace::open(&path, clock.clone()).await?;
    }
    // A workspace seeded before surveys existed: give its finished tickets their surveys,
    // seven in ten answered, so the board's CSAT and the reports read a real table.
    let (surveys,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM surveys")
        .fetch_one(ws.pool())
        .await?;
    if surveys == 0 {
        let t = Instant::now();
        let filled = sqlx::query(
            "INSERT INTO surveys (ticket_id, round, sent_at, expires_at, status, answered_at, source,
                 speed, professionalism, resolution, overall, solved, comment, agent_id, type_id, token)
             SELECT id, round, resolved_at, resolved_at + 7 * 86400000,
                    CASE WHEN answered THEN 'answered' ELSE 'pending' END,
                    CASE WHEN answered THEN at END, CASE WHEN answered THEN 'link' END,
                    CASE WHEN answered THEN s END, CASE WHEN answered THEN p END,
                    CASE WHEN answered THEN r END,
                    CASE WHEN answered THEN ((s + p + r) * 20 + 3) / 6 END,
                    CASE WHEN answered THEN 1 END, '', assignee_id, type_id, lower(hex(randomblob(16)))
             FROM (SELECT id, round, resolved_at, assignee_id, type_id,
                          resolved_at + (id % 2000) * 60000 AS at,
                          id % 10 < 7 AND resolved_at + (id % 2000) * 60000 < ?1 AS answered,
                          3 + id % 3 AS s, 2 + (id * 7) % 4 AS p, 1 + (id * 3) % 5 AS r
                   FROM tickets WHERE stage = 'done' AND resolved_at IS NOT NULL)",
        )
        .bind(now.timestamp_millis())
        .execute(ws.pool())
        .await?
        .rows_affected();
        sqlx::query("ANALYZE").execute(ws.pool()).await?;
        eprintln!(
            "added {filled} surveys in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    let accounts = ws.accounts().await?;
    let find = |role| {
        accounts
            .iter()
            .find(|a| a.role == role)
            .map(|a| Actor {
                id: a.id,
                role: a.role,
            })
            .ok_or("no such member")
    };
    let sup = find(Role::Supervisor)?;
    let agent = find(Role::Agent)?;

    // 1. The whole board, nothing changing.
    let mut idle = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        std::hint::black_box(ws.board(&sup, None).await?);
        idle.push(t.elapsed());
    }
    idle.sort();

    // 2. A change, then the board that shows it: a ticket logged into the pool.
    let mut change = Vec::new();
    let mut reflect = Vec::new();
    for i in 0..RUNS {
        clock.advance(Span::seconds(30));
        let before = ws.board(&sup, None).await?.waiting.tickets;
        let t = Instant::now();
        ws.create_ticket(&agent, &new_ticket(i)).await?;
        let written = t.elapsed();
        let board = ws.board(&sup, None).await?;
        let shown = t.elapsed();
        assert_eq!(
            board.waiting.tickets,
            before + 1,
            "the board shows the new ticket"
        );
        change.push(written);
        reflect.push(shown);
    }
    // 3. The weekly review of last week (the full report due each Monday).
    let mut weekly = Vec::new();
    let last_week = chrono::NaiveDate::from_ymd_opt(2026, 11, 16).ok_or("date")?;
    for _ in 0..10 {
        let t = Instant::now();
        std::hint::black_box(ws.weekly_review(&sup, last_week).await?);
        weekly.push(t.elapsed());
    }
    weekly.sort();

    // 4. The monthly report of this month (the month's 90,000 tickets, with handling time
    // read from their logs).
    let mut monthly = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        std::hint::black_box(ws.monthly_report(&sup, last_week).await?);
        monthly.push(t.elapsed());
    }
    monthly.sort();

    change.sort();
    reflect.sort();
    println!("| figure | p50 ms | p99 ms | max ms | runs |");
    println!("|---|---|---|---|---|");
    let row = |name: &str, d: &[Duration]| {
        println!(
            "| {name} | {:.1} | {:.1} | {:.1} | {} |",
            ms(d, 0.5),
            ms(d, 0.99),
            d[d.len() - 1].as_secs_f64() * 1000.0,
            d.len()
        );
    };
    row(&format!("whole board, {tickets} tickets"), &idle);
    row("ticket change written", &change);
    row("change → board showing it", &reflect);
    row("weekly review of last week", &weekly);
    row("monthly report of this month", &monthly);
    Ok(())
}
