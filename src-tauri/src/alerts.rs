//! The SLA scheduler in the app: started at launch, told of every change, its pop-ups
//! bringing the window forward on a click, its counts shown in the tray and the header.

use crate::error::ApiResult;
use crate::state::AppState;
use crate::tasks::TaskName;
use chrono::{DateTime, Duration, Utc};
use pulsedesk_alerts::{DesktopNotifier, Scheduler};
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::sla::notice::SlaCounts;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};
use ts_rs::TS;

/// Event: open this ticket (a pop-up was clicked). `None` opens the app on its lists.
pub const OPEN_TICKET: &str = "open-ticket";
/// Event: the SLA counts or do-not-disturb changed.
pub const SLA_STATUS: &str = "sla-status";

/// Setting: until when near-breach pop-ups are muted on this desktop (UTC ms).
const DND_KEY: &str = "alerts.dnd_until";

#[derive(Debug, Clone, Serialize, TS)]
pub struct OpenTicket {
    pub id: Option<TicketId>,
}

/// The signed-in member's SLA situation and do-not-disturb.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AlertStatus {
    pub counts: SlaCounts,
    pub dnd_until: Option<DateTime<Utc>>,
}

/// Shows the main window, focused, on `ticket`.
pub fn bring_forward(app: &AppHandle, ticket: Option<TicketId>) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
    if let Err(e) = app.emit(OPEN_TICKET, OpenTicket { id: ticket }) {
        tracing::warn!(error = %e, "could not ask the window to open a ticket");
    }
}

fn desktop_notifier(app: &AppHandle) -> DesktopNotifier {
    let click = app.clone();
    DesktopNotifier::new(
        "Pulsedesk",
        std::sync::Arc::new(move |ticket| {
            let app = click.clone();
            // Window calls belong on the main thread.
            let target = app.clone();
            let _ = app.run_on_main_thread(move || bring_forward(&target, ticket));
        }),
    )
}

/// Starts the scheduler on the open workspace (none if it did not open).
pub fn start(app: &AppHandle) {
    let state = app.state::<AppState>();
    let Ok(ws) = state.workspace() else {
        return;
    };
    // Restore do-not-disturb.
    let desk = state.desk.clone();
    let saved = ws.clone();
    tauri::async_runtime::block_on(async move {
        if let Ok(Some(v)) = saved.setting(DND_KEY).await {
            let until = v.parse().ok().and_then(DateTime::from_timestamp_millis);
            desk.set_dnd_until(until);
        }
    });
    let built = app.clone();
    crate::background::spawn(app, TaskName::SlaScheduler, move || {
        let state = built.state::<AppState>();
        let raised = built.clone();
        let (handle, task) = Scheduler::new(
            ws.clone(),
            state.desk.clone(),
            std::sync::Arc::new(desktop_notifier(&built)),
        )
        .on_raised(std::sync::Arc::new(move |records| {
            // The records are in the tickets' timelines now: open views refresh.
            let recorded: Vec<_> = records
                .iter()
                .filter(|r| r.newly_recorded)
                .map(|r| r.facts.due.key.ticket)
                .collect();
            crate::events::tickets_changed(&raised, &recorded, crate::events::Origin::ViewsOnly);
            if recorded.is_empty() {
                publish(&raised);
            }
        }))
        .start();
        state.set_scheduler(handle);
        task
    });
}

/// The signed-in member's status now.
pub async fn status(state: &AppState) -> ApiResult<AlertStatus> {
    let (ws, actor) = state.actor()?;
    let now = ws.clock().now();
    Ok(AlertStatus {
        counts: ws.sla_counts(&actor).await?,
        dnd_until: state.desk.dnd_until().filter(|t| *t > now),
    })
}

/// Recomputes the status and shows it in the tray and every window.
pub fn publish(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        let Ok(s) = status(&state).await else {
            crate::tray::show_counts(&app, None);
            return;
        };
        crate::tray::show_counts(&app, Some(&s));
        if let Err(e) = app.emit(SLA_STATUS, s) {
            tracing::warn!(error = %e, "could not emit the SLA status");
        }
    });
}

/// Mutes near-breach pop-ups for `minutes` (0 turns do-not-disturb off).
pub async fn set_dnd(app: &AppHandle, minutes: u32) -> ApiResult<AlertStatus> {
    let state = app.state::<AppState>();
    // Do-not-disturb belongs to the member signed in on this desktop.
    let (ws, _) = state.actor()?;
    let until = (minutes > 0).then(|| ws.clock().now() + Duration::minutes(i64::from(minutes)));
    match until {
        Some(t) => {
            ws.set_setting(DND_KEY, &t.timestamp_millis().to_string())
                .await?
        }
        None => ws.clear_setting(DND_KEY).await?,
    }
    state.desk.set_dnd_until(until);
    tracing::info!(minutes, "do-not-disturb changed");
    publish(app);
    status(&state).await
}
