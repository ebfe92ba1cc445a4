//! SLA scheduler figures on 10,000 open tickets (release build; `bench/scheduler.sh`):
//!
//! 1. re-targeting every open ticket after a policy edit;
//! 2. lateness of warnings: 20,000 thresholds (near breach and breach of each ticket) spread
//!    over about a minute of real time, each raised through the store as in the app, with a
//!    supervisor signed in (every alert concerns them);
//! 3. CPU used by the scheduler while idle with all those tickets watched.
//!
//! The tickets are created with a manual clock; the scheduler then runs on the real clock
//! shifted by a constant, so the thresholds fall a few seconds after it starts.

use chrono::{DateTime, Duration as ChronoDuration, FixedOffset, Offset, Utc};
use pulsedesk_alerts::{Notifier, Popup, Presence, Scheduler, Viewer};
use pulsedesk_core::clock::{Clock, ManualClock};
use pulsedesk_core::ids::TicketTypeId;
use pulsedesk_core::kinds::{Channel, Priority, Role, Tier};
use pulsedesk_core::permissions::Actor;
use pulsedesk_core::sla::notice::Lang;
use pulsedesk_core::sla::setup::PolicyInput;
use pulsedesk_core::view::{CustomerChoice, NewCustomer, NewTicket};
use pulsedesk_store::demo::DemoOptions;
use pulsedesk_store::Workspace;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TICKETS: usize = 10_000;
/// Spacing of ticket creation: 10,000 × 4 ms = 40 s of thresholds per level.
const STEP_MS: i64 = 4;

/// The real clock, shifted by a constant.
struct Shifted(ChronoDuration);

impl Clock for Shifted {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.0
    }
    fn offset_at(&self, _at: DateTime<Utc>) -> FixedOffset {
        Utc.fix()
    }
}

struct Supervisor(Viewer);
impl Presence for Supervisor {
    fn viewer(&self) -> Option<Viewer> {
        Some(self.0.clone())
    }
}

