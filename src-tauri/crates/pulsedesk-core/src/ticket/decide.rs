//! What a change to an existing ticket becomes: the events it appends, or why it is refused.
//! Both stores (the local workspace and the shared database) ask here, so a command means
//! the same everywhere and two desktops racing on one ticket get the same, deterministic
//! verdict: the second is judged against the state the first left.

use super::{check_move, check_reopen, EventKind, MoveRequest, TicketState};
use crate::error::DomainError;
use crate::ids::UserId;
use crate::kinds::{Outcome, Priority, Role, Stage};
use crate::permissions::{Action, Actor};
use crate::reason::Reason;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A change asked of one ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum TicketCommand {
    /// Take an unassigned ticket for oneself.
    Claim,
    /// Assign or reassign to `to` (supervisors).
    Assign { to: UserId },
    /// Move to another stage; `outcome` when finishing.
    Move { to: Stage, outcome: Option<Outcome> },
    /// Reopen a finished ticket into its next round (二次处理).
    Reopen { reason: String },
}

/// The events `command` appends to a ticket in `state`, or why it is refused.
/// The assignee's capacity is the caller's to check (it needs the team's counts).
pub fn events_for(
    actor: &Actor,
    state: &TicketState,
    command: &TicketCommand,
) -> Result<Vec<EventKind>, DomainError> {
    match command {
        TicketCommand::Claim => {
            actor.authorize(Action::ClaimTicket)?;
            if state.assignee.is_some() {
                return Err(DomainError::Conflict(Reason::AlreadyTaken));
            }
            assign(state, actor.id)
        }
        TicketCommand::Assign { to } => {
            actor.authorize(Action::AssignTicket)?;
            assign(state, *to)
        }
        TicketCommand::Move { to, outcome } => {
            actor.authorize(Action::WorkTicket {
                assignee: state.assignee,
            })?;
            check_move(MoveRequest {
                from: state.stage,
                to: *to,
                outcome: *outcome,
                assigned: state.assignee.is_some(),
            })?;
            Ok(vec![EventKind::StageChanged {
                from: state.stage,
                to: *to,
                outcome: if *to == Stage::Done { *outcome } else { None },
            }])
        }
        TicketCommand::Reopen { reason } => {
            actor.authorize(Action::WorkTicket {
                assignee: state.assignee,
            })?;
            let to = check_reopen(state.stage, reason)?;
            Ok(vec![
                EventKind::Reopened {
                    round: state.round + 1,
                    reason: reason.trim().to_string(),
                },
                EventKind::StageChanged {
                    from: state.stage,
                    to,
                    outcome: None,
                },
            ])
        }
    }
}

/// The entry a priority change appends to a ticket in `state` whose priority is `from`, or
/// why it is refused: only by who may work the ticket, only while it is open, and only to
/// another priority. (Priority is not part of [`TicketState`]: the caller reads it with it.)
pub fn priority_change(
    actor: &Actor,
    state: &TicketState,
    from: Priority,
    to: Priority,
) -> Result<EventKind, DomainError> {
    actor.authorize(Action::WorkTicket {
        assignee: state.assignee,
    })?;
    if state.stage == Stage::Done {
        return Err(DomainError::invalid(
            "priority",
            Reason::FinishedKeepsPriority,
        ));
    }
    if from == to {
        return Err(DomainError::invalid(
            "priority",
            Reason::AlreadyPriority { priority: to },
        ));
    }
    Ok(EventKind::PriorityChanged { from, to })
}

/// The member a ticket would go to, as a store reads them: what the capacity rule needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub name: String,
    pub role: Role,
    /// Their open (not finished) tickets now.
    pub open: u32,
    /// Their concurrent-ticket cap.
    pub cap: u32,
}

/// Refuses giving one more ticket to `to` when it would pass their concurrent-ticket cap,
/// or when they cannot hold tickets (admins). Both stores ask here, after reading `to`
/// under the lock that makes the count stable.
pub fn check_holder(to: &Holder) -> Result<(), DomainError> {
    if to.role == Role::Admin {
        return Err(DomainError::invalid(
            "assignee",
            Reason::AdminsTakeNoTickets,
        ));
    }
    if to.open >= to.cap {
        return Err(DomainError::Conflict(Reason::CapReached {
            name: to.name.clone(),
            open: to.open,
            cap: to.cap,
        }));
    }
    Ok(())
}

