//! Writing what the server holds into the replica: whole tickets and the team's setup.

use crate::rows::decode;
use crate::time::to_ms;
use crate::{StoreError, Workspace};
use pulsedesk_core::ids::{TicketId, UserId};
use pulsedesk_core::kinds::{Priority, Role, Stage, Tier};
use pulsedesk_core::replica::{ConfigSnapshot, TicketSnapshot};
use pulsedesk_core::ticket::EventKind;
use sqlx::SqliteConnection;
use std::collections::HashSet;

/// Setting: where this replica has read the server's change feed up to (opaque to the store).
const CURSOR: &str = "replica.cursor";

/// What one [`Workspace::apply_tickets`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Tickets written from the server's state.
    pub written: Vec<TicketId>,
    /// Tickets removed (no longer visible to the member, or out of the window).
    pub removed: Vec<TicketId>,
    /// Tickets left as they were because they have unsent edits.
    pub held: Vec<TicketId>,
}

impl Applied {
    /// Every ticket whose local view changed.
    pub fn changed(&self) -> impl Iterator<Item = TicketId> + '_ {
        self.written.iter().chain(&self.removed).copied()
    }
}

impl Workspace {
    /// Where the replica has read the feed up to, if it has started.
    pub async fn replica_cursor(&self) -> Result<Option<String>, StoreError> {
        self.setting(CURSOR).await
    }