#[derive(Default)]
struct Count(AtomicUsize);
impl Notifier for Count {
    fn show(&self, _popup: Popup) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

fn policy(first: u32, resolution: u32) -> PolicyInput {
    PolicyInput {
        name: "bench".into(),
        priorities: vec![Priority::Urgent],
        type_ids: vec![],
        tiers: vec![],
        first_response_minutes: first,
        resolution_minutes: resolution,
        near_percent: 80,
        pause_awaiting_reply: true,
        calendar_id: None,
    }
}

fn ticket(i: usize) -> NewTicket {
    NewTicket {
        channel: Channel::Chat,
        type_id: TicketTypeId(1 + (i % 4) as i64),
        customer: CustomerChoice::New(NewCustomer {
            name: format!("客户{i}"),
            phone: format!("139{:08}", i),
            email: String::new(),
            tier: if i.is_multiple_of(5) {
                Tier::Vip
            } else {
                Tier::Normal
            },
        }),
        priority: Priority::Urgent,
        subject: format!("压测工单 {i}"),
        description: String::new(),
        departments: vec![],
        attachments: vec![],
    }
}

/// Appends four stage moves to every ticket's log, a second apart, and projects the stage.
async fn work_every_ticket(ws: &Workspace) -> Result<(), Box<dyn std::error::Error>> {
    let moves = [
        ("unassigned", "to_contact"),
        ("to_contact", "in_progress"),
        ("in_progress", "awaiting_reply"),
        ("awaiting_reply", "in_progress"),
    ];
    let mut tx = ws.pool().begin().await?;
    for (i, (from, to)) in moves.iter().enumerate() {
        let data =
            format!(r#"{{"type":"stage_changed","from":"{from}","to":"{to}","outcome":null}}"#);
        sqlx::query(
            "INSERT INTO ticket_events (ticket_id, at, actor_id, kind, data, mark)
             SELECT id, created_at + ?, NULL, 'stage_changed', ?, ? FROM tickets",
        )
        .bind((i as i64 + 1) * 1000)
        .bind(data)
        .bind(to)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("UPDATE tickets SET stage = 'in_progress'")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// How many clock events the open tickets have.
async fn clock_events(ws: &Workspace) -> Result<(i64,), Box<dyn std::error::Error>> {
    Ok(sqlx::query_as(
        "SELECT COUNT(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
         WHERE t.stage <> 'done' AND e.kind IN ('created', 'stage_changed', 'reopened')",
    )
    .fetch_one(ws.pool())
    .await?)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// CPU time of this process (user + system), from /proc.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    // Linux reports in USER_HZ, which is 100 on every mainstream build.
    Some(Duration::from_millis(ticks * 10))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("ws.db");
    let base = Utc::now() - ChronoDuration::hours(1);
    let manual = Arc::new(ManualClock::new(base, Utc.fix()));
    let ws = Workspace::open(&path, manual.clone()).await?;
    ws.seed_demo(DemoOptions {
        tickets: 0,
        ..Default::default()
    })
    .await?;
    let accounts = ws.accounts().await?;
    let who = |role| -> Result<Actor, String> {
        let a = accounts
            .iter()
            .find(|a| a.role == role)
            .ok_or("no such member")?;
        Ok(Actor { id: a.id, role })
    };
    let (admin, agent, sup) = (who(Role::Admin)?, who(Role::Agent)?, who(Role::Supervisor)?);
    let bench_policy = ws.save_sla_policy(&admin, None, &policy(1, 60)).await?;

    let t = Instant::now();
    for i in 0..TICKETS {
        ws.create_ticket(&agent, &ticket(i)).await?;
        manual.advance(ChronoDuration::milliseconds(STEP_MS));
    }
    eprintln!(
        "created {TICKETS} tickets in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    // 1. An admin edits the policy: saving it re-targets every open ticket (timed whole:
    //    validation, the policy write, re-computing and re-writing 10,000 projections).
    let mut retarget = Vec::new();
    for run in 0..8u32 {
        let edited = policy(1 + run % 2, 60 + run);
        let t = Instant::now();
        ws.save_sla_policy(&admin, Some(bench_policy.id), &edited)
            .await?;
        retarget.push(ms(t.elapsed()));
    }
    ws.save_sla_policy(&admin, Some(bench_policy.id), &policy(1, 60))
        .await?;
    retarget.sort_by(f64::total_cmp);
    ws.close().await;

    // 1b. The same with worked tickets: a copy where every ticket was taken and went
    //     to contact → in progress → waiting on the customer → in progress (five clock
    //     events each, a paused stretch to add up).
    let worked_dir = tempfile::tempdir()?;
    let worked_path = worked_dir.path().join("worked.db");
    std::fs::copy(&path, &worked_path)?;
    let worked = Workspace::open(&worked_path, manual.clone()).await?;
    work_every_ticket(&worked).await?;
    let open = worked.watched_tickets().await?.len();
    let (events,) = clock_events(&worked).await?;
    let mut worked_retarget = Vec::new();
    for run in 0..8u32 {
        let edited = policy(1 + run % 2, 60 + run);
        let t = Instant::now();
        worked
            .save_sla_policy(&admin, Some(bench_policy.id), &edited)
            .await?;
        worked_retarget.push(ms(t.elapsed()));
    }
    worked_retarget.sort_by(f64::total_cmp);
    worked.close().await;

    // 2. Lateness. First thresholds (near breach at 48 s) come 3 s after the scheduler starts.
    let shift = (base + ChronoDuration::seconds(45)) - Utc::now();
    let clock = Arc::new(Shifted(shift));
    let ws = Workspace::open(&path, clock.clone()).await?;
    let lateness: Arc<Mutex<Vec<f64>>> = Arc::default();
    let sink = lateness.clone();
    let probe = clock.clone();
    let shown = Arc::new(Count::default());
    let presence = Arc::new(Supervisor(Viewer {
        user: sup.id,
        role: Role::Supervisor,
        lang: Lang::Zh,
        dnd_until: None,
    }));
    let (handle, task) = Scheduler::new(ws.clone(), presence, shown.clone())
        .on_raised(Arc::new(move |records| {
            let now = probe.now();
            let mut l = sink.lock().unwrap_or_else(|e| e.into_inner());
            for r in records {
                l.push(
                    (now - r.facts.due.at)
                        .num_microseconds()
                        .unwrap_or(i64::MAX) as f64
                        / 1000.0,
                );
            }
        }))
        .start();
    tokio::spawn(task);
    let started = Instant::now();
    let want = 2 * TICKETS;
    while lateness.lock().map(|l| l.len()).unwrap_or(0) < want
        && started.elapsed() < Duration::from_secs(150)
    {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let mut late = lateness.lock().map(|l| l.clone()).unwrap_or_default();
    late.sort_by(f64::total_cmp);

    // 3. Idle: every ticket re-targeted to a day away, nothing due; measure CPU for 20 s.
    ws.save_sla_policy(&admin, Some(bench_policy.id), &policy(24 * 60, 72 * 60))
        .await?;
    handle.rules_changed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (c0, w0) = (cpu_time(), Instant::now());
    tokio::time::sleep(Duration::from_secs(20)).await;
    let idle = match (c0, cpu_time()) {
        (Some(a), Some(b)) => Some(100.0 * (b - a).as_secs_f64() / w0.elapsed().as_secs_f64()),
        _ => None,
    };
    handle.stop();

    println!("| figure | value |");
    println!("|---|---|");
    println!(
        "| policy edit re-targeting {TICKETS} open tickets | p50 {:.0} ms, max {:.0} ms (8 edits) |",
        pct(&retarget, 0.5),
        retarget[retarget.len() - 1]
    );
    println!(
        "| the same, tickets worked ({open} open tickets, {events} clock events) | p50 {:.0} ms, max {:.0} ms (8 edits) |",
        pct(&worked_retarget, 0.5),
        worked_retarget[worked_retarget.len() - 1]
    );
    if late.is_empty() {
        println!("| warning lateness | no warnings raised |");
    } else {
        println!(
            "| warning lateness ({} of {want} raised, {} pop-ups) | p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms |",
            late.len(),
            shown.0.load(Ordering::Relaxed),
            pct(&late, 0.5),
            pct(&late, 0.99),
            late[late.len() - 1]
        );
    }
    match idle {
        Some(p) => println!(
            "| scheduler CPU while idle, {TICKETS} tickets watched | {p:.2}% of one core (20 s) |"
        ),
        None => println!("| scheduler CPU while idle | not measurable here (no /proc) |"),
    }
    Ok(())
}
