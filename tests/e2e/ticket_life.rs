//! A user creates a ticket, finds it in the pool, works it to done, reopens it and reads the timeline.

// Test setup: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

use crate::harness::{manual_team, App};

#[tokio::test]
async fn create_find_work_reopen_and_read_the_timeline() {
    let dir = tempfile::tempdir().unwrap();
    manual_team(dir.path()).await;
    let app = App::launch_in(dir.path(), &[]).await;
    app.sign_in("李娜").await;

    // Create.
    app.click("[data-testid=nav-new]").await;
    app.select("[data-testid=f-channel]", "chat").await;
    app.select("[data-testid=f-priority]", "urgent").await;
    app.type_into("[data-testid=f-name]", "王小明").await;
    app.type_into("[data-testid=f-phone]", "13900001111").await;
    app.select("[data-testid=f-tier]", "vip").await;
    app.type_into("[data-testid=f-subject]", "E2E 包裹丢失")
        .await;
    app.type_into(
        "[data-testid=f-description]",
        "客户说包裹显示已签收但没收到",
    )
    .await;
    app.click("[data-testid=f-submit]").await;

    // The new ticket opens, numbered CS + today + sequence, with the customer masked.
    let number = app
        .wait_text("[data-testid=ticket-number]", "a CS number", |t| {
            t.starts_with("CS")
        })
        .await;
    assert!(number.len() >= 12, "{number}");
    assert_eq!(app.text("[data-testid=customer-name]").await, "王**");
    assert_eq!(
        app.text("[data-testid=customer-phone]").await,
        "139****1111"
    );
    let template = app
        .find("[data-testid=template]")
        .await
        .prop("textContent")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(
        template.contains("回复模板"),
        "the type's handling template is shown: {template}"
    );

    // Its SLA clocks run: an urgent ticket must get a first response within 15 minutes.
    app.wait_attr("[data-testid=sla-first_response]", "data-state", "on_track")
        .await;
    let response = app.text("[data-testid=sla-first_response]").await;
    assert!(
        response.contains("left") && response.contains("due"),
        "{response}"
    );

    // It is in the pool at once, and search finds it by number.
    app.type_into("[data-testid=search]", &number).await;
    app.wait_count("[data-testid=pool-row]", 1).await;
    let row = app.find("[data-testid=pool-row]").await;
    assert_eq!(
        row.attr("data-number").await.unwrap().as_deref(),
        Some(number.as_str())
    );
    assert_eq!(
        row.attr("data-stage").await.unwrap().as_deref(),
        Some("unassigned")
    );

    // Work it through every stage.
    app.click("[data-testid=claim]").await;
    app.wait_text("[data-testid=ticket-stage]", "To contact", |t| {
        t == "To contact"
    })
    .await;
    app.click("[data-testid=move-in_progress]").await;
    app.wait_text("[data-testid=ticket-stage]", "In progress", |t| {
        t == "In progress"
    })
    .await;
    // Contacting the customer stops the response clock in time.
    app.wait_attr("[data-testid=sla-first_response]", "data-state", "met")
        .await;
    app.click("[data-testid=move-awaiting_reply]").await;
    app.wait_text("[data-testid=ticket-stage]", "Awaiting reply", |t| {
        t == "Awaiting reply"
    })
    .await;
    app.click("[data-testid=move-in_progress]").await;
    app.wait_text("[data-testid=ticket-stage]", "In progress", |t| {
        t == "In progress"
    })
    .await;
    app.select("[data-testid=outcome]", "partially").await;
    app.click("[data-testid=move-done]").await;
    app.wait_text("[data-testid=ticket-stage]", "Done", |t| t == "Done")
        .await;
    // The pool shows open tickets by default: the finished one leaves it, and comes back
    // with "Open only" switched off.
    app.wait_count("[data-testid=pool-row]", 0).await;
    app.click("[data-testid=filter-open]").await;
    app.wait_attr("[data-testid=pool-row]", "data-stage", "done")
        .await;

    // Reopen into a second round; a reason is required.
    app.click("[data-testid=reopen]").await;
    app.wait_text("[data-testid=error]", "a refusal", |t| {
        t.contains("reopened")
    })
    .await;
    app.type_into("[data-testid=reopen-reason]", "客户说仍未收到")
        .await;
    app.click("[data-testid=reopen]").await;
    app.wait_text("[data-testid=ticket-stage]", "In progress", |t| {
        t == "In progress"
    })
    .await;

    // The timeline tells the whole story, with actors.
    let timeline = app.text("[data-testid=timeline]").await;
    for expected in [
        "Ticket received via Online chat",
        "Assigned to 李娜",
        "Unassigned → To contact",
        "To contact → In progress",
        "In progress → Awaiting reply",
        "Awaiting reply → In progress",
        "In progress → Done (Partially resolved)",
        "Reopened into round 2: 客户说仍未收到",
        "Done → In progress",
    ] {
        assert!(
            timeline.contains(expected),
            "timeline lacks {expected:?}:\n{timeline}"
        );
    }
    let durations = app.text("[data-testid=durations]").await;
    assert!(
        durations.contains("In progress") && durations.contains("3 visits"),
        "{durations}"
    );
    app.quit().await;
}

/// A 20,000-character description is folded to a few lines with "show all", so the notes
/// below it stay in reach.
#[tokio::test]
async fn a_very_long_description_is_folded_and_the_notes_stay_in_reach() {
    let dir = tempfile::tempdir().unwrap();
    manual_team(dir.path()).await;
    let app = App::launch_in(dir.path(), &[]).await;
    app.sign_in("李娜").await;
    let long = "包裹三天没有更新，客户多次来电询问物流状态。".repeat(909);
    let input = serde_json::json!({"input": {"channel": "phone", "type_id": 1,
        "customer": {"new": {"name": "张长文", "phone": "13812341234", "email": "", "tier": "normal"}},
        "priority": "medium", "subject": "很长的描述", "description": long, "departments": [], "attachments": []}});
    let row = app.invoke("create_ticket", input).await.unwrap();
    let number = row["number"].as_str().unwrap().to_string();
    app.click("[data-testid=nav-pool]").await;
    app.open_row(&format!("[data-testid=pool-row][data-number='{number}']"))
        .await;
    app.wait_text("[data-testid=ticket-number]", "the ticket", |t| t == number)
        .await;
    let height = |app: &App| {
        let client = app.client.clone();
        async move {
            client
                .execute(
                    "return document.querySelector('[data-testid=ticket-description]').getBoundingClientRect().height",
                    vec![],
                )
                .await
                .unwrap()
                .as_f64()
                .unwrap()
        }
    };
    let folded = height(&app).await;
    assert!(folded < 200.0, "folded to a few lines: {folded}px");
    let toggle = app.text("[data-testid=description-toggle]").await;
    let chars = long.chars().count();
    assert_eq!(toggle, format!("Show all ({chars} characters)"));
    // The notes are right below: reachable without scrolling past 20,000 characters.
    let notes_top: f64 = app
        .client
        .execute(
            "return document.querySelector('[data-testid=notes]').getBoundingClientRect().top",
            vec![],
        )
        .await
        .unwrap()
        .as_f64()
        .unwrap();
    assert!(notes_top < 2000.0, "notes at {notes_top}px");
    app.click("[data-testid=description-toggle]").await;
    // The panel re-renders after the click; measure once it says it is unfolded.
    app.wait_attr("[data-testid=description-toggle]", "aria-expanded", "true")
        .await;
    let unfolded = height(&app).await;
    assert!(unfolded > folded * 5.0, "{folded} → {unfolded}");
    app.quit().await;
}
