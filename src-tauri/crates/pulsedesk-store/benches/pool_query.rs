//! Pool query latency on a 100,000-ticket SQLite workspace: p50 / p95 / p99 per query shape.
//! Run with `bench/pool_query.sh` (release build). The seeded file is cached under
//! `target/bench-data/` so later runs skip the seeding.

use chrono::{FixedOffset, TimeZone, Utc};
use pulsedesk_core::clock::ManualClock;
use pulsedesk_core::ids::{TicketTypeId, UserId};
use pulsedesk_core::kinds::{Priority, Role, Stage, Tier};
use pulsedesk_core::permissions::Actor;
use pulsedesk_core::view::{AssigneeFilter, PoolQuery};
use pulsedesk_store::demo::DemoOptions;
use pulsedesk_store::Workspace;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

const TICKETS: usize = 100_000;
const RUNS: usize = 300;

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../target/bench-data");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("pool-{TICKETS}.db"));
    let now = Utc
        .with_ymd_and_hms(2026, 11, 23, 2, 0, 0)
        .single()
        .ok_or("time")?;
    let clock = Arc::new(ManualClock::new(
        now,
        FixedOffset::east_opt(8 * 3600).ok_or("tz")?,
    ));
    let ws = Workspace::open(&path, clock).await?;
    let t = Instant::now();
    if ws
        .seed_demo(DemoOptions {
            tickets: TICKETS,
            days: 365,
            seed: 7,
        })
        .await?
    {
        eprintln!(
            "seeded {TICKETS} tickets in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    let accounts = ws.accounts().await?;
    let sup = accounts
        .iter()
        .find(|a| a.role == Role::Supervisor)
        .ok_or("no supervisor")?;
    let agent = accounts
        .iter()
        .find(|a| a.role == Role::Agent)
        .ok_or("no agent")?;
    let sup = Actor {
        id: sup.id,
        role: sup.role,
    };
    let agent = Actor {
        id: agent.id,
        role: agent.role,
    };
    let page = |q: PoolQuery| PoolQuery { limit: 200, ..q };

    let cases: Vec<(&str, Actor, PoolQuery)> = vec![
        (
            "supervisor: whole pool, first page",
            sup,
            page(PoolQuery::default()),
        ),
        (
            "supervisor: stage + priority",
            sup,
            page(PoolQuery {
                stage: Some(Stage::InProgress),
                priority: Some(Priority::High),
                ..Default::default()
            }),
        ),
        (
            "supervisor: open, VIP, one type",
            sup,
            page(PoolQuery {
                open_only: true,
                tier: Some(Tier::Vip),
                type_id: Some(TicketTypeId(2)),
                ..Default::default()
            }),
        ),
        (
            "supervisor: one agent's tickets",
            sup,
            page(PoolQuery {
                assignee: Some(AssigneeFilter::User(UserId(5))),
                ..Default::default()
            }),
        ),
        (
            "supervisor: unassigned, channel",
            sup,
            page(PoolQuery {
                assignee: Some(AssigneeFilter::Nobody),
                channel: Some(pulsedesk_core::kinds::Channel::Phone),
                ..Default::default()
            }),
        ),
        (
            "agent: pool + own (scoped)",
            agent,
            page(PoolQuery::default()),
        ),
        (
            "agent: my open tickets",
            agent,
            page(PoolQuery {
                assignee: Some(AssigneeFilter::Me),
                open_only: true,
                ..Default::default()
            }),
        ),
        (
            "search: number prefix",
            sup,
            page(PoolQuery {
                search: Some("CS202611".into()),
                ..Default::default()
            }),
        ),
        (
            "search: exact number",
            sup,
            page(PoolQuery {
                search: Some("CS2026112001".into()),
                ..Default::default()
            }),
        ),
        (
            "search: subject text",
            sup,
            page(PoolQuery {
                search: Some("闪退".into()),
                ..Default::default()
            }),
        ),
        (
            "search: customer name",
            sup,
            page(PoolQuery {
                search: Some("张伟".into()),
                ..Default::default()
            }),
        ),
        (
            "deep page (offset 50,000)",
            sup,
            page(PoolQuery {
                offset: 50_000,
                ..Default::default()
            }),
        ),
    ];

    println!(
        "| query ({TICKETS} tickets, page of 200 + total) | p50 ms | p95 ms | p99 ms | matches |"
    );
    println!("|---|---|---|---|---|");
    for (name, actor, q) in cases {
        for _ in 0..20 {
            ws.list_pool(&actor, &q).await?;
        }
        let mut times = Vec::with_capacity(RUNS);
        let mut total = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            total = ws.list_pool(&actor, &q).await?.total;
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "| {name} | {:.2} | {:.2} | {:.2} | {total} |",
            percentile(&times, 0.5),
            percentile(&times, 0.95),
            percentile(&times, 0.99)
        );
    }
    Ok(())
}
