//! The improvement measures table in the real app: a supervisor records a measure with a
//! numeric target (a mistake first, named under its field), sees it listed and being
//! measured, then edits it; agents cannot reach it, below the UI too.

// Test setup: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

use crate::harness::App;
use serde_json::json;

#[tokio::test]
async fn a_supervisor_records_a_measure_and_sees_it_measured() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::launch_in(dir.path(), &[]).await;
    app.sign_in("陈静").await;
    app.click("[data-testid=nav-measures]").await;
    app.click("[data-testid=measure-new]").await;

    // No problem described: refused under the field, nothing saved.
    app.type_into("[data-testid=m-root-cause]", "高峰期专职客服不足")
        .await;
    app.type_into("[data-testid=m-action]", "增设 1 名高峰期弹性客服")
        .await;
    app.click("[data-testid=m-save]").await;
    app.wait_text(
        "[data-testid=field-error-problem]",
        "the problem's error",
        |t| t.contains("required"),
    )
    .await;
    // Nothing saved: only the demo's measure (started a week ago) is listed.
    assert_eq!(
        app.count("[data-testid^=measure-][data-testid$=-verdict]")
            .await,
        1
    );

    // Described, with a second target: saved, listed, measuring from today.
    app.type_into("[data-testid=m-problem]", "VIP 客户响应超时率上升")
        .await;
    app.click("[data-testid=m-add-target]").await;
    app.select("[data-testid=m-metric-1]", "vip_breach_percent")
        .await;
    let v = app.find("[data-testid=m-value-1]").await;
    v.clear().await.unwrap();
    v.send_keys("5").await.unwrap();
    app.click("[data-testid=m-save]").await;
    app.wait_count("[data-testid^=measure-][data-testid$=-verdict]", 2)
        .await;
    let verdict = app.text("[data-testid=measure-2-verdict]").await;
    assert!(verdict.eq_ignore_ascii_case("Measuring"), "{verdict}");
    let row = app
        .text("[data-testid=measure-2-target-vip_first_response_minutes]")
        .await;
    assert!(row.contains("≤ 10 min"), "{row}");
    assert!(app
        .text("[data-testid=measure-2-target-vip_breach_percent]")
        .await
        .contains("≤ 5%"));
    // The demo's measure ran its full week: judged, before → after shown.
    let demo = app
        .text("[data-testid=measure-1-verdict]")
        .await
        .to_lowercase();
    assert!(demo == "target met" || demo == "needs revision", "{demo}");
    let effect = app
        .text("[data-testid=measure-1-target-vip_first_response_minutes]")
        .await;
    assert!(effect.contains('→'), "{effect}");

    // The table exports with its evaluation, in the UI's language.
    app.click("[data-testid=measures-export-csv]").await;
    app.wait_text("[data-testid=measures-export-saved]", "a saved path", |t| {
        t.contains("improvement-measures")
    })
    .await;
    let file = std::fs::read_dir(dir.path().join("downloads"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("improvement-measures"))
        .unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.starts_with("\u{feff}Problem,Root cause,Measure,Owner"),
        "{text}"
    );
    assert!(
        text.contains("VIP 客户响应超时率上升") && text.contains("Measuring"),
        "{text}"
    );

    // Agents are refused below the UI.
    app.sign_out().await;
    app.sign_in("李娜").await;
    assert_eq!(app.count("[data-testid=nav-measures]").await, 0);
    let err = app.invoke("list_measures", json!({})).await.unwrap_err();
    assert_eq!(err["code"], "forbidden", "{err}");
    app.quit().await;
}
