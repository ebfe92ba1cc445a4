//! `pulsedesk-server`: the team service. Settings come from the environment (see the README,
//! "Running the team service"); it runs until SIGTERM or Ctrl-C.

use pulsedesk_core::clock::SystemClock;
use std::process::ExitCode;
use std::sync::Arc;

#[tokio::main]
async fn main() -> ExitCode {
    if std::env::args()
        .nth(1)
        .is_some_and(|a| a == "--help" || a == "help")
    {
        println!("{}", HELP);
        return ExitCode::SUCCESS;
    }
    let config = match pulsedesk_server::config::Config::from_env(|k| std::env::var(k).ok()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("pulsedesk-server: {e}\n\n{HELP}");
            return ExitCode::from(2);
        }
    };
    pulsedesk_server::run(config, Arc::new(SystemClock), stopped()).await;
    ExitCode::SUCCESS
}

const HELP: &str = "\
pulsedesk-server — the Pulsedesk team service: the team's writer (it applies the changes
members' desktops submit), automatic assignment and SLA alert records for the whole team,
whether or not any desktop is open

ENVIRONMENT
  PULSEDESK_SERVER_ADDRESS        the team database: host, host:port or host:port/database
  PULSEDESK_SERVER_LOGIN          the service's login (a member with the admin role, so it
                                  takes no tickets: pulsedesk-admin member add, then
                                  pulsedesk-admin service LOGIN)
  PULSEDESK_SERVER_PASSWORD_FILE  a file holding its password, readable only by the
                                  service's user (chmod 600); or PULSEDESK_SERVER_PASSWORD
  PULSEDESK_SERVER_DATA_DIR       a folder for its replica of the team database (systemd's
                                  STATE_DIRECTORY when unset)
  PULSEDESK_SERVER_POLL_MS        how often the pool is drained (default 1000)";

/// Completes on SIGTERM (systemd's stop) or Ctrl-C.
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
