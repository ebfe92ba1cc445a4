//! The UI follows the OS language, can be switched, and remembers the choice (and who is signed in).

use crate::harness::App;

#[tokio::test]
async fn switching_the_language_changes_the_labels_and_sticks() {
    let dir = tempfile::tempdir().unwrap();
    let zh = [("PULSEDESK_LOCALE", "zh_CN.UTF-8")];
    let app = App::launch_in(dir.path(), &zh).await;
    app.wait_text("h2", "Chinese sign-in", |t| t == "登录")
        .await;
    app.sign_in("陈静").await;
    app.wait_text("[data-testid=nav-pool]", "Chinese label", |t| {
        t == "待处理工单池"
    })
    .await;
    app.choose_language("en").await;
    app.wait_text("[data-testid=nav-pool]", "English label", |t| {
        t == "Ticket pool"
    })
    .await;
    app.wait_text("[data-testid=nav-mine]", "English label", |t| {
        t == "My tickets"
    })
    .await;
    app.quit().await;

    // The choice outlives the OS setting, and the member stays signed in across restarts.
    let app = App::launch_in(dir.path(), &zh).await;
    app.wait_text("[data-testid=nav-pool]", "English label", |t| {
        t == "Ticket pool"
    })
    .await;
    app.wait_text("[data-testid=who]", "the same member", |t| {
        t.contains("陈静")
    })
    .await;
    app.sign_out().await;
    app.wait_text("h2", "English sign-in", |t| t == "Sign in")
        .await;
    app.quit().await;

    // Signing out is remembered too.
    let app = App::launch_in(dir.path(), &zh).await;
    app.wait_text("h2", "sign-in page", |t| t == "Sign in")
        .await;
    app.quit().await;
}

#[tokio::test]
async fn a_form_shows_every_field_at_fault_at_once_in_the_members_language() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::launch_in(
        dir.path(),
        &[
            ("PULSEDESK_LOCALE", "zh_CN.UTF-8"),
            ("PULSEDESK_DEMO_TICKETS", "5"),
        ],
    )
    .await;
    app.sign_in("李娜").await;
    app.click("[data-testid=nav-new]").await;
    app.type_into("[data-testid=f-phone]", "12345").await;
    app.type_into("[data-testid=f-email]", "not-an-address")
        .await;
    app.click("[data-testid=f-submit]").await;
    app.wait_text(
        "[data-testid=field-error-customer\\.phone]",
        "the phone's error",
        |t| t.starts_with("电话号码无效"),
    )
    .await;
    for (field, code) in [
        ("customer\\.name", "required"),
        ("customer\\.phone", "bad_phone"),
        ("customer\\.email", "bad_email"),
        ("subject", "required"),
    ] {
        app.wait_attr(
            &format!("[data-testid=field-error-{field}]"),
            "data-code",
            code,
        )
        .await;
    }
    assert_eq!(
        app.text("[data-testid=field-error-subject]").await,
        "此项必填。"
    );
    let focused = app
        .client
        .execute("return document.activeElement.dataset.testid", vec![])
        .await
        .unwrap();
    assert_eq!(focused, "f-name", "focus goes to the first field at fault");
    assert_eq!(app.text("[data-testid=f-subject-count]").await, "0/200");
    app.type_into("[data-testid=f-subject]", "快递未送达").await;
    app.wait_text("[data-testid=f-subject-count]", "the counter", |t| {
        t == "5/200"
    })
    .await;

    // Fixed, it is logged; nothing was written before.
    app.type_into("[data-testid=f-name]", "张三").await;
    app.type_into("[data-testid=f-phone]", "138 1234 1234")
        .await;
    app.type_into("[data-testid=f-email]", "zhang@example.com")
        .await;
    app.click("[data-testid=f-submit]").await;
    app.wait_text("[data-testid=ticket-number]", "a CS number", |t| {
        t.starts_with("CS")
    })
    .await;

    // A refusal from the core reads in the language too: switching to English.
    app.choose_language("en").await;
    app.click("[data-testid=nav-new]").await;
    app.type_into("[data-testid=f-phone]", "12345").await;
    app.click("[data-testid=f-submit]").await;
    app.wait_text(
        "[data-testid=field-error-customer\\.phone]",
        "the phone's error",
        |t| t.starts_with("Not a phone number"),
    )
    .await;
    app.quit().await;
}
