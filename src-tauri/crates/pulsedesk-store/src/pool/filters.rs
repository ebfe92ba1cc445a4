//! The WHERE clause of a pool query, written so SQLite walks the most selective index.
//!
//! Column statistics cannot tell the planner that "unassigned" or "open" are small sets in a
//! long-lived workspace, so the choice is made here: one filter drives (its index is used, in
//! pool order where possible) and every other filter is written with SQLite's unary `+`, which
//! keeps it out of index selection without changing its meaning.

use crate::time::to_ms;
use crate::StoreError;
use chrono::{DateTime, Utc};
use pulsedesk_core::permissions::{Action, Actor};
use pulsedesk_core::search::{match_expression, runs_to_confirm};
use pulsedesk_core::ticket::TicketNumber;
use pulsedesk_core::view::{AssigneeFilter, PoolQuery, TimeField};
use sqlx::{QueryBuilder, Sqlite};

/// Which filter's index a query walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Driver {
    /// Full-text candidates or a ticket-number range.
    Search,
    /// One member's tickets, or the unassigned ones.
    Assignee,
    /// Open tickets (partial index).
    Open,
    /// One stage.
    Stage,
    /// No selective filter: the planner picks among the rest.
    Planner,
}

/// What the search box holds.
enum SearchKind<'a> {
    None,
    /// A whole ticket number or a prefix of one.
    Number(String),
    /// Words / CJK text.
    Text(&'a str),
}

fn search_kind(q: &PoolQuery) -> SearchKind<'_> {
    let search = q.search.as_deref().map(str::trim).unwrap_or("");
    if search.is_empty() {
        return SearchKind::None;
    }
    let upper = search.to_ascii_uppercase();
    if upper.starts_with("CS") && upper.len() >= 4 && upper[2..].bytes().all(|c| c.is_ascii_digit())
    {
        SearchKind::Number(upper)
    } else {
        SearchKind::Text(search)
    }
}

fn driver(q: &PoolQuery, search: &SearchKind<'_>) -> Driver {
    match search {
        SearchKind::Number(_) => Driver::Search,
        SearchKind::Text(t) if match_expression(t).is_some() => Driver::Search,
        _ if q.assignee.is_some() => Driver::Assignee,
        _ if q.open_only => Driver::Open,
        _ if q.stage.is_some() => Driver::Stage,
        _ => Driver::Planner,
    }
}

/// Escapes `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`.
fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Appends `SELECT {columns} FROM … WHERE …` for `q` as seen by `actor` (`t` is the ticket).
pub(super) fn push_query(
    b: &mut QueryBuilder<'_, Sqlite>,
    columns: &str,
    actor: &Actor,
    q: &PoolQuery,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let search = search_kind(q);
    b.push(format!("SELECT {columns} FROM "));
    match &search {
        // Drive from the full-text hits (CROSS JOIN keeps this order in SQLite).
        SearchKind::Text(t) if match_expression(t).is_some() => {
            b.push("ticket_search CROSS JOIN tickets t ON t.id = ticket_search.rowid");
        }
        // Pinned: with a bound range SQLite would guess it is large and walk the whole pool.
        SearchKind::Number(_) => {
            b.push("tickets t INDEXED BY tickets_by_number_sorted");
        }
        _ => {
            b.push("tickets t");
        }
    }
    // The customer's name is needed only to confirm a substring the index cannot pin down.
    if let SearchKind::Text(t) = &search {
        if match_expression(t).is_none() || !runs_to_confirm(t).is_empty() {
            b.push(" JOIN customers c ON c.id = t.customer_id");
        }
    }
    push_filters(b, actor, q, &search, now)
}

