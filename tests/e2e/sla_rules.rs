//! An admin writes SLA policies and a team calendar in the real app: mistakes are shown under
//! the field at fault and nothing is saved; a sound policy re-targets open tickets at once,
//! and agents cannot touch the rules.

use crate::harness::App;
use fantoccini::key::Key;
use serde_json::json;

#[tokio::test]
async fn an_admin_adds_a_vip_policy_and_a_calendar_with_field_errors_first() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::launch_in(dir.path(), &[]).await;
    app.sign_in("王敏").await;
    app.click("[data-testid=nav-admin]").await;
    app.click("[data-testid=tab-rules]").await;

    // A policy warning at 0% is refused, under its field.
    app.click("[data-testid=policy-add]").await;
    app.type_into("[data-testid=policy-name]", "VIP 快速通道")
        .await;
    app.click("[data-testid=policy-tier-vip]").await;
    let near = app.find("[data-testid=policy-near]").await;
    near.clear().await.unwrap();
    near.send_keys("0").await.unwrap();
    app.click("[data-testid=policy-save]").await;
    app.wait_text(
        "[data-testid=field-error-near_percent]",
        "the near-breach error",
        |t| t.contains("1 to 100"),
    )
    .await;
    // The demo has one policy already: its feedback follow-ups' 24 hours.
    app.wait_count("[data-testid=policy-row]", 1).await;
    assert!(app
        .text("[data-testid=policy-row]")
        .await
        .contains("客户回访 24 小时"));

    // Fixed, it is saved and listed.
    let near = app.find("[data-testid=policy-near]").await;
    near.clear().await.unwrap();
    near.send_keys("75").await.unwrap();
    let first = app.find("[data-testid=policy-first]").await;
    first.clear().await.unwrap();
    first.send_keys("10").await.unwrap();
    app.click("[data-testid=policy-save]").await;
    app.wait_count("[data-testid=policy-row]", 2).await;
    let row = app
        .text("[data-testid=policy-row][data-name='VIP 快速通道']")
        .await;
    assert!(
        row.contains("VIP 快速通道") && row.contains("response 10 min"),
        "{row}"
    );

    // A calendar with an unknown time zone names the zone field; a sound one is saved.
    app.click("[data-testid=calendar-add]").await;
    app.type_into("[data-testid=calendar-name]", "上海办公室")
        .await;
    let tz = app.find("[data-testid=calendar-tz]").await;
    tz.clear().await.unwrap();
    tz.send_keys("Mars/Olympus").await.unwrap();
    app.click("[data-testid=calendar-save]").await;
    app.wait_text("[data-testid=field-error-tz]", "the time-zone error", |t| {
        t.contains("Mars/Olympus")
    })
    .await;
    let tz = app.find("[data-testid=calendar-tz]").await;
    tz.clear().await.unwrap();
    tz.send_keys("Asia/Shanghai").await.unwrap();
    app.click("[data-testid=calendar-save]").await;
    app.wait_count("[data-testid=calendar-row]", 1).await;

    // Deleting asks first, in a modal dialog: Escape (or Cancel) keeps the policy.
    let delete = "[data-testid=policy-row][data-name='VIP 快速通道'] [data-testid=policy-delete]";
    app.click(delete).await;
    let dialog = "[data-testid=confirm-dialog]";
    app.wait_attr(dialog, "role", "alertdialog").await;
    let asked = app.text(dialog).await;
    assert!(
        asked.contains("VIP 快速通道") && asked.contains("Cancel"),
        "{asked}"
    );
    app.client
        .active_element()
        .await
        .unwrap()
        .send_keys(&String::from(char::from(Key::Escape)))
        .await
        .unwrap();
    app.wait_count(dialog, 0).await;
    app.click(delete).await;
    app.click("[data-testid=confirm-cancel]").await;
    app.wait_count(dialog, 0).await;
    assert_eq!(app.count("[data-testid=policy-row]").await, 2);
    // Confirmed, it is gone.
    app.click(delete).await;
    app.click("[data-testid=confirm-yes]").await;
    app.wait_count("[data-testid=policy-row]", 1).await;

    // The rules are enforced below the UI: an agent is refused.
    app.sign_out().await;
    app.sign_in("李娜").await;
    let err = app.invoke("get_sla_setup", json!({})).await.unwrap_err();
    assert_eq!(err["code"], "forbidden", "{err}");
    app.quit().await;
}
