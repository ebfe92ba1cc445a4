//! Configuration an admin edits, and the catalog every member's forms read.

use crate::rows::{count, decode};
use crate::{StoreError, Workspace};
use pulsedesk_core::config::{
    Member, MemberInput, SlaTarget, TicketType, TicketTypeInput, WorkspaceConfig,
};
use pulsedesk_core::ids::{TicketTypeId, UserId};
use pulsedesk_core::kinds::{Priority, Role};
use pulsedesk_core::permissions::{Action, Actor};
use pulsedesk_core::reason::Reason;
use pulsedesk_core::validate;
use pulsedesk_core::view::{Account, Catalog};
use pulsedesk_core::DomainError;
use sqlx::SqliteConnection;

async fn ticket_types(
    conn: &mut SqliteConnection,
    active_only: bool,
) -> Result<Vec<TicketType>, StoreError> {
    let sql = if active_only {
        "SELECT id, name, template, active FROM ticket_types WHERE active = 1 ORDER BY id"
    } else {
        "SELECT id, name, template, active FROM ticket_types ORDER BY id"
    };
    let rows: Vec<(i64, String, String, bool)> = sqlx::query_as(sql).fetch_all(conn).await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, template, active)| TicketType {
            id: TicketTypeId(id),
            name,
            template,
            active,
        })
        .collect())
}

pub(crate) async fn sla_targets(conn: &mut SqliteConnection) -> Result<Vec<SlaTarget>, StoreError> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT priority, first_response_minutes, resolution_minutes FROM sla_targets",
    )
    .fetch_all(conn)
    .await?;
    targets(rows)
}

