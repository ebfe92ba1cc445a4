//! The follow-up ticket (客户反馈跟进工单): logged for the customer, linked to the ticket
//! they rated, assigned to a supervisor, with its own 24-hour SLA.

use crate::rows::{count, decode, to_json};
use crate::time::to_ms;
use crate::StoreError;
use chrono::{DateTime, NaiveDate, Utc};
use pulsedesk_core::feedback::follow_up_owner;
use pulsedesk_core::ids::{TicketId, TicketTypeId, UserId};
use pulsedesk_core::kinds::{Channel, Priority, Stage, Tier};
use pulsedesk_core::sla::setup::PolicyInput;
use pulsedesk_core::ticket::EventKind;
use sqlx::SqliteConnection;

const TYPE_KEY: &str = "feedback.follow_up_type";
const TYPE_NAME: &str = "客户回访";
const TYPE_TEMPLATE: &str = "24 小时内联系客户 / Contact the customer within 24 hours:\n1. 确认反馈的问题 Confirm what went wrong\n2. 说明处理与改进 Explain the fix and what changes\n3. 记录客户意见 Note what the customer says";
const POLICY_NAME: &str = "客户回访 24 小时";
/// A follow-up must reach the customer within a day.
pub const FOLLOW_UP_MINUTES: u32 = 24 * 60;

/// The follow-up ticket type, created with its 24-hour SLA policy (first of all policies)
/// the first time it is needed. Admins may edit both afterwards like any other.
async fn follow_up_type(conn: &mut SqliteConnection) -> Result<TicketTypeId, StoreError> {
    let known: Option<(i64,)> = sqlx::query_as(
        "SELECT t.id FROM settings s JOIN ticket_types t ON t.id = CAST(s.value AS INTEGER) WHERE s.key = ?",
    )
    .bind(TYPE_KEY)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((id,)) = known {
        return Ok(TicketTypeId(id));
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO ticket_types (name, template) VALUES (?, ?)
         ON CONFLICT DO UPDATE SET name = name RETURNING id",
    )
    .bind(TYPE_NAME)
    .bind(TYPE_TEMPLATE)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(TYPE_KEY)
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    let policy = PolicyInput {
        name: POLICY_NAME.into(),
        priorities: vec![],
        type_ids: vec![TicketTypeId(id)],
        tiers: vec![],
        first_response_minutes: FOLLOW_UP_MINUTES,
        resolution_minutes: FOLLOW_UP_MINUTES,
        near_percent: 80,
        pause_awaiting_reply: false,
        calendar_id: None,
    };
    sqlx::query(
        "INSERT INTO sla_policies (position, name, spec)
         SELECT COALESCE(MIN(position), 1) - 1, ?, ? FROM sla_policies WHERE true
         ON CONFLICT DO NOTHING",
    )
    .bind(POLICY_NAME)
    .bind(to_json(&policy))
    .execute(&mut *conn)
    .await?;
    Ok(TicketTypeId(id))
}

/// The supervisor who takes the next follow-up, if the team has one.
async fn owner(conn: &mut SqliteConnection) -> Result<Option<UserId>, StoreError> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT u.id, (SELECT COUNT(*) FROM tickets t
                       WHERE t.assignee_id = u.id AND t.follows_ticket_id IS NOT NULL AND t.stage <> 'done')
         FROM users u WHERE u.role = 'supervisor' AND u.active = 1",
    )
    .fetch_all(conn)
    .await?;
    let loads: Vec<(UserId, u32)> = rows
        .into_iter()
        .map(|(id, open)| (UserId(id), count(open)))
        .collect();
    Ok(follow_up_owner(&loads))
}

