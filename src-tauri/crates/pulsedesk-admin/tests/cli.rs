//! The admin command line against a real PostgreSQL server: set up a database, add a
//! member whose password arrives on standard input, and sign in as them.

// Test setup: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

mod common;

use pulsedesk_core::clock::SystemClock;
use pulsedesk_core::kinds::Role;
use pulsedesk_shared::{Server, Shared};
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection};
use std::sync::Arc;

fn admin(url: &str, args: &[&str], stdin: &str) -> (bool, String) {
    let run = common::admin(url, args, stdin);
    (run.ok, run.text())
}

#[tokio::test]
async fn init_add_a_member_sign_in_disable() {
    let base = std::env::var("PULSEDESK_TEST_PG").expect(
        "PULSEDESK_TEST_PG: run scripts/test.sh, or eval \"$(scripts/pg-throwaway.sh start)\"",
    );
    let su: PgConnectOptions = base.parse().unwrap();
    let name = format!("pd_{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let mut c = PgConnection::connect_with(&su).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut c)
        .await
        .unwrap();
    let url = format!("{}/{name}", base.rsplit_once('/').unwrap().0);

    let (ok, out) = admin(&url, &["init"], "");
    assert!(ok && out.contains("schema ready"), "{out}");
    let login = format!("{name}_wang");
    let (ok, out) = admin(
        &url,
        &["member", "add", "王芳", &login, "agent"],
        "a long secret\n",
    );
    assert!(ok, "{out}");
    let (ok, out) = admin(
        &url,
        &["member", "add", "王芳", &format!("{name}_x"), "boss"],
        "a long secret\n",
    );
    assert!(!ok && out.contains("unknown role"), "{out}");
    let (ok, out) = admin(
        &url,
        &["member", "add", "Short", &format!("{name}_y"), "agent"],
        "short\n",
    );
    assert!(!ok && out.contains("at least 10 characters"), "{out}");

    let server = Server {
        host: su.get_host().into(),
        port: su.get_port(),
        database: name.clone(),
    };
    let me = Shared::connect(&server, &login, "a long secret", Arc::new(SystemClock))
        .await
        .unwrap();
    assert_eq!(me.actor().role, Role::Agent);
    me.close().await;

    let (ok, out) = admin(&url, &["status"], "");
    assert!(
        ok && out.contains("1 agents") && out.contains("schema version"),
        "{out}"
    );
    let (ok, out) = admin(&url, &["member", "disable", &login], "");
    assert!(ok, "{out}");
    let refused = Shared::connect(&server, &login, "a long secret", Arc::new(SystemClock)).await;
    assert_eq!(refused.err().map(|e| e.code()), Some("bad_login"));
    let (ok, out) = admin(&url, &["frobnicate"], "");
    assert!(!ok && out.contains("unknown command"), "{out}");
}
