//! SLA rules (admins; the store enforces it), the member's alert status and do-not-disturb.

use crate::alerts::{self, AlertStatus};
use crate::error::ApiResult;
use crate::state::AppState;
use pulsedesk_core::ids::{CalendarId, PolicyId};
use pulsedesk_core::sla::notice::SlaSettings;
use pulsedesk_core::sla::setup::{Calendar, CalendarInput, Policy, PolicyInput, SlaSetup};
use tauri::{AppHandle, State};

/// After a rule change: reschedule every warning and refresh the counts.
fn rules_changed(app: &AppHandle, state: &AppState) {
    state.rules_changed();
    alerts::publish(app);
}

#[tauri::command]
pub async fn get_sla_setup(state: State<'_, AppState>) -> ApiResult<SlaSetup> {
    let (ws, actor) = state.actor()?;
    Ok(ws.sla_setup(&actor).await?)
}

#[tracing::instrument(skip(app, state, input))]
#[tauri::command]
pub async fn save_sla_policy(
    app: AppHandle,
    state: State<'_, AppState>,
    id: Option<PolicyId>,
    input: PolicyInput,
) -> ApiResult<Policy> {
    let (ws, actor) = state.actor()?;
    let saved = ws.save_sla_policy(&actor, id, &input).await?;
    rules_changed(&app, &state);
    Ok(saved)
}

#[tracing::instrument(skip(app, state))]
#[tauri::command]
pub async fn delete_sla_policy(
    app: AppHandle,
    state: State<'_, AppState>,
    id: PolicyId,
) -> ApiResult<()> {
    let (ws, actor) = state.actor()?;
    ws.delete_sla_policy(&actor, id).await?;
    rules_changed(&app, &state);
    Ok(())
}

#[tracing::instrument(skip(app, state))]
#[tauri::command]
pub async fn order_sla_policies(
    app: AppHandle,
    state: State<'_, AppState>,
    order: Vec<PolicyId>,
) -> ApiResult<()> {
    let (ws, actor) = state.actor()?;
    ws.order_sla_policies(&actor, &order).await?;
    rules_changed(&app, &state);
    Ok(())
}

#[tracing::instrument(skip(app, state, input))]
#[tauri::command]
pub async fn save_sla_calendar(
    app: AppHandle,
    state: State<'_, AppState>,
    id: Option<CalendarId>,
    input: CalendarInput,
) -> ApiResult<Calendar> {
    let (ws, actor) = state.actor()?;
    let saved = ws.save_sla_calendar(&actor, id, &input).await?;
    rules_changed(&app, &state);
    Ok(saved)
}

#[tracing::instrument(skip(app, state))]
#[tauri::command]
pub async fn delete_sla_calendar(
    app: AppHandle,
    state: State<'_, AppState>,
    id: CalendarId,
) -> ApiResult<()> {
    let (ws, actor) = state.actor()?;
    ws.delete_sla_calendar(&actor, id).await?;
    rules_changed(&app, &state);
    Ok(())
}

#[tracing::instrument(skip(app, state))]
#[tauri::command]
pub async fn save_sla_settings(
    app: AppHandle,
    state: State<'_, AppState>,
    settings: SlaSettings,
) -> ApiResult<()> {
    let (ws, actor) = state.actor()?;
    ws.save_sla_settings(&actor, &settings).await?;
    rules_changed(&app, &state);
    Ok(())
}

/// The signed-in member's near-breach and breached counts, and do-not-disturb.
#[tauri::command]
pub async fn get_alert_status(state: State<'_, AppState>) -> ApiResult<AlertStatus> {
    alerts::status(&state).await
}

/// Mutes near-breach pop-ups for `minutes` (0 = unmute). Breaches still show.
#[tauri::command]
pub async fn set_dnd(app: AppHandle, minutes: u32) -> ApiResult<AlertStatus> {
    if minutes > 24 * 60 {
        return Err(crate::error::ApiError::new(
            "invalid_input",
            "do-not-disturb lasts at most 24 hours",
        ));
    }
    alerts::set_dnd(&app, minutes).await
}
