//! Transfer requests (转交申请): asked by the assignee, decided by a supervisor, withdrawn
//! by themselves when the ticket changes hands or finishes first.

use super::candidates::load_team;
use super::rules::load_rules;
use crate::rows::decode;
use crate::tickets::{check_capacity, commit_events, load_state};
use crate::time::{from_ms, from_opt_ms, to_ms};
use crate::{StoreError, Workspace};
use chrono::{DateTime, Utc};
use pulsedesk_core::assign::transfer::{
    check_decision, check_request, TransferDecision, TransferView,
};
use pulsedesk_core::assign::{decide, Decision};
use pulsedesk_core::ids::{TicketId, TicketTypeId, TransferId, UserId};
use pulsedesk_core::kinds::{Priority, Stage, Tier, TransferStatus};
use pulsedesk_core::permissions::{Action, Actor};
use pulsedesk_core::sla::ClockKind;
use pulsedesk_core::ticket::EventKind;
use pulsedesk_core::view::SlaBadge;
use sqlx::SqliteConnection;

/// Marks the ticket's pending request withdrawn (it was reassigned or finished meanwhile).
pub(crate) async fn withdraw_pending(
    conn: &mut SqliteConnection,
    ticket: TicketId,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE transfer_requests SET status = 'withdrawn', decided_at = ?
         WHERE ticket_id = ? AND status = 'pending'",
    )
    .bind(to_ms(at))
    .bind(ticket.0)
    .execute(conn)
    .await?;
    Ok(())
}

const VIEW: &str = "SELECT r.id, r.ticket_id, t.number, t.subject, t.priority, t.stage,
        r.requester_id, q.name AS requester, r.reason, r.status, r.created_at, r.decided_at,
        d.name AS decider, r.note, n.name AS to_name, t.sla_kind, t.sla_near_at, t.sla_due_at, t.sla_paused
    FROM transfer_requests r
    JOIN tickets t ON t.id = r.ticket_id
    JOIN users q ON q.id = r.requester_id
    LEFT JOIN users d ON d.id = r.decider_id
    LEFT JOIN users n ON n.id = r.to_id";

#[derive(sqlx::FromRow)]
struct ViewRow {
    id: i64,
    ticket_id: i64,
    number: String,
    subject: String,
    priority: String,
    stage: String,
    requester_id: i64,
    requester: String,
    reason: String,
    status: String,
    created_at: i64,
    decided_at: Option<i64>,
    decider: Option<String>,
    note: String,
    to_name: Option<String>,
    sla_kind: Option<String>,
    sla_near_at: Option<i64>,
    sla_due_at: Option<i64>,
    sla_paused: bool,
}

impl ViewRow {
    fn into_view(self) -> Result<TransferView, StoreError> {
        let stage = decode(Stage::parse, &self.stage, "stage")?;
        let sla = match (&self.sla_kind, stage) {
            (Some(kind), s) if s != Stage::Done => Some(SlaBadge {
                kind: decode(ClockKind::parse, kind, "SLA clock")?,
                near_at: from_opt_ms(self.sla_near_at)?,
                due_at: from_opt_ms(self.sla_due_at)?,
                paused: self.sla_paused,
            }),
            _ => None,
        };
        Ok(TransferView {
            id: TransferId(self.id),
            ticket_id: TicketId(self.ticket_id),
            number: self.number,
            subject: self.subject,
            priority: decode(Priority::parse, &self.priority, "priority")?,
            stage,
            requester_id: UserId(self.requester_id),
            requester: self.requester,
            reason: self.reason,
            status: decode(TransferStatus::parse, &self.status, "transfer status")?,
            created_at: from_ms(self.created_at)?,
            decided_at: from_opt_ms(self.decided_at)?,
            decider: self.decider,
            note: self.note,
            to: self.to_name,
            sla,
        })
    }
}

async fn views(
    conn: &mut SqliteConnection,
    filter: &str,
    bind: i64,
) -> Result<Vec<TransferView>, StoreError> {
    let rows: Vec<ViewRow> = sqlx::query_as(&format!("{VIEW} WHERE {filter}"))
        .bind(bind)
        .fetch_all(conn)
        .await?;
    rows.into_iter().map(ViewRow::into_view).collect()
}

impl Workspace {
    /// The assignee asks a supervisor to hand the ticket to someone else.
    pub async fn request_transfer(
        &self,
        actor: &Actor,
        ticket: TicketId,
        reason: &str,
    ) -> Result<TransferId, StoreError> {
        self.local_only(pulsedesk_core::reason::Feature::Transfers)?;
        let now = self.clock.now();
        let mut tx = self.begin_write().await?;
        let row = load_state(&mut tx, ticket).await?;
        let state = row.state()?;
        let (pending,): (bool,) = sqlx::query_as(
            "SELECT EXISTS (SELECT 1 FROM transfer_requests WHERE ticket_id = ? AND status = 'pending')",
        )
        .bind(ticket.0)
        .fetch_one(&mut *tx)
        .await?;
        let reason = check_request(actor, state.assignee, state.stage, pending, reason)?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO transfer_requests (ticket_id, requester_id, reason, created_at)
             VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(ticket.0)
        .bind(actor.id.0)
        .bind(&reason)
        .bind(to_ms(now))
        .fetch_one(&mut *tx)
        .await?;
        let event = EventKind::TransferRequested {
            request: TransferId(id),
            reason,
        };
        commit_events(&mut tx, &row, Some(actor.id), now, &[event]).await?;
        tx.commit().await?;
        Ok(TransferId(id))
    }

