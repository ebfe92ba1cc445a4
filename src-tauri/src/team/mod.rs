//! Team mode: this desktop signed in to the team's shared PostgreSQL database. The UI keeps
//! reading a local replica (see `pulsedesk-store`'s `replica`); the sync engine keeps it in
//! step and sends what the member does. The password lives in the OS credential store.
//!
//! - [`connect`]: the connection screen's server, login and password are checked against
//!   the server, the password is stored, the replica is filled and the app switches to it.
//! - [`resume`]: at start, a saved profile and stored password reconnect without asking;
//!   the replica serves at once, even when the server is unreachable.
//! - [`leave`]: signing out stops the engine, removes the password, the profile and the
//!   replica, and returns the desktop to its embedded workspace.

pub mod observer;
pub mod profile;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use observer::AppObserver;
use profile::Profile;
use pulsedesk_core::clock::{Clock, SystemClock};
use pulsedesk_core::ids::UserId;
use pulsedesk_core::view::Account;
use pulsedesk_shared::{Server, Shared, SharedError};
use pulsedesk_store::Workspace;
use pulsedesk_sync::{Credentials, Engine, Link, Login, Options, SyncStatus};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tauri::{AppHandle, Manager};
use ts_rs::TS;

/// Replica setting: the member this replica belongs to.
const MEMBER_KEY: &str = "team.member_id";
/// How long connecting waits for the first copy of the team's tickets.
const FIRST_FILL: Duration = Duration::from_secs(60);

/// A running link to the team server.
pub struct Team {
    pub profile: Profile,
    engine: Arc<Engine>,
}

impl Team {
    /// Something was queued: send it now.
    pub fn kick(&self) {
        self.engine.kick();
    }

    pub fn engine(&self) -> Arc<Engine> {
        self.engine.clone()
    }
}

/// What the connection screen sends.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ConnectInput {
    /// `host[:port][/database]`.
    pub server: String,
    pub login: String,
    pub password: String,
}

/// Team mode as the first screen and the header show it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TeamInfo {
    /// `host:port/database`.
    pub server: String,
    pub login: String,
    /// The link and the outbox; `None` when not connected (the password is needed).
    pub status: Option<SyncStatus>,
    /// Why the desktop could not reconnect on its own, if it could not.
    pub problem: Option<ApiError>,
}

impl From<SharedError> for ApiError {
    fn from(e: SharedError) -> Self {
        let field = match &e {
            SharedError::BadLogin => Some("password"),
            SharedError::Unreachable(_) => Some("server"),
            SharedError::Invalid { field, .. } => Some(*field),
            _ => None,
        };
        let code = match &e {
            SharedError::Unreachable(_) => "unreachable",
            other => other.code(),
        };
        let reason = e.reason();
        ApiError {
            code: code.to_string(),
            message: e.to_string(),
            field: field.map(str::to_string),
            reason,
        }
    }
}

impl From<pulsedesk_sync::CredentialError> for ApiError {
    fn from(e: pulsedesk_sync::CredentialError) -> Self {
        ApiError::new(e.code(), e.to_string())
    }
}

fn required(field: &str, value: &str) -> ApiResult<()> {
    if value.trim().is_empty() {
        return Err(ApiError {
            code: "invalid_input".into(),
            message: format!("{field}: must not be empty"),
            field: Some(field.into()),
            reason: Some(pulsedesk_core::reason::Reason::Required),
        });
    }
    Ok(())
}

/// Opens (creating if needed) the replica for `profile`.
async fn open_replica(
    dir: &Path,
    profile: &Profile,
    clock: Arc<dyn Clock>,
) -> ApiResult<Workspace> {
    let path = profile.replica_path(dir);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            ApiError::new(
                "read_only_workspace",
                format!("cannot create {}: {e}", parent.display()),
            )
        })?;
    }
    let ws = Workspace::open(&path, clock).await?;
    ws.become_replica().await?;
    Ok(ws)
}

fn start_engine(
    app: &AppHandle,
    ws: &Workspace,
    profile: &Profile,
    password: String,
) -> Arc<Engine> {
    let login = Login {
        server: profile.server.clone(),
        login: profile.login.clone(),
        password,
    };
    Arc::new(Engine::start(
        ws.clone(),
        login,
        ws.clock().clone(),
        Options::default(),
        Arc::new(AppObserver { app: app.clone() }),
    ))
}

