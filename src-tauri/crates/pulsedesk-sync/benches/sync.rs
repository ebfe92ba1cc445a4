//! Sync figures on a real PostgreSQL server (`PULSEDESK_TEST_PG`, see bench/sync.sh):
//! 1. a command on desktop A visible in desktop B's replica, 50 desktops connected, one
//!    command at a time;
//! 2. the same under about 1,000 commands/s from those 50 desktops;
//! 3. catching up 10,000 changes made while a desktop was offline;
//! 4. the load of 2 sent by the 50 members' own sessions, B the one replica running here
//!    (what one desktop on its own machine sees; in 2 all 50 replicas share 2 cores).
//!
//! Visibility is measured where the UI would see it: the change is in B's SQLite replica
//! (B's observer is told, then the note count is read from B's file).

#![allow(clippy::unwrap_used)]

mod common;

use common::{desk, Desk, Quiet, Watch};
use pulsedesk_core::clock::Clock;
use pulsedesk_core::command::{Applied, Command, Envelope};
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::kinds::{NoteAudience, Role};
use pulsedesk_shared::testing::{db, new_ticket, TestDb, PASSWORD};
use pulsedesk_store::Workspace;
use pulsedesk_sync::{Engine, Login, Options};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// Desktops connected (`PULSEDESK_BENCH_DESKTOPS` overrides, for looking at the cost of one).
fn desktops() -> usize {
    std::env::var("PULSEDESK_BENCH_DESKTOPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50)
}

/// Which phases run (`PULSEDESK_BENCH_PHASES`, e.g. "1" or "13"; 1 to 4 by default; 5
/// only when asked for, without 3: it stops B).
fn phase(n: char) -> bool {
    std::env::var("PULSEDESK_BENCH_PHASES").map_or(n != '5', |p| p.contains(n))
}

/// For each ticket, when B's replica first showed each note count.
type Seen = Arc<Mutex<HashMap<i64, Vec<(i64, Instant)>>>>;

/// Reads B's note counts for every ticket B's engine reports changed.
fn watcher(ws: Workspace, mut rx: mpsc::UnboundedReceiver<Vec<TicketId>>) -> Seen {
    let seen: Seen = Arc::default();
    let out = seen.clone();
    tokio::spawn(async move {
        while let Some(ids) = rx.recv().await {
            let ids: Vec<i64> = ids.iter().map(|t| t.0).collect();
            let counts: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT ticket_id, count(*) FROM notes
                 WHERE ticket_id IN (SELECT value FROM json_each(?)) GROUP BY ticket_id",
            )
            .bind(serde_json::to_string(&ids).unwrap())
            .fetch_all(ws.pool())
            .await
            .unwrap();
            let at = Instant::now();
            let mut out = out.lock().unwrap();
            for (id, n) in counts {
                out.entry(id).or_default().push((n, at));
            }
        }
    });
    seen
}

/// When B first showed at least `count` notes on `ticket`.
fn visible(seen: &Seen, ticket: i64, count: i64) -> Option<Instant> {
    seen.lock()
        .unwrap()
        .get(&ticket)?
        .iter()
        .find(|(n, _)| *n >= count)
        .map(|(_, at)| *at)
}

