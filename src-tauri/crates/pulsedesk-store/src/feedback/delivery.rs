//! The channel layer: surveys handed to a gateway (SMS, e-mail) as they go out, and the
//! customer's answer coming back through the survey link's token.

use super::record::{record, FeedbackOutcome};
use super::survey::{SurveyRow, SURVEY_COLUMNS};
use crate::rows::decode;
use crate::time::{from_ms, to_ms};
use crate::{StoreError, Workspace};
use pulsedesk_core::feedback::{destination, Answer, AnswerSource, Delivery, SurveyChannel};
use pulsedesk_core::ids::{SurveyId, TicketId};
use pulsedesk_core::kinds::Channel;

/// What one delivery run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: u32,
    /// The gateway refused (the reason is kept on the survey; it is not retried).
    pub failed: u32,
    /// The customer left no phone or e-mail: an agent asks by phone.
    pub unreachable: u32,
}

type Pending = (i64, i64, String, String, String, String, String, i64);

impl Workspace {
    /// Hands up to `limit` surveys still to send (oldest first, unexpired) to `channel` and
    /// records the outcome of each.
    pub async fn deliver_surveys(
        &self,
        channel: &dyn SurveyChannel,
        limit: u32,
    ) -> Result<DeliveryReport, StoreError> {
        self.local_only(pulsedesk_core::reason::Feature::Surveys)?;
        let now = self.clock.now();
        let pending: Vec<Pending> = sqlx::query_as(
            "SELECT s.id, s.ticket_id, t.number, t.channel, c.phone, c.email, s.token, s.expires_at
             FROM surveys s JOIN tickets t ON t.id = s.ticket_id JOIN customers c ON c.id = t.customer_id
             WHERE s.status = 'pending' AND s.delivered_at IS NULL AND s.delivery_error IS NULL
               AND s.token IS NOT NULL AND s.expires_at > ?
             ORDER BY s.sent_at, s.id LIMIT ?",
        )
        .bind(to_ms(now))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let mut report = DeliveryReport::default();
        for (id, ticket, number, ch, phone, email, token, expires) in pending {
            let ch = decode(Channel::parse, &ch, "channel")?;
            let (via, error) = match destination(ch, &phone, &email) {
                None => {
                    report.unreachable += 1;
                    (
                        None,
                        Some("the customer left no phone number or e-mail".to_string()),
                    )
                }
                Some(to) => {
                    let d = Delivery {
                        survey: SurveyId(id),
                        ticket: TicketId(ticket),
                        number,
                        to,
                        token,
                        expires_at: from_ms(expires)?,
                    };
                    match channel.send(&d) {
                        Ok(()) => {
                            report.sent += 1;
                            (Some(d.to.name()), None)
                        }
                        Err(e) => {
                            report.failed += 1;
                            tracing::warn!(survey = id, error = %e, "survey not sent");
                            (None, Some(e))
                        }
                    }
                }
            };
            sqlx::query(
                "UPDATE surveys SET delivered_at = CASE WHEN ?1 IS NOT NULL THEN ?2 END,
                     delivered_via = ?1, delivery_error = ?3 WHERE id = ?4",
            )
            .bind(via)
            .bind(to_ms(self.clock.now()))
            .bind(error)
            .bind(id)
            .execute(&self.writer)
            .await?;
        }
        Ok(report)
    }

    /// Records the answer a customer gave through their survey link.
    pub async fn answer_by_link(
        &self,
        token: &str,
        answer: &Answer,
    ) -> Result<FeedbackOutcome, StoreError> {
        self.local_only(pulsedesk_core::reason::Feature::Feedback)?;
        let now = self.clock.now();
        let mut tx = self.begin_write().await?;
        let survey: SurveyRow = sqlx::query_as(&format!(
            "SELECT {SURVEY_COLUMNS} FROM surveys WHERE token = ?"
        ))
        .bind(token.trim())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound("survey"))?;
        let r = record(self, &mut tx, survey, answer, now, AnswerSource::Link, None).await?;
        tx.commit().await?;
        Ok(FeedbackOutcome {
            survey: r.view,
            follow_up: r.follow_up,
        })
    }
}
