//! Feedback in the real app: an agent finishes a ticket and records the customer's low
//! score given by phone; a follow-up ticket opens for a supervisor, who is told on the
//! desktop at sign-in and finds it in "My tickets" counting down its 24 hours.

// Test setup: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

use crate::harness::App;
use pulsedesk_alerts::testing::{wait_for_call, PrivateBus};
use pulsedesk_core::clock::SystemClock;
use pulsedesk_core::ids::TicketTypeId;
use pulsedesk_core::kinds::{Channel, Priority, Role, Stage, Tier};
use pulsedesk_core::permissions::Actor;
use pulsedesk_core::view::{CustomerChoice, NewCustomer, NewTicket};
use pulsedesk_store::demo::DemoOptions;
use pulsedesk_store::Workspace;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// The demo team without tickets, and one ticket 李娜 is working. Returns its number.
async fn prepare(dir: &Path) -> String {
    let ws = Workspace::open(&dir.join("workspace.db"), Arc::new(SystemClock))
        .await
        .unwrap();
    ws.seed_demo(DemoOptions {
        tickets: 0,
        ..Default::default()
    })
    .await
    .unwrap();
    let li = ws
        .accounts()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.name == "李娜")
        .unwrap();
    let li = Actor {
        id: li.id,
        role: Role::Agent,
    };
    let input = NewTicket {
        channel: Channel::Phone,
        type_id: TicketTypeId(1),
        customer: CustomerChoice::New(NewCustomer {
            name: "周晓".into(),
            phone: "13600002222".into(),
            email: String::new(),
            tier: Tier::Normal,
        }),
        priority: Priority::Medium,
        subject: "E2E 快递延误".into(),
        description: String::new(),
        departments: vec![],
        attachments: vec![],
    };
    let row = ws.create_ticket(&li, &input).await.unwrap();
    ws.claim_ticket(&li, row.id).await.unwrap();
    ws.move_ticket(&li, row.id, Stage::InProgress, None)
        .await
        .unwrap();
    ws.close().await;
    row.number
}

