//! The feedback module: answers in a range of days added up team-wide, per agent, per type
//! and per day, with the latest answers; and the summary table row by row for export.

use crate::board::created_within;
use crate::rows::count;
use crate::time::{from_ms, to_ms};
use crate::{StoreError, TablesError, Workspace};
use futures_util::TryStreamExt;
use pulsedesk_core::board::DayRange;
use pulsedesk_core::feedback::{
    FeedbackFigures, FeedbackGroup, FeedbackOverview, FeedbackRow, Sums, Tenths,
};
use pulsedesk_core::ids::{SurveyId, TicketId};
use pulsedesk_core::permissions::{Action, Actor};
use std::collections::BTreeMap;

/// The most answers the module lists.
const LATEST: i64 = 500;

/// The sums every figure is made of, as SQL over the answered surveys `s`.
const SUMS: &str = "COUNT(*), SUM(s.speed), SUM(s.professionalism), SUM(s.resolution), SUM(s.solved), SUM(s.follow_up_reasons <> '[]')";

type SumRow = (
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

/// A group's id and name, then its [`SumRow`].
type NamedSums = (
    Option<i64>,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);
/// A quarter hour's number, then its [`SumRow`].
type QuarterSums = (
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

fn sums(r: &SumRow) -> Sums {
    let u = |v: Option<i64>| u64::try_from(v.unwrap_or(0)).unwrap_or(0);
    Sums {
        answers: u(Some(r.0)),
        speed: u(r.1),
        professionalism: u(r.2),
        resolution: u(r.3),
        solved: u(r.4),
        follow_ups: u(r.5),
    }
}

/// One answer with everything the table shows.
type AnswerRow = (
    i64,
    i64,
    String,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
);

const ANSWER_SELECT: &str = "SELECT s.id, s.ticket_id, t.number, s.answered_at, s.overall, s.speed, s.professionalism, s.resolution,
        s.solved, s.comment, a.name, tt.name, s.follow_up_reasons, fo.name, f.number
 FROM surveys s
 JOIN tickets t ON t.id = s.ticket_id
 JOIN ticket_types tt ON tt.id = s.type_id
 LEFT JOIN users a ON a.id = s.agent_id
 LEFT JOIN tickets f ON f.id = s.follow_up_ticket_id
 LEFT JOIN users fo ON fo.id = f.assignee_id
 WHERE s.answered_at >= ? AND s.answered_at < ?";

fn small(v: i64) -> u8 {
    u8::try_from(v).unwrap_or(0)
}

impl Workspace {
    fn answer_row(&self, r: AnswerRow) -> Result<FeedbackRow, StoreError> {
        let answered_at = from_ms(r.3)?;
        Ok(FeedbackRow {
            survey_id: SurveyId(r.0),
            ticket_id: TicketId(r.1),
            number: r.2,
            answered_at,
            day: self.clock.local_day(answered_at),
            overall: Tenths(u32::try_from(r.4).unwrap_or(0)),
            speed: small(r.5),
            professionalism: small(r.6),
            resolution: small(r.7),
            solved: r.8 == 1,
            comment: r.9,
            agent_name: r.10,
            type_name: r.11,
            needs_follow_up: r.12 != "[]",
            follow_up_owner: r.13,
            follow_up_number: r.14,
        })
    }

    /// The feedback module over `range` (the last 7 days when `None`), supervisors and admins.
    pub async fn feedback_overview(
        &self,
        actor: &Actor,
        range: Option<DayRange>,
    ) -> Result<FeedbackOverview, StoreError> {
        actor.authorize(Action::ViewTeam)?;
        let (from, to) = match range {
            Some(_) => created_within(self.clock.as_ref(), range)?,
            None => {
                let p = pulsedesk_core::board::periods(self.clock.as_ref(), None)?;
                let week = p
                    .get(1)
                    .or(p.last())
                    .ok_or(StoreError::NotFound("period"))?;
                (week.from, week.to)
            }
        };
        let (f, t) = (to_ms(from), to_ms(to));
        let now = to_ms(self.clock.now());
        let mut conn = self.pool.begin().await?;

        let total: SumRow = sqlx::query_as(&format!(
            "SELECT {SUMS} FROM surveys s WHERE s.answered_at >= ? AND s.answered_at < ?"
        ))
        .bind(f)
        .bind(t)
        .fetch_one(&mut *conn)
        .await?;

        let group = |key: &str, join: &str| {
            format!(
                "SELECT {key}, COALESCE(n.name, ''), {SUMS} FROM surveys s {join}
                 WHERE s.answered_at >= ? AND s.answered_at < ? GROUP BY {key} ORDER BY n.name, {key}"
            )
        };
        let mut groups = Vec::new();
        for sql in [
            group("s.agent_id", "LEFT JOIN users n ON n.id = s.agent_id"),
            group("s.type_id", "JOIN ticket_types n ON n.id = s.type_id"),
        ] {
            let rows: Vec<NamedSums> = sqlx::query_as(&sql)
                .bind(f)
                .bind(t)
                .fetch_all(&mut *conn)
                .await?;
            groups.push(
                rows.into_iter()
                    .map(|(id, name, a, b, c, d, e, g)| FeedbackGroup {
                        id: id.unwrap_or(0),
                        name,
                        figures: FeedbackFigures::of(sums(&(a, b, c, d, e, g))),
                    })
                    .collect::<Vec<_>>(),
            );
        }
        let by_type = groups.pop().unwrap_or_default();
        let by_agent = groups.pop().unwrap_or_default();

        // Per local day: summed in quarter hours (every real offset is a multiple of 15
        // minutes), then each quarter put on its local day.
        let quarters: Vec<QuarterSums> = sqlx::query_as(&format!(
            "SELECT s.answered_at / 900000, {SUMS} FROM surveys s
                 WHERE s.answered_at >= ? AND s.answered_at < ? GROUP BY 1"
        ))
        .bind(f)
        .bind(t)
        .fetch_all(&mut *conn)
        .await?;
        let mut days: BTreeMap<chrono::NaiveDate, Sums> = BTreeMap::new();
        for (q, a, b, c, d, e, g) in quarters {
            let day = self.clock.local_day(from_ms(q * 900_000)?);
            let s = sums(&(a, b, c, d, e, g));
            let acc = days.entry(day).or_default();
            acc.answers += s.answers;
            acc.speed += s.speed;
            acc.professionalism += s.professionalism;
            acc.resolution += s.resolution;
            acc.solved += s.solved;
            acc.follow_ups += s.follow_ups;
        }
        let epoch = chrono::NaiveDate::default();
        let by_day = days
            .into_iter()
            .map(|(day, s)| FeedbackGroup {
                id: (day - epoch).num_days(),
                name: day.format("%Y-%m-%d").to_string(),
                figures: FeedbackFigures::of(s),
            })
            .collect();

        let (pending, expired): (Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT SUM(expires_at > ?3), SUM(expires_at <= ?3) FROM surveys
             WHERE status = 'pending' AND sent_at >= ?1 AND sent_at < ?2",
        )
        .bind(f)
        .bind(t)
        .bind(now)
        .fetch_one(&mut *conn)
        .await?;

        let latest: Vec<AnswerRow> = sqlx::query_as(&format!(
            "{ANSWER_SELECT} ORDER BY s.answered_at DESC, s.id DESC LIMIT {LATEST}"
        ))
        .bind(f)
        .bind(t)
        .fetch_all(&mut *conn)
        .await?;
        conn.rollback().await?;
        Ok(FeedbackOverview {
            from,
            to,
            total: FeedbackFigures::of(sums(&total)),
            by_agent,
            by_type,
            by_day,
            pending: count(pending.unwrap_or(0)),
            expired: count(expired.unwrap_or(0)),
            latest: latest
                .into_iter()
                .map(|r| self.answer_row(r))
                .collect::<Result<_, _>>()?,
        })
    }

    /// Hands every answer given within `range` (all when `None`) to `each`, oldest first, as
    /// a line of the feedback score summary table.
    pub async fn feedback_rows<E>(
        &self,
        actor: &Actor,
        range: Option<DayRange>,
        mut each: impl FnMut(FeedbackRow) -> Result<(), E>,
    ) -> Result<u64, TablesError<E>> {
        actor
            .authorize(Action::ViewTeam)
            .map_err(StoreError::from)?;
        let (from, to) = created_within(self.clock.as_ref(), range)?;
        let sql = format!("{ANSWER_SELECT} ORDER BY s.answered_at, s.id");
        let mut rows = sqlx::query_as::<_, AnswerRow>(&sql)
            .bind(to_ms(from))
            .bind(to_ms(to))
            .fetch(&self.pool);
        let mut n = 0;
        while let Some(r) = rows.try_next().await.map_err(StoreError::from)? {
            each(self.answer_row(r)?).map_err(TablesError::Sink)?;
            n += 1;
        }
        Ok(n)
    }
}
