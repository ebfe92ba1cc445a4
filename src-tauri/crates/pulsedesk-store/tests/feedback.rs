//! Feedback in the workspace: a survey per resolution cycle, answers by phone and by file,
//! late and duplicate answers, the follow-up ticket with its 24-hour SLA for a supervisor,
//! "not solved" sending the ticket into its next round, and the module's figures checked
//! against a plain fold of the answers.

// Test code: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::Duration;
use common::{env, Env};
use pulsedesk_core::clock::Clock;
use pulsedesk_core::feedback::{Answer, FeedbackSettings, Scores, SurveyStatus, Tenths};
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::kinds::{Outcome, Role, Stage};
use pulsedesk_core::permissions::Actor;
use pulsedesk_core::sla::ClockKind;

fn answer(s: (u8, u8, u8), solved: bool, comment: &str) -> Answer {
    Answer {
        scores: Scores::new(s.0, s.1, s.2).unwrap(),
        solved,
        comment: comment.into(),
    }
}

/// A ticket `agent` worked from the pool to done.
async fn finished(e: &Env, agent: &Actor, subject: &str) -> TicketId {
    let id = e.create(agent, subject).await.id;
    e.ws.claim_ticket(agent, id).await.unwrap();
    e.clock.advance(Duration::minutes(5));
    e.ws.move_ticket(agent, id, Stage::InProgress, None)
        .await
        .unwrap();
    e.clock.advance(Duration::minutes(20));
    e.ws.move_ticket(agent, id, Stage::Done, Some(Outcome::Fully))
        .await
        .unwrap();
    id
}

#[tokio::test]
async fn a_finished_ticket_gets_one_survey_and_a_good_answer_just_counts() {
    let e = env(0).await;
    let li = e.agent(0).await;
    let id = finished(&e, &li, "改地址").await;
    let s = e.ws.ticket_survey(&li, id).await.unwrap().unwrap();
    assert_eq!(s.status, SurveyStatus::Pending);
    assert_eq!(s.round, 1);
    assert_eq!(s.expires_at - s.sent_at, Duration::days(7));

    let out =
        e.ws.record_feedback(&li, id, &answer((5, 5, 4), true, "很满意"))
            .await
            .unwrap();
    assert_eq!(out.survey.overall, Some(Tenths(47)));
    assert_eq!(out.survey.status, SurveyStatus::Answered);
    assert!(out.survey.follow_up_reasons.is_empty());
    assert_eq!(out.follow_up, None);

    // The first answer stands; a different one is refused with the reason.
    let err =
        e.ws.record_feedback(&li, id, &answer((1, 1, 1), true, ""))
            .await
            .unwrap_err();
    assert_eq!(err.code(), "conflict");
    assert!(err.to_string().contains("first answer stands"), "{err}");
}

