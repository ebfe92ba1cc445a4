//! An embedded workspace read out whole, for moving it into a shared team database
//! (`pulsedesk-admin import-workspace`): its ticket types, every ticket as a tracking-table
//! row with full customer details, and every note.

use crate::rows::{decode, json};
use crate::time::{from_ms, from_opt_ms};
use crate::{StoreError, Workspace};
use pulsedesk_core::history::{HistoryRow, NoteRecord, TypeRecord, WorkspaceHistory};
use pulsedesk_core::kinds::{Channel, Department, NoteAudience, Outcome, Priority, Stage, Tier};
use pulsedesk_core::reason::Reason;

#[derive(sqlx::FromRow)]
struct TicketRow {
    number: String,
    created_at: i64,
    channel: String,
    type_name: String,
    tier: String,
    priority: String,
    assignee: Option<String>,
    stage: String,
    outcome: Option<String>,
    subject: String,
    description: String,
    customer_name: String,
    customer_phone: String,
    customer_email: String,
    departments: String,
    first_response_at: Option<i64>,
    resolved_at: Option<i64>,
}

impl TicketRow {
    fn into_row(self) -> Result<HistoryRow, StoreError> {
        Ok(HistoryRow {
            received_at: from_ms(self.created_at)?,
            channel: decode(Channel::parse, &self.channel, "channel")?,
            type_name: self.type_name,
            tier: decode(Tier::parse, &self.tier, "tier")?,
            priority: decode(Priority::parse, &self.priority, "priority")?,
            assignee: self.assignee,
            stage: decode(Stage::parse, &self.stage, "stage")?,
            outcome: self
                .outcome
                .map(|o| decode(Outcome::parse, &o, "outcome"))
                .transpose()?,
            subject: self.subject,
            description: self.description,
            customer_name: self.customer_name,
            customer_phone: self.customer_phone,
            customer_email: self.customer_email,
            departments: json::<Vec<Department>>(&self.departments, "departments")?,
            first_response_at: from_opt_ms(self.first_response_at)?,
            resolved_at: from_opt_ms(self.resolved_at)?,
            number: self.number,
        })
    }
}

impl Workspace {
    /// The whole workspace as history, oldest ticket first. Refused on a team replica (its
    /// data is the server's already, and masked).
    pub async fn history_out(&self) -> Result<WorkspaceHistory, StoreError> {
        if self.is_replica() {
            return Err(StoreError::Unsupported(Reason::NotEmbedded));
        }
        let types: Vec<(String, String, bool)> =
            sqlx::query_as("SELECT name, template, active FROM ticket_types ORDER BY id")
                .fetch_all(&self.pool)
                .await?;
        let tickets: Vec<TicketRow> = sqlx::query_as(
            "SELECT t.number, t.created_at, t.channel, ty.name AS type_name, t.tier, t.priority,
                    u.name AS assignee, t.stage, t.outcome, t.subject, t.description,
                    c.name AS customer_name, c.phone AS customer_phone, c.email AS customer_email,
                    t.departments, t.first_response_at, t.resolved_at
             FROM tickets t
             JOIN ticket_types ty ON ty.id = t.type_id
             JOIN customers c ON c.id = t.customer_id
             LEFT JOIN users u ON u.id = t.assignee_id
             ORDER BY t.created_at, t.id",
        )
        .fetch_all(&self.pool)
        .await?;
        let notes: Vec<(String, String, String, String, i64)> = sqlx::query_as(
            "SELECT t.number, u.name, n.audience, n.body, n.created_at
             FROM notes n JOIN tickets t ON t.id = n.ticket_id JOIN users u ON u.id = n.author_id
             ORDER BY n.ticket_id, n.id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(WorkspaceHistory {
            types: types
                .into_iter()
                .map(|(name, template, active)| TypeRecord {
                    name,
                    template,
                    active,
                })
                .collect(),
            tickets: tickets
                .into_iter()
                .map(TicketRow::into_row)
                .collect::<Result<_, _>>()?,
            notes: notes
                .into_iter()
                .map(|(number, author, audience, body, at)| {
                    Ok(NoteRecord {
                        number,
                        author,
                        audience: decode(NoteAudience::parse, &audience, "note audience")?,
                        body,
                        created_at: from_ms(at)?,
                    })
                })
                .collect::<Result<_, StoreError>>()?,
        })
    }
}
