//! The presence watcher for the member signed in on this desktop: a heartbeat every
//! minute, and an activity reading every 15 s that moves them between online and away
//! (see [`pulsedesk_core::assign::presence::on_activity`]).

use crate::idle::IdleSource;
use pulsedesk_core::assign::presence::{on_activity, HEARTBEAT_SECONDS};
use pulsedesk_core::ids::UserId;
use pulsedesk_core::kinds::Presence;
use pulsedesk_store::{StoreError, Workspace};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// How often activity is read.
pub const POLL: Duration = Duration::from_secs(15);

/// How often activity is read here: [`POLL`], or `PULSEDESK_PRESENCE_POLL_MS` (tests read
/// idle and lock changes in fractions of a second).
pub fn poll_interval() -> Duration {
    std::env::var("PULSEDESK_PRESENCE_POLL_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|ms| *ms >= 50)
        .map(Duration::from_millis)
        .unwrap_or(POLL)
}

/// Who is signed in on this desktop, if anyone.
pub type SignedIn = Arc<dyn Fn() -> Option<UserId> + Send + Sync>;
/// Called when the watcher changed the member's presence.
pub type OnChange = Arc<dyn Fn(UserId, Presence) + Send + Sync>;

/// Reads activity once and applies the change it calls for. Returns the new presence, if
/// it changed.
pub async fn check(
    ws: &Workspace,
    idle: &dyn IdleSource,
    user: UserId,
) -> Result<Option<Presence>, StoreError> {
    let Some(activity) = idle.read() else {
        return Ok(None);
    };
    let current = ws.presence_of(user).await?;
    let rules = ws.assign_rules().await?;
    match on_activity(current, activity, rules.idle_minutes) {
        Some(next) => {
            ws.set_presence(user, next, false).await?;
            Ok(Some(next))
        }
        None => Ok(None),
    }
}

/// The watcher task, reading activity every `poll`; stop it with the returned [`Notify`].
pub fn start(
    ws: Arc<Workspace>,
    idle: Arc<dyn IdleSource>,
    signed_in: SignedIn,
    on_change: OnChange,
    poll: Duration,
) -> (Arc<Notify>, impl Future<Output = ()> + Send + 'static) {
    let stop = Arc::new(Notify::new());
    let stopped = stop.clone();
    let task = async move {
        let poll_ms = poll.as_millis().max(1) as u64;
        let polls_per_beat = (HEARTBEAT_SECONDS as u64 * 1000 / poll_ms).max(1);
        let mut polls = 0u64;
        loop {
            tokio::select! {
                _ = tokio::time::sleep(poll) => {}
                _ = stopped.notified() => break,
            }
            let Some(user) = signed_in() else { continue };
            polls += 1;
            if polls.is_multiple_of(polls_per_beat) {
                if let Err(e) = ws.presence_heartbeat(user).await {
                    tracing::warn!(error = %e, "presence heartbeat failed");
                }
            }
            match check(&ws, idle.as_ref(), user).await {
                Ok(Some(p)) => on_change(user, p),
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "presence check failed"),
            }
        }
    };
    (stop, task)
}
