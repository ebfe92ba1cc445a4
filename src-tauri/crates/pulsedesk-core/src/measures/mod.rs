//! Improvement measures (优化措施表): a problem, its root cause, the measure, an owner, a
//! deadline and numeric targets; the effect is checked by comparing the same metric over
//! equal windows before and after the measure started. Definitions in docs/METRICS.md
//! ("Improvement measures").

mod verdict;

pub use verdict::{judge, windows, Comparison, Evaluation, TargetResult, Verdict, Windows};

use crate::error::DomainError;
use crate::ids::{MeasureId, UserId};
use crate::reason::Reason;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Days each window covers unless the measure says otherwise.
pub const DEFAULT_WINDOW_DAYS: u32 = 14;

/// A figure a measure is judged by, over tickets logged (or answers given) in a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Mean first-response time of VIP tickets, minutes.
    VipFirstResponseMinutes,
    /// Mean first-response time of all tickets, minutes.
    FirstResponseMinutes,
    /// Mean resolution time, hours.
    ResolutionHours,
    /// First-response clocks breached, percent of those judged.
    FirstResponseBreachPercent,
    /// VIP first-response clocks breached, percent of those judged.
    VipBreachPercent,
    /// Customer satisfaction, 1–5.
    Csat,
    /// Resolved tickets reopened, percent.
    ReopenPercent,
}

impl Metric {
    pub const ALL: [Metric; 7] = [
        Metric::VipFirstResponseMinutes,
        Metric::FirstResponseMinutes,
        Metric::ResolutionHours,
        Metric::FirstResponseBreachPercent,
        Metric::VipBreachPercent,
        Metric::Csat,
        Metric::ReopenPercent,
    ];

    /// Whether a larger value is better (only CSAT).
    pub fn higher_is_better(self) -> bool {
        matches!(self, Metric::Csat)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Metric::VipFirstResponseMinutes => "vip_first_response_minutes",
            Metric::FirstResponseMinutes => "first_response_minutes",
            Metric::ResolutionHours => "resolution_hours",
            Metric::FirstResponseBreachPercent => "first_response_breach_percent",
            Metric::VipBreachPercent => "vip_breach_percent",
            Metric::Csat => "csat",
            Metric::ReopenPercent => "reopen_percent",
        }
    }
}

/// "VIP first response ≤ 10 minutes": at most (or, for CSAT, at least) `value`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
pub struct Target {
    pub metric: Metric,
    pub value: f64,
}

/// Where a measure stands, as its owner sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MeasureStatus {
    Planned,
    InProgress,
    Done,
}

impl MeasureStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MeasureStatus::Planned => "planned",
            MeasureStatus::InProgress => "in_progress",
            MeasureStatus::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "planned" => MeasureStatus::Planned,
            "in_progress" => MeasureStatus::InProgress,
            "done" => MeasureStatus::Done,
            _ => return None,
        })
    }
}

/// What a supervisor enters for a measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MeasureInput {
    /// 问题描述, e.g. "VIP 客户响应超时率从 5% 升至 12%".
    pub problem: String,
    /// 根本原因分析.
    pub root_cause: String,
    /// 改进措施.
    pub action: String,
    /// 责任人.
    pub owner_id: UserId,
    /// 完成时限.
    pub deadline: NaiveDate,
    /// The day the measure took effect; the windows are measured around it.
    pub started_on: NaiveDate,
    /// Days in each window (7–90).
    pub window_days: u32,
    pub targets: Vec<Target>,
    pub status: MeasureStatus,
}

impl MeasureInput {
    /// Checks the texts, the dates, the window and the targets.
    pub fn validate(&self) -> Result<(), DomainError> {
        for (field, text, max) in [
            ("problem", &self.problem, 500),
            ("root_cause", &self.root_cause, 1000),
            ("action", &self.action, 1000),
        ] {
            crate::validate::required(field, text.trim(), max)?;
        }
        if !(7..=90).contains(&self.window_days) {
            return Err(DomainError::invalid(
                "window_days",
                Reason::OutOfRange { min: 7, max: 90 },
            ));
        }
        if self.deadline < self.started_on {
            return Err(DomainError::invalid(
                "deadline",
                Reason::DeadlineBeforeStart,
            ));
        }
        if self.targets.is_empty() {
            return Err(DomainError::invalid("targets", Reason::TargetNeeded));
        }
        let mut seen = std::collections::HashSet::new();
        for t in &self.targets {
            let (lo, hi) = match t.metric {
                Metric::Csat => (1.0, 5.0),
                Metric::FirstResponseBreachPercent
                | Metric::VipBreachPercent
                | Metric::ReopenPercent => (0.0, 100.0),
                _ => (0.0, 100_000.0),
            };
            if !t.value.is_finite() || t.value < lo || t.value > hi {
                return Err(DomainError::invalid(
                    "targets",
                    Reason::TargetOutOfRange {
                        metric: t.metric,
                        min: lo as i64,
                        max: hi as i64,
                    },
                ));
            }
            if !seen.insert(t.metric) {
                return Err(DomainError::invalid(
                    "targets",
                    Reason::TargetTwice { metric: t.metric },
                ));
            }
        }
        Ok(())
    }
}

/// A saved measure with its evaluation as of when it was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Measure {
    pub id: MeasureId,
    #[serde(flatten)]
    pub spec: MeasureInput,
    pub owner_name: String,
    pub created_at: DateTime<Utc>,
    pub evaluation: Evaluation,
    /// Days until the deadline (negative once past), as of when it was read.
    pub days_left: i64,
}

/// The owner's reminder that a measure's deadline is near (or past).
pub fn reminder_text(
    lang: crate::sla::notice::Lang,
    problem: &str,
    deadline: NaiveDate,
) -> (String, String) {
    let short: String = problem.chars().take(60).collect();
    match lang {
        crate::sla::notice::Lang::Zh => (
            format!("优化措施将到期：{deadline}"),
            format!("“{short}”的完成时限是 {deadline}。请更新进展或调整方案。"),
        ),
        crate::sla::notice::Lang::En => (
            format!("Improvement measure due {deadline}"),
            format!("“{short}” is due on {deadline}. Update its progress or revise it."),
        ),
    }
}