    /// A supervisor approves (the ticket moves to the chosen agent) or declines a request.
    pub async fn decide_transfer(
        &self,
        actor: &Actor,
        request: TransferId,
        decision: &TransferDecision,
    ) -> Result<(), StoreError> {
        self.local_only(pulsedesk_core::reason::Feature::Transfers)?;
        let now = self.clock.now();
        let mut tx = self.begin_write().await?;
        let found: Option<(i64, i64, String)> = sqlx::query_as(
            "SELECT ticket_id, requester_id, status FROM transfer_requests WHERE id = ?",
        )
        .bind(request.0)
        .fetch_optional(&mut *tx)
        .await?;
        let (ticket, requester, status) = found.ok_or(StoreError::NotFound("transfer request"))?;
        let status = decode(TransferStatus::parse, &status, "transfer status")?;
        let note = check_decision(actor, status, UserId(requester), decision)?;
        let row = load_state(&mut tx, TicketId(ticket)).await?;
        let state = row.state()?;
        let (status, to) = match decision {
            TransferDecision::Approve { to } => {
                check_capacity(&mut tx, *to).await?;
                (TransferStatus::Approved, Some(*to))
            }
            TransferDecision::Decline { .. } => (TransferStatus::Declined, None),
        };
        sqlx::query(
            "UPDATE transfer_requests SET status = ?, decided_at = ?, decider_id = ?, note = ?, to_id = ?
             WHERE id = ?",
        )
        .bind(status.as_str())
        .bind(to_ms(now))
        .bind(actor.id.0)
        .bind(&note)
        .bind(to.map(|u| u.0))
        .bind(request.0)
        .execute(&mut *tx)
        .await?;
        let mut events = vec![EventKind::TransferDecided {
            request,
            approved: to.is_some(),
            note,
        }];
        if let Some(to) = to {
            events.push(EventKind::Assigned {
                from: state.assignee,
                to,
                why: None,
            });
        }
        commit_events(&mut tx, &row, Some(actor.id), now, &events).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Supervisors: every pending request, oldest first. Agents: their own recent requests.
    pub async fn transfers(&self, actor: &Actor) -> Result<Vec<TransferView>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        if actor.may(Action::AssignTicket) {
            views(
                &mut conn,
                "r.status = 'pending' AND ?1 = ?1 ORDER BY r.id",
                0,
            )
            .await
        } else {
            views(
                &mut conn,
                "r.requester_id = ?1 ORDER BY r.id DESC LIMIT 50",
                actor.id.0,
            )
            .await
        }
    }

    /// The latest request on a ticket, for its view.
    pub(crate) async fn latest_transfer(
        &self,
        conn: &mut SqliteConnection,
        ticket: TicketId,
    ) -> Result<Option<TransferView>, StoreError> {
        let mut found = views(
            conn,
            "r.ticket_id = ?1 ORDER BY r.id DESC LIMIT 1",
            ticket.0,
        )
        .await?;
        Ok(found.pop())
    }

    /// Decisions on `actor`'s requests they have not been told about yet; marks them told.
    pub async fn take_transfer_news(&self, actor: &Actor) -> Result<Vec<TransferView>, StoreError> {
        let mut tx = self.begin_write().await?;
        let news = views(
            &mut tx,
            "r.requester_id = ?1 AND r.seen = 0 AND r.status IN ('approved', 'declined') ORDER BY r.id",
            actor.id.0,
        )
        .await?;
        sqlx::query(
            "UPDATE transfer_requests SET seen = 1 WHERE requester_id = ? AND seen = 0 AND status <> 'pending'",
        )
        .bind(actor.id.0)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(news)
    }

    /// Who a supervisor might hand the ticket to: the assigner's ranking without the requester.
    pub async fn transfer_suggestions(
        &self,
        actor: &Actor,
        request: TransferId,
    ) -> Result<Decision, StoreError> {
        actor.authorize(Action::AssignTicket)?;
        let mut conn = self.pool.acquire().await?;
        let found: Option<(i64, i64, String)> = sqlx::query_as(
            "SELECT r.requester_id, t.type_id, t.tier FROM transfer_requests r
             JOIN tickets t ON t.id = r.ticket_id WHERE r.id = ?",
        )
        .bind(request.0)
        .fetch_optional(&mut *conn)
        .await?;
        let (requester, type_id, tier) = found.ok_or(StoreError::NotFound("transfer request"))?;
        let rules = load_rules(&mut conn).await?;
        let mut team = load_team(&mut conn, self.clock.now()).await?;
        team.retain(|c| c.id != UserId(requester));
        let tier = decode(Tier::parse, &tier, "tier")?;
        Ok(decide(rules.need(TicketTypeId(type_id), tier), &team))
    }
}
