//! The reports behind the board (weekly review, monthly report) and the exports: each file
//! is written to the member's Downloads folder and its path returned.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use pulsedesk_core::board::midnight;
use pulsedesk_core::board::DayRange;
use pulsedesk_core::permissions::{Action, Actor};
use pulsedesk_core::review::{MonthlyReport, ProblemWords, WeeklyReview};
use pulsedesk_core::sla::notice::Lang;
use pulsedesk_core::tables::{ReportFormat, TableFormat};
use pulsedesk_export::{ExportError, ReportFont};
use pulsedesk_shared::SharedError;
use pulsedesk_store::{StoreError, Workspace};
use pulsedesk_sync::SyncError;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use tauri::{AppHandle, Manager, State};

/// The review of the week holding `day`; without one, last week (the review due each Monday).
#[tauri::command]
pub async fn get_weekly_review(
    state: State<'_, AppState>,
    day: Option<chrono::NaiveDate>,
) -> ApiResult<WeeklyReview> {
    let (ws, _) = state.actor()?;
    let clock = ws.clock();
    let day = match day {
        Some(d) => d,
        None => clock.local_day(clock.now() - chrono::Duration::days(7)),
    };
    weekly_review(&state, day).await
}

/// The review of the week holding `day`, from wherever the week is held (see [`Source`]).
pub(crate) async fn weekly_review(
    state: &AppState,
    day: chrono::NaiveDate,
) -> ApiResult<WeeklyReview> {
    let (ws, _) = state.actor()?;
    let clock = ws.clock();
    // The week and the one before, which the review compares it with.
    let monday = pulsedesk_core::review::monday_of(day);
    let since = midnight(clock.as_ref(), monday - chrono::Days::new(7));
    let until = midnight(clock.as_ref(), monday + chrono::Days::new(7));
    let source = Source::of(state, since, until).await?;
    let review = review_of(&source.ws, &source.actor, day).await;
    source.done().await;
    review
}

/// Where a report of the period `since..until` reads: the desktop's own workspace (the
/// embedded one, or a replica that still holds the period), else the period read from the
/// team database into a workspace of its own, removed when the report is done.
struct Source {
    ws: Workspace,
    actor: Actor,
    temp: Option<PathBuf>,
}

/// Numbers the period workspaces of this process.
static PERIODS: AtomicU64 = AtomicU64::new(0);

impl Source {
    async fn of(
        state: &AppState,
        since: chrono::DateTime<chrono::Utc>,
        until: chrono::DateTime<chrono::Utc>,
    ) -> ApiResult<Source> {
        let (ws, actor) = state.actor()?;
        // Embedded, or a replica that still holds the period: the desktop's own workspace.
        let Some(engine) = state
            .with_team(|t| t.engine())
            .filter(|e| !e.replica_reaches(since))
        else {
            return Ok(Source {
                ws,
                actor,
                temp: None,
            });
        };
        // Refused before anything is read from the server.
        actor
            .authorize(Action::ViewTeam)
            .map_err(StoreError::from)?;
        let n = PERIODS.fetch_add(1, Ordering::Relaxed);
        let path = state
            .data_dir
            .join(format!("report-{}-{n}.db", std::process::id()));
        remove_db(&path);
        match engine.period_workspace(&path, since, until).await {
            Ok(period) => Ok(Source {
                ws: period,
                actor,
                temp: Some(path),
            }),
            Err(e) => {
                remove_db(&path);
                Err(period_failed(e))
            }
        }
    }

    /// Closes and removes a period workspace.
    async fn done(self) {
        if let Some(path) = self.temp {
            self.ws.close().await;
            remove_db(&path);
        }
    }
}