/// CPU seconds the throwaway PostgreSQL server has used so far: the postmaster and every
/// process it started (`/proc`, Linux), or `None` when it cannot be read.
fn server_cpu() -> Option<f64> {
    let dir = std::env::var("PULSEDESK_TEST_PG_DIR").ok()?;
    let pid: u32 = std::fs::read_to_string(format!("{dir}/data/postmaster.pid"))
        .ok()?
        .lines()
        .next()?
        .trim()
        .parse()
        .ok()?;
    let mut ticks = 0u64;
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // After the command's name (in parentheses, maybe with spaces): state, ppid, …
        let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let me: u32 = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let parent: u32 = fields.get(1).and_then(|f| f.parse().ok()).unwrap_or(0);
        if me == pid || parent == pid {
            // utime and stime, fields 14 and 15 of stat (11 and 12 after the name).
            let used: u64 = fields[11..13]
                .iter()
                .filter_map(|f| f.parse::<u64>().ok())
                .sum();
            ticks += used;
        }
    }
    // Clock ticks are 1/100 s on Linux.
    Some(ticks as f64 / 100.0)
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn wait_seen(seen: &Seen, ticket: i64, count: i64) -> Instant {
    let end = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(at) = visible(seen, ticket, count) {
            return at;
        }
        assert!(
            Instant::now() < end,
            "ticket {ticket} never showed {count} notes"
        );
        tokio::time::sleep(Duration::from_micros(200)).await;
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    // Sync warnings (a desktop going offline, say) are shown: a bench whose desktops
    // reconnect is measuring something else.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let desks = desktops().max(2);
    let db = db().await;
    // The team service applies what the desktops submit.
    let _service = db.service().await;
    let sup_a = db.member("陈静", Role::Supervisor).await;
    let sup_b = db.member("刘洋", Role::Supervisor).await;
    let mut others = Vec::new();
    for i in 0..desks - 2 {
        others.push(db.member(&format!("desk{i}"), Role::Supervisor).await);
    }
    // 100 open tickets to write notes on, logged by the owner's side of the test.
    let creator = db.connect(&sup_a).await;
    let mut tickets = Vec::new();
    for i in 0..100 {
        let env = Envelope::new(
            db.clock.now(),
            Command::CreateTicket {
                ticket: new_ticket(&format!("工单 {i}")),
            },
        );
        match db.as_member(&creator).await.apply(&env).await.unwrap() {
            Applied::Done { ticket } => tickets.push(ticket),
            Applied::AlreadyApplied => unreachable!(),
        }
    }

    let (tx, rx) = mpsc::unbounded_channel();
    let b = desk(&db, &sup_b, Options::default(), Arc::new(Watch(tx))).await;
    let seen = watcher(b.ws.clone(), rx);
    let a = desk(&db, &sup_a, Options::default(), Arc::new(Quiet)).await;
    let mut rest = Vec::new();
    for l in &others {
        rest.push(desk(&db, l, Options::default(), Arc::new(Quiet)).await);
    }
    println!("{desks} desktops connected");

    // 1. One command at a time, A → B.
    // Notes go round 50 tickets, so no ticket grows unusually long.
    let mut lat = Vec::new();
    let cpu_before = server_cpu();
    for k in 1..=300i64 {
        let t = tickets[50 + (k as usize % 50)];
        let start = Instant::now();
        a.ws.add_note(&a.actor, t, NoteAudience::Internal, "单条")
            .await
            .unwrap();
        a.engine.kick();
        let at = wait_seen(&seen, t.0, (k - 1) / 50 + 1).await;
        if k > 20 {
            lat.push(at.duration_since(start).as_secs_f64() * 1000.0);
        }
    }
    let cpu = server_cpu()
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    lat.sort_by(f64::total_cmp);
    println!(
        "| A → B visible, {desks} desktops, one at a time | {:.2} ms p50, {:.2} ms p99, {:.2} ms max of {} |",
        pct(&lat, 0.5),
        pct(&lat, 0.99),
        lat[lat.len() - 1],
        lat.len()
    );
    if let Some(cpu) = cpu {
        // Each change: A's submission, the service's apply and every desktop's pull.
        println!(
            "| Server CPU per change, {desks} desktops following (submit, apply, {desks} pulls) | {:.2} ms ({:.0} µs per desktop) |",
            cpu * 1000.0 / 300.0,
            cpu * 1e6 / 300.0 / desks as f64
        );
    }

    if phase('2') {
        load(&a, &rest, &b, &tickets, &seen).await;
    }
    if phase('4') {
        let mut logins = vec![sup_a.clone()];
        logins.extend(others.iter().cloned());
        logins.push(sup_b.clone());
        for d in std::iter::once(&a).chain(rest.iter()) {
            d.engine.stop().await;
        }
        sessions(&db, &logins, &tickets, Some(&seen)).await;
    }
    if phase('5') && !phase('3') {
        // The service alone: no replica on this machine (the members' are on theirs).
        let mut logins = vec![sup_a.clone()];
        logins.extend(others.iter().cloned());
        logins.push(sup_b.clone());
        for d in std::iter::once(&a)
            .chain(rest.iter())
            .chain(std::iter::once(&b))
        {
            d.engine.stop().await;
        }
        sessions(&db, &logins, &tickets, None).await;
    }
    if phase('3') {
        catch_up(&db, a, rest, b, &sup_a, &sup_b).await;
    }
}

/// 2. About 1,000 commands/s: each desktop writes a note on its own ticket every 50 ms.
async fn load(a: &Desk, rest: &[Desk], b: &Desk, tickets: &[TicketId], seen: &Seen) {
    let desks = rest.len() + 2;
    // 2. About 1,000 commands/s: each of the 50 desktops writes a note on its own ticket
    // every 50 ms for 10 s.
    let all: Vec<&Desk> = std::iter::once(a)
        .chain(rest.iter())
        .chain(std::iter::once(b))
        .collect();
    let issued: Arc<Mutex<Vec<(i64, i64, Instant)>>> = Arc::default();
    let secs = 10u64;
    let began = Instant::now();
    let runs = all.iter().enumerate().map(|(i, d)| {
        let issued = issued.clone();
        let ticket = tickets[1 + i];
        async move {
            let mut tick = tokio::time::interval(Duration::from_millis(50));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
            let mut count = 0;
            while began.elapsed() < Duration::from_secs(secs) {
                tick.tick().await;
                let at = Instant::now();
                d.ws.add_note(&d.actor, ticket, NoteAudience::Internal, "负载")
                    .await
                    .unwrap();
                d.engine.kick();
                count += 1;
                issued.lock().unwrap().push((ticket.0, count, at));
            }
        }
    });
    futures_util::future::join_all(runs).await;
    let issued = issued.lock().unwrap().clone();
    report(
        &format!("A → B visible under load, {desks} desktops"),
        &issued,
        began,
        secs,
        seen,
    )
    .await;
}

