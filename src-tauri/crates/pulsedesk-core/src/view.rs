//! What the UI reads and sends: queries, list rows, the ticket view and form inputs.
//! These types are exported to TypeScript (`ui/src/api/types.ts`).

use crate::ids::{CustomerId, NoteId, TicketId, TicketTypeId, UserId};
use crate::kinds::{Channel, Department, NoteAudience, Outcome, Priority, Role, Stage, Tier};
use crate::permissions::{Action, Actor};
use crate::sla::ClockKind;
use crate::ticket::stage::next_stages;
use crate::ticket::timings::StageDuration;
use crate::ticket::TicketEvent;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A member one can sign in as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Account {
    pub id: UserId,
    pub name: String,
    pub role: Role,
}

/// Whose tickets a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AssigneeFilter {
    /// The signed-in member's tickets ("My tickets").
    Me,
    /// Unassigned tickets only.
    Nobody,
    /// One member's tickets (team-wide view).
    User(UserId),
}

/// Which instant of a ticket a time window filters on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TimeField {
    /// When it was logged.
    Created,
    /// When it was first responded to.
    FirstResponse,
    /// When it was resolved.
    Resolved,
}

/// Tickets whose `field` falls in `[from, to)` — the tickets behind a board figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TimeWindow {
    pub field: TimeField,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// Filters, search and the window of the pool to return. Rows come urgent → low, then oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PoolQuery {
    pub stage: Option<Stage>,
    pub type_id: Option<TicketTypeId>,
    pub priority: Option<Priority>,
    pub channel: Option<Channel>,
    pub tier: Option<Tier>,
    pub assignee: Option<AssigneeFilter>,
    /// Leave finished tickets out.
    pub open_only: bool,
    /// Matches the ticket number, the subject or the customer's name.
    pub search: Option<String>,
    /// Only tickets whose logged / first-response / resolved instant falls in the window.
    #[serde(default)]
    #[ts(optional)]
    pub window: Option<TimeWindow>,
    /// Only open tickets whose headline SLA clock is past its target now (as the board counts
    /// "overdue").
    #[serde(default)]
    #[ts(optional)]
    pub overdue: Option<bool>,
    pub offset: u32,
    pub limit: u32,
}

/// One line of the pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PoolRow {
    pub id: TicketId,
    pub number: String,
    pub subject: String,
    pub stage: Stage,
    pub priority: Priority,
    pub channel: Channel,
    pub tier: Tier,
    pub type_name: String,
    /// Masked.
    pub customer_name: String,
    pub assignee_id: Option<UserId>,
    pub assignee_name: Option<String>,
    pub round: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The SLA clock the lists count down: the running one due first, else a paused one.
    pub sla: Option<SlaBadge>,
    /// When this ticket turns stale (the customer waits and nobody touched it for the
    /// configured minutes) and, if it has an SLA clock, when it stops being (it breaches).
    pub stale_at: Option<DateTime<Utc>>,
    pub stale_until: Option<DateTime<Utc>>,
    /// Set while the ticket waits in the pool because no eligible agent has capacity.
    pub waiting: Option<crate::kinds::WaitReason>,
}

/// A list's SLA countdown: when the headline clock turns near-breach and breached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SlaBadge {
    pub kind: ClockKind,
    pub near_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub paused: bool,
}

/// A window of the pool and how many tickets match in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PoolPage {
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<PoolRow>,
}

/// A customer as shown: contact details masked unless revealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CustomerView {
    pub id: CustomerId,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub tier: Tier,
}

/// A new customer typed into the ticket form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewCustomer {
    pub name: String,
    pub phone: String,
    pub email: String,
    pub tier: Tier,
}

/// The ticket form's customer: an existing one or a new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CustomerChoice {
    Existing(CustomerId),
    New(NewCustomer),
}

/// The ticket form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewTicket {
    pub channel: Channel,
    pub type_id: TicketTypeId,
    pub customer: CustomerChoice,
    pub priority: Priority,
    pub subject: String,
    pub description: String,
    pub departments: Vec<Department>,
    /// File names only; the files stay where the customer sent them.
    pub attachments: Vec<String>,
}

