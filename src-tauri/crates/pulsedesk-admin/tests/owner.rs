//! The documented set-up: the database belongs to an ordinary login with CREATEROLE (no
//! superuser). As that owner the admin command line sets up the schema, adds members, and
//! sees every row for status, export and import — row-level security is forced on the
//! owner's tables too, and the owner's policy is what lets it through.

#![allow(clippy::unwrap_used)]

mod common;

use pulsedesk_core::clock::SystemClock;
use pulsedesk_core::command::{Command, Envelope};
use pulsedesk_core::ticket::TicketCommand;
use pulsedesk_shared::testing::{new_ticket, superuser};
use pulsedesk_shared::{Server, Shared};
use sqlx::{Connection, PgConnection};
use std::sync::Arc;

const OWNER_PASSWORD: &str = "owner-long-secret";
const MEMBER_PASSWORD: &str = "member's long secret";

fn admin(url: &str, args: &[&str], stdin: &str) -> (bool, String, String) {
    let run = common::admin(url, args, stdin);
    (run.ok, run.stdout, run.stderr)
}

#[tokio::test]
async fn an_ordinary_owner_runs_the_whole_admin_command_line() {
    let su = superuser();
    let name = format!("pd_{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let owner = format!("{name}_owner");
    let mut c = PgConnection::connect_with(&su).await.unwrap();
    sqlx::query(&format!(
        "CREATE ROLE {owner} LOGIN CREATEROLE PASSWORD '{OWNER_PASSWORD}'"
    ))
    .execute(&mut c)
    .await
    .unwrap();
    sqlx::query(&format!("CREATE DATABASE {name} OWNER {owner}"))
        .execute(&mut c)
        .await
        .unwrap();
    c.close().await.unwrap();
    let url = format!(
        "postgres://{owner}:{}@{}:{}/{name}",
        OWNER_PASSWORD,
        su.get_host(),
        su.get_port()
    );

    let (ok, out, err) = admin(&url, &["init"], "");
    assert!(ok && out.contains("schema ready"), "{out}{err}");
    let agent = format!("{name}_li");
    let (ok, _, err) = admin(
        &url,
        &["member", "add", "李娜", &agent, "agent"],
        &format!("{MEMBER_PASSWORD}\n"),
    );
    assert!(ok, "{err}");

    // The owner adds a ticket type (admins' table) directly, as an owner may.
    let mut o = PgConnection::connect(&url).await.unwrap();
    sqlx::query("INSERT INTO ticket_types (name) VALUES ('咨询')")
        .execute(&mut o)
        .await
        .unwrap();
    o.close().await.unwrap();

    // The member logs a ticket (numbered by a function that runs as the owner) and claims it.
    let server = Server {
        host: su.get_host().into(),
        port: su.get_port(),
        database: name.clone(),
    };
    let me = Shared::connect(&server, &agent, MEMBER_PASSWORD, Arc::new(SystemClock))
        .await
        .unwrap();
    // The owner makes the team service's login; the service applies the member's commands.
    let service = format!("{name}_svc");
    let (ok, _, err) = admin(
        &url,
        &["member", "add", "Pulsedesk service", &service, "admin"],
        &format!("{MEMBER_PASSWORD}\n"),
    );
    assert!(ok, "{err}");
    let (ok, out, err) = admin(&url, &["service", &service], "");
    assert!(ok && out.contains("team service"), "{out}{err}");
    let writer = Shared::connect(&server, &service, MEMBER_PASSWORD, Arc::new(SystemClock))
        .await
        .unwrap()
        .on_behalf(me.actor());
    let now = chrono::Utc::now();
    let created = writer
        .apply(&Envelope::new(
            now,
            Command::CreateTicket {
                ticket: new_ticket("归属者可见"),
            },
        ))
        .await
        .unwrap();
    let pulsedesk_core::command::Applied::Done { ticket } = created else {
        panic!()
    };
    writer
        .apply(&Envelope::new(
            now,
            Command::Ticket {
                ticket,
                change: TicketCommand::Claim,
            },
        ))
        .await
        .unwrap();
    me.close().await;

    // The owner sees the claimed ticket in status and export (not only the pool).
    let (ok, out, err) = admin(&url, &["status"], "");
    assert!(ok, "{err}");
    assert!(out.contains("tickets: 1 (1 open)"), "{out}");
    assert!(out.contains("members: 1 agents"), "{out}");
    let (ok, out, err) = admin(&url, &["export"], "");
    assert!(ok, "{err}");
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.contains("李娜") && out.contains("to_contact"), "{out}");

    // And imports history.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("history.csv");
    std::fs::write(
        &file,
        "number,received_at,channel,type,tier,priority,assignee,stage,subject,customer_name,customer_phone,first_response_at,resolved_at\n\
         CS2023100101,2023-10-01 09:05,phone,咨询,vip,urgent,李娜,done,历史,赵敏,13800001234,2023-10-01 09:17,2023-10-01 11:40\n",
    )
    .unwrap();
    let (ok, out, err) = admin(&url, &["import", file.to_str().unwrap()], "");
    assert!(ok && out.contains("imported 1 tickets"), "{out}{err}");
    let (_, out, _) = admin(&url, &["status"], "");
    assert!(out.contains("tickets: 2 (1 open)"), "{out}");
}
