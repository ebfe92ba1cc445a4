//! A new ticket on the team database: checked by the core, its customer added or found,
//! numbered for its local day, logged as created.

use super::append;
use crate::{Shared, SharedError};
use chrono::{DateTime, Utc};
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::kinds::{Stage, Tier};
use pulsedesk_core::permissions::{Action, Actor};
use pulsedesk_core::reason::Reason;
use pulsedesk_core::ticket::{EventKind, TicketNumber};
use pulsedesk_core::validate;
use pulsedesk_core::view::{CustomerChoice, NewTicket};
use pulsedesk_core::DomainError;
use sqlx::PgConnection;

impl Shared {
    /// Logs a new ticket in the pool (its customer too, when new), numbered for its day.
    pub(super) async fn create(
        &self,
        tx: &mut PgConnection,
        actor: &Actor,
        input: &NewTicket,
        at: DateTime<Utc>,
    ) -> Result<TicketId, SharedError> {
        actor.authorize(Action::CreateTicket)?;
        validate::new_ticket(input)?;
        let active: Option<(bool,)> =
            sqlx::query_as("SELECT active FROM ticket_types WHERE id = $1")
                .bind(input.type_id.0)
                .fetch_optional(&mut *tx)
                .await?;
        match active {
            None => return Err(SharedError::NotFound("ticket type")),
            Some((false,)) => {
                return Err(DomainError::invalid("type_id", Reason::TypeSwitchedOff).into())
            }
            Some((true,)) => {}
        }
        let (customer, tier) = match &input.customer {
            CustomerChoice::Existing(id) => {
                let (tier,): (String,) = sqlx::query_as("SELECT tier FROM customers WHERE id = $1")
                    .bind(id.0)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(SharedError::NotFound("customer"))?;
                let tier = Tier::parse(&tier)
                    .ok_or_else(|| SharedError::Corrupt(format!("tier {tier}")))?;
                (id.0, tier)
            }
            CustomerChoice::New(c) => {
                validate::customer(c)?;
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO customers (name, phone, email, tier, created_at)
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(c.name.trim())
                .bind(c.phone.trim())
                .bind(c.email.trim())
                .bind(c.tier.as_str())
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
                (id, c.tier)
            }
        };
        let day = self.clock.local_day(at);
        let (seq,): (i32,) = sqlx::query_as("SELECT pd_next_number($1)")
            .bind(TicketNumber::day_key(day))
            .fetch_one(&mut *tx)
            .await?;
        let number = u32::try_from(seq)
            .ok()
            .and_then(|s| TicketNumber::new(day, s))
            .ok_or_else(|| SharedError::Corrupt(format!("ticket counter {seq}")))?;
        let mut departments = input.departments.clone();
        departments.sort_by_key(|d| d.as_str());
        departments.dedup();
        let attachments: Vec<String> = input
            .attachments
            .iter()
            .map(|a| a.trim().to_string())
            .collect();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO tickets (number, channel, type_id, customer_id, tier, priority, priority_rank,
                 subject, description, departments, attachments, stage, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
        )
        .bind(number.to_string())
        .bind(input.channel.as_str())
        .bind(input.type_id.0)
        .bind(customer)
        .bind(tier.as_str())
        .bind(input.priority.as_str())
        .bind(i32::try_from(input.priority.rank()).unwrap_or(i32::MAX))
        .bind(input.subject.trim())
        .bind(input.description.trim_end())
        .bind(sqlx::types::Json(&departments))
        .bind(sqlx::types::Json(&attachments))
        .bind(Stage::Unassigned.as_str())
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        let created = EventKind::Created {
            channel: input.channel,
            priority: input.priority,
            tier,
        };
        append(&mut *tx, TicketId(id), at, actor.id, &created).await?;
        Ok(TicketId(id))
    }
}
