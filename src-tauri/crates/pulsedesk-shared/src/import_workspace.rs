//! `pulsedesk-admin import-workspace`: an embedded workspace moved into the shared database
//! in one transaction — ticket types it lacks (by name), every ticket with the log the app
//! would have written (as `import`), and every note by its author. Members are matched by
//! name or login and must exist first (they need logins and passwords of their own).

use crate::import::{finish, key, members, write_rows, RowError};
use crate::{Owner, SharedError};
use chrono::{DateTime, Utc};
use pulsedesk_core::history::{HistoryRow, WorkspaceHistory};
use pulsedesk_core::ids::NoteId;
use pulsedesk_core::ticket::EventKind;
use std::collections::HashSet;

/// What moving a workspace wrote (or, on a dry run, would write).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkspaceReport {
    /// Ticket types added because the database had none by that name.
    pub types_added: Vec<String>,
    pub tickets: usize,
    pub customers: usize,
    pub notes: usize,
}

/// The column a note's problem is reported under ([`RowError::line`] is then the note's
/// place in the workspace's notes, not a ticket's).
pub const NOTE_AUTHOR: &str = "note_author";

impl Owner {
    /// Moves `history` in as of `now`. `Ok(Err(..))` lists every problem (a ticket's line is
    /// its place in `history.tickets`, from 1); nothing is written then.
    pub async fn import_workspace(
        &self,
        history: &WorkspaceHistory,
        now: DateTime<Utc>,
        dry_run: bool,
    ) -> Result<Result<WorkspaceReport, Vec<RowError>>, SharedError> {
        let mut tx = self.pool().begin().await?;
        let existing: HashSet<String> =
            sqlx::query_scalar::<_, String>("SELECT name FROM ticket_types")
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|n| key(n))
                .collect();
        let mut types_added = Vec::new();
        for t in history
            .types
            .iter()
            .filter(|t| !existing.contains(&key(&t.name)))
        {
            sqlx::query("INSERT INTO ticket_types (name, template, active) VALUES ($1, $2, $3)")
                .bind(t.name.trim())
                .bind(&t.template)
                .bind(t.active)
                .execute(&mut *tx)
                .await?;
            types_added.push(t.name.trim().to_string());
        }
        let rows: Vec<(u64, HistoryRow)> = (1u64..).zip(history.tickets.iter().cloned()).collect();
        let (report, numbered) = match write_rows(&mut tx, &rows, now).await? {
            Ok(done) => done,
            Err(errors) => return finish(tx, Err(errors), dry_run).await,
        };
        let members = members(&mut tx).await?;
        let mut errors = Vec::new();
        let mut notes = 0;
        for (place, n) in (1u64..).zip(&history.notes) {
            let Some(ticket) = numbered.get(&n.number) else {
                continue;
            };
            let Some(author) = members.get(&key(&n.author)) else {
                errors.push(RowError {
                    line: place,
                    column: NOTE_AUTHOR,
                    reason: format!(
                        "no member with the login or name {:?} (a note on {})",
                        n.author, n.number
                    ),
                });
                continue;
            };
            let note: i64 = sqlx::query_scalar(
                "INSERT INTO notes (ticket_id, author_id, audience, body, created_at)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(ticket)
            .bind(author)
            .bind(n.audience.as_str())
            .bind(&n.body)
            .bind(n.created_at)
            .fetch_one(&mut *tx)
            .await?;
            let event = EventKind::NoteAdded {
                note_id: NoteId(note),
                audience: n.audience,
            };
            sqlx::query(
                "INSERT INTO ticket_events (ticket_id, at, actor_id, kind, data)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(ticket)
            .bind(n.created_at)
            .bind(author)
            .bind(event.name())
            .bind(sqlx::types::Json(&event))
            .execute(&mut *tx)
            .await?;
            notes += 1;
        }
        if !errors.is_empty() {
            return finish(tx, Err(errors), dry_run).await;
        }
        let report = WorkspaceReport {
            types_added,
            tickets: report.tickets,
            customers: report.customers,
            notes,
        };
        finish(tx, Ok(report), dry_run).await
    }
}
