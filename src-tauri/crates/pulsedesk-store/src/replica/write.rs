//! Writing many of the server's tickets into the replica at once.
//!
//! Each table is written with a few multi-row statements, not one statement a row, and the
//! statements go to SQLite together in one [`Batch`]: every call is a round trip to the
//! driver's worker thread, and catching up on thousands of tickets — or 50 desktops each
//! applying one change — would otherwise spend most of its time in those round trips.
//!
//! A ticket comes whole (its entire log and notes: the replica is made to match) or as what
//! followed the replica's newest entries ([`TicketSnapshot::after`]: the new entries are
//! added). Either way the member's provisional entries on it (negative ids, their commands
//! already settled) give way to the server's.

use crate::batch::Batch;
use crate::rows::{decode, json, to_json};
use crate::time::to_ms;
use crate::StoreError;
use pulsedesk_core::kinds::{Channel, Department, NoteAudience, Outcome, Priority, Stage, Tier};
use pulsedesk_core::replica::{EventSnapshot, NoteSnapshot, TicketSnapshot};
use pulsedesk_core::search::index_terms;
use pulsedesk_core::sla::clock::Mark;
use pulsedesk_core::ticket::EventKind;
use sqlx::{Sqlite, SqliteConnection};
use std::collections::{HashMap, HashSet};

/// Rows a statement, kept under SQLite's 32,766 parameters for the widest table (21).
const ROWS: usize = 1000;

/// A ticket checked and ready to write: the entries this build can read, events decoded.
struct Checked<'a> {
    ticket: &'a TicketSnapshot,
    events: Vec<(&'a EventSnapshot, EventKind)>,
    notes: Vec<&'a NoteSnapshot>,
}

impl Checked<'_> {
    /// Whether an entry or note of the ticket was left out.
    fn left_out(&self) -> bool {
        self.events.len() < self.ticket.events.len() || self.notes.len() < self.ticket.notes.len()
    }
}

/// Why the replica cannot hold `t`, if it cannot: a value its readers decode (a stage, a
/// tier, the departments…) that this build does not know — written by a newer Pulsedesk, or
/// by hand on the server. Such a ticket is left as the replica had it, and the rest of the
/// pull is applied: one row must not stop the member's desktop from following the team.
pub(super) fn unreadable(t: &TicketSnapshot) -> Option<StoreError> {
    let check = || -> Result<(), StoreError> {
        decode(Stage::parse, &t.stage, "stage")?;
        decode(Priority::parse, &t.priority, "priority")?;
        decode(Tier::parse, &t.tier, "tier")?;
        decode(Tier::parse, &t.customer.tier, "tier")?;
        decode(Channel::parse, &t.channel, "channel")?;
        if let Some(o) = &t.outcome {
            decode(Outcome::parse, o, "outcome")?;
        }
        json::<Vec<Department>>(&t.departments, "departments")?;
        json::<Vec<String>>(&t.attachments, "attachments")?;
        Ok(())
    };
    check().err()
}

/// Decodes `t`'s new entries. An entry this build cannot read (a kind added by a newer
/// Pulsedesk, a note for an unknown audience) is left out, with a warning, and the ticket and
/// its other entries are written: the replica asks only for entries after the newest it
/// holds, so such an entry is asked for again only while nothing follows it.
fn check(t: &TicketSnapshot) -> Checked<'_> {
    let events = t
        .events
        .iter()
        .filter_map(|e| match serde_json::from_str::<EventKind>(&e.data) {
            Ok(kind) => Some((e, kind)),
            Err(error) => {
                tracing::warn!(ticket = %t.number, entry = e.id, kind = %e.kind, %error,
                    "a log entry this desktop cannot read was left out");
                None
            }
        })
        .collect();
    let notes = t
        .notes
        .iter()
        .filter(|n| {
            let known = NoteAudience::parse(&n.audience).is_some();
            if !known {
                tracing::warn!(ticket = %t.number, note = n.id, audience = %n.audience,
                    "a note for an audience this desktop does not know was left out");
            }
            known
        })
        .collect();
    Checked {
        ticket: t,
        events,
        notes,
    }
}

