//! Event-log builders shared by the core's tests: one ticket's events, minutes after [`t0`].

use super::{EventKind, TicketEvent};
use crate::ids::{TicketId, UserId};
use crate::kinds::{Channel, Outcome, Priority, Stage, Tier};
use chrono::{DateTime, Duration, TimeZone, Utc};

/// Monday 23 Nov 2026, 10:00 in Shanghai (02:00 UTC).
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap()
}

/// `min` minutes after [`t0`].
pub fn at(min: i64) -> DateTime<Utc> {
    t0() + Duration::minutes(min)
}

/// An event `min` minutes after [`t0`], by user 1.
pub fn ev(min: i64, kind: EventKind) -> TicketEvent {
    TicketEvent {
        id: 0,
        ticket_id: TicketId(1),
        at: at(min),
        actor_id: Some(UserId(1)),
        kind,
    }
}

/// A stage move `min` minutes after [`t0`]; a move to 已完成 is fully resolved.
pub fn mv(min: i64, from: Stage, to: Stage) -> TicketEvent {
    let outcome = (to == Stage::Done).then_some(Outcome::Fully);
    ev(min, EventKind::StageChanged { from, to, outcome })
}

/// A high-priority VIP chat ticket created at [`t0`].
pub fn created() -> TicketEvent {
    ev(
        0,
        EventKind::Created {
            channel: Channel::Chat,
            priority: Priority::High,
            tier: Tier::Vip,
        },
    )
}
