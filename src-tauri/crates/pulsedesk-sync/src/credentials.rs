//! The member's password for the shared database, kept in the OS credential store (Keychain
//! on macOS, Credential Manager on Windows, the Secret Service on Linux) — never in a file
//! or a log. One entry per server and login.

use pulsedesk_shared::Server;
use thiserror::Error;

/// The service name entries are filed under.
pub const SERVICE: &str = "Pulsedesk";

/// The credential store could not do what was asked.
#[derive(Debug, Error)]
#[error("the system's credential store {doing}: {reason}")]
pub struct CredentialError {
    doing: &'static str,
    reason: String,
}

impl CredentialError {
    /// Stable code for the UI.
    pub fn code(&self) -> &'static str {
        "credential_store"
    }
}

/// Reads and writes passwords in the OS credential store.
#[derive(Debug, Clone)]
pub struct Credentials {
    service: String,
}

impl Default for Credentials {
    fn default() -> Self {
        Credentials::os()
    }
}

impl Credentials {
    /// The app's entries.
    pub fn os() -> Self {
        Credentials {
            service: SERVICE.to_string(),
        }
    }

    /// Entries under another service name (tests keep theirs apart).
    pub fn with_service(service: impl Into<String>) -> Self {
        Credentials {
            service: service.into(),
        }
    }

    /// The entry's user name: the login at the server, so two teams never share one.
    pub fn account(server: &Server, login: &str) -> String {
        format!("{login}@{server}")
    }

    fn entry(&self, server: &Server, login: &str) -> Result<keyring::Entry, CredentialError> {
        keyring::Entry::new(&self.service, &Self::account(server, login))
            .map_err(|e| fail("cannot be opened", e))
    }

    /// Stores (or replaces) the password.
    pub fn save(
        &self,
        server: &Server,
        login: &str,
        password: &str,
    ) -> Result<(), CredentialError> {
        self.entry(server, login)?
            .set_password(password)
            .map_err(|e| fail("did not keep the password", e))
    }

    /// The stored password, if there is one.
    pub fn load(&self, server: &Server, login: &str) -> Result<Option<String>, CredentialError> {
        match self.entry(server, login)?.get_password() {
            Ok(p) => Ok(Some(p)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(fail("could not be read", e)),
        }
    }

    /// Removes the password (signing out). Removing one that is not there is fine.
    pub fn forget(&self, server: &Server, login: &str) -> Result<(), CredentialError> {
        match self.entry(server, login)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(fail("did not remove the password", e)),
        }
    }
}

fn fail(doing: &'static str, e: keyring::Error) -> CredentialError {
    let reason = match e {
        keyring::Error::NoStorageAccess(_) => {
            "it is locked or not running (on Linux: a Secret Service such as GNOME Keyring or KWallet)".to_string()
        }
        keyring::Error::PlatformFailure(inner) => inner.to_string(),
        other => other.to_string(),
    };
    CredentialError { doing, reason }
}
