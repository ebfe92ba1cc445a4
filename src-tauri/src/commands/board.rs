//! The team board (团队看板): its figures, and its own window for a wall screen.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use pulsedesk_core::board::{Board, DayRange};
use pulsedesk_core::review::{MonthlyReport, WeeklyReview};
use pulsedesk_core::sla::notice::Lang;
use pulsedesk_core::tables::TableFormat;
use pulsedesk_export::ExportError;
use std::path::PathBuf;
use tauri::{AppHandle, Manager, State, WebviewUrl, WebviewWindowBuilder};

/// The board window's label (declared in the capabilities).
pub const BOARD_WINDOW: &str = "board";

#[tauri::command]
pub async fn get_board(state: State<'_, AppState>, range: Option<DayRange>) -> ApiResult<Board> {
    let (ws, actor) = state.actor()?;
    Ok(ws.board(&actor, range).await?)
}

/// The review of the week holding `day`; without one, last week (the review due each Monday).
#[tauri::command]
pub async fn get_weekly_review(
    state: State<'_, AppState>,
    day: Option<chrono::NaiveDate>,
) -> ApiResult<WeeklyReview> {
    let (ws, actor) = state.actor()?;
    let clock = ws.clock();
    let day = match day {
        Some(d) => d,
        None => clock.local_day(clock.now() - chrono::Duration::days(7)),
    };
    Ok(ws.weekly_review(&actor, day).await?)
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

/// Shows the board window (from the command or the tray).
pub fn show(app: &AppHandle) -> ApiResult<()> {
    if let Some(w) = app.get_webview_window(BOARD_WINDOW) {
        let _ = w.show();
        let _ = w.unminimize();
        let _ = w.set_focus();
        return Ok(());
    }
    WebviewWindowBuilder::new(
        app,
        BOARD_WINDOW,
        WebviewUrl::App("index.html?view=board".into()),
    )
    .title("Pulsedesk")
    .inner_size(1280.0, 800.0)
    .min_inner_size(800.0, 500.0)
    .build()
    .map_err(|e| ApiError::new("window", format!("the board window did not open: {e}")))?;
    Ok(())
}

/// Where an export goes: the member's Downloads folder (else Documents, else home), named
/// for what it holds and when.
fn export_path(
    app: &AppHandle,
    stem: &str,
    now: chrono::DateTime<chrono::FixedOffset>,
    ext: &str,
) -> ApiResult<PathBuf> {
    let folder = app
        .path()
        .download_dir()
        .or_else(|_| app.path().document_dir())
        .or_else(|_| app.path().home_dir())
        .map_err(|e| ApiError::new("export", format!("no folder to save into: {e}")))?;
    let stamp = now.format("%Y%m%d-%H%M%S");
    Ok(folder.join(format!("Pulsedesk-{stem}-{stamp}.{ext}")))
}

fn export_failed(e: ExportError) -> ApiError {
    match e {
        ExportError::Store(e) => ApiError::from(e),
        other => ApiError::new("export", other.to_string()),
    }
}

/// Writes the ticket status tracking table (tickets logged in `range`, all when none) to
/// the member's Downloads folder, in the language of the UI; returns the file's path.
#[tracing::instrument(skip(app, state))]
#[tauri::command]
pub async fn export_tracking(
    app: AppHandle,
    state: State<'_, AppState>,
    format: TableFormat,
    range: Option<DayRange>,
    locale: String,
) -> ApiResult<String> {
    let (ws, actor) = state.actor()?;
    let lang = crate::desk::lang_of(&locale);
    let clock = ws.clock();
    let now = clock.now();
    let offset = clock.offset_at(now);
    let stem = match lang {
        Lang::Zh => "工单状态跟踪表",
        Lang::En => "ticket-status-tracking",
    };
    let path = export_path(&app, stem, now.with_timezone(&offset), format.extension())?;
    let rows = pulsedesk_export::tracking_table(&ws, &actor, range, format, lang, offset, &path)
        .await
        .map_err(export_failed)?;
    tracing::info!(rows, "tracking table exported");
    Ok(path.display().to_string())
}

/// Writes the review of the week holding `day` (last week without one) as XLSX to the
/// member's Downloads folder; returns the file's path.
#[tracing::instrument(skip(app, state))]
#[tauri::command]
pub async fn export_weekly_review(
    app: AppHandle,
    state: State<'_, AppState>,
    day: Option<chrono::NaiveDate>,
    locale: String,
) -> ApiResult<String> {
    let review = get_weekly_review(state.clone(), day).await?;
    let (ws, _) = state.actor()?;
    let lang = crate::desk::lang_of(&locale);
    let clock = ws.clock();
    let now = clock.now();
    let stem = match lang {
        Lang::Zh => format!("周复盘-{}", review.week),
        Lang::En => format!("weekly-review-{}", review.week),
    };
    let path = export_path(
        &app,
        &stem,
        now.with_timezone(&clock.offset_at(now)),
        "xlsx",
    )?;
    pulsedesk_export::weekly_review_xlsx(&review, lang, &path).map_err(export_failed)?;
    Ok(path.display().to_string())
}

/// The report of the month holding `day`; without one, this month so far.
#[tauri::command]
pub async fn get_monthly_report(
    state: State<'_, AppState>,
    day: Option<chrono::NaiveDate>,
) -> ApiResult<MonthlyReport> {
    let (ws, actor) = state.actor()?;
    let clock = ws.clock();
    let day = day.unwrap_or_else(|| clock.local_day(clock.now()));
    Ok(ws.monthly_report(&actor, day).await?)
}

/// Writes the report of the month holding `day` as XLSX to the member's Downloads folder;
/// returns the file's path.
#[tracing::instrument(skip(app, state))]
#[tauri::command]
pub async fn export_monthly_report(
    app: AppHandle,
    state: State<'_, AppState>,
    day: Option<chrono::NaiveDate>,
    locale: String,
) -> ApiResult<String> {
    let report = get_monthly_report(state.clone(), day).await?;
    let (ws, _) = state.actor()?;
    let lang = crate::desk::lang_of(&locale);
    let clock = ws.clock();
    let now = clock.now();
    let month = report.month.format("%Y-%m");
    let stem = match lang {
        Lang::Zh => format!("月度报告-{month}"),
        Lang::En => format!("monthly-report-{month}"),
    };
    let path = export_path(
        &app,
        &stem,
        now.with_timezone(&clock.offset_at(now)),
        "xlsx",
    )?;
    pulsedesk_export::monthly_report_xlsx(&report, lang, &path).map_err(export_failed)?;
    Ok(path.display().to_string())
}
