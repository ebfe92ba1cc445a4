//! Importing survey results (e.g. an SMS provider's export): each row is judged by the same
//! rules as an answer taken by phone, in its own transaction, and the report says what
//! happened to every row.

use super::record::record;
use super::survey::{SurveyRow, SURVEY_COLUMNS};
use crate::time::to_ms;
use crate::{StoreError, Workspace};
use pulsedesk_core::feedback::{parse_row, AnswerSource, Columns};
use pulsedesk_core::permissions::{Action, Actor};
use pulsedesk_core::reason::Reason;
use pulsedesk_core::DomainError;
use serde::Serialize;
use ts_rs::TS;

/// The largest file an import reads.
pub const MAX_IMPORT_BYTES: usize = 20 * 1024 * 1024;

/// A row that was not recorded, and why (the UI says it in the member's language).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportLine {
    /// The line in the file (the header is line 1).
    pub line: u32,
    /// The row's ticket number, once read.
    pub number: Option<String>,
    /// The column at fault, by its English key (`speed`, `answered_at`, …), if one is.
    pub column: Option<String>,
    pub why: Reason,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct ImportReport {
    pub recorded: u32,
    /// Rows whose answer was on record already (an import run twice).
    pub repeated: u32,
    pub follow_ups: u32,
    pub reopened: u32,
    pub refused: Vec<ImportLine>,
}

impl Workspace {
    /// Imports survey answers from CSV text (UTF-8, a header row; see docs/FEEDBACK.md).
    pub async fn import_feedback(
        &self,
        actor: &Actor,
        csv_text: &str,
    ) -> Result<ImportReport, StoreError> {
        actor.authorize(Action::ImportFeedback)?;
        self.local_only(pulsedesk_core::reason::Feature::FeedbackImport)?;
        if csv_text.len() > MAX_IMPORT_BYTES {
            return Err(DomainError::invalid(
                "file",
                Reason::FileTooLarge {
                    max_mib: (MAX_IMPORT_BYTES / 1024 / 1024) as u32,
                },
            )
            .into());
        }
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(csv_text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| {
                DomainError::invalid(
                    "file",
                    Reason::NotCsv {
                        detail: e.to_string(),
                    },
                )
            })?
            .clone();
        let cols =
            Columns::from_headers(headers.iter()).map_err(|e| DomainError::invalid("file", e))?;
        let mut report = ImportReport::default();
        for (i, rec) in reader.records().enumerate() {
            let line = u32::try_from(i + 2).unwrap_or(u32::MAX);
            let refuse =
                |report: &mut ImportReport, number: Option<String>, column: Option<String>, why| {
                    report.refused.push(ImportLine {
                        line,
                        number,
                        column,
                        why,
                    });
                };
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    let why = Reason::NotCsv {
                        detail: e.to_string(),
                    };
                    refuse(&mut report, None, None, why);
                    continue;
                }
            };
            let fields: Vec<&str> = rec.iter().collect();
            if fields.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let clock = self.clock.clone();
            let row = match parse_row(&cols, &fields, |t| clock.offset_at(t.and_utc())) {
                Ok(r) => r,
                Err(p) => {
                    let number = fields
                        .get(cols.number)
                        .map(|n| n.trim().to_string())
                        .filter(|n| !n.is_empty());
                    refuse(&mut report, number, Some(p.field), p.reason);
                    continue;
                }
            };
            match self.import_one(actor, &row).await {
                Ok((repeat, follow_up, reopened)) => {
                    if repeat {
                        report.repeated += 1;
                    } else {
                        report.recorded += 1;
                        report.follow_ups += u32::from(follow_up);
                        report.reopened += u32::from(reopened);
                    }
                }
                Err(e) => match e.reason() {
                    Some(why) => {
                        let column = e.field().map(str::to_string);
                        refuse(&mut report, Some(row.number.clone()), column, why);
                    }
                    // Not the row's fault (the disk, the database): stop here; the rows
                    // recorded so far stay recorded.
                    None => return Err(e),
                },
            }
        }
        tracing::info!(
            recorded = report.recorded,
            repeated = report.repeated,
            refused = report.refused.len(),
            "feedback imported"
        );
        Ok(report)
    }

    async fn import_one(
        &self,
        actor: &Actor,
        row: &pulsedesk_core::feedback::ImportRow,
    ) -> Result<(bool, bool, bool), StoreError> {
        let mut tx = self.begin_write().await?;
        // The survey the answer belongs to: the latest one sent before it was given.
        let survey: Option<SurveyRow> = sqlx::query_as(&format!(
            "SELECT {SURVEY_COLUMNS} FROM surveys
             WHERE ticket_id = (SELECT id FROM tickets WHERE number = ?) AND sent_at <= ?
             ORDER BY round DESC LIMIT 1"
        ))
        .bind(&row.number)
        .bind(to_ms(row.answered_at))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(survey) = survey else {
            return Err(StoreError::Conflict(Reason::NoSurveySent));
        };
        let r = record(
            self,
            &mut tx,
            survey,
            &row.answer,
            row.answered_at,
            AnswerSource::Import,
            Some(actor.id),
        )
        .await?;
        tx.commit().await?;
        Ok((r.repeat, r.follow_up.is_some(), r.view.reopened))
    }
}
