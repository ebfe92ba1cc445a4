//! Assignment in the app: the assigner and the presence watcher on tokio, the signed-in
//! member's presence at sign-in and sign-out, and the pop-ups supervisors and agents get.

use crate::state::AppState;
use crate::tasks::TaskName;
use pulsedesk_alerts::{DesktopNotifier, Notifier, Popup};
use pulsedesk_assign::{idle, watch, Assigner};
use pulsedesk_core::assign::notice::{capacity_text, transfer_text};
use pulsedesk_core::ids::UserId;
use pulsedesk_core::kinds::{Presence, Role};
use serde::Serialize;
use std::sync::Arc;
use tauri::{AppHandle, Emitter, Manager};
use ts_rs::TS;

/// Event: the signed-in member's presence changed (idle, lock, or another window).
pub const PRESENCE: &str = "presence";
/// Event: the transfer requests changed.
pub const TRANSFERS_CHANGED: &str = "transfers-changed";

/// Setting per member: the last capacity episode they were told about.
fn told_key(user: UserId) -> String {
    format!("assign.episode_told.{user}")
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct PresenceStatus {
    pub presence: Presence,
    pub by_hand: bool,
}

fn notifier(app: &AppHandle) -> DesktopNotifier {
    let click = app.clone();
    DesktopNotifier::new(
        "Pulsedesk",
        Arc::new(move |ticket| {
            let target = click.clone();
            let _ = click.run_on_main_thread(move || crate::alerts::bring_forward(&target, ticket));
        }),
    )
}

/// Starts the assigner and the presence watcher on the open workspace. A team replica has
/// no local assigner: the team's tickets are assigned on the server.
pub fn start(app: &AppHandle) {
    let state = app.state::<AppState>();
    let Ok(ws) = state.workspace() else {
        return;
    };
    let ws = Arc::new(ws);
    if !ws.is_replica() {
        start_assigner(app, ws.clone());
    }

    // A member still signed in from the last run is back online.
    if let Some(me) = state.session() {
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            on_session(&app.state::<AppState>(), me.id, Presence::Online).await;
            tell_supervisor(&app);
        });
    }
    let built = app.clone();
    let idle: Arc<dyn idle::IdleSource> = Arc::from(idle::system());
    let poll = watch::poll_interval();
    crate::background::spawn(app, TaskName::PresenceWatcher, move || {
        let state = built.state::<AppState>();
        let desk = state.desk.clone();
        let changed = built.clone();
        let (stop, watcher) = watch::start(
            ws.clone(),
            idle.clone(),
            Arc::new(move || desk.session().map(|a| a.id)),
            Arc::new(move |_, presence| {
                // Runs inside the watcher's task: tell the windows what it set, without
                // reading it back (blocking on the runtime here would panic).
                changed.state::<AppState>().presence_changed();
                let now = PresenceStatus {
                    presence,
                    by_hand: false,
                };
                if let Err(e) = changed.emit(PRESENCE, now) {
                    tracing::warn!(error = %e, "could not emit the presence");
                }
                tracing::info!(%presence, "presence changed by idle/lock detection");
            }),
            poll,
        );
        state.set_watcher(stop);
        watcher
    });
}

/// Transfer decisions reach the agent who asked, whatever workspace is open (runs once).
pub fn start_news(app: &AppHandle) {
    let news = app.clone();
    crate::background::spawn_for_app(app, TaskName::News, move || {
        let news = news.clone();
        async move {
            loop {
                tokio::time::sleep(watch::POLL).await;
                tell_requester(&news).await;
                tell_follow_up_owner(&news).await;
                tell_measure_owner(&news).await;
                crate::weekly::deliver(&news).await;
            }
        }
    });
}

fn start_assigner(app: &AppHandle, ws: Arc<pulsedesk_store::Workspace>) {
    let built = app.clone();
    crate::background::spawn(app, TaskName::Assigner, move || {
        let state = built.state::<AppState>();
        let drained = built.clone();
        let (handle, task) = Assigner::new(ws.clone())
            .on_drained(Arc::new(move |report| {
                // Assigned tickets changed hands: their SLA recipients and views change.
                let assigned: Vec<_> = report.assigned.iter().map(|(t, _)| *t).collect();
                crate::events::tickets_changed(
                    &drained,
                    &assigned,
                    crate::events::Origin::Elsewhere,
                );
                // Newly waiting ones only show their badge (thousands at start-up: the
                // scheduler is not asked about each).
                crate::events::tickets_changed(
                    &drained,
                    &report.newly_waiting,
                    crate::events::Origin::ViewsOnly,
                );
                tell_supervisor(&drained);
            }))
            .start();
        state.set_assigner(handle);
        task
    });
}

