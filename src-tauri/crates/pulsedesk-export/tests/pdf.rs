//! The weekly review and the monthly report printed as PDF from a real workspace (two weeks
//! of demo tickets), with the system's Chinese font, and read back by poppler's pdftotext.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::NaiveDate;
use common::{last_weeks_review, workspace};
use pulsedesk_core::sla::notice::Lang;
use pulsedesk_export::{FontError, ReportFont};
use std::path::Path;
use std::process::Command;

/// The text of a PDF as poppler lays it out (a table row on one line).
fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/setup.sh --test");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The line holding `label`, squeezed to single spaces.
fn line<'a>(text: &'a str, label: &str) -> String {
    let found: &'a str = text
        .lines()
        .find(|l| l.contains(label))
        .unwrap_or_else(|| panic!("no line with {label} in:\n{text}"));
    found.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn the_weekly_review_prints_in_chinese_with_every_agent_and_figure() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, sup, _) = workspace(dir.path()).await;
    let review = last_weeks_review(&ws, &sup).await;
    assert!(review.vip_breached > 0 && !review.agents.is_empty());
    let font = ReportFont::system().unwrap();
    let path = dir.path().join("周复盘.pdf");
    pulsedesk_export::weekly_review_pdf(&review, Lang::Zh, &font, &path).unwrap();
    assert!(std::fs::read(&path).unwrap().starts_with(b"%PDF-"));

    let text = pdf_text(&path);
    assert!(text.contains("周复盘"), "{text}");
    assert!(text.contains("2026-11-16 至 2026-11-22"), "{text}");
    assert_eq!(
        line(&text, "VIP 工单首次响应超时"),
        format!("VIP 工单首次响应超时 {}", review.vip_breached)
    );
    // The reasons as the chart draws them: each bar's label, then its count.
    assert!(!review.top_reasons.is_empty());
    for r in &review.top_reasons {
        use pulsedesk_core::review::BreachReason;
        let label = match r.reason {
            BreachReason::WaitedForCapacity => "等待有空闲的客服",
            BreachReason::SlowAssignment => "分配用时超过时限一半",
            BreachReason::SlowContact => "联系客户用时超过时限一半",
            BreachReason::Reassigned => "首次响应前被转派",
            BreachReason::Other => "其他",
        };
        assert_eq!(line(&text, label), format!("{label} {}", r.tickets));
    }
    // Each agent's row: this week's and last week's resolved tickets beside the name.
    for a in &review.agents {
        let row = line(&text, &a.name);
        let want = format!(
            "{} {} {}",
            a.name, a.this_week.resolved, a.last_week.resolved
        );
        assert!(row.starts_with(&want), "{row} / {want}");
        // First response as the screen shows it (5小时04分), not a number of minutes.
        if let Some(secs) = a.this_week.first_response.secs {
            let shown = pulsedesk_core::duration::duration_text(secs, Lang::Zh);
            assert!(row.contains(&shown), "{row} / {shown}");
        }
    }
    // The frequent words with their share of complaints; 40% is a focus.
    assert_eq!(line(&text, "退款"), "退款 12 4 40.0% 是（超过 30%）");
    assert_eq!(line(&text, "物流"), "物流 9 3 30.0%");
    // No file is left under a temporary name.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with(".partial")), "{names:?}");
}

#[tokio::test]
async fn the_monthly_report_prints_in_english_with_this_month_and_last() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, sup, _) = workspace(dir.path()).await;
    let report = ws
        .monthly_report(&sup, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
        .await
        .unwrap();
    let font = ReportFont::system().unwrap();
    let path = dir.path().join("monthly.pdf");
    pulsedesk_export::monthly_report_pdf(&report, Lang::En, &font, &path).unwrap();
    let text = pdf_text(&path);
    assert!(
        text.contains("Monthly report") && text.contains("2026-11"),
        "{text}"
    );
    assert_eq!(
        line(&text, "Tickets logged"),
        format!(
            "Tickets logged {} {}",
            report.this_month.logged, report.last_month.logged
        )
    );
    // Durations as the screen shows them ("2 h 05 min"), shares in percent.
    let shown = |s: Option<i64>| {
        s.map_or("—".into(), |s| {
            pulsedesk_core::duration::duration_text(s, Lang::En)
        })
    };
    let pct = |p: Option<u32>| p.map_or("—".into(), |p| format!("{}.{}%", p / 10, p % 10));
    let (this, last) = (&report.this_month, &report.last_month);
    for (label, a, b) in [
        (
            "Avg. first response",
            shown(this.first_response.secs),
            shown(last.first_response.secs),
        ),
        (
            "Reopen rate",
            pct(this.reopened.per_mille),
            pct(last.reopened.per_mille),
        ),
    ] {
        assert_eq!(line(&text, label), format!("{label} {a} {b}"));
    }
    // Every table under its heading; the backlog line and charts as the screen shows them.
    assert!(text.contains("Key figures"), "{text}");
    let median = shown(report.backlog_median_age_secs);
    assert_eq!(
        line(&text, "open tickets;"),
        format!(
            "{} open tickets; the middle one waiting {median}, the oldest {}",
            report.backlog,
            shown(report.backlog_oldest_age_secs)
        )
    );
    assert!(text.contains("Open tickets by stage") && text.contains("Open tickets by type"));
    assert!(report.backlog_by_stage.iter().any(|s| s.tickets > 0));
    for (label, s) in ["Unassigned", "To contact", "In progress", "Awaiting reply"]
        .iter()
        .zip(&report.backlog_by_stage)
    {
        assert_eq!(line(&text, label), format!("{label} {}", s.tickets));
    }
    for t in &report.backlog_by_type {
        assert!(text.contains(&format!("{} ", t.name)), "{}", t.name);
    }
    // A folder that does not exist: named, nothing written.
    let bad = dir.path().join("missing").join("r.pdf");
    let err = pulsedesk_export::monthly_report_pdf(&report, Lang::En, &font, &bad).unwrap_err();
    assert!(err.to_string().contains("missing"), "{err}");
}

#[test]
fn a_font_without_chinese_or_not_a_font_is_refused_by_name() {
    let latin = Path::new("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    if latin.exists() {
        let err = ReportFont::from_file(latin, 0).unwrap_err();
        assert!(matches!(err, FontError::Incomplete { .. }), "{err}");
    }
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("not-a-font.ttf");
    std::fs::write(&junk, b"hello").unwrap();
    let err = ReportFont::from_file(&junk, 0).unwrap_err();
    assert!(
        matches!(err, FontError::Unreadable { .. }) && err.to_string().contains("not-a-font.ttf"),
        "{err}"
    );
    let err = ReportFont::from_file(&dir.path().join("gone.ttf"), 0).unwrap_err();
    assert!(err.to_string().contains("gone.ttf"), "{err}");
}
