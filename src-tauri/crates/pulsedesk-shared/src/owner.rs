//! The schema owner's operations, for `pulsedesk-admin` only: create and upgrade the schema,
//! manage member logins. The app never connects as the owner.

use crate::{scram, SharedError, MIGRATOR};
use pulsedesk_core::kinds::Role;
use serde::Serialize;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::time::Duration;

/// The owner's connection.
pub struct Owner {
    pool: PgPool,
}

/// A new member.
#[derive(Debug, Clone)]
pub struct MemberInput {
    pub name: String,
    pub login: String,
    pub role: Role,
    pub password: String,
}

/// What `pulsedesk-admin status` prints.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Status {
    pub database: String,
    pub schema_version: i64,
    pub agents: i64,
    pub supervisors: i64,
    pub admins: i64,
    pub disabled: i64,
    pub tickets: i64,
    pub open_tickets: i64,
    pub changes: i64,
}

/// Login names: lower-case letters, digits and `_`, starting with a letter, at most 63
/// bytes (PostgreSQL's identifier limit) and not PostgreSQL's reserved `pg_` prefix.
fn check_login(login: &str) -> Result<(), SharedError> {
    let ok = login.len() <= 63
        && login.starts_with(|c: char| c.is_ascii_lowercase())
        && login
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !login.starts_with("pg_");
    if ok {
        Ok(())
    } else {
        Err(SharedError::invalid(
            "login",
            "use 1–63 lower-case letters, digits or _, starting with a letter (not pg_)",
        ))
    }
}

fn check_password(password: &str) -> Result<(), SharedError> {
    if password.chars().count() < 10 {
        return Err(SharedError::invalid(
            "password",
            "use at least 10 characters",
        ));
    }
    Ok(())
}

/// A login as a quoted identifier (already checked by [`check_login`]).
fn ident(login: &str) -> String {
    format!("\"{login}\"")
}

impl Owner {
    /// Connects as the owner (or a superuser).
    pub async fn connect(options: PgConnectOptions) -> Result<Owner, SharedError> {
        let pool = PgPoolOptions::new()
            .max_connections(2)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(Owner { pool })
    }

    /// The owner's pool (for tests and the CLI's status).
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Creates or upgrades the schema, its security and the members' group role.
    pub async fn migrate(&self) -> Result<(), SharedError> {
        MIGRATOR.run(&self.pool).await?;
        Ok(())
    }