#[tokio::test]
async fn a_low_score_puts_a_follow_up_with_its_24_hours_in_the_supervisors_queue() {
    let dir = tempfile::tempdir().unwrap();
    let number = prepare(dir.path()).await;
    // The app's pop-ups go to a desktop bus of this test's own, which records them.
    let bus = PrivateBus::start().unwrap();
    let (conn, calls) = bus.serve_notifications().await.unwrap();
    let app = App::launch_in(
        dir.path(),
        &[("DBUS_SESSION_BUS_ADDRESS", bus.address.as_str())],
    )
    .await;

    // The agent finishes the ticket: its survey goes out.
    app.sign_in("李娜").await;
    app.click("[data-testid=nav-mine]").await;
    app.open_row(&format!("[data-testid=pool-row][data-number='{number}']"))
        .await;
    app.select("[data-testid=outcome]", "fully").await;
    app.click("[data-testid=move-done]").await;
    app.wait_text("[data-testid=survey-status]", "a sent survey", |t| {
        t.eq_ignore_ascii_case("Waiting for the customer")
    })
    .await;

    // The customer's answer by phone: 2, 1, 3 and a comment about waiting.
    app.click("[data-testid=score-speed-2]").await;
    app.click("[data-testid=score-professionalism-1]").await;
    app.click("[data-testid=score-resolution-3]").await;
    // Whether it is solved is asked, never pre-ticked: recording waits for the answer.
    app.wait_attr("[data-testid=survey-solved]", "data-chosen", "")
        .await;
    assert!(
        app.find("[data-testid=survey-record]")
            .await
            .attr("disabled")
            .await
            .unwrap()
            .is_some(),
        "recording waits until solved is answered"
    );
    app.click("[data-testid=survey-solved-yes]").await;
    app.wait_text("[data-testid=survey-preview]", "the overall score", |t| {
        t.ends_with("2.0")
    })
    .await;
    app.type_into("[data-testid=survey-comment]", "等待时间太长")
        .await;
    app.click("[data-testid=survey-record]").await;
    app.wait_text("[data-testid=survey-overall]", "the recorded score", |t| {
        t == "2.0"
    })
    .await;
    app.find("[data-testid=survey-follow-up]").await;
    let link = app
        .wait_text(
            "[data-testid=survey-follow-up-ticket]",
            "the follow-up",
            |t| t.contains("陈静"),
        )
        .await;
    let follow_up = link
        .split_whitespace()
        .find(|w| w.starts_with("CS"))
        .unwrap()
        .to_string();
    // An agent has no follow-up of their own to hear about.
    assert!(calls.lock().unwrap().is_empty());

    // The supervisor signs in: told at once on the desktop, and it is in their queue.
    app.sign_out().await;
    app.sign_in("陈静").await;
    let call = wait_for_call(&calls, Duration::from_secs(20), |c| {
        c.summary.contains(&follow_up)
    })
    .unwrap_or_else(|| panic!("no pop-up for {follow_up}: {:?}", calls.lock().unwrap()));
    assert_eq!(call.summary, format!("Follow-up needed: {follow_up}"));
    assert!(
        call.body.contains(&number) && call.body.contains("2.0"),
        "{}",
        call.body
    );
    assert!(call.body.contains("within 24 hours"), "{}", call.body);
    // A supervisor also gets last week's review, once a week: saved, and announced.
    let review = wait_for_call(&calls, Duration::from_secs(30), |c| {
        c.summary.starts_with("Weekly review ready")
    })
    .unwrap_or_else(|| panic!("no weekly review pop-up: {:?}", calls.lock().unwrap()));
    let saved = std::fs::read_dir(dir.path().join("downloads"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("weekly-review"))
        .unwrap_or_else(|| panic!("no review file ({})", review.body));
    assert!(
        review.body.contains(&saved.display().to_string()),
        "{}",
        review.body
    );
    // Clicking it opens the team board on the review.
    let id = calls
        .lock()
        .unwrap()
        .iter()
        .position(|c| c.summary == review.summary)
        .unwrap() as u32
        + 1;
    let main = app.client.window().await.unwrap();
    let started = std::time::Instant::now();
    while app.client.windows().await.unwrap().len() < 2 {
        // The app listens for the click right after showing: repeat until it is heard.
        conn.emit_signal(
            None::<&str>,
            "/org/freedesktop/Notifications",
            "org.freedesktop.Notifications",
            "ActionInvoked",
            &(id, "default"),
        )
        .await
        .unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no board window"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    app.switch_to_new_window(std::slice::from_ref(&main)).await;
    app.find("[data-testid=weekly-review]").await;
    app.switch_to(&main).await;

    app.click("[data-testid=nav-mine]").await;
    let row = format!("[data-testid=pool-row][data-number='{follow_up}'] [data-testid=countdown]");
    app.wait_attr(&row, "data-state", "on_track").await;
    let left = app.text(&row).await;
    assert!(
        left.starts_with("23 h") && left.ends_with("left"),
        "a day to contact the customer: {left}"
    );
    app.click(&format!(
        "[data-testid=pool-row][data-number='{follow_up}']"
    ))
    .await;
    app.wait_text("[data-testid=ticket-subject]", "the follow-up", |t| {
        t.contains(&number)
    })
    .await;
    assert_eq!(app.text("[data-testid=ticket-assignee]").await, "陈静");
    // It names the ticket it follows up, and opens it.
    assert!(app.text("[data-testid=follows]").await.contains(&number));
    app.click("[data-testid=follows-open]").await;
    app.wait_text("[data-testid=ticket-number]", "the rated ticket", |t| {
        t == number
    })
    .await;

    // The feedback module has the answer, flagged.
    app.click("[data-testid=nav-feedback]").await;
    app.wait_text("[data-testid=feedback-answers]", "one answer", |t| t == "1")
        .await;
    assert_eq!(app.text("[data-testid=feedback-csat]").await, "2.0");
    let flagged = app
        .text(&format!("[data-testid=feedback-row-{number}]"))
        .await;
    assert!(
        flagged.contains("Needs follow-up") && flagged.contains(&follow_up),
        "{flagged}"
    );
    app.quit().await;
}

/// Importing results through the file button (in the interface language, not the browser's
/// "Choose File"): a row that cannot be recorded is listed by line, ticket, column and
/// reason, in Chinese.
#[tokio::test]
async fn an_imported_file_lists_each_refused_row_in_the_members_language() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::launch_in(dir.path(), &[("PULSEDESK_LOCALE", "zh_CN.UTF-8")]).await;
    app.sign_in("陈静").await;
    app.click("[data-testid=nav-feedback]").await;
    let button = app
        .wait_text("label.file-button", "the import button", |t| !t.is_empty())
        .await;
    assert_eq!(button.trim(), "导入结果（CSV）");
    let csv = dir.path().join("results.csv");
    std::fs::write(
        &csv,
        "工单编号,日期,响应速度评分(1-5分),专业度评分(1-5分),问题解决评分(1-5分)\n\
         CS1999010101,2026-12-07 10:00,9,5,5\n",
    )
    .unwrap();
    app.find("[data-testid=feedback-import]")
        .await
        .send_keys(csv.to_str().unwrap())
        .await
        .unwrap();
    app.wait_text(
        "[data-testid=feedback-import-line]",
        "the refused row, in Chinese",
        |t| t == "第 2 行 · CS1999010101，响应速度：“9”不是 1 到 5 的整数评分。",
    )
    .await;

    // The period's dates read as Chinese writes them, typed from the keyboard or picked
    // from the calendar (not the browser's 12/07/2026 of the OS locale).
    let field = "[data-testid=feedback-first] .date-field";
    app.wait_text(field, "an empty Chinese date", |t| {
        t.starts_with("----年--月--日")
    })
    .await;
    app.type_date("feedback-first", "2026-12-01").await;
    app.wait_text(field, "a Chinese date", |t| t.starts_with("2026年12月01日"))
        .await;
    app.click("[data-testid=feedback-first-open]").await;
    app.click(".cal-day[data-date='2026-12-03']").await;
    app.wait_attr("[data-testid=feedback-first]", "data-value", "2026-12-03")
        .await;
    app.quit().await;
}
