//! The team as the assigner sees it: active agents with skills, effective presence and load.

use crate::rows::{count, decode};
use crate::time::{from_ms, from_opt_ms};
use crate::StoreError;
use chrono::{DateTime, Utc};
use pulsedesk_core::assign::presence::effective;
use pulsedesk_core::assign::Candidate;
use pulsedesk_core::ids::UserId;
use pulsedesk_core::kinds::Presence;
use sqlx::SqliteConnection;

type TeamRow = (
    i64,
    String,
    i64,
    String,
    i64,
    Option<i64>,
    i64,
    Option<String>,
);

/// Every active agent, in member order. One query; loads come from the open-ticket index.
pub(crate) async fn load_team(
    conn: &mut SqliteConnection,
    now: DateTime<Utc>,
) -> Result<Vec<Candidate>, StoreError> {
    let rows: Vec<TeamRow> = sqlx::query_as(
        "SELECT u.id, u.name, u.cap, u.presence, u.presence_seen_at, u.last_assigned_at,
                (SELECT COUNT(*) FROM tickets t WHERE t.assignee_id = u.id AND t.stage <> 'done'),
                (SELECT group_concat(s.name, char(31)) FROM user_skills us
                   JOIN skills s ON s.id = us.skill_id WHERE us.user_id = u.id)
         FROM users u WHERE u.active = 1 AND u.role = 'agent' ORDER BY u.id",
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(id, name, cap, presence, seen, last, load, skills)| {
            let stored = decode(Presence::parse, &presence, "presence")?;
            Ok(Candidate {
                id: UserId(id),
                name,
                skills: skills
                    .map(|s| s.split('\u{1f}').map(str::to_string).collect())
                    .unwrap_or_default(),
                presence: effective(stored, from_ms(seen)?, now),
                load: count(load),
                cap: count(cap),
                last_assigned_at: from_opt_ms(last)?,
            })
        })
        .collect()
}
