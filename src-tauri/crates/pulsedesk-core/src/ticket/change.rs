//! The one decision for every change a member makes to an existing ticket — a claim, an
//! assignment, a move, a reopening, a note, a priority — whichever store applies it: the
//! embedded workspace (and a desktop's replica, at once) and the team service on the team
//! database call [`decide`] with what they read, and write what it returns. Validation,
//! rights, the workflow and the capacity rule live here, once.

use super::TicketState;
use super::{check_holder, events_for, priority_change, EventKind, Holder, TicketCommand};
use crate::command::Command;
use crate::error::DomainError;
use crate::ids::{NoteId, TicketId, UserId};
use crate::kinds::{NoteAudience, Priority};
use crate::permissions::{Action, Actor};
use crate::reason::Reason;
use crate::validate;

/// A change to one ticket, as a [`Command`] names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change<'a> {
    /// Claim, assign, move or reopen.
    Ticket(&'a TicketCommand),
    Note {
        audience: NoteAudience,
        body: &'a str,
    },
    Priority(Priority),
}

impl Command {
    /// The ticket this command changes and how, for a change to an existing ticket.
    pub fn change(&self) -> Option<(TicketId, Change<'_>)> {
        match self {
            Command::Ticket { ticket, change } => Some((*ticket, Change::Ticket(change))),
            Command::AddNote {
                ticket,
                audience,
                body,
            } => Some((
                *ticket,
                Change::Note {
                    audience: *audience,
                    body,
                },
            )),
            Command::ChangePriority { ticket, to } => Some((*ticket, Change::Priority(*to))),
            Command::CreateTicket { .. }
            | Command::RevealCustomer { .. }
            | Command::RecordSlaAlert { .. } => None,
        }
    }
}

/// A ticket as [`decide`] needs it: its log's state, and its priority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Current {
    pub state: TicketState,
    pub priority: Priority,
}

/// The rights a change needs whatever the ticket: checked before a store reads the ticket,
/// so that a member without them is told so — not whether the ticket exists or who took it.
pub fn check_right(actor: &Actor, change: &Change<'_>) -> Result<(), DomainError> {
    match change {
        Change::Ticket(TicketCommand::Claim) => actor.authorize(Action::ClaimTicket),
        Change::Ticket(TicketCommand::Assign { .. }) => actor.authorize(Action::AssignTicket),
        _ => Ok(()),
    }
}

/// The member the ticket would go to, whose holding (open tickets, cap) the store reads —
/// under the lock that keeps the count stable until it commits — for [`decide`].
pub fn taker(actor: &Actor, change: &Change<'_>) -> Option<UserId> {
    match change {
        Change::Ticket(TicketCommand::Claim) => Some(actor.id),
        Change::Ticket(TicketCommand::Assign { to }) => Some(*to),
        _ => None,
    }
}

