//! Running the `pulsedesk-admin` binary from the tests, as an admin would from a shell.

#![allow(dead_code)]
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::process::{Command, Stdio};

/// What one run printed, and whether it succeeded.
pub struct Run {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Standard output then standard error, for assertions that do not care which.
    pub fn text(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// The throwaway server's superuser URL, on `database`.
pub fn url(database: &str) -> String {
    let base = std::env::var("PULSEDESK_TEST_PG").expect(
        "PULSEDESK_TEST_PG: run scripts/test.sh, or eval \"$(scripts/pg-throwaway.sh start)\"",
    );
    format!("{}/{database}", base.rsplit_once('/').unwrap().0)
}

/// Runs `pulsedesk-admin --url URL ARGS…` with `stdin` on its standard input.
pub fn admin(url: &str, args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pulsedesk-admin"))
        .args(["--url", url])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs it as the superuser on `database`, nothing on standard input.
pub fn admin_on(database: &str, args: &[&str]) -> Run {
    admin(&url(database), args, "")
}
