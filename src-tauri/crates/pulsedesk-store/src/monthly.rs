//! The monthly report, computed by SQLite over the ticket rows and the clock marks of the
//! log (definitions in docs/METRICS.md, "Monthly report").

use crate::rows::count;
use crate::time::to_ms;
use crate::{StoreError, Workspace};
use chrono::{DateTime, NaiveDate, Utc};
use pulsedesk_core::board::{midnight, Average, Verdicts};
use pulsedesk_core::permissions::{Action, Actor};
use pulsedesk_core::review::{month_spans, MonthFigures, MonthlyReport, Share};
use sqlx::SqlitePool;

/// Verdicts at `?1` (now, ms), as on the board.
const FR_VERDICT: &str = "coalesce(sla_fr_met, CASE WHEN sla_fr_due_at + 1000 <= ?1 THEN 0 END)";
const RES_VERDICT: &str = "coalesce(sla_res_met, CASE WHEN sla_res_due_at + 1000 <= ?1 THEN 0 END)";

impl Workspace {
    /// The report of the calendar month holding `day`, with the month before
    /// (supervisors and admins).
    pub async fn monthly_report(
        &self,
        actor: &Actor,
        day: NaiveDate,
    ) -> Result<MonthlyReport, StoreError> {
        actor.authorize(Action::ViewTeam)?;
        let clock = self.clock.as_ref();
        let now = clock.now();
        let spans = month_spans(day, clock.local_day(now));
        let (first, next) = spans.this;
        let (from, to) = (midnight(clock, first), midnight(clock, next));
        let (prev_from, prev_to) = (
            midnight(clock, spans.before.0),
            midnight(clock, spans.before.1),
        );
        let pool = &self.pool;
        // The months are read side by side, on separate connections (WAL readers).
        let (this_month, last_month, (backlog, median, oldest), by_stage, by_type) = tokio::try_join!(
            figures(pool, from, to, now),
            figures(pool, prev_from, prev_to, now),
            backlog(pool, now),
            crate::board::by_stage(pool),
            crate::board::by_type(pool),
        )?;
        Ok(MonthlyReport {
            month: first,
            from,
            to,
            to_date: spans.to_date,
            compared_days: spans.compared_days,
            this_month,
            last_month,
            backlog,
            backlog_median_age_secs: median,
            backlog_oldest_age_secs: oldest,
            backlog_by_stage: by_stage,
            backlog_by_type: by_type,
        })
    }
}

async fn figures(
    pool: &SqlitePool,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<MonthFigures, StoreError> {
    let (from, to, now) = (to_ms(from), to_ms(to), to_ms(now));
    // Logged in the month: how many, SLA verdicts, urgent/high resolution met.
    let logged: (i64, i64, i64, i64, i64, i64, i64) = sqlx::query_as(&format!(
        "SELECT count(*),
                coalesce(sum(fr = 1), 0), coalesce(sum(fr = 0), 0),
                coalesce(sum(res = 1), 0), coalesce(sum(res = 0), 0),
                coalesce(sum(priority IN ('urgent', 'high')), 0),
                coalesce(sum(priority IN ('urgent', 'high') AND sla_res_met = 1), 0)
         FROM (SELECT priority, sla_res_met, {FR_VERDICT} AS fr, {RES_VERDICT} AS res
               FROM tickets WHERE created_at >= ?2 AND created_at < ?3)"
    ))
    .bind(now)
    .bind(from)
    .bind(to)
    .fetch_one(pool)
    .await?;
    let (responded, fr_total): (i64, Option<i64>) = sqlx::query_as(
        "SELECT count(*), sum((first_response_at - created_at) / 1000) FROM tickets
         WHERE first_response_at >= ? AND first_response_at < ?",
    )
    .bind(from)
    .bind(to)
    .fetch_one(pool)
    .await?;
    // Resolved in the month: how many, resolution time, first contact, reopened.
    let resolved: (i64, Option<i64>, i64, i64) = sqlx::query_as(
        "SELECT count(*), sum((resolved_at - created_at) / 1000),
                coalesce(sum(round = 1 AND NOT EXISTS (SELECT 1 FROM ticket_events e
                    WHERE e.ticket_id = tickets.id AND e.mark = 'awaiting_reply')), 0),
                coalesce(sum(round > 1), 0)
         FROM tickets WHERE resolved_at >= ? AND resolved_at < ?",
    )
    .bind(from)
    .bind(to)
    .fetch_one(pool)
    .await?;
    // Handling: each visit to 处理中 lasts until the next stage mark of the log.
    let (handled, handling_total): (i64, Option<i64>) = sqlx::query_as(
        "WITH done AS (SELECT id FROM tickets WHERE resolved_at >= ? AND resolved_at < ?),
         marks AS (
             SELECT e.ticket_id, e.mark, e.at,
                    lead(e.at) OVER (PARTITION BY e.ticket_id ORDER BY e.id) AS until
             FROM ticket_events e JOIN done ON done.id = e.ticket_id
             WHERE e.mark IS NOT NULL AND e.mark <> 'reopened')
         SELECT (SELECT count(*) FROM done),
                sum(CASE WHEN mark = 'in_progress' AND until IS NOT NULL
                    THEN max(until - at, 0) / 1000 ELSE 0 END)
         FROM marks",
    )
    .bind(from)
    .bind(to)
    .fetch_one(pool)
    .await?;
    let (n, fr_met, fr_late, res_met, res_late, high, high_met) = logged;
    let (n_resolved, res_total, first_contact, reopened) = resolved;
    Ok(MonthFigures {
        logged: count(n),
        resolved: count(n_resolved),
        first_response: Average::of(fr_total.unwrap_or(0), count(responded)),
        resolution: Average::of(res_total.unwrap_or(0), count(n_resolved)),
        handling: Average::of(handling_total.unwrap_or(0), count(handled)),
        first_contact: Share::of(count(first_contact), count(n_resolved)),
        reopened: Share::of(count(reopened), count(n_resolved)),
        high_priority_resolved: Share::of(count(high_met), count(high)),
        first_response_sla: Verdicts::of(count(fr_met), count(fr_late)),
        resolution_sla: Verdicts::of(count(res_met), count(res_late)),
    })
}

/// Open tickets now, with the median and oldest age in seconds.
async fn backlog(
    pool: &SqlitePool,
    now: DateTime<Utc>,
) -> Result<(u32, Option<i64>, Option<i64>), StoreError> {
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM tickets WHERE stage <> 'done'")
        .fetch_one(pool)
        .await?;
    if n == 0 {
        return Ok((0, None, None));
    }
    let now = to_ms(now);
    // The median: the middle one by creation (the lower middle for an even count).
    let median: Option<i64> = sqlx::query_scalar(
        "SELECT created_at FROM tickets WHERE stage <> 'done' ORDER BY created_at LIMIT 1 OFFSET ?",
    )
    .bind((n - 1) / 2)
    .fetch_optional(pool)
    .await?;
    let oldest: Option<i64> =
        sqlx::query_scalar("SELECT min(created_at) FROM tickets WHERE stage <> 'done'")
            .fetch_one(pool)
            .await?;
    let age = |at: Option<i64>| at.map(|a| (now - a) / 1000);
    Ok((count(n), age(median), age(oldest)))
}
