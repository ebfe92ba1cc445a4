//! Policies, calendars and SLA settings: read, validated, saved — and every save re-targets
//! the open tickets' clocks.

use crate::rows::{count, json, to_json};
use crate::{StoreError, Workspace};
use pulsedesk_core::ids::{CalendarId, PolicyId};
use pulsedesk_core::permissions::{Action, Actor};
use pulsedesk_core::reason::Reason;
use pulsedesk_core::sla::notice::SlaSettings;
use pulsedesk_core::sla::setup::{Calendar, CalendarInput, Policy, PolicyInput, SlaSetup};
use pulsedesk_core::sla::PolicyBook;
use pulsedesk_core::DomainError;
use sqlx::SqliteConnection;
use std::collections::HashMap;

const SETTINGS_KEY: &str = "sla.settings";

pub(crate) async fn policies(conn: &mut SqliteConnection) -> Result<Vec<Policy>, StoreError> {
    let rows: Vec<PolicyRow> =
        sqlx::query_as("SELECT id, position, spec FROM sla_policies ORDER BY position, id")
            .fetch_all(conn)
            .await?;
    rows.into_iter().map(policy).collect()
}

/// id, position, spec.
type PolicyRow = (i64, i64, String);
/// id, spec.
type CalendarRow = (i64, String);

fn policy((id, position, spec): PolicyRow) -> Result<Policy, StoreError> {
    Ok(Policy {
        id: PolicyId(id),
        position: count(position),
        spec: json(&spec, "SLA policy")?,
    })
}

fn calendar((id, spec): CalendarRow) -> Result<Calendar, StoreError> {
    Ok(Calendar {
        id: CalendarId(id),
        spec: json(&spec, "SLA calendar")?,
    })
}

pub(crate) async fn calendars(conn: &mut SqliteConnection) -> Result<Vec<Calendar>, StoreError> {
    let rows: Vec<CalendarRow> = sqlx::query_as("SELECT id, spec FROM sla_calendars ORDER BY id")
        .fetch_all(conn)
        .await?;
    rows.into_iter().map(calendar).collect()
}

pub(crate) async fn settings(conn: &mut SqliteConnection) -> Result<SlaSettings, StoreError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT value FROM settings WHERE key = ?")
        .bind(SETTINGS_KEY)
        .fetch_optional(conn)
        .await?;
    match row {
        Some((v,)) => json(&v, "SLA settings"),
        None => Ok(SlaSettings::default()),
    }
}

/// Everything the clocks need, as three JSON columns (policies, calendars, targets) for
/// [`book_from`]: one statement, or part of a bigger one.
pub(super) const BOOK_COLUMNS: &str = "
    (SELECT json_group_array(json_array(id, position, spec))
     FROM (SELECT id, position, spec FROM sla_policies ORDER BY position, id)),
    (SELECT json_group_array(json_array(id, spec))
     FROM (SELECT id, spec FROM sla_calendars ORDER BY id)),
    (SELECT json_group_array(json_array(priority, first_response_minutes,
                                        resolution_minutes))
     FROM sla_targets)";

/// Everything the clocks need, read in one go: one statement (every ticket write refreshes
/// clocks, and each statement is a round trip to the driver's worker thread).
pub(crate) async fn load_book(conn: &mut SqliteConnection) -> Result<PolicyBook, StoreError> {
    let (policies, calendars, targets): (String, String, String) =
        sqlx::query_as(&format!("SELECT {BOOK_COLUMNS}"))
            .fetch_one(&mut *conn)
            .await?;
    book_from(&policies, &calendars, &targets)
}

/// The book from [`BOOK_COLUMNS`].
pub(super) fn book_from(
    policies: &str,
    calendars: &str,
    targets: &str,
) -> Result<PolicyBook, StoreError> {
    let policies: Vec<PolicyRow> = json(policies, "SLA policies")?;
    let calendars: Vec<CalendarRow> = json(calendars, "SLA calendars")?;
    let ordered = policies
        .into_iter()
        .map(|row| policy(row).map(|p| p.spec.to_policy()))
        .collect::<Result<Vec<_>, _>>()?;
    let mut cals = HashMap::new();
    for row in calendars {
        let c = calendar(row)?;
        // A stored calendar was validated when saved; one that no longer parses is damaged.
        let cal = c
            .spec
            .to_calendar()
            .map_err(|e| StoreError::Corrupt(format!("SLA calendar {}: {e}", c.id)))?;
        cals.insert(c.id, cal);
    }
    let targets = crate::admin::targets(json(targets, "SLA targets")?)?;
    Ok(PolicyBook::new(ordered, &targets, cals))
}

impl Workspace {
    /// The SLA admin screen: policies in order, calendars, default targets, settings.
    pub async fn sla_setup(&self, actor: &Actor) -> Result<SlaSetup, StoreError> {
        actor.authorize(Action::Configure)?;
        let mut conn = self.pool.acquire().await?;
        Ok(SlaSetup {
            policies: policies(&mut conn).await?,
            calendars: calendars(&mut conn).await?,
            targets: crate::admin::sla_targets(&mut conn).await?,
            settings: settings(&mut conn).await?,
        })
    }

    /// The SLA settings every member's lists and pop-ups use.
    pub async fn sla_settings(&self) -> Result<SlaSettings, StoreError> {
        let mut conn = self.pool.acquire().await?;
        settings(&mut conn).await
    }

