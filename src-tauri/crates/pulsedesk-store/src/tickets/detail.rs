//! Everything the ticket view shows, in one read.

use super::{load_state, log};
use crate::customers;
use crate::rows::{decode, json};
use crate::time::from_ms;
use crate::{StoreError, Workspace};
use pulsedesk_core::ids::{CustomerId, NoteId, TicketId, TicketTypeId, UserId};
use pulsedesk_core::kinds::{Department, NoteAudience};
use pulsedesk_core::permissions::{Action, Actor};
use pulsedesk_core::ticket::{stage_durations, EventKind};
use pulsedesk_core::view::{AllowedActions, NoteView, TicketDetail, TicketRef, TimelineEntry};
use std::collections::HashMap;

impl Workspace {
    /// The ticket view for `actor`: details, masked customer, template, notes, timeline, durations.
    pub async fn ticket_detail(
        &self,
        actor: &Actor,
        id: TicketId,
    ) -> Result<TicketDetail, StoreError> {
        let stale_minutes = self.sla_settings().await?.stale_minutes;
        // One read transaction: every part of the view comes from the same snapshot, so a
        // change committed meanwhile (say, the assigner's) cannot show up in one part only.
        let mut conn = self.pool.begin().await?;
        let state_row = load_state(&mut conn, id).await?;
        let state = state_row.state()?;
        actor.authorize(Action::ViewTicket {
            assignee: state.assignee,
        })?;

        let (type_id, description, departments, attachments, customer_id, template, version): (
            i64,
            String,
            String,
            String,
            i64,
            String,
            i64,
        ) = sqlx::query_as(
            "SELECT t.type_id, t.description, t.departments, t.attachments, t.customer_id, tt.template, t.version
             FROM tickets t JOIN ticket_types tt ON tt.id = t.type_id WHERE t.id = ?",
        )
        .bind(id.0)
        .fetch_one(&mut *conn)
        .await?;
        let customer = customers::load(&mut conn, CustomerId(customer_id))
            .await?
            .masked()?;

        let names: HashMap<i64, String> =
            sqlx::query_as::<_, (i64, String)>("SELECT id, name FROM users")
                .fetch_all(&mut *conn)
                .await?
                .into_iter()
                .collect();
        let name_of = |u: Option<UserId>| u.and_then(|u| names.get(&u.0).cloned());

        let note_rows: Vec<(i64, i64, String, String, i64)> = sqlx::query_as(
            "SELECT id, author_id, audience, body, created_at FROM notes WHERE ticket_id = ? ORDER BY id < 0, abs(id)",
        )
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?;
        let notes = note_rows
            .into_iter()
            .map(|(nid, author, audience, body, at)| {
                Ok(NoteView {
                    id: NoteId(nid),
                    author_name: name_of(Some(UserId(author))).unwrap_or_default(),
                    audience: decode(NoteAudience::parse, &audience, "note audience")?,
                    body,
                    created_at: from_ms(at)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;

        let events = log::load(&mut conn, id).await?;
        let transfer = self.latest_transfer(&mut conn, id).await?;
        let follows: Option<(i64, String)> = sqlx::query_as(
            "SELECT o.id, o.number FROM tickets t JOIN tickets o ON o.id = t.follows_ticket_id WHERE t.id = ?",
        )
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?;
        let book = crate::sla::load_book(&mut conn).await?;
        let row = crate::pool::pool_row_in(&mut conn, id, stale_minutes).await?;
        conn.rollback().await?;
        let now = self.clock.now();
        let durations = stage_durations(&events, now);
        let sla = book.clocks(row.priority, TicketTypeId(type_id), row.tier, &events, now);
        let timeline = events
            .into_iter()
            .map(|event| {
                let assignee_name = match &event.kind {
                    EventKind::Assigned { to, .. } => name_of(Some(*to)),
                    _ => None,
                };
                TimelineEntry {
                    actor_name: name_of(event.actor_id),
                    assignee_name,
                    event,
                }
            })
            .collect();

        Ok(TicketDetail {
            row,
            type_id: TicketTypeId(type_id),
            description,
            departments: json::<Vec<Department>>(&departments, "departments")?,
            attachments: json::<Vec<String>>(&attachments, "attachments")?,
            outcome: state.outcome,
            first_response_at: state.timings.first_response_at,
            resolved_at: state.timings.resolved_at,
            version: crate::rows::count(version),
            customer,
            template,
            notes,
            timeline,
            durations,
            sla,
            allowed: AllowedActions::for_ticket(actor, state.stage, state.assignee),
            transfer,
            follows: follows.map(|(id, number)| TicketRef {
                id: TicketId(id),
                number,
            }),
        })
    }
}
