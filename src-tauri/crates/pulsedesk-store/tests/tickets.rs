//! Ticket life on a real SQLite file: numbering, workflow, timeline, permissions, projection.

mod common;

use chrono::Duration;
use common::{env, new_ticket};
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::kinds::{NoteAudience, Outcome, Role, Stage};
use pulsedesk_core::ticket::{EventKind, TicketState};
use pulsedesk_core::view::{AssigneeFilter, PoolQuery};
use pulsedesk_store::StoreError;

#[tokio::test]
async fn a_ticket_lives_through_every_stage_and_a_second_round() {
    let e = env(0).await;
    let agent = e.agent(0).await;
    let row =
        e.ws.create_ticket(&agent, &new_ticket("快递未送达"))
            .await
            .unwrap();
    assert_eq!(row.number, "CS2026112301");
    assert_eq!(row.stage, Stage::Unassigned);
    assert_eq!(row.customer_name, "张**", "the pool masks names");

    e.clock.advance(Duration::minutes(3));
    e.ws.claim_ticket(&agent, row.id).await.unwrap();
    e.clock.advance(Duration::minutes(7));
    e.ws.move_ticket(&agent, row.id, Stage::InProgress, None)
        .await
        .unwrap();
    e.clock.advance(Duration::minutes(5));
    e.ws.move_ticket(&agent, row.id, Stage::AwaitingReply, None)
        .await
        .unwrap();
    e.clock.advance(Duration::minutes(20));
    e.ws.move_ticket(&agent, row.id, Stage::InProgress, None)
        .await
        .unwrap();
    e.clock.advance(Duration::minutes(10));
    e.ws.move_ticket(&agent, row.id, Stage::Done, Some(Outcome::Fully))
        .await
        .unwrap();

    let d = e.ws.ticket_detail(&agent, row.id).await.unwrap();
    assert_eq!(d.row.stage, Stage::Done);
    assert_eq!(d.outcome, Some(Outcome::Fully));
    assert_eq!(
        (d.first_response_at.unwrap() - d.row.created_at).num_minutes(),
        10
    );
    assert_eq!(
        (d.resolved_at.unwrap() - d.row.created_at).num_minutes(),
        45
    );
    let secs = |s: Stage| d.durations.iter().find(|x| x.stage == s).unwrap().seconds;
    assert_eq!(secs(Stage::Unassigned), 3 * 60);
    assert_eq!(secs(Stage::ToContact), 7 * 60);
    assert_eq!(secs(Stage::InProgress), 15 * 60);
    assert_eq!(secs(Stage::AwaitingReply), 20 * 60);
    assert!(d.allowed.reopen && d.allowed.moves.is_empty());

    e.clock.advance(Duration::hours(2));
    e.ws.reopen_ticket(&agent, row.id, "客户反馈仍未收到")
        .await
        .unwrap();
    let d = e.ws.ticket_detail(&agent, row.id).await.unwrap();
    assert_eq!(
        (d.row.stage, d.row.round, d.outcome, d.resolved_at),
        (Stage::InProgress, 2, None, None)
    );

    let kinds: Vec<&str> = d.timeline.iter().map(|t| t.event.kind.name()).collect();
    assert_eq!(
        kinds,
        [
            "created",
            "assigned",
            "stage_changed",
            "stage_changed",
            "stage_changed",
            "stage_changed",
            "stage_changed",
            "reopened",
            "stage_changed"
        ]
    );
    assert!(
        d.timeline.iter().all(|t| t.actor_name.is_some()),
        "every change names its actor"
    );
    assert_eq!(d.timeline[1].assignee_name.as_deref(), Some("李娜"));
}

#[tokio::test]
async fn illegal_moves_are_refused_and_change_nothing() {
    let e = env(0).await;
    let agent = e.agent(0).await;
    let row = e.ws.create_ticket(&agent, &new_ticket("x")).await.unwrap();
    let err =
        e.ws.move_ticket(&agent, row.id, Stage::InProgress, None)
            .await
            .unwrap_err();
    assert_eq!(
        err.code(),
        "forbidden",
        "an unassigned ticket is nobody's to work: {err}"
    );
    e.ws.claim_ticket(&agent, row.id).await.unwrap();
    let err =
        e.ws.move_ticket(&agent, row.id, Stage::Done, Some(Outcome::Fully))
            .await
            .unwrap_err();
    assert_eq!(err.code(), "illegal_transition");
    assert!(err.to_string().contains("contact the customer"), "{err}");
    let err = e.ws.reopen_ticket(&agent, row.id, "why").await.unwrap_err();
    assert_eq!(err.code(), "illegal_transition");
    let d = e.ws.ticket_detail(&agent, row.id).await.unwrap();
    assert_eq!(d.row.stage, Stage::ToContact);
    assert_eq!(d.timeline.len(), 3, "refused moves leave no event");
}