    /// Adds a member with their own login. The password reaches the server only as a SCRAM
    /// verifier.
    pub async fn add_member(&self, m: &MemberInput) -> Result<i64, SharedError> {
        check_login(&m.login)?;
        check_password(&m.password)?;
        let name = m.name.trim();
        if name.is_empty() || name.chars().count() > 50 {
            return Err(SharedError::invalid("name", "use 1–50 characters"));
        }
        let mut tx = self.pool.begin().await?;
        let (group,): (String,) = sqlx::query_as("SELECT pd_members_role()")
            .fetch_one(&mut *tx)
            .await?;
        let exists: Option<(i32,)> = sqlx::query_as("SELECT 1 FROM pg_roles WHERE rolname = $1")
            .bind(&m.login)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            return Err(SharedError::invalid(
                "login",
                "that login already exists on this server",
            ));
        }
        // The verifier is base64 and separators only: safe inside the quoted literal.
        sqlx::query(&format!(
            "CREATE ROLE {} LOGIN PASSWORD '{}' IN ROLE \"{}\"",
            ident(&m.login),
            scram::verifier(&m.password),
            group.replace('"', "")
        ))
        .execute(&mut *tx)
        .await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO users (name, login, role) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(name)
        .bind(&m.login)
        .bind(m.role.as_str())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.code().as_deref() == Some("23505") => {
                SharedError::invalid("name", "another member has that name")
            }
            _ => e.into(),
        })?;
        tx.commit().await?;
        Ok(id)
    }

    /// Makes an admin member's login the team service's (migration 0014): it then applies
    /// every member's submitted commands. An admin, so that it takes no tickets.
    pub async fn make_service(&self, login: &str) -> Result<(), SharedError> {
        check_login(login)?;
        let mut tx = self.pool.begin().await?;
        self.member_exists(&mut tx, login).await?;
        let (role,): (String,) = sqlx::query_as("SELECT role FROM users WHERE login = $1")
            .bind(login)
            .fetch_one(&mut *tx)
            .await?;
        if role != Role::Admin.as_str() {
            return Err(SharedError::invalid(
                "login",
                "the service's login must be a member with the admin role (it takes no tickets)",
            ));
        }
        let (group,): (String,) = sqlx::query_as("SELECT pd_service_role()")
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query(&format!("GRANT {} TO {}", ident(&group), ident(login)))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Disables a member: their login stops working and their open sessions end at once.
    pub async fn disable(&self, login: &str) -> Result<(), SharedError> {
        check_login(login)?;
        let mut tx = self.pool.begin().await?;
        self.member_exists(&mut tx, login).await?;
        sqlx::query(&format!("ALTER ROLE {} NOLOGIN", ident(login)))
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE users SET active = false, presence = 'offline' WHERE login = $1")
            .bind(login)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1")
            .bind(login)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Lets a disabled member sign in again.
    pub async fn enable(&self, login: &str) -> Result<(), SharedError> {
        check_login(login)?;
        let mut tx = self.pool.begin().await?;
        self.member_exists(&mut tx, login).await?;
        sqlx::query(&format!("ALTER ROLE {} LOGIN", ident(login)))
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE users SET active = true WHERE login = $1")
            .bind(login)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes a member's role (their rights follow at their next statement).
    pub async fn set_role(&self, login: &str, role: Role) -> Result<(), SharedError> {
        check_login(login)?;
        let done = sqlx::query("UPDATE users SET role = $1 WHERE login = $2")
            .bind(role.as_str())
            .bind(login)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(SharedError::NotFound("member"));
        }
        Ok(())
    }

    /// Sets a new password (as a verifier).
    pub async fn reset_password(&self, login: &str, password: &str) -> Result<(), SharedError> {
        check_login(login)?;
        check_password(password)?;
        let mut tx = self.pool.begin().await?;
        self.member_exists(&mut tx, login).await?;
        sqlx::query(&format!(
            "ALTER ROLE {} PASSWORD '{}'",
            ident(login),
            scram::verifier(password)
        ))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn member_exists(
        &self,
        tx: &mut sqlx::PgConnection,
        login: &str,
    ) -> Result<(), SharedError> {
        let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE login = $1")
            .bind(login)
            .fetch_optional(&mut *tx)
            .await?;
        found.map(|_| ()).ok_or(SharedError::NotFound("member"))
    }

    /// Counts for `pulsedesk-admin status`.
    pub async fn status(&self) -> Result<Status, SharedError> {
        let row: (String, i64, i64, i64, i64, i64, i64, i64, i64) = sqlx::query_as(
            "SELECT current_database(),
                    (SELECT coalesce(max(version), 0) FROM _sqlx_migrations WHERE success),
                    (SELECT count(*) FROM users WHERE role = 'agent' AND active),
                    (SELECT count(*) FROM users WHERE role = 'supervisor' AND active),
                    (SELECT count(*) FROM users WHERE role = 'admin' AND active),
                    (SELECT count(*) FROM users WHERE NOT active),
                    (SELECT count(*) FROM tickets),
                    (SELECT count(*) FROM tickets WHERE stage <> 'done'),
                    (SELECT count(*) FROM changes)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(Status {
            database: row.0,
            schema_version: row.1,
            agents: row.2,
            supervisors: row.3,
            admins: row.4,
            disabled: row.5,
            tickets: row.6,
            open_tickets: row.7,
            changes: row.8,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_plain_identifiers() {
        for ok in ["wang_fang", "emily2", "a"] {
            assert!(check_login(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "Wang",
            "1abc",
            "pg_admin",
            "a-b",
            "x\"; DROP",
            "王芳",
            &"a".repeat(64),
        ] {
            assert!(check_login(bad).is_err(), "{bad}");
        }
        assert!(check_password("short").is_err());
        assert!(check_password("long enough!").is_ok());
    }
}
