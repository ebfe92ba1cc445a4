//! Reading whole tickets and the team's setup, as the member may see them, for the
//! desktop's replica. Everything runs through row-level security; customers come masked.

use crate::feed::Cursor;
use crate::{Shared, SharedError};
use chrono::{DateTime, Utc};
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::replica::{
    After, ConfigSnapshot, CustomerSnapshot, EventSnapshot, MemberSnapshot, NoteSnapshot,
    TicketSnapshot, TypeSnapshot,
};
use sqlx::PgConnection;
use std::collections::HashMap;

/// The columns of a ticket row and its (masked) customer.
#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    number: String,
    channel: String,
    type_id: i64,
    customer_id: i64,
    tier: String,
    priority: String,
    priority_rank: i32,
    subject: String,
    description: String,
    departments: String,
    attachments: String,
    stage: String,
    assignee_id: Option<i64>,
    outcome: Option<String>,
    round: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    first_response_at: Option<DateTime<Utc>>,
    resolved_at: Option<DateTime<Utc>>,
    version: i64,
    waiting_since: Option<DateTime<Utc>>,
    wait_reason: Option<String>,
    c_name: String,
    c_phone: String,
    c_email: String,
    c_tier: String,
    c_created_at: DateTime<Utc>,
}

/// The columns of [`Row`].
macro_rules! row_columns {
    () => {
        "t.id, t.number, t.channel, t.type_id, t.customer_id, t.tier, t.priority,
        t.priority_rank, t.subject, t.description, t.departments::text AS departments,
        t.attachments::text AS attachments, t.stage, t.assignee_id, t.outcome, t.round,
        t.created_at, t.updated_at, t.first_response_at, t.resolved_at, t.version,
        t.waiting_since, t.wait_reason, c.name_masked AS c_name, c.phone_masked AS c_phone, c.email_masked AS c_email,
        c.tier AS c_tier, c.created_at AS c_created_at"
    };
}

const SELECT: &str = concat!(
    "SELECT ",
    row_columns!(),
    " FROM tickets t JOIN customers c ON c.id = t.customer_id"
);

/// A ticket's row with the log entries and notes that followed the replica's, each list a
/// JSON array of arrays (times in microseconds since the epoch): one round trip brings all.
/// `$from` names the tickets; `$event` and `$note` are what the replica holds.
macro_rules! following {
    ($from:literal, $event:literal, $note:literal) => {
        concat!(
            "SELECT ",
            row_columns!(),
            ",
            (SELECT coalesce(json_agg(json_build_array(e.id,
                        (extract(epoch FROM e.at) * 1000000)::bigint, e.actor_id, e.kind,
                        e.data::text)
                    ORDER BY e.id), '[]')::text
             FROM ticket_events e WHERE e.ticket_id = t.id AND e.id > ",
            $event,
            ") AS events_json,
            (SELECT coalesce(json_agg(json_build_array(n.id, n.author_id, n.audience, n.body,
                        (extract(epoch FROM n.created_at) * 1000000)::bigint)
                    ORDER BY n.id), '[]')::text
             FROM notes n WHERE n.ticket_id = t.id AND n.id > ",
            $note,
            ") AS notes_json ",
            $from
        )
    };
}

/// [`following!`] for many tickets, given as three arrays.
const FOLLOWING: &str = following!(
    "FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS a(ticket, after_event, after_note)
     JOIN tickets t ON t.id = a.ticket JOIN customers c ON c.id = t.customer_id",
    "a.after_event",
    "a.after_note"
);

/// [`following!`] for one ticket (the usual pull). Plain parameters, not arrays, let the
/// server keep one plan for the session: planned with arrays, its row-level security made
/// every call cost more to plan than to run.
const FOLLOWING_ONE: &str = following!(
    "FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.id = $1",
    "$2",
    "$3"
);

/// A [`Row`] with what followed the replica's entries, as [`FOLLOWING`] reads it.
#[derive(sqlx::FromRow)]
struct FollowingRow {
    #[sqlx(flatten)]
    row: Row,
    events_json: String,
    notes_json: String,
}

/// id, at (µs), actor, kind, data.
type EventJson = (i64, i64, Option<i64>, String, String);
/// id, author, audience, body, created (µs).
type NoteJson = (i64, i64, String, String, i64);

/// ticket, id, at, actor, kind, data.
type EventRow = (i64, i64, DateTime<Utc>, Option<i64>, String, String);
/// id, name, role, cap, active, presence, last assigned.
type MemberRow = (
    i64,
    String,
    String,
    i32,
    bool,
    String,
    Option<DateTime<Utc>>,
);

/// Tickets read per round trip.
const CHUNK: usize = 2000;

/// Every ticket the member can see that is open, or finished since `done_since`.
pub async fn visible(
    conn: &mut PgConnection,
    done_since: DateTime<Utc>,
) -> Result<Vec<TicketSnapshot>, SharedError> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE t.stage <> 'done' OR coalesce(t.resolved_at, t.updated_at) >= $1"
    ))
    .bind(done_since)
    .fetch_all(&mut *conn)
    .await?;
    whole(conn, rows, true).await
}