/// The default targets from their rows (priority, first response and resolution minutes),
/// in priority order.
pub(crate) fn targets(rows: Vec<(String, i64, i64)>) -> Result<Vec<SlaTarget>, StoreError> {
    let mut out = rows
        .into_iter()
        .map(|(p, fr, res)| {
            Ok(SlaTarget {
                priority: decode(Priority::parse, &p, "priority")?,
                first_response_minutes: count(fr),
                resolution_minutes: count(res),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    out.sort_by_key(|t| t.priority.rank());
    Ok(out)
}

async fn members(conn: &mut SqliteConnection) -> Result<Vec<Member>, StoreError> {
    let rows: Vec<(i64, String, String, i64, bool, Option<String>)> = sqlx::query_as(
        "SELECT u.id, u.name, u.role, u.cap, u.active,
                (SELECT group_concat(s.name, char(31)) FROM user_skills us JOIN skills s ON s.id = us.skill_id
                 WHERE us.user_id = u.id)
         FROM users u ORDER BY u.id",
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(id, name, role, cap, active, skills)| {
            let mut skills: Vec<String> = skills
                .map(|s| s.split('\u{1f}').map(str::to_string).collect())
                .unwrap_or_default();
            skills.sort();
            Ok(Member {
                id: UserId(id),
                name,
                role: decode(Role::parse, &role, "role")?,
                skills,
                cap: count(cap),
                active,
            })
        })
        .collect()
}

/// Makes sure every skill exists; returns their ids.
async fn ensure_skills(
    conn: &mut SqliteConnection,
    names: &[String],
) -> Result<Vec<i64>, StoreError> {
    let mut ids = Vec::with_capacity(names.len());
    for name in names {
        let name = name.trim();
        sqlx::query("INSERT INTO skills (name) VALUES (?) ON CONFLICT DO NOTHING")
            .bind(name)
            .execute(&mut *conn)
            .await?;
        let (id,): (i64,) = sqlx::query_as("SELECT id FROM skills WHERE name = ? COLLATE NOCASE")
            .bind(name)
            .fetch_one(&mut *conn)
            .await?;
        ids.push(id);
    }
    Ok(ids)
}

impl Workspace {
    /// Everything the admin screen edits.
    pub async fn config(&self, actor: &Actor) -> Result<WorkspaceConfig, StoreError> {
        actor.authorize(Action::Configure)?;
        let mut conn = self.pool.acquire().await?;
        let skills: Vec<(String,)> = sqlx::query_as("SELECT name FROM skills ORDER BY name")
            .fetch_all(&mut *conn)
            .await?;
        Ok(WorkspaceConfig {
            ticket_types: ticket_types(&mut conn, false).await?,
            sla_targets: sla_targets(&mut conn).await?,
            members: members(&mut conn).await?,
            skills: skills.into_iter().map(|s| s.0).collect(),
        })
    }

    /// Active ticket types and possible assignees, for forms and filters.
    pub async fn catalog(&self, actor: &Actor) -> Result<Catalog, StoreError> {
        actor.authorize(Action::ViewPool)?;
        let mut conn = self.pool.acquire().await?;
        let people: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, name, role FROM users WHERE active = 1 AND role <> 'admin' ORDER BY role, id",
        )
        .fetch_all(&mut *conn)
        .await?;
        Ok(Catalog {
            ticket_types: ticket_types(&mut conn, true).await?,
            assignees: people
                .into_iter()
                .map(|(id, name, role)| {
                    Ok(Account {
                        id: UserId(id),
                        name,
                        role: decode(Role::parse, &role, "role")?,
                    })
                })
                .collect::<Result<_, StoreError>>()?,
        })
    }

    /// Creates or edits a ticket type.
    pub async fn save_ticket_type(
        &self,
        actor: &Actor,
        input: &TicketTypeInput,
    ) -> Result<TicketType, StoreError> {
        self.local_only(pulsedesk_core::reason::Feature::Setup)?;
        actor.authorize(Action::Configure)?;
        validate::ticket_type(input)?;
        let dup = |e| StoreError::unique(e, "name");
        let id = match input.id {
            Some(id) => {
                let done = sqlx::query(
                    "UPDATE ticket_types SET name = ?, template = ?, active = ? WHERE id = ?",
                )
                .bind(input.name.trim())
                .bind(&input.template)
                .bind(input.active)
                .bind(id.0)
                .execute(&self.writer)
                .await
                .map_err(dup)?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound("ticket type"));
                }
                id
            }
            None => {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO ticket_types (name, template, active) VALUES (?, ?, ?) RETURNING id",
                )
                .bind(input.name.trim())
                .bind(&input.template)
                .bind(input.active)
                .fetch_one(&self.pool)
                .await
                .map_err(dup)?;
                TicketTypeId(id)
            }
        };
        Ok(TicketType {
            id,
            name: input.name.trim().to_string(),
            template: input.template.clone(),
            active: input.active,
        })
    }

    /// Replaces the SLA targets of the given priorities; all are checked before any is saved.
    pub async fn save_sla_targets(
        &self,
        actor: &Actor,
        targets: &[SlaTarget],
    ) -> Result<(), StoreError> {
        self.local_only(pulsedesk_core::reason::Feature::Setup)?;
        actor.authorize(Action::Configure)?;
        for t in targets {
            validate::sla_target(t)?;
        }
        let mut tx = self.begin_write().await?;
        for t in targets {
            sqlx::query(
                "INSERT INTO sla_targets (priority, first_response_minutes, resolution_minutes) VALUES (?, ?, ?)
                 ON CONFLICT (priority) DO UPDATE SET first_response_minutes = excluded.first_response_minutes,
                     resolution_minutes = excluded.resolution_minutes",
            )
            .bind(t.priority.as_str())
            .bind(i64::from(t.first_response_minutes))
            .bind(i64::from(t.resolution_minutes))
            .execute(&mut *tx)
            .await?;
        }
        self.retarget_open(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates or edits a member with their skills and cap. The last active admin cannot be
    /// demoted or switched off.
    pub async fn save_member(
        &self,
        actor: &Actor,
        input: &MemberInput,
    ) -> Result<Member, StoreError> {
        self.local_only(pulsedesk_core::reason::Feature::Setup)?;
        actor.authorize(Action::Configure)?;
        validate::member(input)?;
        let mut tx = self.begin_write().await?;
        let dup = |e| StoreError::unique(e, "name");
        let id = match input.id {
            Some(id) => {
                let (other_admins,): (i64,) = sqlx::query_as(
                    "SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = 1 AND id <> ?",
                )
                .bind(id.0)
                .fetch_one(&mut *tx)
                .await?;
                if other_admins == 0 && (input.role != Role::Admin || !input.active) {
                    return Err(DomainError::invalid("role", Reason::LastAdmin).into());
                }
                let done = sqlx::query(
                    "UPDATE users SET name = ?, role = ?, cap = ?, active = ? WHERE id = ?",
                )
                .bind(input.name.trim())
                .bind(input.role.as_str())
                .bind(i64::from(input.cap))
                .bind(input.active)
                .bind(id.0)
                .execute(&mut *tx)
                .await
                .map_err(dup)?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound("member"));
                }
                id
            }
            None => {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO users (name, role, cap, active) VALUES (?, ?, ?, ?) RETURNING id",
                )
                .bind(input.name.trim())
                .bind(input.role.as_str())
                .bind(i64::from(input.cap))
                .bind(input.active)
                .fetch_one(&mut *tx)
                .await
                .map_err(dup)?;
                UserId(id)
            }
        };
        let skill_ids = ensure_skills(&mut tx, &input.skills).await?;
        sqlx::query("DELETE FROM user_skills WHERE user_id = ?")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        for sid in skill_ids {
            sqlx::query("INSERT OR IGNORE INTO user_skills (user_id, skill_id) VALUES (?, ?)")
                .bind(id.0)
                .bind(sid)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        let mut skills: Vec<String> = input.skills.iter().map(|s| s.trim().to_string()).collect();
        skills.sort();
        skills.dedup();
        Ok(Member {
            id,
            name: input.name.trim().to_string(),
            role: input.role,
            skills,
            cap: input.cap,
            active: input.active,
        })
    }

    /// Adds a skill tag members can be given.
    pub async fn add_skill(&self, actor: &Actor, name: &str) -> Result<(), StoreError> {
        self.local_only(pulsedesk_core::reason::Feature::Setup)?;
        actor.authorize(Action::Configure)?;
        validate::skill(name)?;
        sqlx::query("INSERT INTO skills (name) VALUES (?)")
            .bind(name.trim())
            .execute(&self.writer)
            .await
            .map_err(|e| StoreError::unique(e, "skills"))?;
        Ok(())
    }
}
