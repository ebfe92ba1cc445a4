//! The team's assigner seat, as one sync session holds it: taken when free, drained after
//! every pull and every `seat_poll`, given up on any failure (a lost server also ends the
//! session, so the member hears at once that they are offline).

use crate::engine::Inner;
use crate::error::SyncError;
use pulsedesk_shared::assigner::Seat;
use pulsedesk_shared::{Shared, SharedError};

impl Inner {
    /// Takes the assigner's seat if it is free (and this desktop takes part). Only a lost
    /// server ends the session; any other failure waits for the next try.
    pub(crate) async fn take_seat(
        &self,
        shared: &Shared,
        seat: &mut Option<Seat>,
    ) -> Result<(), SyncError> {
        if seat.is_some() || !self.options.assigner {
            return Ok(());
        }
        match shared.take_assigner_seat().await {
            Ok(Some(s)) => {
                tracing::info!("this desktop now assigns the team's tickets");
                *seat = Some(s);
                self.set_seated(true).await;
            }
            Ok(None) => {}
            Err(e @ SharedError::Unreachable(_)) => return Err(e.into()),
            Err(e) => tracing::debug!(error = %e, "could not try the assigner seat"),
        }
        Ok(())
    }

    /// Drains the pool if this desktop holds the seat. A failure gives the seat up (another
    /// desktop, or this one on its next try, takes over); only a lost server also ends the
    /// sync session, so the member hears at once that they are offline.
    pub(crate) async fn assign(&self, seat: &mut Option<Seat>) -> Result<(), SyncError> {
        let Some(s) = seat.as_mut() else {
            return Ok(());
        };
        match s.drain(self.clock.now()).await {
            Ok(d) => {
                if !d.assigned.is_empty() || d.refused > 0 {
                    tracing::info!(
                        assigned = d.assigned.len(),
                        refused = d.refused,
                        "team assignment drain"
                    );
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "team assignment failed; giving up the assigner seat");
                if let Some(s) = seat.take() {
                    s.release().await;
                }
                self.set_seated(false).await;
                if let SharedError::Unreachable(_) = e {
                    return Err(e.into());
                }
            }
        }
        Ok(())
    }
}
