//! The seed's tables as data a spreadsheet can take: each table's columns, and each row as
//! cells in the reader's language. The shell writes them as CSV or XLSX.

pub mod feedback;
pub mod labels;
pub mod measures;
pub mod tracking;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A spreadsheet file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TableFormat {
    Csv,
    Xlsx,
}

impl TableFormat {
    pub fn extension(self) -> &'static str {
        match self {
            TableFormat::Csv => "csv",
            TableFormat::Xlsx => "xlsx",
        }
    }
}

/// A report file format: a workbook to work on, or a document to print and pass on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    Xlsx,
    Pdf,
}

impl ReportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Xlsx => "xlsx",
            ReportFormat::Pdf => "pdf",
        }
    }
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A number (minutes, counts); written as a number, not text.
    Number(f64),
    /// A score, always shown with one decimal (4.0, not 4).
    Score(f64),
    /// A local date and time.
    Time(chrono::NaiveDateTime),
}

impl Cell {
    /// The cell as CSV text (numbers without trailing zeros, times as `YYYY-MM-DD HH:MM`).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
            Cell::Number(n) | Cell::Score(n) => format!("{n:.1}"),
            Cell::Time(t) => t.format("%Y-%m-%d %H:%M").to_string(),
        }
    }
}

#[cfg(test)]
mod punctuation_tests {
    //! The words of every file people read are punctuated as their language expects:
    //! full-width marks beside Chinese, none in English.
    use super::{feedback, labels, measures, tracking};
    use crate::kinds::{Department, Outcome, Priority, Stage, Tier};
    use crate::sla::notice::Lang;

    fn cjk(c: char) -> bool {
        ('\u{3400}'..='\u{9fff}').contains(&c) || ('\u{f900}'..='\u{faff}').contains(&c)
    }

    fn fault(text: &str, lang: Lang) -> Option<String> {
        let chars: Vec<char> = text.chars().collect();
        match lang {
            Lang::Zh => chars.windows(2).find_map(|w| {
                let half_after = cjk(w[0]) && ",;:?!(".contains(w[1]);
                let half_before = ",;:?!)".contains(w[0]) && cjk(w[1]);
                (half_after || half_before).then(|| format!("{text:?}: half-width beside Chinese"))
            }),
            Lang::En => chars
                .iter()
                .find(|c| "，。：；？！（）、【】《》".contains(**c))
                .map(|c| format!("{text:?}: full-width {c} in English")),
        }
    }

    #[test]
    fn every_heading_and_label_of_the_exports_is_punctuated_for_its_language() {
        for lang in [Lang::Zh, Lang::En] {
            let mut words: Vec<&str> = Vec::new();
            words.extend(feedback::headers(lang));
            words.extend(measures::headers(lang));
            words.extend(tracking::headers(lang));
            words.extend(Stage::ALL.iter().map(|s| labels::stage(*s, lang)));
            words.extend(Priority::ALL.iter().map(|p| labels::priority(*p, lang)));
            words.extend(Tier::ALL.iter().map(|t| labels::tier(*t, lang)));
            words.extend(Department::ALL.iter().map(|d| labels::department(*d, lang)));
            words.extend(Outcome::ALL.iter().map(|o| labels::outcome(*o, lang)));
            let faults: Vec<String> = words.iter().filter_map(|w| fault(w, lang)).collect();
            assert!(faults.is_empty(), "{faults:#?}");
        }
        // The check itself catches what it should.
        assert!(fault("响应速度评分(1-5分)", Lang::Zh).is_some());
        assert!(fault("Score（1-5）", Lang::En).is_some());
        assert!(fault("响应速度评分（1-5分）", Lang::Zh).is_none());
    }
}
