//! Working a ticket: every change a member makes to one — claim, assignment, stage move,
//! reopening, note, priority — runs through [`Workspace::run`]: read the ticket (and, for
//! a claim or an assignment, who would hold it), let the core decide, write the events and
//! their projection, and on a replica queue the command for the team service, which
//! decides it again by the same rule. Revealing a customer's contact details is here too.

use super::{commit_events, CurrentRow, CURRENT_COLUMNS};
use crate::customers;
use crate::rows::{count, decode};
use crate::time::to_ms;
use crate::{StoreError, Workspace};
use pulsedesk_core::command::Command;
use pulsedesk_core::ids::{NoteId, TicketId, UserId};
use pulsedesk_core::kinds::{NoteAudience, Outcome, Priority, Role, Stage};
use pulsedesk_core::permissions::{Action, Actor};
use pulsedesk_core::ticket::{
    check_right, decide, taker, Change, Current, EventKind, Holder, TicketCommand,
};
use pulsedesk_core::view::CustomerView;
use sqlx::SqliteConnection;

/// What the capacity rule needs of `user`: their open tickets and cap; `None` when they
/// are not an active member. Read in the writer's transaction, so the count is stable.
pub(crate) async fn holder(
    conn: &mut SqliteConnection,
    user: UserId,
) -> Result<Option<Holder>, StoreError> {
    let row: Option<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT name, role, cap, (SELECT COUNT(*) FROM tickets WHERE assignee_id = users.id AND stage <> 'done')
         FROM users WHERE id = ? AND active = 1",
    )
    .bind(user.0)
    .fetch_optional(conn)
    .await?;
    row.map(|(name, role, cap, open)| {
        Ok(Holder {
            name,
            role: decode(Role::parse, &role, "role")?,
            open: count(open),
            cap: count(cap),
        })
    })
    .transpose()
}

/// Refuses an assignment that would push `user` past their concurrent-ticket cap, or to
/// someone who cannot hold tickets (for changes decided elsewhere: transfers).
pub(crate) async fn check_capacity(
    conn: &mut SqliteConnection,
    user: UserId,
) -> Result<(), StoreError> {
    let holder = holder(conn, user)
        .await?
        .ok_or(StoreError::NotFound("member"))?;
    Ok(pulsedesk_core::ticket::check_holder(&holder)?)
}

impl Workspace {
    /// Runs one member's command by the core's rules; returns the ticket it logged, for a
    /// new one. The one way in for every change a member makes.
    pub async fn run(
        &self,
        actor: &Actor,
        command: &Command,
    ) -> Result<Option<TicketId>, StoreError> {
        match command {
            Command::CreateTicket { ticket } => {
                Ok(Some(self.create_ticket(actor, ticket).await?.id))
            }
            Command::RevealCustomer { ticket } => {
                self.reveal_customer(actor, *ticket).await?;
                Ok(None)
            }
            Command::RecordSlaAlert { .. } => Err(StoreError::Unsupported(
                pulsedesk_core::reason::Reason::NotEmbedded,
            )),
            Command::Ticket { .. } | Command::AddNote { .. } | Command::ChangePriority { .. } => {
                self.change(actor, command).await?;
                Ok(None)
            }
        }
    }

