//! The seed's tables, read row by row for export (supervisors and admins): nothing is held
//! in memory but the row being written, however many tickets there are.

use crate::board::created_within;
use crate::rows::decode;
use crate::time::{from_ms, to_ms};
use crate::{StoreError, Workspace};
use futures_util::TryStreamExt;
use pulsedesk_core::board::DayRange;
use pulsedesk_core::kinds::{Department, Outcome, Priority, Stage, Tier};
use pulsedesk_core::permissions::{Action, Actor};
use pulsedesk_core::tables::tracking::{Response, TrackingPage, TrackingRow};

/// id, number, created, tier, priority, assignee, target, response ms, verdict, due, stage,
/// departments, outcome.
type Row = (
    i64,
    String,
    i64,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    String,
    String,
    Option<String>,
);

/// The table's columns for the tickets logged in `[?, ?)`.
const SELECT: &str =
    "SELECT t.id, t.number, t.created_at, t.tier, t.priority, u.name, t.sla_fr_target,
        t.first_response_at - t.created_at, t.sla_fr_met, t.sla_fr_due_at, t.stage,
        t.departments, t.outcome
 FROM tickets t LEFT JOIN users u ON u.id = t.assignee_id
 WHERE t.created_at >= ? AND t.created_at < ?";

/// The most rows one page of the live table holds.
pub const MAX_TRACKING_PAGE: u32 = 1000;

impl Workspace {
    /// One window of the tracking table as a live view: tickets logged within `range` (all
    /// when `None`), latest first (supervisors and admins).
    pub async fn tracking_page(
        &self,
        actor: &Actor,
        range: Option<DayRange>,
        offset: u32,
        limit: u32,
    ) -> Result<TrackingPage, StoreError> {
        actor.authorize(Action::ViewTeam)?;
        let (from, to) = created_within(self.clock.as_ref(), range)?;
        let now = to_ms(self.clock.now());
        let (total,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM tickets WHERE created_at >= ? AND created_at < ?")
                .bind(to_ms(from))
                .bind(to_ms(to))
                .fetch_one(&self.pool)
                .await?;
        let sql = format!("{SELECT} ORDER BY t.created_at DESC, t.id DESC LIMIT ? OFFSET ?");
        let rows: Vec<Row> = sqlx::query_as(&sql)
            .bind(to_ms(from))
            .bind(to_ms(to))
            .bind(i64::from(limit.clamp(1, MAX_TRACKING_PAGE)))
            .bind(i64::from(offset))
            .fetch_all(&self.pool)
            .await?;
        Ok(TrackingPage {
            total: crate::rows::count(total),
            offset,
            rows: rows
                .into_iter()
                .map(|r| row(r, now))
                .collect::<Result<_, _>>()?,
        })
    }

    /// Hands every ticket logged within `range` (all when `None`) to `each`, oldest first,
    /// as a line of the ticket status tracking table. Stops at the first error `each` returns.
    pub async fn tracking_rows<E>(
        &self,
        actor: &Actor,
        range: Option<DayRange>,
        mut each: impl FnMut(TrackingRow) -> Result<(), E>,
    ) -> Result<u64, TablesError<E>> {
        actor
            .authorize(Action::ViewTeam)
            .map_err(StoreError::from)?;
        let (from, to) = created_within(self.clock.as_ref(), range)?;
        let now = to_ms(self.clock.now());
        let sql = format!("{SELECT} ORDER BY t.created_at, t.id");
        let mut rows = sqlx::query_as::<_, Row>(&sql)
            .bind(to_ms(from))
            .bind(to_ms(to))
            .fetch(&self.pool);
        let mut n = 0;
        while let Some(r) = rows.try_next().await.map_err(StoreError::from)? {
            each(row(r, now)?).map_err(TablesError::Sink)?;
            n += 1;
        }
        Ok(n)
    }
}

/// Why an export stopped: the workspace, or the writer it was handing rows to.
#[derive(Debug)]
pub enum TablesError<E> {
    Store(StoreError),
    Sink(E),
}

impl<E> From<StoreError> for TablesError<E> {
    fn from(e: StoreError) -> Self {
        TablesError::Store(e)
    }
}

fn row(r: Row, now: i64) -> Result<TrackingRow, StoreError> {
    let (
        id,
        number,
        created,
        tier,
        priority,
        assignee,
        target,
        response,
        verdict,
        due,
        stage,
        departments,
        outcome,
    ) = r;
    let departments: Vec<Department> = serde_json::from_str(&departments).map_err(|e| {
        StoreError::Corrupt(format!("ticket {number}: departments {departments:?}: {e}"))
    })?;
    let response_state = match (verdict, response) {
        (Some(1), _) => Response::Met,
        (Some(0), _) => Response::Late,
        (_, Some(_)) => Response::Met,
        // Not responded: late once a whole second past due (as the clocks count).
        (_, None) if due.is_some_and(|d| d + 1000 <= now) => Response::Late,
        (_, None) => Response::Waiting,
    };
    Ok(TrackingRow {
        id: pulsedesk_core::ids::TicketId(id),
        received_at: from_ms(created)?,
        tier: decode(Tier::parse, &tier, "tier")?,
        priority: decode(Priority::parse, &priority, "priority")?,
        assignee,
        response_target_secs: target,
        response_secs: response.map(|ms| ms / 1000),
        response: response_state,
        stage: decode(Stage::parse, &stage, "stage")?,
        departments,
        outcome: outcome
            .map(|o| decode(Outcome::parse, &o, "outcome"))
            .transpose()?,
        number,
    })
}
