//! Writing what the server holds into the replica: whole tickets and the team's setup.

use crate::batch::Batch;
use crate::rows::{decode, to_json};
use crate::time::to_ms;
use crate::{StoreError, Workspace};
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::kinds::Role;
use pulsedesk_core::replica::{After, ConfigSnapshot, TicketSnapshot};
use sqlx::SqliteConnection;
use std::collections::{HashMap, HashSet};

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
    /// Tickets left as they were because this build cannot read the server's row (see
    /// `write::unreadable`).
    pub unreadable: Vec<TicketId>,
    /// Tickets written with some entries or notes left out (this build cannot read them).
    pub partial: Vec<TicketId>,
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
        if let Some(known) = self.cursor.lock().ok().and_then(|c| c.clone()) {
            return Ok(Some(known));
        }
        let stored = self.setting(CURSOR).await?;
        if let (Some(c), Ok(mut known)) = (&stored, self.cursor.lock()) {
            *known = Some(c.clone());
        }
        Ok(stored)
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
        let mut tx = self.begin_write().await?;
        let mut applied = Applied::default();
        let Pending {
            unsent,
            settled: stale,
        } = pending(&mut tx).await?;
        // One copy of each ticket (the last one given), in the order given.
        let mut last: HashMap<i64, usize> = HashMap::new();
        for (i, t) in tickets.iter().enumerate() {
            last.insert(t.id, i);
        }
        let mut writing = Vec::with_capacity(tickets.len());
        for (i, t) in tickets.iter().enumerate() {
            let id = TicketId(t.id);
            if last.get(&t.id) != Some(&i) {
                continue;
            }
            if unsent.contains(&t.id) {
                applied.held.push(id);
            } else if let Some(error) = super::write::unreadable(t) {
                tracing::warn!(ticket = %t.number, %error,
                    "a ticket this desktop cannot read was left as it was");
                applied.unreadable.push(id);
            } else {
                writing.push(t);
                applied.written.push(id);
            }
        }
        for id in gone {
            if unsent.contains(&id.0) {
                applied.held.push(*id);
            } else if remove_ticket(&mut tx, *id).await? {
                applied.removed.push(*id);
            }
        }
        // The writes go to SQLite in one call (see `Batch`).
        let mut batch = Batch::new();
        let partial =
            super::write::write_tickets(&mut tx, &mut batch, &writing, &stale, self.scratch)
                .await?;
        // What the replica could not hold whole is read again at the next connection; read
        // whole and written with nothing left out (or gone from view), a ticket no longer counts.
        applied.partial = partial.into_iter().map(TicketId).collect();
        let not_whole: Vec<i64> = applied
            .unreadable
            .iter()
            .chain(&applied.partial)
            .map(|t| t.0)
            .collect();
        let settled: Vec<i64> = writing
            .iter()
            .filter(|t| t.after.is_none())
            .map(|t| t.id)
            .chain(gone.iter().map(|t| t.0).filter(|id| !unsent.contains(id)))
            .collect();
        batch.with_ids(
            "DELETE FROM replica_unreadable WHERE ticket_id IN (SELECT value FROM json_each(",
            &settled,
            "))",
        );
        batch.with_ids(
            "INSERT OR IGNORE INTO replica_unreadable (ticket_id) SELECT value FROM json_each(",
            &not_whole,
            ")",
        );
        // Read back now: no longer to be read again (only those marked are looked for).
        let read_back: Vec<i64> = tickets
            .iter()
            .map(|t| t.id)
            .chain(gone.iter().map(|t| t.0))
            .filter(|id| {
                !unsent.contains(id)
                    && stale.contains(id)
                    && !applied.unreadable.contains(&TicketId(*id))
            })
            .collect();
        batch.with_ids(
            "DELETE FROM replica_stale WHERE ticket_id IN (SELECT value FROM json_each(",
            &read_back,
            "))",
        );
        if let Some(cursor) = cursor {
            batch
                .statement()
                .push("INSERT INTO settings (key, value) VALUES (")
                .push_bind(CURSOR)
                .push(", ")
                .push_bind(cursor)
                .push(") ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        }
        // Then, after the writes and in the same call, what the clocks need.
        if !applied.written.is_empty() {
            crate::sla::read_rules_and_marks(&mut batch, &applied.written);
        }
        let read = batch.fetch(&mut tx).await?;
        if !applied.written.is_empty() {
            let row = read
                .last()
                .ok_or_else(|| StoreError::Corrupt("the clock inputs were not read".into()))?;
            crate::sla::save_under_rules(&mut tx, row, now).await?;
        }
        tx.commit().await?;
        if let (Some(c), Ok(mut known)) = (cursor, self.cursor.lock()) {
            *known = Some(c.to_owned());
        }
        Ok(applied)
    }

    /// Replaces the team's members, skills and ticket types with the server's. Members who
    /// left are kept inactive (their names stay on old tickets).
    pub async fn apply_config(&self, config: &ConfigSnapshot) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
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

    /// For each of `ids`, the newest log entry and note the replica holds from the server
    /// (0 where it holds none): a pull asks the server only for what follows them.
    pub async fn replica_after(
        &self,
        ids: &[TicketId],
    ) -> Result<Vec<(TicketId, After)>, StoreError> {
        let ids = to_json(&ids.iter().map(|t| t.0).collect::<Vec<_>>());
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT j.value,
                 coalesce((SELECT max(e.id) FROM ticket_events e
                           WHERE e.ticket_id = j.value AND e.id > 0), 0),
                 coalesce((SELECT max(n.id) FROM notes n
                           WHERE n.ticket_id = j.value AND n.id > 0), 0)
             FROM json_each(?) j",
        )
        .bind(ids)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, event, note)| (TicketId(id), After { event, note }))
            .collect())
    }

    /// Tickets the replica could not hold whole ([`Applied::unreadable`] and
    /// [`Applied::partial`], until read whole again with nothing left out): the sync engine
    /// reads them again at every connection, and the app says how many there are.
    pub async fn unreadable_tickets(&self) -> Result<Vec<TicketId>, StoreError> {
        let rows: Vec<(i64,)> =
            sqlx::query_as("SELECT ticket_id FROM replica_unreadable ORDER BY ticket_id")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|r| TicketId(r.0)).collect())
    }

    /// The ids of every ticket in the replica that the server has numbered.
    pub async fn replica_ticket_ids(&self) -> Result<Vec<TicketId>, StoreError> {
        let rows: Vec<(i64,)> = sqlx::query_as("SELECT id FROM tickets WHERE id > 0 ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(|r| TicketId(r.0)).collect())
    }
}

/// The tickets the member changed here.
struct Pending {
    /// Edits still waiting to be sent.
    unsent: HashSet<i64>,
    /// Edits settled (sent or refused) but not yet read back: only these tickets can still
    /// hold provisional entries.
    settled: HashSet<i64>,
}

async fn pending(conn: &mut SqliteConnection) -> Result<Pending, StoreError> {
    let rows: Vec<(i64, bool)> = sqlx::query_as(
        "SELECT DISTINCT ticket_id, 0 FROM outbox WHERE state = 'pending' AND ticket_id IS NOT NULL
         UNION ALL SELECT ticket_id, 1 FROM replica_stale",
    )
    .fetch_all(conn)
    .await?;
    let mut out = Pending {
        unsent: HashSet::new(),
        settled: HashSet::new(),
    };
    for (id, settled) in rows {
        if settled {
            out.settled.insert(id);
        } else {
            out.unsent.insert(id);
        }
    }
    Ok(out)
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
