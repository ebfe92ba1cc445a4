//! The real team service (`pulsedesk-server`) next to a test's team database: the writer
//! that applies what the desktops submit, and the team's assigner and SLA records.

// Test helpers: a failed setup step should stop the test at once.
#![allow(clippy::unwrap_used)]

use pulsedesk_shared::testing::{TestDb, PASSWORD};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct TeamService {
    child: Child,
    said: Arc<Mutex<Vec<String>>>,
    _dir: tempfile::TempDir,
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
    /// Adds the service's login to `db` and starts the service; returns once it applies
    /// the team's commands and holds the assigner's seat.
    pub async fn start(db: &TestDb) -> TeamService {
        let login = db.service_login().await;
        let dir = tempfile::tempdir().unwrap();
        let password = dir.path().join("password");
        std::fs::write(&password, PASSWORD).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&password, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let data = dir.path().join("data");
        let mut child = Command::new(binary())
            .env("PULSEDESK_SERVER_ADDRESS", db.server.to_string())
            .env("PULSEDESK_SERVER_LOGIN", &login)
            .env("PULSEDESK_SERVER_PASSWORD_FILE", &password)
            .env("PULSEDESK_SERVER_DATA_DIR", &data)
            .env("PULSEDESK_SERVER_POLL_MS", "100")
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let said = Arc::new(Mutex::new(Vec::new()));
        let lines = BufReader::new(child.stderr.take().unwrap());
        let keep = said.clone();
        std::thread::spawn(move || {
            for line in lines.lines().map_while(Result::ok) {
                keep.lock().unwrap().push(line);
            }
        });
        let service = TeamService {
            child,
            said,
            _dir: dir,
        };
        let started = Instant::now();
        while !(service.has_said("applying the team's commands")
            && service.has_said("assigning for the team"))
        {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the team service did not start: {:?}",
                service.said.lock().unwrap()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        service
    }

    fn has_said(&self, what: &str) -> bool {
        self.said.lock().unwrap().iter().any(|l| l.contains(what))
    }
}

impl Drop for TeamService {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
