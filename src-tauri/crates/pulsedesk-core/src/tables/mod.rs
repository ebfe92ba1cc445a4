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
