//! One row of an imported tracking table, read by column name and checked field by field.
//! Column names and values may be the stable English codes or the seed's Chinese words.

use crate::kinds::{Channel, Department, Outcome, Priority, Stage, Tier};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// Chinese column names of the seed's tracking table and what they mean here.
pub const COLUMN_ALIASES: &[(&str, &str)] = &[
    ("工单编号", "number"),
    ("接收时间", "received_at"),
    ("渠道", "channel"),
    ("工单类型", "type"),
    ("客户类型", "tier"),
    ("优先级", "priority"),
    ("分配人员", "assignee"),
    ("当前节点", "stage"),
    ("处理结果", "outcome"),
    ("问题描述", "subject"),
    ("详细描述", "description"),
    ("客户姓名", "customer_name"),
    ("客户电话", "customer_phone"),
    ("客户邮箱", "customer_email"),
    ("涉及部门", "departments"),
    ("首次响应时间", "first_response_at"),
    ("解决时间", "resolved_at"),
];

/// A field that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub column: &'static str,
    pub reason: String,
}

/// A checked history row. `assignee` is a login or a member's name, resolved by the writer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    pub number: String,
    pub received_at: DateTime<Utc>,
    pub channel: Channel,
    pub type_name: String,
    pub tier: Tier,
    pub priority: Priority,
    pub assignee: Option<String>,
    pub stage: Stage,
    pub outcome: Option<Outcome>,
    pub subject: String,
    pub description: String,
    pub customer_name: String,
    pub customer_phone: String,
    pub customer_email: String,
    pub departments: Vec<Department>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
}

fn word<T: Copy>(value: &str, table: &[(&str, T)]) -> Option<T> {
    let v = value.trim();
    table
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(v))
        .map(|(_, t)| *t)
}

fn channel(v: &str) -> Option<Channel> {
    Channel::parse(v.trim()).or_else(|| {
        word(
            v,
            &[
                ("电话", Channel::Phone),
                ("在线客服", Channel::Chat),
                ("在线", Channel::Chat),
                ("邮件", Channel::Email),
                ("APP留言", Channel::App),
                ("APP", Channel::App),
                ("网页表单", Channel::WebForm),
            ],
        )
    })
}

fn tier(v: &str) -> Option<Tier> {
    Tier::parse(v.trim()).or_else(|| {
        word(
            v,
            &[
                ("VIP", Tier::Vip),
                ("普通", Tier::Normal),
                ("普通客户", Tier::Normal),
                ("企业", Tier::Enterprise),
                ("企业客户", Tier::Enterprise),
            ],
        )
    })
}

fn priority(v: &str) -> Option<Priority> {
    Priority::parse(v.trim()).or_else(|| {
        word(
            v,
            &[
                ("紧急", Priority::Urgent),
                ("高", Priority::High),
                ("中", Priority::Medium),
                ("低", Priority::Low),
            ],
        )
    })
}

fn stage(v: &str) -> Option<Stage> {
    Stage::parse(v.trim()).or_else(|| {
        word(
            v,
            &[
                ("待分配", Stage::Unassigned),
                ("待联系", Stage::ToContact),
                ("待联系客户", Stage::ToContact),
                ("处理中", Stage::InProgress),
                ("待回复", Stage::AwaitingReply),
                ("待回复客户", Stage::AwaitingReply),
                ("已完成", Stage::Done),
            ],
        )
    })
}

fn outcome(v: &str) -> Option<Outcome> {
    Outcome::parse(v.trim()).or_else(|| {
        word(
            v,
            &[
                ("完全解决", Outcome::Fully),
                ("部分解决", Outcome::Partially),
                ("未解决", Outcome::NotResolved),
            ],
        )
    })
}

fn department(v: &str) -> Option<Department> {
    Department::parse(v.trim()).or_else(|| {
        word(
            v,
            &[
                ("技术部", Department::Tech),
                ("产品部", Department::Product),
                ("售后部", Department::AfterSales),
            ],
        )
    })
}

/// RFC 3339 (`2023-10-01T01:05:00Z`), or a local time without zone (`2023-10-01 09:05`,
/// seconds optional) at `offset_hours` from UTC.
fn time(v: &str, offset_hours: i32) -> Option<DateTime<Utc>> {
    let v = v.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Some(t.with_timezone(&Utc));
    }
    let local = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(v, f).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    })?;
    let offset = chrono::FixedOffset::east_opt(offset_hours * 3600)?;
    local
        .and_local_timezone(offset)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

