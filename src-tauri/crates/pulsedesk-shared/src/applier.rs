//! The team service's writer: one at a time, the one holding the writer's lease
//! ([`crate::lease`]), applies the submitted commands (`submissions`) in the order they
//! were submitted. Another service on the same database stands by and takes over when the
//! lease's connection ends.

use crate::lease::{Lease, LeaseName};
use crate::submissions::{Outcome, Submission, SUBMITTED};
use crate::tickets::ReadAhead;
use crate::{Shared, SharedError};
use sqlx::postgres::PgListener;
use sqlx::PgConnection;
use std::time::Duration;

/// Submissions read per round trip.
const BATCH: i64 = 200;

/// Connections applying at once. Each member's commands go to one lane, in the order they
/// were submitted; different members' commands are concurrent (as when every desktop
/// applied its own), and the rules' row locks and version checks hold between lanes.
const LANES: usize = 4;

/// Outcomes a lane records per statement (a lone command's outcome is recorded at once).
const RECORD_EVERY: usize = 8;

/// The writer: its lease, a connection reading the queue, the lanes' connections, on which
/// submissions are applied, and a listener for new submissions.
pub struct Writer {
    shared: Shared,
    lease: Lease,
    conn: PgConnection,
    lanes: Vec<PgConnection>,
    listener: PgListener,
}

/// What one drain applied.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Drained {
    pub applied: usize,
    pub refused: usize,
}

impl Shared {
    /// Becomes the team's writer, if no other service is; `None` while another one is.
    /// Refused for a login that is not the service's.
    pub async fn take_writer(&self) -> Result<Option<Writer>, SharedError> {
        if !self.is_service().await? {
            return Err(SharedError::Refused(
                "only the team service's login applies commands (pulsedesk-admin service)".into(),
            ));
        }
        let Some(lease) = self.take_lease(LeaseName::Writer).await? else {
            return Ok(None);
        };
        // Listen before the first drain: a submission committed in between is then either
        // drained or wakes the writer up.
        let mut listener = PgListener::connect_with(&self.pool).await?;
        listener.listen(SUBMITTED).await?;
        let conn = self.pool.acquire().await?.detach();
        let mut lanes = Vec::with_capacity(LANES);
        for _ in 0..LANES {
            lanes.push(self.pool.acquire().await?.detach());
        }
        Ok(Some(Writer {
            shared: self.clone(),
            lease,
            conn,
            lanes,
            listener,
        }))
    }
}

impl Writer {
    /// Applies every waiting submission, oldest first; returns when none waits.
    pub async fn drain(&mut self) -> Result<Drained, SharedError> {
        let mut out = Drained::default();
        loop {
            let batch: Vec<Submission> = self.shared.waiting(&mut self.conn, BATCH).await?;
            if batch.is_empty() {
                // Checked once the work is done, not before it: a lease lost meanwhile (its
                // connection cut) has let another service apply too, which the commands'
                // ids and row locks make harmless; this one stops now.
                if !self.lease.held().await {
                    return Err(SharedError::Unreachable(
                        "the writer's lease ended with its connection".into(),
                    ));
                }
                return Ok(out);
            }
            let mut lanes: Vec<Vec<&Submission>> = vec![Vec::new(); self.lanes.len()];
            for sub in &batch {
                let lane = sub.user.0.unsigned_abs() % self.lanes.len() as u64;
                lanes[usize::try_from(lane).unwrap_or(0)].push(sub);
            }
            let shared = &self.shared;
            let runs = self
                .lanes
                .iter_mut()
                .zip(lanes)
                .map(|(conn, subs)| async move {
                    let mut done = Drained::default();
                    // The lane's tickets are read in one statement, not one per command.
                    let mut ahead = read_ahead(conn, &subs).await?;
                    // Outcomes are recorded a few at a time, in one statement each.
                    let mut decided = Vec::with_capacity(RECORD_EVERY);
                    for sub in subs {
                        let outcome = shared.decide_read_ahead(conn, sub, &mut ahead).await?;
                        match outcome {
                            Outcome::Applied { .. } => done.applied += 1,
                            Outcome::Refused { .. } => done.refused += 1,
                        }
                        decided.push((sub.seq, outcome));
                        if decided.len() == RECORD_EVERY {
                            shared.record_outcomes(conn, &decided).await?;
                            decided.clear();
                        }
                    }
                    shared.record_outcomes(conn, &decided).await?;
                    Ok::<_, SharedError>(done)
                });
            for lane in futures_util::future::join_all(runs).await {
                let lane = lane?;
                out.applied += lane.applied;
                out.refused += lane.refused;
            }
        }
    }

