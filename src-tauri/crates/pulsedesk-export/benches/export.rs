//! Exporting the ticket status tracking table of 1,000,000 tickets (a year of a 3,000-a-day
//! team) as CSV and XLSX: time, rows a second, and the process's peak memory while writing
//! (reset before each export). Run with `bench/board.sh`; `PULSEDESK_BENCH_TICKETS`
//! overrides the size. Shares the seeded workspace with the board bench.

use chrono::{FixedOffset, TimeZone, Utc};
use pulsedesk_core::clock::ManualClock;
use pulsedesk_core::kinds::Role;
use pulsedesk_core::permissions::Actor;
use pulsedesk_core::sla::notice::Lang;
use pulsedesk_core::tables::TableFormat;
use pulsedesk_store::demo::DemoOptions;
use pulsedesk_store::Workspace;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// A line of /proc/self/status, in MiB.
fn status_mib(key: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1).map(str::to_owned))
        })
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tickets: usize = std::env::var("PULSEDESK_BENCH_TICKETS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../target/bench-data");
    std::fs::create_dir_all(&dir)?;
    let tz = FixedOffset::east_opt(8 * 3600).ok_or("tz")?;
    let now = Utc
        .with_ymd_and_hms(2026, 11, 23, 2, 0, 0)
        .single()
        .ok_or("time")?;
    let ws = Workspace::open(
        &dir.join(format!("board-{tickets}.db")),
        Arc::new(ManualClock::new(now, tz)),
    )
    .await?;
    ws.seed_demo(DemoOptions {
        tickets,
        days: 365,
        seed: 11,
    })
    .await?;
    let sup = ws
        .accounts()
        .await?
        .into_iter()
        .find(|a| a.role == Role::Supervisor)
        .map(|a| Actor {
            id: a.id,
            role: a.role,
        })
        .ok_or("no supervisor")?;
    let out = tempfile::tempdir()?;
    println!("| export | rows | seconds | rows/s | peak memory while writing (MiB) | file (MiB) |");
    println!("|---|---|---|---|---|---|");
    for format in [TableFormat::Csv, TableFormat::Xlsx] {
        let path = out.path().join(format!("tracking.{}", format.extension()));
        // Reset the peak-memory mark so it covers this export only.
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        let before = status_mib("VmRSS:");
        let t = Instant::now();
        let rows =
            pulsedesk_export::tracking_table(&ws, &sup, None, format, Lang::Zh, tz, &path).await?;
        let secs = t.elapsed().as_secs_f64();
        let peak = status_mib("VmHWM:");
        let size = std::fs::metadata(&path)?.len() as f64 / 1024.0 / 1024.0;
        println!(
            "| {} | {rows} | {secs:.1} | {:.0} | {peak:.0} (was {before:.0} before) | {size:.0} |",
            format.extension(),
            rows as f64 / secs
        );
    }
    Ok(())
}
