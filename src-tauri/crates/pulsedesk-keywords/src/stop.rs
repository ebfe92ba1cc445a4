//! Words too common to say what a problem is, per language, kept as plain word lists in
//! `stop/zh.txt` and `stop/en.txt` (one word per line, `#` starts a note) so that anyone
//! can maintain them without touching code.

use std::collections::HashSet;
use std::sync::OnceLock;

const CHINESE_LIST: &str = include_str!("../stop/zh.txt");
const ENGLISH_LIST: &str = include_str!("../stop/en.txt");

/// The words of a list: trimmed, notes and blank lines left out.
fn parse(list: &str) -> HashSet<&str> {
    list.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// Whether `word` is a Chinese stop word.
pub fn chinese(word: &str) -> bool {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| parse(CHINESE_LIST)).contains(word)
}

/// Whether `word` (lower-cased) is an English stop word.
pub fn english(word: &str) -> bool {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| parse(ENGLISH_LIST)).contains(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_hold_praise_and_filler_and_skip_notes() {
        for w in ["满意", "使用", "无法", "您好"] {
            assert!(chinese(w), "{w}");
        }
        for w in ["helpful", "quick", "please", "thanks"] {
            assert!(english(w), "{w}");
        }
        assert!(!chinese("# Chinese words that say nothing about what a problem is: filler, politeness, praise and"));
        assert!(!chinese("退款") && !english("refund"), "topics stay");
    }

    #[test]
    fn every_entry_is_one_trimmed_word_listed_once() {
        for (name, list) in [("zh", CHINESE_LIST), ("en", ENGLISH_LIST)] {
            let words: Vec<&str> = list
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .collect();
            for w in &words {
                assert_eq!(*w, w.trim(), "{name}: spaces around {w:?}");
                assert!(!w.contains(' '), "{name}: {w:?} is not one word");
            }
            assert_eq!(
                parse(list).len(),
                words.len(),
                "{name}: a word is listed twice"
            );
        }
    }
}
