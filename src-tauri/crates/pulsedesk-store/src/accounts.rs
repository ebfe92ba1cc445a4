//! The members one can sign in as, and resolving a signed-in member to an actor.

use crate::rows::decode;
use crate::{StoreError, Workspace};
use pulsedesk_core::ids::UserId;
use pulsedesk_core::kinds::Role;
use pulsedesk_core::permissions::Actor;
use pulsedesk_core::view::Account;

impl Workspace {
    /// Active members, admins and supervisors first.
    pub async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, name, role FROM users WHERE active = 1
             ORDER BY CASE role WHEN 'admin' THEN 0 WHEN 'supervisor' THEN 1 ELSE 2 END, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, name, role)| {
                Ok(Account {
                    id: UserId(id),
                    name,
                    role: decode(Role::parse, &role, "role")?,
                })
            })
            .collect()
    }

    /// The actor for an active member; signing in as a disabled member is refused.
    pub async fn account(&self, id: UserId) -> Result<Account, StoreError> {
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT name, role FROM users WHERE id = ? AND active = 1")
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
        let (name, role) = row.ok_or(StoreError::NotFound("member"))?;
        Ok(Account {
            id,
            name,
            role: decode(Role::parse, &role, "role")?,
        })
    }

    /// Shorthand: the [`Actor`] of an active member.
    pub async fn actor(&self, id: UserId) -> Result<Actor, StoreError> {
        let a = self.account(id).await?;
        Ok(Actor {
            id: a.id,
            role: a.role,
        })
    }
}