#[tokio::test]
async fn numbers_follow_the_local_day_and_widen_past_99() {
    let e = env(0).await;
    let agent = e.agent(0).await;
    for i in 1..=100 {
        let row =
            e.ws.create_ticket(&agent, &new_ticket(&format!("t{i}")))
                .await
                .unwrap();
        let want = if i < 100 {
            format!("CS20261123{i:02}")
        } else {
            "CS20261123100".into()
        };
        assert_eq!(row.number, want);
    }
    // 16:30 UTC is already the next day in Beijing.
    e.clock
        .set(common::start() + Duration::hours(14) + Duration::minutes(30));
    let row =
        e.ws.create_ticket(&agent, &new_ticket("next day"))
            .await
            .unwrap();
    assert_eq!(row.number, "CS2026112401");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creation_never_duplicates_a_number() {
    let e = env(0).await;
    let agent = e.agent(0).await;
    let mut tasks = Vec::new();
    for i in 0..60 {
        let ws = e.ws.clone();
        tasks.push(tokio::spawn(async move {
            ws.create_ticket(&agent, &new_ticket(&format!("c{i}")))
                .await
        }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.unwrap().unwrap().number);
    }
    numbers.sort();
    let want: Vec<String> = (1..=60).map(|i| format!("CS20261123{i:02}")).collect();
    assert_eq!(numbers, want);
}

#[tokio::test]
async fn agents_see_the_pool_and_their_own_tickets_only() {
    let e = env(0).await;
    let (a, b) = (e.agent(0).await, e.agent(1).await);
    let sup = e.first(Role::Supervisor).await;
    let t1 = e.ws.create_ticket(&a, &new_ticket("a's")).await.unwrap();
    let t2 = e.ws.create_ticket(&a, &new_ticket("b's")).await.unwrap();
    let _pool = e.ws.create_ticket(&a, &new_ticket("pool")).await.unwrap();
    e.ws.claim_ticket(&a, t1.id).await.unwrap();
    e.ws.assign_ticket(&sup, t2.id, b.id).await.unwrap();

    let seen =
        e.ws.list_pool(
            &a,
            &PoolQuery {
                limit: 100,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let subjects: Vec<&str> = seen.rows.iter().map(|r| r.subject.as_str()).collect();
    assert_eq!(seen.total, 2);
    assert!(subjects.contains(&"a's") && subjects.contains(&"pool"));

    let err = e.ws.ticket_detail(&a, t2.id).await.unwrap_err();
    assert_eq!(err.code(), "forbidden");
    let q = PoolQuery {
        assignee: Some(AssigneeFilter::User(b.id)),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(
        e.ws.list_pool(&a, &q).await.unwrap_err().code(),
        "forbidden"
    );
    assert_eq!(e.ws.list_pool(&sup, &q).await.unwrap().total, 1);
    assert_eq!(
        e.ws.move_ticket(&a, t2.id, Stage::InProgress, None)
            .await
            .unwrap_err()
            .code(),
        "forbidden"
    );
    assert_eq!(
        e.ws.assign_ticket(&a, t2.id, a.id)
            .await
            .unwrap_err()
            .code(),
        "forbidden"
    );
    assert_eq!(
        e.ws.add_note(&a, t2.id, NoteAudience::Internal, "hi")
            .await
            .unwrap_err()
            .code(),
        "forbidden"
    );
    assert_eq!(
        e.ws.reveal_customer(&a, t2.id).await.unwrap_err().code(),
        "forbidden"
    );
    let mine = PoolQuery {
        assignee: Some(AssigneeFilter::Me),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(e.ws.list_pool(&a, &mine).await.unwrap().total, 1);
}

#[tokio::test]
async fn caps_stop_claims_and_assignments() {
    let e = env(0).await;
    let a = e.agent(0).await; // cap 5
    let sup = e.first(Role::Supervisor).await;
    for i in 0..5 {
        let t =
            e.ws.create_ticket(&a, &new_ticket(&format!("{i}")))
                .await
                .unwrap();
        e.ws.claim_ticket(&a, t.id).await.unwrap();
    }
    let t =
        e.ws.create_ticket(&a, &new_ticket("one too many"))
            .await
            .unwrap();
    let err = e.ws.claim_ticket(&a, t.id).await.unwrap_err();
    assert_eq!(err.code(), "conflict");
    assert!(err.to_string().contains("cap 5"), "{err}");
    assert_eq!(
        e.ws.assign_ticket(&sup, t.id, a.id)
            .await
            .unwrap_err()
            .code(),
        "conflict"
    );
}

#[tokio::test]
async fn notes_and_audited_reveals() {
    let e = env(0).await;
    let a = e.agent(0).await;
    let t = e.ws.create_ticket(&a, &new_ticket("notes")).await.unwrap();
    e.ws.claim_ticket(&a, t.id).await.unwrap();
    e.ws.add_note(&a, t.id, NoteAudience::Tech, "请技术部查看日志")
        .await
        .unwrap();
    let err =
        e.ws.add_note(&a, t.id, NoteAudience::Internal, "   ")
            .await
            .unwrap_err();
    assert_eq!(err.field(), Some("body"));
    let d = e.ws.ticket_detail(&a, t.id).await.unwrap();
    assert_eq!(d.notes.len(), 1);
    assert_eq!(d.notes[0].audience, NoteAudience::Tech);
    assert_eq!(d.customer.phone, "138****1234");
    assert_eq!(d.customer.email, "z***@example.com");
    assert!(
        !d.template.is_empty(),
        "the type's handling template comes with the ticket"
    );

    assert_eq!(e.ws.audit_count("reveal_contact").await.unwrap(), 0);
    let full = e.ws.reveal_customer(&a, t.id).await.unwrap();
    assert_eq!(full.phone, "13812341234");
    assert_eq!(e.ws.audit_count("reveal_contact").await.unwrap(), 1);
}

#[tokio::test]
async fn bad_input_gets_a_field_error_and_saves_nothing() {
    let e = env(0).await;
    let a = e.agent(0).await;
    let mut t = new_ticket("big");
    t.description = "字".repeat(1_000_000);
    let err = e.ws.create_ticket(&a, &t).await.unwrap_err();
    assert_eq!(err.field(), Some("description"));
    let mut t = new_ticket("bad type");
    t.type_id = pulsedesk_core::ids::TicketTypeId(999);
    assert_eq!(
        e.ws.create_ticket(&a, &t).await.unwrap_err().code(),
        "not_found"
    );
    let page =
        e.ws.list_pool(
            &a,
            &PoolQuery {
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(page.total, 0);
    // The failed creations did not burn ticket numbers.
    let ok = e.ws.create_ticket(&a, &new_ticket("ok")).await.unwrap();
    assert_eq!(ok.number, "CS2026112301");
    assert!(matches!(
        e.ws.ticket_detail(&a, TicketId(12345)).await.unwrap_err(),
        StoreError::NotFound("ticket")
    ));
}

#[tokio::test]
async fn the_pool_orders_by_priority_then_age_and_filters() {
    let e = env(400).await;
    let sup = e.first(Role::Supervisor).await;
    let page =
        e.ws.list_pool(
            &sup,
            &PoolQuery {
                limit: 1000,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let (all,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM tickets")
        .fetch_one(e.ws.pool())
        .await
        .unwrap();
    // The demo's 400 tickets and the follow-ups its feedback opened.
    assert!(all > 400);
    assert_eq!(i64::from(page.total), all);
    let keys: Vec<_> = page
        .rows
        .iter()
        .map(|r| (r.priority.rank(), r.created_at))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);

    for stage in Stage::ALL {
        let q = PoolQuery {
            stage: Some(*stage),
            limit: 1000,
            ..Default::default()
        };
        let p = e.ws.list_pool(&sup, &q).await.unwrap();
        assert!(p.rows.iter().all(|r| r.stage == *stage));
        assert!(p.total > 0, "the demo has tickets in {stage}");
    }
    let q = PoolQuery {
        search: Some("CS2026".into()),
        limit: 5,
        ..Default::default()
    };
    assert!(e.ws.list_pool(&sup, &q).await.unwrap().total > 0);
    let one = page.rows[17].number.clone();
    let q = PoolQuery {
        search: Some(one.to_lowercase()),
        limit: 5,
        ..Default::default()
    };
    let found = e.ws.list_pool(&sup, &q).await.unwrap();
    assert_eq!(
        found
            .rows
            .iter()
            .map(|r| r.number.clone())
            .collect::<Vec<_>>(),
        vec![one]
    );
    let q = PoolQuery {
        search: Some("闪退".into()),
        limit: 1000,
        ..Default::default()
    };
    let p = e.ws.list_pool(&sup, &q).await.unwrap();
    assert!(p.total > 0 && p.rows.iter().all(|r| r.subject.contains("闪退")));
    let q = PoolQuery {
        search: Some("100%_".into()),
        limit: 5,
        ..Default::default()
    };
    assert_eq!(
        e.ws.list_pool(&sup, &q).await.unwrap().total,
        0,
        "LIKE wildcards are literal"
    );
    let q = PoolQuery {
        offset: 390,
        limit: 50,
        ..Default::default()
    };
    assert_eq!(
        e.ws.list_pool(&sup, &q).await.unwrap().rows.len() as i64,
        all - 390
    );
}

/// The stored row of every demo ticket is exactly the fold of its event log.
#[tokio::test]
async fn every_row_is_the_fold_of_its_events() {
    let e = env(300).await;
    let sup = e.first(Role::Supervisor).await;
    let page =
        e.ws.list_pool(
            &sup,
            &PoolQuery {
                limit: 1000,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let mut reopened = 0;
    for r in page.rows {
        let d = e.ws.ticket_detail(&sup, r.id).await.unwrap();
        let mut s = TicketState::default();
        for t in &d.timeline {
            s.apply(t.event.at, &t.event.kind);
        }
        assert_eq!(s.stage, d.row.stage, "{}", r.number);
        assert_eq!(s.assignee, d.row.assignee_id, "{}", r.number);
        assert_eq!(s.outcome, d.outcome, "{}", r.number);
        assert_eq!(
            s.timings.first_response_at, d.first_response_at,
            "{}",
            r.number
        );
        assert_eq!(s.timings.resolved_at, d.resolved_at, "{}", r.number);
        if d.timeline
            .iter()
            .any(|t| matches!(t.event.kind, EventKind::Reopened { .. }))
        {
            reopened += 1;
        }
    }
    assert!(reopened > 0, "the demo shows second rounds");
}

#[tokio::test]
async fn demo_respects_caps() {
    let e = env(300).await;
    let admin = e.first(Role::Admin).await;
    let sup = e.first(Role::Supervisor).await;
    for m in e.ws.config(&admin).await.unwrap().members {
        let q = PoolQuery {
            assignee: Some(AssigneeFilter::User(m.id)),
            open_only: true,
            limit: 1,
            ..Default::default()
        };
        let open = e.ws.list_pool(&sup, &q).await.unwrap().total;
        assert!(open <= m.cap, "{} holds {open} > cap {}", m.name, m.cap);
    }
}

#[tokio::test]
async fn search_finds_chinese_substrings_and_latin_word_prefixes() {
    let e = env(200).await;
    let sup = e.first(Role::Supervisor).await;
    let mut t = new_ticket("手机 App 登录后闪退");
    e.ws.create_ticket(&sup, &t).await.unwrap();
    t.subject = "Zebracorn parcel stuck".into();
    t.customer = pulsedesk_core::view::CustomerChoice::New(pulsedesk_core::view::NewCustomer {
        name: "Alice Quixotica".into(),
        phone: String::new(),
        email: "alice@example.com".into(),
        tier: pulsedesk_core::kinds::Tier::Normal,
    });
    e.ws.create_ticket(&sup, &t).await.unwrap();
    let find = |s: &str| PoolQuery {
        search: Some(s.into()),
        limit: 1000,
        ..Default::default()
    };
    for q in ["三丰", "张三丰", "丰", "登录后闪", "闪退"] {
        let p = e.ws.list_pool(&sup, &find(q)).await.unwrap();
        assert!(p.total >= 1, "{q} finds the new ticket");
        assert!(
            p.rows.iter().all(|r| r.subject.contains(q)
                || r.customer_name.starts_with(q.chars().next().unwrap())
                || q.contains('丰')),
            "{q}: every row really contains it"
        );
    }
    // Pairs that occur apart are not a match: 登录 and 闪退 both occur, "录闪" does not.
    assert_eq!(e.ws.list_pool(&sup, &find("录闪")).await.unwrap().total, 0);
    let total = |q: &'static str| {
        let ws = e.ws.clone();
        async move { ws.list_pool(&sup, &find(q)).await.unwrap().total }
    };
    assert_eq!(total("quixo").await, 1, "a customer's word prefix");
    assert_eq!(total("zebra").await, 1, "a subject's word prefix");
    assert_eq!(
        total("PARCEL zebra").await,
        1,
        "words in any order, any case"
    );
    assert_eq!(total("zebra 闪退").await, 0, "every word must match");
    assert_eq!(total("\"OR*").await, 0, "FTS syntax is plain text");
}

#[tokio::test]
async fn the_ticket_view_shows_both_sla_clocks() {
    use pulsedesk_core::sla::{ClockKind, ClockState};
    let e = env(0).await;
    let agent = e.agent(0).await;
    // High priority: first response 30 min, resolution 8 h (the SPEC's defaults).
    let row =
        e.ws.create_ticket(&agent, &new_ticket("SLA"))
            .await
            .unwrap();
    let clocks = |d: &pulsedesk_core::view::TicketDetail| {
        (d.sla[0].kind, d.sla[0].state, d.sla[1].kind, d.sla[1].state)
    };
    let d = e.ws.ticket_detail(&agent, row.id).await.unwrap();
    assert_eq!(
        clocks(&d),
        (
            ClockKind::FirstResponse,
            ClockState::OnTrack,
            ClockKind::Resolution,
            ClockState::OnTrack
        )
    );
    assert_eq!(
        d.sla[0].due_at,
        Some(row.created_at + Duration::minutes(30))
    );
    assert_eq!(d.sla[1].due_at, Some(row.created_at + Duration::hours(8)));

    e.clock.advance(Duration::minutes(24));
    let d = e.ws.ticket_detail(&agent, row.id).await.unwrap();
    assert_eq!(d.sla[0].state, ClockState::NearBreach, "80% of 30 minutes");
    e.clock.advance(Duration::minutes(6));
    let d = e.ws.ticket_detail(&agent, row.id).await.unwrap();
    assert_eq!(
        d.sla[0].state,
        ClockState::NearBreach,
        "exactly 30 minutes is within the target"
    );
    e.clock.advance(Duration::minutes(1));
    let d = e.ws.ticket_detail(&agent, row.id).await.unwrap();
    assert_eq!(d.sla[0].state, ClockState::Breached);

    e.ws.claim_ticket(&agent, row.id).await.unwrap();
    e.ws.move_ticket(&agent, row.id, Stage::InProgress, None)
        .await
        .unwrap();
    e.clock.advance(Duration::hours(1));
    let d = e.ws.ticket_detail(&agent, row.id).await.unwrap();
    assert_eq!(
        d.sla[0].stopped_at,
        Some(row.created_at + Duration::minutes(31))
    );
    assert_eq!(
        d.sla[0].state,
        ClockState::Breached,
        "responded late stays breached"
    );
    assert_eq!(d.sla[1].state, ClockState::OnTrack);

    // A tighter target configured by the admin applies at once.
    let admin = e.first(Role::Admin).await;
    let tight = pulsedesk_core::config::SlaTarget {
        priority: pulsedesk_core::kinds::Priority::High,
        first_response_minutes: 10,
        resolution_minutes: 60,
    };
    e.ws.save_sla_targets(&admin, &[tight]).await.unwrap();
    let d = e.ws.ticket_detail(&agent, row.id).await.unwrap();
    assert_eq!(
        d.sla[1].state,
        ClockState::Breached,
        "90 minutes against a 60-minute target"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_ticket_view_is_one_snapshot_while_others_write() {
    use pulsedesk_core::view::AllowedActions;
    let e = env(0).await;
    let sup = e.first(Role::Supervisor).await;
    let agents = [e.agent(0).await, e.agent(1).await, e.agent(2).await];
    let mut ids = Vec::new();
    for i in 0..4 {
        ids.push(e.create(&sup, &format!("snapshot {i}")).await.id);
    }
    // Another desk hands the tickets around while this one keeps reading them.
    let writer = {
        let ws = e.ws.clone();
        let ids = ids.clone();
        tokio::spawn(async move {
            for round in 0..150 {
                let id = ids[round % ids.len()];
                let to = agents[round % agents.len()];
                ws.assign_ticket(&sup, id, to.id).await.unwrap();
            }
        })
    };
    let mut reads = 0;
    while !writer.is_finished() || reads < 50 {
        let id = ids[reads % ids.len()];
        let d = e.ws.ticket_detail(&sup, id).await.unwrap();
        let mut replayed = TicketState::default();
        for t in &d.timeline {
            replayed.apply(t.event.at, &t.event.kind);
        }
        assert_eq!(replayed.assignee, d.row.assignee_id, "read {reads}");
        assert_eq!(replayed.stage, d.row.stage, "read {reads}");
        assert_eq!(
            d.allowed,
            AllowedActions::for_ticket(&sup, d.row.stage, d.row.assignee_id),
            "read {reads}"
        );
        reads += 1;
    }
    writer.await.unwrap();
}