fn remove_db(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

fn period_failed(e: SyncError) -> ApiError {
    match e {
        SyncError::Shared(e @ SharedError::Unreachable(_)) => ApiError::new(
            "offline",
            format!(
                "this period is older than the tickets this desktop keeps, so it is read \
                     from the team database, which cannot be reached now ({e})"
            ),
        ),
        SyncError::Shared(e) => ApiError::from(e),
        SyncError::Store(e) => ApiError::from(e),
    }
}

/// The review of the week holding `day`, with its frequent problems.
pub(crate) async fn review_of(
    ws: &Workspace,
    actor: &pulsedesk_core::permissions::Actor,
    day: chrono::NaiveDate,
) -> ApiResult<WeeklyReview> {
    let mut review = ws.weekly_review(actor, day).await?;
    review.problems = frequent_problems(ws, actor, review.from, review.to).await?;
    Ok(review)
}

/// One window of the ticket status tracking table, latest tickets first (the live view).
#[tauri::command]
pub async fn get_tracking_page(
    state: State<'_, AppState>,
    range: Option<DayRange>,
    offset: u32,
    limit: u32,
) -> ApiResult<pulsedesk_core::tables::tracking::TrackingPage> {
    let (ws, actor) = state.actor()?;
    Ok(ws.tracking_page(&actor, range, offset, limit).await?)
}

/// Words listed as the week's frequent problems.
const TOP_WORDS: usize = 15;

/// The word segmenter, loaded once (its dictionary takes a moment).
static WORDS: std::sync::OnceLock<pulsedesk_keywords::Extractor> = std::sync::OnceLock::new();

/// The week's frequent problems: the texts are read from the workspace, then counted off the
/// async runtime (segmenting is CPU work).
async fn frequent_problems(
    ws: &Workspace,
    actor: &pulsedesk_core::permissions::Actor,
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
) -> ApiResult<ProblemWords> {
    let mut texts: Vec<(String, bool)> = Vec::new();
    let types = ws
        .problem_texts(actor, from, to, |t, c| texts.push((t.to_string(), c)))
        .await?;
    let counted = tauri::async_runtime::spawn_blocking(move || {
        let words = WORDS.get_or_init(pulsedesk_keywords::Extractor::new);
        let mut c = words.counter();
        for (t, complaint) in &texts {
            c.add_text(t, *complaint);
        }
        (c.texts(), c.complaints(), c.top(TOP_WORDS))
    })
    .await
    .map_err(|e| ApiError::new("internal", format!("counting words failed: {e}")))?;
    let (n, complaints, top) = counted;
    Ok(pulsedesk_core::review::frequent_problems(
        n,
        complaints,
        top.into_iter().map(|t| (t.term, t.texts, t.complaints)),
        types,
    ))
}

/// Where an export goes: the member's Downloads folder (else Documents, else home), named
/// for what it holds (in `lang`) and when.
pub(crate) fn export_path(
    app: &AppHandle,
    ws: &Workspace,
    lang: Lang,
    (zh, en): (&str, &str),
    ext: &str,
) -> ApiResult<PathBuf> {
    let folder = app
        .path()
        .download_dir()
        .or_else(|_| app.path().document_dir())
        .or_else(|_| app.path().home_dir())
        .map_err(|e| ApiError::new("export", format!("no folder to save into: {e}")))?;
    let clock = ws.clock();
    let now = clock.now();
    let stamp = now
        .with_timezone(&clock.offset_at(now))
        .format("%Y%m%d-%H%M%S");
    let stem = match lang {
        Lang::Zh => zh,
        Lang::En => en,
    };
    Ok(folder.join(format!("Pulsedesk-{stem}-{stamp}.{ext}")))
}

pub(crate) fn export_failed(e: ExportError) -> ApiError {
    match e {
        ExportError::Store(e) => ApiError::from(e),
        other => ApiError::new("export", other.to_string()),
    }
}

/// Writes the ticket status tracking table (tickets logged in `range`, all when none) in
/// the language of the UI.
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
    let names = ("工单状态跟踪表", "ticket-status-tracking");
    let path = export_path(&app, &ws, lang, names, format.extension())?;
    let offset = ws.clock().offset_at(ws.clock().now());
    let rows = pulsedesk_export::tracking_table(&ws, &actor, range, format, lang, offset, &path)
        .await
        .map_err(export_failed)?;
    tracing::info!(rows, "tracking table exported");
    Ok(path.display().to_string())
}

/// The system's report font, looked up off the async threads (the first look scans the
/// installed fonts).
async fn report_font() -> ApiResult<ReportFont> {
    tokio::task::spawn_blocking(ReportFont::system)
        .await
        .map_err(|e| ApiError::new("internal", format!("looking up fonts failed: {e}")))?
        .map_err(|e| ApiError::new("export", e.to_string()))
}

/// Writes the review of the week holding `day` (last week without one) as XLSX or PDF.
#[tracing::instrument(skip(app, state))]
#[tauri::command]
pub async fn export_weekly_review(
    app: AppHandle,
    state: State<'_, AppState>,
    day: Option<chrono::NaiveDate>,
    format: ReportFormat,
    locale: String,
) -> ApiResult<String> {
    let review = get_weekly_review(state.clone(), day).await?;
    let (ws, _) = state.actor()?;
    let lang = crate::desk::lang_of(&locale);
    let names = (
        format!("周复盘-{}", review.week),
        format!("weekly-review-{}", review.week),
    );
    let path = export_path(&app, &ws, lang, (&names.0, &names.1), format.extension())?;
    match format {
        ReportFormat::Xlsx => pulsedesk_export::weekly_review_xlsx(&review, lang, &path),
        ReportFormat::Pdf => {
            let font = report_font().await?;
            pulsedesk_export::weekly_review_pdf(&review, lang, &font, &path)
        }
    }
    .map_err(export_failed)?;
    Ok(path.display().to_string())
}

/// The report of the month holding `day`; without one, this month so far.
#[tauri::command]
pub async fn get_monthly_report(
    state: State<'_, AppState>,
    day: Option<chrono::NaiveDate>,
) -> ApiResult<MonthlyReport> {
    let (ws, _) = state.actor()?;
    let clock = ws.clock();
    let day = day.unwrap_or_else(|| clock.local_day(clock.now()));
    // The month and the one before, which the report compares it with.
    let (first, next) = pulsedesk_core::review::month_of(day);
    let (prev, _) = pulsedesk_core::review::month_of(first - chrono::Days::new(1));
    let since = midnight(clock.as_ref(), prev);
    let until = midnight(clock.as_ref(), next);
    let source = Source::of(&state, since, until).await?;
    let report = source.ws.monthly_report(&source.actor, day).await;
    source.done().await;
    Ok(report?)
}

/// Writes the report of the month holding `day` as XLSX or PDF.
#[tracing::instrument(skip(app, state))]
#[tauri::command]
pub async fn export_monthly_report(
    app: AppHandle,
    state: State<'_, AppState>,
    day: Option<chrono::NaiveDate>,
    format: ReportFormat,
    locale: String,
) -> ApiResult<String> {
    let report = get_monthly_report(state.clone(), day).await?;
    let (ws, _) = state.actor()?;
    let lang = crate::desk::lang_of(&locale);
    let month = report.month.format("%Y-%m");
    let names = (
        format!("月度报告-{month}"),
        format!("monthly-report-{month}"),
    );
    let path = export_path(&app, &ws, lang, (&names.0, &names.1), format.extension())?;
    match format {
        ReportFormat::Xlsx => pulsedesk_export::monthly_report_xlsx(&report, lang, &path),
        ReportFormat::Pdf => {
            let font = report_font().await?;
            pulsedesk_export::monthly_report_pdf(&report, lang, &font, &path)
        }
    }
    .map_err(export_failed)?;
    Ok(path.display().to_string())
}
