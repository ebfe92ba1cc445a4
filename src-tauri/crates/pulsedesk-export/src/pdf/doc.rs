//! A report as a printable document: a title, then sections, each a small table of text.
//! The report modules build one from the same words their workbooks use; `render` lays it
//! out on A4 pages.

/// A printable report.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Doc {
    pub title: String,
    /// A line under the title (the period the report covers).
    pub subtitle: String,
    pub sections: Vec<Section>,
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
