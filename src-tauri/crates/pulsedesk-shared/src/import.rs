//! `pulsedesk-admin import`: a team's ticket history into the shared database. Every row is
//! checked against the database (ticket types, members, numbers already taken) before
//! anything is written; then all rows go in one transaction, or none do. Each ticket gets
//! the log the app would have written (`pulsedesk_core::history`), so it folds, times and
//! reports like a ticket worked in Pulsedesk, and reaches the desktops through the feed.

use crate::{Owner, SharedError};
use chrono::{DateTime, Utc};
use pulsedesk_core::history::{events, HistoryRow};
use pulsedesk_core::ids::UserId;
use pulsedesk_core::ticket::TicketNumber;
use sqlx::PgConnection;
use std::collections::{HashMap, HashSet};

/// A row the database would not take, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The row's line in the file (the header is line 1).
    pub line: u64,
    pub column: &'static str,
    pub reason: String,
}

/// What an import wrote (or, on a dry run, would write).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub tickets: usize,
    pub customers: usize,
}

pub(crate) fn key(s: &str) -> String {
    s.trim().to_lowercase()
}

impl Owner {
    /// Imports `rows` (each with its line number) as of `now`. `Ok(Err(..))` lists every
    /// row the database would refuse; nothing is written then. A dry run checks only.
    pub async fn import_history(
        &self,
        rows: &[(u64, HistoryRow)],
        now: DateTime<Utc>,
        dry_run: bool,
    ) -> Result<Result<ImportReport, Vec<RowError>>, SharedError> {
        let mut tx = self.pool().begin().await?;
        let written = write_rows(&mut tx, rows, now).await?;
        finish(tx, written.map(|(report, _)| report), dry_run).await
    }
}