    /// A change to an existing ticket, in one transaction: read, decide, write, queue.
    async fn change(&self, actor: &Actor, command: &Command) -> Result<(), StoreError> {
        let Some((id, change)) = command.change() else {
            return Err(StoreError::Corrupt(format!(
                "{} changes no ticket",
                command.name()
            )));
        };
        check_right(actor, &change)?;
        crate::replica::check_sent(id)?;
        let now = self.clock.now();
        let mut tx = self.begin_write().await?;
        let read: CurrentRow = sqlx::query_as(&format!(
            "SELECT {CURRENT_COLUMNS} FROM tickets WHERE id = ?"
        ))
        .bind(id.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound("ticket"))?;
        let current = Current {
            state: read.row.state()?,
            priority: decode(Priority::parse, &read.priority, "priority")?,
        };
        let holder = match taker(actor, &change) {
            Some(user) => holder(&mut tx, user).await?,
            None => None,
        };
        let mut events = decide(actor, &current, &change, holder.as_ref())?;
        match change {
            Change::Note { audience, body } => {
                let note = self
                    .write_note(&mut tx, actor, id, audience, body, now)
                    .await?;
                for e in &mut events {
                    if let EventKind::NoteAdded { note_id, .. } = e {
                        *note_id = note;
                    }
                }
            }
            Change::Priority(to) => {
                sqlx::query("UPDATE tickets SET priority = ?, priority_rank = ? WHERE id = ?")
                    .bind(to.as_str())
                    .bind(to.rank())
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await?;
            }
            Change::Ticket(_) => {}
        }
        commit_events(&mut tx, &read.row, Some(actor.id), now, &events).await?;
        self.queue_if_replica(&mut tx, Some(id), command.clone())
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Writes a note's row; returns its id (on a replica, a provisional negative one until
    /// the server's arrives).
    async fn write_note(
        &self,
        conn: &mut SqliteConnection,
        actor: &Actor,
        id: TicketId,
        audience: NoteAudience,
        body: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<NoteId, StoreError> {
        let (note_id,): (i64,) = sqlx::query_as(
            "INSERT INTO notes (id, ticket_id, author_id, audience, body, created_at)
             VALUES (CASE WHEN ?1 THEN (SELECT MIN(COALESCE(MIN(id), 0), 0) - 1 FROM notes) END, ?2, ?3, ?4, ?5, ?6)
             RETURNING id",
        )
        .bind(self.is_replica())
        .bind(id.0)
        .bind(actor.id.0)
        .bind(audience.as_str())
        .bind(body.trim())
        .bind(to_ms(now))
        .fetch_one(conn)
        .await?;
        Ok(NoteId(note_id))
    }

    /// Moves a ticket to another stage; `outcome` is required when finishing it.
    pub async fn move_ticket(
        &self,
        actor: &Actor,
        id: TicketId,
        to: Stage,
        outcome: Option<Outcome>,
    ) -> Result<(), StoreError> {
        self.ticket_change(actor, id, TicketCommand::Move { to, outcome })
            .await
    }

    /// Reopens a finished ticket into its next round (二次处理).
    pub async fn reopen_ticket(
        &self,
        actor: &Actor,
        id: TicketId,
        reason: &str,
    ) -> Result<(), StoreError> {
        let reason = reason.to_string();
        self.ticket_change(actor, id, TicketCommand::Reopen { reason })
            .await
    }

    /// Takes an unassigned ticket for oneself.
    pub async fn claim_ticket(&self, actor: &Actor, id: TicketId) -> Result<(), StoreError> {
        self.ticket_change(actor, id, TicketCommand::Claim).await
    }

    /// Assigns or reassigns a ticket to `to` (supervisors).
    pub async fn assign_ticket(
        &self,
        actor: &Actor,
        id: TicketId,
        to: UserId,
    ) -> Result<(), StoreError> {
        self.ticket_change(actor, id, TicketCommand::Assign { to })
            .await
    }

    async fn ticket_change(
        &self,
        actor: &Actor,
        ticket: TicketId,
        change: TicketCommand,
    ) -> Result<(), StoreError> {
        self.change(actor, &Command::Ticket { ticket, change })
            .await
    }

    /// Changes an open ticket's priority; its SLA clocks are re-targeted from its start.
    pub async fn change_priority(
        &self,
        actor: &Actor,
        id: TicketId,
        to: Priority,
    ) -> Result<(), StoreError> {
        self.change(actor, &Command::ChangePriority { ticket: id, to })
            .await
    }

    /// Writes a note on a ticket, for the team or for a department.
    pub async fn add_note(
        &self,
        actor: &Actor,
        id: TicketId,
        audience: NoteAudience,
        body: &str,
    ) -> Result<(), StoreError> {
        let command = Command::AddNote {
            ticket: id,
            audience,
            body: body.trim().to_string(),
        };
        self.change(actor, &command).await
    }

    /// The ticket's customer with full contact details, for the assignee or a supervisor.
    /// Every reveal is written to the audit log.
    pub async fn reveal_customer(
        &self,
        actor: &Actor,
        id: TicketId,
    ) -> Result<CustomerView, StoreError> {
        let now = self.clock.now();
        let mut tx = self.begin_write().await?;
        let row: Option<(Option<i64>, i64)> =
            sqlx::query_as("SELECT assignee_id, customer_id FROM tickets WHERE id = ?")
                .bind(id.0)
                .fetch_optional(&mut *tx)
                .await?;
        let (assignee, customer) = row.ok_or(StoreError::NotFound("ticket"))?;
        actor.authorize(Action::RevealPii {
            assignee: assignee.map(UserId),
        })?;
        let customer = customers::load(&mut tx, pulsedesk_core::ids::CustomerId(customer)).await?;
        sqlx::query("INSERT INTO audit_log (at, actor_id, action, ticket_id, detail) VALUES (?, ?, 'reveal_contact', ?, ?)")
            .bind(to_ms(now))
            .bind(actor.id.0)
            .bind(id.0)
            .bind(format!("customer {}", customer.id))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        customer.revealed()
    }

    /// How many audited reveals `actor` has made (for the audit view and tests).
    pub async fn audit_count(&self, action: &str) -> Result<u32, StoreError> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = ?")
            .bind(action)
            .fetch_one(&self.pool)
            .await?;
        Ok(crate::rows::count(n))
    }
}
