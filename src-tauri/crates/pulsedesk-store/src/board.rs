//! The team board's figures, computed by SQLite over the ticket rows (definitions in
//! docs/METRICS.md, "Board"). Each figure is one indexed aggregate; nothing is cached, so
//! the board is right the moment a ticket changes.

use crate::rows::{count, decode};
use crate::time::{from_ms, from_opt_ms, to_ms};
use crate::{StoreError, Workspace};
use chrono::{DateTime, Utc};
use pulsedesk_core::board::{
    periods, AgentFigures, Average, Board, DayRange, NearBreach, Period, PeriodFigures,
    SlaAttainment, StageCount, TypeCount, Verdicts, Waiting, NEAR_BREACH_ROWS,
};
use pulsedesk_core::feedback::mean_tenths;
use pulsedesk_core::ids::{TicketId, TicketTypeId, UserId};
use pulsedesk_core::kinds::{Priority, Stage};
use pulsedesk_core::permissions::{Action, Actor};
use pulsedesk_core::sla::ClockKind;
use sqlx::SqlitePool;
use std::collections::HashMap;

impl Workspace {
    /// The board as of now: today, the last 7 days and `range` (supervisors and admins).
    pub async fn board(&self, actor: &Actor, range: Option<DayRange>) -> Result<Board, StoreError> {
        actor.authorize(Action::ViewTeam)?;
        let spans = periods(self.clock.as_ref(), range)?;
        let now = self.clock.now();
        let pool = &self.pool;
        let week = spans
            .iter()
            .find(|p| p.key == pulsedesk_core::board::PeriodKey::Week)
            .copied()
            .ok_or_else(|| StoreError::Corrupt("no week period".into()))?;
        let today = spans[0];
        // Every figure is its own query: they run side by side on the pool's connections
        // (each its own SQLite thread), not one after another.
        let (periods, backlog_by_stage, backlog_by_type, agents, waiting, at_risk) = tokio::try_join!(
            futures_util::future::try_join_all(spans.iter().map(|p| period(pool, p, now))),
            by_stage(pool),
            by_type(pool),
            agents(pool, today, week, now),
            waiting(pool),
            at_risk(pool, now),
        )?;
        let (breached, near_breach, overdue) = at_risk;
        Ok(Board {
            at: now,
            periods,
            backlog_by_stage,
            backlog_by_type,
            agents,
            waiting,
            breached,
            near_breach,
            overdue,
        })
    }
}

/// The span `[from, to)` of the days in `range`, or all time up to now.
pub(crate) fn created_within(
    clock: &dyn pulsedesk_core::clock::Clock,
    range: Option<DayRange>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), StoreError> {
    let spans = periods(clock, range)?;
    Ok(match (range, spans.last()) {
        (Some(_), Some(p)) => (p.from, p.to),
        _ => (
            DateTime::<Utc>::MIN_UTC,
            clock.now() + chrono::Duration::milliseconds(1),
        ),
    })
}

/// Tickets, and the sum of their durations in whole seconds (each truncated, as
/// `Timings` does), for `sql` over `[from, to)`.
async fn sum_secs(
    pool: &SqlitePool,
    sql: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Average, StoreError> {
    let (n, total): (i64, Option<i64>) = sqlx::query_as(sql)
        .bind(to_ms(from))
        .bind(to_ms(to))
        .fetch_one(pool)
        .await?;
    Ok(Average::of(total.unwrap_or(0), count(n)))
}

/// A clock's verdict at `?1` (now, ms): the projection's, or breached once a running clock
/// is a whole second past its due time (a target of N minutes is still met at exactly N).
pub(crate) const FR_VERDICT: &str =
    "coalesce(sla_fr_met, CASE WHEN sla_fr_due_at + 1000 <= ?1 THEN 0 END)";
const RES_VERDICT: &str = "coalesce(sla_res_met, CASE WHEN sla_res_due_at + 1000 <= ?1 THEN 0 END)";

/// Met and breached clocks per priority, of the tickets logged in `p`.
async fn attainment(
    pool: &SqlitePool,
    p: &Period,
    now: DateTime<Utc>,
) -> Result<Vec<SlaAttainment>, StoreError> {
    let rows: Vec<(String, i64, i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT priority, coalesce(sum(fr = 1), 0), coalesce(sum(fr = 0), 0),
                coalesce(sum(res = 1), 0), coalesce(sum(res = 0), 0)
         FROM (SELECT priority, {FR_VERDICT} AS fr, {RES_VERDICT} AS res FROM tickets
               WHERE created_at >= ?2 AND created_at < ?3)
         GROUP BY priority"
    ))
    .bind(to_ms(now))
    .bind(to_ms(p.from))
    .bind(to_ms(p.to))
    .fetch_all(pool)
    .await?;
    let mut found = HashMap::new();
    for (priority, fr_met, fr_late, res_met, res_late) in rows {
        found.insert(
            decode(Priority::parse, &priority, "priority")?,
            SlaAttainment {
                priority: decode(Priority::parse, &priority, "priority")?,
                first_response: Verdicts::of(count(fr_met), count(fr_late)),
                resolution: Verdicts::of(count(res_met), count(res_late)),
            },
        );
    }
    Ok(Priority::ALL
        .iter()
        .map(|p| {
            found.remove(p).unwrap_or(SlaAttainment {
                priority: *p,
                first_response: Verdicts::default(),
                resolution: Verdicts::default(),
            })
        })
        .collect())
}

