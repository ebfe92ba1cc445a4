//! Keyword extraction on a Chinese fixture: thirty complaints about parcels, refunds,
//! logistics, invoices and points. The top terms, and how many complaints mention each,
//! are known from how the fixture was written.

// Test code: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

use pulsedesk_keywords::{Extractor, Term};

fn count(text: &str) -> Vec<Term> {
    let x = Extractor::new();
    let mut c = x.counter();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        c.add(line);
    }
    assert_eq!(c.texts(), 30);
    c.top(5)
}

#[test]
fn the_chinese_fixture_yields_its_known_top_terms() {
    let top = count(include_str!("fixtures/complaints-zh.txt"));
    let got: Vec<(&str, u32)> = top.iter().map(|t| (t.term.as_str(), t.texts)).collect();
    assert_eq!(
        &got[..4],
        &[("快递", 11), ("退款", 9), ("物流", 7), ("发票", 3)],
        "{got:?}"
    );
}

#[test]
fn english_and_mixed_texts_count_whole_words() {
    let x = Extractor::new();
    let mut c = x.counter();
    for t in [
        "Refund not received after two weeks",
        "The refund was rejected",
        "Parcel delayed, refund please",
        "parcel lost 包裹丢失",
        "App crashes on login",
    ] {
        c.add(t);
    }
    let top = c.top(3);
    assert_eq!(top[0].term, "refund");
    assert_eq!(top[0].texts, 3);
    assert_eq!(top[1].term, "parcel");
    assert_eq!(c.mentions("包裹"), 1);
}
