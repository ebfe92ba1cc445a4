//! The ticket's closed vocabularies, checked by PostgreSQL itself: every value Pulsedesk
//! knows is taken, and a value it does not know is refused, whoever writes it with psql.

// Test setup: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

mod common;

use common::{create, db, exec};
use pulsedesk_core::kinds::{
    Channel, Department, NoteAudience, Outcome, Priority, Role, Stage, Tier,
};

const UNKNOWN: &str = "23514";

#[tokio::test]
async fn the_database_takes_every_value_pulsedesk_knows_and_no_other() {
    let db = db().await;
    let chen = db.member("chen", Role::Supervisor).await;
    let t = create(&db, &db.connect(&chen).await, "词表").await.0;
    // Only the team service writes tickets; its login is held to the same lists.
    let mut c = db.psql(&db.service_login().await).await;

    // What a command changes on a ticket.
    let set = |column: &str, value: &str| {
        format!("UPDATE tickets SET {column} = '{value}' WHERE id = {t}")
    };
    for s in Stage::ALL {
        assert_eq!(exec(&mut c, &set("stage", s.as_str())).await, Ok(1), "{s}");
    }
    for p in Priority::ALL {
        assert_eq!(
            exec(&mut c, &set("priority", p.as_str())).await,
            Ok(1),
            "{p}"
        );
    }
    for o in Outcome::ALL {
        assert_eq!(
            exec(&mut c, &set("outcome", o.as_str())).await,
            Ok(1),
            "{o}"
        );
    }
    for (column, value) in [
        ("stage", "teleported"),
        ("priority", "whenever"),
        ("outcome", "maybe"),
    ] {
        assert_eq!(
            exec(&mut c, &set(column, value)).await,
            Err(UNKNOWN.into()),
            "{column} {value}"
        );
    }

    // What a new ticket is given.
    let new = |channel: &str, tier: &str, departments: &str, attachments: &str| {
        format!(
            "INSERT INTO tickets (number, channel, type_id, customer_id, tier, priority,
                 priority_rank, subject, departments, attachments, stage, created_at, updated_at)
             SELECT number || '-' || gen_random_uuid(), '{channel}', type_id, customer_id,
                 '{tier}', 'low', 4, subject, '{departments}', '{attachments}', 'unassigned',
                 now(), now()
             FROM tickets WHERE id = {t}"
        )
    };
    let every_department = serde_json::to_string(Department::ALL).unwrap();
    for ch in Channel::ALL {
        for tier in Tier::ALL {
            assert_eq!(
                exec(
                    &mut c,
                    &new(
                        ch.as_str(),
                        tier.as_str(),
                        &every_department,
                        r#"["a.png"]"#
                    )
                )
                .await,
                Ok(1),
                "{ch} {tier}"
            );
        }
    }
    for (what, sql) in [
        ("channel", new("carrier_pigeon", "vip", "[]", "[]")),
        ("tier", new("phone", "platinum", "[]", "[]")),
        ("department", new("phone", "vip", r#"["finance"]"#, "[]")),
        (
            "departments",
            new("phone", "vip", r#"{"tech": true}"#, "[]"),
        ),
        ("attachment", new("phone", "vip", "[]", "[1]")),
        ("attachments", new("phone", "vip", "[]", r#""a.png""#)),
    ] {
        assert_eq!(exec(&mut c, &sql).await, Err(UNKNOWN.into()), "{what}");
    }

    // Whom a note is for.
    let me: i64 = sqlx::query_scalar("SELECT pd_my_id()")
        .fetch_one(&mut c)
        .await
        .unwrap();
    let note = |audience: &str| {
        format!(
            "INSERT INTO notes (ticket_id, author_id, audience, body, created_at)
             VALUES ({t}, {me}, '{audience}', '备注', now())"
        )
    };
    for a in NoteAudience::ALL {
        assert_eq!(exec(&mut c, &note(a.as_str())).await, Ok(1), "{a}");
    }
    assert_eq!(exec(&mut c, &note("legal")).await, Err(UNKNOWN.into()));
}