/// The signed-in member's presence.
pub async fn my_presence(state: &AppState) -> crate::error::ApiResult<PresenceStatus> {
    let (ws, actor) = state.actor()?;
    let c = ws.presence_of(actor.id).await?;
    Ok(PresenceStatus {
        presence: c.presence,
        by_hand: c.by_hand,
    })
}

/// A supervisor signed in here hears once per capacity episode that tickets are waiting.
pub fn tell_supervisor(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        let Ok((ws, actor)) = state.actor() else {
            return;
        };
        if actor.role != Role::Supervisor {
            return;
        }
        let Ok(Some(episode)) = ws.open_capacity_episode().await else {
            return;
        };
        let key = told_key(actor.id);
        if ws.setting(&key).await.ok().flatten() == Some(episode.id.to_string()) {
            return;
        }
        if ws.set_setting(&key, &episode.id.to_string()).await.is_err() {
            return;
        }
        let (summary, body) = capacity_text(state.desk.viewer_lang(), episode.waiting);
        tracing::info!(
            episode = episode.id,
            waiting = episode.waiting,
            "capacity pop-up"
        );
        notifier(&app).show(Popup {
            summary,
            body,
            ticket: None,
            urgent: true,
        });
    });
}

/// The agent signed in here hears about decisions on their transfer requests.
pub async fn tell_requester(app: &AppHandle) {
    let state = app.state::<AppState>();
    let Ok((ws, actor)) = state.actor() else {
        return;
    };
    let Ok(news) = ws.take_transfer_news(&actor).await else {
        return;
    };
    if news.is_empty() {
        return;
    }
    let lang = state.desk.viewer_lang();
    let n = notifier(app);
    for t in &news {
        let (summary, body) = transfer_text(lang, t);
        n.show(Popup {
            summary,
            body,
            ticket: Some(t.ticket_id),
            urgent: false,
        });
    }
    let _ = app.emit(TRANSFERS_CHANGED, ());
}

/// A supervisor signed in here hears at once of each follow-up they now own (需跟进).
pub async fn tell_follow_up_owner(app: &AppHandle) {
    let state = app.state::<AppState>();
    let Ok((ws, actor)) = state.actor() else {
        return;
    };
    if actor.role != Role::Supervisor || ws.is_replica() {
        return;
    }
    let Ok(news) = ws.take_follow_up_news(&actor).await else {
        return;
    };
    let lang = state.desk.viewer_lang();
    let n = notifier(app);
    for f in &news {
        let (summary, body) = pulsedesk_core::feedback::follow_up_text(lang, f);
        tracing::info!(ticket = f.ticket_id.0, "follow-up pop-up");
        n.show(Popup {
            summary,
            body,
            ticket: Some(f.ticket_id),
            urgent: true,
        });
    }
}

/// A member signed in here hears once when a measure they own nears its deadline.
pub async fn tell_measure_owner(app: &AppHandle) {
    let state = app.state::<AppState>();
    let Ok((ws, actor)) = state.actor() else {
        return;
    };
    if ws.is_replica() {
        return;
    }
    let Ok(due) = ws.take_measure_reminders(&actor).await else {
        return;
    };
    let lang = state.desk.viewer_lang();
    let n = notifier(app);
    for (id, problem, deadline) in &due {
        let (summary, body) = pulsedesk_core::measures::reminder_text(lang, problem, *deadline);
        tracing::info!(measure = id.0, "measure reminder pop-up");
        n.show(Popup {
            summary,
            body,
            ticket: None,
            urgent: false,
        });
    }
}

/// Sign-in and sign-out move the member online and offline on this desktop.
pub async fn on_session(state: &AppState, user: UserId, presence: Presence) {
    if let Ok(ws) = state.workspace() {
        if let Err(e) = ws.set_presence(user, presence, false).await {
            tracing::warn!(error = %e, "could not record presence");
        }
    }
    state.presence_changed();
}