/// A note as shown on the ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NoteView {
    pub id: NoteId,
    pub author_name: String,
    pub audience: NoteAudience,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// A timeline entry: the event plus the names it refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TimelineEntry {
    pub event: TicketEvent,
    pub actor_name: Option<String>,
    /// For assignments: the new assignee's name.
    pub assignee_name: Option<String>,
}

/// What the signed-in member may do to this ticket now; the UI shows exactly these.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct AllowedActions {
    pub moves: Vec<Stage>,
    pub reopen: bool,
    pub claim: bool,
    pub assign: bool,
    pub note: bool,
    pub reveal: bool,
    /// Change the priority (re-targets the SLA clocks).
    pub priority: bool,
    /// Ask a supervisor to hand the ticket to someone else.
    pub request_transfer: bool,
}

impl AllowedActions {
    /// Derives the actions from the actor's permissions and the ticket's state.
    pub fn for_ticket(actor: &Actor, stage: Stage, assignee: Option<UserId>) -> Self {
        let work = actor.may(Action::WorkTicket { assignee }) && assignee.is_some();
        AllowedActions {
            moves: if work {
                next_stages(stage).to_vec()
            } else {
                vec![]
            },
            reopen: work && stage == Stage::Done,
            claim: assignee.is_none() && actor.may(Action::ClaimTicket),
            assign: stage != Stage::Done && actor.may(Action::AssignTicket),
            note: actor.may(Action::AddNote { assignee }),
            reveal: actor.may(Action::RevealPii { assignee }),
            priority: stage != Stage::Done && actor.may(Action::WorkTicket { assignee }),
            request_transfer: stage != Stage::Done
                && actor.may(Action::RequestTransfer { assignee }),
        }
    }
}

/// Everything the ticket view shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TicketDetail {
    pub row: PoolRow,
    pub type_id: TicketTypeId,
    pub description: String,
    pub departments: Vec<Department>,
    pub attachments: Vec<String>,
    pub outcome: Option<Outcome>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub version: u32,
    pub customer: CustomerView,
    /// The handling template of the ticket's type.
    pub template: String,
    pub notes: Vec<NoteView>,
    pub timeline: Vec<TimelineEntry>,
    pub durations: Vec<StageDuration>,
    /// The first-response and resolution clocks, as of when the view was read.
    pub sla: Vec<crate::sla::SlaClock>,
    pub allowed: AllowedActions,
    /// The latest transfer request on the ticket, if any.
    pub transfer: Option<crate::assign::transfer::TransferView>,
    /// For a follow-up ticket (客户回访): the ticket whose feedback it follows up.
    pub follows: Option<TicketRef>,
}

/// Another ticket, by id and number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TicketRef {
    pub id: TicketId,
    pub number: String,
}

/// Choices the ticket form and filters offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Catalog {
    pub ticket_types: Vec<crate::config::TicketType>,
    /// Members tickets can be assigned to (agents and supervisors).
    pub assignees: Vec<Account>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_agent_works_only_their_own_ticket() {
        let me = Actor {
            id: UserId(1),
            role: Role::Agent,
        };
        let mine = AllowedActions::for_ticket(&me, Stage::InProgress, Some(UserId(1)));
        assert_eq!(mine.moves, vec![Stage::AwaitingReply, Stage::Done]);
        assert!(mine.note && mine.reveal && !mine.assign && !mine.claim);
        let theirs = AllowedActions::for_ticket(&me, Stage::InProgress, Some(UserId(2)));
        assert_eq!(theirs, AllowedActions::default());
        let pool = AllowedActions::for_ticket(&me, Stage::Unassigned, None);
        assert!(pool.claim && pool.moves.is_empty());
    }

    #[test]
    fn a_done_ticket_offers_reopen_only() {
        let sup = Actor {
            id: UserId(9),
            role: Role::Supervisor,
        };
        let a = AllowedActions::for_ticket(&sup, Stage::Done, Some(UserId(1)));
        assert!(a.reopen && a.moves.is_empty() && !a.assign);
    }
}