/// Replaces `tickets` (rows, customers, logs, notes, search entries) with the server's:
/// reads what it must first (only for tickets that came whole), then adds the writes to
/// `batch`, for the caller to run with its own.
/// A scratch workspace (a report's period) skips the search index.
/// `settled`: the tickets whose local edits were sent or refused and not yet read back —
/// the only ones that can hold provisional entries.
/// Returns the tickets written with entries left out (see [`check`]).
pub(super) async fn write_tickets<'a>(
    conn: &mut SqliteConnection,
    batch: &mut Batch<'a>,
    tickets: &[&'a TicketSnapshot],
    settled: &HashSet<i64>,
    scratch: bool,
) -> Result<Vec<i64>, StoreError> {
    if tickets.is_empty() {
        return Ok(Vec::new());
    }
    let checked: Vec<Checked> = tickets.iter().map(|t| check(t)).collect();
    let ids = Ids::of(tickets, settled);
    // Reads before any write of the batch: what the replica holds of tickets that came whole.
    let events = held(conn, "ticket_events", &ids).await?;
    let notes_held = held(conn, "notes", &ids).await?;
    let known = known(conn, tickets).await?;
    customers(batch, tickets);
    rows(batch, tickets, &known);
    log(batch, &checked, &ids, &events);
    notes(batch, &checked, &ids, &notes_held);
    if !scratch {
        search(batch, tickets);
    }
    Ok(checked
        .iter()
        .filter(|c| c.left_out())
        .map(|c| c.ticket.id)
        .collect())
}

/// The tickets being written, as JSON arrays for `json_each`: those that came whole, and
/// those that came as what followed the replica's entries while they may hold provisional
/// ones.
struct Ids {
    whole: String,
    any_whole: bool,
    provisional: String,
    any_provisional: bool,
}

impl Ids {
    fn of(tickets: &[&TicketSnapshot], settled: &HashSet<i64>) -> Ids {
        let whole: Vec<i64> = tickets
            .iter()
            .filter(|t| t.after.is_none())
            .map(|t| t.id)
            .collect();
        let provisional: Vec<i64> = tickets
            .iter()
            .filter(|t| t.after.is_some() && settled.contains(&t.id))
            .map(|t| t.id)
            .collect();
        Ids {
            any_whole: !whole.is_empty(),
            whole: to_json(&whole),
            any_provisional: !provisional.is_empty(),
            provisional: to_json(&provisional),
        }
    }
}

fn customers<'a>(batch: &mut Batch<'a>, tickets: &[&'a TicketSnapshot]) {
    // One row a customer: the last ticket's copy wins (they are all the same server row).
    let mut by_id: HashMap<i64, &TicketSnapshot> = HashMap::new();
    for t in tickets {
        by_id.insert(t.customer.id, t);
    }
    let all: Vec<&TicketSnapshot> = by_id.into_values().collect();
    for chunk in all.chunks(ROWS) {
        let q = batch
            .statement()
            .push("INSERT INTO customers (id, name, phone, email, tier, created_at) ");
        q.push_values(chunk.iter().copied(), |mut b, t| {
            let c = &t.customer;
            b.push_bind(c.id)
                .push_bind(&c.name)
                .push_bind(&c.phone)
                .push_bind(&c.email)
                .push_bind(&c.tier)
                .push_bind(to_ms(c.created_at));
        });
        q.push(
            " ON CONFLICT (id) DO UPDATE SET name = excluded.name, phone = excluded.phone,
              email = excluded.email, tier = excluded.tier",
        );
    }
}

/// Which of `tickets` the replica already holds. A lone ticket (the usual pull) is not looked
/// up: its column updates find nothing to change when it is new, for no more than the look-up.
async fn known<'a>(
    conn: &mut SqliteConnection,
    tickets: &[&'a TicketSnapshot],
) -> Result<Vec<&'a TicketSnapshot>, StoreError> {
    if tickets.len() == 1 {
        return Ok(tickets.to_vec());
    }
    let ids = to_json(&tickets.iter().map(|t| t.id).collect::<Vec<_>>());
    let held: HashSet<i64> =
        sqlx::query_scalar("SELECT id FROM tickets WHERE id IN (SELECT value FROM json_each(?))")
            .bind(ids)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect();
    Ok(tickets
        .iter()
        .filter(|t| held.contains(&t.id))
        .copied()
        .collect())
}

