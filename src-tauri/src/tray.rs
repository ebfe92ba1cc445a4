//! The tray icon: near-breach and breached counts, do-not-disturb, and the way back to the
//! window. Closing the window hides it here; the app keeps warning.

use crate::alerts::{bring_forward, AlertStatus};
use crate::state::AppState;
use pulsedesk_core::sla::notice::Lang;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager};

const TRAY_ID: &str = "pulsedesk";

struct Labels {
    open: &'static str,
    board: &'static str,
    dnd30: &'static str,
    dnd60: &'static str,
    dnd120: &'static str,
    dnd_off: &'static str,
    quit: &'static str,
}

fn labels(lang: Lang) -> Labels {
    match lang {
        Lang::En => Labels {
            open: "Open Pulsedesk",
            board: "Team board",
            dnd30: "Mute near-breach warnings for 30 minutes",
            dnd60: "Mute near-breach warnings for 1 hour",
            dnd120: "Mute near-breach warnings for 2 hours",
            dnd_off: "Unmute warnings",
            quit: "Quit Pulsedesk",
        },
        Lang::Zh => Labels {
            open: "打开 Pulsedesk",
            board: "团队看板",
            dnd30: "30 分钟内不提示即将超时",
            dnd60: "1 小时内不提示即将超时",
            dnd120: "2 小时内不提示即将超时",
            dnd_off: "恢复提示",
            quit: "退出 Pulsedesk",
        },
    }
}

/// Builds the tray icon; `false` when the desktop has no tray (the window then closes
/// the app as usual).
pub fn build(app: &AppHandle, lang: Lang) -> bool {
    match try_build(app, lang) {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(error = %e, "no tray icon");
            false
        }
    }
}

fn menu(app: &AppHandle, lang: Lang) -> tauri::Result<Menu<tauri::Wry>> {
    let l = labels(lang);
    let item = |id: &str, text: &str| MenuItem::with_id(app, id, text, true, None::<&str>);
    Menu::with_items(
        app,
        &[
            &item("open", l.open)?,
            &item("board", l.board)?,
            &PredefinedMenuItem::separator(app)?,
            &item("dnd30", l.dnd30)?,
            &item("dnd60", l.dnd60)?,
            &item("dnd120", l.dnd120)?,
            &item("dnd0", l.dnd_off)?,
            &PredefinedMenuItem::separator(app)?,
            &item("quit", l.quit)?,
        ],
    )
}

/// Re-labels the tray menu after the member switched language.
pub fn relabel(app: &AppHandle, lang: Lang) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    match menu(app, lang) {
        Ok(m) => {
            let _ = tray.set_menu(Some(m));
        }
        Err(e) => tracing::warn!(error = %e, "tray menu not re-labelled"),
    }
}

fn try_build(app: &AppHandle, lang: Lang) -> tauri::Result<()> {
    let menu = menu(app, lang)?;
    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("Pulsedesk")
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| {
            let minutes = match event.id.as_ref() {
                "open" => return bring_forward(app, None),
                "board" => {
                    if let Err(e) = crate::commands::board::show(app) {
                        tracing::warn!(code = %e.code, "board window not opened");
                    }
                    return;
                }
                "quit" => return app.exit(0),
                "dnd30" => 30,
                "dnd60" => 60,
                "dnd120" => 120,
                "dnd0" => 0,
                _ => return,
            };
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                if let Err(e) = crate::alerts::set_dnd(&app, minutes).await {
                    tracing::warn!(code = %e.code, "do-not-disturb not changed");
                }
            });
        })
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                bring_forward(tray.app_handle(), None);
            }
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)?;
    Ok(())
}

/// Shows the counts beside the icon and in its tooltip.
pub fn show_counts(app: &AppHandle, status: Option<&AlertStatus>) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let lang = app.state::<AppState>().desk.viewer_lang();
    let (title, tip) = match status {
        None => (String::new(), "Pulsedesk".to_string()),
        Some(s) => {
            let (near, late) = (s.counts.near_breach, s.counts.breached);
            let dnd = s.dnd_until.is_some();
            let tip = match lang {
                Lang::En => format!(
                    "Pulsedesk — {near} near breach, {late} breached{}",
                    if dnd { " (near-breach muted)" } else { "" }
                ),
                Lang::Zh => format!(
                    "Pulsedesk — 即将超时 {near}，已超时 {late}{}",
                    if dnd {
                        "（已静音即将超时）"
                    } else {
                        ""
                    }
                ),
            };
            (format!("⚠{near} ⛔{late}"), tip)
        }
    };
    let _ = tray.set_tooltip(Some(&tip));
    let _ = tray.set_title(Some(&title));
}

/// Whether the app has a tray to hide in.
pub fn present(app: &AppHandle) -> bool {
    app.tray_by_id(TRAY_ID).is_some()
}
