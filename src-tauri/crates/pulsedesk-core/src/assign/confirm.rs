//! What an automatic assignment writes, and — for an assigner that plans on one read and
//! writes later (the team service, beside the members' own commands) — whether the plan
//! still holds when it is written: the ticket still in the pool, the agent still active,
//! online, skilled and below their cap, by the same rule that chose them ([`decide`]).

use super::decide::{decide, AssignWhy, Candidate, Decision, Need};
use crate::ids::UserId;
use crate::kinds::Stage;
use crate::ticket::{EventKind, TicketState};

/// The log entries of a pool ticket assigned to `to` by the assigner, for `why`.
pub fn assignment_events(to: UserId, why: AssignWhy) -> Vec<EventKind> {
    vec![
        EventKind::Assigned {
            from: None,
            to,
            why: Some(why),
        },
        EventKind::StageChanged {
            from: Stage::Unassigned,
            to: Stage::ToContact,
            outcome: None,
        },
    ]
}

/// The entries of the planned assignment of a ticket now in `state`, with `need`, to
/// `agent` as they are now; `None` when the plan no longer holds (the next drain plans the
/// ticket again).
pub fn confirm(
    state: &TicketState,
    need: Need<'_>,
    agent: &Candidate,
    why: AssignWhy,
) -> Option<Vec<EventKind>> {
    if state.stage != Stage::Unassigned || state.assignee.is_some() {
        return None;
    }
    match decide(need, std::slice::from_ref(agent)) {
        Decision::Assign { to, .. } if to == agent.id => Some(assignment_events(to, why)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assign::Rule;
    use crate::kinds::Presence;

    fn agent(presence: Presence, load: u32, skills: &[&str]) -> Candidate {
        Candidate {
            id: UserId(7),
            name: "李娜".into(),
            skills: skills.iter().map(|s| s.to_string()).collect(),
            presence,
            load,
            cap: 5,
            last_assigned_at: None,
        }
    }

    fn why() -> AssignWhy {
        AssignWhy {
            rule: Rule::OnlyCandidate,
            required: vec![],
            preferred: None,
            considered: 1,
            eligible: 1,
            ranked: vec![],
        }
    }

    #[test]
    fn a_plan_holds_only_while_the_ticket_waits_and_the_agent_can_take_it() {
        let pool = TicketState::default();
        let need = Need::default();
        let online = agent(Presence::Online, 4, &[]);
        assert_eq!(
            confirm(&pool, need, &online, why()),
            Some(assignment_events(UserId(7), why()))
        );
        let taken = TicketState {
            stage: Stage::ToContact,
            assignee: Some(UserId(8)),
            ..Default::default()
        };
        assert_eq!(confirm(&taken, need, &online, why()), None);
        let full = agent(Presence::Online, 5, &[]);
        assert_eq!(confirm(&pool, need, &full, why()), None);
        let away = agent(Presence::Away, 0, &[]);
        assert_eq!(confirm(&pool, need, &away, why()), None);
        let required = ["技术故障".to_string()];
        let skilled = Need {
            required: &required,
            preferred: None,
        };
        let unskilled = agent(Presence::Online, 0, &["退换货"]);
        assert_eq!(confirm(&pool, skilled, &unskilled, why()), None);
        let tech = agent(Presence::Online, 0, &["技术故障"]);
        assert!(confirm(&pool, skilled, &tech, why()).is_some());
    }
}