/// Reads, for each of `asks` the member can see, its row and the log entries and notes that
/// followed the replica's newest ones ([`TicketSnapshot::after`]). A ticket's entries get
/// their ids under its row lock (or in the transaction that logged it), so within a ticket
/// ids follow commit order: nothing can appear later below what the replica holds. Ids
/// missing from the answer are no longer visible to the member.
pub async fn following(
    conn: &mut PgConnection,
    asks: &[(TicketId, After)],
) -> Result<Vec<TicketSnapshot>, SharedError> {
    let mut out = Vec::with_capacity(asks.len());
    // Tickets the replica holds nothing of (new to it: a catch-up brings thousands) are read
    // whole, a query a table for all of them; the others with what followed, in one query.
    let (fresh, held): (Vec<_>, Vec<_>) = asks.iter().partition(|(_, a)| *a == After::default());
    for chunk in fresh.chunks(CHUNK) {
        let ids: Vec<i64> = chunk.iter().map(|(t, _)| t.0).collect();
        let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} WHERE t.id = ANY($1)"))
            .bind(&ids)
            .fetch_all(&mut *conn)
            .await?;
        out.extend(whole(conn, rows, true).await?);
    }
    for chunk in held.chunks(CHUNK) {
        let ids: Vec<i64> = chunk.iter().map(|(t, _)| t.0).collect();
        let events: Vec<i64> = chunk.iter().map(|(_, a)| a.event).collect();
        let notes: Vec<i64> = chunk.iter().map(|(_, a)| a.note).collect();
        let rows: Vec<FollowingRow> = match chunk {
            [(one, after)] => sqlx::query_as(FOLLOWING_ONE)
                .bind(one.0)
                .bind(after.event)
                .bind(after.note),
            _ => sqlx::query_as(FOLLOWING)
                .bind(&ids)
                .bind(&events)
                .bind(&notes),
        }
        .fetch_all(&mut *conn)
        .await?;
        let after: HashMap<i64, After> = chunk.iter().map(|(t, a)| (t.0, *a)).collect();
        for r in rows {
            let since = after.get(&r.row.id).copied().unwrap_or_default();
            out.push(followed(r, since)?);
        }
    }
    Ok(out)
}

/// A ticket as [`FOLLOWING`] read it.
fn followed(r: FollowingRow, after: After) -> Result<TicketSnapshot, SharedError> {
    let id = r.row.id;
    let bad = |what: &str, e: &dyn std::fmt::Display| {
        SharedError::Corrupt(format!("ticket {id}: {what}: {e}"))
    };
    let events: Vec<EventJson> =
        serde_json::from_str(&r.events_json).map_err(|e| bad("log entries", &e))?;
    let notes: Vec<NoteJson> = serde_json::from_str(&r.notes_json).map_err(|e| bad("notes", &e))?;
    let mut t = snapshot_of(r.row, Some(after), Vec::new(), Vec::new());
    t.events = events
        .into_iter()
        .map(|(id, at, actor_id, kind, data)| {
            Ok(EventSnapshot {
                id,
                at: DateTime::from_timestamp_micros(at)
                    .ok_or_else(|| bad("log entry time", &at))?,
                actor_id,
                kind,
                data,
            })
        })
        .collect::<Result<_, SharedError>>()?;
    t.notes = notes
        .into_iter()
        .map(|(id, author_id, audience, body, created)| {
            Ok(NoteSnapshot {
                id,
                author_id,
                audience,
                body,
                created_at: DateTime::from_timestamp_micros(created)
                    .ok_or_else(|| bad("note time", &created))?,
            })
        })
        .collect::<Result<_, SharedError>>()?;
    Ok(t)
}

