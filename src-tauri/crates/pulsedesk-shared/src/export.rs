//! `pulsedesk-admin export`: the ticket status tracking table (工单实时状态跟踪表) of the
//! shared database as CSV, one row per ticket, streamed (millions of rows never sit in
//! memory). Customer names and phones are masked unless the admin asks for full values.

use crate::{Owner, SharedError};
use chrono::{DateTime, SecondsFormat, Utc};
use futures_util::TryStreamExt;
use std::io::Write;

/// The columns, in order (documented in the README).
pub const COLUMNS: &[&str] = &[
    "number",
    "received_at",
    "channel",
    "type",
    "tier",
    "priority",
    "assignee",
    "stage",
    "outcome",
    "round",
    "subject",
    "customer_name",
    "customer_phone",
    "departments",
    "first_response_at",
    "first_response_minutes",
    "resolved_at",
    "resolution_minutes",
];

/// What to export.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Full customer names and phone numbers instead of the masked forms.
    pub with_pii: bool,
    /// Only tickets received at or after this instant.
    pub since: Option<DateTime<Utc>>,
}

type Row = (
    String,
    DateTime<Utc>,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    i32,
    String,
    String,
    String,
    String,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
);

fn time(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_default()
}

fn minutes(from: DateTime<Utc>, to: Option<DateTime<Utc>>) -> String {
    to.map(|t| ((t - from).num_seconds().max(0) / 60).to_string())
        .unwrap_or_default()
}

/// `["tech","product"]` as `tech;product`.
fn departments(json: &str) -> String {
    serde_json::from_str::<Vec<String>>(json)
        .map(|d| d.join(";"))
        .unwrap_or_default()
}

fn io(e: impl std::fmt::Display) -> SharedError {
    SharedError::Invalid {
        field: "output",
        reason: format!("could not write the export: {e}"),
    }
}

impl Owner {
    /// Writes the tracking table to `out`, oldest ticket first; returns the rows written.
    pub async fn export_tickets(
        &self,
        out: impl Write,
        options: &ExportOptions,
    ) -> Result<u64, SharedError> {
        let (name, phone) = if options.with_pii {
            ("c.name", "c.phone")
        } else {
            ("c.name_masked", "c.phone_masked")
        };
        let sql = format!(
            "SELECT t.number, t.created_at, t.channel, ty.name, t.tier, t.priority, u.name,
                    t.stage, t.outcome, t.round, t.subject, {name}, {phone},
                    t.departments::text, t.first_response_at, t.resolved_at
             FROM tickets t
             JOIN ticket_types ty ON ty.id = t.type_id
             JOIN customers c ON c.id = t.customer_id
             LEFT JOIN users u ON u.id = t.assignee_id
             WHERE $1::timestamptz IS NULL OR t.created_at >= $1
             ORDER BY t.created_at, t.id"
        );
        let mut csv = csv::Writer::from_writer(out);
        csv.write_record(COLUMNS).map_err(io)?;
        let mut rows = sqlx::query_as::<_, Row>(&sql)
            .bind(options.since)
            .fetch(self.pool());
        let mut n = 0u64;
        while let Some(r) = rows.try_next().await? {
            let (number, received, channel, kind, tier, priority, assignee) =
                (r.0, r.1, r.2, r.3, r.4, r.5, r.6);
            let record = [
                number,
                time(Some(received)),
                channel,
                kind,
                tier,
                priority,
                assignee.unwrap_or_default(),
                r.7,
                r.8.unwrap_or_default(),
                r.9.to_string(),
                r.10,
                r.11,
                r.12,
                departments(&r.13),
                time(r.14),
                minutes(received, r.14),
                time(r.15),
                minutes(received, r.15),
            ];
            csv.write_record(&record).map_err(io)?;
            n += 1;
        }
        csv.flush().map_err(io)?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn cells() {
        let at = Utc.with_ymd_and_hms(2023, 10, 1, 1, 5, 0).single();
        let Some(at) = at else { return };
        assert_eq!(time(Some(at)), "2023-10-01T01:05:00Z");
        assert_eq!(time(None), "");
        assert_eq!(
            minutes(at, Some(at + chrono::Duration::seconds(12 * 60 + 59))),
            "12"
        );
        assert_eq!(minutes(at, None), "");
        assert_eq!(departments(r#"["tech","after_sales"]"#), "tech;after_sales");
        assert_eq!(departments("[]"), "");
        assert_eq!(COLUMNS.len(), 18);
    }
}
