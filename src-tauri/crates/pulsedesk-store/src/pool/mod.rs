//! The pool (待处理工单池) and "My tickets": filtered, searched, ordered urgent → low then oldest.

use crate::rows::{count, decode};
use crate::time::{from_ms, from_opt_ms};
use crate::{StoreError, Workspace};
use pulsedesk_core::ids::{TicketId, UserId};
use pulsedesk_core::kinds::{Channel, Priority, Stage, Tier, WaitReason};
use pulsedesk_core::permissions::{Action, Actor};
use pulsedesk_core::pii::mask_name;
use pulsedesk_core::sla::notice::stale_window;
use pulsedesk_core::sla::ClockKind;
use pulsedesk_core::view::{PoolPage, PoolQuery, PoolRow, SlaBadge};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

mod filters;

use filters::push_query;

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
    sla_kind: Option<String>,
    sla_near_at: Option<i64>,
    sla_due_at: Option<i64>,
    sla_paused: bool,
    wait_reason: Option<String>,
}

impl Row {
    fn into_view(self, stale_minutes: u32) -> Result<PoolRow, StoreError> {
        let stage = decode(Stage::parse, &self.stage, "stage")?;
        let updated_at = from_ms(self.updated_at)?;
        let sla = match &self.sla_kind {
            Some(kind) => Some(SlaBadge {
                kind: decode(ClockKind::parse, kind, "SLA clock")?,
                near_at: from_opt_ms(self.sla_near_at)?,
                due_at: from_opt_ms(self.sla_due_at)?,
                paused: self.sla_paused,
            }),
            None => None,
        };
        let stale = stale_window(
            stage,
            updated_at,
            stale_minutes,
            sla.as_ref().filter(|b| !b.paused).and_then(|b| b.due_at),
        );
        Ok(PoolRow {
            id: TicketId(self.id),
            number: self.number,
            subject: self.subject,
            stage,
            priority: decode(Priority::parse, &self.priority, "priority")?,
            channel: decode(Channel::parse, &self.channel, "channel")?,
            tier: decode(Tier::parse, &self.tier, "tier")?,
            type_name: self.type_name,
            customer_name: mask_name(&self.customer_name),
            assignee_id: self.assignee_id.map(UserId),
            assignee_name: self.assignee_name,
            round: count(self.round),
            created_at: from_ms(self.created_at)?,
            updated_at,
            sla: if stage == Stage::Done { None } else { sla },
            stale_at: stale.map(|(from, _)| from),
            stale_until: stale.and_then(|(_, until)| until),
            waiting: self
                .wait_reason
                .as_deref()
                .map(|r| decode(WaitReason::parse, r, "wait reason"))
                .transpose()?,
        })
    }
}

const SELECT: &str = "SELECT t.id, t.number, t.subject, t.stage, t.priority, t.channel, t.tier,
        tt.name AS type_name, c.name AS customer_name, t.assignee_id, u.name AS assignee_name,
        t.round, t.created_at, t.updated_at, t.sla_kind, t.sla_near_at, t.sla_due_at, t.sla_paused,
        CASE WHEN t.stage = 'unassigned' AND t.waiting_since IS NOT NULL THEN t.wait_reason END AS wait_reason
    FROM tickets t
    JOIN ticket_types tt ON tt.id = t.type_id
    JOIN customers c ON c.id = t.customer_id
    LEFT JOIN users u ON u.id = t.assignee_id";

impl Workspace {
    /// One window of the pool as `actor` may see it, and the total that matches.
    pub async fn list_pool(&self, actor: &Actor, q: &PoolQuery) -> Result<PoolPage, StoreError> {
        actor.authorize(Action::ViewPool)?;
        let limit = q.limit.clamp(1, MAX_PAGE);
        if let Some(w) = q.window {
            if w.to <= w.from {
                return Err(pulsedesk_core::DomainError::invalid(
                    "window",
                    pulsedesk_core::reason::Reason::WindowBackwards,
                )
                .into());
            }
        }
        let now = self.clock.now();

        let mut count_q = QueryBuilder::<Sqlite>::new("");
        push_query(&mut count_q, "COUNT(*)", actor, q, now)?;

        // Find the page's ids first: with no search this walks only an index, however deep
        // the offset; then fetch the full rows for just those ids.
        let mut rows_q = QueryBuilder::<Sqlite>::new("WITH page AS (");
        push_query(
            &mut rows_q,
            "t.id, t.priority_rank, t.created_at",
            actor,
            q,
            now,
        )?;
        rows_q
            .push(" ORDER BY t.priority_rank, t.created_at, t.id LIMIT ")
            .push_bind(i64::from(limit))
            .push(" OFFSET ")
            .push_bind(i64::from(q.offset))
            .push(") ")
            .push(SELECT)
            .push(" JOIN page ON page.id = t.id ORDER BY page.priority_rank, page.created_at, page.id");
        // Two independent reads: run them side by side on two connections (WAL readers).
        let ((total,), rows, settings): ((i64,), Vec<Row>, _) = tokio::try_join!(
            async { Ok::<_, StoreError>(count_q.build_query_as().fetch_one(&self.pool).await?) },
            async { Ok::<_, StoreError>(rows_q.build_query_as().fetch_all(&self.pool).await?) },
            self.sla_settings(),
        )?;
        Ok(PoolPage {
            total: count(total),
            offset: q.offset,
            rows: rows
                .into_iter()
                .map(|r| r.into_view(settings.stale_minutes))
                .collect::<Result<_, _>>()?,
        })
    }

    /// One ticket's list row, if `actor` may see the ticket.
    pub async fn pool_row_for(&self, actor: &Actor, id: TicketId) -> Result<PoolRow, StoreError> {
        let row = self.pool_row(id).await?;
        actor.authorize(Action::ViewTicket {
            assignee: row.assignee_id,
        })?;
        Ok(row)
    }

    /// One ticket's pool row (no permission check: callers have checked).
    pub(crate) async fn pool_row(&self, id: TicketId) -> Result<PoolRow, StoreError> {
        let stale_minutes = self.sla_settings().await?.stale_minutes;
        let mut conn = self.pool.acquire().await?;
        pool_row_in(&mut conn, id, stale_minutes).await
    }
}

/// One ticket's pool row read on `conn` (inside the caller's transaction, if any).
pub(crate) async fn pool_row_in(
    conn: &mut SqliteConnection,
    id: TicketId,
    stale_minutes: u32,
) -> Result<PoolRow, StoreError> {
    let row: Row = sqlx::query_as(&format!("{SELECT} WHERE t.id = ?"))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("ticket"))?;
    row.into_view(stale_minutes)
}
