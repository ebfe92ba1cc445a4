//! A log entry no desktop can read — written by hand with a member's psql, or by a newer
//! Pulsedesk — is left out of the replicas, the team's desktops go on following, and the
//! ticket is counted and read again whole at every connection until it can be shown.

mod common;

use common::{desk, eventually, server_entries};
use pulsedesk_core::clock::Clock;
use pulsedesk_core::command::{Command, Envelope};
use pulsedesk_core::kinds::{NoteAudience, Role};
use pulsedesk_shared::testing::{create, db};
use pulsedesk_sync::Link;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_entry_no_desktop_can_read_is_left_out_and_the_team_keeps_following() {
    let db = db().await;
    // The team service applies what the desktops submit.
    let _service = db.service().await;
    let sup = db.member("陈静", Role::Supervisor).await;
    let agent = db.member("吴婷", Role::Agent).await;
    let mut s = desk(&db, &sup).await;
    let wu = db.connect(&agent).await;
    let t = create(&db, &wu, "包裹三天没有物流更新").await;
    eventually("the supervisor's replica has the ticket", WAIT, || async {
        s.ticket(t.0).await.is_some()
    })
    .await;

    // Someone with the owner's password logs an entry by hand on the pool ticket that no
    // Pulsedesk can read (a note's entry without its note); a newer Pulsedesk's service
    // could log one too.
    let mut psql = db.owner.pool().acquire().await.unwrap();
    let bad: i64 = sqlx::query_scalar(
        "INSERT INTO ticket_events (ticket_id, at, actor_id, kind, data)
         VALUES ($1, now(), $2, 'note_added', '{\"type\": \"note_added\"}') RETURNING id",
    )
    .bind(t.0)
    .bind(wu.actor().id.0)
    .fetch_one(&mut *psql)
    .await
    .expect("the entry is logged");

    // Then the supervisor writes a note through the app, from another session.
    let chen = db.connect(&sup).await;
    let note = Envelope::new(
        db.clock.now(),
        Command::AddNote {
            ticket: t,
            audience: NoteAudience::Internal,
            body: "已联系快递公司".into(),
        },
    );
    db.as_member(&chen)
        .await
        .apply(&note)
        .await
        .expect("the note is applied");
    s.kick();
    eventually(
        "the note after the entry reaches the desktop",
        WAIT,
        || async {
            s.entries()
                .await
                .iter()
                .any(|(ticket, kind, _)| *ticket == t.0 && kind == "note")
        },
    )
    .await;
    assert_eq!(s.status().await.link, Link::Online);

    // The replica holds everything the server has of the ticket but that one entry.
    let on_server: Vec<_> = server_entries(&db, &sup)
        .await
        .into_iter()
        .filter(|e| e.0 == t.0)
        .collect();
    let here: Vec<_> = s
        .entries()
        .await
        .into_iter()
        .filter(|e| e.0 == t.0)
        .collect();
    let missing: Vec<_> = on_server.iter().filter(|e| !here.contains(e)).collect();
    assert_eq!(missing, vec![&(t.0, "event".to_string(), bad)]);
    assert!(here.iter().all(|e| on_server.contains(e)), "{here:?}");
    // The desktop says one ticket is not shown in full.
    eventually("the ticket is counted", WAIT, || async {
        s.status().await.unreadable == 1
    })
    .await;

    // Repaired on the server (as a newer Pulsedesk would read it): no change goes through
    // the feed, yet at its next connection the desktop reads the ticket whole again.
    sqlx::query(
        "UPDATE ticket_events SET data = '{\"type\": \"note_added\", \"note_id\": 0,
             \"audience\": \"internal\"}' WHERE id = $1",
    )
    .bind(bad)
    .execute(db.owner.pool())
    .await
    .expect("the entry is repaired");
    s.stop().await;
    s.start(&db, db.server.clone());
    eventually("the repaired entry is filled in", WAIT, || async {
        s.entries().await.contains(&(t.0, "event".to_string(), bad))
    })
    .await;
    eventually("nothing is counted any more", WAIT, || async {
        s.status().await.unreadable == 0
    })
    .await;
}