async fn period(
    pool: &SqlitePool,
    p: &Period,
    now: DateTime<Utc>,
) -> Result<PeriodFigures, StoreError> {
    let created = async {
        let n: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM tickets WHERE created_at >= ? AND created_at < ?",
        )
        .bind(to_ms(p.from))
        .bind(to_ms(p.to))
        .fetch_one(pool)
        .await?;
        Ok::<_, StoreError>(n)
    };
    let first_response = sum_secs(
        pool,
        "SELECT count(*), sum((first_response_at - created_at) / 1000) FROM tickets
         WHERE first_response_at >= ? AND first_response_at < ?",
        p.from,
        p.to,
    );
    let resolution = sum_secs(
        pool,
        "SELECT count(*), sum((resolved_at - created_at) / 1000) FROM tickets
         WHERE resolved_at >= ? AND resolved_at < ?",
        p.from,
        p.to,
    );
    let (created, first_response, resolution, sla) = tokio::try_join!(
        created,
        first_response,
        resolution,
        attainment(pool, p, now)
    )?;
    Ok(PeriodFigures {
        key: p.key,
        from: p.from,
        to: p.to,
        created: count(created),
        first_response,
        resolution,
        sla,
    })
}

pub(crate) async fn by_stage(pool: &SqlitePool) -> Result<Vec<StageCount>, StoreError> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT stage, count(*) FROM tickets WHERE stage <> 'done' GROUP BY stage")
            .fetch_all(pool)
            .await?;
    let mut found = HashMap::new();
    for (stage, n) in rows {
        found.insert(decode(Stage::parse, &stage, "stage")?, count(n));
    }
    Ok(Stage::ALL
        .iter()
        .filter(|s| **s != Stage::Done)
        .map(|s| StageCount {
            stage: *s,
            tickets: found.get(s).copied().unwrap_or(0),
        })
        .collect())
}

pub(crate) async fn by_type(pool: &SqlitePool) -> Result<Vec<TypeCount>, StoreError> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT t.type_id, y.name, count(*) AS n FROM tickets t
         JOIN ticket_types y ON y.id = t.type_id
         WHERE t.stage <> 'done' GROUP BY t.type_id ORDER BY n DESC, y.name",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, n)| TypeCount {
            type_id: TicketTypeId(id),
            name,
            tickets: count(n),
        })
        .collect())
}

/// Per member who takes tickets (agents and supervisors, active): one query each (side by
/// side) for resolved today, open and overdue now, first response and CSAT over the week.
async fn agents(
    pool: &SqlitePool,
    today: Period,
    week: Period,
    now: DateTime<Utc>,
) -> Result<Vec<AgentFigures>, StoreError> {
    let members = sqlx::query_as::<_, (i64, String, i64)>(
        "SELECT id, name, cap FROM users WHERE active = 1 AND role <> 'admin' ORDER BY name",
    )
    .fetch_all(pool);
    let handled = sqlx::query_as::<_, (i64, i64)>(
        "SELECT assignee_id, count(*) FROM tickets
         WHERE resolved_at >= ? AND resolved_at < ? AND assignee_id IS NOT NULL
         GROUP BY assignee_id",
    )
    .bind(to_ms(today.from))
    .bind(to_ms(today.to))
    .fetch_all(pool);
    let open = sqlx::query_as::<_, (i64, i64, i64)>(
        "SELECT assignee_id, count(*), sum(sla_due_at IS NOT NULL AND sla_due_at + 1000 <= ?) FROM tickets
         WHERE stage <> 'done' AND assignee_id IS NOT NULL GROUP BY assignee_id",
    )
    .bind(to_ms(now))
    .fetch_all(pool);
    let response = sqlx::query_as::<_, (i64, i64, i64)>(
        "SELECT assignee_id, count(*), sum((first_response_at - created_at) / 1000) FROM tickets
         WHERE first_response_at >= ? AND first_response_at < ? AND assignee_id IS NOT NULL
         GROUP BY assignee_id",
    )
    .bind(to_ms(week.from))
    .bind(to_ms(week.to))
    .fetch_all(pool);
    let csat = sqlx::query_as::<_, (i64, i64, i64)>(
        "SELECT agent_id, count(*), sum(speed + professionalism + resolution) FROM surveys
         WHERE answered_at >= ? AND answered_at < ? AND agent_id IS NOT NULL GROUP BY agent_id",
    )
    .bind(to_ms(week.from))
    .bind(to_ms(week.to))
    .fetch_all(pool);
    let (members, handled, open, response, csat) =
        tokio::try_join!(members, handled, open, response, csat)?;
    let handled: HashMap<i64, i64> = handled.into_iter().collect();
    let pairs = |rows: Vec<(i64, i64, i64)>| -> HashMap<i64, (i64, i64)> {
        rows.into_iter().map(|(id, a, b)| (id, (a, b))).collect()
    };
    let (open, response, csat) = (pairs(open), pairs(response), pairs(csat));
    Ok(members
        .into_iter()
        .map(|(id, name, cap)| {
            let (open_now, overdue) = open.get(&id).copied().unwrap_or((0, 0));
            let (responded, total) = response.get(&id).copied().unwrap_or((0, 0));
            let (answers, points) = csat.get(&id).copied().unwrap_or((0, 0));
            let answers_u = u64::try_from(answers).unwrap_or(0);
            AgentFigures {
                id: UserId(id),
                name,
                handled_today: count(handled.get(&id).copied().unwrap_or(0)),
                open: count(open_now),
                cap: count(cap),
                overdue: count(overdue),
                first_response: Average::of(total, count(responded)),
                answers: count(answers),
                csat: mean_tenths(u64::try_from(points).unwrap_or(0), answers_u * 3),
            }
        })
        .collect())
}

