//! Assignment: rules and preview (admins), presence (everyone), transfer requests.

use crate::assigning::{my_presence, PresenceStatus, PRESENCE, TRANSFERS_CHANGED};
use crate::commands::tickets::after_change;
use crate::error::ApiResult;
use crate::state::AppState;
use pulsedesk_core::assign::transfer::{TransferDecision, TransferView};
use pulsedesk_core::assign::{AssignRules, Decision};
use pulsedesk_core::ids::{TicketId, TicketTypeId, TransferId};
use pulsedesk_core::kinds::{Presence, Tier};
use pulsedesk_core::permissions::Action;
use pulsedesk_core::view::TicketDetail;
use tauri::{AppHandle, Emitter, State};

#[tauri::command]
pub async fn get_assign_rules(state: State<'_, AppState>) -> ApiResult<AssignRules> {
    let (ws, actor) = state.actor()?;
    actor
        .authorize(Action::Configure)
        .map_err(pulsedesk_store::StoreError::from)?;
    Ok(ws.assign_rules().await?)
}

#[tracing::instrument(skip(state, rules))]
#[tauri::command]
pub async fn save_assign_rules(
    state: State<'_, AppState>,
    rules: AssignRules,
) -> ApiResult<AssignRules> {
    let (ws, actor) = state.actor()?;
    let saved = ws.save_assign_rules(&actor, rules).await?;
    state.wake_assigner();
    Ok(saved)
}

#[tauri::command]
pub async fn preview_assignment(
    state: State<'_, AppState>,
    type_id: TicketTypeId,
    tier: Tier,
) -> ApiResult<Decision> {
    let (ws, actor) = state.actor()?;
    Ok(ws.preview_assignment(&actor, type_id, tier).await?)
}

#[tauri::command]
pub async fn get_presence(state: State<'_, AppState>) -> ApiResult<PresenceStatus> {
    my_presence(&state).await
}

/// The member sets their own presence (online or away).
#[tracing::instrument(skip(app, state))]
#[tauri::command]
pub async fn set_presence(
    app: AppHandle,
    state: State<'_, AppState>,
    presence: Presence,
) -> ApiResult<PresenceStatus> {
    let (ws, actor) = state.actor()?;
    // Offline is signing out; a member chooses between online and away.
    let presence = if presence == Presence::Offline {
        Presence::Away
    } else {
        presence
    };
    ws.set_presence(actor.id, presence, presence == Presence::Away)
        .await?;
    state.presence_changed();
    let now = my_presence(&state).await?;
    let _ = app.emit(PRESENCE, now.clone());
    Ok(now)
}

#[tracing::instrument(skip(app, state, reason))]
#[tauri::command]
pub async fn request_transfer(
    app: AppHandle,
    state: State<'_, AppState>,
    id: TicketId,
    reason: String,
) -> ApiResult<TicketDetail> {
    let (ws, actor) = state.actor()?;
    ws.request_transfer(&actor, id, &reason).await?;
    after_change(&app, id);
    let _ = app.emit(TRANSFERS_CHANGED, ());
    Ok(ws.ticket_detail(&actor, id).await?)
}

#[tauri::command]
pub async fn list_transfers(state: State<'_, AppState>) -> ApiResult<Vec<TransferView>> {
    let (ws, actor) = state.actor()?;
    Ok(ws.transfers(&actor).await?)
}

#[tauri::command]
pub async fn transfer_suggestions(
    state: State<'_, AppState>,
    request: TransferId,
) -> ApiResult<Decision> {
    let (ws, actor) = state.actor()?;
    Ok(ws.transfer_suggestions(&actor, request).await?)
}

#[tracing::instrument(skip(app, state))]
#[tauri::command]
pub async fn decide_transfer(
    app: AppHandle,
    state: State<'_, AppState>,
    request: TransferId,
    ticket: TicketId,
    decision: TransferDecision,
) -> ApiResult<Vec<TransferView>> {
    let (ws, actor) = state.actor()?;
    ws.decide_transfer(&actor, request, &decision).await?;
    after_change(&app, ticket);
    let _ = app.emit(TRANSFERS_CHANGED, ());
    let news = app.clone();
    tauri::async_runtime::spawn(async move { crate::assigning::tell_requester(&news).await });
    Ok(ws.transfers(&actor).await?)
}
