//! What the shell holds: the open workspace (or why it could not open) and who is signed in.

use crate::error::{ApiError, ApiResult};
use pulsedesk_core::permissions::Actor;
use pulsedesk_core::view::Account;
use pulsedesk_store::Workspace;
use std::path::PathBuf;
use std::sync::RwLock;
use std::time::Instant;

/// Shared by every command.
pub struct AppState {
    workspace: Result<Workspace, ApiError>,
    session: RwLock<Option<Account>>,
    /// Where the workspace file lives (shown on the error screen).
    pub data_dir: PathBuf,
    /// When the process started, for the start-up figure.
    pub started: Instant,
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
            session: RwLock::new(session),
            data_dir,
            started,
        }
    }

    /// The workspace, or the error that kept it closed.
    pub fn workspace(&self) -> ApiResult<&Workspace> {
        self.workspace.as_ref().map_err(Clone::clone)
    }

    /// The workspace and the signed-in actor; `signed_out` if nobody is.
    pub fn actor(&self) -> ApiResult<(&Workspace, Actor)> {
        let ws = self.workspace()?;
        let session = self.session.read().unwrap_or_else(|e| e.into_inner());
        let account = session.as_ref().ok_or_else(ApiError::signed_out)?;
        Ok((
            ws,
            Actor {
                id: account.id,
                role: account.role,
            },
        ))
    }

    pub fn session(&self) -> Option<Account> {
        self.session
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set_session(&self, account: Option<Account>) {
        *self.session.write().unwrap_or_else(|e| e.into_inner()) = account;
    }
}
