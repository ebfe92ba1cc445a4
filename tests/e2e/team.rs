//! Team mode end to end: two real app processes signed in to one PostgreSQL server as two
//! members. A ticket logged on one shows up on the other; a claim on the other takes it out
//! of the first one's pool; the password sits in the OS credential store, the app
//! reconnects on start without asking, and signing out removes the password.

// Test setup: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

use crate::harness::App;
use crate::service::TeamService;
use chrono::TimeZone;
use pulsedesk_core::command::{Command, Envelope};
use pulsedesk_core::kinds::{Outcome, Role, Stage};
use pulsedesk_core::ticket::TicketCommand;
use pulsedesk_shared::testing::{create, db, db_on, Cluster, TestDb, PASSWORD};
use pulsedesk_sync::Credentials;
use sqlx::Connection;
use std::path::Path;
use std::time::Duration;

/// Few demo tickets: the embedded workspace is only a starting point here.
const SMALL_DEMO: &[(&str, &str)] = &[("PULSEDESK_DEMO_TICKETS", "5")];

async fn connect(app: &App, db: &TestDb, login: &str, password: &str) {
    // A desktop with no saved team leads with its workspace's accounts; the team
    // connection is one click away.
    if app
        .client
        .find(fantoccini::Locator::Css("[data-testid=connect-server]"))
        .await
        .is_err()
    {
        app.click("[data-testid=show-connect]").await;
    }
    app.type_into("[data-testid=connect-server]", &db.server.to_string())
        .await;
    app.type_into("[data-testid=connect-login]", login).await;
    app.type_into("[data-testid=connect-password]", password)
        .await;
    app.click("[data-testid=connect-submit]").await;
}

async fn connected(dir: &Path, db: &TestDb, login: &str, name: &str) -> App {
    let app = App::launch_in(dir, SMALL_DEMO).await;
    connect(&app, db, login, PASSWORD).await;
    app.wait_text("[data-testid=who]", name, |t| t.contains(name))
        .await;
    app.wait_attr("[data-testid=sync]", "data-state", "online")
        .await;
    app
}

