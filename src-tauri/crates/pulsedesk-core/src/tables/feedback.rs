//! The feedback score summary table (客户反馈评分汇总表): date, ticket number, the overall
//! score, the three scores, the customer's suggestion and who follows it up — the seed's
//! columns, plus whether it was solved and the follow-up ticket.

use super::Cell;
use crate::feedback::FeedbackRow;
use crate::sla::notice::Lang;

/// The column headings.
pub fn headers(lang: Lang) -> Vec<&'static str> {
    match lang {
        Lang::Zh => vec![
            "日期",
            "工单编号",
            "客户评分",
            "响应速度评分（1-5分）",
            "专业度评分（1-5分）",
            "问题解决评分（1-5分）",
            "问题是否解决",
            "客户建议",
            "跟进责任人",
            "跟进工单",
        ],
        Lang::En => vec![
            "Date",
            "Ticket number",
            "Customer score",
            "Response speed (1-5)",
            "Professionalism (1-5)",
            "Resolution (1-5)",
            "Solved",
            "Suggestions",
            "Follow-up owner",
            "Follow-up ticket",
        ],
    }
}

/// A row's cells. The overall score is a number with one decimal; the date is the team's
/// local day the customer answered.
pub fn cells(row: &FeedbackRow, lang: Lang) -> Vec<Cell> {
    let solved = match (row.solved, lang) {
        (true, Lang::Zh) => "是",
        (false, Lang::Zh) => "否",
        (true, Lang::En) => "yes",
        (false, Lang::En) => "no",
    };
    let comment = if row.comment.trim().is_empty() {
        match lang {
            Lang::Zh => "无",
            Lang::En => "",
        }
        .to_string()
    } else {
        row.comment.clone()
    };
    vec![
        Cell::Text(row.day.format("%Y-%m-%d").to_string()),
        Cell::Text(row.number.clone()),
        Cell::Score(f64::from(row.overall.0) / 10.0),
        Cell::Number(f64::from(row.speed)),
        Cell::Number(f64::from(row.professionalism)),
        Cell::Number(f64::from(row.resolution)),
        Cell::Text(solved.into()),
        if comment.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(comment)
        },
        row.follow_up_owner.clone().map_or(Cell::Empty, Cell::Text),
        row.follow_up_number.clone().map_or(Cell::Empty, Cell::Text),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feedback::Tenths;
    use crate::ids::{SurveyId, TicketId};
    use chrono::{NaiveDate, TimeZone, Utc};

    #[test]
    fn a_row_reads_like_the_seeds_table() {
        let row = FeedbackRow {
            survey_id: SurveyId(1),
            ticket_id: TicketId(3),
            number: "CS2023100103".into(),
            answered_at: Utc.with_ymd_and_hms(2023, 10, 1, 2, 0, 0).unwrap(),
            day: NaiveDate::from_ymd_opt(2023, 10, 1).unwrap(),
            overall: Tenths(20),
            speed: 2,
            professionalism: 1,
            resolution: 3,
            solved: true,
            comment: "等待时间太长".into(),
            agent_name: None,
            type_name: "咨询".into(),
            needs_follow_up: true,
            follow_up_owner: Some("主管B".into()),
            follow_up_number: Some("CS2023100107".into()),
        };
        let text: Vec<String> = cells(&row, Lang::Zh).iter().map(Cell::text).collect();
        assert_eq!(
            text,
            [
                "2023-10-01",
                "CS2023100103",
                "2.0",
                "2",
                "1",
                "3",
                "是",
                "等待时间太长",
                "主管B",
                "CS2023100107"
            ]
        );
        assert_eq!(headers(Lang::Zh).len(), text.len());
        assert_eq!(headers(Lang::En).len(), text.len());
    }
}