/// Adds each ticket's whole log and, unless `with_notes` is false, its notes: a query each
/// for all the tickets.
async fn whole(
    conn: &mut PgConnection,
    rows: Vec<Row>,
    with_notes: bool,
) -> Result<Vec<TicketSnapshot>, SharedError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut events: HashMap<i64, Vec<EventSnapshot>> = HashMap::new();
    let found: Vec<EventRow> = sqlx::query_as(
        "SELECT ticket_id, id, at, actor_id, kind, data::text FROM ticket_events
         WHERE ticket_id = ANY($1) ORDER BY ticket_id, id",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    for (ticket, id, at, actor_id, kind, data) in found {
        events.entry(ticket).or_default().push(EventSnapshot {
            id,
            at,
            actor_id,
            kind,
            data,
        });
    }
    let mut notes: HashMap<i64, Vec<NoteSnapshot>> = HashMap::new();
    let found: Vec<(i64, i64, i64, String, String, DateTime<Utc>)> = if with_notes {
        sqlx::query_as(
            "SELECT ticket_id, id, author_id, audience, body, created_at FROM notes
             WHERE ticket_id = ANY($1) ORDER BY ticket_id, id",
        )
        .bind(&ids)
        .fetch_all(&mut *conn)
        .await?
    } else {
        Vec::new()
    };
    for (ticket, id, author_id, audience, body, created_at) in found {
        notes.entry(ticket).or_default().push(NoteSnapshot {
            id,
            author_id,
            audience,
            body,
            created_at,
        });
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let events = events.remove(&r.id).unwrap_or_default();
            let notes = notes.remove(&r.id).unwrap_or_default();
            snapshot_of(r, None, events, notes)
        })
        .collect())
}

fn snapshot_of(
    r: Row,
    after: Option<After>,
    events: Vec<EventSnapshot>,
    notes: Vec<NoteSnapshot>,
) -> TicketSnapshot {
    TicketSnapshot {
        after,
        events,
        notes,
        id: r.id,
        number: r.number,
        channel: r.channel,
        type_id: r.type_id,
        customer: CustomerSnapshot {
            id: r.customer_id,
            name: r.c_name,
            phone: r.c_phone,
            email: r.c_email,
            tier: r.c_tier,
            created_at: r.c_created_at,
        },
        tier: r.tier,
        priority: r.priority,
        priority_rank: i64::from(r.priority_rank),
        subject: r.subject,
        description: r.description,
        departments: r.departments,
        attachments: r.attachments,
        stage: r.stage,
        assignee_id: r.assignee_id,
        outcome: r.outcome,
        round: i64::from(r.round),
        created_at: r.created_at,
        updated_at: r.updated_at,
        first_response_at: r.first_response_at,
        resolved_at: r.resolved_at,
        version: r.version,
        waiting_since: r.waiting_since,
        wait_reason: r.wait_reason,
    }
}