/// Waits for the engine's first full catch-up (or its refusal).
async fn first_fill(engine: &Engine) -> ApiResult<()> {
    let deadline = tokio::time::Instant::now() + FIRST_FILL;
    loop {
        match engine.status().await.link {
            Link::Online => return Ok(()),
            Link::Refused { reason } => {
                return Err(ApiError {
                    code: "bad_login".into(),
                    message: reason,
                    field: Some("password".into()),
                    reason: None,
                })
            }
            Link::Offline { reason, .. } if tokio::time::Instant::now() >= deadline => {
                return Err(ApiError::new("unreachable", reason))
            }
            _ if tokio::time::Instant::now() >= deadline => {
                return Err(ApiError::new(
                    "unreachable",
                    "the server did not send the team's tickets in time; try again",
                ))
            }
            _ => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

/// The connection screen: signs in to the team server and switches this desktop to it.
pub async fn connect(app: &AppHandle, input: ConnectInput) -> ApiResult<Account> {
    let state = app.state::<AppState>();
    let _one_at_a_time = state.switching.lock().await;
    required("server", &input.server)?;
    required("login", &input.login)?;
    required("password", &input.password)?;
    let server = Server::parse(&input.server)?;
    let login = input.login.trim().to_string();
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    // Check the login first: a wrong password changes nothing on this desktop.
    let shared = Shared::connect(&server, &login, &input.password, clock.clone()).await?;
    let me = shared.actor();
    shared.close().await;
    let profile = Profile { server, login };
    let credentials = Credentials::os();
    credentials.save(&profile.server, &profile.login, &input.password)?;

    let ws = open_replica(&state.data_dir, &profile, clock).await?;
    let engine = start_engine(app, &ws, &profile, input.password);
    if let Err(e) = first_fill(&engine).await {
        engine.stop().await;
        ws.close().await;
        let _ = credentials.forget(&profile.server, &profile.login);
        return Err(e);
    }
    ws.set_setting(MEMBER_KEY, &me.id.to_string()).await?;
    let account = ws.account(me.id).await?;
    profile.save(&state.data_dir)?;
    switch_to(
        app,
        Ok(ws),
        Some(account.clone()),
        Some(Team { profile, engine }),
    )
    .await;
    tracing::info!(user = %account.id, role = %account.role, "connected to the team server");
    Ok(account)
}

/// At start: reconnects with the saved profile and stored password, without asking. The
/// replica serves at once; the engine catches up in the background.
pub async fn resume(
    app: &AppHandle,
    dir: &Path,
    profile: Profile,
) -> Result<(Workspace, Option<Account>, Team), ApiError> {
    let password = Credentials::os()
        .load(&profile.server, &profile.login)?
        .ok_or_else(|| {
            ApiError::new(
                "password_needed",
                "the password for this server is not in the system's credential store; enter it to reconnect",
            )
        })?;
    let ws = open_replica(dir, &profile, Arc::new(SystemClock)).await?;
    let member: Option<i64> = ws.setting(MEMBER_KEY).await?.and_then(|v| v.parse().ok());
    let account = match member {
        Some(id) => ws.account(UserId(id)).await.ok(),
        None => None,
    };
    let engine = start_engine(app, &ws, &profile, password);
    Ok((ws, account, Team { profile, engine }))
}

/// Signing out of the team: refuses while edits are unsent (they would be lost), then stops
/// syncing, forgets the password, the profile and the cached copy, and reopens the
/// embedded workspace.
pub async fn leave(app: &AppHandle) -> ApiResult<()> {
    let state = app.state::<AppState>();
    let _one_at_a_time = state.switching.lock().await;
    let Some(engine) = state.with_team(Team::engine) else {
        return Ok(());
    };
    let pending = engine.status().await.pending;
    if pending > 0 {
        return Err(ApiError::new(
            "unsent_changes",
            format!("{pending} change(s) have not reached the server yet; sign out once they are sent, or they would be lost"),
        ));
    }
    let team = state.take_team();
    engine.stop().await;
    // The assigner stops counting on this member at once, not after their heartbeat lapses
    // (after the engine stopped, so nothing here reacts to the change).
    if let Err(e) = engine.sign_off().await {
        tracing::warn!(error = %e, "could not tell the server this member signed out");
    }
    let old = state.workspace().ok();
    let embedded = crate::startup::open_workspace(state.data_dir.clone()).await;
    let session = match &embedded {
        Ok(ws) => crate::startup::restore_session(ws).await,
        Err(_) => None,
    };
    switch_to(app, embedded, session, None).await;
    if let Some(Team { profile, .. }) = team {
        if let Err(e) = Credentials::os().forget(&profile.server, &profile.login) {
            tracing::warn!(error = %e, "could not remove the stored password");
        }
        Profile::remove(&state.data_dir)?;
        if let Some(ws) = old {
            ws.close().await;
        }
        remove_replica(&profile.replica_path(&state.data_dir));
    }
    tracing::info!("signed out of the team server");
    Ok(())
}

/// Deletes a replica and its WAL files (its cached customer data leaves the desktop too).
fn remove_replica(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        if let Err(e) = std::fs::remove_file(&p) {
            if e.kind() != std::io::ErrorKind::NotFound {
                tracing::warn!(error = %e, "could not remove the cached team data");
            }
        }
    }
}

/// Swaps the workspace: stops the background work on the old one and starts it on the new.
async fn switch_to(
    app: &AppHandle,
    ws: Result<Workspace, ApiError>,
    session: Option<Account>,
    team: Option<Team>,
) {
    let state = app.state::<AppState>();
    state.stop_background();
    if let Some(old) = state.take_team() {
        old.engine.stop().await;
    }
    state.replace_workspace(ws, session);
    state.set_team(team);
    crate::commands::board::session_changed(app);
    let main = app.clone();
    let _ = app.run_on_main_thread(move || crate::background::start(&main));
}

/// Team mode for the first screen and the header.
pub async fn info(state: &AppState) -> Option<TeamInfo> {
    let profile = match Profile::load(&state.data_dir) {
        Ok(p) => p?,
        Err(e) => {
            return Some(TeamInfo {
                server: String::new(),
                login: String::new(),
                status: None,
                problem: Some(e),
            })
        }
    };
    let engine = state.with_team(Team::engine);
    let status = match engine {
        Some(e) => Some(e.status().await),
        None => None,
    };
    let problem = status.is_none().then(|| state.team_problem()).flatten();
    Some(TeamInfo {
        server: profile.server.to_string(),
        login: profile.login,
        status,
        problem,
    })
}

/// Gives up a team connection that could not be resumed (the desktop stays embedded).
pub fn forget_profile(state: &AppState) -> ApiResult<()> {
    if let Ok(Some(profile)) = Profile::load(&state.data_dir) {
        if let Err(e) = Credentials::os().forget(&profile.server, &profile.login) {
            tracing::warn!(error = %e, "could not remove the stored password");
        }
        remove_replica(&profile.replica_path(&state.data_dir));
    }
    Profile::remove(&state.data_dir)?;
    state.set_team_problem(None);
    Ok(())
}
