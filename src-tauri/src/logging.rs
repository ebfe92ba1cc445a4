//! Logs go to a daily rolling file in the app's log folder. They carry ids and codes,
//! never customer names, phone numbers or note text.

use std::path::Path;
use std::sync::OnceLock;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

static GUARD: OnceLock<WorkerGuard> = OnceLock::new();

/// Starts logging to `dir/pulsedesk.log.YYYY-MM-DD`; falls back to stderr if the folder is unusable.
pub fn init(dir: &Path) {
    let filter =
        EnvFilter::try_from_env("PULSEDESK_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let appender = std::fs::create_dir_all(dir).ok().and_then(|_| {
        tracing_appender::rolling::Builder::new()
            .rotation(tracing_appender::rolling::Rotation::DAILY)
            .filename_prefix("pulsedesk.log")
            .max_log_files(14)
            .build(dir)
            .ok()
    });
    let result = match appender {
        Some(appender) => {
            let (writer, guard) = tracing_appender::non_blocking(appender);
            let _ = GUARD.set(guard);
            tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_ansi(false)
                .with_writer(writer)
                .try_init()
        }
        None => tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .try_init(),
    };
    if result.is_err() {
        eprintln!("logging was already initialised");
    }
}
