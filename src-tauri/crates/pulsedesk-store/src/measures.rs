//! Improvement measures (优化措施表): kept by supervisors, each judged by its metric over
//! equal windows before and after it started, and owners reminded before the deadline.
//! Metric definitions in docs/METRICS.md ("Improvement measures").

use crate::board::FR_VERDICT;
use crate::rows::{decode, json, to_json};
use crate::time::{from_ms, to_ms};
use crate::{StoreError, Workspace};
use chrono::{DateTime, NaiveDate, Utc};
use pulsedesk_core::board::midnight;
use pulsedesk_core::feedback::mean_tenths;
use pulsedesk_core::ids::{MeasureId, UserId};
use pulsedesk_core::measures::{
    judge, windows, Measure, MeasureInput, MeasureStatus, Metric, Target,
};
use pulsedesk_core::permissions::{Action, Actor};
use pulsedesk_core::reason::Reason;
use pulsedesk_core::DomainError;
use sqlx::SqliteConnection;

/// Owners hear of a measure this many days before its deadline.
pub const REMIND_DAYS: i64 = 2;

type Row = (
    i64,
    String,
    String,
    String,
    i64,
    String,
    String,
    String,
    i64,
    String,
    String,
    i64,
);

const COLUMNS: &str = "m.id, m.problem, m.root_cause, m.action, m.owner_id, u.name, m.deadline, m.started_on, m.window_days, m.targets, m.status, m.created_at";

fn day(s: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| StoreError::Corrupt(format!("a measure's date {s:?}: {e}")))
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// `metric` over tickets logged (answers given) in `[from, to)`, as of `now`; `None` when
/// there was nothing to measure.
async fn measure(
    conn: &mut SqliteConnection,
    metric: Metric,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Option<f64>, StoreError> {
    let (f, t, n) = (to_ms(from), to_ms(to), to_ms(now));
    let avg = |vip: bool, col: &str| {
        format!(
            "SELECT COUNT(*), SUM({col} - created_at) FROM tickets
             WHERE created_at >= ?1 AND created_at < ?2 AND {col} IS NOT NULL {}",
            if vip { "AND tier = 'vip'" } else { "" }
        )
    };
    let breach = |vip: bool| {
        format!(
            "SELECT COUNT(v), SUM(v = 0) FROM (SELECT {} AS v FROM tickets
             WHERE created_at >= ?2 AND created_at < ?3 {})",
            FR_VERDICT,
            if vip { "AND tier = 'vip'" } else { "" }
        )
    };
    let (sql, unit_ms) = match metric {
        Metric::VipFirstResponseMinutes => (avg(true, "first_response_at"), 60_000.0),
        Metric::FirstResponseMinutes => (avg(false, "first_response_at"), 60_000.0),
        Metric::ResolutionHours => (avg(false, "resolved_at"), 3_600_000.0),
        Metric::FirstResponseBreachPercent | Metric::VipBreachPercent => {
            let vip = metric == Metric::VipBreachPercent;
            let (judged, breached): (i64, Option<i64>) = sqlx::query_as(&breach(vip))
                .bind(n)
                .bind(f)
                .bind(t)
                .fetch_one(&mut *conn)
                .await?;
            return Ok(
                (judged > 0).then(|| round1(breached.unwrap_or(0) as f64 * 100.0 / judged as f64))
            );
        }
        Metric::ReopenPercent => {
            let (finished, reopened): (i64, Option<i64>) = sqlx::query_as(
                "SELECT COUNT(*), SUM(round > 1) FROM tickets
                 WHERE created_at >= ? AND created_at < ? AND resolved_at IS NOT NULL",
            )
            .bind(f)
            .bind(t)
            .fetch_one(&mut *conn)
            .await?;
            return Ok((finished > 0)
                .then(|| round1(reopened.unwrap_or(0) as f64 * 100.0 / finished as f64)));
        }
        Metric::Csat => {
            let (answers, sum): (i64, Option<i64>) = sqlx::query_as(
                "SELECT COUNT(*), SUM(speed + professionalism + resolution) FROM surveys
                 WHERE answered_at >= ? AND answered_at < ?",
            )
            .bind(f)
            .bind(t)
            .fetch_one(&mut *conn)
            .await?;
            let n = u64::try_from(answers).unwrap_or(0);
            let s = u64::try_from(sum.unwrap_or(0)).unwrap_or(0);
            return Ok(mean_tenths(s, n * 3).map(|t| f64::from(t.0) / 10.0));
        }
    };
    let (tickets, total): (i64, Option<i64>) = sqlx::query_as(&sql)
        .bind(f)
        .bind(t)
        .fetch_one(&mut *conn)
        .await?;
    Ok((tickets > 0).then(|| round1(total.unwrap_or(0) as f64 / tickets as f64 / unit_ms)))
}

