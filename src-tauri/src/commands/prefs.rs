//! The interface language (follows the OS until the user picks one) and the start-up mark.

use crate::error::ApiResult;
use crate::state::AppState;
use serde::Serialize;
use tauri::{Emitter, State};
use ts_rs::TS;

const LOCALE_KEY: &str = "ui.locale";

/// The OS locale and the user's explicit choice, if any.
#[derive(Debug, Clone, Serialize, TS)]
pub struct LocalePref {
    pub os: String,
    pub chosen: Option<String>,
}

/// The OS language and the saved choice.
pub async fn locale_pref(state: &AppState) -> ApiResult<LocalePref> {
    let chosen = match state.workspace() {
        Ok(ws) => ws.setting(LOCALE_KEY).await?,
        Err(_) => None,
    };
    let os = std::env::var("PULSEDESK_LOCALE")
        .ok()
        .or_else(sys_locale::get_locale)
        .unwrap_or_else(|| "en".into());
    Ok(LocalePref { os, chosen })
}

#[tauri::command]
pub async fn set_locale(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    locale: String,
) -> ApiResult<()> {
    if !matches!(locale.as_str(), "zh-CN" | "en") {
        return Err(crate::error::ApiError::new(
            "invalid_input",
            format!("unsupported language {locale:?}"),
        ));
    }
    state.workspace()?.set_setting(LOCALE_KEY, &locale).await?;
    let lang = crate::desk::lang_of(&locale);
    state.desk.set_lang(lang);
    crate::tray::relabel(&app, lang);
    crate::commands::board::relabel(&app, lang);
    if let Err(e) = app.emit(crate::commands::board::LOCALE_CHANGED, &locale) {
        tracing::warn!(error = %e, "could not tell the windows the language");
    }
    crate::alerts::publish(&app);
    Ok(())
}

/// Called by the UI once the first screen is interactive; logs the time since launch.
#[tauri::command]
pub fn ui_ready(state: State<'_, AppState>, screen: String, ui_ms: u32) {
    let ms = state.started.elapsed().as_millis();
    state.ui_ready.notify_one();
    tracing::info!(target: "pulsedesk::startup", screen = %screen, ms = %ms, ui_ms, "interactive");
    if std::env::var_os("PULSEDESK_REPORT_STARTUP").is_some() {
        // For bench/startup.sh: wall-clock time, so the script can measure from before exec.
        let epoch_ms = chrono::Utc::now().timestamp_millis();
        println!(
            "PULSEDESK_READY screen={screen} ms={ms} epoch_ms={epoch_ms} pid={}",
            std::process::id()
        );
    }
}