    /// Writes the server's `tickets`, removes `gone`, and (when given) moves the cursor —
    /// all in one transaction, so a crash never leaves the cursor ahead of the data.
    /// Tickets with unsent edits are held: the member keeps seeing their version until the
    /// edits are sent (the sync engine then reads the ticket again).
    pub async fn apply_tickets(
        &self,
        tickets: &[TicketSnapshot],
        gone: &[TicketId],
        cursor: Option<&str>,
    ) -> Result<Applied, StoreError> {
        let now = self.clock.now();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let mut applied = Applied::default();
        for t in tickets {
            let id = TicketId(t.id);
            if unsent(&mut tx, id).await? {
                applied.held.push(id);
                continue;
            }
            write_ticket(&mut tx, t).await?;
            applied.written.push(id);
        }
        for id in gone {
            if unsent(&mut tx, *id).await? {
                applied.held.push(*id);
                continue;
            }
            if remove_ticket(&mut tx, *id).await? {
                applied.removed.push(*id);
            }
        }
        let held = applied.held.clone();
        for id in tickets
            .iter()
            .map(|t| TicketId(t.id))
            .chain(gone.iter().copied())
        {
            if !held.contains(&id) {
                sqlx::query("DELETE FROM replica_stale WHERE ticket_id = ?")
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        if !applied.written.is_empty() {
            let book = crate::sla::load_book(&mut tx).await?;
            crate::sla::refresh_tickets(&mut tx, &book, Some(&applied.written), now).await?;
        }
        if let Some(cursor) = cursor {
            sqlx::query(
                "INSERT INTO settings (key, value) VALUES (?, ?)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(CURSOR)
            .bind(cursor)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(applied)
    }

    /// Replaces the team's members, skills and ticket types with the server's. Members who
    /// left are kept inactive (their names stay on old tickets).
    pub async fn apply_config(&self, config: &ConfigSnapshot) -> Result<(), StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let me: Option<(String,)> = sqlx::query_as("SELECT value FROM settings WHERE key = ?")
            .bind(super::MEMBER)
            .fetch_optional(&mut *tx)
            .await?;
        let me: i64 = me.and_then(|(v,)| v.parse().ok()).unwrap_or(0);
        sqlx::query("UPDATE users SET active = 0")
            .execute(&mut *tx)
            .await?;
        for m in &config.members {
            decode(Role::parse, &m.role, "role")?;
            // A renamed member may free a name another takes; names are unique locally.
            sqlx::query("UPDATE users SET name = name || ' #' || id WHERE lower(name) = lower(?) AND id <> ?")
                .bind(&m.name)
                .bind(m.id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO users (id, name, role, cap, active, presence, last_assigned_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role,
                     cap = excluded.cap, active = excluded.active,
                     presence = CASE WHEN users.id = ? THEN users.presence ELSE excluded.presence END,
                     last_assigned_at = excluded.last_assigned_at",
            )
            .bind(m.id)
            .bind(&m.name)
            .bind(&m.role)
            .bind(m.cap.max(1))
            .bind(m.active)
            .bind(&m.presence)
            .bind(m.last_assigned_at.map(to_ms))
            .bind(me)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("DELETE FROM user_skills")
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM skills").execute(&mut *tx).await?;
        for (id, name) in &config.skills {
            sqlx::query("INSERT INTO skills (id, name) VALUES (?, ?)")
                .bind(id)
                .bind(name)
                .execute(&mut *tx)
                .await?;
        }
        for (member, skill) in &config.member_skills {
            sqlx::query("INSERT OR IGNORE INTO user_skills (user_id, skill_id) VALUES (?, ?)")
                .bind(member)
                .bind(skill)
                .execute(&mut *tx)
                .await?;
        }
        for t in &config.types {
            sqlx::query("UPDATE ticket_types SET name = name || ' #' || id WHERE lower(name) = lower(?) AND id <> ?")
                .bind(&t.name)
                .bind(t.id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO ticket_types (id, name, template, active) VALUES (?, ?, ?, ?)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name,
                     template = excluded.template, active = excluded.active",
            )
            .bind(t.id)
            .bind(&t.name)
            .bind(&t.template)
            .bind(t.active)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The ids of every ticket in the replica that the server has numbered.
    pub async fn replica_ticket_ids(&self) -> Result<Vec<TicketId>, StoreError> {
        let rows: Vec<(i64,)> = sqlx::query_as("SELECT id FROM tickets WHERE id > 0 ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(|r| TicketId(r.0)).collect())
    }
}

async fn unsent(conn: &mut SqliteConnection, id: TicketId) -> Result<bool, StoreError> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT 1 FROM outbox WHERE ticket_id = ? AND state = 'pending' LIMIT 1")
            .bind(id.0)
            .fetch_optional(conn)
            .await?;
    Ok(row.is_some())
}

/// Replaces one ticket (row, customer, log, notes, search entry) with the server's.
async fn write_ticket(conn: &mut SqliteConnection, t: &TicketSnapshot) -> Result<(), StoreError> {
    // Check what the server sent before anything is written.
    decode(Stage::parse, &t.stage, "stage")?;
    decode(Priority::parse, &t.priority, "priority")?;
    decode(Tier::parse, &t.tier, "tier")?;
    decode(Tier::parse, &t.customer.tier, "tier")?;
    let events = t
        .events
        .iter()
        .map(|e| {
            serde_json::from_str::<EventKind>(&e.data).map_err(|err| {
                StoreError::Corrupt(format!("ticket {} event {}: {err}", t.number, e.id))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let c = &t.customer;
    sqlx::query(
        "INSERT INTO customers (id, name, phone, email, tier, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, phone = excluded.phone,
             email = excluded.email, tier = excluded.tier",
    )
    .bind(c.id)
    .bind(&c.name)
    .bind(&c.phone)
    .bind(&c.email)
    .bind(&c.tier)
    .bind(to_ms(c.created_at))
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO tickets (id, number, channel, type_id, customer_id, tier, priority, priority_rank,
             subject, description, departments, attachments, stage, assignee_id, outcome, round,
             created_at, updated_at, first_response_at, resolved_at, version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET number = excluded.number, channel = excluded.channel,
             type_id = excluded.type_id, customer_id = excluded.customer_id, tier = excluded.tier,
             priority = excluded.priority, priority_rank = excluded.priority_rank,
             subject = excluded.subject, description = excluded.description,
             departments = excluded.departments, attachments = excluded.attachments,
             stage = excluded.stage, assignee_id = excluded.assignee_id, outcome = excluded.outcome,
             round = excluded.round, created_at = excluded.created_at,
             updated_at = excluded.updated_at, first_response_at = excluded.first_response_at,
             resolved_at = excluded.resolved_at, version = excluded.version",
    )
    .bind(t.id)
    .bind(&t.number)
    .bind(&t.channel)
    .bind(t.type_id)
    .bind(c.id)
    .bind(&t.tier)
    .bind(&t.priority)
    .bind(t.priority_rank)
    .bind(&t.subject)
    .bind(&t.description)
    .bind(&t.departments)
    .bind(&t.attachments)
    .bind(&t.stage)
    .bind(t.assignee_id)
    .bind(&t.outcome)
    .bind(t.round)
    .bind(to_ms(t.created_at))
    .bind(to_ms(t.updated_at))
    .bind(t.first_response_at.map(to_ms))
    .bind(t.resolved_at.map(to_ms))
    .bind(t.version)
    .execute(&mut *conn)
    .await?;
    // The server's log only grows: write what is new, drop what the server does not have
    // (the member's provisional entries, now superseded).
    let have = local_ids(&mut *conn, "ticket_events", t.id).await?;
    let want: HashSet<i64> = t.events.iter().map(|e| e.id).collect();
    drop_missing(&mut *conn, "ticket_events", &have, &want).await?;
    for (e, kind) in t.events.iter().zip(&events) {
        if !have.contains(&e.id) {
            crate::tickets::insert_event(
                &mut *conn,
                e.id,
                TicketId(t.id),
                e.at,
                e.actor_id.map(UserId),
                kind,
            )
            .await?;
        }
    }
    // Alerts the team recorded (on any desktop) are raised here too: not again.
    for (e, kind) in t.events.iter().zip(&events) {
        if let EventKind::SlaAlert {
            clock,
            level,
            round,
        } = kind
        {
            sqlx::query(
                "INSERT OR IGNORE INTO sla_alerts (ticket_id, clock, level, round, at) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(t.id)
            .bind(clock.as_str())
            .bind(level.as_str())
            .bind(i64::from(*round))
            .bind(to_ms(e.at))
            .execute(&mut *conn)
            .await?;
        }
    }
    let have = local_ids(&mut *conn, "notes", t.id).await?;
    let want: HashSet<i64> = t.notes.iter().map(|n| n.id).collect();
    drop_missing(&mut *conn, "notes", &have, &want).await?;
    for n in t.notes.iter().filter(|n| !have.contains(&n.id)) {
        sqlx::query(
            "INSERT INTO notes (id, ticket_id, author_id, audience, body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(n.id)
        .bind(t.id)
        .bind(n.author_id)
        .bind(&n.audience)
        .bind(&n.body)
        .bind(to_ms(n.created_at))
        .execute(&mut *conn)
        .await?;
    }
    crate::search_index::index_ticket(&mut *conn, t.id, &t.number, &t.subject, &c.name).await?;
    Ok(())
}

/// Removes one ticket and everything local that hangs off it. Returns whether it was there.
pub(crate) async fn remove_ticket(
    conn: &mut SqliteConnection,
    id: TicketId,
) -> Result<bool, StoreError> {
    for sql in [
        "DELETE FROM ticket_events WHERE ticket_id = ?",
        "DELETE FROM notes WHERE ticket_id = ?",
        "DELETE FROM sla_alerts WHERE ticket_id = ?",
        "DELETE FROM sla_notices WHERE ticket_id = ?",
        "DELETE FROM transfer_requests WHERE ticket_id = ?",
        "UPDATE audit_log SET ticket_id = NULL WHERE ticket_id = ?",
        "DELETE FROM ticket_search WHERE rowid = ?",
    ] {
        sqlx::query(sql).bind(id.0).execute(&mut *conn).await?;
    }
    let done = sqlx::query("DELETE FROM tickets WHERE id = ?")
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The ids of a ticket's rows in `table` (its log or its notes).
async fn local_ids(
    conn: &mut SqliteConnection,
    table: &'static str,
    ticket: i64,
) -> Result<HashSet<i64>, StoreError> {
    let rows: Vec<(i64,)> = sqlx::query_as(&format!("SELECT id FROM {table} WHERE ticket_id = ?"))
        .bind(ticket)
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Deletes the rows of `have` that the server's `want` does not hold.
async fn drop_missing(
    conn: &mut SqliteConnection,
    table: &'static str,
    have: &HashSet<i64>,
    want: &HashSet<i64>,
) -> Result<(), StoreError> {
    for id in have.difference(want) {
        sqlx::query(&format!("DELETE FROM {table} WHERE id = ?"))
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