    /// Creates (`id` None, appended last) or edits a policy, then re-targets open tickets.
    pub async fn save_sla_policy(
        &self,
        actor: &Actor,
        id: Option<PolicyId>,
        input: &PolicyInput,
    ) -> Result<Policy, StoreError> {
        self.local_only(pulsedesk_core::reason::Feature::Setup)?;
        actor.authorize(Action::Configure)?;
        input.validate()?;
        let mut tx = self.begin_write().await?;
        if let Some(cal) = input.calendar_id {
            let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM sla_calendars WHERE id = ?")
                .bind(cal.0)
                .fetch_optional(&mut *tx)
                .await?;
            if found.is_none() {
                return Err(DomainError::invalid("calendar_id", Reason::UnknownCalendar).into());
            }
        }
        let dup = |e| StoreError::unique(e, "name");
        let mut spec = input.clone();
        spec.name = spec.name.trim().to_string();
        let (id, position) = match id {
            Some(id) => {
                let row: Option<(i64,)> = sqlx::query_as(
                    "UPDATE sla_policies SET name = ?, spec = ?, calendar_id = ? WHERE id = ? RETURNING position",
                )
                .bind(&spec.name)
                .bind(to_json(&spec))
                .bind(spec.calendar_id.map(|c| c.0))
                .bind(id.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(dup)?;
                let (position,) = row.ok_or(StoreError::NotFound("SLA policy"))?;
                (id, position)
            }
            None => {
                let (id, position): (i64, i64) = sqlx::query_as(
                    "INSERT INTO sla_policies (position, name, spec, calendar_id)
                     VALUES ((SELECT COALESCE(MAX(position), 0) + 1 FROM sla_policies), ?, ?, ?)
                     RETURNING id, position",
                )
                .bind(&spec.name)
                .bind(to_json(&spec))
                .bind(spec.calendar_id.map(|c| c.0))
                .fetch_one(&mut *tx)
                .await
                .map_err(dup)?;
                (PolicyId(id), position)
            }
        };
        self.retarget_open(&mut tx).await?;
        tx.commit().await?;
        Ok(Policy {
            id,
            position: count(position),
            spec,
        })
    }

    /// Deletes a policy, then re-targets open tickets.
    pub async fn delete_sla_policy(&self, actor: &Actor, id: PolicyId) -> Result<(), StoreError> {
        self.local_only(pulsedesk_core::reason::Feature::Setup)?;
        actor.authorize(Action::Configure)?;
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM sla_policies WHERE id = ?")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("SLA policy"));
        }
        self.retarget_open(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Puts the policies in the given order (every policy id, once), then re-targets.
    pub async fn order_sla_policies(
        &self,
        actor: &Actor,
        order: &[PolicyId],
    ) -> Result<(), StoreError> {
        self.local_only(pulsedesk_core::reason::Feature::Setup)?;
        actor.authorize(Action::Configure)?;
        let mut tx = self.begin_write().await?;
        let mut have: Vec<i64> = sqlx::query_as::<_, (i64,)>("SELECT id FROM sla_policies")
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|r| r.0)
            .collect();
        let mut want: Vec<i64> = order.iter().map(|p| p.0).collect();
        have.sort_unstable();
        want.sort_unstable();
        if have != want {
            return Err(DomainError::invalid("order", Reason::PolicyOrderIncomplete).into());
        }
        for (pos, id) in order.iter().enumerate() {
            sqlx::query("UPDATE sla_policies SET position = ? WHERE id = ?")
                .bind(pos as i64 + 1)
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
        }
        self.retarget_open(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates or edits a team calendar, then re-targets open tickets.
    pub async fn save_sla_calendar(
        &self,
        actor: &Actor,
        id: Option<CalendarId>,
        input: &CalendarInput,
    ) -> Result<Calendar, StoreError> {
        self.local_only(pulsedesk_core::reason::Feature::Setup)?;
        actor.authorize(Action::Configure)?;
        input.to_calendar()?;
        let mut spec = input.clone();
        spec.name = spec.name.trim().to_string();
        spec.tz = spec.tz.trim().to_string();
        let dup = |e| StoreError::unique(e, "name");
        let mut tx = self.begin_write().await?;
        let id = match id {
            Some(id) => {
                let done = sqlx::query("UPDATE sla_calendars SET name = ?, spec = ? WHERE id = ?")
                    .bind(&spec.name)
                    .bind(to_json(&spec))
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(dup)?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound("calendar"));
                }
                id
            }
            None => {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO sla_calendars (name, spec) VALUES (?, ?) RETURNING id",
                )
                .bind(&spec.name)
                .bind(to_json(&spec))
                .fetch_one(&mut *tx)
                .await
                .map_err(dup)?;
                CalendarId(id)
            }
        };
        self.retarget_open(&mut tx).await?;
        tx.commit().await?;
        Ok(Calendar { id, spec })
    }

    /// Deletes a calendar no policy uses.
    pub async fn delete_sla_calendar(
        &self,
        actor: &Actor,
        id: CalendarId,
    ) -> Result<(), StoreError> {
        self.local_only(pulsedesk_core::reason::Feature::Setup)?;
        actor.authorize(Action::Configure)?;
        let mut tx = self.begin_write().await?;
        let (users,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM sla_policies WHERE calendar_id = ?")
                .bind(id.0)
                .fetch_one(&mut *tx)
                .await?;
        if users > 0 {
            return Err(StoreError::Conflict(Reason::CalendarInUse {
                policies: u32::try_from(users).unwrap_or(u32::MAX),
            }));
        }
        let done = sqlx::query("DELETE FROM sla_calendars WHERE id = ?")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("calendar"));
        }
        tx.commit().await?;
        Ok(())
    }

    /// Saves the stale-ticket and reminder settings.
    pub async fn save_sla_settings(
        &self,
        actor: &Actor,
        s: &SlaSettings,
    ) -> Result<(), StoreError> {
        self.local_only(pulsedesk_core::reason::Feature::Setup)?;
        actor.authorize(Action::Configure)?;
        s.validate()?;
        self.set_setting(SETTINGS_KEY, &to_json(s)).await
    }
}
