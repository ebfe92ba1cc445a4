//! The seed's tables written as CSV or XLSX files, a row at a time: memory stays flat
//! whether a table has ten rows or a million. A file is written under a temporary name and
//! renamed when complete, so a failed export never leaves a half file where one was asked for.

mod csv_out;
mod monthly;
mod pdf;
mod review;
mod xlsx_out;

pub use monthly::{monthly_report_pdf, monthly_report_xlsx};
pub use pdf::font::{FontError, ReportFont};
pub use review::{weekly_review_pdf, weekly_review_xlsx};

use chrono::FixedOffset;
use pulsedesk_core::board::DayRange;
use pulsedesk_core::permissions::Actor;
use pulsedesk_core::sla::notice::Lang;
use pulsedesk_core::tables::{feedback, measures, tracking, Cell, TableFormat};
use pulsedesk_store::{StoreError, TablesError, Workspace};
use std::path::{Path, PathBuf};

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("could not write {path}: {reason}")]
    Write { path: PathBuf, reason: String },
}

impl ExportError {
    fn write(path: &Path, reason: impl std::fmt::Display) -> Self {
        ExportError::Write {
            path: path.to_path_buf(),
            reason: reason.to_string(),
        }
    }
}

/// A table file being written, row by row.
trait TableWriter: Send {
    fn row(&mut self, cells: &[Cell]) -> Result<(), String>;
    /// Completes the file at the writer's path.
    fn finish(self: Box<Self>) -> Result<(), String>;
}

fn writer(
    format: TableFormat,
    path: &Path,
    sheet: &str,
    headers: &[&str],
) -> Result<Box<dyn TableWriter>, String> {
    Ok(match format {
        TableFormat::Csv => Box::new(csv_out::CsvWriter::create(path, headers)?),
        TableFormat::Xlsx => Box::new(xlsx_out::XlsxWriter::create(path, sheet, headers)?),
    })
}

/// The name the file is written under until it is complete.
fn partial(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}

/// Saves a workbook built in memory (small reports) to `path`, under the temporary name
/// until it is complete.
fn save_workbook(
    built: Result<rust_xlsxwriter::Workbook, rust_xlsxwriter::XlsxError>,
    path: &Path,
) -> Result<(), ExportError> {
    let temp = partial(path);
    match built.and_then(|mut book| book.save(&temp)) {
        Ok(()) => std::fs::rename(&temp, path).map_err(|e| ExportError::write(path, e)),
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            Err(ExportError::write(path, e))
        }
    }
}

/// Streams a table into `path`: `fill` hands rows to the writer and gives it back with the
/// store's result; the file appears under its name only when complete.
async fn stream_table<F, Fut>(
    format: TableFormat,
    sheet: &str,
    headers: &[&str],
    path: &Path,
    fill: F,
) -> Result<u64, ExportError>
where
    F: FnOnce(Box<dyn TableWriter>) -> Fut,
    Fut: std::future::Future<Output = (Box<dyn TableWriter>, Result<u64, TablesError<String>>)>,
{
    let temp = partial(path);
    let out = writer(format, &temp, sheet, headers).map_err(|e| ExportError::write(path, e))?;
    let (out, written) = fill(out).await;
    let done = match written {
        Ok(n) => out
            .finish()
            .map(|()| n)
            .map_err(|e| ExportError::write(path, e)),
        Err(TablesError::Store(e)) => Err(ExportError::Store(e)),
        Err(TablesError::Sink(e)) => Err(ExportError::write(path, e)),
    };
    match done {
        Ok(n) => {
            std::fs::rename(&temp, path).map_err(|e| ExportError::write(path, e))?;
            Ok(n)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            Err(e)
        }
    }
}

/// Writes the ticket status tracking table (tickets logged within `range`, all when `None`)
/// to `path`, in `lang` and local time at `offset`. Returns the number of rows.
pub async fn tracking_table(
    ws: &Workspace,
    actor: &Actor,
    range: Option<DayRange>,
    format: TableFormat,
    lang: Lang,
    offset: FixedOffset,
    path: &Path,
) -> Result<u64, ExportError> {
    let sheet = match lang {
        Lang::Zh => "工单状态跟踪表",
        Lang::En => "Ticket status tracking",
    };
    stream_table(
        format,
        sheet,
        &tracking::headers(lang),
        path,
        |mut out| async move {
            let r = ws
                .tracking_rows(actor, range, |row| {
                    out.row(&tracking::cells(&row, lang, offset))
                })
                .await;
            (out, r)
        },
    )
    .await
}

/// Writes the feedback score summary table (answers given within `range`, all when `None`)
/// to `path`, in `lang`. Returns the number of rows.
pub async fn feedback_table(
    ws: &Workspace,
    actor: &Actor,
    range: Option<DayRange>,
    format: TableFormat,
    lang: Lang,
    path: &Path,
) -> Result<u64, ExportError> {
    let sheet = match lang {
        Lang::Zh => "客户反馈评分汇总表",
        Lang::En => "Feedback score summary",
    };
    stream_table(
        format,
        sheet,
        &feedback::headers(lang),
        path,
        |mut out| async move {
            let r = ws
                .feedback_rows(actor, range, |row| out.row(&feedback::cells(&row, lang)))
                .await;
            (out, r)
        },
    )
    .await
}

/// Writes the improvement measures table (each measure with its evaluation) to `path`.
pub async fn measures_table(
    list: &[pulsedesk_core::measures::Measure],
    format: TableFormat,
    lang: Lang,
    path: &Path,
) -> Result<u64, ExportError> {
    let sheet = match lang {
        Lang::Zh => "优化措施表",
        Lang::En => "Improvement measures",
    };
    stream_table(
        format,
        sheet,
        &measures::headers(lang),
        path,
        |mut out| async move {
            let mut n = 0;
            for m in list {
                if let Err(e) = out.row(&measures::cells(m, lang)) {
                    return (out, Err(TablesError::Sink(e)));
                }
                n += 1;
            }
            (out, Ok(n))
        },
    )
    .await
}
