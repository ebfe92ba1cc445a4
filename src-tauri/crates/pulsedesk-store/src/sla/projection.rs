//! The clock projection in each ticket row: every clock as JSON, plus the headline clock's
//! thresholds for the lists, the tray counts and the scheduler.
//!
//! Refreshed inside the transaction of every ticket change, and for all open tickets when
//! the SLA rules change (re-targeting).

use super::rules::load_book;
use crate::batch::Batch;
use crate::rows::{decode, json};
use crate::time::{from_ms, to_ms};
use crate::{StoreError, Workspace};
use chrono::{DateTime, Utc};
use pulsedesk_core::ids::{TicketId, TicketTypeId};
use pulsedesk_core::kinds::{Priority, Tier};
use pulsedesk_core::sla::alert::watches;
use pulsedesk_core::sla::clock::{ClockMark, Mark};
use pulsedesk_core::sla::{headline, ClockKind, ClockState, PolicyBook, SlaClock};
use sqlx::sqlite::SqliteRow;
use sqlx::{FromRow, QueryBuilder, Sqlite, SqliteConnection};

/// One ticket's policy attributes and clock marks.
struct Inputs {
    id: TicketId,
    priority: Priority,
    type_id: TicketTypeId,
    tier: Tier,
    marks: Vec<ClockMark>,
}

/// Loads the policy attributes and clock marks of the tickets in `ids` (all open tickets
/// when `None`). SQLite packs everything into one JSON array — one element a ticket, its
/// marks as "at mark,at mark,…" — because fetching ten thousand rows one by one through the
/// driver costs more than the query itself.
async fn load(
    conn: &mut SqliteConnection,
    ids: Option<&[TicketId]>,
) -> Result<Vec<Inputs>, StoreError> {
    let mut q = QueryBuilder::<Sqlite>::new("");
    push_marks(&mut q, ids);
    let (packed,): (String,) = q.build_query_as().fetch_one(&mut *conn).await?;
    inputs_from(&packed)
}

/// The query [`load`] runs (also a column of a bigger one).
fn push_marks(q: &mut QueryBuilder<'_, Sqlite>, ids: Option<&[TicketId]>) {
    q.push(
        "SELECT json_group_array(json_array(t.id, t.priority, t.type_id, t.tier,
             (SELECT group_concat(e.at || ' ' || e.mark, ',' ORDER BY e.id < 0, abs(e.id)) FROM ticket_events e
              WHERE e.ticket_id = t.id AND e.mark IS NOT NULL)))
         FROM tickets t WHERE ",
    );
    push_filter(q, ids);
}

fn inputs_from(packed: &str) -> Result<Vec<Inputs>, StoreError> {
    type Row = (i64, String, i64, String, Option<String>);
    let rows: Vec<Row> = json(packed, "clock marks")?;
    rows.into_iter()
        .map(|(id, priority, type_id, tier, marks)| {
            let marks = marks
                .as_deref()
                .unwrap_or("")
                .split(',')
                .filter(|m| !m.is_empty())
                .map(|m| parse_mark(id, m))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Inputs {
                id: TicketId(id),
                priority: decode(Priority::parse, &priority, "priority")?,
                type_id: TicketTypeId(type_id),
                tier: decode(Tier::parse, &tier, "tier")?,
                marks,
            })
        })
        .collect()
}

/// One "at mark" pair.
fn parse_mark(ticket: i64, text: &str) -> Result<ClockMark, StoreError> {
    let bad = || StoreError::Corrupt(format!("bad clock mark {text:?} on ticket {ticket}"));
    let (at, code) = text.split_once(' ').ok_or_else(bad)?;
    Ok(ClockMark {
        at: from_ms(at.parse().map_err(|_| bad())?)?,
        mark: Mark::parse(code).ok_or_else(bad)?,
    })
}

fn push_filter(q: &mut QueryBuilder<'_, Sqlite>, ids: Option<&[TicketId]>) {
    match ids {
        None => {
            q.push("t.stage <> 'done'");
        }
        Some(ids) => {
            // One JSON array, not a parameter an id: a replica's first fill can hold more
            // tickets than SQLite takes parameters in one statement (32,766).
            let list: Vec<i64> = ids.iter().map(|id| id.0).collect();
            q.push("t.id IN (SELECT value FROM json_each(");
            q.push_bind(serde_json::to_string(&list).unwrap_or_else(|_| "[]".to_owned()));
            q.push("))");
        }
    }
}

