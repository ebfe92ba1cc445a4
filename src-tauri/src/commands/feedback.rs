//! Customer feedback: a ticket's survey and the answer taken by phone, imports, the
//! feedback module and its summary table, the follow-up rule.

use super::reports::{export_failed, export_path};
use super::tickets::after_change;
use crate::error::ApiResult;
use crate::state::AppState;
use pulsedesk_core::board::DayRange;
use pulsedesk_core::feedback::{Answer, FeedbackOverview, FeedbackSettings, SurveyView};
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::tables::TableFormat;
use pulsedesk_store::ImportReport;
use tauri::{AppHandle, State};

#[tauri::command]
pub async fn get_ticket_survey(
    state: State<'_, AppState>,
    id: TicketId,
) -> ApiResult<Option<SurveyView>> {
    let (ws, actor) = state.actor()?;
    Ok(ws.ticket_survey(&actor, id).await?)
}

/// Records the answer a customer gave by phone; a follow-up it opens reaches its owner at once.
#[tracing::instrument(skip(app, state, answer))]
#[tauri::command]
pub async fn record_feedback(
    app: AppHandle,
    state: State<'_, AppState>,
    id: TicketId,
    answer: Answer,
) -> ApiResult<SurveyView> {
    let (ws, actor) = state.actor()?;
    let out = ws.record_feedback(&actor, id, &answer).await?;
    after_change(&app, id);
    if let Some((follow_up, _)) = out.follow_up {
        after_change(&app, follow_up);
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            crate::assigning::tell_follow_up_owner(&app).await;
        });
    }
    crate::events::notify_feedback_changed(&app);
    Ok(out.survey)
}

/// Imports survey answers from the text of a CSV file.
#[tracing::instrument(skip(app, state, csv))]
#[tauri::command]
pub async fn import_feedback(
    app: AppHandle,
    state: State<'_, AppState>,
    csv: String,
) -> ApiResult<ImportReport> {
    let (ws, actor) = state.actor()?;
    let report = ws.import_feedback(&actor, &csv).await?;
    if report.recorded > 0 {
        crate::events::notify_feedback_changed(&app);
        crate::alerts::publish(&app);
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            crate::assigning::tell_follow_up_owner(&app).await;
        });
    }
    Ok(report)
}

#[tauri::command]
pub async fn get_feedback(
    state: State<'_, AppState>,
    range: Option<DayRange>,
) -> ApiResult<FeedbackOverview> {
    let (ws, actor) = state.actor()?;
    Ok(ws.feedback_overview(&actor, range).await?)
}

/// Writes the feedback score summary table (answers in `range`, all when none).
#[tracing::instrument(skip(app, state))]
#[tauri::command]
pub async fn export_feedback(
    app: AppHandle,
    state: State<'_, AppState>,
    format: TableFormat,
    range: Option<DayRange>,
    locale: String,
) -> ApiResult<String> {
    let (ws, actor) = state.actor()?;
    let lang = crate::desk::lang_of(&locale);
    let names = ("客户反馈评分汇总表", "feedback-score-summary");
    let path = export_path(&app, &ws, lang, names, format.extension())?;
    let rows = pulsedesk_export::feedback_table(&ws, &actor, range, format, lang, &path)
        .await
        .map_err(export_failed)?;
    tracing::info!(rows, "feedback summary exported");
    Ok(path.display().to_string())
}

#[tauri::command]
pub async fn get_feedback_settings(state: State<'_, AppState>) -> ApiResult<FeedbackSettings> {
    let (ws, _) = state.actor()?;
    Ok(ws.feedback_settings().await?)
}

#[tracing::instrument(skip(state))]
#[tauri::command]
pub async fn save_feedback_settings(
    state: State<'_, AppState>,
    settings: FeedbackSettings,
) -> ApiResult<FeedbackSettings> {
    let (ws, actor) = state.actor()?;
    Ok(ws.save_feedback_settings(&actor, settings).await?)
}
