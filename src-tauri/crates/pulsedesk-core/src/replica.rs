//! What a desktop's local replica receives from the shared database: whole tickets (row,
//! log and notes, as the member may see them) and the team's configuration. Plain data,
//! read by the shared crate and written by the local store.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A customer as a member sees them: name, phone and e-mail already masked by the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerSnapshot {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub tier: String,
    pub created_at: DateTime<Utc>,
}

/// One entry of a ticket's log; `data` is the event as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSnapshot {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub kind: String,
    pub data: String,
}

/// One note on a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteSnapshot {
    pub id: i64,
    pub author_id: i64,
    pub audience: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// A ticket as the server holds it: its row, and its log and notes — all of them, or (see
/// [`TicketSnapshot::after`]) only the entries the replica does not hold yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketSnapshot {
    pub id: i64,
    pub number: String,
    pub channel: String,
    pub type_id: i64,
    pub customer: CustomerSnapshot,
    pub tier: String,
    pub priority: String,
    pub priority_rank: i64,
    pub subject: String,
    pub description: String,
    /// JSON arrays, as stored.
    pub departments: String,
    pub attachments: String,
    pub stage: String,
    pub assignee_id: Option<i64>,
    pub outcome: Option<String>,
    pub round: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub version: i64,
    /// Waiting for capacity since, and why (the team service's assigner marks it).
    pub waiting_since: Option<DateTime<Utc>>,
    pub wait_reason: Option<String>,
    pub events: Vec<EventSnapshot>,
    pub notes: Vec<NoteSnapshot>,
    /// `None`: `events` and `notes` are the whole log. `Some`: only the entries after the
    /// replica's own (a pull reads just what is new; a ticket's log and notes only grow, and
    /// their ids follow commit order within a ticket).
    pub after: Option<After>,
}

/// The newest log entry and note a replica held of a ticket when it asked for what followed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct After {
    pub event: i64,
    pub note: i64,
}

/// A member of the team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberSnapshot {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub cap: i64,
    pub active: bool,
    pub presence: String,
    pub last_assigned_at: Option<DateTime<Utc>>,
}

/// A ticket type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeSnapshot {
    pub id: i64,
    pub name: String,
    pub template: String,
    pub active: bool,
}

/// The team's configuration: members, skills, ticket types.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigSnapshot {
    pub members: Vec<MemberSnapshot>,
    /// (id, name)
    pub skills: Vec<(i64, String)>,
    /// (member, skill)
    pub member_skills: Vec<(i64, i64)>,
    pub types: Vec<TypeSnapshot>,
}

/// How long finished tickets stay in a replica after they are resolved.
pub const DEFAULT_CLOSED_WINDOW_DAYS: i64 = 30;

/// Whether a replica keeps `ticket`: every open ticket, and finished ones resolved within
/// `window_days` of `now`.
pub fn keeps(ticket: &TicketSnapshot, now: DateTime<Utc>, window_days: i64) -> bool {
    if ticket.stage != "done" {
        return true;
    }
    let done_at = ticket.resolved_at.unwrap_or(ticket.updated_at);
    now - done_at <= chrono::Duration::days(window_days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn ticket(stage: &str, resolved_days_ago: Option<i64>, now: DateTime<Utc>) -> TicketSnapshot {
        TicketSnapshot {
            id: 1,
            number: "CS2026112301".into(),
            channel: "phone".into(),
            type_id: 1,
            customer: CustomerSnapshot {
                id: 1,
                name: "张*".into(),
                phone: String::new(),
                email: String::new(),
                tier: "normal".into(),
                created_at: now,
            },
            tier: "normal".into(),
            priority: "low".into(),
            priority_rank: 3,
            subject: "s".into(),
            description: String::new(),
            departments: "[]".into(),
            attachments: "[]".into(),
            stage: stage.into(),
            assignee_id: None,
            outcome: None,
            round: 1,
            created_at: now - chrono::Duration::days(90),
            updated_at: now - chrono::Duration::days(90),
            first_response_at: None,
            resolved_at: resolved_days_ago.map(|d| now - chrono::Duration::days(d)),
            version: 1,
            waiting_since: None,
            wait_reason: None,
            events: vec![],
            notes: vec![],
            after: None,
        }
    }

    #[test]
    fn open_tickets_always_stay_and_finished_ones_for_the_window() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        assert!(keeps(&ticket("in_progress", None, now), now, 30));
        assert!(keeps(&ticket("done", Some(30), now), now, 30));
        assert!(!keeps(&ticket("done", Some(31), now), now, 30));
        // A finished ticket without a resolution time falls back to its last change.
        assert!(!keeps(&ticket("done", None, now), now, 30));
        assert!(keeps(&ticket("done", None, now), now, 120));
    }
}
