//! Changes travel to the shared database as commands with ids, never as row overwrites.
//! A desktop queues them in its outbox and the shared database applies each exactly once.

use crate::ids::TicketId;
use crate::kinds::{NoteAudience, Priority};
use crate::sla::{AlertLevel, ClockKind};
use crate::ticket::TicketCommand;
use crate::view::NewTicket;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// What a member asks of the team's data (and, from the UI, of either workspace: the shell's
/// `run_command` takes the changes to a ticket as they are).
/// Read strictly: a field this build does not know is refused, never silently dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    CreateTicket {
        ticket: NewTicket,
    },
    /// Claim, assign, move or reopen one ticket.
    Ticket {
        ticket: TicketId,
        change: TicketCommand,
    },
    AddNote {
        ticket: TicketId,
        audience: NoteAudience,
        body: String,
    },
    /// Raise or lower an open ticket's priority (its SLA clocks are re-targeted).
    ChangePriority {
        ticket: TicketId,
        to: Priority,
    },
    /// Show the member a ticket's customer in full: the team service checks the right and
    /// writes the audit entry in a transaction of its own, so the entry stays whatever the
    /// member's session does next; the member then reads the details once.
    RevealCustomer {
        ticket: TicketId,
    },
    /// An SLA clock crossed a threshold, as this desktop saw it: recorded once on the
    /// server, whichever desktop gets there first.
    RecordSlaAlert {
        ticket: TicketId,
        clock: ClockKind,
        level: AlertLevel,
        round: u32,
    },
}

impl Command {
    /// The command's name in the `commands` table.
    pub fn name(&self) -> &'static str {
        match self {
            Command::CreateTicket { .. } => "create_ticket",
            Command::Ticket { change, .. } => match change {
                TicketCommand::Claim => "claim",
                TicketCommand::Assign { .. } => "assign",
                TicketCommand::Move { .. } => "move",
                TicketCommand::Reopen { .. } => "reopen",
            },
            Command::AddNote { .. } => "add_note",
            Command::ChangePriority { .. } => "change_priority",
            Command::RevealCustomer { .. } => "reveal_customer",
            Command::RecordSlaAlert { .. } => "record_sla_alert",
        }
    }
}

/// A command with its identity: `id` is chosen once, when the member acts, and kept across
/// retries; `at` is when they acted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub command: Command,
}

impl Envelope {
    /// A new command, acted now.
    pub fn new(at: DateTime<Utc>, command: Command) -> Self {
        Envelope {
            id: Uuid::new_v4(),
            at,
            command,
        }
    }
}

/// What became of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Applied {
    /// Applied now, to this ticket.
    Done { ticket: TicketId },
    /// Applied before (a retry): nothing was done again.
    AlreadyApplied,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_is_read_strictly() {
        let ok: Result<Command, _> = serde_json::from_str(
            r#"{"kind":"add_note","ticket":1,"audience":"internal","body":"已回电"}"#,
        );
        assert!(ok.is_ok(), "{ok:?}");
        let extra: Result<Command, _> = serde_json::from_str(
            r#"{"kind":"add_note","ticket":1,"audience":"internal","body":"x","author":9}"#,
        );
        let err = extra.map_err(|e| e.to_string());
        assert!(
            err.as_ref()
                .is_err_and(|e| e.contains("unknown field `author`")),
            "{err:?}"
        );
        let kind: Result<Command, _> = serde_json::from_str(r#"{"kind":"erase","ticket":1}"#);
        assert!(kind.is_err());
    }
}
