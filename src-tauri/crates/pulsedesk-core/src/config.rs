//! Team configuration an admin edits: ticket types, SLA targets, members and skill tags.

use crate::ids::{TicketTypeId, UserId};
use crate::kinds::{Priority, Role};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The concurrent-ticket cap a new member gets.
pub const DEFAULT_CAP: u32 = 5;

/// A ticket type with its handling template (checklist / reply skeleton).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TicketType {
    pub id: TicketTypeId,
    pub name: String,
    pub template: String,
    pub active: bool,
}

/// An admin's new or edited ticket type; `id` is `None` for a new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TicketTypeInput {
    pub id: Option<TicketTypeId>,
    pub name: String,
    pub template: String,
    pub active: bool,
}

/// Response and resolution targets for one priority, in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SlaTarget {
    pub priority: Priority,
    pub first_response_minutes: u32,
    pub resolution_minutes: u32,
}

/// The SPEC's defaults: response urgent 15 min, high 30 min, medium 2 h, low 24 h;
/// resolution 4 h, 8 h, 24 h, 72 h.
pub fn default_sla_targets() -> Vec<SlaTarget> {
    let t = |priority, first_response_minutes, resolution_minutes| SlaTarget {
        priority,
        first_response_minutes,
        resolution_minutes,
    };
    vec![
        t(Priority::Urgent, 15, 4 * 60),
        t(Priority::High, 30, 8 * 60),
        t(Priority::Medium, 2 * 60, 24 * 60),
        t(Priority::Low, 24 * 60, 72 * 60),
    ]
}

/// A member of the team as the admin sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Member {
    pub id: UserId,
    pub name: String,
    pub role: Role,
    pub skills: Vec<String>,
    /// Most open tickets this member may hold at once.
    pub cap: u32,
    pub active: bool,
}

/// An admin's new or edited member; `id` is `None` for a new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MemberInput {
    pub id: Option<UserId>,
    pub name: String,
    pub role: Role,
    pub skills: Vec<String>,
    pub cap: u32,
    pub active: bool,
}

/// Everything the admin screen edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WorkspaceConfig {
    pub ticket_types: Vec<TicketType>,
    pub sla_targets: Vec<SlaTarget>,
    pub members: Vec<Member>,
    pub skills: Vec<String>,
}