/// Commits (or, on a dry run or a refusal, rolls back) and hands the outcome on.
pub(crate) async fn finish<T>(
    tx: sqlx::Transaction<'_, sqlx::Postgres>,
    outcome: Result<T, Vec<RowError>>,
    dry_run: bool,
) -> Result<Result<T, Vec<RowError>>, SharedError> {
    if dry_run || outcome.is_err() {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(outcome)
}

/// Ticket numbers to their new ids.
pub(crate) type Numbered = HashMap<String, i64>;

/// Members by lower-cased login and name (a login wins over somebody else's name).
pub(crate) async fn members(tx: &mut PgConnection) -> Result<HashMap<String, i64>, SharedError> {
    let mut members: HashMap<String, i64> = HashMap::new();
    for (id, login, name) in
        sqlx::query_as::<_, (i64, String, String)>("SELECT id, login, name FROM users")
            .fetch_all(&mut *tx)
            .await?
    {
        members.entry(key(&name)).or_insert(id);
        members.insert(key(&login), id);
    }
    Ok(members)
}

/// Checks every row, then writes them all (customers, tickets, logs, counters) — or lists
/// every problem and writes nothing.
pub(crate) async fn write_rows(
    tx: &mut PgConnection,
    rows: &[(u64, HistoryRow)],
    now: DateTime<Utc>,
) -> Result<Result<(ImportReport, Numbered), Vec<RowError>>, SharedError> {
    let types: HashMap<String, i64> =
        sqlx::query_as::<_, (i64, String)>("SELECT id, name FROM ticket_types")
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|(id, name)| (key(&name), id))
            .collect();
    let members = members(&mut *tx).await?;
    let numbers: Vec<&str> = rows.iter().map(|(_, r)| r.number.as_str()).collect();
    let taken: HashSet<String> =
        sqlx::query_scalar::<_, String>("SELECT number FROM tickets WHERE number = ANY($1)")
            .bind(&numbers)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .collect();
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    let mut ready = Vec::with_capacity(rows.len());
    for (line, row) in rows {
        let mut fail = |column: &'static str, reason: String| {
            errors.push(RowError {
                line: *line,
                column,
                reason,
            })
        };
        if taken.contains(&row.number) {
            fail(
                "number",
                format!("{} is already in the database", row.number),
            );
            continue;
        }
        if !seen.insert(row.number.clone()) {
            fail(
                "number",
                format!("{} appears twice in the file", row.number),
            );
            continue;
        }
        let Some(type_id) = types.get(&key(&row.type_name)) else {
            let mut known: Vec<&String> = types.keys().collect();
            known.sort();
            fail(
                "type",
                format!(
                    "no ticket type called {:?} (there are: {known:?})",
                    row.type_name
                ),
            );
            continue;
        };
        let assignee = match &row.assignee {
            None => None,
            Some(who) => match members.get(&key(who)) {
                Some(id) => Some(UserId(*id)),
                None => {
                    fail(
                        "assignee",
                        format!("no member with the login or name {who:?}"),
                    );
                    continue;
                }
            },
        };
        match events(row, assignee, now) {
            Ok((log, state)) => ready.push((row, *type_id, log, state)),
            Err((column, reason)) => fail(column, reason),
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }

    let mut customers: HashMap<(String, String, String), i64> = HashMap::new();
    let mut counters: HashMap<String, u32> = HashMap::new();
    let mut numbered = Numbered::new();
    for (row, type_id, log, state) in &ready {
        let who = (
            row.customer_name.trim().to_string(),
            row.customer_phone.trim().to_string(),
            row.customer_email.trim().to_string(),
        );
        let customer = match customers.get(&who) {
            Some(id) => *id,
            None => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO customers (name, phone, email, tier, created_at)
                         VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(&who.0)
                .bind(&who.1)
                .bind(&who.2)
                .bind(row.tier.as_str())
                .bind(row.received_at)
                .fetch_one(&mut *tx)
                .await?;
                customers.insert(who, id);
                id
            }
        };
        let updated = log.last().map_or(row.received_at, |(at, _)| *at);
        let ticket: i64 = sqlx::query_scalar(
            "INSERT INTO tickets (number, channel, type_id, customer_id, tier, priority,
                     priority_rank, subject, description, departments, stage, assignee_id,
                     outcome, round, created_at, updated_at, first_response_at, resolved_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
                         $17, $18)
                 RETURNING id",
        )
        .bind(&row.number)
        .bind(row.channel.as_str())
        .bind(type_id)
        .bind(customer)
        .bind(row.tier.as_str())
        .bind(row.priority.as_str())
        .bind(i32::try_from(row.priority.rank()).unwrap_or(i32::MAX))
        .bind(row.subject.trim())
        .bind(row.description.trim_end())
        .bind(sqlx::types::Json(&row.departments))
        .bind(state.stage.as_str())
        .bind(state.assignee.map(|u| u.0))
        .bind(state.outcome.map(|o| o.as_str()))
        .bind(i32::try_from(state.round).unwrap_or(1))
        .bind(row.received_at)
        .bind(updated)
        .bind(state.timings.first_response_at)
        .bind(state.timings.resolved_at)
        .fetch_one(&mut *tx)
        .await?;
        numbered.insert(row.number.clone(), ticket);
        for (at, kind) in log {
            sqlx::query(
                "INSERT INTO ticket_events (ticket_id, at, actor_id, kind, data)
                     VALUES ($1, $2, NULL, $3, $4)",
            )
            .bind(ticket)
            .bind(at)
            .bind(kind.name())
            .bind(sqlx::types::Json(kind))
            .execute(&mut *tx)
            .await?;
        }
        // Numbers in the app's own form move the day's counter past them, so a ticket
        // logged later that day never collides with an imported one.
        if let Some(n) = TicketNumber::parse(&row.number) {
            let last = counters.entry(TicketNumber::day_key(n.day())).or_default();
            *last = (*last).max(n.seq());
        }
    }
    for (day, last) in &counters {
        sqlx::query(
                "INSERT INTO ticket_counters (day, last) VALUES ($1, $2)
                 ON CONFLICT (day) DO UPDATE SET last = GREATEST(ticket_counters.last, excluded.last)",
            )
            .bind(day)
            .bind(i32::try_from(*last).unwrap_or(i32::MAX))
            .execute(&mut *tx)
            .await?;
    }
    let report = ImportReport {
        tickets: ready.len(),
        customers: customers.len(),
    };
    Ok(Ok((report, numbered)))
}
