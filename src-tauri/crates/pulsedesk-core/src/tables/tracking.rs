//! The ticket status tracking table (工单状态跟踪表): one row a ticket.

use super::labels;
use super::Cell;
use crate::kinds::{Department, Outcome, Priority, Stage, Tier};
use crate::sla::notice::Lang;
use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One window of the tracking table (latest tickets first) and how many rows it has in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TrackingPage {
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<TrackingRow>,
}

/// Whether the first response met its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    /// Responded within the target.
    Met,
    /// Responded late, or not yet and already past the target.
    Late,
    /// Not responded yet, still within the target.
    Waiting,
}

/// One ticket's line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TrackingRow {
    pub id: crate::ids::TicketId,
    pub number: String,
    pub received_at: DateTime<Utc>,
    pub tier: Tier,
    pub priority: Priority,
    pub assignee: Option<String>,
    /// The first-response target, in seconds (from the ticket's SLA policy).
    #[ts(type = "number | null")]
    pub response_target_secs: Option<i64>,
    /// First-response time, in seconds, once responded.
    #[ts(type = "number | null")]
    pub response_secs: Option<i64>,
    pub response: Response,
    pub stage: Stage,
    pub departments: Vec<Department>,
    pub outcome: Option<Outcome>,
}

/// The column headings: the screen's (exported to the UI as `TRACKING_HEADERS`) and the
/// exported files' alike.
pub fn headers(lang: Lang) -> Vec<&'static str> {
    match lang {
        Lang::Zh => vec![
            "工单编号",
            "接收时间",
            "客户类型",
            "优先级",
            "处理人",
            "响应时限（分钟）",
            "实际响应（分钟）",
            "处理状态",
            "当前节点",
            "备注/协同部门",
        ],
        Lang::En => vec![
            "Ticket number",
            "Received",
            "Customer type",
            "Priority",
            "Assignee",
            "Response target (min)",
            "Actual response (min)",
            "Status",
            "Current stage",
            "Remarks / departments",
        ],
    }
}

fn minutes(secs: Option<i64>) -> Cell {
    // One decimal: 90 s is 1.5 min.
    secs.map_or(Cell::Empty, |s| {
        Cell::Number((s as f64 / 6.0).round() / 10.0)
    })
}

/// A row's cells, in the reader's language and local time.
pub fn cells(row: &TrackingRow, lang: Lang, offset: FixedOffset) -> Vec<Cell> {
    let status = match (row.response, lang) {
        (Response::Met, Lang::Zh) => "响应达标",
        (Response::Late, Lang::Zh) => "响应超时",
        (Response::Waiting, Lang::Zh) => "待响应",
        (Response::Met, Lang::En) => "Responded in time",
        (Response::Late, Lang::En) => "Response late",
        (Response::Waiting, Lang::En) => "Awaiting response",
    };
    let mut remarks: Vec<&str> = row
        .departments
        .iter()
        .map(|d| labels::department(*d, lang))
        .collect();
    if let Some(o) = row.outcome {
        remarks.push(labels::outcome(o, lang));
    }
    let sep = match lang {
        Lang::Zh => "、",
        Lang::En => ", ",
    };
    vec![
        Cell::Text(row.number.clone()),
        Cell::Time(row.received_at.with_timezone(&offset).naive_local()),
        Cell::Text(labels::tier(row.tier, lang).into()),
        Cell::Text(labels::priority(row.priority, lang).into()),
        row.assignee.clone().map_or(Cell::Empty, Cell::Text),
        minutes(row.response_target_secs),
        minutes(row.response_secs),
        Cell::Text(status.into()),
        Cell::Text(labels::stage(row.stage, lang).into()),
        if remarks.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(remarks.join(sep))
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn row() -> TrackingRow {
        TrackingRow {
            id: crate::ids::TicketId(1),
            number: "CS2026112301".into(),
            received_at: Utc.with_ymd_and_hms(2026, 11, 22, 16, 30, 0).unwrap(),
            tier: Tier::Vip,
            priority: Priority::Urgent,
            assignee: Some("李娜".into()),
            response_target_secs: Some(900),
            response_secs: Some(90),
            response: Response::Met,
            stage: Stage::Done,
            departments: vec![Department::Tech, Department::AfterSales],
            outcome: Some(Outcome::Fully),
        }
    }

    #[test]
    fn a_row_reads_in_chinese_in_local_time() {
        let tz = FixedOffset::east_opt(8 * 3600).unwrap();
        let c = cells(&row(), Lang::Zh, tz);
        assert_eq!(c.len(), headers(Lang::Zh).len());
        let text: Vec<String> = c.iter().map(Cell::text).collect();
        assert_eq!(
            text,
            [
                "CS2026112301",
                "2026-11-23 00:30",
                "VIP客户",
                "紧急",
                "李娜",
                "15",
                "1.5",
                "响应达标",
                "已完成",
                "技术部、售后部、已完全解决"
            ]
        );
        assert_eq!(c[5], Cell::Number(15.0));
    }

    #[test]
    fn missing_values_are_empty_cells_and_english_reads_in_english() {
        let r = TrackingRow {
            assignee: None,
            response_secs: None,
            response: Response::Waiting,
            stage: Stage::Unassigned,
            departments: vec![],
            outcome: None,
            ..row()
        };
        let c = cells(&r, Lang::En, FixedOffset::east_opt(0).unwrap());
        assert_eq!(c[4], Cell::Empty);
        assert_eq!(c[6], Cell::Empty);
        assert_eq!(c[7].text(), "Awaiting response");
        assert_eq!(c[8].text(), "Unassigned");
        assert_eq!(c[9], Cell::Empty);
        assert_eq!(headers(Lang::En)[0], "Ticket number");
    }
}
