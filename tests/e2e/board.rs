//! The team board opens in its own window, shows the team's figures, and follows a change
//! made in the main window at once.

// Test setup: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

use crate::harness::{manual_team, App};

fn number(text: &str) -> i64 {
    text.trim().parse().unwrap_or(-1)
}

#[tokio::test]
async fn the_board_window_follows_a_ticket_logged_in_the_main_window() {
    let dir = tempfile::tempdir().unwrap();
    let tickets = manual_team(dir.path()).await;
    // Exports go to the Downloads folder the desktop names: the harness gives each app one.
    let downloads = dir.path().join("downloads");
    let app = App::launch_in(dir.path(), &[]).await;
    app.sign_in("陈静").await;
    let main = app.client.window().await.unwrap();

    app.click("[data-testid=nav-board]").await;
    let board = app.switch_to_new_window(std::slice::from_ref(&main)).await;
    let waiting = number(
        &app.wait_text("[data-testid=board-waiting]", "a count", |t| number(t) >= 0)
            .await,
    );
    let created = number(&app.text("[data-testid=board-today-created]").await);
    assert!(created >= 0);
    assert!(
        app.count("[data-testid^=board-agent-]").await >= 3,
        "the per-agent table"
    );
    app.find("[data-testid=board-chart-stage] canvas").await;
    // CSAT per agent, from the demo's answered surveys: one decimal, 1.0–5.0.
    let mut rated = 0;
    for cell in app
        .client
        .find_all(fantoccini::Locator::Css("[data-testid^=board-agent-csat-]"))
        .await
        .unwrap()
    {
        let t = cell.text().await.unwrap();
        if let Ok(v) = t.parse::<f64>() {
            assert!((1.0..=5.0).contains(&v) && t.len() == 3, "{t}");
            rated += 1;
        }
    }
    assert!(rated >= 1, "no agent shows a CSAT");
    // The week's SLA attainment, per priority, as a percentage — beside how many open
    // tickets are overdue now, which the attainment (of tickets logged then) does not say.
    let sla = app.text("[data-testid=board-week-sla]").await;
    assert!(sla.contains('%'), "{sla}");
    let figures = app
        .invoke("get_board", serde_json::json!({ "range": null }))
        .await
        .unwrap();
    let overdue = figures["overdue"].as_i64().unwrap();
    assert!(overdue > 0, "the demo has overdue tickets");
    let shown = app.text("[data-testid=board-today-overdue]").await;
    assert!(shown.contains(&overdue.to_string()), "{shown} / {overdue}");
    // Breached now and near breach are separate lists.
    assert_eq!(
        number(&app.text("[data-testid=board-breached-count]").await),
        overdue
    );
    assert_eq!(
        app.count("[data-testid=board-near-breach] li.late").await,
        0
    );
    assert_eq!(
        app.count("[data-testid=board-breached] li").await as i64,
        overdue.min(50)
    );
    // A backwards range is refused with the reason, below the UI too.
    let bad = app
        .invoke(
            "get_board",
            serde_json::json!({ "range": { "first": "2026-11-30", "last": "2026-11-01" } }),
        )
        .await
        .unwrap_err();
    assert_eq!(bad["code"], "invalid_input", "{bad}");

    // The tracking table as a live view: every ticket, latest first.
    app.click("[data-testid=tab-tracking]").await;
    let count = format!("{tickets} tickets");
    app.wait_text("[data-testid=tracking-count]", &count, |t| t == count)
        .await;

    // Log a ticket in the main window.
    app.switch_to(&main).await;
    app.click("[data-testid=nav-new]").await;
    app.select("[data-testid=f-channel]", "phone").await;
    app.type_into("[data-testid=f-name]", "赵看板").await;
    app.type_into("[data-testid=f-phone]", "13700001234").await;
    app.type_into("[data-testid=f-subject]", "看板实时更新")
        .await;
    app.click("[data-testid=f-submit]").await;
    let logged = app
        .wait_text("[data-testid=ticket-number]", "a CS number", |t| {
            t.starts_with("CS")
        })
        .await;

    // The tracking table shows it on top at once; the board's figures follow it too.
    app.switch_to(&board).await;
    let count = format!("{} tickets", tickets + 1);
    app.wait_text("[data-testid=tracking-count]", &count, |t| t == count)
        .await;
    app.wait_attr("[data-testid=tracking-row]", "data-number", &logged)
        .await;
    app.click("[data-testid=tab-live]").await;
    let want = (waiting + 1).to_string();
    app.wait_text("[data-testid=board-waiting]", &want, |t| t.trim() == want)
        .await;
    let want = (created + 1).to_string();
    app.wait_text("[data-testid=board-today-created]", &want, |t| {
        t.trim() == want
    })
    .await;

    // The tracking table, exported from the board, holds every ticket plus the new one.
    app.click("[data-testid=board-export-csv]").await;
    let saved = app
        .wait_text("[data-testid=board-export-saved]", "a saved path", |t| {
            t.contains(".csv")
        })
        .await;
    let file = std::fs::read_dir(&downloads)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "csv"))
        .unwrap_or_else(|| panic!("no CSV in {} ({saved})", downloads.display()));
    assert!(saved.contains(&file.display().to_string()), "{saved}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.starts_with("\u{feff}Ticket number,Received"),
        "English headings: {}",
        text.lines().next().unwrap_or_default()
    );
    assert_eq!(
        text.lines().count() as i64,
        1 + tickets + 1,
        "heading + the demo's tickets + the new one"
    );

    // The weekly review of last week: late VIP tickets with their reasons, trends.
    app.click("[data-testid=tab-review]").await;
    app.wait_text("[data-testid=review-week]", "a week", |t| t.contains('–'))
        .await;
    let late: i64 = number(&app.text("[data-testid=review-vip-late]").await);
    assert!(late >= 0);
    if late > 0 {
        // The reasons as a chart, each bar a reason's count.
        let bars = app
            .find("[data-testid=review-reasons]")
            .await
            .attr("data-values")
            .await
            .unwrap()
            .unwrap_or_default();
        assert!(bars.split(',').all(|v| number(v) >= 1), "{bars}");
    }
    assert!(app.count("[data-testid=review-agents] tbody tr").await >= 1);
    // The week's frequent problems: words segmented from the tickets' Chinese text.
    let words = app.text("[data-testid=review-problems]").await;
    assert!(app.count("[data-testid=review-word]").await >= 3, "{words}");
    app.click("[data-testid=review-export]").await;
    let saved = app
        .wait_text("[data-testid=review-export-saved]", "a saved path", |t| {
            t.contains(".xlsx")
        })
        .await;
    let xlsx = std::fs::read_dir(&downloads)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "xlsx"))
        .unwrap_or_else(|| panic!("no XLSX in {} ({saved})", downloads.display()));
    assert!(
        std::fs::metadata(&xlsx).unwrap().len() > 1000,
        "a real workbook"
    );
    // The same review as a PDF to print: its text reads back with the week's figures.
    let week = app.text("[data-testid=review-week]").await;
    app.click("[data-testid=review-export-pdf]").await;
    let saved = app
        .wait_text("[data-testid=review-export-saved]", "a saved PDF", |t| {
            t.contains(".pdf")
        })
        .await;
    let pdf = std::fs::read_dir(&downloads)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "pdf"))
        .unwrap_or_else(|| panic!("no PDF in {} ({saved})", downloads.display()));
    let text = pdf_text(&pdf);
    assert!(text.contains("Weekly review"), "{text}");
    let monday = week.split(' ').next().unwrap_or_default();
    assert!(text.contains(monday), "the week {monday}: {text}");
    let late_line = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .find(|l| l.starts_with("VIP tickets answered late") && !l.contains("Reason"))
        .unwrap_or_default();
    assert_eq!(
        late_line,
        format!("VIP tickets answered late {late}"),
        "{text}"
    );
    // The monthly report: this month's figures and last month's; XLSX saved.
    app.click("[data-testid=tab-monthly]").await;
    // (Today's new ticket is in this month, whatever the date.)
    app.wait_text(
        "[data-testid=monthly-logged] td:nth-child(2)",
        "a count",
        |t| number(t) >= 1,
    )
    .await;
    // This month is not over: it says so, and compares the same days of last month.
    let head = app.text("[data-testid=monthly-to-date]").await;
    assert!(
        head.contains("Month to date (days 1–") && head.contains("Same days last month (1–"),
        "{head}"
    );
    app.click("[data-testid=monthly-export]").await;
    app.wait_text("[data-testid=monthly-export-saved]", "a saved path", |t| {
        t.contains("monthly-report")
    })
    .await;
    // The backlog now, as a line and as the board's two charts, of one reading.
    let backlog = app.text("[data-testid=monthly-backlog]").await;
    let stages = app
        .find("[data-testid=monthly-chart-stage]")
        .await
        .attr("data-values")
        .await
        .unwrap()
        .unwrap_or_default();
    let open: i64 = stages.split(',').map(number).sum();
    assert!(
        backlog.starts_with(&format!("{open} open tickets")),
        "{backlog} / {stages}"
    );
    app.click("[data-testid=monthly-export-pdf]").await;
    let saved = app
        .wait_text("[data-testid=monthly-export-saved]", "a saved PDF", |t| {
            t.contains("monthly-report") && t.contains(".pdf")
        })
        .await;
    let pdf = std::fs::read_dir(&downloads)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.extension().is_some_and(|x| x == "pdf")
                && p.to_string_lossy().contains("monthly-report")
        })
        .unwrap_or_else(|| panic!("no monthly PDF in {} ({saved})", downloads.display()));
    let text = pdf_text(&pdf);
    for heading in [
        "Key figures",
        "Backlog now",
        "Open tickets by stage",
        "Open tickets by type",
    ] {
        assert!(text.contains(heading), "{heading}: {text}");
    }
    assert!(text.contains(&format!("{open} open tickets")), "{text}");
    app.click("[data-testid=tab-live]").await;

    // A figure clicks through to the tickets behind it, in the main window's pool.
    app.click("[data-testid=board-waiting]").await;
    app.switch_to(&main).await;
    app.wait_attr("[data-testid=filter-stage]", "data-value", "unassigned")
        .await;
    let count = format!("{} tickets", waiting + 1);
    app.wait_text("[data-testid=pool-count]", &count, |t| t == count)
        .await;

    // So does a period's count: the tickets logged today, finished ones included.
    app.switch_to(&board).await;
    let today = number(&app.text("[data-testid=board-today-created]").await);
    assert!(today >= 1, "the ticket logged above");
    app.click("[data-testid=board-today-created]").await;
    app.switch_to(&main).await;
    app.find("[data-testid=filter-window]").await;
    let count = format!("{today} {}", if today == 1 { "ticket" } else { "tickets" });
    app.wait_text("[data-testid=pool-count]", &count, |t| t == count)
        .await;
    app.quit().await;
}

