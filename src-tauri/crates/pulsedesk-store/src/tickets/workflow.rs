//! Working a ticket: stage moves, reopening, taking and assigning, notes, revealing contacts.

use super::{commit_events, load_state};
use crate::customers;
use crate::rows::{count, decode};
use crate::time::to_ms;
use crate::{StoreError, Workspace};
use pulsedesk_core::command::Command;
use pulsedesk_core::ids::{TicketId, UserId};
use pulsedesk_core::kinds::{NoteAudience, Outcome, Priority, Role, Stage};
use pulsedesk_core::permissions::{Action, Actor};
use pulsedesk_core::ticket::{events_for, priority_change, EventKind, Holder, TicketCommand};
use pulsedesk_core::validate;
use pulsedesk_core::view::CustomerView;
use sqlx::SqliteConnection;

/// Refuses an assignment that would push `user` past their concurrent-ticket cap, or to
/// someone who cannot hold tickets.
pub(crate) async fn check_capacity(
    conn: &mut SqliteConnection,
    user: UserId,
) -> Result<(), StoreError> {
    let row: Option<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT name, role, cap, (SELECT COUNT(*) FROM tickets WHERE assignee_id = users.id AND stage <> 'done')
         FROM users WHERE id = ? AND active = 1",
    )
    .bind(user.0)
    .fetch_optional(conn)
    .await?;
    let (name, role, cap, open) = row.ok_or(StoreError::NotFound("member"))?;
    Ok(pulsedesk_core::ticket::check_holder(&Holder {
        name,
        role: decode(Role::parse, &role, "role")?,
        open: count(open),
        cap: count(cap),
    })?)
}

impl Workspace {
    /// Moves a ticket to another stage; `outcome` is required when finishing it.
    pub async fn move_ticket(
        &self,
        actor: &Actor,
        id: TicketId,
        to: Stage,
        outcome: Option<Outcome>,
    ) -> Result<(), StoreError> {
        self.change_ticket(actor, id, &TicketCommand::Move { to, outcome })
            .await
    }

    /// Applies `command` to one ticket by the core's rules (the same as in shared mode).
    async fn change_ticket(
        &self,
        actor: &Actor,
        id: TicketId,
        command: &TicketCommand,
    ) -> Result<(), StoreError> {
        crate::replica::check_sent(id)?;
        let now = self.clock.now();
        let mut tx = self.begin_write().await?;
        let row = load_state(&mut tx, id).await?;
        let events = events_for(actor, &row.state()?, command)?;
        match command {
            TicketCommand::Claim => check_capacity(&mut tx, actor.id).await?,
            TicketCommand::Assign { to } => check_capacity(&mut tx, *to).await?,
            TicketCommand::Move { .. } | TicketCommand::Reopen { .. } => {}
        }
        commit_events(&mut tx, &row, Some(actor.id), now, &events).await?;
        let queued = Command::Ticket {
            ticket: id,
            change: command.clone(),
        };
        self.queue_if_replica(&mut tx, Some(id), queued).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Reopens a finished ticket into its next round (二次处理).
    pub async fn reopen_ticket(
        &self,
        actor: &Actor,
        id: TicketId,
        reason: &str,
    ) -> Result<(), StoreError> {
        validate::at_most("reason", reason, validate::MAX_NOTE)?;
        let reason = reason.to_string();
        self.change_ticket(actor, id, &TicketCommand::Reopen { reason })
            .await
    }

    /// Changes an open ticket's priority; its SLA clocks are re-targeted from its start. On
    /// a replica the change is made here at once and queued for the team's database, which
    /// decides it again by the same rule.
    pub async fn change_priority(
        &self,
        actor: &Actor,
        id: TicketId,
        to: Priority,
    ) -> Result<(), StoreError> {
        crate::replica::check_sent(id)?;
        let now = self.clock.now();
        let mut tx = self.begin_write().await?;
        let row = load_state(&mut tx, id).await?;
        let (from,): (String,) = sqlx::query_as("SELECT priority FROM tickets WHERE id = ?")
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
        let from = decode(Priority::parse, &from, "priority")?;
        let event = priority_change(actor, &row.state()?, from, to)?;
        sqlx::query("UPDATE tickets SET priority = ?, priority_rank = ? WHERE id = ?")
            .bind(to.as_str())
            .bind(to.rank())
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        commit_events(&mut tx, &row, Some(actor.id), now, &[event]).await?;
        let queued = Command::ChangePriority { ticket: id, to };
        self.queue_if_replica(&mut tx, Some(id), queued).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes an unassigned ticket for oneself.
    pub async fn claim_ticket(&self, actor: &Actor, id: TicketId) -> Result<(), StoreError> {
        actor.authorize(Action::ClaimTicket)?;
        self.change_ticket(actor, id, &TicketCommand::Claim).await
    }

    /// Assigns or reassigns a ticket to `to` (supervisors).
    pub async fn assign_ticket(
        &self,
        actor: &Actor,
        id: TicketId,
        to: UserId,
    ) -> Result<(), StoreError> {
        actor.authorize(Action::AssignTicket)?;
        self.change_ticket(actor, id, &TicketCommand::Assign { to })
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
        validate::note(body)?;
        crate::replica::check_sent(id)?;
        let now = self.clock.now();
        let mut tx = self.begin_write().await?;
        let row = load_state(&mut tx, id).await?;
        actor.authorize(Action::AddNote {
            assignee: row.state()?.assignee,
        })?;
        // On a replica, a note waiting for the server has a provisional (negative) id.
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
        .fetch_one(&mut *tx)
        .await?;
        let event = EventKind::NoteAdded {
            note_id: pulsedesk_core::ids::NoteId(note_id),
            audience,
        };
        commit_events(&mut tx, &row, Some(actor.id), now, &[event]).await?;
        let queued = Command::AddNote {
            ticket: id,
            audience,
            body: body.trim().to_string(),
        };
        self.queue_if_replica(&mut tx, Some(id), queued).await?;
        tx.commit().await?;
        Ok(())
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
