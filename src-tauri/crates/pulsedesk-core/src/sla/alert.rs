//! SLA alerts: the moments a clock turns near-breach and breached, and their identity.
//!
//! An alert is identified by ticket, clock, level and round ([`AlertKey`]); the store writes
//! each key to the event log at most once, however many desktops compute it.

use super::clock::{ClockKind, ClockState, SlaClock};
use crate::ids::TicketId;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How serious an alert is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AlertLevel {
    /// The clock passed the policy's near-breach share of its target.
    NearBreach,
    /// The clock passed its target.
    Breached,
}

impl AlertLevel {
    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertLevel::NearBreach => "near_breach",
            AlertLevel::Breached => "breached",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "near_breach" => Some(AlertLevel::NearBreach),
            "breached" => Some(AlertLevel::Breached),
            _ => None,
        }
    }
}

impl ClockKind {
    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ClockKind::FirstResponse => "first_response",
            ClockKind::Resolution => "resolution",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "first_response" => Some(ClockKind::FirstResponse),
            "resolution" => Some(ClockKind::Resolution),
            _ => None,
        }
    }
}

/// Which alert: one per ticket, clock, level and round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AlertKey {
    pub ticket: TicketId,
    pub clock: ClockKind,
    pub level: AlertLevel,
    /// The ticket's round for the resolution clock (each reopening runs a new one); always 1
    /// for the first-response clock, which runs once.
    pub round: u32,
}

/// An alert and the instant it comes due. `repeat` 0 is the alert itself; `n > 0` is the
/// n-th reminder of a breach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Due {
    pub at: DateTime<Utc>,
    pub key: AlertKey,
    pub repeat: u32,
}

/// The round a clock's alerts belong to.
pub fn clock_round(clock: ClockKind, ticket_round: u32) -> u32 {
    match clock {
        ClockKind::FirstResponse => 1,
        ClockKind::Resolution => ticket_round,
    }
}

/// A running clock's thresholds: all the scheduler needs to know of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Watch {
    pub clock: ClockKind,
    pub near_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
}

/// The running clocks among `clocks` (stopped, paused and met clocks raise nothing).
pub fn watches(clocks: &[SlaClock]) -> Vec<Watch> {
    clocks
        .iter()
        .filter(|c| c.stopped_at.is_none() && !c.paused && c.state != ClockState::Met)
        .map(|c| Watch {
            clock: c.kind,
            near_at: c.near_at,
            due_at: c.due_at,
        })
        .collect()
}

/// The alerts of a ticket's running clocks, past or future. A clock is breached once it is
/// *over* its target, so the breach is due one second after `due_at` (a target of N minutes
/// is still met at exactly N).
pub fn dues_of(ticket: TicketId, round: u32, watched: &[Watch]) -> Vec<Due> {
    let mut out = Vec::new();
    for w in watched {
        let key = |level| AlertKey {
            ticket,
            clock: w.clock,
            level,
            round: clock_round(w.clock, round),
        };
        if let Some(at) = w.near_at {
            out.push(Due {
                at,
                key: key(AlertLevel::NearBreach),
                repeat: 0,
            });
        }
        if let Some(due) = w.due_at {
            out.push(Due {
                at: due + Duration::seconds(1),
                key: key(AlertLevel::Breached),
                repeat: 0,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dues(ticket: TicketId, round: u32, clocks: &[SlaClock]) -> Vec<Due> {
        dues_of(ticket, round, &watches(clocks))
    }
    use crate::ticket::fixtures::at;

    fn running(kind: ClockKind) -> SlaClock {
        SlaClock {
            kind,
            state: ClockState::OnTrack,
            target_secs: 600,
            counted_secs: 0,
            due_at: Some(at(10)),
            near_at: Some(at(8)),
            paused: false,
            stopped_at: None,
        }
    }

    #[test]
    fn a_running_clock_raises_near_breach_then_breach_a_second_after_its_target() {
        let d = dues(TicketId(7), 2, &[running(ClockKind::Resolution)]);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].at, at(8));
        assert_eq!(d[0].key.level, AlertLevel::NearBreach);
        assert_eq!(d[0].key.round, 2);
        assert_eq!(d[1].at, at(10) + Duration::seconds(1));
        assert_eq!(d[1].key.level, AlertLevel::Breached);
    }

    #[test]
    fn the_first_response_clock_is_always_round_one() {
        let d = dues(TicketId(7), 3, &[running(ClockKind::FirstResponse)]);
        assert!(d.iter().all(|d| d.key.round == 1));
    }

    #[test]
    fn stopped_and_paused_clocks_raise_nothing() {
        let mut paused = running(ClockKind::Resolution);
        paused.paused = true;
        let mut stopped = running(ClockKind::FirstResponse);
        stopped.stopped_at = Some(at(3));
        assert!(dues(TicketId(1), 1, &[paused, stopped]).is_empty());
    }

    #[test]
    fn names_round_trip() {
        for l in [AlertLevel::NearBreach, AlertLevel::Breached] {
            assert_eq!(AlertLevel::parse(l.as_str()), Some(l));
        }
        for k in [ClockKind::FirstResponse, ClockKind::Resolution] {
            assert_eq!(ClockKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(AlertLevel::parse("late"), None);
    }
}
