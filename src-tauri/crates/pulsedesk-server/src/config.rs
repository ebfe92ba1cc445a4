//! Where the service finds the team database and its own login: from the environment, the
//! password from a file only the service's user can read (or the environment). The password
//! is never printed; `Config`'s `Debug` leaves it out.

use pulsedesk_shared::Server;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub struct Config {
    pub server: Server,
    pub login: String,
    pub password: String,
    /// How often the pool is drained, and a service standing by tries to take over.
    pub poll: Duration,
    /// Where the service keeps its replica of the team database.
    pub data_dir: PathBuf,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("server", &self.server.to_string())
            .field("login", &self.login)
            .field("poll", &self.poll)
            .field("data_dir", &self.data_dir)
            .finish_non_exhaustive()
    }
}

/// A setting that is missing or wrong, said so the person running the service can fix it.
#[derive(Debug, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Config {
    /// Reads `PULSEDESK_SERVER_ADDRESS`, `PULSEDESK_SERVER_LOGIN`, the password from the file
    /// `PULSEDESK_SERVER_PASSWORD_FILE` (else `PULSEDESK_SERVER_PASSWORD`) and
    /// `PULSEDESK_SERVER_POLL_MS` (1000 unless set) and the data folder
    /// `PULSEDESK_SERVER_DATA_DIR` (else systemd's `STATE_DIRECTORY`) through `var`.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let need = |name: &str| {
            var(name)
                .filter(|v| !v.trim().is_empty())
                .ok_or_else(|| ConfigError(format!("{name} is not set")))
        };
        let address = need("PULSEDESK_SERVER_ADDRESS")?;
        let server = Server::parse(&address)
            .map_err(|e| ConfigError(format!("PULSEDESK_SERVER_ADDRESS {address:?}: {e}")))?;
        let login = need("PULSEDESK_SERVER_LOGIN")?;
        let password = match var("PULSEDESK_SERVER_PASSWORD_FILE") {
            Some(file) => read_password(Path::new(&file))?,
            None => need("PULSEDESK_SERVER_PASSWORD")
                .map_err(|_| ConfigError("set PULSEDESK_SERVER_PASSWORD_FILE (a file only the service's user can read) or PULSEDESK_SERVER_PASSWORD".into()))?,
        };
        let poll = match var("PULSEDESK_SERVER_POLL_MS") {
            None => Duration::from_secs(1),
            Some(ms) => match ms.trim().parse::<u64>() {
                Ok(n) if (50..=60_000).contains(&n) => Duration::from_millis(n),
                _ => {
                    return Err(ConfigError(format!(
                        "PULSEDESK_SERVER_POLL_MS {ms:?}: a number of milliseconds from 50 to 60000"
                    )))
                }
            },
        };
        let data_dir = var("PULSEDESK_SERVER_DATA_DIR")
            .or_else(|| var("STATE_DIRECTORY"))
            .filter(|d| !d.trim().is_empty())
            .map(PathBuf::from)
            .ok_or_else(|| {
                ConfigError(
                    "PULSEDESK_SERVER_DATA_DIR is not set (a folder for the service's replica)"
                        .into(),
                )
            })?;
        Ok(Config {
            server,
            login,
            password,
            poll,
            data_dir,
        })
    }
}

/// The first line of `file`, refused when other users may read it.
fn read_password(file: &Path) -> Result<String, ConfigError> {
    let shown = file.display();
    let meta = std::fs::metadata(file)
        .map_err(|e| ConfigError(format!("the password file {shown} cannot be read: {e}")))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            return Err(ConfigError(format!(
                "the password file {shown} can be read by other users: chmod 600 it"
            )));
        }
    }
    #[cfg(not(unix))]
    let _ = meta;
    let text = std::fs::read_to_string(file)
        .map_err(|e| ConfigError(format!("the password file {shown} cannot be read: {e}")))?;
    let password = text.lines().next().unwrap_or_default().to_owned();
    if password.is_empty() {
        return Err(ConfigError(format!("the password file {shown} is empty")));
    }
    Ok(password)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn each_missing_or_wrong_setting_is_named() {
        let err = |pairs: &[(&str, &str)]| Config::from_env(env(pairs)).unwrap_err().0;
        assert!(err(&[]).contains("PULSEDESK_SERVER_ADDRESS"));
        assert!(err(&[("PULSEDESK_SERVER_ADDRESS", "db:99999")]).contains("db:99999"));
        assert!(err(&[("PULSEDESK_SERVER_ADDRESS", "db")]).contains("PULSEDESK_SERVER_LOGIN"));
        let base = [
            ("PULSEDESK_SERVER_ADDRESS", "db.example.com:5433/team"),
            ("PULSEDESK_SERVER_LOGIN", "pulsedesk_service"),
        ];
        assert!(err(&base).contains("PULSEDESK_SERVER_PASSWORD_FILE"));
        let mut slow = base.to_vec();
        slow.extend([
            ("PULSEDESK_SERVER_PASSWORD", "s3cret"),
            ("PULSEDESK_SERVER_POLL_MS", "5"),
        ]);
        assert!(err(&slow).contains("50 to 60000"));
        let mut ok = base.to_vec();
        ok.push(("PULSEDESK_SERVER_PASSWORD", "s3cret"));
        assert!(err(&ok).contains("PULSEDESK_SERVER_DATA_DIR"));
        ok.push(("STATE_DIRECTORY", "/var/lib/pulsedesk-server"));
        let c = Config::from_env(env(&ok)).unwrap();
        assert_eq!(c.server.to_string(), "db.example.com:5433/team");
        assert_eq!(c.poll, Duration::from_secs(1));
        assert_eq!(c.data_dir, Path::new("/var/lib/pulsedesk-server"));
        // The password never shows in what is printed about the settings.
        assert!(!format!("{c:?}").contains("s3cret"));
    }

    #[cfg(unix)]
    #[test]
    fn a_password_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("password");
        std::fs::write(&file, "s3cret\n").unwrap_or_else(|e| panic!("{e}"));
        let set = |mode| {
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode))
                .unwrap_or_else(|e| panic!("{e}"))
        };
        set(0o644);
        let err = read_password(&file).unwrap_err().0;
        assert!(
            err.contains("chmod 600") && !err.contains("s3cret"),
            "{err}"
        );
        set(0o600);
        assert_eq!(read_password(&file), Ok("s3cret".to_owned()));
        std::fs::write(&file, "").unwrap_or_else(|e| panic!("{e}"));
        assert!(read_password(&file).unwrap_err().0.contains("empty"));
    }
}
