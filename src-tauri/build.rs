//! Builds the Tauri context from the repository-root `tauri.conf.json` and declares every
//! app command to Tauri's capability system (see `capabilities/`).

/// Every command the webview may call; each needs an `allow-…` entry in a capability.
const COMMANDS: &[&str] = &[
    "bootstrap",
    "list_accounts",
    "sign_in",
    "sign_out",
    "connect_team",
    "get_sync_status",
    "list_rejections",
    "dismiss_rejection",
    "get_catalog",
    "list_pool",
    "get_ticket",
    "create_ticket",
    "run_command",
    "reveal_customer",
    "find_customers",
    "get_config",
    "save_ticket_type",
    "save_sla_targets",
    "save_member",
    "add_skill",
    "get_sla_setup",
    "save_sla_policy",
    "delete_sla_policy",
    "order_sla_policies",
    "save_sla_calendar",
    "delete_sla_calendar",
    "save_sla_settings",
    "get_alert_status",
    "set_dnd",
    "set_locale",
    "ui_ready",
    "get_assign_rules",
    "save_assign_rules",
    "preview_assignment",
    "get_presence",
    "set_presence",
    "request_transfer",
    "list_transfers",
    "transfer_suggestions",
    "decide_transfer",
    "get_board",
    "open_board",
    "export_tracking",
    "get_weekly_review",
    "export_weekly_review",
    "get_monthly_report",
    "export_monthly_report",
    "get_ticket_survey",
    "record_feedback",
    "import_feedback",
    "get_feedback",
    "export_feedback",
    "get_feedback_settings",
    "save_feedback_settings",
    "list_measures",
    "save_measure",
    "get_tracking_page",
    "export_measures",
    "get_troubles",
    "check_new_ticket",
];

fn main() {
    let attrs = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attrs) {
        panic!("tauri build failed: {e:#}");
    }
}
