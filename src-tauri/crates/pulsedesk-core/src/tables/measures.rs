//! The improvement measures table (优化措施表): the seed's columns — problem, root cause,
//! measure, owner, deadline, effect — plus the targets, the numbers before and after, and
//! the verdict.

use super::Cell;
use crate::measures::{Measure, Metric, Verdict};
use crate::sla::notice::Lang;

/// The column headings.
pub fn headers(lang: Lang) -> Vec<&'static str> {
    match lang {
        Lang::Zh => vec![
            "问题描述",
            "根本原因分析",
            "改进措施",
            "责任人",
            "完成时限",
            "状态",
            "效果目标",
            "实施前",
            "实施后",
            "效果验证",
        ],
        Lang::En => vec![
            "Problem",
            "Root cause",
            "Measure",
            "Owner",
            "Deadline",
            "Status",
            "Targets",
            "Before",
            "After",
            "Verdict",
        ],
    }
}

fn metric(m: Metric, lang: Lang) -> (&'static str, &'static str) {
    let zh = lang == Lang::Zh;
    match m {
        Metric::VipFirstResponseMinutes => (
            if zh {
                "VIP 首次响应"
            } else {
                "VIP first response"
            },
            " min",
        ),
        Metric::FirstResponseMinutes => (if zh { "首次响应" } else { "First response" }, " min"),
        Metric::ResolutionHours => (
            if zh {
                "解决时长"
            } else {
                "Resolution time"
            },
            " h",
        ),
        Metric::FirstResponseBreachPercent => (
            if zh {
                "响应超时率"
            } else {
                "Response breach rate"
            },
            "%",
        ),
        Metric::VipBreachPercent => (
            if zh {
                "VIP 响应超时率"
            } else {
                "VIP response breach rate"
            },
            "%",
        ),
        Metric::Csat => (if zh { "满意度" } else { "CSAT" }, ""),
        Metric::ReopenPercent => (if zh { "重开率" } else { "Reopen rate" }, "%"),
    }
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// A measure's cells. Targets and values are one line per target ("VIP 首次响应 ≤ 10 min").
pub fn cells(m: &Measure, lang: Lang) -> Vec<Cell> {
    let line = |v: Option<f64>, mt: Metric| {
        let (_, unit) = metric(mt, lang);
        v.map_or_else(|| "—".to_string(), |v| format!("{}{unit}", number(v)))
    };
    let targets: Vec<String> = m
        .spec
        .targets
        .iter()
        .map(|t| {
            let (name, unit) = metric(t.metric, lang);
            let cmp = if t.metric.higher_is_better() {
                "≥"
            } else {
                "≤"
            };
            format!("{name} {cmp} {}{unit}", number(t.value))
        })
        .collect();
    let before: Vec<String> = m
        .evaluation
        .results
        .iter()
        .map(|r| line(r.comparison.before, r.target.metric))
        .collect();
    let after: Vec<String> = m
        .evaluation
        .results
        .iter()
        .map(|r| line(r.comparison.after, r.target.metric))
        .collect();
    let status = match (m.spec.status, lang) {
        (crate::measures::MeasureStatus::Planned, Lang::Zh) => "计划中",
        (crate::measures::MeasureStatus::InProgress, Lang::Zh) => "进行中",
        (crate::measures::MeasureStatus::Done, Lang::Zh) => "已完成",
        (crate::measures::MeasureStatus::Planned, Lang::En) => "Planned",
        (crate::measures::MeasureStatus::InProgress, Lang::En) => "In progress",
        (crate::measures::MeasureStatus::Done, Lang::En) => "Done",
    };
    let verdict = match (m.evaluation.verdict, lang) {
        (Verdict::NotStarted, Lang::Zh) => "未开始",
        (Verdict::Measuring, Lang::Zh) => "评估中",
        (Verdict::Met, Lang::Zh) => "已达标",
        (Verdict::NeedsRevision, Lang::Zh) => "未达标，需调整",
        (Verdict::NotStarted, Lang::En) => "Not started",
        (Verdict::Measuring, Lang::En) => "Measuring",
        (Verdict::Met, Lang::En) => "Target met",
        (Verdict::NeedsRevision, Lang::En) => "Needs revision",
    };
    vec![
        Cell::Text(m.spec.problem.clone()),
        Cell::Text(m.spec.root_cause.clone()),
        Cell::Text(m.spec.action.clone()),
        Cell::Text(m.owner_name.clone()),
        Cell::Text(m.spec.deadline.format("%Y-%m-%d").to_string()),
        Cell::Text(status.into()),
        Cell::Text(targets.join("\n")),
        Cell::Text(before.join("\n")),
        Cell::Text(after.join("\n")),
        Cell::Text(verdict.into()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{MeasureId, UserId};
    use crate::measures::{judge, windows, MeasureInput, MeasureStatus, Target};
    use chrono::{NaiveDate, TimeZone, Utc};

    #[test]
    fn a_row_reads_like_the_seeds_table_with_before_and_after() {
        let day = |d| NaiveDate::from_ymd_opt(2023, 10, d).unwrap();
        let targets = vec![
            Target {
                metric: Metric::VipFirstResponseMinutes,
                value: 10.0,
            },
            Target {
                metric: Metric::VipBreachPercent,
                value: 5.0,
            },
        ];
        let evaluation = judge(windows(day(1), 7, day(15)), &targets, |m| match m {
            Metric::VipFirstResponseMinutes => (Some(16.5), Some(9.0)),
            _ => (Some(12.0), None),
        });
        let m = Measure {
            id: MeasureId(1),
            spec: MeasureInput {
                problem: "VIP客户响应超时率从5%升至12%".into(),
                root_cause: "高峰期(19:00-21:00)专职客服不足".into(),
                action: "增设1名高峰期弹性客服,负责VIP工单".into(),
                owner_id: UserId(2),
                deadline: day(15),
                started_on: day(1),
                window_days: 7,
                targets,
                status: MeasureStatus::InProgress,
            },
            owner_name: "主管A".into(),
            created_at: Utc.with_ymd_and_hms(2023, 10, 1, 0, 0, 0).unwrap(),
            evaluation,
            days_left: 0,
        };
        let text: Vec<String> = cells(&m, Lang::Zh).iter().map(Cell::text).collect();
        assert_eq!(text[3], "主管A");
        assert_eq!(text[4], "2023-10-15");
        assert_eq!(text[6], "VIP 首次响应 ≤ 10 min\nVIP 响应超时率 ≤ 5%");
        assert_eq!(text[7], "16.5 min\n12%");
        assert_eq!(text[8], "9 min\n—");
        assert_eq!(text[9], "未达标，需调整");
        assert_eq!(headers(Lang::En).len(), text.len());
    }
}