/// Prints how long each issued command (ticket, note count, when) took to show in B, over
/// the whole run and in each half of it — a growing lag shows as a worse second half.
async fn report(
    what: &str,
    issued: &[(i64, i64, Instant)],
    began: Instant,
    secs: u64,
    seen: &Seen,
) {
    let rate = issued.len() as f64 / began.elapsed().as_secs_f64();
    let (mut all, mut early, mut late) = (Vec::new(), Vec::new(), Vec::new());
    for (ticket, count, at) in issued {
        let ms = wait_seen(seen, *ticket, *count)
            .await
            .duration_since(*at)
            .as_secs_f64()
            * 1000.0;
        all.push(ms);
        if at.duration_since(began) > Duration::from_secs(secs / 2) {
            late.push(ms);
        } else {
            early.push(ms);
        }
    }
    for v in [&mut all, &mut early, &mut late] {
        v.sort_by(f64::total_cmp);
    }
    println!(
        "| {what}, {rate:.0} commands/s for {secs} s | {:.1} ms p50, {:.1} ms p99, {:.1} ms max of {}; p99 first half {:.1} ms, second half {:.1} ms |",
        pct(&all, 0.5),
        pct(&all, 0.99),
        all[all.len() - 1],
        all.len(),
        pct(&early, 0.99),
        pct(&late, 0.99),
    );
}