/// The team's rules with automatic assignment on or off (off: members claim from the pool).
async fn auto_assignment(db: &TestDb, on: bool) {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ('assign.rules', $1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(serde_json::json!({
        "auto": on, "idle_minutes": 10, "type_skills": [], "tier_preferences": []
    }))
    .execute(db.owner.pool())
    .await
    .unwrap();
}

/// Logs a phone ticket through the form and waits for the server's number.
async fn log_ticket(app: &App, subject: &str) {
    app.click("[data-testid=nav-new]").await;
    app.select("[data-testid=f-channel]", "phone").await;
    app.type_into("[data-testid=f-name]", "赵敏").await;
    app.type_into("[data-testid=f-phone]", "13800001234").await;
    app.type_into("[data-testid=f-subject]", subject).await;
    app.type_into("[data-testid=f-description]", "两台电脑看同一张工单")
        .await;
    app.click("[data-testid=f-submit]").await;
    app.wait_text("[data-testid=ticket-number]", "the server's number", |t| {
        t.starts_with("CS")
    })
    .await;
}

async fn search(app: &App, text: &str) {
    app.click("[data-testid=nav-pool]").await;
    app.type_into("[data-testid=search]", text).await;
}

#[tokio::test]
async fn two_desktops_share_one_team_server() {
    let db = db().await;
    // The team service applies what the desktops submit.
    let _service = TeamService::start(&db).await;
    let li = db.member("李娜", Role::Agent).await;
    let wang = db.member("王芳", Role::Agent).await;
    auto_assignment(&db, false).await;
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());

    // A wrong password is refused at the password field, and nothing is stored.
    let a = App::launch_in(dir_a.path(), SMALL_DEMO).await;
    connect(&a, &db, &li, "not the password").await;
    a.wait_text(
        "[data-testid=field-error-password]",
        "the refusal under the password",
        |t| t.contains("refused"),
    )
    .await;
    assert_eq!(Credentials::os().load(&db.server, &li).unwrap(), None);
    a.type_into("[data-testid=connect-password]", PASSWORD)
        .await;
    a.click("[data-testid=connect-submit]").await;
    a.wait_text("[data-testid=who]", "李娜", |t| t.contains("李娜"))
        .await;
    a.wait_attr("[data-testid=sync]", "data-state", "online")
        .await;
    assert_eq!(
        Credentials::os().load(&db.server, &li).unwrap().as_deref(),
        Some(PASSWORD)
    );
    // The profile on disk names the server and the login, never the password.
    let profile = std::fs::read_to_string(dir_a.path().join("team.json")).unwrap();
    assert!(
        profile.contains(&li) && !profile.contains(PASSWORD),
        "{profile}"
    );

    let b = connected(dir_b.path(), &db, &wang, "王芳").await;

    // A logs a ticket; B sees it arrive in the pool without doing anything.
    log_ticket(&a, "团队同步 E2E").await;
    a.wait_attr("[data-testid=sync]", "data-state", "online")
        .await;
    a.wait_count("[data-testid=sync-pending]", 0).await;

    search(&b, "团队同步").await;
    b.wait_count("[data-testid=pool-row]", 1).await;
    b.open_row("[data-testid=pool-row]").await;
    // B sees the customer masked, as the server sends it to an agent.
    b.wait_text("[data-testid=customer-phone]", "a masked phone", |t| {
        t.contains("****")
    })
    .await;

    // B claims it; it leaves A's pool (an agent sees the pool and their own tickets).
    search(&a, "团队同步").await;
    a.wait_count("[data-testid=pool-row]", 1).await;
    b.click("[data-testid=claim]").await;
    b.wait_text("[data-testid=ticket-stage]", "To contact", |t| {
        t.contains("To contact")
    })
    .await;
    a.wait_count("[data-testid=pool-row]", 0).await;

    // As the assignee now, B may see the full phone number: the server reveals it (the
    // replica only holds the masked one) and audits the reveal.
    b.click("[data-testid=reveal]").await;
    b.wait_text("[data-testid=customer-phone]", "the full phone", |t| {
        t == "13800001234"
    })
    .await;
    let audited: i64 = sqlx::query_scalar("SELECT count(*) FROM pii_audit")
        .fetch_one(db.owner.pool())
        .await
        .unwrap();
    assert_eq!(audited, 1);

    // B raises its priority: changed on B at once, then on the server.
    b.select("[data-testid=priority]", "urgent").await;
    b.wait_count("[data-testid=sync-pending]", 0).await;
    let mut on_server = String::new();
    for _ in 0..100 {
        on_server =
            sqlx::query_scalar("SELECT priority FROM tickets WHERE subject = '团队同步 E2E'")
                .fetch_one(db.owner.pool())
                .await
                .unwrap();
        if on_server == "urgent" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(on_server, "urgent");

    // The team service assigns for the team (desktops no longer do). With automatic
    // assignment on, a ticket logged on A goes by itself to the online agent with fewer open
    // tickets (Li: Wang holds one), written by the system.
    auto_assignment(&db, true).await;
    log_ticket(&a, "自动分配 E2E").await;
    a.wait_text("[data-testid=ticket-stage]", "To contact", |t| {
        t.contains("To contact")
    })
    .await;
    let (assignee, actor): (String, Option<i64>) = sqlx::query_as(
        "SELECT u.login, e.actor_id FROM tickets t JOIN users u ON u.id = t.assignee_id
         JOIN ticket_events e ON e.ticket_id = t.id AND e.kind = 'assigned'
         WHERE t.subject = '自动分配 E2E'",
    )
    .fetch_one(db.owner.pool())
    .await
    .unwrap();
    assert_eq!((assignee.as_str(), actor), (li.as_str(), None));

    // B restarts: it reconnects with the stored password, without the connection screen.
    b.quit().await;
    let b = App::launch_in(dir_b.path(), SMALL_DEMO).await;
    b.wait_text("[data-testid=who]", "王芳", |t| t.contains("王芳"))
        .await;
    b.wait_attr("[data-testid=sync]", "data-state", "online")
        .await;
    b.click("[data-testid=nav-mine]").await;
    b.type_into("[data-testid=search]", "团队同步").await;
    b.wait_count("[data-testid=pool-row]", 1).await;

    // B's password is gone from the credential store (a new computer account, a cleaned
    // keyring): B restarts on the sign-in screen, which leads with the team connection,
    // the server and login filled in.
    b.quit().await;
    Credentials::os().forget(&db.server, &wang).unwrap();
    let b = App::launch_in(dir_b.path(), SMALL_DEMO).await;
    b.wait_attr("main.signin", "data-leads", "team").await;
    b.wait_value("[data-testid=connect-login]", &wang).await;
    b.type_into("[data-testid=connect-password]", PASSWORD)
        .await;
    b.click("[data-testid=connect-submit]").await;
    b.wait_text("[data-testid=who]", "王芳", |t| t.contains("王芳"))
        .await;

    // A signs out: the password, the profile and the cached copy leave the desktop.
    a.sign_out().await;
    // Nothing of the team is left, so the screen leads with this computer's workspace.
    a.wait_attr("main.signin", "data-leads", "workspace").await;
    a.find("[data-testid=show-connect]").await;
    assert_eq!(Credentials::os().load(&db.server, &li).unwrap(), None);
    assert!(!dir_a.path().join("team.json").exists());
    let cached = std::fs::read_dir(dir_a.path().join("team"))
        .unwrap()
        .count();
    assert_eq!(cached, 0, "the replica is removed");
    // And the assigner stops counting on Li at once.
    let presence: String = sqlx::query_scalar("SELECT presence FROM users WHERE login = $1")
        .bind(&li)
        .fetch_one(db.owner.pool())
        .await
        .unwrap();
    assert_eq!(presence, "offline");
    a.quit().await;
    b.quit().await;
}

/// Offline review on a server of the test's own, stopped and started again: the header says
/// offline, the cached tickets still open and search, claims are queued (their count
/// shows), and they reach the server once it is back, without restarting the app. One of
/// them lost a race meanwhile: the member sees it refused, with the reason, and dismisses it.
#[tokio::test]
async fn offline_review_queued_edits_and_a_refusal_shown_with_its_reason() {
    let cluster = Cluster::start();
    let db = db_on(cluster.url.parse().unwrap()).await;
    // The team service applies what the desktops submit.
    let _service = TeamService::start(&db).await;
    let sun = db.member("孙丽", Role::Agent).await;
    let zhou = db.member("周强", Role::Agent).await;
    auto_assignment(&db, false).await;
    let (kept, lost) = {
        let s = db.connect(&sun).await;
        let kept = create(&db, &s, "离线复核 E2E 甲").await;
        let lost = create(&db, &s, "离线复核 E2E 乙").await;
        s.close().await;
        (kept, lost)
    };
    let number = |id: i64| {
        let db = &db;
        let sun = &sun;
        async move {
            let mut c = db.psql(sun).await;
            let n: String = sqlx::query_scalar("SELECT number FROM tickets WHERE id = $1")
                .bind(id)
                .fetch_one(&mut c)
                .await
                .unwrap();
            c.close().await.unwrap();
            n
        }
    };
    let numbers = [number(kept.0).await, number(lost.0).await];
    let dir = tempfile::tempdir().unwrap();
    let app = connected(dir.path(), &db, &sun, "孙丽").await;
    search(&app, "离线复核").await;
    app.wait_count("[data-testid=pool-row]", 2).await;

    // While this desktop is away, its login may not connect: the race below is then lost
    // for certain, whatever the retry timing.
    let mut su = cluster.superuser_connection().await;
    let gate = |limit: i32| format!("ALTER ROLE \"{sun}\" CONNECTION LIMIT {limit}");
    sqlx::query(&gate(0)).execute(&mut su).await.unwrap();
    su.close().await.unwrap();
    cluster.down();
    app.wait_attr("[data-testid=sync]", "data-state", "offline")
        .await;
    app.wait_text("[data-testid=sync-state]", "an offline notice", |t| {
        t.contains("Offline since")
    })
    .await;

    // Review keeps working on the cached copy, and claims are kept for later.
    for (subject, number) in ["离线复核 E2E 甲", "离线复核 E2E 乙"].iter().zip(&numbers) {
        search(&app, subject).await;
        app.wait_attr("[data-testid=pool-row]", "data-number", number)
            .await;
        app.wait_count("[data-testid=pool-row]", 1).await;
        app.open_row("[data-testid=pool-row]").await;
        app.wait_text("[data-testid=ticket-subject]", subject, |t| t == *subject)
            .await;
        app.click("[data-testid=claim]").await;
        app.wait_text("[data-testid=ticket-stage]", "To contact", |t| {
            t.contains("To contact")
        })
        .await;
    }
    app.wait_attr("[data-testid=sync-pending]", "data-count", "2")
        .await;

    cluster.up();
    // Another agent takes one of them first.
    let z = db.connect(&zhou).await;
    let claim = Envelope::new(
        chrono::Utc::now(),
        Command::Ticket {
            ticket: lost,
            change: TicketCommand::Claim,
        },
    );
    // Submitted from Zhou's desktop; the service applies it once it is back too.
    let mut conn = z.pool().acquire().await.unwrap();
    z.submit(&mut conn, &[&claim]).await.unwrap();
    let started = std::time::Instant::now();
    while z.outcomes(&mut conn, &[claim.id]).await.unwrap().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "Zhou's claim was never applied"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    drop(conn);
    z.close().await;
    let mut su = cluster.superuser_connection().await;
    sqlx::query(&gate(-1)).execute(&mut su).await.unwrap();
    su.close().await.unwrap();

    app.wait_attr_for(
        "[data-testid=sync]",
        "data-state",
        "online",
        Duration::from_secs(30),
    )
    .await;
    app.wait_count("[data-testid=sync-pending]", 0).await;
    app.wait_attr("[data-testid=sync-rejected]", "data-count", "1")
        .await;
    app.click("[data-testid=sync-rejected]").await;
    app.wait_text(
        "[data-testid=rejection-reason]",
        "the server's reason",
        |t| t.contains("already"),
    )
    .await;
    // The service's refusal is a typed reason, so it reads in the member's language.
    app.choose_language("zh-CN").await;
    if app.count("[data-testid=rejection-reason]").await == 0 {
        app.click("[data-testid=sync-rejected]").await;
    }
    app.wait_text(
        "[data-testid=rejection-reason]",
        "the service's reason in Chinese",
        |t| t.contains("已被他人领取"),
    )
    .await;
    app.click("[data-testid=rejection-dismiss]").await;
    app.wait_count("[data-testid=sync-rejected]", 0).await;

    // On the server: the claim that did not race is this member's; the other is Zhou's.
    let mut psql = db.psql(&sun).await;
    let owners: Vec<(i64, String)> = sqlx::query_as(
        "SELECT t.id, u.login FROM tickets t JOIN users u ON u.id = t.assignee_id
         WHERE t.id IN ($1, $2) ORDER BY t.id",
    )
    .bind(kept.0)
    .bind(lost.0)
    .fetch_all(&mut psql)
    .await
    .unwrap();
    psql.close().await.unwrap();
    // Row-level security shows this agent only their own ticket of the two.
    assert_eq!(owners, vec![(kept.0, sun.clone())]);
    app.quit().await;
}

#[tokio::test]
async fn a_month_older_than_the_replica_is_reported_from_the_team_server() {
    let db = db().await;
    // The team service applies what the desktops submit.
    let _service = TeamService::start(&db).await;
    let chen = db.member("陈静", Role::Supervisor).await;
    let wu = db.member("吴婷", Role::Agent).await;
    auto_assignment(&db, false).await;
    // Three tickets on 2026-09-04, long before the 30 days of finished tickets a replica
    // keeps: two answered and finished, one still open.
    db.clock
        .set(chrono::Utc.with_ymd_and_hms(2026, 9, 4, 2, 0, 0).unwrap());
    {
        let sup = db.connect(&chen).await;
        let agent = db.as_member(&db.connect(&wu).await).await;
        let act = |ticket, change| {
            let env = Envelope::new(
                pulsedesk_core::clock::Clock::now(db.clock.as_ref()),
                Command::Ticket { ticket, change },
            );
            let agent = agent.clone();
            async move { agent.apply(&env).await.unwrap() }
        };
        for i in 0..3 {
            let t = create(&db, &sup, &format!("九月工单 {i}")).await;
            db.clock.advance(chrono::Duration::minutes(20));
            if i < 2 {
                act(t, TicketCommand::Claim).await;
                db.clock.advance(chrono::Duration::minutes(5));
                act(
                    t,
                    TicketCommand::Move {
                        to: Stage::InProgress,
                        outcome: None,
                    },
                )
                .await;
                db.clock.advance(chrono::Duration::minutes(30));
                act(
                    t,
                    TicketCommand::Move {
                        to: Stage::Done,
                        outcome: Some(Outcome::Fully),
                    },
                )
                .await;
            }
        }
        sup.close().await;
        agent.close().await;
    }

    let dir = tempfile::tempdir().unwrap();
    let app = connected(dir.path(), &db, &chen, "陈静").await;
    let main = app.client.window().await.unwrap();
    app.click("[data-testid=nav-board]").await;
    app.switch_to_new_window(std::slice::from_ref(&main)).await;
    app.click("[data-testid=tab-monthly]").await;
    // The month of 2026-09-04, typed into the date field. The tab may still be settling
    // when the field first appears, so the pick is made again until the report shows
    // September.
    let mut shown = String::new();
    for _ in 0..20 {
        app.type_date("monthly-day", "2026-09-04").await;
        app.click("[data-testid=monthly-show]").await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        shown = app.text("[data-testid=monthly-month]").await;
        if shown == "2026-09" {
            break;
        }
    }
    assert_eq!(shown, "2026-09", "the report of September");
    // Read from the server: the replica holds none of September's finished tickets.
    app.wait_text(
        "[data-testid=monthly-logged] td:nth-child(2)",
        "three logged",
        |t| t == "3",
    )
    .await;
    assert_eq!(
        app.text("[data-testid=monthly-resolved] td:nth-child(2)")
            .await,
        "2"
    );
    app.quit().await;
}

#[tokio::test]
async fn a_ticket_the_desktop_cannot_show_in_full_is_counted_in_the_header() {
    let db = db().await;
    // The team service applies what the desktops submit.
    let _service = TeamService::start(&db).await;
    let chen = db.member("陈静", Role::Supervisor).await;
    let wu = db.member("吴婷", Role::Agent).await;
    let dir = tempfile::tempdir().unwrap();
    let app = connected(dir.path(), &db, &chen, "陈静").await;
    app.wait_count("[data-testid=sync-unreadable]", 0).await;

    // Someone with the owner's password logs an entry no Pulsedesk can read on a pool
    // ticket (a newer Pulsedesk's service could too); then the supervisor's note on it
    // comes through the feed.
    let agent = db.connect(&wu).await;
    let t = create(&db, &agent, "包裹三天没有物流更新").await;
    let mut psql = db.owner.pool().acquire().await.unwrap();
    sqlx::query(
        "INSERT INTO ticket_events (ticket_id, at, actor_id, kind, data)
         VALUES ($1, now(), $2, 'note_added', '{\"type\": \"note_added\"}')",
    )
    .bind(t.0)
    .bind(agent.actor().id.0)
    .execute(&mut *psql)
    .await
    .unwrap();
    drop(psql);
    let note = Envelope::new(
        chrono::Utc::now(),
        Command::AddNote {
            ticket: t,
            audience: pulsedesk_core::kinds::NoteAudience::Internal,
            body: "已联系快递公司".into(),
        },
    );
    let chen = db.connect(&chen).await;
    db.as_member(&chen).await.apply(&note).await.unwrap();

    // The app stays online, and its header says one ticket is not shown in full.
    app.wait_attr("[data-testid=sync-unreadable]", "data-count", "1")
        .await;
    let shown = app.text("[data-testid=sync-unreadable]").await;
    assert!(
        shown.contains("未能完整显示") || shown.contains("not shown in full"),
        "{shown}"
    );
    app.wait_attr("[data-testid=sync]", "data-state", "online")
        .await;
    app.quit().await;
}

/// With no team service running, a member's changes wait — shown as pending, kept on the
/// desktop — and are applied, in order, as soon as a service starts.
#[tokio::test]
async fn changes_wait_as_pending_while_no_service_runs_and_apply_when_one_starts() {
    let db = db().await;
    let li = db.member("李娜", Role::Agent).await;
    auto_assignment(&db, false).await;
    let service = TeamService::start(&db).await;
    let agent = db.connect(&li).await;
    let t = create(&db, &agent, "等待团队服务 E2E").await;
    let dir = tempfile::tempdir().unwrap();
    let app = connected(dir.path(), &db, &li, "李娜").await;
    search(&app, "等待团队服务").await;
    app.wait_count("[data-testid=pool-row]", 1).await;

    // The service stops; the member claims the ticket and moves it on.
    drop(service);
    app.open_row("[data-testid=pool-row]").await;
    app.click("[data-testid=claim]").await;
    app.wait_text("[data-testid=ticket-stage]", "To contact", |t| {
        t.contains("To contact")
    })
    .await;
    // Still online (the database answers), but the claim waits for the service.
    app.wait_attr("[data-testid=sync-pending]", "data-count", "1")
        .await;
    app.wait_attr("[data-testid=sync]", "data-state", "online")
        .await;
    let assignee = || async {
        let (a,): (Option<i64>,) = sqlx::query_as("SELECT assignee_id FROM tickets WHERE id = $1")
            .bind(t.0)
            .fetch_one(db.owner.pool())
            .await
            .unwrap();
        a
    };
    assert_eq!(assignee().await, None, "applied with no service running");

    // A service starts: the claim is applied, as Li's, and the pending count clears.
    let _service = TeamService::start(&db).await;
    app.wait_count("[data-testid=sync-pending]", 0).await;
    assert_eq!(assignee().await, Some(agent.actor().id.0));
    app.wait_text("[data-testid=ticket-stage]", "To contact", |t| {
        t.contains("To contact")
    })
    .await;
    app.quit().await;
}

#[tokio::test]
async fn a_supervisor_hears_once_when_the_service_cannot_place_a_ticket() {
    let db = db().await;
    let _service = TeamService::start(&db).await;
    auto_assignment(&db, true).await;
    // The team's one agent never comes online.
    db.member("李娜", Role::Agent).await;
    let chen = db.member("陈静", Role::Supervisor).await;
    let desk = RecordedDesk::connect(&db, &chen).await;
    let (app, calls) = (&desk.app, &desk.calls);

    // Two tickets logged here: the service cannot place them, and says so once.
    log_ticket(app, "没人接的工单").await;
    let number = app.text("[data-testid=ticket-number]").await;
    let capacity = |c: &pulsedesk_alerts::testing::Call| c.summary == "The team is at capacity";
    let call = pulsedesk_alerts::testing::wait_for_call(calls, Duration::from_secs(20), capacity)
        .unwrap_or_else(|| panic!("no capacity pop-up: {:?}", calls.lock().unwrap()));
    assert!(
        call.body.starts_with("1 ticket is waiting"),
        "{}",
        call.body
    );
    log_ticket(app, "又一张没人接的").await;
    // Both wait, for the reason the service gave; the episode was told about once.
    let started = std::time::Instant::now();
    loop {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM tickets WHERE waiting_since IS NOT NULL AND wait_reason = 'nobody_online'",
        )
        .fetch_one(db.owner.pool())
        .await
        .unwrap();
        if waiting == 2 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{waiting} waiting"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let told = calls.lock().unwrap().iter().filter(|c| capacity(c)).count();
    assert_eq!(told, 1, "{:?}", calls.lock().unwrap());
    // The pool marks it, with why.
    app.click("[data-testid=nav-pool]").await;
    let badge = format!("[data-testid=pool-row][data-number='{number}'] [data-testid=waiting]");
    app.wait_count(&badge, 1).await;
    app.wait_attr(&badge, "title", "no skilled agent is online")
        .await;
    desk.quit().await;
}

/// A team desktop whose pop-ups are recorded: a desktop bus of the test's own, serving the
/// notifications and, for the team password, the credential store; signed in as `login`.
struct RecordedDesk {
    app: App,
    calls: std::sync::Arc<std::sync::Mutex<Vec<pulsedesk_alerts::testing::Call>>>,
    dir: tempfile::TempDir,
    /// The notification service's connection, held open.
    _conn: Box<dyn std::any::Any>,
    _keyring: tempfile::TempDir,
    _bus: pulsedesk_alerts::testing::PrivateBus,
}

impl RecordedDesk {
    async fn connect(db: &TestDb, login: &str) -> RecordedDesk {
        let bus = pulsedesk_alerts::testing::PrivateBus::start().unwrap();
        let (conn, calls) = bus.serve_notifications().await.unwrap();
        let keyring = tempfile::tempdir().unwrap();
        let run = keyring.path().join("run");
        std::fs::create_dir_all(&run).unwrap();
        std::fs::set_permissions(&run, std::os::unix::fs::PermissionsExt::from_mode(0o700))
            .unwrap();
        let unlocked = std::process::Command::new("sh")
            .args([
                "-c",
                "printf pulsedesk-test | gnome-keyring-daemon --unlock --components=secrets",
            ])
            .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
            .env("XDG_RUNTIME_DIR", &run)
            .env("XDG_DATA_HOME", keyring.path().join("data"))
            .output()
            .unwrap();
        assert!(unlocked.status.success(), "{unlocked:?}");
        let dir = tempfile::tempdir().unwrap();
        let app = App::launch_in(
            dir.path(),
            &[
                SMALL_DEMO[0],
                ("DBUS_SESSION_BUS_ADDRESS", bus.address.as_str()),
            ],
        )
        .await;
        connect(&app, db, login, PASSWORD).await;
        app.wait_attr("[data-testid=sync]", "data-state", "online")
            .await;
        RecordedDesk {
            app,
            calls,
            dir,
            _conn: Box::new(conn),
            _keyring: keyring,
            _bus: bus,
        }
    }

    async fn quit(self) {
        self.app.quit().await;
    }
}

#[tokio::test]
async fn a_team_supervisor_gets_last_weeks_review_from_the_teams_tickets() {
    let db = db().await;
    let _service = TeamService::start(&db).await;
    let li = db.member("李娜", Role::Agent).await;
    let chen = db.member("陈静", Role::Supervisor).await;
    // Last week on the team: a ticket logged and finished.
    let li_desk = db.connect(&li).await;
    let t = create(&db, &li_desk, "上周的工单").await;
    for change in [
        TicketCommand::Claim,
        TicketCommand::Move {
            to: Stage::InProgress,
            outcome: None,
        },
        TicketCommand::Move {
            to: Stage::Done,
            outcome: Some(Outcome::Fully),
        },
    ] {
        let env = Envelope::new(
            chrono::Utc::now() - chrono::Duration::days(7),
            Command::Ticket { ticket: t, change },
        );
        db.as_member(&li_desk).await.apply(&env).await.unwrap();
    }

    // The supervisor's desktop saves the review and says so, once.
    let desk = RecordedDesk::connect(&db, &chen).await;
    let ready = |c: &pulsedesk_alerts::testing::Call| c.summary.starts_with("Weekly review ready");
    let call =
        pulsedesk_alerts::testing::wait_for_call(&desk.calls, Duration::from_secs(40), ready)
            .unwrap_or_else(|| panic!("no weekly review: {:?}", desk.calls.lock().unwrap()));
    let saved = std::fs::read_dir(desk.dir.path().join("downloads"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("weekly-review"))
        .unwrap_or_else(|| panic!("no review file ({})", call.body));
    assert!(
        call.body.contains(&saved.display().to_string()),
        "{}",
        call.body
    );
    assert!(std::fs::metadata(&saved).unwrap().len() > 0);
    tokio::time::sleep(Duration::from_secs(16)).await;
    let told = desk
        .calls
        .lock()
        .unwrap()
        .iter()
        .filter(|c| ready(c))
        .count();
    assert_eq!(told, 1, "{:?}", desk.calls.lock().unwrap());
    desk.quit().await;
}
