//! The seed's tables and the weekly review written from a real workspace (two weeks of demo
//! tickets) as CSV and XLSX, read back and compared with the workspace.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::NaiveDate;
use common::{beijing, last_weeks_review, workspace};
use pulsedesk_core::board::DayRange;
use pulsedesk_core::sla::notice::Lang;
use pulsedesk_core::tables::TableFormat;
use pulsedesk_export::{tracking_table, ExportError};
use pulsedesk_store::Workspace;
use std::io::Read;

/// One file of an XLSX (a zip), as text.
fn entry(zip: &mut zip::ZipArchive<std::fs::File>, name: &str) -> String {
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

async fn count(ws: &Workspace, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(ws.pool()).await.unwrap()
}

#[tokio::test]
async fn csv_holds_every_ticket_in_chinese_and_matches_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, sup, _) = workspace(dir.path()).await;
    let path = dir.path().join("跟踪表.csv");
    let n = tracking_table(
        &ws,
        &sup,
        None,
        TableFormat::Csv,
        Lang::Zh,
        beijing(),
        &path,
    )
    .await
    .unwrap();
    assert_eq!(n as i64, count(&ws, "SELECT count(*) FROM tickets").await);
    let bytes = std::fs::read(&path).unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "a BOM for spreadsheet programs"
    );
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let headers = r.headers().unwrap().clone();
    assert_eq!(&headers[0], "工单编号");
    assert_eq!(headers.len(), 10);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len() as u64, n);
    // Each line is the workspace's ticket: number, stage and assignee.
    let (number, stage, assignee): (String, String, Option<String>) = sqlx::query_as(
        "SELECT t.number, t.stage, u.name FROM tickets t LEFT JOIN users u ON u.id = t.assignee_id
         ORDER BY t.created_at, t.id LIMIT 1",
    )
    .fetch_one(ws.pool())
    .await
    .unwrap();
    assert_eq!(&rows[0][0], number);
    assert_eq!(&rows[0][4], assignee.unwrap_or_default());
    let stage_zh = match stage.as_str() {
        "done" => "已完成",
        "unassigned" => "待分配",
        "to_contact" => "待联系客户",
        "in_progress" => "处理中",
        _ => "待回复客户",
    };
    assert_eq!(&rows[0][8], stage_zh);
    // Oldest first; the response target is in minutes for every ticket.
    assert!(rows.windows(2).all(|w| w[0][1] <= w[1][1]));
    assert!(rows.iter().all(|r| r[5].parse::<f64>().is_ok()), "targets");
    let late = rows.iter().filter(|r| &r[7] == "响应超时").count();
    let met = rows.iter().filter(|r| &r[7] == "响应达标").count();
    assert!(late > 0 && met > 0, "{late} late, {met} met");
    assert!(!dir.path().join("跟踪表.csv.partial").exists());
}

#[tokio::test]
async fn xlsx_opens_as_a_workbook_with_the_chosen_days_only() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, sup, _) = workspace(dir.path()).await;
    let path = dir.path().join("tracking.xlsx");
    let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let range = DayRange {
        first: day,
        last: day,
    };
    let n = tracking_table(
        &ws,
        &sup,
        Some(range),
        TableFormat::Xlsx,
        Lang::En,
        beijing(),
        &path,
    )
    .await
    .unwrap();
    // 2026-11-20 in Beijing: 11-19 16:00 to 11-20 16:00 UTC.
    let want = count(
        &ws,
        "SELECT count(*) FROM tickets WHERE created_at >= 1795104000000 AND created_at < 1795190400000",
    )
    .await;
    assert!(want > 5, "the demo logs tickets every day");
    assert_eq!(n as i64, want);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let sheet = entry(&mut zip, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("Ticket number"), "the heading row");
    // Heading + one row a ticket.
    assert_eq!(sheet.matches("<row ").count() as i64, want + 1);
    let book = entry(&mut zip, "xl/workbook.xml");
    assert!(book.contains("Ticket status tracking"));
}

#[tokio::test]
async fn agents_are_refused_and_a_bad_folder_is_named_without_leaving_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, sup, agent) = workspace(dir.path()).await;
    let path = dir.path().join("t.csv");
    let err = tracking_table(
        &ws,
        &agent,
        None,
        TableFormat::Csv,
        Lang::En,
        beijing(),
        &path,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, ExportError::Store(ref e) if e.code() == "forbidden"),
        "{err}"
    );
    assert!(!path.exists() && !dir.path().join("t.csv.partial").exists());

    let missing = dir.path().join("no such folder").join("t.xlsx");
    let err = tracking_table(
        &ws,
        &sup,
        None,
        TableFormat::Xlsx,
        Lang::En,
        beijing(),
        &missing,
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("no such folder"), "{err}");
}