/// Appends the WHERE clause of `q` as seen by `actor`.
fn push_filters(
    b: &mut QueryBuilder<'_, Sqlite>,
    actor: &Actor,
    q: &PoolQuery,
    search: &SearchKind<'_>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let drive = driver(q, search);
    // `col(d)` is the column as written for a filter that drives only under `d`.
    let col = |d: Driver, name: &str| {
        if drive == d {
            format!(" AND t.{name}")
        } else {
            format!(" AND +t.{name}")
        }
    };

    b.push(" WHERE 1 = 1");
    if !actor.may(Action::ViewTeam) {
        // Agents see the pool and their own tickets, whatever they ask for.
        let a = if drive == Driver::Assignee { "t" } else { "+t" };
        b.push(format!(
            " AND ({a}.assignee_id IS NULL OR {a}.assignee_id = "
        ))
        .push_bind(actor.id.0)
        .push(")");
    }
    match q.assignee {
        None => {}
        Some(AssigneeFilter::Me) => {
            b.push(col(Driver::Assignee, "assignee_id = "))
                .push_bind(actor.id.0);
        }
        Some(AssigneeFilter::Nobody) => {
            b.push(col(Driver::Assignee, "assignee_id IS NULL"));
        }
        Some(AssigneeFilter::User(u)) => {
            if u != actor.id {
                actor.authorize(Action::ViewTeam)?;
            }
            b.push(col(Driver::Assignee, "assignee_id = "))
                .push_bind(u.0);
        }
    }
    if q.open_only {
        // Written plainly wherever a partial index on open tickets may serve it.
        if matches!(drive, Driver::Open | Driver::Assignee) {
            b.push(" AND t.stage <> 'done'");
        } else {
            b.push(" AND +t.stage <> 'done'");
        }
    }
    if let Some(s) = q.stage {
        b.push(col(Driver::Stage, "stage = ")).push_bind(s.as_str());
    }
    if let Some(t) = q.type_id {
        b.push(col(Driver::Planner, "type_id = ")).push_bind(t.0);
    }
    if let Some(p) = q.priority {
        b.push(col(Driver::Planner, "priority_rank = "))
            .push_bind(p.rank());
    }
    if let Some(c) = q.channel {
        b.push(col(Driver::Planner, "channel = "))
            .push_bind(c.as_str());
    }
    if let Some(w) = q.window {
        let column = match w.field {
            TimeField::Created => "created_at",
            TimeField::FirstResponse => "first_response_at",
            TimeField::Resolved => "resolved_at",
        };
        b.push(col(Driver::Planner, &format!("{column} >= ")))
            .push_bind(to_ms(w.from));
        b.push(col(Driver::Planner, &format!("{column} < ")))
            .push_bind(to_ms(w.to));
    }
    if q.overdue == Some(true) {
        // As the board counts it: open, the headline clock a whole second past due.
        b.push(" AND +t.stage <> 'done' AND +t.sla_due_at + 1000 <= ")
            .push_bind(to_ms(now));
    }
    if let Some(t) = q.tier {
        b.push(col(Driver::Planner, "tier = "))
            .push_bind(t.as_str());
    }
    match search {
        SearchKind::None => {}
        SearchKind::Number(upper) => match TicketNumber::parse(upper) {
            Some(n) => {
                b.push(" AND t.number = ").push_bind(n.to_string());
            }
            None => {
                // A prefix: a range scan over the unique index.
                b.push(" AND t.number >= ").push_bind(upper.clone());
                b.push(" AND t.number < ")
                    .push_bind(format!("{upper}\u{7f}"));
            }
        },
        SearchKind::Text(text) => {
            let like = |s: &str| format!("%{}%", like_escape(s));
            match match_expression(text) {
                Some(expr) => {
                    // Word prefixes and CJK pairs from the full-text index; long CJK runs are
                    // confirmed as real substrings (their pairs could occur apart).
                    b.push(" AND ticket_search MATCH ").push_bind(expr);
                    for run in runs_to_confirm(text) {
                        b.push(" AND (t.subject LIKE ").push_bind(like(&run));
                        b.push(" OR c.name LIKE ").push_bind(like(&run)).push(")");
                    }
                }
                None => {
                    // Nothing indexable (only punctuation): a plain substring search.
                    b.push(" AND (t.subject LIKE ")
                        .push_bind(like(text))
                        .push(" ESCAPE '\\'");
                    b.push(" OR c.name LIKE ")
                        .push_bind(like(text))
                        .push(" ESCAPE '\\')");
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_are_escaped() {
        assert_eq!(like_escape("50%_off\\"), "50\\%\\_off\\\\");
    }

    #[test]
    fn the_most_selective_filter_drives() {
        let q = |f: fn(&mut PoolQuery)| {
            let mut q = PoolQuery::default();
            f(&mut q);
            q
        };
        let d = |q: &PoolQuery| driver(q, &search_kind(q));
        assert_eq!(d(&q(|_| {})), Driver::Planner);
        assert_eq!(
            d(&q(|q| q.stage = Some(pulsedesk_core::kinds::Stage::Done))),
            Driver::Stage
        );
        assert_eq!(
            d(&q(|q| {
                q.open_only = true;
                q.stage = Some(pulsedesk_core::kinds::Stage::InProgress)
            })),
            Driver::Open
        );
        assert_eq!(
            d(&q(|q| {
                q.open_only = true;
                q.assignee = Some(AssigneeFilter::Me)
            })),
            Driver::Assignee
        );
        assert_eq!(
            d(&q(|q| {
                q.assignee = Some(AssigneeFilter::Nobody);
                q.search = Some("闪退".into())
            })),
            Driver::Search
        );
        assert_eq!(
            d(&q(|q| q.search = Some("cs202611".into()))),
            Driver::Search
        );
        assert_eq!(
            d(&q(|q| {
                q.search = Some("%%".into());
                q.open_only = true
            })),
            Driver::Open
        );
    }
}
