//! The Pulsedesk desktop shell: opens the workspace, registers the typed commands and
//! hosts the web UI. It holds no business rules (see docs/ARCHITECTURE.md).

mod alerts;
mod assigning;
mod background;
#[cfg(test)]
mod command_list;
mod commands;
mod desk;
mod error;
mod events;
mod logging;
mod startup;
mod state;
mod tasks;
mod team;
mod tray;
#[cfg(test)]
mod typegen;
mod weekly;

use std::time::Instant;
use tauri::Manager;

/// Runs the app until its last window closes.
pub fn run() {
    let started = Instant::now();
    let app = tauri::Builder::default()
        .setup(move |app| {
            startup::setup(app, started)?;
            // The tray and the SLA scheduler start once the first screen is interactive (or
            // after 3 s at the latest), so they do not compete with the window for the CPU.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let state = handle.state::<state::AppState>();
                let ready = state.ui_ready.notified();
                let _ = tokio::time::timeout(std::time::Duration::from_secs(3), ready).await;
                let main = handle.clone();
                let _ = handle.run_on_main_thread(move || {
                    let lang = main.state::<state::AppState>().desk.viewer_lang();
                    tray::build(&main, lang);
                    background::start(&main);
                    assigning::start_news(&main);
                });
            });
            Ok(())
        })
        .on_window_event(|window, event| {
            // With a tray, closing the window hides it: the app keeps warning.
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                if window.label() == "main" && tray::present(window.app_handle()) {
                    api.prevent_close();
                    let _ = window.hide();
                }
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::session::bootstrap,
            commands::session::list_accounts,
            commands::session::sign_in,
            commands::session::sign_out,
            commands::team::connect_team,
            commands::team::get_sync_status,
            commands::team::list_rejections,
            commands::team::dismiss_rejection,
            commands::tickets::get_catalog,
            commands::tickets::list_pool,
            commands::tickets::get_ticket,
            commands::tickets::create_ticket,
            commands::tickets::run_command,
            commands::tickets::reveal_customer,
            commands::tickets::find_customers,
            commands::admin::get_config,
            commands::admin::save_ticket_type,
            commands::admin::save_sla_targets,
            commands::admin::save_member,
            commands::admin::add_skill,
            commands::sla::get_sla_setup,
            commands::sla::save_sla_policy,
            commands::sla::delete_sla_policy,
            commands::sla::order_sla_policies,
            commands::sla::save_sla_calendar,
            commands::sla::delete_sla_calendar,
            commands::sla::save_sla_settings,
            commands::sla::get_alert_status,
            commands::sla::set_dnd,
            commands::prefs::set_locale,
            commands::prefs::ui_ready,
            commands::assign::get_assign_rules,
            commands::assign::save_assign_rules,
            commands::assign::preview_assignment,
            commands::assign::get_presence,
            commands::assign::set_presence,
            commands::assign::request_transfer,
            commands::assign::list_transfers,
            commands::assign::transfer_suggestions,
            commands::assign::decide_transfer,
            commands::board::get_board,
            commands::board::open_board,
            commands::reports::export_tracking,
            commands::reports::get_weekly_review,
            commands::reports::export_weekly_review,
            commands::reports::get_monthly_report,
            commands::reports::export_monthly_report,
            commands::feedback::get_ticket_survey,
            commands::feedback::record_feedback,
            commands::feedback::import_feedback,
            commands::feedback::get_feedback,
            commands::feedback::export_feedback,
            commands::feedback::get_feedback_settings,
            commands::feedback::save_feedback_settings,
            commands::measures::list_measures,
            commands::measures::save_measure,
            commands::reports::get_tracking_page,
            commands::measures::export_measures,
            commands::health::get_troubles,
            commands::tickets::check_new_ticket,
        ])
        .build(tauri::generate_context!("../tauri.conf.json"));
    match app {
        Ok(app) => app.run(|app, event| {
            // Leaving the app takes its member offline, so nothing new is assigned to them.
            if let tauri::RunEvent::Exit = event {
                let state = app.state::<state::AppState>();
                if let Some(me) = state.session() {
                    tauri::async_runtime::block_on(assigning::on_session(
                        &state,
                        me.id,
                        pulsedesk_core::kinds::Presence::Offline,
                    ));
                }
            }
        }),
        Err(e) => {
            eprintln!("Pulsedesk could not start: {e}");
            std::process::exit(1);
        }
    }
}
