//! Search terms for the pool's full-text index, for Chinese and Latin text alike.
//!
//! Chinese has no spaces, so runs of CJK characters are indexed as every single character and
//! every overlapping pair (张三丰 → 张 三 丰 张三 三丰): any substring of one or more characters
//! can then be found. Latin letters and digits are indexed as lower-case words and found by
//! word prefix ("smi" finds "Smith").

/// Whether `c` is written without spaces between words (CJK ideographs, kana, hangul).
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // hiragana, katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // hangul syllables
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0x20000..=0x2FA1F) // CJK extensions B..
}

/// Splits text into runs: CJK runs, and word runs of letters/digits.
fn runs(text: &str) -> Vec<(bool, String)> {
    let mut out: Vec<(bool, String)> = Vec::new();
    for c in text.chars() {
        let kind = if is_cjk(c) {
            Some(true)
        } else if c.is_alphanumeric() {
            Some(false)
        } else {
            None
        };
        match (kind, out.last_mut()) {
            (Some(k), Some((last_k, run))) if *last_k == k && !run.is_empty() => run.push(c),
            (Some(k), _) => out.push((k, c.to_string())),
            (None, Some((_, run))) if !run.is_empty() => out.push((false, String::new())),
            (None, _) => {}
        }
    }
    out.retain(|(_, r)| !r.is_empty());
    out
}

fn cjk_grams(run: &str, out: &mut Vec<String>) {
    let chars: Vec<char> = run.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        out.push(c.to_string());
        if let Some(next) = chars.get(i + 1) {
            out.push(format!("{c}{next}"));
        }
    }
}

/// The terms to index for `text`, space-separated (the FTS5 `unicode61` tokenizer splits on spaces).
pub fn index_terms(text: &str) -> String {
    let mut terms = Vec::new();
    for (cjk, run) in runs(text) {
        if cjk {
            cjk_grams(&run, &mut terms);
        } else {
            terms.push(run.to_lowercase());
        }
    }
    terms.join(" ")
}

/// An FTS5 MATCH expression finding every indexed text that contains `query`, or `None` when
/// the query has nothing searchable. It may match a little more than a substring search would
/// (pairs found apart), so callers confirm candidates with a substring test.
pub fn match_expression(query: &str) -> Option<String> {
    let mut parts = Vec::new();
    for (cjk, run) in runs(query) {
        if cjk {
            let chars: Vec<char> = run.chars().collect();
            if chars.len() == 1 {
                parts.push(format!("\"{}\"", chars[0]));
            } else {
                for pair in chars.windows(2) {
                    parts.push(format!("\"{}{}\"", pair[0], pair[1]));
                }
            }
        } else {
            // Quoted so FTS5 operators in user input are plain text; `*` makes it a prefix.
            parts.push(format!("\"{}\"*", run.to_lowercase()));
        }
    }
    (!parts.is_empty()).then(|| parts.join(" AND "))
}

/// The CJK runs of `query` that pairs alone cannot pin down (three or more characters):
/// a match must contain each of them as a substring.
pub fn runs_to_confirm(query: &str) -> Vec<String> {
    runs(query)
        .into_iter()
        .filter(|(cjk, run)| *cjk && run.chars().count() >= 3)
        .map(|(_, run)| run)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_indexed_as_characters_and_pairs() {
        assert_eq!(index_terms("张三丰"), "张 张三 三 三丰 丰");
        assert_eq!(
            index_terms("App 登录后闪退"),
            "app 登 登录 录 录后 后 后闪 闪 闪退 退"
        );
    }

    #[test]
    fn latin_is_indexed_as_lower_case_words() {
        assert_eq!(
            index_terms("Parcel delivered, to the WRONG address!"),
            "parcel delivered to the wrong address"
        );
        assert_eq!(index_terms("CS2026112301 Alice"), "cs2026112301 alice");
        assert_eq!(index_terms("  ...  "), "");
    }

    #[test]
    fn queries_become_safe_match_expressions() {
        assert_eq!(match_expression("闪退").as_deref(), Some("\"闪退\""));
        assert_eq!(
            match_expression("张三丰").as_deref(),
            Some("\"张三\" AND \"三丰\"")
        );
        assert_eq!(match_expression("张").as_deref(), Some("\"张\""));
        assert_eq!(match_expression("Smi").as_deref(), Some("\"smi\"*"));
        assert_eq!(
            match_expression("app 闪退").as_deref(),
            Some("\"app\"* AND \"闪退\"")
        );
        // Operators and quotes typed by a user are only text.
        assert_eq!(
            match_expression("a\" OR b NEAR(").as_deref(),
            Some("\"a\"* AND \"or\"* AND \"b\"* AND \"near\"*")
        );
        assert_eq!(match_expression("%%%"), None);
    }

    #[test]
    fn only_long_chinese_runs_need_confirming() {
        assert_eq!(
            runs_to_confirm("张三丰 smith 闪退"),
            vec!["张三丰".to_string()]
        );
        assert!(runs_to_confirm("refund received").is_empty());
    }

    #[test]
    fn every_substring_of_chinese_text_is_findable() {
        let text = "客户反馈包裹破损需要理赔";
        let indexed: std::collections::HashSet<&str> =
            index_terms(text).leak().split(' ').collect();
        let chars: Vec<char> = text.chars().collect();
        for i in 0..chars.len() {
            for j in i + 1..=chars.len() {
                let q: String = chars[i..j].iter().collect();
                let expr = match_expression(&q).unwrap();
                for term in expr.split(" AND ") {
                    let t = term.trim_matches('"');
                    assert!(indexed.contains(t), "{q}: {t} not indexed");
                }
            }
        }
    }
}
