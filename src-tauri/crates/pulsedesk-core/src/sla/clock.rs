//! Where a ticket's SLA clocks stand, computed from its event log.
//!
//! * The **first-response** clock runs from creation until the ticket first enters 处理中
//!   (the same moment as [`crate::ticket::Timings`]' first response).
//! * The **resolution** clock runs from creation until 已完成; a reopened ticket starts a new
//!   resolution clock at the reopening. If the policy says so, time in 待回复客户 (waiting on
//!   the customer) does not count.
//!
//! Only counted hours ([`Hours`]) move a clock. Recomputing with another policy (say, after a
//! priority change) re-targets the clocks from the ticket's start.

use super::calendar::Hours;
use super::policy::SlaPolicy;
use crate::kinds::Stage;
use crate::ticket::{EventKind, TicketEvent};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Which target a clock tracks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    FirstResponse,
    Resolution,
}

/// Where a clock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    OnTrack,
    /// Past the policy's near-breach share of the target.
    NearBreach,
    /// Over the target (running, or stopped late).
    Breached,
    /// Stopped within the target.
    Met,
}

/// One clock of one ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SlaClock {
    pub kind: ClockKind,
    pub state: ClockState,
    pub target_secs: i64,
    /// Counted seconds so far (up to the stop, or to now).
    pub counted_secs: i64,
    /// When it comes due, while running and not paused; `None` when stopped, paused, or the
    /// calendar never reaches it.
    pub due_at: Option<DateTime<Utc>>,
    /// When it turns near-breach, on the same terms as `due_at`.
    pub near_at: Option<DateTime<Utc>>,
    pub paused: bool,
    pub stopped_at: Option<DateTime<Utc>>,
}

/// What in a ticket's log moves its clocks; everything else is ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Created,
    /// The ticket entered a stage.
    Entered(Stage),
    Reopened,
}

impl Mark {
    /// The mark an event leaves, if it moves clocks.
    pub fn of(kind: &EventKind) -> Option<Mark> {
        match kind {
            EventKind::Created { .. } => Some(Mark::Created),
            EventKind::StageChanged { to, .. } => Some(Mark::Entered(*to)),
            EventKind::Reopened { .. } => Some(Mark::Reopened),
            _ => None,
        }
    }

    /// The stable text stored beside the event ("created", "reopened", or the stage entered).
    pub fn code(self) -> &'static str {
        match self {
            Mark::Created => "created",
            Mark::Reopened => "reopened",
            Mark::Entered(stage) => stage.as_str(),
        }
    }

    pub fn parse(code: &str) -> Option<Mark> {
        match code {
            "created" => Some(Mark::Created),
            "reopened" => Some(Mark::Reopened),
            other => Stage::parse(other).map(Mark::Entered),
        }
    }
}

/// A [`Mark`] and when it happened. The store can read these straight from the log without
/// decoding whole events (re-targeting thousands of tickets at once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockMark {
    pub at: DateTime<Utc>,
    pub mark: Mark,
}

/// The clock marks of an event log, in order.
pub fn marks(events: &[TicketEvent]) -> Vec<ClockMark> {
    events
        .iter()
        .filter_map(|e| Mark::of(&e.kind).map(|mark| ClockMark { at: e.at, mark }))
        .collect()
}

/// A stretch of time the clock runs.
struct Run {
    from: DateTime<Utc>,
    to: Option<DateTime<Utc>>,
}

/// The clock's running stretches in its current cycle, and when it stopped.
fn runs(
    kind: ClockKind,
    pause_waiting: bool,
    marks: &[ClockMark],
) -> (Vec<Run>, Option<DateTime<Utc>>) {
    let mut runs: Vec<Run> = Vec::new();
    let mut stopped = None;
    for e in marks {
        match (e.mark, kind) {
            (Mark::Created, _) => {
                runs = vec![Run {
                    from: e.at,
                    to: None,
                }];
                stopped = None;
            }
            (Mark::Entered(Stage::InProgress), ClockKind::FirstResponse) if stopped.is_none() => {
                if let Some(r) = runs.last_mut() {
                    r.to = Some(e.at);
                }
                stopped = Some(e.at);
            }
            (Mark::Reopened, ClockKind::Resolution) => {
                runs = vec![Run {
                    from: e.at,
                    to: None,
                }];
                stopped = None;
            }
            (Mark::Entered(to), ClockKind::Resolution) if stopped.is_none() => {
                let running = runs.last().is_some_and(|r| r.to.is_none());
                let pauses = pause_waiting && to == Stage::AwaitingReply;
                if to == Stage::Done || pauses {
                    if let Some(r) = runs.last_mut().filter(|_| running) {
                        r.to = Some(e.at);
                    }
                    if to == Stage::Done {
                        stopped = Some(e.at);
                    }
                } else if !running && !runs.is_empty() {
                    runs.push(Run {
                        from: e.at,
                        to: None,
                    });
                }
            }
            _ => {}
        }
    }
    (runs, stopped)
}

