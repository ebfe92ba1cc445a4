//! The member's menu in the header (bits-ui): it opens from the keyboard, speaks ARIA, and
//! sets their status, mutes pop-ups and switches the language.

// Test setup: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

use crate::harness::App;
use fantoccini::key::Key;
use serde_json::json;

async fn attr(app: &App, css: &str, name: &str) -> Option<String> {
    app.find(css).await.attr(name).await.unwrap()
}

#[tokio::test]
async fn the_member_menu_opens_from_the_keyboard_and_sets_status_muting_and_language() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::launch_in(dir.path(), &[("PULSEDESK_LOCALE", "zh_CN.UTF-8")]).await;
    app.sign_in("陈静").await;

    // A menu button: focus it and press Enter.
    let trigger = "[data-testid=who]";
    assert_eq!(
        attr(&app, trigger, "aria-haspopup").await.as_deref(),
        Some("menu")
    );
    assert_eq!(
        attr(&app, trigger, "aria-expanded").await.as_deref(),
        Some("false")
    );
    app.client
        .execute(
            "document.querySelector(arguments[0]).focus()",
            vec![json!(trigger)],
        )
        .await
        .unwrap();
    app.find(trigger)
        .await
        .send_keys(&String::from(char::from(Key::Enter)))
        .await
        .unwrap();
    app.wait_attr(trigger, "aria-expanded", "true").await;
    assert_eq!(
        attr(&app, "[data-testid=member-menu]", "role")
            .await
            .as_deref(),
        Some("menu")
    );
    // The current language and status are the checked radio items.
    assert_eq!(
        attr(&app, "[data-testid=language-zh-CN]", "role")
            .await
            .as_deref(),
        Some("menuitemradio")
    );
    assert_eq!(
        attr(&app, "[data-testid=language-zh-CN]", "aria-checked")
            .await
            .as_deref(),
        Some("true")
    );
    assert_eq!(
        attr(&app, "[data-testid=presence-online]", "aria-checked")
            .await
            .as_deref(),
        Some("true")
    );
    // The keyboard focus is in the menu now; Escape closes it again.
    let focused = app.client.active_element().await.unwrap();
    let inside: bool = app
        .client
        .execute(
            "return !!arguments[0].closest('[data-testid=member-menu]')",
            vec![serde_json::to_value(&focused).unwrap()],
        )
        .await
        .unwrap()
        .as_bool()
        .unwrap();
    assert!(inside, "the focus moved into the menu");
    focused
        .send_keys(&String::from(char::from(Key::Escape)))
        .await
        .unwrap();
    app.wait_attr(trigger, "aria-expanded", "false").await;

    // Away, from the menu: the dot in the header says so.
    app.open_member_menu().await;
    app.click("[data-testid=presence-away]").await;
    app.wait_attr("[data-testid=presence]", "data-presence", "away")
        .await;

    // Muting for 30 minutes shows in the header until it ends, and can be undone.
    app.open_member_menu().await;
    app.click("[data-testid=dnd-30]").await;
    app.wait_text("[data-testid=dnd-state]", "muted until a time", |t| {
        t.starts_with("静音至 ")
    })
    .await;
    app.open_member_menu().await;
    app.click("[data-testid=dnd-off]").await;
    app.wait_count("[data-testid=dnd-state]", 0).await;

    app.choose_language("en").await;
    app.wait_text("[data-testid=nav-pool]", "English label", |t| {
        t == "Ticket pool"
    })
    .await;
    app.quit().await;
}
