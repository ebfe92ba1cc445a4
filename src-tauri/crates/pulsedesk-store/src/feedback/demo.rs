//! The demo workspace's feedback: surveys for its finished tickets, most answered (mostly
//! well, some badly), with the follow-ups the rule asks for — older ones already done.

use super::follow_up;
use crate::rows::to_json;
use crate::time::{from_ms, to_ms};
use crate::StoreError;
use chrono::{DateTime, Duration, Utc};
use pulsedesk_core::clock::Clock;
use pulsedesk_core::feedback::{expiry, FeedbackSettings, Scores};
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::kinds::{Outcome, Stage};
use pulsedesk_core::ticket::EventKind;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::SqliteConnection;

const GOOD: &[&str] = &[
    "",
    "",
    "",
    "很满意，谢谢",
    "处理很专业",
    "客服态度很好",
    "Quick and helpful, thanks",
];
const BAD: &[&str] = &[
    "等待时间太长",
    "响应慢，打了三次电话",
    "问题拖了很久",
    "没人理，只好再打电话",
    "Waited two days for a reply",
    "",
];

/// Adds the surveys and answers. Runs in the seeding transaction.
pub(crate) async fn seed(
    conn: &mut SqliteConnection,
    clock: &dyn Clock,
    seed: u64,
) -> Result<(), StoreError> {
    let settings = FeedbackSettings::default();
    let now = clock.now();
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed_f00d);
    let done: Vec<(i64, i64, Option<i64>, i64, i64)> = sqlx::query_as(
        "SELECT id, round, assignee_id, type_id, resolved_at FROM tickets
         WHERE stage = 'done' AND resolved_at IS NOT NULL AND follows_ticket_id IS NULL ORDER BY resolved_at",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (id, round, agent, type_id, resolved) in done {
        let sent = from_ms(resolved)?;
        let answered = sent + Duration::minutes(rng.random_range(10..36 * 60));
        let answers = rng.random_range(0..10) < 7 && answered < now;
        let (survey,): (i64,) = sqlx::query_as(
            "INSERT INTO surveys (ticket_id, round, sent_at, expires_at, agent_id, type_id, token)
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(id)
        .bind(round)
        .bind(resolved)
        .bind(to_ms(expiry(sent, settings.expiry_days)))
        .bind(agent)
        .bind(type_id)
        .bind(super::survey::new_token())
        .fetch_one(&mut *conn)
        .await?;
        if !answers {
            continue;
        }
        let unhappy = rng.random_range(0..10) == 0;
        let mut score = |lo: u8, hi: u8| rng.random_range(lo..=hi);
        let scores = if unhappy {
            Scores::new(score(1, 3), score(2, 4), score(1, 3))
        } else {
            Scores::new(score(4, 5), score(4, 5), score(3, 5))
        }
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let comment = if unhappy {
            BAD[rng.random_range(0..BAD.len())]
        } else {
            GOOD[rng.random_range(0..GOOD.len())]
        };
        let overall = scores.overall();
        let reasons = settings.rule.reasons(overall, comment);
        let follow_up = if reasons.is_empty() {
            None
        } else {
            let day = clock.local_day(answered);
            let (fu, owner) =
                follow_up::open(&mut *conn, TicketId(id), comment, day, answered).await?;
            // Follow-ups from before yesterday were handled.
            if let Some(owner) = owner.filter(|_| now - answered > Duration::days(1)) {
                finish(&mut *conn, fu, owner, answered).await?;
            }
            Some(fu)
        };
        sqlx::query(
            "UPDATE surveys SET status = 'answered', answered_at = ?, source = 'link', speed = ?,
                 professionalism = ?, resolution = ?, overall = ?, solved = 1, comment = ?,
                 follow_up_reasons = ?, follow_up_ticket_id = ? WHERE id = ?",
        )
        .bind(to_ms(answered))
        .bind(i64::from(scores.speed))
        .bind(i64::from(scores.professionalism))
        .bind(i64::from(scores.resolution))
        .bind(i64::from(overall.0))
        .bind(comment)
        .bind(to_json(&reasons))
        .bind(follow_up.map(|f| f.0))
        .bind(survey)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn finish(
    conn: &mut SqliteConnection,
    ticket: TicketId,
    owner: pulsedesk_core::ids::UserId,
    from: DateTime<Utc>,
) -> Result<(), StoreError> {
    for (hours, to, outcome) in [
        (2, Stage::InProgress, None),
        (5, Stage::Done, Some(Outcome::Fully)),
    ] {
        let row = crate::tickets::load_state(&mut *conn, ticket).await?;
        let from_stage = row.state()?.stage;
        let e = EventKind::StageChanged {
            from: from_stage,
            to,
            outcome,
        };
        crate::tickets::commit_events(
            &mut *conn,
            &row,
            Some(owner),
            from + Duration::hours(hours),
            &[e],
        )
        .await?;
    }
    sqlx::query("UPDATE tickets SET follow_up_told_at = updated_at WHERE id = ?")
        .bind(ticket.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// The seed's improvement measure, started a week ago: VIP response breaches had risen, a
/// flexible peak-time agent was added. Its owner is the first supervisor.
pub(crate) async fn seed_measure(
    conn: &mut SqliteConnection,
    clock: &dyn Clock,
) -> Result<(), StoreError> {
    use pulsedesk_core::measures::{Metric, Target};
    let owner: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM users WHERE role = 'supervisor' ORDER BY id LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?;
    let Some((owner,)) = owner else {
        return Ok(());
    };
    let now = clock.now();
    let today = clock.local_day(now);
    let targets = [
        Target {
            metric: Metric::VipFirstResponseMinutes,
            value: 10.0,
        },
        Target {
            metric: Metric::VipBreachPercent,
            value: 5.0,
        },
    ];
    sqlx::query(
        "INSERT INTO measures (problem, root_cause, action, owner_id, deadline, started_on,
             window_days, targets, status, created_at, created_by)
         VALUES (?, ?, ?, ?, ?, ?, 7, ?, 'in_progress', ?, ?)",
    )
    .bind("VIP 客户响应超时率从 5% 升至 12%")
    .bind("高峰期（19:00-21:00）专职客服不足")
    .bind("增设 1 名高峰期弹性客服，负责 VIP 工单")
    .bind(owner)
    .bind((today + Duration::days(7)).format("%Y-%m-%d").to_string())
    .bind((today - Duration::days(7)).format("%Y-%m-%d").to_string())
    .bind(to_json(&targets))
    .bind(to_ms(now))
    .bind(owner)
    .execute(conn)
    .await?;
    Ok(())
}
