//! The assigner task. Wake-ups coalesce: however many changes arrive during a drain, one
//! more drain follows, so a burst of new tickets costs a few transactions, not one each.

use pulsedesk_store::{DrainReport, Workspace};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};

/// Drains at least this often, for changes no wake-up announced (another desktop's edits,
/// a heartbeat that ran out).
pub const SWEEP: Duration = Duration::from_secs(30);

/// Called after each drain that assigned or parked something, or opened/closed an episode.
pub type OnDrained = Arc<dyn Fn(&DrainReport) + Send + Sync>;

/// Talks to a running assigner. Cheap to clone.
#[derive(Clone)]
pub struct AssignerHandle {
    wake: Arc<Notify>,
    /// (drains started, drains finished)
    drains: watch::Receiver<(u64, u64)>,
    stop: Arc<Notify>,
}

impl AssignerHandle {
    /// Something changed that may let a waiting ticket be assigned.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Wakes the assigner and waits until a drain that started after this call finished.
    pub async fn drain(&self) {
        let mut drains = self.drains.clone();
        let (started, _) = *drains.borrow_and_update();
        self.wake();
        // A drain running now may have read the backlog before the call: wait for one
        // that started after it.
        let _ = drains.wait_for(|(_, finished)| *finished > started).await;
    }

    /// Stops the task after its current drain.
    pub fn stop(&self) {
        self.stop.notify_one();
    }
}

/// Builds the assigner.
pub struct Assigner {
    ws: Arc<Workspace>,
    on_drained: Option<OnDrained>,
}

impl Assigner {
    pub fn new(ws: Arc<Workspace>) -> Self {
        Assigner {
            ws,
            on_drained: None,
        }
    }

    pub fn on_drained(mut self, cb: OnDrained) -> Self {
        self.on_drained = Some(cb);
        self
    }

    /// The handle and the task to spawn.
    pub fn start(self) -> (AssignerHandle, impl Future<Output = ()> + Send + 'static) {
        let wake = Arc::new(Notify::new());
        let stop = Arc::new(Notify::new());
        let (count_tx, drains) = watch::channel((0u64, 0u64));
        let handle = AssignerHandle {
            wake: wake.clone(),
            drains,
            stop: stop.clone(),
        };
        let task = async move {
            loop {
                count_tx.send_modify(|(started, _)| *started += 1);
                match self.ws.assign_waiting().await {
                    Ok(report) => {
                        let news = !report.assigned.is_empty()
                            || !report.newly_waiting.is_empty()
                            || report.episode.is_some();
                        if news {
                            tracing::info!(
                                assigned = report.assigned.len(),
                                waiting = report.waiting,
                                "assignment drain"
                            );
                            if let Some(cb) = &self.on_drained {
                                cb(&report);
                            }
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "assignment drain failed; retrying on the next wake-up")
                    }
                }
                count_tx.send_modify(|(_, finished)| *finished += 1);
                tokio::select! {
                    _ = wake.notified() => {}
                    _ = tokio::time::sleep(SWEEP) => {}
                    _ = stop.notified() => break,
                }
            }
        };
        (handle, task)
    }
}