/// Phase 4: the same ~1,000 commands/s from the 50 members (`PULSEDESK_BENCH_EVERY_MS`
/// per session: 25 for 2,000/s), each submitted the way a desktop's engine submits it (its
/// own session, one statement) and applied by the team service, while only B runs a
/// replica: what one desktop on its own machine sees, and what the service sustains.
/// (In phase 2, all 50 replicas share this machine.)
async fn sessions(db: &TestDb, logins: &[String], tickets: &[TicketId], seen: Option<&Seen>) {
    let mut base = HashMap::new();
    for t in &tickets[1..=logins.len()] {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM notes WHERE ticket_id = $1")
            .bind(t.0)
            .fetch_one(db.owner.pool())
            .await
            .unwrap();
        if let (true, Some(seen)) = (n > 0, seen) {
            // B holds every note so far before the clock starts.
            wait_seen(seen, t.0, n).await;
        }
        base.insert(t.0, n);
    }
    let mut sessions = Vec::new();
    for l in logins {
        sessions.push(db.connect(l).await);
    }
    let issued: Arc<Mutex<Vec<(i64, i64, Instant)>>> = Arc::default();
    let secs = 10u64;
    // Each session submits one command per `every` (50 ms: 1,000 commands/s from 50).
    let every = Duration::from_millis(
        std::env::var("PULSEDESK_BENCH_EVERY_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(50),
    );
    let began = Instant::now();
    let submitted: Arc<Mutex<Vec<uuid::Uuid>>> = Arc::default();
    let runs = sessions.iter().enumerate().map(|(i, s)| {
        let issued = issued.clone();
        let submitted = submitted.clone();
        let ticket = tickets[1 + i];
        let base = base[&ticket.0];
        async move {
            // One connection held for the run, as a sync session holds one for its sends.
            let mut conn = s.pool().acquire().await.unwrap();
            let mut tick = tokio::time::interval(every.max(Duration::from_millis(1)));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
            let mut count = base;
            if every.is_zero() {
                // All at once (400 a session, in one statement): what the service alone
                // applies per second, with nothing else asking for the machine.
                let notes: Vec<Envelope> = (0..400)
                    .map(|_| {
                        Envelope::new(
                            db.clock.now(),
                            Command::AddNote {
                                ticket,
                                audience: NoteAudience::Internal,
                                body: "负载".into(),
                            },
                        )
                    })
                    .collect();
                let refs: Vec<&Envelope> = notes.iter().collect();
                s.submit(&mut conn, &refs).await.unwrap();
                submitted.lock().unwrap().extend(notes.iter().map(|n| n.id));
                return;
            }
            while began.elapsed() < Duration::from_secs(secs) {
                tick.tick().await;
                let at = Instant::now();
                let note = Envelope::new(
                    db.clock.now(),
                    Command::AddNote {
                        ticket,
                        audience: NoteAudience::Internal,
                        body: "负载".into(),
                    },
                );
                // Submitted, as the member's engine does; the team service applies it.
                s.submit(&mut conn, &[&note]).await.unwrap();
                submitted.lock().unwrap().push(note.id);
                count += 1;
                issued.lock().unwrap().push((ticket.0, count, at));
            }
        }
    });
    futures_util::future::join_all(runs).await;
    let issued = issued.lock().unwrap().clone();
    if let Some(seen) = seen {
        report(
            &format!(
                "Submitted → B visible, {} members' sessions submitting, the service applying, B the one replica",
                logins.len()
            ),
            &issued,
            began,
            secs,
            seen,
        )
        .await;
    }
    // Submitted to applied, as the server's clock saw it, in submission order, once the
    // service has applied everything.
    let ids = submitted.lock().unwrap().clone();
    loop {
        let (waiting,): (i64,) = sqlx::query_as(
            "SELECT count(*) FROM submissions WHERE id = ANY($1) AND outcome IS NULL",
        )
        .bind(&ids)
        .fetch_one(db.owner.pool())
        .await
        .unwrap();
        if waiting == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let rows: Vec<(f64, f64)> = sqlx::query_as(
        "SELECT extract(epoch FROM decided_at - submitted_at)::float8 * 1000,
                extract(epoch FROM decided_at - min(submitted_at) OVER ())::float8
         FROM submissions WHERE id = ANY($1) AND outcome = 'applied' ORDER BY seq",
    )
    .bind(&ids)
    .fetch_all(db.owner.pool())
    .await
    .unwrap();
    let span = rows.iter().map(|r| r.1).fold(0.0, f64::max)
        - if every.is_zero() {
            // From the first applied, not the first submitted: the service's own pace.
            rows.iter().map(|r| r.1).fold(f64::MAX, f64::min)
        } else {
            0.0
        };
    let half = rows.len() / 2;
    let p99 = |part: &[(f64, f64)]| {
        let mut v: Vec<f64> = part.iter().map(|r| r.0).collect();
        v.sort_by(f64::total_cmp);
        (pct(&v, 0.5), pct(&v, 0.99))
    };
    let (p50, all99) = p99(&rows);
    let (_, first99) = p99(&rows[..half]);
    let (_, second99) = p99(&rows[half..]);
    println!(
        "| The service: {} of {} submitted commands applied in {:.1} s ({:.0}/s), submitted → applied | {:.1} ms p50, {:.1} ms p99 (first half {:.1} ms, second half {:.1} ms) |",
        rows.len(),
        ids.len(),
        span,
        rows.len() as f64 / span.max(f64::EPSILON),
        p50,
        all99,
        first99,
        second99
    );
    for s in sessions {
        s.close().await;
    }
}

/// 3. B goes offline; 10,000 changes land; B catches up.
async fn catch_up(db: &TestDb, a: Desk, rest: Vec<Desk>, b: Desk, sup_a: &str, sup_b: &str) {
    let Desk {
        ws: b_ws,
        engine: b_engine,
        ..
    } = b;
    b_engine.stop().await;
    for r in rest {
        r.engine.stop().await;
    }
    let writer = db.connect(sup_a).await;
    let batch: Vec<Envelope> = (0..10_000)
        .map(|i| {
            Envelope::new(
                db.clock.now(),
                Command::CreateTicket {
                    ticket: new_ticket(&format!("离线期间 {i}")),
                },
            )
        })
        .collect();
    let writes = batch.chunks(batch.len() / 4).map(|chunk| {
        let writer = writer.clone();
        async move {
            for e in chunk {
                db.as_member(&writer).await.apply(e).await.unwrap();
            }
        }
    });
    futures_util::future::join_all(writes).await;
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM tickets")
        .fetch_one(b_ws.pool())
        .await
        .unwrap();
    let start = Instant::now();
    let engine = Engine::start(
        b_ws.clone(),
        Login {
            server: db.server.clone(),
            login: sup_b.to_string(),
            password: PASSWORD.into(),
        },
        db.clock.clone(),
        Options::default(),
        Arc::new(Quiet),
    );
    let mut said = Instant::now();
    loop {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM tickets")
            .fetch_one(b_ws.pool())
            .await
            .unwrap();
        if n >= before + 10_000 {
            break;
        }
        if said.elapsed() > Duration::from_secs(5) {
            said = Instant::now();
            let status = engine.status().await;
            eprintln!("catching up: {n} tickets so far, link {:?}", status.link);
            assert!(
                start.elapsed() < Duration::from_secs(300),
                "catch-up did not finish"
            );
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    println!(
        "| Catch-up after 10,000 changes made offline | {:.2} s (10,000 new tickets, whole, into the replica) |",
        start.elapsed().as_secs_f64()
    );
    engine.stop().await;
    a.engine.stop().await;
}