/// Logs the follow-up of `original` at `at` and assigns it. Returns the new ticket and its
/// owner (none when the team has no active supervisor: it then waits in the pool).
pub(crate) async fn open(
    conn: &mut SqliteConnection,
    original: TicketId,
    comment: &str,
    day: NaiveDate,
    at: DateTime<Utc>,
) -> Result<(TicketId, Option<UserId>), StoreError> {
    let type_id = follow_up_type(&mut *conn).await?;
    let (number, customer, tier, subject, customer_name): (String, i64, String, String, String) =
        sqlx::query_as(
            "SELECT t.number, t.customer_id, t.tier, t.subject, c.name
             FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.id = ?",
        )
        .bind(original.0)
        .fetch_one(&mut *conn)
        .await?;
    let tier = decode(Tier::parse, &tier, "tier")?;
    let new_number = super::super::tickets::next_number(&mut *conn, day)
        .await?
        .to_string();
    let subject = format!("回访 {number}：{subject}");
    let description = comment.trim().to_string();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO tickets (number, channel, type_id, customer_id, tier, priority, priority_rank,
             subject, description, stage, created_at, updated_at, follows_ticket_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&new_number)
    .bind(Channel::Phone.as_str())
    .bind(type_id.0)
    .bind(customer)
    .bind(tier.as_str())
    .bind(Priority::High.as_str())
    .bind(Priority::High.rank())
    .bind(&subject)
    .bind(&description)
    .bind(Stage::Unassigned.as_str())
    .bind(to_ms(at))
    .bind(to_ms(at))
    .bind(original.0)
    .fetch_one(&mut *conn)
    .await?;
    let ticket = TicketId(id);
    let created = EventKind::Created {
        channel: Channel::Phone,
        priority: Priority::High,
        tier,
    };
    super::super::tickets::append_event(&mut *conn, ticket, at, None, &created).await?;
    crate::search_index::index_ticket(&mut *conn, id, &new_number, &subject, &customer_name)
        .await?;
    let owner = owner(&mut *conn).await?;
    if let Some(to) = owner {
        let row = super::super::tickets::load_state(&mut *conn, ticket).await?;
        let events = [
            EventKind::Assigned {
                from: None,
                to,
                why: None,
            },
            EventKind::StageChanged {
                from: Stage::Unassigned,
                to: Stage::ToContact,
                outcome: None,
            },
        ];
        super::super::tickets::commit_events(&mut *conn, &row, None, at, &events).await?;
    } else {
        super::super::tickets::refresh_clocks(&mut *conn, ticket, at).await?;
    }
    tracing::info!(follow_up = id, original = original.0, owner = ?owner.map(|o| o.0), "follow-up ticket opened");
    Ok((ticket, owner))
}

impl crate::Workspace {
    /// Follow-ups assigned to `actor` that they have not been told about; each is told once.
    pub async fn take_follow_up_news(
        &self,
        actor: &pulsedesk_core::permissions::Actor,
    ) -> Result<Vec<pulsedesk_core::feedback::FollowUpNews>, StoreError> {
        let now = self.clock.now();
        let mut tx = self.begin_write().await?;
        let rows: Vec<(i64, String, String, Option<i64>, String)> = sqlx::query_as(
            "UPDATE tickets SET follow_up_told_at = ?1
             WHERE assignee_id = ?2 AND follows_ticket_id IS NOT NULL AND follow_up_told_at IS NULL
               AND stage <> 'done'
             RETURNING id, number,
                 (SELECT o.number FROM tickets o WHERE o.id = tickets.follows_ticket_id),
                 (SELECT s.overall FROM surveys s WHERE s.follow_up_ticket_id = tickets.id),
                 description",
        )
        .bind(to_ms(now))
        .bind(actor.id.0)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .map(|(id, number, original, overall, comment)| {
                pulsedesk_core::feedback::FollowUpNews {
                    ticket_id: TicketId(id),
                    number,
                    original_number: original,
                    overall: overall
                        .and_then(|o| u32::try_from(o).ok())
                        .map(|o| pulsedesk_core::feedback::Tenths(o).to_string())
                        .unwrap_or_default(),
                    comment,
                }
            })
            .collect())
    }
}
