//! Frequent problems for the weekly review: the words that come up most in the week's
//! tickets and feedback, and the focus rule — a word (a product module, a kind of problem)
//! or a ticket type behind more than 30% of the week's complaints.

use crate::ids::TicketTypeId;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A share above this (per mille of the week's complaints) makes a focus.
pub const FOCUS_PER_MILLE: u32 = 300;
/// With fewer complaints than this, no share is called a focus.
pub const FOCUS_MIN_COMPLAINTS: u32 = 5;

/// A word from the week's texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FrequentProblem {
    pub term: String,
    /// Texts (tickets, comments) mentioning it.
    pub texts: u32,
    /// Complaints among them.
    pub complaints: u32,
    /// Its share of all the week's complaints, per mille.
    pub share_per_mille: u32,
    /// More than 30% of the complaints: a focus for the team.
    pub focus: bool,
}

/// A ticket type's share of the week's low-rated feedback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TypeShare {
    pub type_id: TicketTypeId,
    pub name: String,
    pub complaints: u32,
    pub share_per_mille: u32,
    pub focus: bool,
}

/// The week's frequent problems.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProblemWords {
    /// Texts read: tickets logged in the week, and comments given.
    pub texts: u32,
    /// Complaints among them: complaint-type tickets and comments that needed a follow-up.
    pub complaints: u32,
    pub top: Vec<FrequentProblem>,
    /// Ticket types by their share of the week's feedback that needed a follow-up.
    pub types: Vec<TypeShare>,
}

/// `part` of `whole`, per mille (rounded down, so "more than 30%" is never rounded up into).
pub fn per_mille(part: u32, whole: u32) -> u32 {
    if whole == 0 {
        return 0;
    }
    u32::try_from(u64::from(part) * 1000 / u64::from(whole)).unwrap_or(1000)
}

/// Whether `part` is more than 30% of `whole`, with enough complaints to mean something.
pub fn is_focus(part: u32, whole: u32) -> bool {
    whole >= FOCUS_MIN_COMPLAINTS
        && u64::from(part) * 1000 > u64::from(whole) * u64::from(FOCUS_PER_MILLE)
}

/// Builds the frequent problems from word counts `(term, texts, complaints)` (most first)
/// and complaints per type `(type, name, complaints)`.
pub fn frequent_problems(
    texts: u32,
    complaints: u32,
    words: impl IntoIterator<Item = (String, u32, u32)>,
    types: impl IntoIterator<Item = (TicketTypeId, String, u32)>,
) -> ProblemWords {
    let top = words
        .into_iter()
        .map(|(term, n, c)| FrequentProblem {
            term,
            texts: n,
            complaints: c,
            share_per_mille: per_mille(c, complaints),
            focus: is_focus(c, complaints),
        })
        .collect();
    let types: Vec<(TicketTypeId, String, u32)> = types.into_iter().collect();
    let type_total: u32 = types.iter().map(|t| t.2).sum();
    let mut types: Vec<TypeShare> = types
        .into_iter()
        .map(|(type_id, name, c)| TypeShare {
            type_id,
            name,
            complaints: c,
            share_per_mille: per_mille(c, type_total),
            focus: is_focus(c, type_total),
        })
        .collect();
    types.sort_by(|a, b| {
        b.complaints
            .cmp(&a.complaints)
            .then(a.type_id.cmp(&b.type_id))
    });
    ProblemWords {
        texts,
        complaints,
        top,
        types,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_than_thirty_percent_is_a_focus_exactly_thirty_is_not() {
        assert!(!is_focus(3, 10));
        assert!(is_focus(31, 100));
        assert!(!is_focus(30, 100));
        // Too few complaints to call anything a focus.
        assert!(!is_focus(4, 4));
        assert_eq!(per_mille(1, 3), 333);
        assert_eq!(per_mille(0, 0), 0);
    }

    #[test]
    fn words_and_types_get_their_shares() {
        let p = frequent_problems(
            40,
            10,
            vec![("退款".to_string(), 12, 4), ("物流".to_string(), 9, 3)],
            vec![
                (TicketTypeId(2), "投诉".to_string(), 2),
                (TicketTypeId(4), "售后申请".to_string(), 6),
            ],
        );
        assert_eq!((p.top[0].share_per_mille, p.top[0].focus), (400, true));
        assert_eq!((p.top[1].share_per_mille, p.top[1].focus), (300, false));
        assert_eq!(p.types[0].name, "售后申请");
        assert_eq!((p.types[0].share_per_mille, p.types[0].focus), (750, true));
        assert!(!p.types[1].focus);
    }
}