#[tokio::test]
async fn the_weekly_review_opens_as_a_workbook_of_four_sheets() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, sup, _) = workspace(dir.path()).await;
    let review = last_weeks_review(&ws, &sup).await;
    assert!(review.vip_breached > 0 && !review.agents.is_empty());
    let path = dir.path().join("周复盘.xlsx");
    pulsedesk_export::weekly_review_xlsx(&review, Lang::Zh, &path).unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let book = entry(&mut zip, "xl/workbook.xml");
    for sheet in ["概要", "客服", "工单类型", "高频问题"] {
        assert!(book.contains(sheet), "sheet {sheet}: {book}");
    }
    let summary = entry(&mut zip, "xl/worksheets/sheet1.xml");
    assert!(
        summary.contains(&format!("<v>{}</v>", review.vip_breached)),
        "the late VIP count is a number cell"
    );
    let agents = entry(&mut zip, "xl/worksheets/sheet2.xml");
    assert_eq!(agents.matches("<row ").count(), review.agents.len() + 1);
    // Frequent problems: a heading, two words, one type; the 40% word is a focus.
    let problems = entry(&mut zip, "xl/worksheets/sheet4.xml");
    assert_eq!(problems.matches("<row ").count(), 4);
    assert!(problems.contains("<v>0.4</v>"), "{problems}");
    // A folder that does not exist: named, nothing left behind.
    let bad = dir.path().join("missing").join("r.xlsx");
    let err = pulsedesk_export::weekly_review_xlsx(&review, Lang::En, &bad).unwrap_err();
    assert!(err.to_string().contains("missing"), "{err}");
}

#[tokio::test]
async fn the_feedback_summary_table_holds_every_answer_like_the_seeds_table() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, sup, agent) = workspace(dir.path()).await;
    let answers = count(
        &ws,
        "SELECT COUNT(*) FROM surveys WHERE answered_at IS NOT NULL",
    )
    .await;
    assert!(answers > 20, "the demo answers its finished tickets");
    let path = dir.path().join("feedback.csv");
    let n = pulsedesk_export::feedback_table(&ws, &sup, None, TableFormat::Csv, Lang::Zh, &path)
        .await
        .unwrap();
    assert_eq!(n as i64, answers);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with(
        "\u{feff}日期,工单编号,客户评分,响应速度评分（1-5分）,专业度评分（1-5分）,问题解决评分（1-5分）,问题是否解决,客户建议,跟进责任人,跟进工单\n"
    ));
    // Every row's overall score is the mean of its three, one decimal; a follow-up row
    // names its owner.
    let mut follow_ups = 0;
    for rec in csv::Reader::from_reader(text.as_bytes()).records() {
        let cells = rec.unwrap();
        let s: Vec<u32> = (3..6).map(|i| cells[i].parse().unwrap()).collect();
        let mean = f64::from(s[0] + s[1] + s[2]) / 3.0;
        assert_eq!(&cells[2], format!("{mean:.1}"), "{cells:?}");
        if !cells[8].is_empty() {
            follow_ups += 1;
            assert!(cells[9].starts_with("CS"), "{cells:?}");
        }
    }
    let flagged = count(
        &ws,
        "SELECT COUNT(*) FROM surveys WHERE follow_up_ticket_id IS NOT NULL",
    )
    .await;
    assert_eq!(follow_ups, flagged);
    // Agents cannot export it.
    let err = pulsedesk_export::feedback_table(
        &ws,
        &agent,
        None,
        TableFormat::Xlsx,
        Lang::En,
        &dir.path().join("x.xlsx"),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, ExportError::Store(ref e) if e.code() == "forbidden"),
        "{err}"
    );
}

#[tokio::test]
async fn the_monthly_report_opens_with_this_month_and_last() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, sup, _) = workspace(dir.path()).await;
    let report = ws
        .monthly_report(&sup, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
        .await
        .unwrap();
    let path = dir.path().join("monthly.xlsx");
    pulsedesk_export::monthly_report_xlsx(&report, Lang::En, &path).unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let sheet = entry(&mut zip, "xl/worksheets/sheet1.xml");
    let strings = entry(&mut zip, "xl/sharedStrings.xml");
    assert!(strings.contains("Tickets logged") && strings.contains("2026-11"));
    assert!(
        sheet.contains(&format!("<v>{}</v>", report.this_month.logged)),
        "the month's tickets logged as a number"
    );
    // Heading rows + ten figures.
    assert_eq!(sheet.matches("<row ").count(), 12);
    // A share is stored as a fraction in a percent format (57.3% is 0.573), not as 57.3.
    let reopened = report.this_month.reopened.per_mille.unwrap();
    let fraction = format!("<v>{}</v>", f64::from(reopened) / 1000.0);
    assert!(sheet.contains(&fraction), "the reopen rate as {fraction}");
    let styles = entry(&mut zip, "xl/styles.xml");
    assert!(styles.contains("0.0%"), "a percent format");
    assert!(
        !strings.contains("(%)"),
        "no percent written into the labels"
    );
}