#[tokio::test]
async fn an_agent_is_refused_the_board_below_the_ui() {
    let dir = tempfile::tempdir().unwrap();
    manual_team(dir.path()).await;
    let app = App::launch_in(dir.path(), &[]).await;
    app.sign_in("李娜").await;
    assert_eq!(app.count("[data-testid=nav-board]").await, 0);
    let err = app
        .invoke("get_board", serde_json::json!({ "range": null }))
        .await
        .unwrap_err();
    assert_eq!(err["code"], "forbidden", "{err}");
    let err = app
        .invoke("get_weekly_review", serde_json::json!({ "day": null }))
        .await
        .unwrap_err();
    assert_eq!(err["code"], "forbidden", "{err}");
    let err = app
        .invoke(
            "export_tracking",
            serde_json::json!({ "format": "csv", "range": null, "locale": "en" }),
        )
        .await
        .unwrap_err();
    assert_eq!(err["code"], "forbidden", "{err}");
    let err = app
        .invoke(
            "export_weekly_review",
            serde_json::json!({ "day": null, "format": "pdf", "locale": "en" }),
        )
        .await
        .unwrap_err();
    assert_eq!(err["code"], "forbidden", "{err}");
    let err = app
        .invoke(
            "export_monthly_report",
            serde_json::json!({ "day": null, "format": "xlsx", "locale": "en" }),
        )
        .await
        .unwrap_err();
    assert_eq!(err["code"], "forbidden", "{err}");
    let err = app
        .invoke("get_monthly_report", serde_json::json!({ "day": null }))
        .await
        .unwrap_err();
    assert_eq!(err["code"], "forbidden", "{err}");
    let err = app
        .invoke("open_board", serde_json::json!({}))
        .await
        .unwrap_err();
    assert_eq!(err["code"], "forbidden", "{err}");
    app.quit().await;
}

