//! The monthly report as an XLSX workbook: one sheet, each figure this month and last.

use crate::pdf::doc::{Bars, Block, Doc, Section};
use crate::ExportError;
use pulsedesk_core::board::{Average, Verdicts};
use pulsedesk_core::review::{MonthFigures, MonthlyReport, Share};
use pulsedesk_core::sla::notice::Lang;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::path::Path;

/// One figure of a month, as what it is.
enum Figure {
    Count(u32),
    Duration(i64),
    /// In tenths of a percent.
    Percent(u32),
}

/// Figure `row` of `f`, if it has a value.
fn value(f: &MonthFigures, row: usize) -> Option<Figure> {
    let duration = |a: Average| a.secs.map(Figure::Duration);
    let share = |s: Share| s.per_mille.map(Figure::Percent);
    let sla = |v: Verdicts| v.per_mille.map(Figure::Percent);
    match row {
        0 => Some(Figure::Count(f.logged)),
        1 => Some(Figure::Count(f.resolved)),
        2 => duration(f.first_response),
        3 => duration(f.resolution),
        4 => duration(f.handling),
        5 => share(f.first_contact),
        6 => share(f.reopened),
        7 => share(f.high_priority_resolved),
        8 => sla(f.first_response_sla),
        _ => sla(f.resolution_sla),
    }
}

/// The columns' heads: month to date against the same days of the month before while the
/// month is not over, else this month against the last.
fn heads(report: &MonthlyReport, lang: Lang) -> [String; 3] {
    match (lang, report.compared_days) {
        (Lang::Zh, Some(n)) => [
            "指标".into(),
            format!("本月至今（1–{n}日）"),
            format!("上月同期（1–{n}日）"),
        ],
        (Lang::En, Some(n)) => [
            "Figure".into(),
            format!("Month to date (days 1–{n})"),
            format!("Same days last month (1–{n})"),
        ],
        (_, None) => labels(lang).1.map(str::to_owned),
    }
}

fn labels(lang: Lang) -> ([&'static str; 10], [&'static str; 3]) {
    match lang {
        Lang::Zh => (
            [
                "新建工单",
                "已解决工单",
                "平均首次响应（分钟）",
                "平均解决时长（分钟）",
                "平均处理时长（分钟）",
                "首次解决率",
                "重开率",
                "高优先级解决率",
                "首次响应 SLA 达成率",
                "解决 SLA 达成率",
            ],
            ["指标", "本月", "上月"],
        ),
        Lang::En => (
            [
                "Tickets logged",
                "Tickets resolved",
                "Avg. first response (min)",
                "Avg. resolution (min)",
                "Avg. handling time (min)",
                "First-contact resolution",
                "Reopen rate",
                "High-priority resolution rate",
                "First-response SLA attained",
                "Resolution SLA attained",
            ],
            ["Figure", "This month", "Last month"],
        ),
    }
}

fn build(report: &MonthlyReport, lang: Lang) -> Result<Workbook, XlsxError> {
    let (rows, _) = labels(lang);
    let heads = heads(report, lang);
    let bold = Format::new().set_bold();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(match lang {
        Lang::Zh => "月度报告",
        Lang::En => "Monthly report",
    })?;
    sheet.set_column_width(0, 36)?;
    // Percentages are stored as fractions in a percent format, so they sum and chart as
    // percentages; durations as minutes (the label says so).
    let percent = Format::new().set_num_format("0.0%");
    sheet.write_string_with_format(0, 0, report.month.format("%Y-%m").to_string(), &bold)?;
    for (col, h) in (0u16..).zip(heads.iter().map(String::as_str)) {
        sheet.write_string_with_format(1, col, h, &bold)?;
    }
    for (i, label) in rows.iter().enumerate() {
        let row = u32::try_from(i).unwrap_or(0) + 2;
        sheet.write_string(row, 0, *label)?;
        for (col, f) in [(1u16, &report.this_month), (2, &report.last_month)] {
            match value(f, i) {
                Some(Figure::Count(n)) => {
                    sheet.write_number(row, col, f64::from(n))?;
                }
                Some(Figure::Duration(secs)) => {
                    sheet.write_number(row, col, (secs as f64 / 6.0).round() / 10.0)?;
                }
                Some(Figure::Percent(p)) => {
                    sheet.write_number_with_format(row, col, f64::from(p) / 1000.0, &percent)?;
                }
                None => {}
            }
        }
    }
    Ok(book)
}

