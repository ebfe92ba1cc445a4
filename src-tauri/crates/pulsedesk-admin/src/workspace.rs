//! `import-workspace`: an embedded Pulsedesk workspace moved into the shared database.

use crate::invalid_file;
use pulsedesk_core::clock::SystemClock;
use pulsedesk_shared::{Owner, SharedError, NOTE_AUTHOR};
use pulsedesk_store::Workspace;
use std::path::Path;
use std::sync::Arc;

fn unreadable(file: &Path, reason: impl std::fmt::Display) -> SharedError {
    SharedError::Invalid {
        field: "file",
        reason: format!("{}: {reason}", file.display()),
    }
}

/// Reads the workspace at `file` and moves it in (or, on a dry run, checks that it would).
pub async fn import(owner: &Owner, file: &Path, dry_run: bool) -> Result<String, SharedError> {
    // Opening creates a missing file: look first.
    if !file.is_file() {
        return Err(unreadable(file, "no such file"));
    }
    let ws = Workspace::open(file, Arc::new(SystemClock))
        .await
        .map_err(|e| unreadable(file, format!("not a Pulsedesk workspace ({e})")))?;
    let history = ws.history_out().await;
    ws.close().await;
    let history = history.map_err(|e| unreadable(file, e))?;
    let now = chrono::Utc::now();
    match owner.import_workspace(&history, now, dry_run).await? {
        Ok(r) => {
            let what = format!(
                "{} tickets, {} customers and {} notes{}",
                r.tickets,
                r.customers,
                r.notes,
                if r.types_added.is_empty() {
                    String::new()
                } else {
                    format!(" (new ticket types: {})", r.types_added.join(", "))
                }
            );
            Ok(if dry_run {
                format!(
                    "{}: {what} would be imported (dry run: nothing written)",
                    file.display()
                )
            } else {
                format!("imported {what} from {}", file.display())
            })
        }
        Err(errors) => Err(invalid_file(
            errors
                .into_iter()
                .map(|e| {
                    if e.column == NOTE_AUTHOR {
                        e.reason
                    } else {
                        let number = usize::try_from(e.line)
                            .ok()
                            .and_then(|l| history.tickets.get(l.wrapping_sub(1)))
                            .map_or("?", |t| t.number.as_str());
                        format!("ticket {number}, {}: {}", e.column, e.reason)
                    }
                })
                .collect(),
        )),
    }
}
