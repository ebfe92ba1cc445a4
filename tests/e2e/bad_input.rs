//! Bad input never panics the app and never loses saved data.

use crate::harness::App;
use serde_json::json;

#[tokio::test]
async fn unknown_values_and_oversized_fields_get_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::launch_in(dir.path(), &[]).await;
    app.sign_in("李娜").await;

    // Every change to a ticket is one command the core decides; the shell reads it strictly.
    let run = |command: serde_json::Value| app.invoke("run_command", json!({ "command": command }));
    let err = run(json!({"kind": "ticket", "ticket": 1,
        "change": {"command": "move", "to": "flying", "outcome": null}}))
    .await
    .unwrap_err();
    assert!(
        err.as_str()
            .unwrap_or_default()
            .contains("unknown variant `flying`"),
        "{err}"
    );
    let err = run(json!({"kind": "erase_everything", "ticket": 1}))
        .await
        .unwrap_err();
    assert!(
        err.as_str()
            .unwrap_or_default()
            .contains("unknown variant `erase_everything`"),
        "{err}"
    );
    // A field the app does not know is refused, not dropped (nor is the note written).
    let err = run(
        json!({"kind": "add_note", "ticket": 1, "audience": "internal", "body": "x", "author": 9}),
    )
    .await
    .unwrap_err();
    assert!(
        err.as_str()
            .unwrap_or_default()
            .contains("unknown field `author`"),
        "{err}"
    );
    // Not a change to a ticket: refused by name, nothing run.
    let err = run(json!({"kind": "reveal_customer", "ticket": 1}))
        .await
        .unwrap_err();
    assert_eq!(err["code"].as_str(), Some("invalid_input"), "{err}");
    assert_eq!(
        err["reason"]["code"].as_str(),
        Some("not_a_ticket_change"),
        "{err}"
    );

    let big = "字".repeat(1_000_000);
    let input = json!({"input": {"channel": "phone", "type_id": 1,
        "customer": {"new": {"name": "张三", "phone": "13812341234", "email": "", "tier": "normal"}},
        "priority": "high", "subject": "大描述", "description": big, "departments": [], "attachments": []}});
    let err = app.invoke("create_ticket", input).await.unwrap_err();
    assert_eq!(
        (err["code"].as_str(), err["field"].as_str()),
        (Some("invalid_input"), Some("description")),
        "{err}"
    );

    // The app is still alive and nothing was lost.
    let page = app
        .invoke("list_pool", json!({"query": {"stage": null, "type_id": null, "priority": null, "channel": null,
            "tier": null, "assignee": null, "open_only": false, "search": "大描述", "offset": 0, "limit": 10}}))
        .await
        .unwrap();
    assert_eq!(page["total"], 0);
    app.click("[data-testid=nav-pool]").await;
    app.wait_text("[data-testid=pool-count]", "the demo tickets", |t| {
        t != "0 tickets"
    })
    .await;
    app.quit().await;
}

#[tokio::test]
async fn a_damaged_workspace_shows_a_clear_message_and_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("workspace.db");
    let garbage = b"this is not a database, but it is somebody's file".repeat(200);
    std::fs::write(&file, &garbage).unwrap();
    let app = App::launch_in(dir.path(), &[]).await;
    let msg = app.text("[data-testid=startup-error]").await;
    assert!(
        msg.contains("damaged or is not a Pulsedesk workspace"),
        "{msg}"
    );
    assert!(
        msg.contains(&dir.path().display().to_string()),
        "the message says where: {msg}"
    );
    app.quit().await;
    assert_eq!(std::fs::read(&file).unwrap(), garbage);
}