/// One ticket's clocks at `now` under the rules in `conn` (without saving them).
pub(crate) async fn clocks_now(
    conn: &mut SqliteConnection,
    id: TicketId,
    now: DateTime<Utc>,
) -> Result<Vec<SlaClock>, StoreError> {
    let book = load_book(&mut *conn).await?;
    let inputs = load(&mut *conn, Some(&[id])).await?;
    Ok(inputs
        .first()
        .map(|t| book.clocks_from_marks(t.priority, t.type_id, t.tier, &t.marks, now))
        .unwrap_or_default())
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
    let inputs = load(&mut *conn, ids).await?;
    save_all(conn, book, &inputs, now).await
}

/// For [`save_under_rules`]: adds to `batch` the read of the rules and of `ids`' clock
/// marks — one row of four columns — so a replica applying the server's changes reads them
/// in the same call as its writes, after them.
pub(crate) fn read_rules_and_marks<'a>(batch: &mut Batch<'a>, ids: &[TicketId]) {
    let q = batch.statement();
    q.push("SELECT ")
        .push(super::rules::BOOK_COLUMNS)
        .push(", (");
    push_marks(q, Some(ids));
    q.push(")");
}

/// Recomputes and saves the clocks of the tickets read by [`read_rules_and_marks`] (its
/// row) at `now`. Returns how many were refreshed.
pub(crate) async fn save_under_rules(
    conn: &mut SqliteConnection,
    row: &SqliteRow,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let (policies, calendars, targets, packed): (String, String, String, String) =
        FromRow::from_row(row)?;
    let book = super::rules::book_from(&policies, &calendars, &targets)?;
    let inputs = inputs_from(&packed)?;
    save_all(conn, &book, &inputs, now).await
}

async fn save_all(
    conn: &mut SqliteConnection,
    book: &PolicyBook,
    inputs: &[Inputs],
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let rows: Vec<Projected> = inputs
        .iter()
        .map(|t| {
            let clocks = book.clocks_from_marks(t.priority, t.type_id, t.tier, &t.marks, now);
            project(t.id, &clocks)
        })
        .collect();
    for chunk in rows.chunks(SAVE_BATCH) {
        save(&mut *conn, chunk).await?;
    }
    Ok(rows.len())
}

/// Rows written per statement (12 values a row, well under SQLite's 32,766 parameters).
/// Each statement is a round trip to the driver's worker, so thousands of tickets are
/// written in a few statements, not one each.
const SAVE_BATCH: usize = 1000;

/// One ticket's projected columns.
struct Projected {
    id: i64,
    fr: (Option<i64>, Option<i64>),
    res: (Option<i64>, Option<i64>),
    kind: Option<&'static str>,
    near_at: Option<i64>,
    due_at: Option<i64>,
    paused: bool,
    /// Each clock's verdict once it has one: met (stopped within target) or breached.
    fr_met: Option<bool>,
    res_met: Option<bool>,
    /// The first-response target, in seconds.
    fr_target: Option<i64>,
}

fn project(id: TicketId, clocks: &[SlaClock]) -> Projected {
    let running = watches(clocks);
    let of = |kind| {
        running
            .iter()
            .find(|w| w.clock == kind)
            .map_or((None, None), |w| {
                (w.near_at.map(to_ms), w.due_at.map(to_ms))
            })
    };
    let head = headline(clocks);
    let verdict = |kind| {
        clocks
            .iter()
            .find(|c| c.kind == kind)
            .and_then(|c| match c.state {
                ClockState::Met => Some(true),
                ClockState::Breached => Some(false),
                ClockState::OnTrack | ClockState::NearBreach => None,
            })
    };
    Projected {
        id: id.0,
        fr: of(ClockKind::FirstResponse),
        res: of(ClockKind::Resolution),
        kind: head.map(|c| c.kind.as_str()),
        near_at: head.and_then(|c| c.near_at).map(to_ms),
        due_at: head.and_then(|c| c.due_at).map(to_ms),
        paused: head.is_some_and(|c| c.paused),
        fr_met: verdict(ClockKind::FirstResponse),
        res_met: verdict(ClockKind::Resolution),
        fr_target: clocks
            .iter()
            .find(|c| c.kind == ClockKind::FirstResponse)
            .map(|c| c.target_secs),
    }
}

