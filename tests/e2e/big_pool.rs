//! A large pool stays light: only the rows on screen are in the page, and rows far down
//! arrive as the user scrolls to them.

use crate::harness::App;
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_large_pool_is_virtualised_and_pages_in_on_scroll() {
    let dir = tempfile::tempdir().unwrap();
    let env = [
        ("PULSEDESK_DEMO_TICKETS", "3000"),
        ("PULSEDESK_DEMO_DAYS", "0"),
    ];
    let app = App::launch_in(dir.path(), &env).await;
    app.sign_in("陈静").await;
    app.wait_text("[data-testid=pool-count]", "3000 open tickets", |t| {
        t == "3000 tickets"
    })
    .await;

    let rendered = || async {
        let js = "return document.querySelectorAll('[data-testid=pool-row]').length";
        app.client
            .execute(js, vec![])
            .await
            .ok()
            .and_then(|v| v.as_u64())
            .unwrap_or(0)
    };
    let at_top = rendered().await;
    assert!(
        (5..=120).contains(&at_top),
        "only the visible rows are in the page, not 3000: {at_top}"
    );

    // The last ticket in pool order, asked of the core directly.
    let q = json!({"query": {"stage": null, "type_id": null, "priority": null, "channel": null,
        "tier": null, "assignee": null, "open_only": true, "search": null, "offset": 2999, "limit": 1}});
    let last = app.invoke("list_pool", q).await.unwrap();
    let last_number = last["rows"][0]["number"].as_str().unwrap().to_string();
    let last_row = format!("[data-testid=pool-row][data-number='{last_number}']");

    // Scroll down as a user would, a few screens at a time, until the last row is on screen.
    let scroll =
        "const l = document.querySelector('[data-testid=pool-list] > div'); l.scrollBy(0, 8000);";
    let started = Instant::now();
    while app
        .client
        .find(fantoccini::Locator::Css(&last_row))
        .await
        .is_err()
    {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "never reached the end of the pool"
        );
        app.client.execute(scroll, vec![]).await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(rendered().await <= 120, "still virtualised at the bottom");
    app.quit().await;
}