/// The team's members, skills and ticket types.
pub async fn config(conn: &mut PgConnection) -> Result<ConfigSnapshot, SharedError> {
    let members: Vec<MemberRow> = sqlx::query_as(
        "SELECT id, name, role, cap, active, presence, last_assigned_at FROM users ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let skills: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM skills ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    let member_skills: Vec<(i64, i64)> =
        sqlx::query_as("SELECT user_id, skill_id FROM user_skills ORDER BY 1, 2")
            .fetch_all(&mut *conn)
            .await?;
    let types: Vec<(i64, String, String, bool)> =
        sqlx::query_as("SELECT id, name, template, active FROM ticket_types ORDER BY id")
            .fetch_all(&mut *conn)
            .await?;
    Ok(ConfigSnapshot {
        members: members
            .into_iter()
            .map(
                |(id, name, role, cap, active, presence, last_assigned_at)| MemberSnapshot {
                    id,
                    name,
                    role,
                    cap: i64::from(cap),
                    active,
                    presence,
                    last_assigned_at,
                },
            )
            .collect(),
        skills,
        member_skills,
        types: types
            .into_iter()
            .map(|(id, name, template, active)| TypeSnapshot {
                id,
                name,
                template,
                active,
            })
            .collect(),
    })
}

/// A starting point for a new replica: the setup, every visible ticket (open, or finished
/// since `done_since`) and the feed cursor they are consistent with — read in one snapshot.
/// Any change not in these rows sorts after the cursor, so the feed brings it later.
pub struct Start {
    pub config: ConfigSnapshot,
    pub tickets: Vec<TicketSnapshot>,
    pub cursor: Cursor,
}

impl Shared {
    /// Reads a [`Start`] in one repeatable-read transaction.
    pub async fn start(&self, done_since: DateTime<Utc>) -> Result<Start, SharedError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .execute(&mut *tx)
            .await?;
        // Every change below the horizon is committed and so inside this snapshot.
        let row: Option<(String, i64)> = sqlx::query_as(
            // Ordered by the xid8 column, not its text (see feed.rs).
            "SELECT xid::text AS xid_text, seq FROM changes
             WHERE xid < pg_snapshot_xmin(pg_current_snapshot())
             ORDER BY changes.xid DESC, changes.seq DESC LIMIT 1",
        )
        .fetch_optional(&mut *tx)
        .await?;
        let cursor = match row {
            None => Cursor::default(),
            Some((xid, seq)) => Cursor {
                xid: xid
                    .parse()
                    .map_err(|_| SharedError::Corrupt(format!("change xid {xid}")))?,
                seq,
            },
        };
        let config = config(&mut tx).await?;
        let tickets = visible(&mut tx, done_since).await?;
        tx.commit().await?;
        Ok(Start {
            config,
            tickets,
            cursor,
        })
    }
}

/// Tickets per chunk of a period read.
pub const PERIOD_CHUNK: usize = 5000;

/// What a report of a past period needs from the server: the setup, then, chunk by chunk,
/// every ticket the member can see that is still open (the backlog now) or was logged,
/// answered or finished within `since..until` (every report figure counts one of these),
/// without notes (no report reads them) —
/// all read in one snapshot, by a task of its own, so the reader can write one chunk while
/// the next is read.
pub struct Period {
    pub config: ConfigSnapshot,
    /// How many tickets the stream brings.
    pub total: usize,
    /// The tickets, a chunk at a time; an error ends the stream.
    pub tickets: tokio::sync::mpsc::Receiver<Result<Vec<TicketSnapshot>, SharedError>>,
}

impl Shared {
    /// Starts reading a [`Period`] in one repeatable-read transaction, `chunk` tickets at a
    /// time ([`PERIOD_CHUNK`] unless testing).
    pub async fn period(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
        chunk: usize,
    ) -> Result<Period, SharedError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .execute(&mut *tx)
            .await?;
        let config = config(&mut tx).await?;
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT t.id FROM tickets t WHERE t.stage <> 'done'
                 OR (t.created_at >= $1 AND t.created_at < $2)
                 OR (t.first_response_at >= $1 AND t.first_response_at < $2)
                 OR (t.resolved_at >= $1 AND t.resolved_at < $2)
             ORDER BY t.id",
        )
        .bind(since)
        .bind(until)
        .fetch_all(&mut *tx)
        .await?;
        let total = ids.len();
        let (send, tickets) = tokio::sync::mpsc::channel(2);
        tokio::spawn(async move {
            for chunk in ids.chunks(chunk.max(1)) {
                let read = async {
                    let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} WHERE t.id = ANY($1)"))
                        .bind(chunk)
                        .fetch_all(&mut *tx)
                        .await?;
                    // Reports never read notes.
                    whole(&mut tx, rows, false).await
                };
                let read = read.await;
                let failed = read.is_err();
                if send.send(read).await.is_err() || failed {
                    return;
                }
            }
            if let Err(e) = tx.commit().await {
                let _ = send.send(Err(e.into())).await;
            }
        });
        Ok(Period {
            config,
            total,
            tickets,
        })
    }
}
