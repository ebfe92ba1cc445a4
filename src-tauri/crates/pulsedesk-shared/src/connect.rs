//! A member's own connection to the shared database.

use crate::SharedError;
use pulsedesk_core::clock::Clock;
use pulsedesk_core::ids::UserId;
use pulsedesk_core::kinds::Role;
use pulsedesk_core::permissions::Actor;
use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgSslMode};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

/// Where the team's database is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Server {
    pub host: String,
    pub port: u16,
    pub database: String,
}

/// The port and database a server address leaves out.
pub const DEFAULT_PORT: u16 = 5432;
pub const DEFAULT_DATABASE: &str = "pulsedesk";

impl Server {
    /// Reads an address as people type it: `host`, `host:port`, `host/database` or
    /// `host:port/database` (an IPv6 host in brackets: `[::1]:5432`).
    pub fn parse(address: &str) -> Result<Server, SharedError> {
        let bad = |why: &str| SharedError::invalid("server", why.to_string());
        let address = address.trim();
        if address.is_empty() {
            return Err(bad(
                "enter the server's address, e.g. db.example.com or db.example.com:5432/pulsedesk",
            ));
        }
        if address.contains("://") || address.contains('@') || address.contains(char::is_whitespace)
        {
            return Err(bad("enter only host[:port][/database]; the user name and password have their own fields"));
        }
        let (place, database) = match address.split_once('/') {
            Some((p, d)) if !d.is_empty() && !d.contains('/') => (p, d),
            Some(_) => {
                return Err(bad(
                    "the database name after '/' is missing or has a '/' in it",
                ))
            }
            None => (address, DEFAULT_DATABASE),
        };
        let (host, port) = if let Some(rest) = place.strip_prefix('[') {
            let (host, after) = rest
                .split_once(']')
                .ok_or_else(|| bad("an IPv6 address needs its closing ']'"))?;
            match after {
                "" => (host, None),
                p => (
                    host,
                    Some(
                        p.strip_prefix(':')
                            .ok_or_else(|| bad("expected ':port' after ']'"))?,
                    ),
                ),
            }
        } else {
            match place.rsplit_once(':') {
                Some((h, p)) if !h.contains(':') => (h, Some(p)),
                Some(_) => return Err(bad("put an IPv6 address in brackets, e.g. [::1]:5432")),
                None => (place, None),
            }
        };
        if host.is_empty() {
            return Err(bad("the host name is missing"));
        }
        let port = match port {
            None => DEFAULT_PORT,
            Some(p) => match p.parse::<u16>() {
                Ok(n) if n > 0 => n,
                _ => return Err(bad("the port must be a number from 1 to 65535")),
            },
        };
        Ok(Server {
            host: host.to_string(),
            port,
            database: database.to_string(),
        })
    }

    /// Whether `host` is this machine (TLS is then optional; anywhere else it is required and
    /// the server's certificate is verified against the system's roots and its name).
    pub fn is_local(&self) -> bool {
        self.host == "localhost"
            || self.host.starts_with('/')
            || self
                .host
                .parse::<IpAddr>()
                .map(|ip| ip.is_loopback())
                .unwrap_or(false)
    }

    /// Connection options for `login`.
    pub fn options(&self, login: &str, password: &str) -> PgConnectOptions {
        let ssl = if self.is_local() {
            PgSslMode::Prefer
        } else {
            PgSslMode::VerifyFull
        };
        PgConnectOptions::new()
            .host(&self.host)
            .port(self.port)
            .database(&self.database)
            .username(login)
            .password(password)
            .ssl_mode(ssl)
            .application_name("pulsedesk")
    }
}

impl std::fmt::Display for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}/{}", self.host, self.port, self.database)
        } else {
            write!(f, "{}:{}/{}", self.host, self.port, self.database)
        }
    }
}

/// A login signed in to the shared database, and the member it acts as: a member's own
/// (reads under row-level security, submissions), or the team service's acting for one.
#[derive(Clone)]
pub struct Shared {
    pub(crate) pool: PgPool,
    pub(crate) actor: Actor,
    pub(crate) clock: Arc<dyn Clock>,
}

impl Shared {
    /// Connects as `login` and finds the member behind it.
    pub async fn connect(
        server: &Server,
        login: &str,
        password: &str,
        clock: Arc<dyn Clock>,
    ) -> Result<Shared, SharedError> {
        let pool = PgPoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(5))
            // No ping before every use (a round trip per command and per pull): a dropped
            // connection fails its statement instead, and the sync engine reconnects.
            .test_before_acquire(false)
            .connect_with(server.options(login, password))
            .await?;
        let me: (Option<i64>, Option<String>) = sqlx::query_as("SELECT pd_my_id(), pd_my_role()")
            .fetch_one(&pool)
            .await?;
        let (Some(id), Some(role)) = me else {
            // A login that is not an active member (disabled, or never added by an admin).
            pool.close().await;
            return Err(SharedError::BadLogin);
        };
        let role =
            Role::parse(&role).ok_or_else(|| SharedError::Corrupt(format!("role {role}")))?;
        Ok(Shared {
            pool,
            actor: Actor {
                id: UserId(id),
                role,
            },
            clock,
        })
    }

    /// The signed-in member.
    pub fn actor(&self) -> Actor {
        self.actor
    }

    /// The member's connection pool (reads run through row-level security).
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Closes the connections.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(s: &str) -> (String, u16, String) {
        let Ok(v) = Server::parse(s) else {
            panic!("{s} should parse");
        };
        (v.host, v.port, v.database)
    }

    #[test]
    fn addresses_as_people_type_them() {
        assert_eq!(
            parsed("db.example.com"),
            ("db.example.com".into(), 5432, "pulsedesk".into())
        );
        assert_eq!(parsed(" db:6543 "), ("db".into(), 6543, "pulsedesk".into()));
        assert_eq!(parsed("db/team_a"), ("db".into(), 5432, "team_a".into()));
        assert_eq!(
            parsed("10.0.0.5:5433/desk"),
            ("10.0.0.5".into(), 5433, "desk".into())
        );
        assert_eq!(parsed("[::1]:5439/x"), ("::1".into(), 5439, "x".into()));
        assert_eq!(parsed("[::1]"), ("::1".into(), 5432, "pulsedesk".into()));
    }

    #[test]
    fn round_trips_through_display() {
        for s in ["db:5432/pulsedesk", "[::1]:5439/x"] {
            assert_eq!(
                parsed(s),
                parsed(&Server::parse(s).map(|v| v.to_string()).unwrap_or_default())
            );
        }
    }

    #[test]
    fn bad_addresses_say_what_is_wrong() {
        for (s, says) in [
            ("", "enter the server"),
            ("postgres://u:p@db/x", "only host"),
            ("db:0", "port"),
            ("db:99999", "port"),
            ("db:abc", "port"),
            (":5432", "host name"),
            ("db/", "database name"),
            ("::1", "brackets"),
            ("[::1", "closing"),
            ("a b", "only host"),
        ] {
            match Server::parse(s) {
                Err(e) => {
                    assert_eq!(e.code(), "invalid_input", "{s}");
                    assert!(e.to_string().contains(says), "{s}: {e}");
                }
                Ok(v) => panic!("{s} parsed as {v}"),
            }
        }
    }

    #[test]
    fn only_this_machine_is_local() {
        for (s, local) in [
            ("localhost", true),
            ("127.0.0.1", true),
            ("[::1]", true),
            ("db.example.com", false),
            ("10.0.0.5", false),
        ] {
            assert_eq!(
                Server::parse(s).map(|v| v.is_local()).ok(),
                Some(local),
                "{s}"
            );
        }
    }
}
