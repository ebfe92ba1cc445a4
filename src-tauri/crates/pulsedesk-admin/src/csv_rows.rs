//! Reading an import file: UTF-8 CSV (a byte-order mark is fine), a header row of column
//! names — the export's English names or the seed's Chinese ones — then one ticket per row.

use pulsedesk_core::history::{parse_row, HistoryRow, COLUMN_ALIASES};
use std::collections::HashMap;
use std::path::Path;

/// Columns the export writes that an import works out again from the others.
const DERIVED: &[&str] = &["first_response_minutes", "resolution_minutes", "round"];

/// Every row with its line number, or every problem found (by line).
pub fn read(path: &Path, offset_hours: i32) -> Result<Vec<(u64, HistoryRow)>, Vec<String>> {
    let file = std::fs::File::open(path)
        .map_err(|e| vec![format!("{}: cannot be opened: {e}", path.display())])?;
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(file);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| vec![format!("line 1: not a CSV header row: {e}")])?
        .iter()
        .map(|h| {
            let h = h.trim().trim_start_matches('\u{feff}');
            COLUMN_ALIASES
                .iter()
                .find(|(zh, _)| *zh == h)
                .map_or_else(|| h.to_lowercase(), |(_, en)| (*en).to_string())
        })
        .collect();
    let known: Vec<&str> = COLUMN_ALIASES.iter().map(|(_, en)| *en).collect();
    let unknown: Vec<&String> = header
        .iter()
        .filter(|h| !known.contains(&h.as_str()) && !DERIVED.contains(&h.as_str()))
        .collect();
    if !unknown.is_empty() {
        return Err(vec![format!(
            "line 1: unknown column(s) {unknown:?}; the columns are {}",
            known.join(", ")
        )]);
    }
    let index: HashMap<&str, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.as_str(), i))
        .collect();
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let get = |c: &str| index.get(c).and_then(|i| record.get(*i));
        match parse_row(get, offset_hours) {
            Ok(row) => rows.push((line, row)),
            Err(errors) => problems.extend(
                errors
                    .into_iter()
                    .map(|e| format!("line {line}, {}: {}", e.column, e.reason)),
            ),
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push("the file has no rows under its header".into());
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}