async fn save(conn: &mut SqliteConnection, rows: &[Projected]) -> Result<(), StoreError> {
    let mut q = QueryBuilder::<Sqlite>::new(
        "WITH v (id, fr_near, fr_due, res_near, res_due, kind, near_at, due_at, paused, fr_met, res_met, fr_target) AS (",
    );
    q.push_values(rows, |mut b, r| {
        b.push_bind(r.id)
            .push_bind(r.fr.0)
            .push_bind(r.fr.1)
            .push_bind(r.res.0)
            .push_bind(r.res.1)
            .push_bind(r.kind)
            .push_bind(r.near_at)
            .push_bind(r.due_at)
            .push_bind(r.paused)
            .push_bind(r.fr_met)
            .push_bind(r.res_met)
            .push_bind(r.fr_target);
    });
    q.push(
        ") UPDATE tickets SET sla_projected = 1, sla_fr_near_at = v.fr_near, sla_fr_due_at = v.fr_due,
             sla_res_near_at = v.res_near, sla_res_due_at = v.res_due, sla_kind = v.kind,
             sla_near_at = v.near_at, sla_due_at = v.due_at, sla_paused = v.paused,
             sla_fr_met = v.fr_met, sla_res_met = v.res_met, sla_fr_target = v.fr_target
         FROM v WHERE tickets.id = v.id
         -- Unchanged clocks are not written again: every index holding one of these
         -- columns would be rewritten with the row.
         AND (tickets.sla_projected, tickets.sla_fr_near_at, tickets.sla_fr_due_at,
              tickets.sla_res_near_at, tickets.sla_res_due_at, tickets.sla_kind,
              tickets.sla_near_at, tickets.sla_due_at, tickets.sla_paused, tickets.sla_fr_met,
              tickets.sla_res_met, tickets.sla_fr_target)
             IS NOT (1, v.fr_near, v.fr_due, v.res_near, v.res_due, v.kind, v.near_at,
                     v.due_at, v.paused, v.fr_met, v.res_met, v.fr_target)",
    );
    q.build().execute(conn).await?;
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
        let mut tx = self.begin_write().await?;
        let n = self.retarget_open(&mut tx).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Gives finished tickets their clock verdicts (workspaces from before verdicts were
    /// kept), a few thousand tickets a transaction. Cheap when every ticket has them.
    pub(crate) async fn judge_finished(&self) -> Result<(), StoreError> {
        loop {
            let ids: Vec<(i64,)> = sqlx::query_as(
                "SELECT id FROM tickets WHERE stage = 'done' AND sla_fr_met IS NULL
                 AND sla_res_met IS NULL ORDER BY id LIMIT 5000",
            )
            .fetch_all(&self.pool)
            .await?;
            if ids.is_empty() {
                return Ok(());
            }
            let ids: Vec<TicketId> = ids.into_iter().map(|(id,)| TicketId(id)).collect();
            let mut tx = self.begin_write().await?;
            let book = load_book(&mut tx).await?;
            refresh_tickets(&mut tx, &book, Some(&ids), self.clock.now()).await?;
            // A finished ticket always has both verdicts; mark any the rules cannot judge
            // so the loop moves on.
            sqlx::query(
                "UPDATE tickets SET sla_fr_met = coalesce(sla_fr_met, -1)
                 WHERE id IN (SELECT value FROM json_each(?)) AND sla_fr_met IS NULL AND sla_res_met IS NULL",
            )
            .bind(crate::rows::to_json(&ids.iter().map(|t| t.0).collect::<Vec<_>>()))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        }
    }

    /// Fills the projection of open tickets that have none (workspaces from before it existed).
    pub(crate) async fn project_missing_clocks(&self) -> Result<(), StoreError> {
        let missing: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM tickets WHERE stage <> 'done' AND sla_projected = 0 LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        if missing.is_some() {
            self.retarget_all().await?;
        }
        Ok(())
    }
}
