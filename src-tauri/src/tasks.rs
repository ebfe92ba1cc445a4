//! Background tasks under watch. A task that panics is logged, shown in the header and
//! started again after a pause; one that keeps failing is reported as stopped. Nothing a
//! desktop runs on its own may end in silence.

use chrono::{DateTime, Utc};
use serde::Serialize;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use ts_rs::TS;

/// The work a desktop runs without a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TaskName {
    /// SLA countdowns and their pop-ups.
    SlaScheduler,
    /// Automatic assignment (embedded workspace).
    Assigner,
    /// Heartbeat, idle time and the screen lock.
    PresenceWatcher,
    /// Transfer decisions, follow-ups, measure reminders, the weekly review.
    News,
}

/// A task that failed: how often in a row, when last, and whether it was given up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TaskTrouble {
    pub task: TaskName,
    pub failures: u32,
    pub last_failure: DateTime<Utc>,
    /// Failed too often in a row: not started again until Pulsedesk restarts.
    pub stopped: bool,
}

/// Restarts after a failure before the task counts as broken.
pub const MAX_RESTARTS: u32 = 5;
/// A run this long counts as healthy: the failures before it are forgotten.
pub const HEALTHY_RUN: Duration = Duration::from_secs(120);

/// The pause before restart number `failures` (1 s, doubling, at most a minute).
pub fn backoff(failures: u32) -> Duration {
    let exp = failures.saturating_sub(1).min(6);
    Duration::from_secs((1u64 << exp).min(60))
}

/// The troubles seen since start, one per task (the latest).
#[derive(Default)]
pub struct Troubles(Mutex<Vec<TaskTrouble>>);

impl Troubles {
    /// Records `t`, replacing the task's earlier entry.
    pub fn record(&self, t: TaskTrouble) {
        let mut all = self.0.lock().unwrap_or_else(|e| e.into_inner());
        all.retain(|old| old.task != t.task);
        all.push(t);
    }

    pub fn all(&self) -> Vec<TaskTrouble> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// A switch shared by the tasks of one workspace: once off, nothing is restarted.
#[derive(Clone, Default)]
pub struct Alive(Arc<AtomicBool>);

impl Alive {
    pub fn new() -> Self {
        Alive(Arc::new(AtomicBool::new(true)))
    }

    pub fn end(&self) {
        self.0.store(false, Ordering::SeqCst);
    }

    pub fn is_on(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Runs the task `make` builds until it returns (stopped on purpose). A panic is
/// reported to `on_trouble` and the task is built and started again after [`backoff`],
/// unless `alive` was switched off or it failed more than [`MAX_RESTARTS`] times in a row.
/// The first task is built at once, before the returned future is first polled.
pub fn supervise<F, Fut>(
    name: TaskName,
    alive: Alive,
    mut make: F,
    on_trouble: impl Fn(TaskTrouble) + Send + 'static,
) -> impl Future<Output = ()> + Send + 'static
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let first = make();
    async move {
        let mut next = Some(first);
        let mut failures = 0u32;
        loop {
            let started = Instant::now();
            let run = next.take().unwrap_or_else(&mut make);
            let message = match tokio::spawn(run).await {
                Ok(()) => return,
                Err(e) if e.is_panic() => panic_text(e.into_panic()),
                // Cancelled: the runtime is shutting down.
                Err(_) => return,
            };
            if started.elapsed() >= HEALTHY_RUN {
                failures = 0;
            }
            failures += 1;
            let stopped = failures > MAX_RESTARTS;
            tracing::error!(task = ?name, failures, stopped, %message, "background task panicked");
            on_trouble(TaskTrouble {
                task: name,
                failures,
                last_failure: Utc::now(),
                stopped,
            });
            if stopped || !alive.is_on() {
                return;
            }
            tokio::time::sleep(backoff(failures)).await;
            if !alive.is_on() {
                return;
            }
            tracing::info!(task = ?name, failures, "background task restarted");
        }
    }
}

fn panic_text(payload: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

/// Logs every panic on any thread (with where it happened) before the default hook runs,
/// so a failure never leaves only a dead task behind.
pub fn log_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        tracing::error!(target: "pulsedesk::panic", %at, "a thread panicked: {info}");
        default(info);
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU32;

    #[test]
    fn backoff_doubles_from_a_second_to_a_minute() {
        let got: Vec<u64> = (1..=9).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(got, vec![1, 2, 4, 8, 16, 32, 60, 60, 60]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_panicking_task_is_reported_and_restarted_until_it_works() {
        let runs = Arc::new(AtomicU32::new(0));
        let seen = Arc::new(Troubles::default());
        let counted = runs.clone();
        let reported = seen.clone();
        supervise(
            TaskName::PresenceWatcher,
            Alive::new(),
            move || {
                let n = counted.fetch_add(1, Ordering::SeqCst);
                async move {
                    assert!(n >= 2, "run {n} fails");
                }
            },
            move |t| reported.record(t),
        )
        .await;
        assert_eq!(
            runs.load(Ordering::SeqCst),
            3,
            "two failures, then a clean run"
        );
        let t = seen.all();
        assert_eq!(t.len(), 1);
        assert_eq!(
            (t[0].task, t[0].failures, t[0].stopped),
            (TaskName::PresenceWatcher, 2, false)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_task_that_keeps_failing_is_reported_stopped() {
        let runs = Arc::new(AtomicU32::new(0));
        let seen = Arc::new(Troubles::default());
        let counted = runs.clone();
        let reported = seen.clone();
        supervise(
            TaskName::Assigner,
            Alive::new(),
            move || {
                counted.fetch_add(1, Ordering::SeqCst);
                async { panic!("always") }
            },
            move |t| reported.record(t),
        )
        .await;
        assert_eq!(runs.load(Ordering::SeqCst), MAX_RESTARTS + 1);
        assert!(seen.all()[0].stopped);
    }

    #[tokio::test(start_paused = true)]
    async fn nothing_restarts_once_the_workspace_is_closed() {
        let runs = Arc::new(AtomicU32::new(0));
        let alive = Alive::new();
        alive.end();
        let counted = runs.clone();
        supervise(
            TaskName::SlaScheduler,
            alive,
            move || {
                counted.fetch_add(1, Ordering::SeqCst);
                async { panic!("once") }
            },
            |_| {},
        )
        .await;
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }
}
