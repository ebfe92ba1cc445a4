//! XLSX in constant-memory mode: each row goes to a temporary file as it is written. A sheet
//! holds at most 1,048,576 rows; longer tables continue on further sheets, each with the
//! heading row.

use crate::TableWriter;
use pulsedesk_core::tables::Cell;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::path::{Path, PathBuf};

/// Data rows a sheet takes under its heading row.
const SHEET_ROWS: u32 = 1_048_575;

pub(crate) struct XlsxWriter {
    book: Workbook,
    path: PathBuf,
    sheet_name: String,
    headers: Vec<String>,
    sheets: usize,
    /// The next data row on the current sheet (1-based under the heading).
    next: u32,
    bold: Format,
    time: Format,
    score: Format,
}

fn text(e: XlsxError) -> String {
    e.to_string()
}

impl XlsxWriter {
    pub(crate) fn create(path: &Path, sheet: &str, headers: &[&str]) -> Result<Self, String> {
        // Fail now, not after a million rows, when the file cannot be created.
        std::fs::File::create(path).map_err(|e| e.to_string())?;
        let mut w = Self {
            book: Workbook::new(),
            path: path.to_path_buf(),
            sheet_name: sheet.to_string(),
            headers: headers.iter().map(|h| (*h).to_string()).collect(),
            sheets: 0,
            next: 1,
            bold: Format::new().set_bold(),
            time: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
            score: Format::new().set_num_format("0.0"),
        };
        w.new_sheet()?;
        Ok(w)
    }

    fn new_sheet(&mut self) -> Result<(), String> {
        let name = if self.sheets == 0 {
            self.sheet_name.clone()
        } else {
            format!("{} ({})", self.sheet_name, self.sheets + 1)
        };
        let sheet = self.book.add_worksheet_with_constant_memory();
        sheet.set_name(name).map_err(text)?;
        for (col, h) in (0u16..).zip(&self.headers) {
            sheet
                .write_string_with_format(0, col, h, &self.bold)
                .map_err(text)?;
            sheet.set_column_width(col, 16).map_err(text)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(text)?;
        self.sheets += 1;
        self.next = 1;
        Ok(())
    }
}

impl TableWriter for XlsxWriter {
    fn row(&mut self, cells: &[Cell]) -> Result<(), String> {
        if self.next > SHEET_ROWS {
            self.new_sheet()?;
        }
        let row = self.next;
        let Self {
            book,
            time,
            score,
            sheets,
            ..
        } = self;
        let sheet = book.worksheet_from_index(*sheets - 1).map_err(text)?;
        for (col, cell) in (0u16..).zip(cells) {
            match cell {
                Cell::Empty => {}
                Cell::Text(t) => {
                    sheet.write_string(row, col, t).map_err(text)?;
                }
                Cell::Number(n) => {
                    sheet.write_number(row, col, *n).map_err(text)?;
                }
                Cell::Score(n) => {
                    sheet
                        .write_number_with_format(row, col, *n, score)
                        .map_err(text)?;
                }
                Cell::Time(t) => {
                    sheet
                        .write_datetime_with_format(row, col, t, time)
                        .map_err(text)?;
                }
            }
        }
        self.next += 1;
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<(), String> {
        let path = self.path.clone();
        self.book.save(&path).map_err(text)
    }
}
