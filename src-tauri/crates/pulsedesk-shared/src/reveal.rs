//! A customer's full contact details, from the server: only for a supervisor or the
//! ticket's assignee, and every reveal is written to the audit (`pd_reveal_customer`).
//! A replica only ever holds the masked values, so this is the one way to them.

use crate::{Shared, SharedError};
use pulsedesk_core::ids::{CustomerId, TicketId};
use pulsedesk_core::kinds::Tier;
use pulsedesk_core::view::CustomerView;

impl Shared {
    /// Reveals the customer of `ticket` to the signed-in member (audited on the server).
    pub async fn reveal_customer(&self, ticket: TicketId) -> Result<CustomerView, SharedError> {
        let mut tx = self.pool.begin().await?;
        let customer: Option<i64> =
            sqlx::query_scalar("SELECT customer_id FROM tickets WHERE id = $1")
                .bind(ticket.0)
                .fetch_optional(&mut *tx)
                .await?;
        let customer = customer.ok_or(SharedError::NotFound("ticket"))?;
        let (name, phone, email, tier): (String, String, String, String) =
            sqlx::query_as("SELECT name, phone, email, tier FROM pd_reveal_customer($1)")
                .bind(ticket.0)
                .fetch_one(&mut *tx)
                .await?;
        tx.commit().await?;
        Ok(CustomerView {
            id: CustomerId(customer),
            name,
            phone,
            email,
            tier: Tier::parse(&tier).ok_or_else(|| SharedError::Corrupt(format!("tier {tier}")))?,
        })
    }
}
