//! For tests: a private D-Bus session with a notification service that records every pop-up,
//! so a test sees what really reached the desktop (feature `testing`).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One `Notify` call as the desktop received it.
#[derive(Debug, Clone)]
pub struct Call {
    pub app_name: String,
    pub summary: String,
    pub body: String,
    pub actions: Vec<String>,
}

/// The recording `org.freedesktop.Notifications` service.
#[derive(Clone, Default)]
pub struct NotificationServer {
    pub calls: Arc<Mutex<Vec<Call>>>,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl NotificationServer {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        _hints: HashMap<String, zbus::OwnedVariant>,
        _expire_timeout: i32,
    ) -> u32 {
        let mut calls = self.calls.lock().unwrap_or_else(|e| e.into_inner());
        calls.push(Call {
            app_name,
            summary,
            body,
            actions,
        });
        u32::try_from(calls.len()).unwrap_or(u32::MAX)
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".into(), "actions".into()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "pulsedesk-test".into(),
            "pulsedesk".into(),
            "1".into(),
            "1.2".into(),
        )
    }

    fn close_notification(&self, _id: u32) {}
}

/// A private session bus daemon, stopped when dropped.
pub struct PrivateBus {
    child: Child,
    pub address: String,
}

impl PrivateBus {
    /// Starts `dbus-daemon --session` (scripts/setup.sh installs dbus).
    pub fn start() -> std::io::Result<Self> {
        let mut child = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .spawn()?;
        let mut line = String::new();
        if let Some(out) = child.stdout.take() {
            BufReader::new(out).read_line(&mut line)?;
        }
        Ok(Self {
            child,
            address: line.trim().to_string(),
        })
    }

    /// Serves the recording notification service on this bus.
    pub async fn serve_notifications(
        &self,
    ) -> zbus::Result<(zbus::Connection, Arc<Mutex<Vec<Call>>>)> {
        let server = NotificationServer::default();
        let calls = server.calls.clone();
        let conn = zbus::connection::Builder::address(self.address.as_str())
            .name("org.freedesktop.Notifications")
            .serve_at("/org/freedesktop/Notifications", server)
            .build()
            .await?;
        Ok((conn, calls))
    }
}

impl Drop for PrivateBus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits up to `patience` for the first call `pick` accepts.
pub fn wait_for_call(
    calls: &Mutex<Vec<Call>>,
    patience: Duration,
    pick: impl Fn(&Call) -> bool,
) -> Option<Call> {
    let deadline = Instant::now() + patience;
    loop {
        let found = calls
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .find(|c| pick(c))
            .cloned();
        if found.is_some() || Instant::now() >= deadline {
            return found;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