/// Writes `report` to `path` as an XLSX workbook, in `lang`.
pub fn monthly_report_xlsx(
    report: &MonthlyReport,
    lang: Lang,
    path: &Path,
) -> Result<(), ExportError> {
    crate::save_workbook(build(report, lang), path)
}

/// The report as a printable document: each figure this month and last.
pub(crate) fn doc(report: &MonthlyReport, lang: Lang) -> Doc {
    let (rows, _) = labels(lang);
    // The printed figures carry their units, so the labels need none.
    let rows = rows.map(|l| {
        l.trim_end_matches("（分钟）")
            .trim_end_matches(" (min)")
            .to_owned()
    });
    let heads = heads(report, lang);
    let heads: Vec<&str> = heads.iter().map(String::as_str).collect();
    let title = match lang {
        Lang::Zh => "月度报告",
        Lang::En => "Monthly report",
    };
    let words = match lang {
        Lang::Zh => [
            "关键指标",
            "当前积压",
            "按阶段的未完成工单",
            "按类型的未完成工单",
        ],
        Lang::En => [
            "Key figures",
            "Backlog now",
            "Open tickets by stage",
            "Open tickets by type",
        ],
    };
    let mut table = Section::new(words[0], &[0.56, 0.22, 0.22], &heads);
    for (i, label) in rows.iter().enumerate() {
        // As the screen shows them: durations in hours and minutes, shares in percent.
        let cell = |f: &MonthFigures| match value(f, i) {
            Some(Figure::Count(n)) => n.to_string(),
            Some(Figure::Duration(secs)) => pulsedesk_core::duration::duration_text(secs, lang),
            Some(Figure::Percent(p)) => crate::pdf::doc::percent(Some(p)),
            None => "—".to_owned(),
        };
        table.row(vec![
            label.clone(),
            cell(&report.this_month),
            cell(&report.last_month),
        ]);
    }
    let by_stage = report.backlog_by_stage.iter().map(|s| {
        (
            pulsedesk_core::tables::labels::stage(s.stage, lang).to_owned(),
            s.tickets,
        )
    });
    let by_type = report
        .backlog_by_type
        .iter()
        .map(|t| (t.name.clone(), t.tickets));
    Doc {
        title: title.to_owned(),
        subtitle: report.month.format("%Y-%m").to_string(),
        blocks: vec![
            Block::Table(table),
            Block::Line {
                heading: words[1].to_owned(),
                text: backlog_line(report, lang),
            },
            Block::Bars(Bars::new(words[2], by_stage)),
            Block::Bars(Bars::new(words[3], by_type)),
        ],
        continued: crate::pdf::doc::continued(lang),
    }
}

/// The backlog as the screen says it: how many are open, the middle and the longest wait.
fn backlog_line(report: &MonthlyReport, lang: Lang) -> String {
    let median = crate::pdf::doc::duration(report.backlog_median_age_secs, lang);
    let oldest = crate::pdf::doc::duration(report.backlog_oldest_age_secs, lang);
    match lang {
        Lang::Zh => format!(
            "{} 张未完成工单；中位等待 {median}，最久 {oldest}",
            report.backlog
        ),
        Lang::En => format!(
            "{} open tickets; the middle one waiting {median}, the oldest {oldest}",
            report.backlog
        ),
    }
}

/// Writes `report` to `path` as a PDF document, in `lang`, with `font`.
pub fn monthly_report_pdf(
    report: &MonthlyReport,
    lang: Lang,
    font: &crate::pdf::font::ReportFont,
    path: &Path,
) -> Result<(), ExportError> {
    crate::pdf::save(&doc(report, lang), font, lang, path)
}
