//! Start-up: find the data folder, open (and on first run seed) the workspace.

use crate::error::ApiError;
use crate::state::AppState;
use crate::team::profile::Profile;
use crate::team::Team;
use pulsedesk_core::clock::SystemClock;
use pulsedesk_core::ids::UserId;
use pulsedesk_core::view::Account;
use pulsedesk_store::demo::DemoOptions;
use pulsedesk_store::Workspace;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;
use tauri::{App, AppHandle, Manager};

/// File name of the embedded workspace inside the data folder.
pub const WORKSPACE_FILE: &str = "workspace.db";

/// The data folder: `PULSEDESK_DATA_DIR` if set, else the OS app-data folder.
fn data_dir(app: &App) -> Result<PathBuf, Box<dyn std::error::Error>> {
    if let Some(dir) = std::env::var_os("PULSEDESK_DATA_DIR") {
        return Ok(PathBuf::from(dir));
    }
    Ok(app.path().app_data_dir()?)
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Opens the workspace; a failure is kept in the state and shown by the UI, not a crash.
pub fn setup(app: &mut App, started: Instant) -> Result<(), Box<dyn std::error::Error>> {
    let dir = data_dir(app)?;
    // A workspace given by PULSEDESK_DATA_DIR keeps its logs beside it (tests, benchmarks).
    let log_dir = if std::env::var_os("PULSEDESK_DATA_DIR").is_some() {
        dir.join("logs")
    } else {
        app.path()
            .app_log_dir()
            .unwrap_or_else(|_| dir.join("logs"))
    };
    crate::logging::init(&log_dir);
    crate::tasks::log_panics();
    let handle = app.handle().clone();
    let opened = tauri::async_runtime::block_on(open(&handle, dir.clone()));
    if let Err(e) = &opened.workspace {
        tracing::error!(code = %e.code, "workspace did not open");
    }
    let state = AppState::new(opened.workspace, opened.session, opened.team, dir, started);
    state.set_team_problem(opened.problem);
    let lang = tauri::async_runtime::block_on(crate::commands::prefs::locale_pref(&state))
        .map(|p| crate::desk::lang_of(p.chosen.as_deref().unwrap_or(&p.os)))
        .unwrap_or(pulsedesk_core::sla::notice::Lang::En);
    state.desk.set_lang(lang);
    app.manage(state);
    let ms = started.elapsed().as_millis();
    tracing::info!(target: "pulsedesk::startup", ms = %ms, "workspace ready");
    Ok(())
}

/// What start-up opened.
struct Opened {
    workspace: Result<Workspace, ApiError>,
    session: Option<Account>,
    team: Option<Team>,
    /// Why the saved team connection could not be resumed.
    problem: Option<ApiError>,
}

/// In team mode the replica (reconnecting with the stored password); otherwise, or when
/// that fails, the embedded workspace.
async fn open(app: &AppHandle, dir: PathBuf) -> Opened {
    let problem = match Profile::load(&dir) {
        Ok(Some(profile)) => match crate::team::resume(app, &dir, profile).await {
            Ok((ws, session, team)) => {
                return Opened {
                    workspace: Ok(ws),
                    session,
                    team: Some(team),
                    problem: None,
                }
            }
            Err(e) => Some(e),
        },
        Ok(None) => None,
        Err(e) => Some(e),
    };
    if let Some(e) = &problem {
        tracing::warn!(code = %e.code, "the team connection was not resumed");
    }
    let ws = open_workspace(dir).await;
    // With a team connection to finish, nobody is signed in to the embedded workspace.
    let session = match (&ws, &problem) {
        (Ok(ws), None) => restore_session(ws).await,
        _ => None,
    };
    Opened {
        workspace: ws,
        session,
        team: None,
        problem,
    }
}

/// Setting that remembers who was signed in on this desktop.
pub const SESSION_KEY: &str = "session.user_id";

/// The member who was signed in when the app last closed, if they are still active.
pub async fn restore_session(ws: &Workspace) -> Option<Account> {
    let id: i64 = ws.setting(SESSION_KEY).await.ok().flatten()?.parse().ok()?;
    ws.account(UserId(id)).await.ok()
}

pub async fn open_workspace(dir: PathBuf) -> Result<Workspace, ApiError> {
    std::fs::create_dir_all(&dir).map_err(|e| {
        ApiError::new(
            "read_only_workspace",
            format!("cannot create the data folder {}: {e}", dir.display()),
        )
    })?;
    let ws = Workspace::open(&dir.join(WORKSPACE_FILE), Arc::new(SystemClock)).await?;
    let defaults = DemoOptions::default();
    let opts = DemoOptions {
        tickets: env_number("PULSEDESK_DEMO_TICKETS", defaults.tickets),
        days: i64::try_from(env_number("PULSEDESK_DEMO_DAYS", 14)).unwrap_or(14),
        ..defaults
    };
    if ws.seed_demo(opts).await? {
        tracing::info!(tickets = opts.tickets, "first run: demo workspace created");
    }
    Ok(ws)
}
