//! Which team server this desktop is connected to, as whom: `team.json` in the data folder
//! (never the password, which lives in the OS credential store), and where the replica of
//! that server is kept.

use crate::error::{ApiError, ApiResult};
use pulsedesk_shared::Server;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const FILE: &str = "team.json";

/// The team server and login this desktop signs in with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub server: Server,
    pub login: String,
}

impl Profile {
    /// The saved profile, if this desktop is in team mode. A damaged file is reported (the
    /// app then offers the connection screen) rather than silently dropped.
    pub fn load(dir: &Path) -> ApiResult<Option<Profile>> {
        let path = dir.join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error("read", &path, &e)),
        };
        serde_json::from_str(&text).map(Some).map_err(|e| {
            ApiError::new(
                "corrupt_data",
                format!(
                    "{} cannot be read ({e}); connect to the server again",
                    path.display()
                ),
            )
        })
    }

    /// Saves the profile (written whole, then renamed, so a crash never leaves half a file).
    pub fn save(&self, dir: &Path) -> ApiResult<()> {
        let path = dir.join(FILE);
        let tmp = dir.join(format!("{FILE}.new"));
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| ApiError::new("internal", e.to_string()))?;
        std::fs::write(&tmp, text).map_err(|e| io_error("write", &tmp, &e))?;
        std::fs::rename(&tmp, &path).map_err(|e| io_error("write", &path, &e))
    }

    /// Forgets the profile (signing out).
    pub fn remove(dir: &Path) -> ApiResult<()> {
        let path = dir.join(FILE);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_error("remove", &path, &e)),
        }
    }

    /// The replica's file: one per server and login, under `team/`.
    pub fn replica_path(&self, dir: &Path) -> PathBuf {
        let name: String = format!(
            "{}_{}_{}_{}",
            self.login, self.server.host, self.server.port, self.server.database
        )
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
        dir.join("team").join(format!("{name}.db"))
    }
}

fn io_error(doing: &str, path: &Path, e: &std::io::Error) -> ApiError {
    ApiError::new(
        "read_only_workspace",
        format!("cannot {doing} {}: {e}", path.display()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile() -> Profile {
        Profile {
            server: Server::parse("db.example.com:5433/team").unwrap_or_else(|e| panic!("{e}")),
            login: "li.na".into(),
        }
    }

    #[test]
    fn saves_loads_and_removes() -> ApiResult<()> {
        let dir = tempfile::tempdir().map_err(|e| ApiError::new("io", e.to_string()))?;
        assert_eq!(Profile::load(dir.path())?, None);
        profile().save(dir.path())?;
        assert_eq!(Profile::load(dir.path())?, Some(profile()));
        let text = std::fs::read_to_string(dir.path().join(FILE)).unwrap_or_default();
        assert!(!text.to_lowercase().contains("password"), "{text}");
        Profile::remove(dir.path())?;
        Profile::remove(dir.path())?;
        assert_eq!(Profile::load(dir.path())?, None);
        Ok(())
    }

    #[test]
    fn a_damaged_file_is_reported() {
        let Ok(dir) = tempfile::tempdir() else { return };
        let _ = std::fs::write(dir.path().join(FILE), "{not json");
        let e = Profile::load(dir.path()).err().map(|e| e.code);
        assert_eq!(e.as_deref(), Some("corrupt_data"));
    }

    #[test]
    fn replica_files_are_per_server_and_login_with_safe_names() {
        let dir = Path::new("/data");
        let a = profile().replica_path(dir);
        assert_eq!(a, Path::new("/data/team/li.na_db.example.com_5433_team.db"));
        let mut other = profile();
        other.login = "../../etc/x".into();
        let b = other.replica_path(dir);
        assert!(b.starts_with("/data/team"));
        assert_eq!(b.parent(), Some(Path::new("/data/team")));
    }
}
