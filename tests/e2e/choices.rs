//! Every choice in the app is a headless listbox (bits-ui Select), not a native GTK select: it
//! opens from the keyboard, speaks ARIA, moves with the arrows, takes a choice with Enter and
//! leaves the value alone on Escape.

// Test setup: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

use crate::harness::App;
use fantoccini::key::Key;
use serde_json::json;

async fn attr(app: &App, css: &str, name: &str) -> Option<String> {
    app.find(css).await.attr(name).await.unwrap()
}

async fn press(app: &App, css: &str, key: Key) {
    // Keys go to whatever has focus: the trigger, or the open listbox.
    let focused = app
        .client
        .execute("return document.activeElement === null", vec![])
        .await
        .unwrap();
    assert_eq!(focused, json!(false));
    app.client
        .active_element()
        .await
        .unwrap_or_else(|e| panic!("{css}: nothing has focus: {e}"))
        .send_keys(&String::from(char::from(key)))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_choice_opens_from_the_keyboard_moves_with_the_arrows_and_keeps_its_value_on_escape() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::launch_in(dir.path(), &[("PULSEDESK_LOCALE", "en_US.UTF-8")]).await;
    app.sign_in("李娜").await;
    app.click("[data-testid=nav-new]").await;

    let choice = "[data-testid=f-priority]";
    assert_eq!(
        attr(&app, choice, "role").await.as_deref(),
        Some("combobox")
    );
    assert_eq!(
        attr(&app, choice, "data-value").await.as_deref(),
        Some("medium")
    );
    assert_eq!(
        app.text(choice).await.trim_end_matches('▾').trim(),
        "Medium"
    );

    // Enter opens the list on the current value; ArrowDown and Enter take the next one.
    app.client
        .execute(
            "document.querySelector(arguments[0]).focus()",
            vec![json!(choice)],
        )
        .await
        .unwrap();
    press(&app, choice, Key::Enter).await;
    app.wait_attr(choice, "aria-expanded", "true").await;
    app.wait_attr(
        "[role=listbox] [role=option][data-value=medium]",
        "aria-selected",
        "true",
    )
    .await;
    assert_eq!(app.count("[role=listbox] [role=option]").await, 4);
    press(&app, choice, Key::Down).await;
    app.wait_attr(
        "[role=listbox] [role=option][data-value=low]",
        "data-highlighted",
        "",
    )
    .await;
    press(&app, choice, Key::Enter).await;
    app.wait_attr(choice, "data-value", "low").await;
    app.wait_count("[role=listbox]", 0).await;
    assert_eq!(app.text(choice).await.trim_end_matches('▾').trim(), "Low");

    // Escape closes the list and leaves the value as it was.
    press(&app, choice, Key::Enter).await;
    app.wait_attr(choice, "aria-expanded", "true").await;
    press(&app, choice, Key::Up).await;
    press(&app, choice, Key::Escape).await;
    app.wait_attr(choice, "aria-expanded", "false").await;
    assert_eq!(
        attr(&app, choice, "data-value").await.as_deref(),
        Some("low")
    );

    // The choice is what the form sends: the new ticket is logged as low priority.
    app.type_into("[data-testid=f-name]", "Ann Lee").await;
    app.type_into("[data-testid=f-phone]", "13900001111").await;
    app.type_into("[data-testid=f-subject]", "Parcel lost")
        .await;
    app.type_into(
        "[data-testid=f-description]",
        "Shown as delivered, never arrived",
    )
    .await;
    app.click("[data-testid=f-submit]").await;
    app.wait_text("[data-testid=ticket-number]", "a CS number", |t| {
        t.starts_with("CS")
    })
    .await;
    app.wait_text(
        "[data-testid=ticket-panel] .badge.prio-low",
        "the low-priority badge",
        |t| t == "Low",
    )
    .await;
    let first = app.text("[data-testid=ticket-number]").await;
    let masked = app.text("[data-testid=customer-name]").await;

    // A returning customer is found with the combobox: type, pick from the list, log.
    app.click("[data-testid=nav-new]").await;
    app.click("[data-testid=f-existing]").await;
    app.type_into("[data-testid=f-find]", "nobody-like-this")
        .await;
    app.wait_text("[data-testid=f-no-match]", "no match", |t| {
        t.contains("nobody-like-this")
    })
    .await;
    let find = app.find("[data-testid=f-find]").await;
    find.clear().await.unwrap();
    find.send_keys("Ann Lee").await.unwrap();
    app.wait_attr("[data-testid=f-find]", "aria-expanded", "true")
        .await;
    app.wait_count("[data-testid=f-match]", 1).await;
    press(&app, "[data-testid=f-find]", Key::Down).await;
    app.wait_attr("[data-testid=f-match]", "data-highlighted", "")
        .await;
    press(&app, "[data-testid=f-find]", Key::Enter).await;
    app.wait_text("[data-testid=f-picked]", "the picked customer", |t| {
        t.contains(&masked)
    })
    .await;
    app.type_into("[data-testid=f-subject]", "Second parcel lost")
        .await;
    app.click("[data-testid=f-submit]").await;
    app.wait_text("[data-testid=ticket-number]", "a second CS number", |t| {
        t.starts_with("CS") && t != first
    })
    .await;
    assert_eq!(app.text("[data-testid=customer-name]").await, masked);
    app.quit().await;
}
