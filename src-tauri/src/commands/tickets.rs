//! The pool, the ticket view and working tickets.

use crate::error::ApiResult;
use crate::state::AppState;
use pulsedesk_core::command::Command;
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::view::{
    Catalog, CustomerView, NewTicket, PoolPage, PoolQuery, PoolRow, TicketDetail,
};
use tauri::{AppHandle, State};

#[tauri::command]
pub async fn get_catalog(state: State<'_, AppState>) -> ApiResult<Catalog> {
    let (ws, actor) = state.actor()?;
    Ok(ws.catalog(&actor).await?)
}

#[tauri::command]
pub async fn list_pool(state: State<'_, AppState>, query: PoolQuery) -> ApiResult<PoolPage> {
    let (ws, actor) = state.actor()?;
    Ok(ws.list_pool(&actor, &query).await?)
}

#[tauri::command]
pub async fn get_ticket(state: State<'_, AppState>, id: TicketId) -> ApiResult<TicketDetail> {
    let (ws, actor) = state.actor()?;
    Ok(ws.ticket_detail(&actor, id).await?)
}

#[tracing::instrument(skip_all)]
#[tauri::command]
pub async fn create_ticket(
    app: AppHandle,
    state: State<'_, AppState>,
    input: NewTicket,
) -> ApiResult<PoolRow> {
    let (ws, actor) = state.actor()?;
    let row = ws.create_ticket(&actor, &input).await?;
    after_change(&app, row.id);
    Ok(row)
}

/// Every field at fault in a new ticket, all at once, before it is sent (nothing is written):
/// the form's own check is the core's.
#[tauri::command]
pub fn check_new_ticket(input: NewTicket) -> Vec<pulsedesk_core::validate::FieldProblem> {
    pulsedesk_core::validate::new_ticket_problems(&input)
}

/// Tells every window, the SLA scheduler, the assigner, the team and the tray that a ticket
/// changed here.
pub(crate) fn after_change(app: &AppHandle, id: TicketId) {
    crate::events::tickets_changed(app, &[id], crate::events::Origin::Here);
}

/// Re-reads the ticket after a change and tells everyone.
async fn changed(app: &AppHandle, state: &AppState, id: TicketId) -> ApiResult<TicketDetail> {
    after_change(app, id);
    let (ws, actor) = state.actor()?;
    Ok(ws.ticket_detail(&actor, id).await?)
}

/// Runs a member's change to one ticket — claim, assign, move, reopen, note, priority — by
/// the core's rules, on whichever workspace is open (on a team replica it is applied here at
/// once and queued for the team service); returns the ticket as it is now. Every such
/// change comes through here: a new kind of change needs no command of its own.
#[tracing::instrument(skip_all, fields(command = command.name()))]
#[tauri::command]
pub async fn run_command(
    app: AppHandle,
    state: State<'_, AppState>,
    command: Command,
) -> ApiResult<TicketDetail> {
    let Some((id, _)) = command.change() else {
        let not = pulsedesk_core::reason::Reason::NotATicketChange {
            command: command.name().to_string(),
        };
        return Err(pulsedesk_core::DomainError::invalid("command", not).into());
    };
    let (ws, actor) = state.actor()?;
    ws.run(&actor, &command).await?;
    changed(&app, &state, id).await
}

#[tracing::instrument(skip(state))]
#[tauri::command]
pub async fn reveal_customer(state: State<'_, AppState>, id: TicketId) -> ApiResult<CustomerView> {
    let (ws, actor) = state.actor()?;
    // In team mode the replica holds masked values only: the server reveals (and audits).
    if let Some(engine) = state.with_team(crate::team::Team::engine) {
        if id.0 < 0 {
            return Err(crate::error::ApiError::new(
                "not_sent",
                "this ticket has not reached the server yet; its contact details are as you typed them",
            ));
        }
        return Ok(engine.reveal_customer(id).await?);
    }
    Ok(ws.reveal_customer(&actor, id).await?)
}

#[tauri::command]
pub async fn find_customers(
    state: State<'_, AppState>,
    query: String,
) -> ApiResult<Vec<CustomerView>> {
    let (ws, actor) = state.actor()?;
    Ok(ws.find_customers(&actor, &query).await?)
}
