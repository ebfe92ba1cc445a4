//! The weekly review delivered: once a week, from Monday, a supervisor signed in here gets
//! last week's review saved as XLSX in their Downloads folder and a pop-up that opens it
//! on the team board — in team mode too, from the team's tickets (the replica, or the team
//! database for a week the replica no longer holds).

use crate::commands::reports::{export_failed, export_path, weekly_review};
use crate::error::ApiResult;
use crate::state::AppState;
use pulsedesk_alerts::{DesktopNotifier, Notifier, Popup};
use pulsedesk_core::kinds::Role;
use pulsedesk_core::review::review_ready_text;
use std::sync::Arc;
use tauri::{AppHandle, Manager};

/// Delivers last week's review to the supervisor signed in here, if it is due.
pub async fn deliver(app: &AppHandle) {
    if let Err(e) = try_deliver(app).await {
        tracing::warn!(code = %e.code, message = %e.message, "weekly review not delivered");
    }
}

async fn try_deliver(app: &AppHandle) -> ApiResult<()> {
    let state = app.state::<AppState>();
    let Ok((ws, actor)) = state.actor() else {
        return Ok(());
    };
    if actor.role != Role::Supervisor {
        return Ok(());
    }
    let clock = ws.clock();
    let today = clock.local_day(clock.now());
    // Claimed first, in one transaction: sign-in and the 15-second round (or a second
    // window) asking at once give one file and one pop-up; a failure below is logged, not
    // retried every 15 seconds.
    let Some(week) = ws.claim_weekly_review(actor.id, today).await? else {
        return Ok(());
    };
    let review = weekly_review(&state, week).await?;
    let lang = state.desk.viewer_lang();
    let names = (format!("周复盘-{week}"), format!("weekly-review-{week}"));
    let path = export_path(app, &ws, lang, (&names.0, &names.1), "xlsx")?;
    pulsedesk_export::weekly_review_xlsx(&review, lang, &path).map_err(export_failed)?;
    tracing::info!(%week, path = %path.display(), "weekly review delivered");
    let (summary, body) = review_ready_text(lang, week, &path.display().to_string());
    let open = app.clone();
    let notifier = DesktopNotifier::new(
        "Pulsedesk",
        Arc::new(move |_| {
            let target = open.clone();
            let _ = open.run_on_main_thread(move || {
                if let Err(e) = crate::commands::board::show_tab(&target, Some("review")) {
                    tracing::warn!(code = %e.code, "board window not opened");
                }
            });
        }),
    );
    notifier.show(Popup {
        summary,
        body,
        ticket: None,
        urgent: false,
    });
    Ok(())
}
