//! Pop-up text for assignment news, in the member's language.

use super::transfer::TransferView;
use crate::kinds::TransferStatus;
use crate::sla::notice::Lang;

/// Supervisors: the team ran out of hands (once per capacity episode).
pub fn capacity_text(lang: Lang, waiting: u32) -> (String, String) {
    match lang {
        Lang::Zh => (
            "客服容量已满".to_string(),
            format!("{waiting} 张工单正在等待可用客服，请介入分配或调整上限。"),
        ),
        Lang::En => {
            (
                "The team is at capacity".to_string(),
                format!(
                "{waiting} {} waiting for a free agent. Step in: assign by hand or raise a cap.",
                if waiting == 1 { "ticket is" } else { "tickets are" }
            ),
            )
        }
    }
}

/// The agent who asked: their transfer request was decided.
pub fn transfer_text(lang: Lang, t: &TransferView) -> (String, String) {
    let approved = t.status == TransferStatus::Approved;
    let to = t.to.as_deref().unwrap_or("");
    match (lang, approved) {
        (Lang::Zh, true) => (
            format!("转交已批准：{}", t.number),
            format!("工单已转给 {to}。"),
        ),
        (Lang::Zh, false) => (
            format!("转交被拒绝：{}", t.number),
            format!("原因：{}", t.note),
        ),
        (Lang::En, true) => (
            format!("Transfer approved: {}", t.number),
            format!("The ticket now belongs to {to}."),
        ),
        (Lang::En, false) => (
            format!("Transfer declined: {}", t.number),
            format!("Reason: {}", t.note),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_text_counts_in_both_languages() {
        assert_eq!(
            capacity_text(Lang::En, 1).1,
            "1 ticket is waiting for a free agent. Step in: assign by hand or raise a cap."
        );
        assert!(capacity_text(Lang::En, 3).1.starts_with("3 tickets are"));
        assert!(capacity_text(Lang::Zh, 3).1.starts_with("3 张工单"));
    }
}
