//! The password goes to the real OS credential store and comes back (on Linux the Secret
//! Service: `scripts/test.sh` runs the tests in a session with an unlocked GNOME Keyring).

#![allow(clippy::unwrap_used)]

use pulsedesk_shared::Server;
use pulsedesk_sync::Credentials;

fn server() -> Server {
    Server::parse("db.example.com:5433/team").unwrap()
}

fn store() -> Credentials {
    // A service name of this run's own, so parallel runs never see each other's entries.
    Credentials::with_service(format!("Pulsedesk-test-{}", std::process::id()))
}

#[test]
fn stores_reads_back_replaces_and_forgets() {
    let c = store();
    let s = server();
    assert_eq!(c.load(&s, "li.na").unwrap(), None);
    c.save(&s, "li.na", "first secret").unwrap();
    assert_eq!(
        c.load(&s, "li.na").unwrap().as_deref(),
        Some("first secret")
    );
    c.save(&s, "li.na", "第二个 secret").unwrap();
    assert_eq!(
        c.load(&s, "li.na").unwrap().as_deref(),
        Some("第二个 secret")
    );
    // Another login on the same server, and the same login elsewhere, are other entries.
    assert_eq!(c.load(&s, "wang.fang").unwrap(), None);
    let elsewhere = Server::parse("other.example.com").unwrap();
    assert_eq!(c.load(&elsewhere, "li.na").unwrap(), None);
    c.forget(&s, "li.na").unwrap();
    assert_eq!(c.load(&s, "li.na").unwrap(), None);
    // Forgetting twice is fine.
    c.forget(&s, "li.na").unwrap();
}

/// The entry is really in the desktop's store: another program (secret-tool) finds it.
#[cfg(target_os = "linux")]
#[test]
fn the_entry_is_in_the_secret_service() {
    let c = Credentials::with_service(format!("Pulsedesk-tool-{}", std::process::id()));
    let s = server();
    c.save(&s, "zhao.lei", "visible to secret-tool").unwrap();
    let found = std::process::Command::new("secret-tool")
        .args([
            "lookup",
            "service",
            &format!("Pulsedesk-tool-{}", std::process::id()),
            "username",
            &Credentials::account(&s, "zhao.lei"),
        ])
        .output()
        .expect("secret-tool (package libsecret-tools)");
    c.forget(&s, "zhao.lei").unwrap();
    assert!(
        found.status.success(),
        "{}",
        String::from_utf8_lossy(&found.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&found.stdout),
        "visible to secret-tool"
    );
}
