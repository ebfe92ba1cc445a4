//! The weekly review, computed by SQLite over the ticket rows and, for the VIP tickets that
//! answered late, their logs (definitions in docs/METRICS.md, "Weekly review").

use crate::rows::{count, json, to_json};
use crate::time::{from_ms, to_ms};
use crate::{StoreError, Workspace};
use chrono::{DateTime, Days, NaiveDate, Utc};
use pulsedesk_core::board::{midnight, Average};
use pulsedesk_core::ids::{TicketId, TicketTypeId, UserId};
use pulsedesk_core::permissions::{Action, Actor};
use pulsedesk_core::review::{
    breach_reasons, monday_of, top_reasons, ProblemCount, Trend, WeekFigures, WeeklyReview,
};
use pulsedesk_core::ticket::TicketEvent;
use sqlx::SqlitePool;
use std::collections::{BTreeMap, HashMap};

/// Types listed as frequent unresolved problems.
const PROBLEMS: i64 = 10;

use crate::board::FR_VERDICT;
use futures_util::TryStreamExt;

impl Workspace {
    /// The review of the week (Monday to Sunday) holding `day` (supervisors and admins).
    pub async fn weekly_review(
        &self,
        actor: &Actor,
        day: NaiveDate,
    ) -> Result<WeeklyReview, StoreError> {
        actor.authorize(Action::ViewTeam)?;
        let clock = self.clock.as_ref();
        let week = monday_of(day);
        let span = |monday: NaiveDate| {
            let next = monday.checked_add_days(Days::new(7)).unwrap_or(monday);
            (midnight(clock, monday), midnight(clock, next))
        };
        let (from, to) = span(week);
        let (prev_from, prev_to) = span(week.checked_sub_days(Days::new(7)).unwrap_or(week));
        let now = self.clock.now();
        let pool = &self.pool;

        let late = vip_late(pool, from, to, now).await?;
        let reasons: Vec<_> = late
            .iter()
            .map(|(events, target)| breach_reasons(events, *target))
            .collect();
        let this_agents = figures(pool, "assignee_id", from, to, now).await?;
        let last_agents = figures(pool, "assignee_id", prev_from, prev_to, now).await?;
        let this_types = figures(pool, "type_id", from, to, now).await?;
        let last_types = figures(pool, "type_id", prev_from, prev_to, now).await?;
        let members: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM users ORDER BY name")
                .fetch_all(pool)
                .await?;
        let types: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM ticket_types ORDER BY name")
                .fetch_all(pool)
                .await?;
        Ok(WeeklyReview {
            week,
            from,
            to,
            vip_breached: count(i64::try_from(late.len()).unwrap_or(i64::MAX)),
            top_reasons: top_reasons(reasons.iter().map(Vec::as_slice)),
            unresolved: unresolved(pool, from, to).await?,
            agents: trends(&members, &this_agents, &last_agents),
            types: trends(&types, &this_types, &last_types),
            problems: Default::default(),
        })
    }

    /// Hands `each` the texts of `[from, to)` that speak of a problem, for the
    /// frequent-problem count (praise and routine questions would drown it): each ticket
    /// logged that is a complaint (its type named 投诉 or "complaint") or is not fully
    /// resolved (as in the review's unresolved types; subject and description), and each
    /// suggestion given with a
    /// low score or "not solved" (a complaint when it needed a follow-up). Returns, per
    /// ticket type, the answers that needed a follow-up.
    pub async fn problem_texts(
        &self,
        actor: &Actor,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        mut each: impl FnMut(&str, bool),
    ) -> Result<Vec<(TicketTypeId, String, u32)>, StoreError> {
        actor.authorize(Action::ViewTeam)?;
        let (f, t) = (to_ms(from), to_ms(to));
        let mut rows = sqlx::query_as::<_, (String, bool)>(
            "SELECT text, complaint FROM (
                 SELECT t.subject || ' ' || t.description AS text,
                        instr(tt.name, '投诉') > 0 OR instr(lower(tt.name), 'complaint') > 0
                            AS complaint,
                        (t.stage <> 'done' OR t.outcome IS NULL OR t.outcome <> 'fully')
                            AS unresolved
                 FROM tickets t JOIN ticket_types tt ON tt.id = t.type_id
                 WHERE t.created_at >= ?1 AND t.created_at < ?2 AND t.follows_ticket_id IS NULL)
             WHERE complaint OR unresolved
             UNION ALL
             SELECT comment, follow_up_reasons <> '[]' FROM surveys
             WHERE answered_at >= ?1 AND answered_at < ?2 AND comment <> ''
               AND (follow_up_reasons <> '[]' OR solved = 0)",
        )
        .bind(f)
        .bind(t)
        .fetch(&self.pool);
        while let Some((text, complaint)) = rows.try_next().await? {
            each(&text, complaint);
        }
        drop(rows);
        let types: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT s.type_id, tt.name, COUNT(*) FROM surveys s JOIN ticket_types tt ON tt.id = s.type_id
             WHERE s.answered_at >= ? AND s.answered_at < ? AND s.follow_up_reasons <> '[]'
             GROUP BY s.type_id, tt.name",
        )
        .bind(f)
        .bind(t)
        .fetch_all(&self.pool)
        .await?;
        Ok(types
            .into_iter()
            .map(|(id, name, n)| (TicketTypeId(id), name, count(n)))
            .collect())
    }
}

