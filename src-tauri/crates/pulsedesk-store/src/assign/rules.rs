//! The admin's assignment rules (settings key `assign.rules`) and the "who would get it" preview.

use super::candidates::load_team;
use crate::rows::{json, to_json};
use crate::{StoreError, Workspace};
use pulsedesk_core::assign::{decide, AssignRules, Decision};
use pulsedesk_core::ids::TicketTypeId;
use pulsedesk_core::kinds::Tier;
use pulsedesk_core::permissions::{Action, Actor};
use sqlx::SqliteConnection;

const RULES_KEY: &str = "assign.rules";

pub(crate) async fn load_rules(conn: &mut SqliteConnection) -> Result<AssignRules, StoreError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT value FROM settings WHERE key = ?")
        .bind(RULES_KEY)
        .fetch_optional(conn)
        .await?;
    match row {
        Some((v,)) => json(&v, "assignment rules"),
        None => Ok(AssignRules::default()),
    }
}

impl Workspace {
    /// The assignment rules (any member: the idle timeout applies to everyone).
    pub async fn assign_rules(&self) -> Result<AssignRules, StoreError> {
        let mut conn = self.pool.acquire().await?;
        load_rules(&mut conn).await
    }

    /// Saves the assignment rules after checking them against the team's skills and types.
    pub async fn save_assign_rules(
        &self,
        actor: &Actor,
        rules: AssignRules,
    ) -> Result<AssignRules, StoreError> {
        self.local_only(pulsedesk_core::reason::Feature::AssignmentRules)?;
        actor.authorize(Action::Configure)?;
        let mut conn = self.pool.acquire().await?;
        let skills: Vec<(String,)> = sqlx::query_as("SELECT name FROM skills ORDER BY name")
            .fetch_all(&mut *conn)
            .await?;
        let types: Vec<(i64,)> = sqlx::query_as("SELECT id FROM ticket_types")
            .fetch_all(&mut *conn)
            .await?;
        let skills: Vec<String> = skills.into_iter().map(|s| s.0).collect();
        let types: Vec<TicketTypeId> = types.into_iter().map(|t| TicketTypeId(t.0)).collect();
        let rules = rules.validated(&skills, &types)?;
        drop(conn);
        self.set_setting(RULES_KEY, &to_json(&rules)).await?;
        Ok(rules)
    }

    /// Who would get a ticket of `type_id` from a `tier` customer right now, and why.
    pub async fn preview_assignment(
        &self,
        actor: &Actor,
        type_id: TicketTypeId,
        tier: Tier,
    ) -> Result<Decision, StoreError> {
        actor.authorize(Action::Configure)?;
        let mut conn = self.pool.acquire().await?;
        let rules = load_rules(&mut conn).await?;
        let team = load_team(&mut conn, self.clock.now()).await?;
        Ok(decide(rules.need(type_id, tier), &team))
    }
}
