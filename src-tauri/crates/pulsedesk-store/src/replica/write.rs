//! Writing many of the server's tickets into the replica at once.
//!
//! Each table is written with a few multi-row statements, not one statement a row: every
//! statement is a round trip to the SQLite driver's worker thread, and catching up on
//! thousands of tickets would otherwise spend most of its time in those round trips.
//!
//! A ticket comes whole (its entire log and notes: the replica is made to match) or as what
//! followed the replica's newest entries ([`TicketSnapshot::after`]: the new entries are
//! added). Either way the member's provisional entries on it (negative ids, their commands
//! already settled) give way to the server's.

use crate::rows::{decode, to_json};
use crate::time::to_ms;
use crate::StoreError;
use pulsedesk_core::kinds::{Priority, Stage, Tier};
use pulsedesk_core::replica::TicketSnapshot;
use pulsedesk_core::search::index_terms;
use pulsedesk_core::sla::clock::Mark;
use pulsedesk_core::ticket::EventKind;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use std::collections::{HashMap, HashSet};

/// Rows a statement, kept under SQLite's 32,766 parameters for the widest table (21).
const ROWS: usize = 1000;

/// A ticket checked and ready to write: its events decoded.
struct Checked<'a> {
    ticket: &'a TicketSnapshot,
    events: Vec<EventKind>,
}

/// Checks everything the server sent before anything is written.
fn check(t: &TicketSnapshot) -> Result<Checked<'_>, StoreError> {
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
    Ok(Checked { ticket: t, events })
}