/// The logs and first-response targets of the VIP tickets logged in `[from, to)` whose first
/// response was late.
async fn vip_late(
    pool: &SqlitePool,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<(Vec<TicketEvent>, i64)>, StoreError> {
    let late: Vec<(i64, Option<i64>)> = sqlx::query_as(&format!(
        "SELECT id, sla_fr_target FROM tickets
         WHERE created_at >= ?2 AND created_at < ?3 AND tier = 'vip' AND {FR_VERDICT} = 0"
    ))
    .bind(to_ms(now))
    .bind(to_ms(from))
    .bind(to_ms(to))
    .fetch_all(pool)
    .await?;
    let ids: Vec<i64> = late.iter().map(|(id, _)| *id).collect();
    let rows: Vec<(i64, i64, i64, Option<i64>, String)> = sqlx::query_as(
        "SELECT ticket_id, id, at, actor_id, data FROM ticket_events
         WHERE ticket_id IN (SELECT value FROM json_each(?)) ORDER BY ticket_id, id < 0, abs(id)",
    )
    .bind(to_json(&ids))
    .fetch_all(pool)
    .await?;
    let mut logs: BTreeMap<i64, Vec<TicketEvent>> = BTreeMap::new();
    for (ticket, id, at, actor, data) in rows {
        logs.entry(ticket).or_default().push(TicketEvent {
            id,
            ticket_id: TicketId(ticket),
            at: from_ms(at)?,
            actor_id: actor.map(UserId),
            kind: json(&data, "ticket event")?,
        });
    }
    Ok(late
        .into_iter()
        .map(|(id, target)| (logs.remove(&id).unwrap_or_default(), target.unwrap_or(0)))
        .collect())
}

async fn unresolved(
    pool: &SqlitePool,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<ProblemCount>, StoreError> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT t.type_id, y.name, count(*) AS n FROM tickets t
         JOIN ticket_types y ON y.id = t.type_id
         WHERE t.created_at >= ? AND t.created_at < ?
           AND (t.stage <> 'done' OR t.outcome IS NULL OR t.outcome <> 'fully')
         GROUP BY t.type_id ORDER BY n DESC, y.name LIMIT ?",
    )
    .bind(to_ms(from))
    .bind(to_ms(to))
    .bind(PROBLEMS)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, n)| ProblemCount {
            type_id: TicketTypeId(id),
            name,
            tickets: count(n),
        })
        .collect())
}

/// A week's figures per value of `column` (`assignee_id` or `type_id`).
async fn figures(
    pool: &SqlitePool,
    column: &'static str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<HashMap<i64, WeekFigures>, StoreError> {
    let mut out: HashMap<i64, WeekFigures> = HashMap::new();
    let resolved: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT {column}, count(*) FROM tickets
         WHERE resolved_at >= ? AND resolved_at < ? AND {column} IS NOT NULL GROUP BY {column}"
    ))
    .bind(to_ms(from))
    .bind(to_ms(to))
    .fetch_all(pool)
    .await?;
    for (id, n) in resolved {
        out.entry(id).or_default().resolved = count(n);
    }
    let responded: Vec<(i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT {column}, count(*), sum((first_response_at - created_at) / 1000) FROM tickets
         WHERE first_response_at >= ? AND first_response_at < ? AND {column} IS NOT NULL
         GROUP BY {column}"
    ))
    .bind(to_ms(from))
    .bind(to_ms(to))
    .fetch_all(pool)
    .await?;
    for (id, n, total) in responded {
        out.entry(id).or_default().first_response = Average::of(total, count(n));
    }
    let breached: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT {column}, count(*) FROM tickets
         WHERE created_at >= ?2 AND created_at < ?3 AND {column} IS NOT NULL AND {FR_VERDICT} = 0
         GROUP BY {column}"
    ))
    .bind(to_ms(now))
    .bind(to_ms(from))
    .bind(to_ms(to))
    .fetch_all(pool)
    .await?;
    for (id, n) in breached {
        out.entry(id).or_default().breached = count(n);
    }
    Ok(out)
}

/// One row per id with figures in either week, by name.
fn trends(
    names: &[(i64, String)],
    this: &HashMap<i64, WeekFigures>,
    last: &HashMap<i64, WeekFigures>,
) -> Vec<Trend> {
    names
        .iter()
        .filter(|(id, _)| this.contains_key(id) || last.contains_key(id))
        .map(|(id, name)| Trend {
            id: *id,
            name: name.clone(),
            this_week: this.get(id).copied().unwrap_or_default(),
            last_week: last.get(id).copied().unwrap_or_default(),
        })
        .collect()
}