#[tokio::test]
async fn a_low_score_opens_a_follow_up_for_a_supervisor_due_in_24_hours() {
    let e = env(0).await;
    let li = e.agent(0).await;
    let id = finished(&e, &li, "快递延误").await;
    e.clock.advance(Duration::hours(2));
    let at = e.clock.now();
    let out =
        e.ws.record_feedback(&li, id, &answer((2, 1, 3), true, "等待时间太长"))
            .await
            .unwrap();
    assert_eq!(out.survey.overall, Some(Tenths(20)));
    assert_eq!(
        out.survey.follow_up_reasons.len(),
        2,
        "low score and keyword"
    );
    let (fu, owner) = out.follow_up.unwrap();
    let owner = e.user(owner.unwrap()).await;
    assert_eq!(owner.role, Role::Supervisor);
    let link = out.survey.follow_up.unwrap();
    assert_eq!(link.ticket_id, fu);

    let detail = e.ws.ticket_detail(&owner, fu).await.unwrap();
    assert_eq!(detail.row.stage, Stage::ToContact);
    assert_eq!(detail.row.assignee_id, Some(owner.id));
    assert_eq!(detail.row.type_name, "客户回访");
    assert_eq!(detail.description, "等待时间太长");
    assert_eq!(detail.follows.as_ref().map(|f| f.id), Some(id));
    assert!(detail
        .row
        .subject
        .contains(&e.ws.ticket_detail(&li, id).await.unwrap().row.number));
    let badge = detail.row.sla.unwrap();
    assert_eq!(badge.kind, ClockKind::FirstResponse);
    assert_eq!(badge.due_at, Some(at + Duration::hours(24)));

    // The owner hears of it once.
    let news = e.ws.take_follow_up_news(&owner).await.unwrap();
    assert_eq!(news.len(), 1);
    assert_eq!(news[0].overall, "2.0");
    assert!(e.ws.take_follow_up_news(&owner).await.unwrap().is_empty());

    // The next follow-up goes to the other supervisor (fewest open follow-ups), and a
    // follow-up ticket gets no survey of its own when it is done.
    let id2 = finished(&e, &li, "又延误").await;
    let out2 =
        e.ws.record_feedback(&li, id2, &answer((4, 4, 4), true, "客服响应慢"))
            .await
            .unwrap();
    let (_, owner2) = out2.follow_up.unwrap();
    assert_ne!(owner2, Some(owner.id));
    e.ws.move_ticket(&owner, fu, Stage::InProgress, None)
        .await
        .unwrap();
    e.ws.move_ticket(&owner, fu, Stage::Done, Some(Outcome::Fully))
        .await
        .unwrap();
    assert_eq!(e.ws.ticket_survey(&owner, fu).await.unwrap(), None);
}

#[tokio::test]
async fn not_solved_sends_the_ticket_into_its_second_round_with_a_new_survey() {
    let e = env(0).await;
    let li = e.agent(0).await;
    let id = finished(&e, &li, "退款未到账").await;
    let out =
        e.ws.record_feedback(&li, id, &answer((4, 4, 3), false, ""))
            .await
            .unwrap();
    assert!(out.survey.reopened);
    let d = e.ws.ticket_detail(&li, id).await.unwrap();
    assert_eq!((d.row.stage, d.row.round), (Stage::InProgress, 2));
    // No survey for round 2 until it is done again.
    assert_eq!(e.ws.ticket_survey(&li, id).await.unwrap().unwrap().round, 1);
    e.ws.move_ticket(&li, id, Stage::Done, Some(Outcome::Fully))
        .await
        .unwrap();
    let s2 = e.ws.ticket_survey(&li, id).await.unwrap().unwrap();
    assert_eq!((s2.round, s2.status), (2, SurveyStatus::Pending));

    // Reopened by hand before an answer: that survey takes no answers.
    e.ws.reopen_ticket(&li, id, "客户来电补充").await.unwrap();
    let s = e.ws.ticket_survey(&li, id).await.unwrap().unwrap();
    assert_eq!(s.status, SurveyStatus::Superseded);
    let err =
        e.ws.record_feedback(&li, id, &answer((5, 5, 5), true, ""))
            .await
            .unwrap_err();
    assert!(err.to_string().contains("reopened"), "{err}");
}

