//! The real team service (`pulsedesk-server`) next to a test's team database: the writer
//! that applies what the desktops submit, and the team's assigner and SLA records.

// Test helpers: a failed setup step should stop the test at once.
#![allow(clippy::unwrap_used)]

use pulsedesk_shared::testing::{ServiceProcess, TestDb, PASSWORD};
use std::path::PathBuf;
use std::process::Command;

/// The real service binary on a test's team database; it stops when dropped (its process
/// is killed with the value it holds).
pub struct TeamService {
    _process: ServiceProcess,
}

/// The service binary, built beside the app's (a workspace test run builds it; a run of this
/// test target alone builds it here first).
fn binary() -> PathBuf {
    let app = PathBuf::from(env!("CARGO_BIN_EXE_pulsedesk"));
    let bin = app.with_file_name(format!("pulsedesk-server{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let built = Command::new(cargo)
            .args(["build", "--locked", "-p", "pulsedesk-server"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .unwrap();
        assert!(built.success(), "cargo build -p pulsedesk-server failed");
    }
    bin
}

impl TeamService {
    /// Makes the test database's service login and starts the service with it; returns
    /// once it applies the team's commands and holds the assigner's seat.
    pub async fn start(db: &TestDb) -> TeamService {
        let login = db.service_login().await;
        let service = ServiceProcess::start(&binary(), db, &login, PASSWORD);
        service.wait_to_say("applying the team's commands").await;
        service.wait_to_say("assigning for the team").await;
        TeamService { _process: service }
    }
}
