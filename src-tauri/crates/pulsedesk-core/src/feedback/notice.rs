//! Pop-up text for a supervisor's new follow-up, in their language.

use crate::ids::TicketId;
use crate::sla::notice::Lang;

/// A follow-up the owner has not been told about yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpNews {
    pub ticket_id: TicketId,
    pub number: String,
    /// The ticket the customer rated.
    pub original_number: String,
    /// The customer's overall score, e.g. "2.0".
    pub overall: String,
    pub comment: String,
}

/// "Follow up within 24 hours", with the score and the customer's words.
pub fn follow_up_text(lang: Lang, n: &FollowUpNews) -> (String, String) {
    let said = if n.comment.trim().is_empty() {
        String::new()
    } else {
        let c: String = n.comment.trim().chars().take(80).collect();
        match lang {
            Lang::Zh => format!("客户建议：“{c}”。"),
            Lang::En => format!("The customer said: “{c}”. "),
        }
    };
    match lang {
        Lang::Zh => (
            format!("需跟进：{}", n.number),
            format!(
                "工单 {} 的满意度评分 {}。{said}请在 24 小时内联系客户。",
                n.original_number, n.overall
            ),
        ),
        Lang::En => (
            format!("Follow-up needed: {}", n.number),
            format!(
                "Ticket {} was rated {}. {said}Contact the customer within 24 hours.",
                n.original_number, n.overall
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_names_the_ticket_the_score_and_the_deadline() {
        let n = FollowUpNews {
            ticket_id: TicketId(9),
            number: "CS2026030205".into(),
            original_number: "CS2026030101".into(),
            overall: "2.0".into(),
            comment: "等待时间太长".into(),
        };
        let (s, b) = follow_up_text(Lang::Zh, &n);
        assert_eq!(s, "需跟进：CS2026030205");
        assert_eq!(
            b,
            "工单 CS2026030101 的满意度评分 2.0。客户建议：“等待时间太长”。请在 24 小时内联系客户。"
        );
        let (s, b) = follow_up_text(
            Lang::En,
            &FollowUpNews {
                comment: " ".into(),
                ..n
            },
        );
        assert_eq!(s, "Follow-up needed: CS2026030205");
        assert_eq!(
            b,
            "Ticket CS2026030101 was rated 2.0. Contact the customer within 24 hours."
        );
    }
}