#[tokio::test]
async fn an_answer_after_the_expiry_is_refused_and_the_expiry_is_a_setting() {
    let e = env(0).await;
    let admin = e.first(Role::Admin).await;
    let li = e.agent(0).await;
    e.ws.save_feedback_settings(
        &admin,
        FeedbackSettings {
            expiry_days: 2,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let id = finished(&e, &li, "发票").await;
    e.clock.advance(Duration::days(2));
    let s = e.ws.ticket_survey(&li, id).await.unwrap().unwrap();
    assert_eq!(s.status, SurveyStatus::Expired);
    let err =
        e.ws.record_feedback(&li, id, &answer((5, 5, 5), true, ""))
            .await
            .unwrap_err();
    assert!(err.to_string().contains("expired"), "{err}");
    // Bad settings are refused by name; the saved ones stay.
    let bad =
        e.ws.save_feedback_settings(
            &admin,
            FeedbackSettings {
                expiry_days: 0,
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(bad.to_string().contains("expiry_days"), "{bad}");
    assert_eq!(e.ws.feedback_settings().await.unwrap().expiry_days, 2);
}

#[tokio::test]
async fn only_the_agent_who_worked_it_or_a_supervisor_records_and_admins_configure() {
    let e = env(0).await;
    let li = e.agent(0).await;
    let other = e.agent(1).await;
    let admin = e.first(Role::Admin).await;
    let sup = e.first(Role::Supervisor).await;
    let id = finished(&e, &li, "权限").await;
    let a = answer((5, 5, 5), true, "");
    for who in [&other, &admin] {
        let err = e.ws.record_feedback(who, id, &a).await.unwrap_err();
        assert_eq!(err.code(), "forbidden");
    }
    assert_eq!(
        e.ws.import_feedback(&li, "number\n")
            .await
            .unwrap_err()
            .code(),
        "forbidden"
    );
    assert_eq!(
        e.ws.save_feedback_settings(&sup, FeedbackSettings::default())
            .await
            .unwrap_err()
            .code(),
        "forbidden"
    );
    assert_eq!(
        e.ws.feedback_overview(&li, None).await.unwrap_err().code(),
        "forbidden"
    );
    e.ws.record_feedback(&sup, id, &a).await.unwrap();
}

#[tokio::test]
async fn an_import_records_good_rows_names_bad_ones_and_is_safe_to_run_twice() {
    let e = env(0).await;
    let li = e.agent(0).await;
    let sup = e.first(Role::Supervisor).await;
    let a = finished(&e, &li, "导入一").await;
    let b = finished(&e, &li, "导入二").await;
    let num = |id| {
        let e = &e;
        let li = &li;
        async move { e.ws.ticket_detail(li, id).await.unwrap().row.number }
    };
    let (na, nb) = (num(a).await, num(b).await);
    e.clock.advance(Duration::hours(3));
    let when = (e.clock.now() + Duration::hours(8) - Duration::hours(1))
        .naive_utc()
        .format("%Y-%m-%d %H:%M");
    let csv = format!(
        "工单编号,日期,响应速度评分(1-5分),专业度评分(1-5分),问题解决评分(1-5分),问题是否解决,客户建议\n\
         {na},{when},5,5,4,是,无\n\
         {nb},{when},2,2,2,是,太慢了\n\
         CS1999010101,{when},5,5,5,是,\n\
         {na},{when},9,5,5,是,\n\
         \n"
    );
    let r = e.ws.import_feedback(&sup, &csv).await.unwrap();
    assert_eq!((r.recorded, r.repeated, r.follow_ups), (2, 0, 1));
    let lines: Vec<u32> = r.refused.iter().map(|l| l.line).collect();
    assert_eq!(lines, [4, 5], "{:?}", r.refused);
    // Each says which row, which column and why, for the UI to say in the member's language.
    assert_eq!(r.refused[0].number.as_deref(), Some("CS1999010101"));
    assert_eq!(
        r.refused[0].why,
        pulsedesk_core::reason::Reason::NoSurveySent
    );
    assert_eq!(
        (
            r.refused[1].number.as_deref(),
            r.refused[1].column.as_deref()
        ),
        (Some(na.as_str()), Some("speed"))
    );
    assert_eq!(
        r.refused[1].why,
        pulsedesk_core::reason::Reason::NotAScore { value: "9".into() }
    );

    // Run again: nothing new, nothing refused twice over.
    let again = e.ws.import_feedback(&sup, &csv).await.unwrap();
    assert_eq!((again.recorded, again.repeated), (0, 2));

    // A file without the needed columns is refused as a whole, naming them.
    let err = e.ws.import_feedback(&sup, "a,b\n1,2\n").await.unwrap_err();
    assert!(err.to_string().contains("number"), "{err}");
}

#[tokio::test]
async fn the_module_adds_up_like_a_plain_fold_of_the_answers() {
    let e = env(0).await;
    let sup = e.first(Role::Supervisor).await;
    let agents = [e.agent(0).await, e.agent(1).await, e.agent(2).await];
    let mut expect: Vec<(i64, Scores, bool, bool)> = Vec::new();
    for i in 0..36u32 {
        let who = &agents[(i % 3) as usize];
        let id = finished(&e, who, &format!("反馈 {i}")).await;
        if i % 5 == 4 {
            continue; // never answered
        }
        let s = (
            (1 + i % 5) as u8,
            (1 + (i * 7) % 5) as u8,
            (1 + (i * 3) % 5) as u8,
        );
        let comment = if i % 6 == 0 { "slow reply" } else { "" };
        let a = answer(s, true, comment);
        let out = e.ws.record_feedback(who, id, &a).await.unwrap();
        expect.push((
            who.id.0,
            a.scores,
            true,
            !out.survey.follow_up_reasons.is_empty(),
        ));
        e.clock.advance(Duration::hours(1));
    }
    let o = e.ws.feedback_overview(&sup, None).await.unwrap();
    let fold = |rows: &[&(i64, Scores, bool, bool)]| {
        let n = rows.len() as u64;
        let sum: u64 = rows
            .iter()
            .map(|r| u64::from(r.1.speed + r.1.professionalism + r.1.resolution))
            .sum();
        let speed: u64 = rows.iter().map(|r| u64::from(r.1.speed)).sum();
        let fu = rows.iter().filter(|r| r.3).count() as u32;
        // Mean to the nearest tenth, computed in floating point here.
        let tenths = |s: u64, n: u64| Tenths(((s as f64 * 10.0 / n as f64) + 0.5).floor() as u32);
        (n as u32, tenths(sum, 3 * n), tenths(speed, n), fu)
    };
    let all: Vec<_> = expect.iter().collect();
    let (n, csat, speed, fu) = fold(&all);
    assert_eq!(o.total.answers, n);
    assert_eq!(o.total.csat, Some(csat));
    assert_eq!(o.total.speed, Some(speed));
    assert_eq!(o.total.follow_ups, fu);
    assert_eq!(o.pending, 36 - n);
    for g in &o.by_agent {
        let mine: Vec<_> = expect.iter().filter(|r| r.0 == g.id).collect();
        let (n, csat, speed, fu) = fold(&mine);
        assert_eq!(
            (
                g.figures.answers,
                g.figures.csat,
                g.figures.speed,
                g.figures.follow_ups
            ),
            (n, Some(csat), Some(speed), fu),
            "{}",
            g.name
        );
    }
    assert_eq!(o.by_agent.len(), 3);
    let per_day: u32 = o.by_day.iter().map(|d| d.figures.answers).sum();
    assert_eq!(per_day, n);
    assert_eq!(o.latest.len(), n as usize);
    assert!(o.latest[0].answered_at >= o.latest[1].answered_at);

    // The summary table streams the same answers, oldest first.
    let mut rows = Vec::new();
    e.ws.feedback_rows::<()>(&sup, None, |r| {
        rows.push(r);
        Ok(())
    })
    .await
    .unwrap();
    assert_eq!(rows.len(), n as usize);
    assert!(rows
        .iter()
        .all(|r| r.needs_follow_up == r.follow_up_owner.is_some()));
}

/// A gateway that keeps what it was given, and refuses one number.
#[derive(Default)]
struct Gateway {
    sent: std::sync::Mutex<Vec<pulsedesk_core::feedback::Delivery>>,
}

impl pulsedesk_core::feedback::SurveyChannel for Gateway {
    fn send(&self, d: &pulsedesk_core::feedback::Delivery) -> Result<(), String> {
        if let pulsedesk_core::feedback::Destination::Sms { phone } = &d.to {
            if phone.starts_with("199") {
                return Err("the SMS provider refused the number".into());
            }
        }
        self.sent.lock().unwrap().push(d.clone());
        Ok(())
    }
}

#[tokio::test]
async fn surveys_go_out_through_the_channel_layer_and_come_back_by_their_link() {
    let e = env(0).await;
    let li = e.agent(0).await;
    let a = finished(&e, &li, "链接一").await;
    // A customer with a number the gateway refuses.
    let mut t = common::new_ticket("链接二");
    t.customer = pulsedesk_core::view::CustomerChoice::New(pulsedesk_core::view::NewCustomer {
        name: "钱七".into(),
        phone: "19900001111".into(),
        email: String::new(),
        tier: pulsedesk_core::kinds::Tier::Normal,
    });
    let b = e.ws.create_ticket(&li, &t).await.unwrap().id;
    e.ws.claim_ticket(&li, b).await.unwrap();
    e.ws.move_ticket(&li, b, Stage::InProgress, None)
        .await
        .unwrap();
    e.ws.move_ticket(&li, b, Stage::Done, Some(Outcome::Fully))
        .await
        .unwrap();

    let gateway = Gateway::default();
    let report = e.ws.deliver_surveys(&gateway, 100).await.unwrap();
    assert_eq!((report.sent, report.failed, report.unreachable), (1, 1, 0));
    let sent = gateway.sent.lock().unwrap().clone();
    assert_eq!(sent[0].ticket, a);
    // The phone channel's ticket goes by text message; the token is long and random.
    assert!(matches!(
        sent[0].to,
        pulsedesk_core::feedback::Destination::Sms { .. }
    ));
    assert_eq!(sent[0].token.len(), 32);
    // Nothing is sent twice, and a refused one is not retried by itself.
    let again = e.ws.deliver_surveys(&gateway, 100).await.unwrap();
    assert_eq!((again.sent, again.failed), (0, 0));

    // The customer answers through the link: recorded as such, the rule applied.
    let out =
        e.ws.answer_by_link(&sent[0].token, &answer((3, 3, 3), true, "too slow"))
            .await
            .unwrap();
    assert_eq!(
        out.survey.source,
        Some(pulsedesk_core::feedback::AnswerSource::Link)
    );
    assert!(out.follow_up.is_some());
    // The same answer again (a double submit) changes nothing; an unknown token is refused.
    let twice =
        e.ws.answer_by_link(&sent[0].token, &answer((3, 3, 3), true, "too slow"))
            .await
            .unwrap();
    assert_eq!(twice.follow_up, None);
    let unknown =
        e.ws.answer_by_link(
            "0123456789abcdef0123456789abcdef",
            &answer((5, 5, 5), true, ""),
        )
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), "not_found");
}

#[tokio::test]
async fn a_team_replica_opens_no_survey_and_refuses_feedback_by_name() {
    let e = env(0).await;
    let li = e.agent(0).await;
    let id = e.create(&li, "团队模式").await.id;
    e.ws.claim_ticket(&li, id).await.unwrap();
    e.ws.move_ticket(&li, id, Stage::InProgress, None)
        .await
        .unwrap();
    e.ws.become_replica().await.unwrap();
    e.ws.move_ticket(&li, id, Stage::Done, Some(Outcome::Fully))
        .await
        .unwrap();
    assert_eq!(e.ws.ticket_survey(&li, id).await.unwrap(), None);
    let err =
        e.ws.record_feedback(&li, id, &answer((5, 5, 5), true, ""))
            .await
            .unwrap_err();
    assert_eq!(err.code(), "unsupported");
    assert!(err.to_string().contains("shared team database"), "{err}");
}
