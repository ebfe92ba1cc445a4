//! The weekly review as an XLSX workbook: a summary sheet (late VIP tickets and their top
//! reasons, the unresolved problems), then agents and types against the week before.

use crate::pdf::doc::{self, Bars, Block, Doc, Section};
use crate::ExportError;
use pulsedesk_core::review::{BreachReason, Trend, WeekFigures, WeeklyReview};
use pulsedesk_core::sla::notice::Lang;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use std::path::Path;

pub(crate) fn reason(r: BreachReason, lang: Lang) -> &'static str {
    match (r, lang) {
        (BreachReason::WaitedForCapacity, Lang::Zh) => "等待有空闲的客服",
        (BreachReason::SlowAssignment, Lang::Zh) => "分配用时超过时限一半",
        (BreachReason::SlowContact, Lang::Zh) => "联系客户用时超过时限一半",
        (BreachReason::Reassigned, Lang::Zh) => "首次响应前被转派",
        (BreachReason::Other, Lang::Zh) => "其他",
        (BreachReason::WaitedForCapacity, Lang::En) => "Waited for an agent with capacity",
        (BreachReason::SlowAssignment, Lang::En) => "Assignment took over half the target",
        (BreachReason::SlowContact, Lang::En) => {
            "Contacting the customer took over half the target"
        }
        (BreachReason::Reassigned, Lang::En) => "Reassigned before the first response",
        (BreachReason::Other, Lang::En) => "Other",
    }
}

