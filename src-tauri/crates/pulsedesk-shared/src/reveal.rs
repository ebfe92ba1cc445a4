//! A customer's full contact details, from the server: only for a supervisor or the
//! ticket's assignee, and every reveal is written to the audit. The member submits the
//! reveal like any command; the team service checks the right with the core's rules and
//! writes the audit entry in its own transaction, and only then may the member read the
//! details (`pd_revealed_customer`, migration 0016) — so no rollback on the member's side
//! can leave a reveal unaudited. A replica only ever holds the masked values, so this is
//! the one way to them.

use crate::command::{Command, Envelope};
use crate::submissions::Outcome;
use crate::{Shared, SharedError};
use pulsedesk_core::ids::{CustomerId, TicketId};
use pulsedesk_core::kinds::Tier;
use pulsedesk_core::reason::Reason;
use pulsedesk_core::view::CustomerView;
use pulsedesk_core::DomainError;
use std::time::{Duration, Instant};

/// How long a reveal waits for the team service.
const PATIENCE: Duration = Duration::from_secs(10);

impl Shared {
    /// Reveals the customer of `ticket` to the signed-in member (audited by the service).
    pub async fn reveal_customer(&self, ticket: TicketId) -> Result<CustomerView, SharedError> {
        self.reveal_customer_within(ticket, PATIENCE).await
    }

    /// [`Shared::reveal_customer`], waiting at most `patience` for the service (then
    /// refused with [`Reason::ServiceSilent`]).
    pub async fn reveal_customer_within(
        &self,
        ticket: TicketId,
        patience: Duration,
    ) -> Result<CustomerView, SharedError> {
        let asked = Envelope::new(self.clock.now(), Command::RevealCustomer { ticket });
        let mut conn = self.pool.acquire().await?;
        self.submit(&mut conn, &[&asked]).await?;
        let started = Instant::now();
        let mut nap = Duration::from_millis(2);
        let outcome = loop {
            if let Some(o) = self
                .outcomes(&mut conn, &[asked.id])
                .await?
                .remove(&asked.id)
            {
                break o;
            }
            if started.elapsed() > patience {
                return Err(DomainError::Conflict(Reason::ServiceSilent).into());
            }
            tokio::time::sleep(nap).await;
            nap = (nap * 2).min(Duration::from_millis(50));
        };
        if let Outcome::Refused { reason, message } = outcome {
            return Err(refusal(reason, message));
        }
        let row: Option<(i64, String, String, String, String)> = sqlx::query_as(
            "SELECT customer_id, name, phone, email, tier FROM pd_revealed_customer($1)",
        )
        .bind(ticket.0)
        .fetch_optional(&mut *conn)
        .await?;
        let (customer, name, phone, email, tier) = row.ok_or(SharedError::NotFound("customer"))?;
        Ok(CustomerView {
            id: CustomerId(customer),
            name,
            phone,
            email,
            tier: Tier::parse(&tier).ok_or_else(|| SharedError::Corrupt(format!("tier {tier}")))?,
        })
    }
}

/// A refusal the service recorded, as the error the app shows.
pub(crate) fn refusal(reason: Option<Reason>, message: String) -> SharedError {
    match reason {
        Some(Reason::Forbidden { action }) => DomainError::Forbidden(action).into(),
        Some(r) => DomainError::Conflict(r).into(),
        None => SharedError::Refused(message),
    }
}