/// Writes the tickets' rows. A new ticket is inserted whole. A known one gets the columns
/// no index holds in the same statement, and each indexed column in a statement of its own
/// that finds the row only where the value changed: SQLite rewrites every index holding a
/// column an update sets, changed or not, and the tickets carry a score of indexes for the
/// lists — while most changes (a note, a stage) move one or two columns. Only `known`
/// tickets (already held) get those updates: a first fill or a catch-up is mostly new ones.
fn rows<'a>(batch: &mut Batch<'a>, tickets: &[&'a TicketSnapshot], known: &[&'a TicketSnapshot]) {
    for chunk in tickets.chunks(ROWS) {
        let q = batch.statement().push(
            "INSERT INTO tickets (id, number, channel, type_id, customer_id, tier, priority,
                 priority_rank, subject, description, departments, attachments, stage,
                 assignee_id, outcome, round, created_at, updated_at, first_response_at,
                 resolved_at, version, waiting_since, wait_reason) ",
        );
        q.push_values(chunk.iter().copied(), |mut b, t| {
            b.push_bind(t.id)
                .push_bind(&t.number)
                .push_bind(&t.channel)
                .push_bind(t.type_id)
                .push_bind(t.customer.id)
                .push_bind(&t.tier)
                .push_bind(&t.priority)
                .push_bind(t.priority_rank)
                .push_bind(&t.subject)
                .push_bind(&t.description)
                .push_bind(&t.departments)
                .push_bind(&t.attachments)
                .push_bind(&t.stage)
                .push_bind(t.assignee_id)
                .push_bind(&t.outcome)
                .push_bind(t.round)
                .push_bind(to_ms(t.created_at))
                .push_bind(to_ms(t.updated_at))
                .push_bind(t.first_response_at.map(to_ms))
                .push_bind(t.resolved_at.map(to_ms))
                .push_bind(t.version)
                .push_bind(t.waiting_since.map(to_ms))
                .push_bind(&t.wait_reason);
        });
        q.push(
            " ON CONFLICT (id) DO UPDATE SET subject = excluded.subject,
              description = excluded.description, departments = excluded.departments,
              attachments = excluded.attachments, outcome = excluded.outcome,
              round = excluded.round, updated_at = excluded.updated_at,
              version = excluded.version, waiting_since = excluded.waiting_since,
              wait_reason = excluded.wait_reason",
        );
    }
    for chunk in known.chunks(ROWS) {
        changed(batch, "number", chunk, |t| t.number.as_str());
        changed(batch, "channel", chunk, |t| t.channel.as_str());
        changed(batch, "type_id", chunk, |t| t.type_id);
        changed(batch, "customer_id", chunk, |t| t.customer.id);
        changed(batch, "tier", chunk, |t| t.tier.as_str());
        changed(batch, "priority", chunk, |t| t.priority.as_str());
        changed(batch, "priority_rank", chunk, |t| t.priority_rank);
        changed(batch, "stage", chunk, |t| t.stage.as_str());
        changed(batch, "assignee_id", chunk, |t| t.assignee_id);
        changed(batch, "created_at", chunk, |t| to_ms(t.created_at));
        changed(batch, "first_response_at", chunk, |t| {
            t.first_response_at.map(to_ms)
        });
        changed(batch, "resolved_at", chunk, |t| t.resolved_at.map(to_ms));
    }
}

