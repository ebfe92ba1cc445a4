//! What the shell holds: the open workspace (or why it could not open), who is signed in,
//! the background work running on that workspace and, in team mode, the sync link.

use crate::desk::Desk;
use crate::error::{ApiError, ApiResult};
use crate::tasks::{Alive, TaskTrouble, Troubles};
use crate::team::Team;
use pulsedesk_alerts::SchedulerHandle;
use pulsedesk_assign::AssignerHandle;
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::permissions::Actor;
use pulsedesk_core::view::Account;
use pulsedesk_store::Workspace;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;
use tokio::sync::Notify;

/// The tasks that work on the open workspace; replaced when the workspace is.
#[derive(Default)]
struct Background {
    scheduler: Option<SchedulerHandle>,
    assigner: Option<AssignerHandle>,
    watcher: Option<Arc<Notify>>,
    /// Switched off when this workspace's tasks are stopped: nothing restarts after that.
    alive: Alive,
}

/// Shared by every command.
pub struct AppState {
    /// The embedded workspace, or in team mode the desktop's replica of the shared database.
    workspace: RwLock<Result<Workspace, ApiError>>,
    /// The member at this desktop (shared with the SLA scheduler).
    pub desk: Arc<Desk>,
    background: Mutex<Background>,
    /// The link to the team's shared database, in team mode.
    team: Mutex<Option<Team>>,
    /// Why the saved team connection could not be resumed at start, if it could not.
    team_problem: Mutex<Option<ApiError>>,
    /// Serialises connecting and signing out (each swaps the workspace).
    pub switching: tokio::sync::Mutex<()>,
    /// Where the workspace file lives (shown on the error screen).
    pub data_dir: PathBuf,
    /// When the process started, for the start-up figure.
    pub started: Instant,
    /// Signalled when the first screen is interactive (background work waits for it).
    pub ui_ready: Notify,
    /// Background tasks that failed since start (shown in the header).
    pub troubles: Troubles,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl AppState {
    pub fn new(
        workspace: Result<Workspace, ApiError>,
        session: Option<Account>,
        team: Option<Team>,
        data_dir: PathBuf,
        started: Instant,
    ) -> Self {
        AppState {
            workspace: RwLock::new(workspace),
            desk: Arc::new(Desk::new(session)),
            background: Mutex::default(),
            team: Mutex::new(team),
            team_problem: Mutex::default(),
            switching: tokio::sync::Mutex::new(()),
            data_dir,
            started,
            ui_ready: Notify::new(),
            troubles: Troubles::default(),
        }
    }

    /// The workspace, or the error that kept it closed.
    pub fn workspace(&self) -> ApiResult<Workspace> {
        self.workspace
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The workspace and the signed-in actor; `signed_out` if nobody is.
    pub fn actor(&self) -> ApiResult<(Workspace, Actor)> {
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

    /// Who is signed in here; the SLA scheduler greets them at once.
    pub fn set_session(&self, account: Option<Account>) {
        self.desk.set_session(account);
        if let Some(s) = &lock(&self.background).scheduler {
            s.session_changed();
        }
    }

    /// Puts another workspace in place (connecting to a team, or leaving it) and signs in
    /// `session`. The caller stops the old background work first and starts the new.
    pub fn replace_workspace(&self, ws: Result<Workspace, ApiError>, session: Option<Account>) {
        *self.workspace.write().unwrap_or_else(|e| e.into_inner()) = ws;
        self.set_session(session);
    }

    /// Takes the team link out (to stop it), leaving none.
    pub fn take_team(&self) -> Option<Team> {
        lock(&self.team).take()
    }

    pub fn set_team(&self, team: Option<Team>) {
        *lock(&self.team) = team;
        *lock(&self.team_problem) = None;
    }

    pub fn set_team_problem(&self, problem: Option<ApiError>) {
        *lock(&self.team_problem) = problem;
    }

    pub fn team_problem(&self) -> Option<ApiError> {
        lock(&self.team_problem).clone()
    }

    /// Runs `f` on the team link, if this desktop is in team mode.
    pub fn with_team<T>(&self, f: impl FnOnce(&Team) -> T) -> Option<T> {
        lock(&self.team).as_ref().map(f)
    }

    pub fn set_scheduler(&self, handle: SchedulerHandle) {
        lock(&self.background).scheduler = Some(handle);
    }

    pub fn set_assigner(&self, handle: AssignerHandle) {
        lock(&self.background).assigner = Some(handle);
    }

    pub fn set_watcher(&self, stop: Arc<Notify>) {
        lock(&self.background).watcher = Some(stop);
    }

    /// The switch of the tasks now running on the workspace (a fresh one after a stop).
    pub fn alive(&self) -> Alive {
        let mut bg = lock(&self.background);
        if !bg.alive.is_on() {
            bg.alive = Alive::new();
        }
        bg.alive.clone()
    }

    /// Records a background task's failure; returns every one seen since start.
    pub fn record_trouble(&self, t: TaskTrouble) -> Vec<TaskTrouble> {
        self.troubles.record(t);
        self.troubles.all()
    }

    /// Stops the scheduler, the assigner and the presence watcher.
    pub fn stop_background(&self) {
        let bg = std::mem::take(&mut *lock(&self.background));
        bg.alive.end();
        if let Some(s) = bg.scheduler {
            s.stop();
        }
        if let Some(a) = bg.assigner {
            a.stop();
        }
        if let Some(w) = bg.watcher {
            w.notify_one();
        }
    }

    /// A ticket changed here: the SLA scheduler reschedules it, the assigner looks at the
    /// backlog (a new ticket, or capacity freed) and, in team mode, the change is sent.
    pub fn ticket_changed(&self, id: TicketId) {
        self.sla_ticket_changed(id);
        self.wake_assigner();
        self.with_team(Team::kick);
    }

    /// Tells the SLA scheduler only (the assigner itself changed the ticket).
    pub fn sla_ticket_changed(&self, id: TicketId) {
        if let Some(s) = &lock(&self.background).scheduler {
            s.ticket_changed(id);
        }
    }

    /// Something that may let a waiting ticket be assigned happened.
    pub fn wake_assigner(&self) {
        if let Some(a) = &lock(&self.background).assigner {
            a.wake();
        }
    }

    /// The signed-in member's presence changed on this desktop: the assigner looks again
    /// and, in team mode, the server is told.
    pub fn presence_changed(&self) {
        self.wake_assigner();
        self.with_team(|t| t.engine().presence_changed());
    }

    /// Tells the SLA scheduler the SLA rules changed (and the assigner: caps may have).
    pub fn rules_changed(&self) {
        if let Some(s) = &lock(&self.background).scheduler {
            s.rules_changed();
        }
        self.wake_assigner();
    }
}
