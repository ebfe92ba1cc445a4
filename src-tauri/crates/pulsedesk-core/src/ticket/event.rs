//! The ticket event log: every change to a ticket is one appended event.
//! The timeline shows it; timings and every later metric are computed from it.

use crate::assign::AssignWhy;
use crate::ids::{NoteId, TicketId, TransferId, UserId};
use crate::kinds::{Channel, NoteAudience, Outcome, Priority, Stage, Tier, WaitReason};
use crate::sla::{AlertLevel, ClockKind};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What happened to a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// The ticket entered the pool (stage 待分配).
    Created {
        channel: Channel,
        priority: Priority,
        tier: Tier,
    },
    /// The ticket got a (new) assignee; `why` is set when the assigner chose them.
    Assigned {
        from: Option<UserId>,
        to: UserId,
        #[serde(default)]
        why: Option<AssignWhy>,
    },
    /// No eligible agent had capacity; the ticket waits in the pool (once per wait).
    CapacityWait { reason: WaitReason },
    /// The assignee asked a supervisor to hand the ticket over.
    TransferRequested { request: TransferId, reason: String },
    /// A supervisor decided a transfer request; on approval an `Assigned` event follows.
    TransferDecided {
        request: TransferId,
        approved: bool,
        note: String,
    },
    /// The ticket moved between stages; `outcome` is set when it moved to 已完成.
    StageChanged {
        from: Stage,
        to: Stage,
        outcome: Option<Outcome>,
    },
    /// A finished ticket was reopened into round `round` (二次处理).
    Reopened { round: u32, reason: String },
    /// A note was written on the ticket.
    NoteAdded {
        note_id: NoteId,
        audience: NoteAudience,
    },
    /// The ticket's priority changed; its SLA clocks are re-targeted from its start.
    PriorityChanged { from: Priority, to: Priority },
    /// An SLA clock crossed a threshold. Written once per clock, level and round.
    SlaAlert {
        clock: ClockKind,
        level: AlertLevel,
        round: u32,
    },
}

impl EventKind {
    /// The stable name stored in the `kind` column.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Created { .. } => "created",
            EventKind::Assigned { .. } => "assigned",
            EventKind::CapacityWait { .. } => "capacity_wait",
            EventKind::TransferRequested { .. } => "transfer_requested",
            EventKind::TransferDecided { .. } => "transfer_decided",
            EventKind::StageChanged { .. } => "stage_changed",
            EventKind::Reopened { .. } => "reopened",
            EventKind::NoteAdded { .. } => "note_added",
            EventKind::PriorityChanged { .. } => "priority_changed",
            EventKind::SlaAlert { .. } => "sla_alert",
        }
    }
}

/// One entry of a ticket's event log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TicketEvent {
    pub id: i64,
    pub ticket_id: TicketId,
    pub at: DateTime<Utc>,
    /// Who did it; `None` for the system.
    pub actor_id: Option<UserId>,
    pub kind: EventKind,
}
