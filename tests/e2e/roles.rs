//! Roles are enforced in the core: an agent is refused admin actions even through the IPC bridge.

use crate::harness::App;
use serde_json::json;

#[tokio::test]
async fn an_agent_is_refused_admin_actions_and_an_admin_gets_field_errors() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::launch_in(dir.path(), &[]).await;
    app.sign_in("张伟").await;
    app.wait_count("[data-testid=nav-admin]", 0).await;

    // Calling the admin commands directly is refused by the Rust core.
    let err = app.invoke("get_config", json!({})).await.unwrap_err();
    assert_eq!(err["code"], "forbidden", "{err}");
    let err = app
        .invoke(
            "save_ticket_type",
            json!({"input": {"id": null, "name": "黑客类型", "template": "", "active": true}}),
        )
        .await
        .unwrap_err();
    assert_eq!(err["code"], "forbidden", "{err}");
    // Nor can an agent look at the whole team's tickets.
    let q = json!({"query": {"stage": null, "type_id": null, "priority": null, "channel": null, "tier": null,
        "assignee": {"user": 2}, "open_only": false, "search": null, "offset": 0, "limit": 10}});
    assert_eq!(
        app.invoke("list_pool", q).await.unwrap_err()["code"],
        "forbidden"
    );

    // An admin edits configuration; a duplicate name is a field-level error.
    app.sign_out().await;
    app.sign_in("王敏").await;
    app.click("[data-testid=nav-admin]").await;
    // The demo's four types, and 客户回访 for its feedback follow-ups.
    app.wait_count("[data-testid=type-editor]", 5).await;
    app.type_into(
        "[data-testid=type-editor]:nth-child(1) [data-testid=type-name]",
        "投诉",
    )
    .await;
    app.click("[data-testid=type-editor]:nth-child(1) [data-testid=type-save]")
        .await;
    app.wait_text(
        "[data-testid=type-editor]:nth-child(1) [data-testid=field-error-name]",
        "the error under the name field",
        |t| t.contains("Already taken"),
    )
    .await;

    app.click("[data-testid=tab-sla]").await;
    app.type_into("[data-testid=sla-first-urgent]", "0").await;
    app.click("[data-testid=sla-save]").await;
    app.wait_text("[data-testid=error]", "minutes error", |t| {
        t.contains("Must be from 1 to")
    })
    .await;
    app.type_into("[data-testid=sla-first-urgent]", "10").await;
    app.click("[data-testid=sla-save]").await;
    app.find("[data-testid=saved]").await;
    let cfg = app.invoke("get_config", json!({})).await.unwrap();
    assert_eq!(cfg["sla_targets"][0]["first_response_minutes"], 10);
    app.quit().await;
}
