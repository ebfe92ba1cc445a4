//! The clock projection in each ticket row: every clock as JSON, plus the headline clock's
//! thresholds for the lists, the tray counts and the scheduler.
//!
//! Refreshed inside the transaction of every ticket change, and for all open tickets when
//! the SLA rules change (re-targeting).

use super::rules::load_book;
use crate::rows::{decode, json, to_json};
use crate::time::{from_ms, to_ms};
use crate::{StoreError, Workspace};
use chrono::{DateTime, Utc};
use pulsedesk_core::ids::{TicketId, TicketTypeId, UserId};
use pulsedesk_core::kinds::{Priority, Tier};
use pulsedesk_core::sla::{headline, PolicyBook, SlaClock};
use pulsedesk_core::ticket::TicketEvent;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use std::collections::HashMap;

/// The event kinds the clocks read.
const CLOCK_EVENTS: &str = "('created', 'stage_changed', 'reopened')";

struct Attrs {
    priority: Priority,
    type_id: TicketTypeId,
    tier: Tier,
}

/// Loads attributes and clock events of the tickets selected by `filter` (a WHERE clause on
/// `t`, with `?` placeholders bound from `ids`).
async fn load(
    conn: &mut SqliteConnection,
    ids: Option<&[TicketId]>,
) -> Result<(Vec<(TicketId, Attrs)>, HashMap<TicketId, Vec<TicketEvent>>), StoreError> {
    let mut q = QueryBuilder::<Sqlite>::new(
        "SELECT t.id, t.priority, t.type_id, t.tier FROM tickets t WHERE ",
    );
    push_filter(&mut q, ids);
    let rows: Vec<(i64, String, i64, String)> = q.build_query_as().fetch_all(&mut *conn).await?;
    let attrs = rows
        .into_iter()
        .map(|(id, p, ty, tier)| {
            Ok((
                TicketId(id),
                Attrs {
                    priority: decode(Priority::parse, &p, "priority")?,
                    type_id: TicketTypeId(ty),
                    tier: decode(Tier::parse, &tier, "tier")?,
                },
            ))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;

    let mut q = QueryBuilder::<Sqlite>::new(
        "SELECT e.ticket_id, e.id, e.at, e.actor_id, e.data FROM ticket_events e
         JOIN tickets t ON t.id = e.ticket_id WHERE e.kind IN ",
    );
    q.push(CLOCK_EVENTS).push(" AND ");
    push_filter(&mut q, ids);
    q.push(" ORDER BY e.ticket_id, e.id");
    let rows: Vec<(i64, i64, i64, Option<i64>, String)> =
        q.build_query_as().fetch_all(&mut *conn).await?;
    let mut events: HashMap<TicketId, Vec<TicketEvent>> = HashMap::with_capacity(attrs.len());
    for (tid, id, at, actor, data) in rows {
        events.entry(TicketId(tid)).or_default().push(TicketEvent {
            id,
            ticket_id: TicketId(tid),
            at: from_ms(at)?,
            actor_id: actor.map(UserId),
            kind: json(&data, "ticket event")?,
        });
    }
    Ok((attrs, events))
}

fn push_filter(q: &mut QueryBuilder<'_, Sqlite>, ids: Option<&[TicketId]>) {
    match ids {
        None => {
            q.push("t.stage <> 'done'");
        }
        Some(ids) => {
            q.push("t.id IN (");
            let mut sep = q.separated(", ");
            for id in ids {
                sep.push_bind(id.0);
            }
            sep.push_unseparated(")");
        }
    }
}

/// Recomputes and saves the clocks of `ids` (all open tickets when `None`) at `now`.
/// Returns how many tickets were refreshed.
pub(crate) async fn refresh_tickets(
    conn: &mut SqliteConnection,
    book: &PolicyBook,
    ids: Option<&[TicketId]>,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    if ids.is_some_and(|i| i.is_empty()) {
        return Ok(0);
    }
    let (attrs, events) = load(&mut *conn, ids).await?;
    let empty = Vec::new();
    for (id, a) in &attrs {
        let ev = events.get(id).unwrap_or(&empty);
        let clocks = book.clocks(a.priority, a.type_id, a.tier, ev, now);
        save(&mut *conn, *id, &clocks).await?;
    }
    Ok(attrs.len())
}

async fn save(
    conn: &mut SqliteConnection,
    id: TicketId,
    clocks: &[SlaClock],
) -> Result<(), StoreError> {
    let head = headline(clocks);
    sqlx::query(
        "UPDATE tickets SET sla_clocks = ?, sla_kind = ?, sla_near_at = ?, sla_due_at = ?, sla_paused = ?
         WHERE id = ?",
    )
    .bind(to_json(&clocks))
    .bind(head.map(|c| c.kind.as_str()))
    .bind(head.and_then(|c| c.near_at).map(to_ms))
    .bind(head.and_then(|c| c.due_at).map(to_ms))
    .bind(head.is_some_and(|c| c.paused))
    .bind(id.0)
    .execute(conn)
    .await?;
    Ok(())
}

impl Workspace {
    /// Re-targets every open ticket with the rules as they are in `conn`'s transaction.
    pub(crate) async fn retarget_open(
        &self,
        conn: &mut SqliteConnection,
    ) -> Result<usize, StoreError> {
        let book = load_book(&mut *conn).await?;
        refresh_tickets(conn, &book, None, self.clock.now()).await
    }

    /// Re-targets every open ticket now, in one transaction (after an upgrade, or for the
    /// benchmark). Returns how many tickets were refreshed.
    pub async fn retarget_all(&self) -> Result<usize, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let n = self.retarget_open(&mut tx).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Fills the projection of open tickets that have none (workspaces from before it existed).
    pub(crate) async fn project_missing_clocks(&self) -> Result<(), StoreError> {
        let missing: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM tickets WHERE stage <> 'done' AND sla_clocks = '[]' LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        if missing.is_some() {
            self.retarget_all().await?;
        }
        Ok(())
    }
}