async fn waiting(pool: &SqlitePool) -> Result<Waiting, StoreError> {
    let (n, oldest): (i64, Option<i64>) =
        sqlx::query_as("SELECT count(*), min(created_at) FROM tickets WHERE stage = 'unassigned'")
            .fetch_one(pool)
            .await?;
    Ok(Waiting {
        tickets: count(n),
        oldest_since: from_opt_ms(oldest)?,
    })
}

/// id, number, subject, priority, stage, assignee, clock, due.
type NearRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    i64,
);

/// Open tickets whose headline clock is over its target now (a whole second past due, as
/// `FR_VERDICT` and the agents' overdue count), and those near it: both lists and the count.
async fn at_risk(
    pool: &SqlitePool,
    now: DateTime<Utc>,
) -> Result<(Vec<NearBreach>, Vec<NearBreach>, u32), StoreError> {
    const SELECT: &str =
        "SELECT t.id, t.number, t.subject, t.priority, t.stage, u.name, t.sla_kind, t.sla_due_at
         FROM tickets t LEFT JOIN users u ON u.id = t.assignee_id
         WHERE t.stage <> 'done' AND t.sla_kind IS NOT NULL AND t.sla_due_at IS NOT NULL";
    let limit = i64::try_from(NEAR_BREACH_ROWS).unwrap_or(50);
    let now_ms = to_ms(now);
    let breached_sql =
        format!("{SELECT} AND t.sla_due_at + 1000 <= ? ORDER BY t.sla_due_at, t.id LIMIT ?");
    let near_sql = format!(
        "{SELECT} AND t.sla_near_at <= ? AND t.sla_due_at + 1000 > ? ORDER BY t.sla_due_at, t.id LIMIT ?"
    );
    let breached = sqlx::query_as::<_, NearRow>(&breached_sql)
        .bind(now_ms)
        .bind(limit)
        .fetch_all(pool);
    let near = sqlx::query_as::<_, NearRow>(&near_sql)
        .bind(now_ms)
        .bind(now_ms)
        .bind(limit)
        .fetch_all(pool);
    let overdue = sqlx::query_as::<_, (i64,)>(
        "SELECT count(*) FROM tickets
         WHERE stage <> 'done' AND sla_kind IS NOT NULL AND sla_due_at + 1000 <= ?",
    )
    .bind(now_ms)
    .fetch_one(pool);
    let (breached, near, (overdue,)) = tokio::try_join!(breached, near, overdue)?;
    Ok((rows_of(breached, now)?, rows_of(near, now)?, count(overdue)))
}

fn rows_of(rows: Vec<NearRow>, now: DateTime<Utc>) -> Result<Vec<NearBreach>, StoreError> {
    rows.into_iter()
        .map(
            |(id, number, subject, priority, stage, assignee, clock, due)| {
                let due_at = from_ms(due)?;
                Ok(NearBreach {
                    id: TicketId(id),
                    number,
                    subject,
                    priority: decode(Priority::parse, &priority, "priority")?,
                    stage: decode(Stage::parse, &stage, "stage")?,
                    assignee,
                    clock: decode(ClockKind::parse, &clock, "SLA clock")?,
                    due_at,
                    // Over the target: a whole second past due (see FR_VERDICT).
                    breached: now - due_at >= chrono::Duration::seconds(1),
                })
            },
        )
        .collect()
}
