//! Configuration: only admins change it; bad values get field-level errors.

mod common;

use common::env;
use pulsedesk_core::config::{MemberInput, SlaTarget, TicketTypeInput};
use pulsedesk_core::ids::TicketTypeId;
use pulsedesk_core::kinds::{Priority, Role};

#[tokio::test]
async fn only_admins_configure() {
    let e = env(0).await;
    let input = TicketTypeInput {
        id: None,
        name: "新类型".into(),
        template: String::new(),
        active: true,
    };
    for role in [Role::Agent, Role::Supervisor] {
        let actor = e.first(role).await;
        assert_eq!(
            e.ws.save_ticket_type(&actor, &input)
                .await
                .unwrap_err()
                .code(),
            "forbidden"
        );
        assert_eq!(e.ws.config(&actor).await.unwrap_err().code(), "forbidden");
    }
    let admin = e.first(Role::Admin).await;
    let saved = e.ws.save_ticket_type(&admin, &input).await.unwrap();
    assert!(e
        .ws
        .config(&admin)
        .await
        .unwrap()
        .ticket_types
        .contains(&saved));
}

#[tokio::test]
async fn duplicate_names_are_field_errors() {
    let e = env(0).await;
    let admin = e.first(Role::Admin).await;
    let dup = TicketTypeInput {
        id: None,
        name: "投诉".into(),
        template: String::new(),
        active: true,
    };
    let err = e.ws.save_ticket_type(&admin, &dup).await.unwrap_err();
    assert_eq!((err.code(), err.field()), ("duplicate", Some("name")));
    let rename = TicketTypeInput {
        id: Some(TicketTypeId(1)),
        name: "技术支持".into(),
        template: String::new(),
        active: true,
    };
    assert_eq!(
        e.ws.save_ticket_type(&admin, &rename)
            .await
            .unwrap_err()
            .field(),
        Some("name")
    );
    let m = MemberInput {
        id: None,
        name: "李娜".into(),
        role: Role::Agent,
        skills: vec![],
        cap: 5,
        active: true,
    };
    let err = e.ws.save_member(&admin, &m).await.unwrap_err();
    assert_eq!((err.code(), err.field()), ("duplicate", Some("name")));
    assert_eq!(
        e.ws.add_skill(&admin, "退换货").await.unwrap_err().code(),
        "duplicate"
    );
}

#[tokio::test]
async fn sla_targets_are_validated_all_or_nothing() {
    let e = env(0).await;
    let admin = e.first(Role::Admin).await;
    let good = SlaTarget {
        priority: Priority::Urgent,
        first_response_minutes: 10,
        resolution_minutes: 120,
    };
    let bad = SlaTarget {
        priority: Priority::Low,
        first_response_minutes: 0,
        resolution_minutes: 10,
    };
    let err =
        e.ws.save_sla_targets(&admin, &[good, bad])
            .await
            .unwrap_err();
    assert_eq!(err.field(), Some("first_response_minutes"));
    let before = e.ws.config(&admin).await.unwrap().sla_targets;
    assert_eq!(before[0].first_response_minutes, 15, "nothing was saved");
    e.ws.save_sla_targets(&admin, &[good]).await.unwrap();
    assert_eq!(e.ws.config(&admin).await.unwrap().sla_targets[0], good);
}

#[tokio::test]
async fn members_skills_and_caps() {
    let e = env(0).await;
    let admin = e.first(Role::Admin).await;
    let m = MemberInput {
        id: None,
        name: "新同事".into(),
        role: Role::Agent,
        skills: vec!["退换货".into(), "发票".into()],
        cap: 3,
        active: true,
    };
    let saved = e.ws.save_member(&admin, &m).await.unwrap();
    let cfg = e.ws.config(&admin).await.unwrap();
    let stored = cfg.members.iter().find(|x| x.id == saved.id).unwrap();
    assert_eq!(
        stored.skills,
        vec!["发票".to_string(), "退换货".to_string()]
    );
    assert_eq!(stored.cap, 3);
    assert!(cfg.skills.contains(&"发票".to_string()));
    let zero = MemberInput {
        id: Some(saved.id),
        cap: 0,
        ..m.clone()
    };
    assert_eq!(
        e.ws.save_member(&admin, &zero).await.unwrap_err().field(),
        Some("cap")
    );
    // The only admin cannot demote themselves.
    let me = cfg.members.iter().find(|x| x.id == admin.id).unwrap();
    let demote = MemberInput {
        id: Some(me.id),
        name: me.name.clone(),
        role: Role::Agent,
        skills: vec![],
        cap: 5,
        active: true,
    };
    assert_eq!(
        e.ws.save_member(&admin, &demote).await.unwrap_err().field(),
        Some("role")
    );
}