/// Computes one clock of a ticket at `now` from its event log.
pub fn compute(
    kind: ClockKind,
    policy: &SlaPolicy,
    hours: &Hours,
    events: &[TicketEvent],
    now: DateTime<Utc>,
) -> SlaClock {
    compute_marks(kind, policy, hours, &marks(events), now)
}

/// Computes one clock of a ticket at `now` from its clock marks.
pub fn compute_marks(
    kind: ClockKind,
    policy: &SlaPolicy,
    hours: &Hours,
    events: &[ClockMark],
    now: DateTime<Utc>,
) -> SlaClock {
    let minutes = match kind {
        ClockKind::FirstResponse => policy.first_response_minutes,
        ClockKind::Resolution => policy.resolution_minutes,
    };
    let target = i64::from(minutes) * 60;
    let near = target * i64::from(policy.near_percent.min(100)) / 100;
    let pause = kind == ClockKind::Resolution && policy.pause_awaiting_reply;
    let (runs, stopped_at) = runs(kind, pause, events);

    let counted: i64 = runs
        .iter()
        .map(|r| hours.counted_secs(r.from, r.to.unwrap_or(now).min(now)))
        .sum();
    let open = runs
        .last()
        .filter(|r| r.to.is_none() && stopped_at.is_none());
    let paused = stopped_at.is_none() && !runs.is_empty() && open.is_none();
    let (due_at, near_at) = match open {
        Some(r) => {
            let before: i64 = runs[..runs.len() - 1]
                .iter()
                .map(|r| hours.counted_secs(r.from, r.to.unwrap_or(r.from)))
                .sum();
            (
                hours.deadline(r.from, target - before),
                hours.deadline(r.from, near - before),
            )
        }
        None => (None, None),
    };
    let state = match stopped_at {
        Some(_) if counted <= target => ClockState::Met,
        Some(_) => ClockState::Breached,
        // A target is "within N minutes": exactly N is still met.
        None if counted > target => ClockState::Breached,
        None if counted >= near => ClockState::NearBreach,
        None => ClockState::OnTrack,
    };
    SlaClock {
        kind,
        state,
        target_secs: target,
        counted_secs: counted,
        due_at,
        near_at,
        paused,
        stopped_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sla::calendar::WorkCalendar;
    use crate::sla::policy::PolicyMatch;
    use crate::ticket::fixtures::{at, created, ev, mv, t0};
    use chrono::{Duration, NaiveTime, TimeZone};

    fn policy(response: u32, resolution: u32) -> SlaPolicy {
        SlaPolicy {
            name: "test".into(),
            when: PolicyMatch::default(),
            first_response_minutes: response,
            resolution_minutes: resolution,
            near_percent: 80,
            pause_awaiting_reply: true,
            calendar: None,
        }
    }

    #[test]
    fn response_clock_states_at_their_exact_boundaries() {
        let log = [created()];
        let p = policy(30, 480);
        let c = |m| compute(ClockKind::FirstResponse, &p, &Hours::Always, &log, at(m));
        assert_eq!(c(0).state, ClockState::OnTrack);
        assert_eq!(c(0).due_at, Some(at(30)));
        assert_eq!(c(0).near_at, Some(at(24)));
        assert_eq!(c(23).state, ClockState::OnTrack);
        assert_eq!(
            c(24).state,
            ClockState::NearBreach,
            "exactly 80% is near breach"
        );
        assert_eq!(c(29).state, ClockState::NearBreach);
        assert_eq!(
            c(30).state,
            ClockState::NearBreach,
            "exactly the target is still within it"
        );
        assert_eq!(c(31).state, ClockState::Breached);
    }

    #[test]
    fn responding_stops_the_clock_met_or_late() {
        let p = policy(30, 480);
        let on_time = [
            created(),
            mv(5, Stage::Unassigned, Stage::ToContact),
            mv(30, Stage::ToContact, Stage::InProgress),
        ];
        let c = compute(
            ClockKind::FirstResponse,
            &p,
            &Hours::Always,
            &on_time,
            at(500),
        );
        assert_eq!(
            (c.state, c.counted_secs, c.stopped_at, c.due_at),
            (ClockState::Met, 1800, Some(at(30)), None)
        );
        let late = [created(), mv(31, Stage::ToContact, Stage::InProgress)];
        let c = compute(ClockKind::FirstResponse, &p, &Hours::Always, &late, at(500));
        assert_eq!(c.state, ClockState::Breached);
    }

    #[test]
    fn waiting_on_the_customer_pauses_resolution() {
        let p = policy(30, 60);
        let log = [
            created(),
            mv(10, Stage::ToContact, Stage::InProgress),
            mv(20, Stage::InProgress, Stage::AwaitingReply),
        ];
        let c = compute(ClockKind::Resolution, &p, &Hours::Always, &log, at(500));
        assert!(c.paused);
        assert_eq!(
            (c.counted_secs, c.state, c.due_at),
            (20 * 60, ClockState::OnTrack, None)
        );
        let mut log = log.to_vec();
        log.push(mv(200, Stage::AwaitingReply, Stage::InProgress));
        let c = compute(ClockKind::Resolution, &p, &Hours::Always, &log, at(200));
        assert_eq!(
            c.due_at,
            Some(at(240)),
            "40 minutes were left when it paused"
        );
        assert_eq!(c.near_at, Some(at(228)));
        let mut no_pause = p.clone();
        no_pause.pause_awaiting_reply = false;
        let c = compute(
            ClockKind::Resolution,
            &no_pause,
            &Hours::Always,
            &log,
            at(200),
        );
        assert_eq!(c.state, ClockState::Breached);
    }

    #[test]
    fn a_reopened_ticket_gets_a_new_resolution_clock() {
        let p = policy(30, 60);
        let log = [
            created(),
            mv(10, Stage::ToContact, Stage::InProgress),
            mv(90, Stage::InProgress, Stage::Done),
            ev(
                300,
                EventKind::Reopened {
                    round: 2,
                    reason: "again".into(),
                },
            ),
            mv(300, Stage::Done, Stage::InProgress),
        ];
        let c = compute(
            ClockKind::Resolution,
            &p,
            &Hours::Always,
            &log[..3],
            at(100),
        );
        assert_eq!(
            c.state,
            ClockState::Breached,
            "round one took 90 of 60 minutes"
        );
        let c = compute(ClockKind::Resolution, &p, &Hours::Always, &log, at(310));
        assert_eq!(
            (c.state, c.counted_secs, c.due_at),
            (ClockState::OnTrack, 600, Some(at(360)))
        );
        let r = compute(ClockKind::FirstResponse, &p, &Hours::Always, &log, at(310));
        assert_eq!(
            r.stopped_at,
            Some(at(10)),
            "the response clock is not reset"
        );
    }

    #[test]
    fn a_priority_change_retargets_from_the_start() {
        let log = [created()];
        let high = compute(
            ClockKind::FirstResponse,
            &policy(30, 480),
            &Hours::Always,
            &log,
            at(20),
        );
        let urgent = compute(
            ClockKind::FirstResponse,
            &policy(15, 240),
            &Hours::Always,
            &log,
            at(20),
        );
        assert_eq!(
            (high.state, urgent.state),
            (ClockState::OnTrack, ClockState::Breached)
        );
        assert_eq!(urgent.due_at, Some(at(15)));
    }

    #[test]
    fn business_hours_move_deadlines_past_the_night() {
        let cal = WorkCalendar::weekdays(
            chrono_tz::Asia::Shanghai,
            NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            NaiveTime::from_hms_opt(18, 0, 0).unwrap(),
        );
        let hours = Hours::Calendar(cal);
        // Created Monday 17:30 Shanghai with a 2-hour resolution target: due Tuesday 10:30.
        let created_late = TicketEvent {
            at: t0() + Duration::minutes(450),
            ..created()
        };
        let c = compute(
            ClockKind::Resolution,
            &policy(30, 120),
            &hours,
            &[created_late],
            t0() + Duration::hours(14),
        );
        let due = Utc.with_ymd_and_hms(2026, 11, 24, 2, 30, 0).unwrap();
        assert_eq!(c.due_at, Some(due));
        assert_eq!(
            c.counted_secs,
            30 * 60,
            "only the half hour before closing counted overnight"
        );
        assert_eq!(c.state, ClockState::OnTrack);
    }

    #[test]
    fn mark_codes_round_trip() {
        for m in [
            Mark::Created,
            Mark::Reopened,
            Mark::Entered(Stage::AwaitingReply),
        ] {
            assert_eq!(Mark::parse(m.code()), Some(m));
        }
        assert_eq!(Mark::parse("lunch"), None);
    }
}
