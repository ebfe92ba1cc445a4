//! The pool (待处理工单池) and "My tickets": filtered, searched, ordered urgent → low then oldest.

use crate::rows::{count, decode};
use crate::time::from_ms;
use crate::{StoreError, Workspace};
use pulsedesk_core::ids::{TicketId, UserId};
use pulsedesk_core::kinds::{Channel, Priority, Stage, Tier};
use pulsedesk_core::permissions::{Action, Actor};
use pulsedesk_core::pii::mask_name;
use pulsedesk_core::ticket::TicketNumber;
use pulsedesk_core::view::{AssigneeFilter, PoolPage, PoolQuery, PoolRow};
use sqlx::{QueryBuilder, Sqlite};

/// Most rows one page may hold.
pub const MAX_PAGE: u32 = 1000;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    number: String,
    subject: String,
    stage: String,
    priority: String,
    channel: String,
    tier: String,
    type_name: String,
    customer_name: String,
    assignee_id: Option<i64>,
    assignee_name: Option<String>,
    round: i64,
    created_at: i64,
    updated_at: i64,
}

impl Row {
    fn into_view(self) -> Result<PoolRow, StoreError> {
        Ok(PoolRow {
            id: TicketId(self.id),
            number: self.number,
            subject: self.subject,
            stage: decode(Stage::parse, &self.stage, "stage")?,
            priority: decode(Priority::parse, &self.priority, "priority")?,
            channel: decode(Channel::parse, &self.channel, "channel")?,
            tier: decode(Tier::parse, &self.tier, "tier")?,
            type_name: self.type_name,
            customer_name: mask_name(&self.customer_name),
            assignee_id: self.assignee_id.map(UserId),
            assignee_name: self.assignee_name,
            round: count(self.round),
            created_at: from_ms(self.created_at)?,
            updated_at: from_ms(self.updated_at)?,
        })
    }
}

const SELECT: &str = "SELECT t.id, t.number, t.subject, t.stage, t.priority, t.channel, t.tier,
        tt.name AS type_name, c.name AS customer_name, t.assignee_id, u.name AS assignee_name,
        t.round, t.created_at, t.updated_at
    FROM tickets t
    JOIN ticket_types tt ON tt.id = t.type_id
    JOIN customers c ON c.id = t.customer_id
    LEFT JOIN users u ON u.id = t.assignee_id";

/// Escapes `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`.
fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Appends the WHERE clause of `q` as seen by `actor`.
fn push_filters(
    b: &mut QueryBuilder<'_, Sqlite>,
    actor: &Actor,
    q: &PoolQuery,
) -> Result<(), StoreError> {
    b.push(" WHERE 1 = 1");
    let team = actor.may(Action::ViewTeam);
    if !team {
        // Agents see the pool and their own tickets, whatever they ask for.
        b.push(" AND (t.assignee_id IS NULL OR t.assignee_id = ")
            .push_bind(actor.id.0)
            .push(")");
    }
    match q.assignee {
        None => {}
        Some(AssigneeFilter::Me) => {
            b.push(" AND t.assignee_id = ").push_bind(actor.id.0);
        }
        Some(AssigneeFilter::Nobody) => {
            b.push(" AND t.assignee_id IS NULL");
        }
        Some(AssigneeFilter::User(u)) => {
            if u != actor.id {
                actor.authorize(Action::ViewTeam)?;
            }
            b.push(" AND t.assignee_id = ").push_bind(u.0);
        }
    }
    if let Some(s) = q.stage {
        b.push(" AND t.stage = ").push_bind(s.as_str());
    }
    if q.open_only {
        b.push(" AND t.stage <> 'done'");
    }
    if let Some(t) = q.type_id {
        b.push(" AND t.type_id = ").push_bind(t.0);
    }
    if let Some(p) = q.priority {
        b.push(" AND t.priority_rank = ").push_bind(p.rank());
    }
    if let Some(c) = q.channel {
        b.push(" AND t.channel = ").push_bind(c.as_str());
    }
    if let Some(t) = q.tier {
        b.push(" AND t.tier = ").push_bind(t.as_str());
    }
    let search = q.search.as_deref().map(str::trim).unwrap_or("");
    if !search.is_empty() {
        let upper = search.to_ascii_uppercase();
        if upper.starts_with("CS")
            && upper.len() >= 4
            && upper[2..].bytes().all(|c| c.is_ascii_digit())
        {
            // A number (or its prefix): a range scan over the unique index.
            if let Some(n) = TicketNumber::parse(&upper) {
                b.push(" AND t.number = ").push_bind(n.to_string());
            } else {
                b.push(" AND t.number >= ").push_bind(upper.clone());
                b.push(" AND t.number < ")
                    .push_bind(format!("{upper}\u{7f}"));
            }
        } else {
            let like = format!("%{}%", like_escape(search));
            b.push(" AND (t.subject LIKE ")
                .push_bind(like.clone())
                .push(" ESCAPE '\\'");
            b.push(" OR c.name LIKE ")
                .push_bind(like.clone())
                .push(" ESCAPE '\\'");
            b.push(" OR t.number LIKE ")
                .push_bind(like)
                .push(" ESCAPE '\\')");
        }
    }
    Ok(())
}

impl Workspace {
    /// One window of the pool as `actor` may see it, and the total that matches.
    pub async fn list_pool(&self, actor: &Actor, q: &PoolQuery) -> Result<PoolPage, StoreError> {
        actor.authorize(Action::ViewPool)?;
        let limit = q.limit.clamp(1, MAX_PAGE);

        let mut count_q = QueryBuilder::<Sqlite>::new(
            "SELECT COUNT(*) FROM tickets t JOIN customers c ON c.id = t.customer_id",
        );
        push_filters(&mut count_q, actor, q)?;
        let (total,): (i64,) = count_q.build_query_as().fetch_one(&self.pool).await?;

        let mut rows_q = QueryBuilder::<Sqlite>::new(SELECT);
        push_filters(&mut rows_q, actor, q)?;
        rows_q
            .push(" ORDER BY t.priority_rank, t.created_at, t.id LIMIT ")
            .push_bind(i64::from(limit))
            .push(" OFFSET ")
            .push_bind(i64::from(q.offset));
        let rows: Vec<Row> = rows_q.build_query_as().fetch_all(&self.pool).await?;
        Ok(PoolPage {
            total: count(total),
            offset: q.offset,
            rows: rows
                .into_iter()
                .map(Row::into_view)
                .collect::<Result<_, _>>()?,
        })
    }

    /// One ticket's pool row (no permission check: callers have checked).
    pub(crate) async fn pool_row(&self, id: TicketId) -> Result<PoolRow, StoreError> {
        let row: Row = sqlx::query_as(&format!("{SELECT} WHERE t.id = ?"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("ticket"))?;
        row.into_view()
    }
}

#[cfg(test)]
mod tests {
    use super::like_escape;

    #[test]
    fn like_patterns_are_escaped() {
        assert_eq!(like_escape("50%_off\\"), "50\\%\\_off\\\\");
    }
}
