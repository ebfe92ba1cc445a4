//! A report as a printable document: a title, then blocks — tables, bar charts and lines of
//! text, each under its own heading. The report modules build one from the same words their
//! workbooks and screens use; `layout` places it on A4 pages.

/// A printable report.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Doc {
    pub title: String,
    /// A line under the title (the period the report covers).
    pub subtitle: String,
    pub blocks: Vec<Block>,
    /// What a heading says again on a page a table runs onto ("（续）", " (continued)").
    pub continued: String,
}

/// One part of a report.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    Table(Section),
    Bars(Bars),
    /// A heading and a sentence under it (the backlog now).
    Line {
        heading: String,
        text: String,
    },
}

/// A horizontal bar chart, as the screen draws it: one bar per label, longest the largest.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bars {
    pub heading: String,
    pub bars: Vec<(String, u32)>,
}

impl Bars {
    pub fn new(heading: &str, bars: impl IntoIterator<Item = (String, u32)>) -> Self {
        Self {
            heading: heading.to_owned(),
            bars: bars.into_iter().collect(),
        }
    }
}

/// A heading and a table under it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Section {
    pub heading: String,
    /// Each column's share of the text width; they sum to at most 1.
    pub widths: Vec<f32>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Section {
    pub fn new(heading: &str, widths: &[f32], header: &[&str]) -> Self {
        Self {
            heading: heading.to_owned(),
            widths: widths.to_vec(),
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }
}

/// What a heading says again on a page a table runs onto.
pub(crate) fn continued(lang: pulsedesk_core::sla::notice::Lang) -> String {
    match lang {
        pulsedesk_core::sla::notice::Lang::Zh => "（续）".to_owned(),
        pulsedesk_core::sla::notice::Lang::En => " (continued)".to_owned(),
    }
}

/// A length of time as the screen shows it ("5小时04分"), or a dash when there is none.
pub(crate) fn duration(secs: Option<i64>, lang: pulsedesk_core::sla::notice::Lang) -> String {
    secs.map_or_else(
        || "—".to_owned(),
        |s| pulsedesk_core::duration::duration_text(s, lang),
    )
}

/// Tenths of a percent as a percentage with one decimal, or a dash when there is none.
pub(crate) fn percent(per_mille: Option<u32>) -> String {
    per_mille.map_or_else(|| "—".to_owned(), |p| format!("{}.{}%", p / 10, p % 10))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_on_screen_and_dash_without_a_value() {
        use pulsedesk_core::sla::notice::Lang;
        assert_eq!(duration(Some(5 * 3600 + 4 * 60), Lang::Zh), "5小时04分");
        assert_eq!(duration(Some(90), Lang::En), "1 min");
        assert_eq!(duration(None, Lang::En), "—");
    }

    #[test]
    fn percents_come_from_tenths() {
        assert_eq!(percent(Some(1000)), "100.0%");
        assert_eq!(percent(Some(57)), "5.7%");
        assert_eq!(percent(None), "—");
    }
}
