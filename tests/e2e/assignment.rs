//! In the real app: a new ticket reaches the right agent's "My tickets" by itself, with the
//! reason shown; the agent asks for a transfer and a supervisor approves it.

// Test setup: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

use crate::harness::App;
use pulsedesk_core::clock::SystemClock;
use pulsedesk_core::kinds::Presence;
use pulsedesk_store::demo::DemoOptions;
use pulsedesk_store::Workspace;
use std::path::Path;
use std::sync::Arc;

/// The demo team with no tickets, and 王芳 (产品咨询, no VIP tag) online at another desk.
async fn prepare(dir: &Path) {
    let ws = Workspace::open(&dir.join("workspace.db"), Arc::new(SystemClock))
        .await
        .unwrap();
    ws.seed_demo(DemoOptions {
        tickets: 0,
        ..Default::default()
    })
    .await
    .unwrap();
    let wang = ws
        .accounts()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.name == "王芳")
        .unwrap();
    ws.set_presence(wang.id, Presence::Online, false)
        .await
        .unwrap();
    ws.close().await;
}

#[tokio::test]
async fn a_vip_ticket_goes_to_the_vip_agent_and_a_transfer_moves_it() {
    let dir = tempfile::tempdir().unwrap();
    prepare(dir.path()).await;
    let app = App::launch_in(dir.path(), &[]).await;
    // 吴婷 has 产品咨询 and the VIP tag; signing in puts her online.
    app.sign_in("吴婷").await;
    app.wait_attr("[data-testid=presence]", "data-presence", "online")
        .await;

    app.click("[data-testid=nav-new]").await;
    app.select("[data-testid=f-priority]", "high").await;
    app.type_into("[data-testid=f-name]", "钱多多").await;
    app.type_into("[data-testid=f-phone]", "13600002222").await;
    app.select("[data-testid=f-tier]", "vip").await;
    app.type_into("[data-testid=f-subject]", "E2E 会员积分")
        .await;
    app.click("[data-testid=f-submit]").await;
    let number = app
        .wait_text("[data-testid=ticket-number]", "a CS number", |t| {
            t.starts_with("CS")
        })
        .await;

    // The assigner gives it to her (VIP tag beats 王芳's equal load), and says why.
    app.wait_text("[data-testid=ticket-assignee]", "吴婷 as assignee", |t| {
        t == "吴婷"
    })
    .await;
    app.wait_attr("[data-testid=assign-why]", "data-rule", "tier_preference")
        .await;
    let why = app.text("[data-testid=assign-why]").await;
    assert!(why.contains("VIP") && why.contains("王芳"), "{why}");
    app.click("[data-testid=nav-mine]").await;
    app.find(&format!("[data-testid=pool-row][data-number='{number}']"))
        .await;

    // She asks for a transfer, with a reason.
    app.open_row(&format!("[data-testid=pool-row][data-number='{number}']"))
        .await;
    app.type_into("[data-testid=transfer-reason]", "客户要求英文服务")
        .await;
    app.click("[data-testid=transfer-request]").await;
    app.wait_attr("[data-testid=transfer-status]", "data-status", "pending")
        .await;

    // A supervisor approves it, to the suggested agent.
    app.sign_out().await;
    app.sign_in("陈静").await;
    app.click("[data-testid=nav-transfers]").await;
    let row = format!("[data-testid=transfer-row][data-number='{number}']");
    app.find(&row).await;
    let reason = app.text(&row).await;
    assert!(reason.contains("客户要求英文服务"), "{reason}");
    app.wait_text(
        &format!("{row} [data-testid=transfer-to]"),
        "王芳 suggested",
        |t| t.contains("王芳"),
    )
    .await;
    app.click(&format!("{row} [data-testid=transfer-approve]"))
        .await;
    app.find("[data-testid=no-transfers]").await;

    app.click("[data-testid=nav-pool]").await;
    app.type_into("[data-testid=search]", &number).await;
    app.open_row(&format!("[data-testid=pool-row][data-number='{number}']"))
        .await;
    app.wait_text("[data-testid=ticket-assignee]", "王芳 as assignee", |t| {
        t == "王芳"
    })
    .await;
    app.wait_attr("[data-testid=transfer-status]", "data-status", "approved")
        .await;
    app.quit().await;
}