impl Workspace {
    async fn evaluate(&self, conn: &mut SqliteConnection, r: Row) -> Result<Measure, StoreError> {
        let (
            id,
            problem,
            root_cause,
            action,
            owner,
            owner_name,
            deadline,
            started,
            window,
            targets,
            status,
            created,
        ) = r;
        let spec = MeasureInput {
            problem,
            root_cause,
            action,
            owner_id: UserId(owner),
            deadline: day(&deadline)?,
            started_on: day(&started)?,
            window_days: u32::try_from(window).unwrap_or(14),
            targets: json::<Vec<Target>>(&targets, "measure targets")?,
            status: decode(MeasureStatus::parse, &status, "measure status")?,
        };
        let now = self.clock.now();
        let today = self.clock.local_day(now);
        let w = windows(spec.started_on, spec.window_days, today);
        let mut measured = Vec::new();
        if let Some(w) = w {
            let clock = self.clock.as_ref();
            let (b0, s0, a1) = (
                midnight(clock, w.before_first),
                midnight(clock, w.started_on),
                midnight(clock, w.after_end),
            );
            for t in &spec.targets {
                let before = measure(&mut *conn, t.metric, b0, s0, now).await?;
                let after = measure(&mut *conn, t.metric, s0, a1, now).await?;
                measured.push((t.metric, (before, after)));
            }
        }
        let evaluation = judge(w, &spec.targets, |m| {
            measured
                .iter()
                .find(|(k, _)| *k == m)
                .map_or((None, None), |(_, v)| *v)
        });
        Ok(Measure {
            id: MeasureId(id),
            days_left: (spec.deadline - today).num_days(),
            spec,
            owner_name,
            created_at: from_ms(created)?,
            evaluation,
        })
    }

    /// Every measure, newest first, each with its before/after evaluation as of now.
    pub async fn measures(&self, actor: &Actor) -> Result<Vec<Measure>, StoreError> {
        actor.authorize(Action::ViewTeam)?;
        let mut conn = self.pool.begin().await?;
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM measures m JOIN users u ON u.id = m.owner_id ORDER BY m.id DESC"
        ))
        .fetch_all(&mut *conn)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(self.evaluate(&mut conn, r).await?);
        }
        conn.rollback().await?;
        Ok(out)
    }

    /// Adds a measure (`id` none) or changes one.
    pub async fn save_measure(
        &self,
        actor: &Actor,
        id: Option<MeasureId>,
        input: &MeasureInput,
    ) -> Result<Measure, StoreError> {
        actor.authorize(Action::ManageMeasures)?;
        self.local_only(pulsedesk_core::reason::Feature::Measures)?;
        input.validate()?;
        let now = self.clock.now();
        let mut tx = self.begin_write().await?;
        let owner: Option<(String, i64)> =
            sqlx::query_as("SELECT role, active FROM users WHERE id = ?")
                .bind(input.owner_id.0)
                .fetch_optional(&mut *tx)
                .await?;
        match owner {
            None => return Err(StoreError::NotFound("owner")),
            Some((_, 0)) => {
                return Err(DomainError::invalid("owner_id", Reason::MemberSwitchedOff).into())
            }
            Some(_) => {}
        }
        let fields = (
            input.problem.trim(),
            input.root_cause.trim(),
            input.action.trim(),
            input.deadline.format("%Y-%m-%d").to_string(),
            input.started_on.format("%Y-%m-%d").to_string(),
            to_json(&input.targets),
        );
        let id: i64 = match id {
            Some(id) => {
                let done: Option<(i64,)> = sqlx::query_as(
                    "UPDATE measures SET problem = ?1, root_cause = ?2, action = ?3, owner_id = ?4,
                         deadline = ?5, started_on = ?6, window_days = ?7, targets = ?8, status = ?9,
                         -- A new deadline or owner gets its own reminder.
                         reminded_at = CASE WHEN deadline = ?5 AND owner_id = ?4 THEN reminded_at END
                     WHERE id = ?10 RETURNING id",
                )
                .bind(fields.0)
                .bind(fields.1)
                .bind(fields.2)
                .bind(input.owner_id.0)
                .bind(&fields.3)
                .bind(&fields.4)
                .bind(i64::from(input.window_days))
                .bind(&fields.5)
                .bind(input.status.as_str())
                .bind(id.0)
                .fetch_optional(&mut *tx)
                .await?;
                done.ok_or(StoreError::NotFound("measure"))?.0
            }
            None => {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO measures (problem, root_cause, action, owner_id, deadline, started_on,
                         window_days, targets, status, created_at, created_by)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(fields.0)
                .bind(fields.1)
                .bind(fields.2)
                .bind(input.owner_id.0)
                .bind(&fields.3)
                .bind(&fields.4)
                .bind(i64::from(input.window_days))
                .bind(&fields.5)
                .bind(input.status.as_str())
                .bind(to_ms(now))
                .bind(actor.id.0)
                .fetch_one(&mut *tx)
                .await?;
                id
            }
        };
        let row: Row = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM measures m JOIN users u ON u.id = m.owner_id WHERE m.id = ?"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let m = self.evaluate(&mut tx, row).await?;
        tx.commit().await?;
        tracing::info!(measure = id, "improvement measure saved");
        Ok(m)
    }

    /// Open measures `actor` owns whose deadline is at most [`REMIND_DAYS`] away (or past),
    /// not yet reminded; each is reminded once (per deadline and owner).
    pub async fn take_measure_reminders(
        &self,
        actor: &Actor,
    ) -> Result<Vec<(MeasureId, String, NaiveDate)>, StoreError> {
        let now = self.clock.now();
        let horizon = self.clock.local_day(now) + chrono::Duration::days(REMIND_DAYS);
        let mut tx = self.begin_write().await?;
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "UPDATE measures SET reminded_at = ?
             WHERE owner_id = ? AND status <> 'done' AND reminded_at IS NULL AND deadline <= ?
             RETURNING id, problem, deadline",
        )
        .bind(to_ms(now))
        .bind(actor.id.0)
        .bind(horizon.format("%Y-%m-%d").to_string())
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        rows.into_iter()
            .map(|(id, problem, d)| Ok((MeasureId(id), problem, day(&d)?)))
            .collect()
    }
}
