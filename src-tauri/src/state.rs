//! What the shell holds: the open workspace (or why it could not open) and who is signed in.

use crate::desk::Desk;
use crate::error::{ApiError, ApiResult};
use pulsedesk_alerts::SchedulerHandle;
use pulsedesk_assign::AssignerHandle;
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::permissions::Actor;
use pulsedesk_core::view::Account;
use pulsedesk_store::Workspace;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

/// Shared by every command.
pub struct AppState {
    workspace: Result<Workspace, ApiError>,
    /// The member at this desktop (shared with the SLA scheduler).
    pub desk: Arc<Desk>,
    /// The SLA scheduler, once started.
    scheduler: OnceLock<SchedulerHandle>,
    /// The assigner, once started.
    assigner: OnceLock<AssignerHandle>,
    /// Where the workspace file lives (shown on the error screen).
    pub data_dir: PathBuf,
    /// When the process started, for the start-up figure.
    pub started: Instant,
    /// Signalled when the first screen is interactive (background work waits for it).
    pub ui_ready: tokio::sync::Notify,
}

impl AppState {
    pub fn new(
        workspace: Result<Workspace, ApiError>,
        session: Option<Account>,
        data_dir: PathBuf,
        started: Instant,
    ) -> Self {
        AppState {
            workspace,
            desk: Arc::new(Desk::new(session)),
            scheduler: OnceLock::new(),
            assigner: OnceLock::new(),
            data_dir,
            started,
            ui_ready: tokio::sync::Notify::new(),
        }
    }

    /// The workspace, or the error that kept it closed.
    pub fn workspace(&self) -> ApiResult<&Workspace> {
        self.workspace.as_ref().map_err(Clone::clone)
    }

    /// The workspace and the signed-in actor; `signed_out` if nobody is.
    pub fn actor(&self) -> ApiResult<(&Workspace, Actor)> {
        let ws = self.workspace()?;
        let account = self.desk.session().ok_or_else(ApiError::signed_out)?;
        Ok((
            ws,
            Actor {
                id: account.id,
                role: account.role,
            },
        ))
    }

    pub fn session(&self) -> Option<Account> {
        self.desk.session()
    }

    pub fn set_session(&self, account: Option<Account>) {
        self.desk.set_session(account);
    }

    pub fn set_scheduler(&self, handle: SchedulerHandle) {
        let _ = self.scheduler.set(handle);
    }

    pub fn set_assigner(&self, handle: AssignerHandle) {
        let _ = self.assigner.set(handle);
    }

    /// A ticket changed: the SLA scheduler reschedules it and the assigner looks at the
    /// backlog (a new ticket, or capacity freed).
    pub fn ticket_changed(&self, id: TicketId) {
        self.sla_ticket_changed(id);
        self.wake_assigner();
    }

    /// Tells the SLA scheduler only (the assigner itself changed the ticket).
    pub fn sla_ticket_changed(&self, id: TicketId) {
        if let Some(s) = self.scheduler.get() {
            s.ticket_changed(id);
        }
    }

    /// Something that may let a waiting ticket be assigned happened.
    pub fn wake_assigner(&self) {
        if let Some(a) = self.assigner.get() {
            a.wake();
        }
    }

    /// Tells the SLA scheduler the SLA rules changed (and the assigner: caps may have).
    pub fn rules_changed(&self) {
        if let Some(s) = self.scheduler.get() {
            s.rules_changed();
        }
        self.wake_assigner();
    }
}
