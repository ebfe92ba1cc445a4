//! Frequent-problem discovery: which words come up in the most texts of problems
//! (complaints, unresolved tickets, low-scored feedback). Chinese is segmented into words with jieba (its
//! dictionary is built in); English is split on non-letters. Filler words, single Chinese
//! characters, numbers and ticket numbers are left out; the stop words of each language
//! are plain lists in `stop/`. A word counts once per text, so a
//! long rant does not outweigh many customers.

mod stop;

use jieba_rs::Jieba;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

/// A word, how many texts mention it, and how many of those are complaints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Term {
    pub term: String,
    pub texts: u32,
    pub complaints: u32,
}

/// Counts words over many texts. Build one (loading the dictionary takes a moment) and
/// feed it every text.
pub struct Extractor {
    jieba: Jieba,
}

impl Default for Extractor {
    fn default() -> Self {
        Self::new()
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Whether `word` (already lower-cased) is worth counting.
fn keep(word: &str) -> bool {
    let chars = word.chars().count();
    if word.chars().any(is_cjk) {
        // One Chinese character is rarely a topic on its own (的, 了, 我 …).
        return chars >= 2 && word.chars().all(is_cjk) && !stop::chinese(word);
    }
    chars >= 3 && word.chars().all(|c| c.is_alphabetic() || c == '-') && !stop::english(word)
}

impl Extractor {
    pub fn new() -> Self {
        Self {
            jieba: Jieba::new(),
        }
    }

    /// The distinct words of one text worth counting, lower-cased.
    pub fn words(&self, text: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for piece in self.jieba.cut(text, false) {
            let w = piece.trim().to_lowercase();
            if keep(&w) && !out.contains(&w) {
                out.push(w);
            }
        }
        out
    }

    /// Starts a count.
    pub fn counter(&self) -> Counter<'_> {
        Counter {
            extractor: self,
            counts: HashMap::new(),
            texts: 0,
            complaints: 0,
        }
    }
}

/// A count in progress.
pub struct Counter<'a> {
    extractor: &'a Extractor,
    counts: HashMap<String, (u32, u32)>,
    texts: u32,
    complaints: u32,
}

impl Counter<'_> {
    /// Counts one text (a ticket's subject and description together, or a comment).
    pub fn add(&mut self, text: &str) {
        self.add_text(text, false);
    }

    /// Counts one text, marked as a complaint or not.
    pub fn add_text(&mut self, text: &str, complaint: bool) {
        self.texts += 1;
        self.complaints += u32::from(complaint);
        for w in self.extractor.words(text) {
            let c = self.counts.entry(w).or_insert((0, 0));
            c.0 += 1;
            c.1 += u32::from(complaint);
        }
    }

    /// How many texts were counted.
    pub fn texts(&self) -> u32 {
        self.texts
    }

    /// How many of them were complaints.
    pub fn complaints(&self) -> u32 {
        self.complaints
    }

    /// How many counted texts mention `word` (lower-cased).
    pub fn mentions(&self, word: &str) -> u32 {
        self.counts.get(word).map_or(0, |c| c.0)
    }

    /// The `n` words in the most texts; ties by the word, so the order is stable.
    pub fn top(&self, n: usize) -> Vec<Term> {
        let mut all: Vec<Term> = self
            .counts
            .iter()
            .map(|(t, (texts, complaints))| Term {
                term: t.clone(),
                texts: *texts,
                complaints: *complaints,
            })
            .collect();
        all.sort_by(|a, b| b.texts.cmp(&a.texts).then_with(|| a.term.cmp(&b.term)));
        all.truncate(n);
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filler_numbers_and_single_characters_are_left_out() {
        let x = Extractor::new();
        let w = x.words("我的快递 CS2026112301 还没到，已经3天了!! The parcel is still not here");
        assert!(w.contains(&"快递".to_string()), "{w:?}");
        assert!(w.contains(&"parcel".to_string()), "{w:?}");
        for gone in ["我", "的", "了", "the", "is", "3", "cs2026112301", "!!"] {
            assert!(!w.contains(&gone.to_string()), "{gone} in {w:?}");
        }
    }

    #[test]
    fn praise_and_vague_verbs_are_not_problems() {
        let x = Extractor::new();
        let w = x.words("非常满意，使用很方便 Helpful and quick, thanks! 无法登录");
        assert_eq!(w, vec!["方便".to_string(), "登录".to_string()]);
    }

    #[test]
    fn a_word_counts_once_per_text() {
        let x = Extractor::new();
        let mut c = x.counter();
        c.add("退款 退款 退款 还是没有退款");
        c.add("申请退款");
        assert_eq!(c.mentions("退款"), 2);
        assert_eq!(c.texts(), 2);
    }
}