/// Sets the indexed `column` of the tickets in `chunk` to `value` only where it differs.
fn changed<'a, T>(
    batch: &mut Batch<'a>,
    column: &'static str,
    chunk: &[&'a TicketSnapshot],
    value: impl Fn(&'a TicketSnapshot) -> T,
) where
    T: 'a + sqlx::Encode<'a, Sqlite> + sqlx::Type<Sqlite>,
{
    if let [t] = chunk {
        // One ticket (the usual pull): a look-up by key, without a join.
        batch
            .statement()
            .push(format!("UPDATE tickets SET {column} = "))
            .push_bind(value(t))
            .push(" WHERE id = ")
            .push_bind(t.id)
            .push(format!(" AND {column} IS NOT "))
            .push_bind(value(t));
        return;
    }
    let q = batch.statement().push("WITH v (id, value) AS (");
    q.push_values(chunk.iter().copied(), |mut b, t| {
        b.push_bind(t.id).push_bind(value(t));
    });
    q.push(format!(
        ") UPDATE tickets SET {column} = v.value FROM v
         WHERE tickets.id = v.id AND tickets.{column} IS NOT v.value"
    ));
}

/// The ids the replica holds in `table` (a log or notes) for the tickets that came whole
/// (none to read when every ticket came as what followed the replica's entries).
async fn held(
    conn: &mut SqliteConnection,
    table: &'static str,
    ids: &Ids,
) -> Result<HashSet<i64>, StoreError> {
    if !ids.any_whole {
        return Ok(HashSet::new());
    }
    let rows: Vec<(i64,)> = sqlx::query_as(&format!(
        "SELECT id FROM {table} WHERE ticket_id IN (SELECT value FROM json_each(?))"
    ))
    .bind(&ids.whole)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Drops from `table` what the server does not have: for tickets that came as what followed,
/// their provisional entries (the server's replace them); for tickets that came whole, the
/// held rows (`have`) missing from the server's (`want`).
fn settle<'a>(
    batch: &mut Batch<'a>,
    table: &'static str,
    ids: &Ids,
    have: &HashSet<i64>,
    want: &HashSet<i64>,
) {
    if ids.any_provisional {
        batch
            .statement()
            .push(format!(
                "DELETE FROM {table} WHERE ticket_id IN (SELECT value FROM json_each("
            ))
            .push_bind(ids.provisional.clone())
            .push(")) AND id < 0");
    }
    let gone: Vec<i64> = have.difference(want).copied().collect();
    if !gone.is_empty() {
        batch
            .statement()
            .push(format!(
                "DELETE FROM {table} WHERE id IN (SELECT value FROM json_each("
            ))
            .push_bind(to_json(&gone))
            .push("))");
    }
}

/// The server's log only grows: writes what is new and drops what the server does not
/// have. Alerts the team recorded (on any desktop) are marked raised here too: not again.
fn log<'a>(batch: &mut Batch<'a>, tickets: &[Checked<'a>], ids: &Ids, have: &HashSet<i64>) {
    let want: HashSet<i64> = tickets
        .iter()
        .filter(|c| c.ticket.after.is_none())
        .flat_map(|c| c.ticket.events.iter().map(|e| e.id))
        .collect();
    settle(batch, "ticket_events", ids, have, &want);
    let new: Vec<_> = tickets
        .iter()
        .flat_map(|c| {
            c.events
                .iter()
                .map(move |(e, kind)| (c.ticket.id, *e, kind))
        })
        .filter(|(_, e, _)| !have.contains(&e.id))
        .collect();
    for chunk in new.chunks(ROWS) {
        let q = batch.statement().push(
            "INSERT OR IGNORE INTO ticket_events (id, ticket_id, at, actor_id, kind, data, mark) ",
        );
        q.push_values(chunk, |mut b, (ticket, e, kind)| {
            b.push_bind(e.id)
                .push_bind(*ticket)
                .push_bind(to_ms(e.at))
                .push_bind(e.actor_id)
                .push_bind(kind.name())
                .push_bind(to_json(kind))
                .push_bind(Mark::of(kind).map(Mark::code));
        });
    }
    let alerts: Vec<_> = tickets
        .iter()
        .flat_map(|c| {
            c.events.iter().filter_map(move |(e, kind)| match kind {
                EventKind::SlaAlert {
                    clock,
                    level,
                    round,
                } => Some((c.ticket.id, *clock, *level, *round, e.at)),
                _ => None,
            })
        })
        .collect();
    for chunk in alerts.chunks(ROWS) {
        let q = batch
            .statement()
            .push("INSERT OR IGNORE INTO sla_alerts (ticket_id, clock, level, round, at) ");
        q.push_values(chunk, |mut b, (ticket, clock, level, round, at)| {
            b.push_bind(*ticket)
                .push_bind(clock.as_str())
                .push_bind(level.as_str())
                .push_bind(i64::from(*round))
                .push_bind(to_ms(*at));
        });
    }
}

fn notes<'a>(batch: &mut Batch<'a>, tickets: &[Checked<'a>], ids: &Ids, have: &HashSet<i64>) {
    let want: HashSet<i64> = tickets
        .iter()
        .filter(|c| c.ticket.after.is_none())
        .flat_map(|c| c.ticket.notes.iter().map(|n| n.id))
        .collect();
    settle(batch, "notes", ids, have, &want);
    let new: Vec<(i64, &'a NoteSnapshot)> = tickets
        .iter()
        .flat_map(|c| c.notes.iter().map(move |n| (c.ticket.id, *n)))
        .filter(|(_, n)| !have.contains(&n.id))
        .collect();
    for chunk in new.chunks(ROWS) {
        let q = batch.statement().push(
            "INSERT OR IGNORE INTO notes (id, ticket_id, author_id, audience, body, created_at) ",
        );
        q.push_values(chunk.iter().copied(), |mut b, (ticket, n)| {
            b.push_bind(n.id)
                .push_bind(ticket)
                .push_bind(n.author_id)
                .push_bind(&n.audience)
                .push_bind(&n.body)
                .push_bind(to_ms(n.created_at));
        });
    }
}

/// Indexes each ticket's number, subject and customer for search — only where they changed:
/// rewriting a full-text entry costs far more than reading it, and most changes (a note, a
/// stage) leave them as they were.
fn search<'a>(batch: &mut Batch<'a>, tickets: &[&'a TicketSnapshot]) {
    let terms: Vec<(i64, String)> = tickets
        .iter()
        .map(|t| {
            let terms = index_terms(&format!("{} {} {}", t.number, t.subject, t.customer.name));
            (t.id, terms)
        })
        .collect();
    for chunk in terms.chunks(ROWS) {
        let q = batch.statement().push("WITH v (id, terms) AS (");
        q.push_values(chunk.iter().cloned(), |mut b, (id, terms)| {
            b.push_bind(id).push_bind(terms);
        });
        q.push(
            ") INSERT OR REPLACE INTO ticket_search (rowid, terms)
             SELECT v.id, v.terms FROM v WHERE NOT EXISTS
                 (SELECT 1 FROM ticket_search s WHERE s.rowid = v.id AND s.terms = v.terms)",
        );
    }
}
