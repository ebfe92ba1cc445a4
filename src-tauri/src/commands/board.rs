//! The team board (团队看板): its figures, and its own window for a wall screen.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use pulsedesk_core::board::{Board, DayRange};
use pulsedesk_core::sla::notice::Lang;
use tauri::{AppHandle, Emitter, Manager, State, WebviewUrl, WebviewWindowBuilder};

/// The board window's label (declared in the capabilities).
pub const BOARD_WINDOW: &str = "board";

#[tauri::command]
pub async fn get_board(state: State<'_, AppState>, range: Option<DayRange>) -> ApiResult<Board> {
    let (ws, actor) = state.actor()?;
    Ok(ws.board(&actor, range).await?)
}

/// Opens the board in its own window, or brings it forward when it is open.
#[tracing::instrument(skip(app, state))]
#[tauri::command]
pub async fn open_board(app: AppHandle, state: State<'_, AppState>) -> ApiResult<()> {
    // Only those who may see the board get a window for it.
    let (ws, actor) = state.actor()?;
    ws.board(&actor, None).await?;
    show(&app)
}

/// The board window's title in the member's language.
pub fn title(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "团队看板 — Pulsedesk",
        Lang::En => "Team board — Pulsedesk",
    }
}

/// The member at this desktop changed (signed out, another signed in, a team joined or
/// left): the board window closes, so nobody sees what the previous member's board showed.
pub fn session_changed(app: &AppHandle) {
    if let Some(w) = app.get_webview_window(BOARD_WINDOW) {
        if let Err(e) = w.destroy() {
            tracing::warn!(error = %e, "the board window did not close");
        }
    }
}

/// The interface language changed: the board window follows (its title here, its text
/// through [`LOCALE_CHANGED`]).
pub fn relabel(app: &AppHandle, lang: Lang) {
    if let Some(w) = app.get_webview_window(BOARD_WINDOW) {
        let _ = w.set_title(title(lang));
    }
}

/// Event to every window: the interface language is now this one ("zh-CN", "en").
pub const LOCALE_CHANGED: &str = "locale-changed";

/// Event to the board window: show this tab.
pub const BOARD_TAB: &str = "board-tab";

/// Shows the board window (from the command or the tray).
pub fn show(app: &AppHandle) -> ApiResult<()> {
    show_tab(app, None)
}

/// Shows the board window on `tab` ("live", "review", "monthly"; as it is when none).
pub fn show_tab(app: &AppHandle, tab: Option<&str>) -> ApiResult<()> {
    if let Some(w) = app.get_webview_window(BOARD_WINDOW) {
        let _ = w.show();
        let _ = w.unminimize();
        let _ = w.set_focus();
        if let Some(tab) = tab {
            let _ = app.emit_to(BOARD_WINDOW, BOARD_TAB, tab);
        }
        return Ok(());
    }
    let url = match tab {
        Some(t) => format!("index.html?view=board&tab={t}"),
        None => "index.html?view=board".into(),
    };
    let lang = app.state::<AppState>().desk.viewer_lang();
    WebviewWindowBuilder::new(app, BOARD_WINDOW, WebviewUrl::App(url.into()))
        .title(title(lang))
        .inner_size(1280.0, 800.0)
        .min_inner_size(800.0, 500.0)
        .build()
        .map_err(|e| ApiError::new("window", format!("the board window did not open: {e}")))?;
    Ok(())
}