fn listing<T: std::fmt::Display>(all: &[T]) -> String {
    all.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads one row through `get` (a column name → the cell, `None` if the column is absent).
/// Local times without a zone are read at `offset_hours` from UTC.
pub fn parse_row<'a>(
    get: impl Fn(&str) -> Option<&'a str>,
    offset_hours: i32,
) -> Result<HistoryRow, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut fail = |column: &'static str, reason: String| {
        errors.push(FieldError { column, reason });
    };
    let cell = |c: &str| get(c).map(str::trim).filter(|v| !v.is_empty());

    let number = cell("number").map(str::to_string);
    match &number {
        None => fail(
            "number",
            "required (the ticket's number, e.g. CS2023100101)".into(),
        ),
        Some(n) if n.chars().count() > 40 => fail("number", "at most 40 characters".into()),
        _ => {}
    }
    let mut when = |column: &'static str, required: bool| match cell(column) {
        None if required => {
            fail(
                column,
                "required (e.g. 2023-10-01 09:05 or 2023-10-01T01:05:00Z)".into(),
            );
            None
        }
        None => None,
        Some(v) => time(v, offset_hours).or_else(|| {
            fail(
                column,
                format!("{v:?} is not a time (use 2023-10-01 09:05 or 2023-10-01T01:05:00Z)"),
            );
            None
        }),
    };
    let received_at = when("received_at", true);
    let first_response_at = when("first_response_at", false);
    let resolved_at = when("resolved_at", false);

    let mut pick = |column: &'static str, known: String| {
        let v = cell(column);
        if v.is_none() {
            fail(column, format!("required ({known})"));
        }
        v.map(|v| (v, column, known))
    };
    let channel_v = pick("channel", listing(Channel::ALL));
    let tier_v = pick("tier", listing(Tier::ALL));
    let priority_v = pick("priority", listing(Priority::ALL));
    let stage_v = pick("stage", listing(Stage::ALL));
    let mut read = |found: Option<(&str, &'static str, String)>, f: &dyn Fn(&str) -> bool| {
        if let Some((v, column, known)) = found {
            if !f(v) {
                fail(
                    column,
                    format!("unknown value {v:?} (use {known}, or the Chinese words)"),
                );
            }
        }
    };
    read(channel_v.clone(), &|v| channel(v).is_some());
    read(tier_v.clone(), &|v| tier(v).is_some());
    read(priority_v.clone(), &|v| priority(v).is_some());
    read(stage_v.clone(), &|v| stage(v).is_some());
    let outcome_v = cell("outcome");
    if let Some(v) = outcome_v {
        if outcome(v).is_none() {
            fail(
                "outcome",
                format!(
                    "unknown value {v:?} (use {}, or the Chinese words)",
                    listing(Outcome::ALL)
                ),
            );
        }
    }
    let mut departments = Vec::new();
    for d in cell("departments")
        .unwrap_or("")
        .split([';', '；', ',', '，', '/', '、'])
    {
        if d.trim().is_empty() {
            continue;
        }
        match department(d) {
            Some(d) if !departments.contains(&d) => departments.push(d),
            Some(_) => {}
            None => fail(
                "departments",
                format!(
                    "unknown department {:?} (use {})",
                    d.trim(),
                    listing(Department::ALL)
                ),
            ),
        }
    }
    let type_name = cell("type").map(str::to_string);
    if type_name.is_none() {
        fail("type", "required (a ticket type's name, e.g. 咨询)".into());
    }
    let subject = cell("subject").map(str::to_string);
    if subject.is_none() {
        fail("subject", "required".into());
    }
    let customer_name = cell("customer_name").map(str::to_string);
    if customer_name.is_none() {
        fail("customer_name", "required".into());
    }
    let customer_phone = cell("customer_phone").unwrap_or("").to_string();
    let customer_email = cell("customer_email").unwrap_or("").to_string();
    if customer_phone.is_empty() && customer_email.is_empty() {
        fail(
            "customer_phone",
            "a phone number or an e-mail address is required".into(),
        );
    }
    if customer_phone.contains('*') || customer_name.as_deref().is_some_and(|n| n.contains('*')) {
        fail(
            "customer_phone",
            "holds masked values (*); export with --with-pii to bring full contacts".into(),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let parsed = (|| {
        Some(HistoryRow {
            number: number?,
            received_at: received_at?,
            channel: channel(channel_v?.0)?,
            type_name: type_name?,
            tier: tier(tier_v?.0)?,
            priority: priority(priority_v?.0)?,
            assignee: cell("assignee").map(str::to_string),
            stage: stage(stage_v?.0)?,
            outcome: outcome_v.and_then(outcome),
            subject: subject?,
            description: cell("description").unwrap_or("").to_string(),
            customer_name: customer_name?,
            customer_phone,
            customer_email,
            departments,
            first_response_at,
            resolved_at,
        })
    })();
    parsed.ok_or_else(|| {
        vec![FieldError {
            column: "number",
            reason: "the row could not be read".into(),
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn row(cells: &[(&'static str, &'static str)]) -> Result<HistoryRow, Vec<FieldError>> {
        let map: HashMap<&str, &str> = cells.iter().copied().collect();
        parse_row(|c| map.get(c).copied(), 8)
    }

    const SEED: &[(&str, &str)] = &[
        ("number", "CS2023100101"),
        ("received_at", "2023-10-01 09:05"),
        ("channel", "电话"),
        ("type", "投诉"),
        ("tier", "VIP"),
        ("priority", "紧急"),
        ("assignee", "王小明"),
        ("stage", "已完成"),
        ("subject", "需技术部协助后台核查"),
        ("customer_name", "赵敏"),
        ("customer_phone", "13800001234"),
        ("departments", "技术部；product"),
        ("first_response_at", "2023-10-01 09:17"),
        ("resolved_at", "2023-10-01T03:00:00Z"),
    ];

    #[test]
    fn reads_the_seed_row_in_chinese_words() {
        let Ok(r) = row(SEED) else {
            panic!("{:?}", row(SEED))
        };
        assert_eq!(r.channel, Channel::Phone);
        assert_eq!(
            (r.tier, r.priority, r.stage),
            (Tier::Vip, Priority::Urgent, Stage::Done)
        );
        // 09:05 in UTC+8 is 01:05 UTC.
        assert_eq!(r.received_at.to_rfc3339(), "2023-10-01T01:05:00+00:00");
        assert_eq!(
            r.first_response_at.map(|t| t.to_rfc3339()).as_deref(),
            Some("2023-10-01T01:17:00+00:00")
        );
        assert_eq!(r.departments, vec![Department::Tech, Department::Product]);
        assert_eq!(r.assignee.as_deref(), Some("王小明"));
        assert_eq!(r.outcome, None);
    }

    #[test]
    fn every_bad_field_is_named_with_what_would_do() {
        let errors = row(&[
            ("number", ""),
            ("received_at", "yesterday"),
            ("channel", "fax"),
            ("tier", "gold"),
            ("priority", "超急"),
            ("stage", "lost"),
            ("outcome", "maybe"),
            ("departments", "legal"),
            ("customer_name", "张**"),
            ("customer_phone", "138****1234"),
        ])
        .err()
        .unwrap_or_default();
        let cols: Vec<&str> = errors.iter().map(|e| e.column).collect();
        for c in [
            "number",
            "received_at",
            "channel",
            "tier",
            "priority",
            "stage",
            "outcome",
            "departments",
            "type",
            "subject",
            "customer_phone",
        ] {
            assert!(cols.contains(&c), "{c} missing from {errors:?}");
        }
        let priority = errors
            .iter()
            .find(|e| e.column == "priority")
            .map(|e| e.reason.clone())
            .unwrap_or_default();
        assert!(
            priority.contains("超急") && priority.contains("urgent"),
            "{priority}"
        );
        assert!(
            errors.iter().any(|e| e.reason.contains("--with-pii")),
            "{errors:?}"
        );
    }

    #[test]
    fn times_in_the_forms_people_write() {
        for (v, utc) in [
            ("2023-10-01T01:05:00Z", "2023-10-01T01:05:00+00:00"),
            ("2023-10-01T09:05:00+08:00", "2023-10-01T01:05:00+00:00"),
            ("2023-10-01 09:05:30", "2023-10-01T01:05:30+00:00"),
            ("2023/10/01 09:05", "2023-10-01T01:05:00+00:00"),
            ("2023-10-01", "2023-09-30T16:00:00+00:00"),
        ] {
            assert_eq!(
                time(v, 8).map(|t| t.to_rfc3339()).as_deref(),
                Some(utc),
                "{v}"
            );
        }
        assert_eq!(time("10/01/2023", 8), None);
        assert_eq!(time("2023-02-30 09:00", 8), None);
    }
}