    /// Waits until something is submitted, or at most `max` (a wake-up lost on a live
    /// connection is then covered by the next drain).
    pub async fn wait(&mut self, max: Duration) -> Result<(), SharedError> {
        match tokio::time::timeout(max, self.listener.try_recv()).await {
            Err(_) => Ok(()),
            Ok(Ok(Some(_))) => {
                // Everything already waiting is covered by the same drain.
                while let Some(n) = futures_util::FutureExt::now_or_never(self.listener.try_recv())
                {
                    if n?.is_none() {
                        return Err(SharedError::Unreachable("the connection was lost".into()));
                    }
                }
                Ok(())
            }
            Ok(Ok(None)) => Err(SharedError::Unreachable("the connection was lost".into())),
            Ok(Err(e)) => Err(e.into()),
        }
    }

    /// Gives the writer's lock up at once.
    pub async fn release(self) {
        let _ =
            tokio::time::timeout(Duration::from_secs(1), sqlx::Connection::close(self.conn)).await;
    }
}

/// The tickets `subs` name, and which of their ids were applied before, read at once.
async fn read_ahead(
    conn: &mut PgConnection,
    subs: &[&Submission],
) -> Result<ReadAhead, SharedError> {
    if subs.len() < 2 {
        // A lone command reads its ticket in its own first statement instead (one round
        // trip, where reading ahead takes two).
        return Ok(ReadAhead::default());
    }
    let mut tickets: Vec<i64> = subs
        .iter()
        .filter_map(|s| s.command.get("ticket").and_then(serde_json::Value::as_i64))
        .collect();
    tickets.sort_unstable();
    tickets.dedup();
    let ids: Vec<uuid::Uuid> = subs.iter().map(|s| s.id).collect();
    ReadAhead::read(conn, &tickets, &ids).await
}

/// What the writer's loop tells its caller (the service logs it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Said {
    /// This service now applies the team's commands.
    Writing,
    /// Another service holds the writer's lock.
    StandingBy,
    /// Submissions applied by one drain (only when there were some).
    Drained(Drained),
    /// The lock was given up, with why.
    GaveUp(String),
}

/// Applies submissions whenever this login holds the writer's lock (trying for it every
/// `poll` while another service does), waking up at each submission and at least every
/// `poll`. Returns the error that broke its connection to the database.
pub async fn serve(shared: &Shared, poll: Duration, say: &(dyn Fn(Said) + Sync)) -> SharedError {
    let mut standing_by = false;
    loop {
        match shared.take_writer().await {
            Ok(Some(mut writer)) => {
                say(Said::Writing);
                let e = loop {
                    match writer.drain().await {
                        Ok(d) if d.applied + d.refused > 0 => say(Said::Drained(d)),
                        Ok(_) => {}
                        Err(e) => break e,
                    }
                    if let Err(e) = writer.wait(poll).await {
                        break e;
                    }
                };
                writer.release().await;
                say(Said::GaveUp(e.to_string()));
                return e;
            }
            Ok(None) => {
                if !standing_by {
                    say(Said::StandingBy);
                    standing_by = true;
                }
            }
            Err(e) => return e,
        }
        tokio::time::sleep(poll).await;
    }
}