/// Replaces `tickets` (rows, customers, logs, notes, search entries) with the server's.
/// A scratch workspace (a report's period) skips the search index.
/// `settled`: the tickets whose local edits were sent or refused and not yet read back —
/// the only ones that can hold provisional entries.
pub(super) async fn write_tickets(
    conn: &mut SqliteConnection,
    tickets: &[&TicketSnapshot],
    settled: &HashSet<i64>,
    scratch: bool,
) -> Result<(), StoreError> {
    if tickets.is_empty() {
        return Ok(());
    }
    let checked = tickets
        .iter()
        .map(|t| check(t))
        .collect::<Result<Vec<_>, _>>()?;
    let ids = Ids::of(tickets, settled);
    customers(conn, tickets).await?;
    rows(conn, tickets).await?;
    log(conn, &checked, &ids).await?;
    notes(conn, tickets, &ids).await?;
    if !scratch {
        search(conn, tickets).await?;
    }
    Ok(())
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

async fn customers(
    conn: &mut SqliteConnection,
    tickets: &[&TicketSnapshot],
) -> Result<(), StoreError> {
    // One row a customer: the last ticket's copy wins (they are all the same server row).
    let mut by_id: HashMap<i64, &TicketSnapshot> = HashMap::new();
    for t in tickets {
        by_id.insert(t.customer.id, t);
    }
    let all: Vec<&TicketSnapshot> = by_id.into_values().collect();
    for chunk in all.chunks(ROWS) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO customers (id, name, phone, email, tier, created_at) ",
        );
        q.push_values(chunk, |mut b, t| {
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
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

async fn rows(conn: &mut SqliteConnection, tickets: &[&TicketSnapshot]) -> Result<(), StoreError> {
    for chunk in tickets.chunks(ROWS) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO tickets (id, number, channel, type_id, customer_id, tier, priority,
                 priority_rank, subject, description, departments, attachments, stage,
                 assignee_id, outcome, round, created_at, updated_at, first_response_at,
                 resolved_at, version) ",
        );
        q.push_values(chunk, |mut b, t| {
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
                .push_bind(t.version);
        });
        q.push(
            " ON CONFLICT (id) DO UPDATE SET number = excluded.number, channel = excluded.channel,
              type_id = excluded.type_id, customer_id = excluded.customer_id, tier = excluded.tier,
              priority = excluded.priority, priority_rank = excluded.priority_rank,
              subject = excluded.subject, description = excluded.description,
              departments = excluded.departments, attachments = excluded.attachments,
              stage = excluded.stage, assignee_id = excluded.assignee_id, outcome = excluded.outcome,
              round = excluded.round, created_at = excluded.created_at,
              updated_at = excluded.updated_at, first_response_at = excluded.first_response_at,
              resolved_at = excluded.resolved_at, version = excluded.version",
        );
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// The ids the replica holds in `table` (a log or notes) for the tickets `ids` (JSON array).
async fn held(
    conn: &mut SqliteConnection,
    table: &'static str,
    ids: &str,
) -> Result<HashSet<i64>, StoreError> {
    let rows: Vec<(i64,)> = sqlx::query_as(&format!(
        "SELECT id FROM {table} WHERE ticket_id IN (SELECT value FROM json_each(?))"
    ))
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// What the replica holds in `table` for the tickets that came whole; and, for those that
/// came as what followed, drops their provisional entries (the server's replace them).
async fn settle(
    conn: &mut SqliteConnection,
    table: &'static str,
    ids: &Ids,
) -> Result<HashSet<i64>, StoreError> {
    if ids.any_provisional {
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE ticket_id IN (SELECT value FROM json_each(?)) AND id < 0"
        ))
        .bind(&ids.provisional)
        .execute(&mut *conn)
        .await?;
    }
    if !ids.any_whole {
        return Ok(HashSet::new());
    }
    held(conn, table, &ids.whole).await
}

/// Deletes the rows of `have` the server no longer holds (provisional local entries).
async fn drop_missing(
    conn: &mut SqliteConnection,
    table: &'static str,
    have: &HashSet<i64>,
    want: &HashSet<i64>,
) -> Result<(), StoreError> {
    let gone: Vec<i64> = have.difference(want).copied().collect();
    if gone.is_empty() {
        return Ok(());
    }
    sqlx::query(&format!(
        "DELETE FROM {table} WHERE id IN (SELECT value FROM json_each(?))"
    ))
    .bind(to_json(&gone))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The server's log only grows: writes what is new and drops what the server does not
/// have. Alerts the team recorded (on any desktop) are marked raised here too: not again.
async fn log(
    conn: &mut SqliteConnection,
    tickets: &[Checked<'_>],
    ids: &Ids,
) -> Result<(), StoreError> {
    let have = settle(conn, "ticket_events", ids).await?;
    let want: HashSet<i64> = tickets
        .iter()
        .filter(|c| c.ticket.after.is_none())
        .flat_map(|c| c.ticket.events.iter().map(|e| e.id))
        .collect();
    drop_missing(conn, "ticket_events", &have, &want).await?;
    let new: Vec<_> = tickets
        .iter()
        .flat_map(|c| {
            c.ticket
                .events
                .iter()
                .zip(&c.events)
                .map(move |(e, kind)| (c.ticket.id, e, kind))
        })
        .filter(|(_, e, _)| !have.contains(&e.id))
        .collect();
    for chunk in new.chunks(ROWS) {
        let mut q = QueryBuilder::<Sqlite>::new(
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
        q.build().execute(&mut *conn).await?;
    }
    let alerts: Vec<_> = tickets
        .iter()
        .flat_map(|c| {
            c.ticket
                .events
                .iter()
                .zip(&c.events)
                .filter_map(move |(e, kind)| match kind {
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
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT OR IGNORE INTO sla_alerts (ticket_id, clock, level, round, at) ",
        );
        q.push_values(chunk, |mut b, (ticket, clock, level, round, at)| {
            b.push_bind(*ticket)
                .push_bind(clock.as_str())
                .push_bind(level.as_str())
                .push_bind(i64::from(*round))
                .push_bind(to_ms(*at));
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

async fn notes(
    conn: &mut SqliteConnection,
    tickets: &[&TicketSnapshot],
    ids: &Ids,
) -> Result<(), StoreError> {
    let have = settle(conn, "notes", ids).await?;
    let want: HashSet<i64> = tickets
        .iter()
        .filter(|t| t.after.is_none())
        .flat_map(|t| t.notes.iter().map(|n| n.id))
        .collect();
    drop_missing(conn, "notes", &have, &want).await?;
    let new: Vec<_> = tickets
        .iter()
        .flat_map(|t| t.notes.iter().map(move |n| (t.id, n)))
        .filter(|(_, n)| !have.contains(&n.id))
        .collect();
    for chunk in new.chunks(ROWS) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT OR IGNORE INTO notes (id, ticket_id, author_id, audience, body, created_at) ",
        );
        q.push_values(chunk, |mut b, (ticket, n)| {
            b.push_bind(n.id)
                .push_bind(*ticket)
                .push_bind(n.author_id)
                .push_bind(&n.audience)
                .push_bind(&n.body)
                .push_bind(to_ms(n.created_at));
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Indexes each ticket's number, subject and customer for search — only where they changed:
/// rewriting a full-text entry costs far more than reading it, and most changes (a note, a
/// stage) leave them as they were.
async fn search(
    conn: &mut SqliteConnection,
    tickets: &[&TicketSnapshot],
) -> Result<(), StoreError> {
    let ids = to_json(&tickets.iter().map(|t| t.id).collect::<Vec<_>>());
    let indexed: HashMap<i64, String> = sqlx::query_as::<_, (i64, String)>(
        "SELECT rowid, terms FROM ticket_search WHERE rowid IN (SELECT value FROM json_each(?))",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    let stale: Vec<(i64, String)> = tickets
        .iter()
        .map(|t| {
            let terms = index_terms(&format!("{} {} {}", t.number, t.subject, t.customer.name));
            (t.id, terms)
        })
        .filter(|(id, terms)| indexed.get(id) != Some(terms))
        .collect();
    for chunk in stale.chunks(ROWS) {
        let mut q =
            QueryBuilder::<Sqlite>::new("INSERT OR REPLACE INTO ticket_search (rowid, terms) ");
        q.push_values(chunk, |mut b, (id, terms)| {
            b.push_bind(*id).push_bind(terms);
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}