/// The words of the workbook, in one language.
struct Words {
    summary: &'static str,
    agents: &'static str,
    types: &'static str,
    week: &'static str,
    vip_late: &'static str,
    reason: &'static str,
    tickets: &'static str,
    unresolved: &'static str,
    name: &'static str,
    trend: [&'static str; 6],
    problems: &'static str,
    problem_cols: [&'static str; 5],
    focus: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::Zh => Words {
            summary: "概要",
            agents: "客服",
            types: "工单类型",
            week: "周（周一）",
            vip_late: "VIP 工单首次响应超时",
            reason: "原因",
            tickets: "工单数",
            unresolved: "最常见的未解决问题",
            name: "名称",
            trend: [
                "本周已解决",
                "上周已解决",
                "本周平均首次响应（分钟）",
                "上周平均首次响应（分钟）",
                "本周首次响应超时",
                "上周首次响应超时",
            ],
            problems: "高频问题",
            problem_cols: [
                "关键词/工单类型",
                "提及次数",
                "投诉数",
                "占投诉比例",
                "重点关注",
            ],
            focus: "是（超过 30%）",
        },
        Lang::En => Words {
            summary: "Summary",
            agents: "Agents",
            types: "Ticket types",
            week: "Week (Monday)",
            vip_late: "VIP tickets answered late",
            reason: "Reason",
            tickets: "Tickets",
            unresolved: "Most frequent unresolved problems",
            name: "Name",
            trend: [
                "Resolved this week",
                "Resolved last week",
                "Avg. first response this week (min)",
                "Avg. first response last week (min)",
                "Late first responses this week",
                "Late first responses last week",
            ],
            problems: "Frequent problems",
            problem_cols: [
                "Word / ticket type",
                "Mentions",
                "Complaints",
                "Share of complaints",
                "Focus",
            ],
            focus: "yes (over 30%)",
        },
    }
}

fn minutes(f: &WeekFigures) -> Option<f64> {
    f.first_response
        .secs
        .map(|s| (s as f64 / 6.0).round() / 10.0)
}

/// The review as a printable document, with the workbook's words and figures.
pub(crate) fn doc(review: &WeeklyReview, lang: Lang) -> Doc {
    let w = words(lang);
    let (title, to) = match lang {
        Lang::Zh => ("周复盘", "至"),
        Lang::En => ("Weekly review", "to"),
    };
    let sunday = review.week + chrono::Days::new(6);
    let mut summary = Section::new(w.summary, &[0.6, 0.4], &[w.week, &review.week.to_string()]);
    summary.row(vec![w.vip_late.to_owned(), review.vip_breached.to_string()]);
    let mut unresolved = Section::new(w.unresolved, &[0.7, 0.3], &[w.name, w.tickets]);
    for p in &review.unresolved {
        unresolved.row(vec![p.name.clone(), p.tickets.to_string()]);
    }
    let trend_section = |heading: &str, rows: &[Trend]| {
        // The printed durations carry their units, so the headings need none.
        let mut header = vec![w.name];
        header.extend(
            w.trend
                .iter()
                .map(|h| h.trim_end_matches("（分钟）").trim_end_matches(" (min)")),
        );
        let mut s = Section::new(
            heading,
            &[0.22, 0.13, 0.13, 0.13, 0.13, 0.13, 0.13],
            &header,
        );
        for t in rows {
            s.row(vec![
                t.name.clone(),
                t.this_week.resolved.to_string(),
                t.last_week.resolved.to_string(),
                doc::duration(t.this_week.first_response.secs, lang),
                doc::duration(t.last_week.first_response.secs, lang),
                t.this_week.breached.to_string(),
                t.last_week.breached.to_string(),
            ]);
        }
        s
    };
    let mut problems = Section::new(w.problems, &[0.36, 0.14, 0.14, 0.18, 0.18], &w.problem_cols);
    let focus = |f: bool| if f { w.focus.to_owned() } else { String::new() };
    for t in &review.problems.top {
        problems.row(vec![
            t.term.clone(),
            t.texts.to_string(),
            t.complaints.to_string(),
            doc::percent(Some(t.share_per_mille)),
            focus(t.focus),
        ]);
    }
    for t in &review.problems.types {
        problems.row(vec![
            t.name.clone(),
            String::new(),
            t.complaints.to_string(),
            doc::percent(Some(t.share_per_mille)),
            focus(t.focus),
        ]);
    }
    Doc {
        title: title.to_owned(),
        subtitle: format!("{} {to} {sunday}", review.week),
        blocks: vec![
            Block::Table(summary),
            Block::Bars(Bars::new(
                w.vip_late,
                review
                    .top_reasons
                    .iter()
                    .map(|r| (reason(r.reason, lang).to_owned(), r.tickets)),
            )),
            Block::Table(unresolved),
            Block::Table(trend_section(w.agents, &review.agents)),
            Block::Table(trend_section(w.types, &review.types)),
            Block::Table(problems),
        ],
        continued: doc::continued(lang),
    }
}

fn trends(
    sheet: &mut Worksheet,
    w: &Words,
    rows: &[Trend],
    bold: &Format,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(0, 0, w.name, bold)?;
    for (col, h) in (1u16..).zip(w.trend) {
        sheet.write_string_with_format(0, col, h, bold)?;
    }
    sheet.set_column_width(0, 20)?;
    for (row, t) in (1u32..).zip(rows) {
        sheet.write_string(row, 0, &t.name)?;
        sheet.write_number(row, 1, t.this_week.resolved)?;
        sheet.write_number(row, 2, t.last_week.resolved)?;
        if let Some(m) = minutes(&t.this_week) {
            sheet.write_number(row, 3, m)?;
        }
        if let Some(m) = minutes(&t.last_week) {
            sheet.write_number(row, 4, m)?;
        }
        sheet.write_number(row, 5, t.this_week.breached)?;
        sheet.write_number(row, 6, t.last_week.breached)?;
    }
    Ok(())
}

/// The week's frequent words, then the ticket types by their share of complaints.
fn problems(
    sheet: &mut Worksheet,
    w: &Words,
    review: &WeeklyReview,
    bold: &Format,
) -> Result<(), XlsxError> {
    let percent = Format::new().set_num_format("0.0%");
    for (col, h) in (0u16..).zip(w.problem_cols) {
        sheet.write_string_with_format(0, col, h, bold)?;
    }
    sheet.set_column_width(0, 24)?;
    let p = &review.problems;
    let words = p.top.iter().map(|t| {
        (
            &t.term,
            Some(t.texts),
            t.complaints,
            t.share_per_mille,
            t.focus,
        )
    });
    let types = p
        .types
        .iter()
        .map(|t| (&t.name, None, t.complaints, t.share_per_mille, t.focus));
    for (row, (name, texts, complaints, share, focus)) in (1u32..).zip(words.chain(types)) {
        sheet.write_string(row, 0, name)?;
        if let Some(n) = texts {
            sheet.write_number(row, 1, n)?;
        }
        sheet.write_number(row, 2, complaints)?;
        sheet.write_number_with_format(row, 3, f64::from(share) / 1000.0, &percent)?;
        if focus {
            sheet.write_string(row, 4, w.focus)?;
        }
    }
    Ok(())
}

fn build(review: &WeeklyReview, lang: Lang) -> Result<Workbook, XlsxError> {
    let w = words(lang);
    let bold = Format::new().set_bold();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name(w.summary)?;
    sheet.set_column_width(0, 44)?;
    sheet.write_string_with_format(0, 0, w.week, &bold)?;
    sheet.write_string(0, 1, review.week.to_string())?;
    sheet.write_string_with_format(1, 0, w.vip_late, &bold)?;
    sheet.write_number(1, 1, review.vip_breached)?;
    sheet.write_string_with_format(3, 0, w.reason, &bold)?;
    sheet.write_string_with_format(3, 1, w.tickets, &bold)?;
    let mut row = 4u32;
    for r in &review.top_reasons {
        sheet.write_string(row, 0, reason(r.reason, lang))?;
        sheet.write_number(row, 1, r.tickets)?;
        row += 1;
    }
    row += 1;
    sheet.write_string_with_format(row, 0, w.unresolved, &bold)?;
    sheet.write_string_with_format(row, 1, w.tickets, &bold)?;
    for p in &review.unresolved {
        row += 1;
        sheet.write_string(row, 0, &p.name)?;
        sheet.write_number(row, 1, p.tickets)?;
    }
    trends(
        book.add_worksheet().set_name(w.agents)?,
        &w,
        &review.agents,
        &bold,
    )?;
    trends(
        book.add_worksheet().set_name(w.types)?,
        &w,
        &review.types,
        &bold,
    )?;
    problems(
        book.add_worksheet().set_name(w.problems)?,
        &w,
        review,
        &bold,
    )?;
    Ok(book)
}

/// Writes `review` to `path` as an XLSX workbook, in `lang`.
pub fn weekly_review_xlsx(
    review: &WeeklyReview,
    lang: Lang,
    path: &Path,
) -> Result<(), ExportError> {
    crate::save_workbook(build(review, lang), path)
}

/// Writes `review` to `path` as a PDF document, in `lang`, with `font`.
pub fn weekly_review_pdf(
    review: &WeeklyReview,
    lang: Lang,
    font: &crate::pdf::font::ReportFont,
    path: &Path,
) -> Result<(), ExportError> {
    crate::pdf::save(&doc(review, lang), font, lang, path)
}
