//! The Pulsedesk desktop shell: opens the workspace, registers the typed commands and
//! hosts the web UI. It holds no business rules (see docs/ARCHITECTURE.md).

mod commands;
mod error;
mod events;
mod logging;
mod startup;
mod state;
#[cfg(test)]
mod typegen;

use std::time::Instant;

/// Runs the app until its last window closes.
pub fn run() {
    let started = Instant::now();
    let app = tauri::Builder::default()
        .setup(move |app| {
            startup::setup(app, started)?;
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::session::bootstrap,
            commands::session::list_accounts,
            commands::session::sign_in,
            commands::session::sign_out,
            commands::tickets::get_catalog,
            commands::tickets::list_pool,
            commands::tickets::get_ticket,
            commands::tickets::create_ticket,
            commands::tickets::move_ticket,
            commands::tickets::reopen_ticket,
            commands::tickets::claim_ticket,
            commands::tickets::assign_ticket,
            commands::tickets::add_note,
            commands::tickets::reveal_customer,
            commands::tickets::find_customers,
            commands::admin::get_config,
            commands::admin::save_ticket_type,
            commands::admin::save_sla_targets,
            commands::admin::save_member,
            commands::admin::add_skill,
            commands::prefs::set_locale,
            commands::prefs::ui_ready,
        ])
        .build(tauri::generate_context!("../tauri.conf.json"));
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(e) => {
            eprintln!("Pulsedesk could not start: {e}");
            std::process::exit(1);
        }
    }
}
