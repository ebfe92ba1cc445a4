//! Logging a new ticket: validated, numbered, in the pool at once.

use super::log;
use crate::customers;
use crate::rows::{count, to_json};
use crate::time::to_ms;
use crate::{StoreError, Workspace};
use chrono::NaiveDate;
use pulsedesk_core::command::{Command, Envelope};
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::kinds::{Stage, Tier};
use pulsedesk_core::permissions::{Action, Actor};
use pulsedesk_core::ticket::{EventKind, TicketNumber};
use pulsedesk_core::validate;
use pulsedesk_core::view::{CustomerChoice, NewTicket, PoolRow};
use sqlx::SqliteConnection;

/// Takes the next number of `day`. Runs inside the creating transaction, so two desktops
/// (or tasks) creating at once can never get the same number.
pub(crate) async fn next_number(
    conn: &mut SqliteConnection,
    day: NaiveDate,
) -> Result<TicketNumber, StoreError> {
    let (seq,): (i64,) = sqlx::query_as(
        "INSERT INTO ticket_counters (day, last) VALUES (?, 1)
         ON CONFLICT (day) DO UPDATE SET last = last + 1 RETURNING last",
    )
    .bind(TicketNumber::day_key(day))
    .fetch_one(conn)
    .await?;
    TicketNumber::new(day, count(seq))
        .ok_or_else(|| StoreError::Corrupt("ticket counter below 1".into()))
}

impl Workspace {
    /// Logs a new ticket in 待分配 and returns its pool row.
    pub async fn create_ticket(
        &self,
        actor: &Actor,
        input: &NewTicket,
    ) -> Result<PoolRow, StoreError> {
        actor.authorize(Action::CreateTicket)?;
        validate::new_ticket(input)?;
        if let CustomerChoice::New(c) = &input.customer {
            validate::customer(c)?;
        }
        let now = self.clock.now();
        let replica = self.is_replica();
        let mut tx = self.begin_write().await?;

        let type_active: Option<(i64,)> =
            sqlx::query_as("SELECT active FROM ticket_types WHERE id = ?")
                .bind(input.type_id.0)
                .fetch_optional(&mut *tx)
                .await?;
        match type_active {
            None => return Err(StoreError::NotFound("ticket type")),
            Some((0,)) => {
                return Err(pulsedesk_core::DomainError::invalid(
                    "type_id",
                    pulsedesk_core::reason::Reason::TypeSwitchedOff,
                )
                .into())
            }
            Some(_) => {}
        }
        let (customer_id, tier) = match &input.customer {
            CustomerChoice::Existing(id) => {
                if id.0 < 0 {
                    return Err(StoreError::Conflict(
                        pulsedesk_core::reason::Reason::CustomerNotOnServerYet,
                    ));
                }
                let row = customers::load(&mut tx, *id).await?;
                let tier = crate::rows::decode(Tier::parse, &row.tier, "tier")?;
                (*id, tier)
            }
            CustomerChoice::New(c) => {
                let id = customers::insert(&mut tx, c, now).await?;
                let id = provisional(&mut tx, "customers", id.0, replica).await?;
                (pulsedesk_core::ids::CustomerId(id), c.tier)
            }
        };

        // On a replica the server numbers the ticket; until then it has a provisional id
        // and a provisional number.
        let queued = Envelope::new(
            now,
            Command::CreateTicket {
                ticket: input.clone(),
            },
        );
        let number = if replica {
            format!("NEW-{}", &queued.id.simple().to_string()[..8])
        } else {
            next_number(&mut tx, self.clock.local_day(now))
                .await?
                .to_string()
        };
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
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&number)
        .bind(input.channel.as_str())
        .bind(input.type_id.0)
        .bind(customer_id.0)
        .bind(tier.as_str())
        .bind(input.priority.as_str())
        .bind(input.priority.rank())
        .bind(input.subject.trim())
        .bind(input.description.trim_end())
        .bind(to_json(&departments))
        .bind(to_json(&attachments))
        .bind(Stage::Unassigned.as_str())
        .bind(to_ms(now))
        .bind(to_ms(now))
        .fetch_one(&mut *tx)
        .await?;
        let created = EventKind::Created {
            channel: input.channel,
            priority: input.priority,
            tier,
        };
        let id = provisional(&mut tx, "tickets", id, replica).await?;
        log::append(&mut tx, TicketId(id), now, Some(actor.id), &created).await?;
        if replica {
            super::super::replica::queue(&mut tx, Some(TicketId(id)), &queued).await?;
        }
        let (customer_name,): (String,) = sqlx::query_as("SELECT name FROM customers WHERE id = ?")
            .bind(customer_id.0)
            .fetch_one(&mut *tx)
            .await?;
        let subject = input.subject.trim();
        crate::search_index::index_ticket(&mut tx, id, &number, subject, &customer_name).await?;
        super::refresh_clocks(&mut tx, TicketId(id), now).await?;
        tx.commit().await?;
        tracing::info!(ticket = id, number = %number, "ticket created");
        self.pool_row(TicketId(id)).await
    }
}

/// On a replica, gives a row just inserted into `table` a provisional (negative) id, so it
/// can never collide with an id the server hands out. Elsewhere keeps `id`.
async fn provisional(
    conn: &mut SqliteConnection,
    table: &'static str,
    id: i64,
    replica: bool,
) -> Result<i64, StoreError> {
    if !replica {
        return Ok(id);
    }
    let (new,): (i64,) = sqlx::query_as(&format!(
        "UPDATE {table} SET id = (SELECT MIN(COALESCE(MIN(id), 0), 0) - 1 FROM {table}) WHERE id = ? RETURNING id"
    ))
    .bind(id)
    .fetch_one(conn)
    .await?;
    Ok(new)
}