/// The text of a PDF as poppler lays it out (a table row on one line).
fn pdf_text(path: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
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

/// The board window belongs to the member who opened it: it has its own title, follows the
/// main window's language, and closes when they sign out — the agent who signs in next
/// never sees it.
#[tokio::test]
async fn the_board_window_follows_the_session_and_the_language() {
    let dir = tempfile::tempdir().unwrap();
    manual_team(dir.path()).await;
    let app = App::launch_in(dir.path(), &[("PULSEDESK_LOCALE", "zh_CN.UTF-8")]).await;
    app.sign_in("陈静").await;
    let main = app.client.window().await.unwrap();
    app.click("[data-testid=nav-board]").await;
    app.switch_to_new_window(std::slice::from_ref(&main)).await;
    app.wait_text("h1", "the board's Chinese title", |t| t == "团队看板")
        .await;
    assert_eq!(app.client.title().await.unwrap(), "团队看板 — Pulsedesk");

    // Switching the language in the main window switches the board too.
    app.switch_to(&main).await;
    app.choose_language("en").await;
    let board = app
        .client
        .windows()
        .await
        .unwrap()
        .into_iter()
        .find(|w| *w != main)
        .unwrap();
    app.switch_to(&board).await;
    app.wait_text("h1", "the board's English title", |t| t == "Team board")
        .await;
    assert_eq!(app.client.title().await.unwrap(), "Team board — Pulsedesk");

    // Signing out closes it; the agent signing in next has one window.
    app.switch_to(&main).await;
    app.sign_out().await;
    let started = std::time::Instant::now();
    while app.client.windows().await.unwrap().len() > 1 {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "the board window stayed open after sign-out"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    app.sign_in("李娜").await;
    assert_eq!(app.client.windows().await.unwrap().len(), 1);
    app.quit().await;
}

/// A chart drawn for a wide window follows the window when it narrows: the page never
/// scrolls sideways and the chart is drawn again at its new width. (A grid column sized by
/// its content once held the stale canvas open, so its box never shrank and the chart was
/// never redrawn.)
#[tokio::test]
async fn the_board_charts_follow_the_window_when_it_narrows() {
    let dir = tempfile::tempdir().unwrap();
    manual_team(dir.path()).await;
    let app = App::launch_in(dir.path(), &[]).await;
    app.sign_in("陈静").await;
    let main = app.client.window().await.unwrap();
    app.click("[data-testid=nav-board]").await;
    app.switch_to_new_window(std::slice::from_ref(&main)).await;
    let canvas_width = "const c = document.querySelector('[data-testid=board-chart-stage] canvas');
                        return c ? c.getBoundingClientRect().width : -1;";
    let sideways = "return document.documentElement.scrollWidth - window.innerWidth;";
    let js = |script: &'static str| {
        let client = app.client.clone();
        async move {
            client
                .execute(script, vec![])
                .await
                .unwrap()
                .as_f64()
                .unwrap_or(-1.0)
        }
    };
    app.client.set_window_rect(0, 0, 1400, 900).await.unwrap();
    let started = std::time::Instant::now();
    let wide = loop {
        let w = js(canvas_width).await;
        if w > 500.0 {
            break w;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(15),
            "no wide chart: {w}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    app.client.set_window_rect(0, 0, 1024, 700).await.unwrap();
    let started = std::time::Instant::now();
    loop {
        let (w, over) = (js(canvas_width).await, js(sideways).await);
        if w > 0.0 && w < wide - 100.0 && over <= 0.0 {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "at 1024 px the chart is still {w} px wide (was {wide}) and the page scrolls {over} px sideways"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    app.quit().await;
}