fn assign(state: &TicketState, to: UserId) -> Result<Vec<EventKind>, DomainError> {
    if state.stage == Stage::Done {
        return Err(DomainError::Conflict(Reason::FinishedNotAssignable));
    }
    if state.assignee == Some(to) {
        return Err(DomainError::Conflict(Reason::AlreadyAssignedTo));
    }
    let mut events = vec![EventKind::Assigned {
        from: state.assignee,
        to,
        why: None,
    }];
    if state.stage == Stage::Unassigned {
        events.push(EventKind::StageChanged {
            from: Stage::Unassigned,
            to: Stage::ToContact,
            outcome: None,
        });
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_holder_takes_tickets_up_to_their_cap_and_admins_none() {
        let holder = |role, open, cap| Holder {
            name: "李娜".into(),
            role,
            open,
            cap,
        };
        assert!(check_holder(&holder(Role::Agent, 4, 5)).is_ok());
        assert!(check_holder(&holder(Role::Supervisor, 0, 1)).is_ok());
        assert_eq!(
            check_holder(&holder(Role::Agent, 5, 5)),
            Err(DomainError::Conflict(Reason::CapReached {
                name: "李娜".into(),
                open: 5,
                cap: 5
            }))
        );
        // Past the cap already (a cap lowered by an admin): still refused, with the count.
        assert!(matches!(
            check_holder(&holder(Role::Agent, 7, 5)),
            Err(DomainError::Conflict(Reason::CapReached { open: 7, .. }))
        ));
        assert_eq!(
            check_holder(&holder(Role::Admin, 0, 5)),
            Err(DomainError::invalid(
                "assignee",
                Reason::AdminsTakeNoTickets
            ))
        );
    }

    fn actor(id: i64, role: Role) -> Actor {
        Actor {
            id: UserId(id),
            role,
        }
    }

    fn state(stage: Stage, assignee: Option<i64>) -> TicketState {
        TicketState {
            stage,
            assignee: assignee.map(UserId),
            ..Default::default()
        }
    }

    #[test]
    fn claiming_takes_the_ticket_out_of_the_pool_once() {
        let agent = actor(7, Role::Agent);
        let events = events_for(
            &agent,
            &state(Stage::Unassigned, None),
            &TicketCommand::Claim,
        )
        .unwrap_or_default();
        assert_eq!(
            events,
            vec![
                EventKind::Assigned {
                    from: None,
                    to: UserId(7),
                    why: None
                },
                EventKind::StageChanged {
                    from: Stage::Unassigned,
                    to: Stage::ToContact,
                    outcome: None
                }
            ]
        );
        // The second of two racing claims is judged against the first one's result.
        let second = events_for(
            &actor(8, Role::Agent),
            &state(Stage::ToContact, Some(7)),
            &TicketCommand::Claim,
        );
        assert_eq!(second.map_err(|e| e.code()), Err("conflict"));
        let admin = events_for(
            &actor(1, Role::Admin),
            &state(Stage::Unassigned, None),
            &TicketCommand::Claim,
        );
        assert_eq!(admin.map_err(|e| e.code()), Err("forbidden"));
    }

    #[test]
    fn a_priority_changes_by_whoever_works_the_ticket_while_it_is_open() {
        let (high, low) = (Priority::High, Priority::Low);
        let mine = state(Stage::InProgress, Some(7));
        assert_eq!(
            priority_change(&actor(7, Role::Agent), &mine, high, low),
            Ok(EventKind::PriorityChanged {
                from: high,
                to: low
            })
        );
        let sup = priority_change(&actor(2, Role::Supervisor), &mine, high, low);
        assert!(sup.is_ok(), "{sup:?}");
        let other = priority_change(&actor(9, Role::Agent), &mine, high, low);
        assert_eq!(other.map_err(|e| e.code()), Err("forbidden"));
        let same = priority_change(&actor(7, Role::Agent), &mine, high, high);
        assert_eq!(same.map_err(|e| e.code()), Err("invalid_input"));
        let done = priority_change(
            &actor(2, Role::Supervisor),
            &state(Stage::Done, Some(7)),
            high,
            low,
        );
        assert_eq!(done.map_err(|e| e.code()), Err("invalid_input"));
    }

    #[test]
    fn only_supervisors_assign_and_never_a_finished_ticket() {
        let to = TicketCommand::Assign { to: UserId(7) };
        let agent = events_for(&actor(8, Role::Agent), &state(Stage::Unassigned, None), &to);
        assert_eq!(agent.map_err(|e| e.code()), Err("forbidden"));
        let sup = actor(2, Role::Supervisor);
        let done = events_for(&sup, &state(Stage::Done, Some(8)), &to);
        assert_eq!(done.map_err(|e| e.code()), Err("conflict"));
        let same = events_for(&sup, &state(Stage::InProgress, Some(7)), &to);
        assert_eq!(same.map_err(|e| e.code()), Err("conflict"));
        let moved = events_for(&sup, &state(Stage::InProgress, Some(8)), &to).unwrap_or_default();
        assert_eq!(moved.len(), 1, "a reassignment keeps the stage");
    }

    #[test]
    fn moves_and_reopening_follow_the_workflow() {
        let agent = actor(7, Role::Agent);
        let finish = TicketCommand::Move {
            to: Stage::Done,
            outcome: Some(Outcome::Fully),
        };
        let ok = events_for(&agent, &state(Stage::InProgress, Some(7)), &finish);
        assert_eq!(ok.map(|e| e.len()), Ok(1));
        let other = events_for(
            &actor(9, Role::Agent),
            &state(Stage::InProgress, Some(7)),
            &finish,
        );
        assert_eq!(other.map_err(|e| e.code()), Err("forbidden"));
        let early = events_for(&agent, &state(Stage::ToContact, Some(7)), &finish);
        assert_eq!(early.map_err(|e| e.code()), Err("illegal_transition"));
        let reopen = TicketCommand::Reopen {
            reason: " 客户仍未收到 ".into(),
        };
        let events = events_for(&agent, &state(Stage::Done, Some(7)), &reopen).unwrap_or_default();
        assert_eq!(
            events.first(),
            Some(&EventKind::Reopened {
                round: 2,
                reason: "客户仍未收到".into()
            })
        );
        let open = events_for(&agent, &state(Stage::InProgress, Some(7)), &reopen);
        assert_eq!(open.map_err(|e| e.code()), Err("illegal_transition"));
    }
}