/// The events `change` appends to the ticket, or why it is refused. `holder` is the
/// [`taker`]'s holding when there is one, `None` when they are not an active member.
/// A note's event carries no id yet: the store gives the note its id when it writes it.
pub fn decide(
    actor: &Actor,
    current: &Current,
    change: &Change<'_>,
    holder: Option<&Holder>,
) -> Result<Vec<EventKind>, DomainError> {
    check_right(actor, change)?;
    match change {
        Change::Ticket(command) => {
            if let TicketCommand::Reopen { reason } = command {
                validate::at_most("reason", reason, validate::MAX_NOTE)?;
            }
            let events = events_for(actor, &current.state, command)?;
            if taker(actor, change).is_some() {
                match holder {
                    Some(h) => check_holder(h)?,
                    None => {
                        return Err(DomainError::invalid("assignee", Reason::MemberSwitchedOff))
                    }
                }
            }
            Ok(events)
        }
        Change::Note { audience, body } => {
            validate::note(body)?;
            actor.authorize(Action::AddNote {
                assignee: current.state.assignee,
            })?;
            Ok(vec![EventKind::NoteAdded {
                note_id: NoteId(0),
                audience: *audience,
            }])
        }
        Change::Priority(to) => Ok(vec![priority_change(
            actor,
            &current.state,
            current.priority,
            *to,
        )?]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::{Role, Stage};

    fn actor(id: i64, role: Role) -> Actor {
        Actor {
            id: UserId(id),
            role,
        }
    }

    fn current(stage: Stage, assignee: Option<i64>) -> Current {
        Current {
            state: TicketState {
                stage,
                assignee: assignee.map(UserId),
                ..Default::default()
            },
            priority: Priority::High,
        }
    }

    fn holder(open: u32) -> Holder {
        Holder {
            name: "李娜".into(),
            role: Role::Agent,
            open,
            cap: 5,
        }
    }

    #[test]
    fn a_claim_needs_the_right_first_then_the_ticket_then_room_under_the_cap() {
        let claim = TicketCommand::Claim;
        let change = Change::Ticket(&claim);
        let pool = current(Stage::Unassigned, None);
        let agent = actor(7, Role::Agent);
        assert_eq!(taker(&agent, &change), Some(UserId(7)));
        assert!(decide(&agent, &pool, &change, Some(&holder(4))).is_ok());
        let full = decide(&agent, &pool, &change, Some(&holder(5)));
        assert!(matches!(
            full,
            Err(DomainError::Conflict(Reason::CapReached { open: 5, .. }))
        ));
        // Taken already: that is the answer, whatever the claimer holds.
        let taken = decide(&agent, &current(Stage::ToContact, Some(8)), &change, None);
        assert_eq!(taken, Err(DomainError::Conflict(Reason::AlreadyTaken)));
        let admin = actor(1, Role::Admin);
        assert_eq!(
            check_right(&admin, &change).map_err(|e| e.code()),
            Err("forbidden")
        );
    }

    #[test]
    fn an_assignment_to_someone_no_longer_active_is_refused_by_name_of_field() {
        let to = TicketCommand::Assign { to: UserId(9) };
        let change = Change::Ticket(&to);
        let sup = actor(2, Role::Supervisor);
        assert_eq!(taker(&sup, &change), Some(UserId(9)));
        let gone = decide(&sup, &current(Stage::Unassigned, None), &change, None);
        assert_eq!(
            gone,
            Err(DomainError::invalid("assignee", Reason::MemberSwitchedOff))
        );
        let agent = actor(7, Role::Agent);
        assert_eq!(
            check_right(&agent, &change).map_err(|e| e.code()),
            Err("forbidden")
        );
    }

    #[test]
    fn notes_are_checked_then_written_by_whoever_may_add_them() {
        let mine = current(Stage::InProgress, Some(7));
        let note = |body| Change::Note {
            audience: NoteAudience::Internal,
            body,
        };
        let ok = decide(&actor(7, Role::Agent), &mine, &note("已回电"), None);
        assert_eq!(
            ok,
            Ok(vec![EventKind::NoteAdded {
                note_id: NoteId(0),
                audience: NoteAudience::Internal
            }])
        );
        let blank = decide(&actor(7, Role::Agent), &mine, &note("  "), None);
        assert_eq!(blank.map_err(|e| e.field()), Err(Some("body")));
        let long = "字".repeat(validate::MAX_NOTE + 1);
        let long = decide(&actor(7, Role::Agent), &mine, &note(&long), None);
        assert_eq!(long.map_err(|e| e.field()), Err(Some("body")));
        let other = decide(&actor(9, Role::Agent), &mine, &note("已回电"), None);
        assert_eq!(other.map_err(|e| e.code()), Err("forbidden"));
    }

    #[test]
    fn a_reopening_reason_is_held_to_a_notes_length() {
        let long = TicketCommand::Reopen {
            reason: "仍".repeat(validate::MAX_NOTE + 1),
        };
        let done = current(Stage::Done, Some(7));
        let refused = decide(&actor(7, Role::Agent), &done, &Change::Ticket(&long), None);
        assert_eq!(refused.map_err(|e| e.field()), Err(Some("reason")));
    }

    #[test]
    fn a_priority_is_decided_against_the_one_read_with_the_ticket() {
        let mine = current(Stage::InProgress, Some(7));
        let same = decide(
            &actor(7, Role::Agent),
            &mine,
            &Change::Priority(Priority::High),
            None,
        );
        assert_eq!(same.map_err(|e| e.field()), Err(Some("priority")));
        let lower = decide(
            &actor(7, Role::Agent),
            &mine,
            &Change::Priority(Priority::Low),
            None,
        );
        assert_eq!(
            lower,
            Ok(vec![EventKind::PriorityChanged {
                from: Priority::High,
                to: Priority::Low
            }])
        );
    }

    #[test]
    fn commands_name_the_ticket_they_change() {
        let note = Command::AddNote {
            ticket: TicketId(4),
            audience: NoteAudience::Tech,
            body: "请技术部看看".into(),
        };
        assert!(matches!(
            note.change(),
            Some((TicketId(4), Change::Note { .. }))
        ));
        let reveal = Command::RevealCustomer {
            ticket: TicketId(4),
        };
        assert_eq!(reveal.change(), None);
    }
}
