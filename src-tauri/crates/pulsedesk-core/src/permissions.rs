//! Who may do what. Every store operation asks here before touching data, so the rules
//! hold whatever the UI shows (see docs/ARCHITECTURE.md, "Permissions").

use crate::error::DomainError;
use crate::ids::UserId;
use crate::kinds::Role;
use crate::reason::Permission;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The signed-in member performing an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Actor {
    pub id: UserId,
    pub role: Role,
}

/// Something a member may try to do. Ticket actions carry the ticket's current assignee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See the pool of unassigned tickets and search it.
    ViewPool,
    /// See tickets assigned to anyone (team-wide lists and filters).
    ViewTeam,
    /// Open one ticket.
    ViewTicket { assignee: Option<UserId> },
    /// Log a new ticket.
    CreateTicket,
    /// Move a ticket's stage, record its outcome, reopen it.
    WorkTicket { assignee: Option<UserId> },
    /// Write a note on a ticket.
    AddNote { assignee: Option<UserId> },
    /// Take an unassigned ticket for oneself.
    ClaimTicket,
    /// Assign or reassign a ticket to anyone, and decide transfer requests.
    AssignTicket,
    /// Ask a supervisor to hand one's own ticket to someone else (转交申请).
    RequestTransfer { assignee: Option<UserId> },
    /// See a customer's full phone number or e-mail (audited).
    RevealPii { assignee: Option<UserId> },
    /// Change ticket types, SLA targets, members, skills and caps.
    Configure,
    /// Record a customer's survey answer given by phone, for a ticket one worked.
    RecordFeedback { assignee: Option<UserId> },
    /// Import survey results from a file.
    ImportFeedback,
    /// Keep the improvement measures table (优化措施表).
    ManageMeasures,
}

impl Action {
    /// The action without its data, as a refusal names it.
    pub fn permission(self) -> Permission {
        match self {
            Action::ViewPool => Permission::ViewPool,
            Action::ViewTeam => Permission::ViewTeam,
            Action::ViewTicket { .. } => Permission::ViewTicket,
            Action::CreateTicket => Permission::CreateTicket,
            Action::WorkTicket { .. } => Permission::WorkTicket,
            Action::AddNote { .. } => Permission::AddNote,
            Action::ClaimTicket => Permission::ClaimTicket,
            Action::AssignTicket => Permission::AssignTicket,
            Action::RequestTransfer { .. } => Permission::RequestTransfer,
            Action::RevealPii { .. } => Permission::RevealPii,
            Action::Configure => Permission::Configure,
            Action::RecordFeedback { .. } => Permission::RecordFeedback,
            Action::ImportFeedback => Permission::ImportFeedback,
            Action::ManageMeasures => Permission::ManageMeasures,
        }
    }
}

impl Actor {
    fn owns(&self, assignee: Option<UserId>) -> bool {
        assignee == Some(self.id)
    }

    /// Whether the actor may perform `action`.
    pub fn may(&self, action: Action) -> bool {
        use Action::*;
        use Role::*;
        match (self.role, action) {
            (_, ViewPool | CreateTicket) => true,
            (Supervisor | Admin, ViewTeam) => true,
            (Agent, ViewTeam) => false,
            (Supervisor | Admin, ViewTicket { .. }) => true,
            (Agent, ViewTicket { assignee }) => assignee.is_none() || self.owns(assignee),
            (Supervisor, WorkTicket { .. } | AddNote { .. } | RevealPii { .. }) => true,
            (Agent | Admin, WorkTicket { assignee } | RevealPii { assignee }) => {
                self.owns(assignee)
            }
            (Agent | Admin, AddNote { assignee }) => self.owns(assignee),
            (Agent | Supervisor, ClaimTicket) => true,
            (Admin, ClaimTicket) => false,
            (Supervisor, AssignTicket) => true,
            (Agent | Supervisor, RequestTransfer { assignee }) => self.owns(assignee),
            (Admin, RequestTransfer { .. }) => false,
            (Agent | Admin, AssignTicket) => false,
            (Admin, Configure) => true,
            (Agent | Supervisor, Configure) => false,
            (Supervisor, RecordFeedback { .. }) => true,
            (Agent, RecordFeedback { assignee }) => self.owns(assignee),
            (Admin, RecordFeedback { .. }) => false,
            (Supervisor | Admin, ImportFeedback | ManageMeasures) => true,
            (Agent, ImportFeedback | ManageMeasures) => false,
        }
    }

    /// `Ok` when allowed; otherwise a `Forbidden` error that says what was refused.
    pub fn authorize(&self, action: Action) -> Result<(), DomainError> {
        if self.may(action) {
            return Ok(());
        }
        Err(DomainError::Forbidden(action.permission()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: UserId = UserId(1);
    const OTHER: UserId = UserId(2);

    fn actor(role: Role) -> Actor {
        Actor { id: ME, role }
    }

    /// The full matrix: (action, agent, supervisor, admin).
    #[test]
    fn the_permission_matrix_of_the_three_roles() {
        use Action::*;
        let mine = Some(ME);
        let theirs = Some(OTHER);
        let cases: Vec<(Action, bool, bool, bool)> = vec![
            (ViewPool, true, true, true),
            (ViewTeam, false, true, true),
            (ViewTicket { assignee: None }, true, true, true),
            (ViewTicket { assignee: mine }, true, true, true),
            (ViewTicket { assignee: theirs }, false, true, true),
            (CreateTicket, true, true, true),
            (WorkTicket { assignee: mine }, true, true, true),
            (WorkTicket { assignee: theirs }, false, true, false),
            (WorkTicket { assignee: None }, false, true, false),
            (AddNote { assignee: mine }, true, true, true),
            (AddNote { assignee: theirs }, false, true, false),
            (ClaimTicket, true, true, false),
            (AssignTicket, false, true, false),
            (RecordFeedback { assignee: mine }, true, true, false),
            (RecordFeedback { assignee: theirs }, false, true, false),
            (ImportFeedback, false, true, true),
            (ManageMeasures, false, true, true),
            (RequestTransfer { assignee: mine }, true, true, false),
            (RequestTransfer { assignee: theirs }, false, false, false),
            (RequestTransfer { assignee: None }, false, false, false),
            (RevealPii { assignee: mine }, true, true, true),
            (RevealPii { assignee: theirs }, false, true, false),
            (Configure, false, false, true),
        ];
        for (action, agent, supervisor, admin) in cases {
            assert_eq!(actor(Role::Agent).may(action), agent, "agent {action:?}");
            assert_eq!(
                actor(Role::Supervisor).may(action),
                supervisor,
                "supervisor {action:?}"
            );
            assert_eq!(actor(Role::Admin).may(action), admin, "admin {action:?}");
        }
    }

    #[test]
    fn refusals_say_why() {
        let err = actor(Role::Agent).authorize(Action::Configure).unwrap_err();
        assert_eq!(err.code(), "forbidden");
        assert!(err.to_string().contains("admins"));
    }
}
