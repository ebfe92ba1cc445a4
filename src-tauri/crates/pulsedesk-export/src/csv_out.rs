//! CSV: UTF-8 with a byte-order mark (so spreadsheet programs read Chinese correctly),
//! every field quoted where needed.

use crate::TableWriter;
use pulsedesk_core::tables::Cell;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

pub(crate) struct CsvWriter {
    out: csv::Writer<BufWriter<File>>,
}

impl CsvWriter {
    pub(crate) fn create(path: &Path, headers: &[&str]) -> Result<Self, String> {
        let mut file = BufWriter::new(File::create(path).map_err(|e| e.to_string())?);
        file.write_all("\u{feff}".as_bytes())
            .map_err(|e| e.to_string())?;
        let mut out = csv::Writer::from_writer(file);
        out.write_record(headers).map_err(|e| e.to_string())?;
        Ok(Self { out })
    }
}

impl TableWriter for CsvWriter {
    fn row(&mut self, cells: &[Cell]) -> Result<(), String> {
        self.out
            .write_record(cells.iter().map(Cell::text))
            .map_err(|e| e.to_string())
    }

    fn finish(mut self: Box<Self>) -> Result<(), String> {
        self.out.flush().map_err(|e| e.to_string())?;
        let file = self.out.into_inner().map_err(|e| e.to_string())?;
        file.into_inner()
            .map_err(|e| e.to_string())?
            .sync_all()
            .map_err(|e| e.to_string())
    }
}
