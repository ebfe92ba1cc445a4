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
    app.select("[data-testid=language]", "en").await;
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
    app.click("[data-testid=sign-out]").await;
    app.wait_text("h2", "English sign-in", |t| t == "Sign in")
        .await;
    app.quit().await;

    // Signing out is remembered too.
    let app = App::launch_in(dir.path(), &zh).await;
    app.wait_text("h2", "sign-in page", |t| t == "Sign in")
        .await;
    app.quit().await;
}
