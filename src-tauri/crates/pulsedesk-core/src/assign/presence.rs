//! Presence: online, away or offline. Desktops report their member's presence with a
//! heartbeat; one that stopped reporting (crashed, lost its network) counts as offline.
//! Idle time and the screen lock move a member between online and away by themselves,
//! but never undo an "away" the member chose by hand.

use crate::kinds::Presence;
use chrono::{DateTime, Duration, Utc};

/// How often a running desktop confirms its member's presence.
pub const HEARTBEAT_SECONDS: i64 = 60;
/// After this long without a heartbeat a member counts as offline.
pub const HEARTBEAT_TIMEOUT_SECONDS: i64 = 3 * HEARTBEAT_SECONDS;

/// The presence the assigner uses: the stored one, unless its heartbeat is too old.
pub fn effective(stored: Presence, seen_at: DateTime<Utc>, now: DateTime<Utc>) -> Presence {
    if stored != Presence::Offline && now - seen_at > Duration::seconds(HEARTBEAT_TIMEOUT_SECONDS) {
        Presence::Offline
    } else {
        stored
    }
}

/// What the desktop observed about its member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Activity {
    /// Time since the last keyboard or pointer input anywhere on the desktop.
    pub idle: Duration,
    pub locked: bool,
}

/// The member's presence as last set, and whether they set it by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Current {
    pub presence: Presence,
    pub by_hand: bool,
}

/// The change an activity reading calls for, if any: online → away when the screen is
/// locked or the member has been idle for `idle_minutes`; back to online on return, unless
/// they chose "away" themselves. Offline is only left by signing in.
pub fn on_activity(current: Current, activity: Activity, idle_minutes: u32) -> Option<Presence> {
    let idle = activity.locked || activity.idle >= Duration::minutes(i64::from(idle_minutes));
    match current.presence {
        Presence::Online if idle => Some(Presence::Away),
        Presence::Away if !idle && !current.by_hand => Some(Presence::Online),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_790_000_000 + secs, 0).unwrap()
    }

    #[test]
    fn a_silent_desktop_counts_as_offline_after_the_timeout() {
        let seen = t(0);
        let limit = HEARTBEAT_TIMEOUT_SECONDS;
        assert_eq!(
            effective(Presence::Online, seen, t(limit)),
            Presence::Online
        );
        assert_eq!(
            effective(Presence::Online, seen, t(limit + 1)),
            Presence::Offline
        );
        assert_eq!(
            effective(Presence::Away, seen, t(limit + 1)),
            Presence::Offline
        );
        assert_eq!(effective(Presence::Offline, seen, t(1)), Presence::Offline);
    }

    fn activity(idle_secs: i64, locked: bool) -> Activity {
        Activity {
            idle: Duration::seconds(idle_secs),
            locked,
        }
    }

    #[test]
    fn idle_and_lock_move_between_online_and_away() {
        let online = Current {
            presence: Presence::Online,
            by_hand: false,
        };
        let auto_away = Current {
            presence: Presence::Away,
            by_hand: false,
        };
        let hand_away = Current {
            presence: Presence::Away,
            by_hand: true,
        };
        let offline = Current {
            presence: Presence::Offline,
            by_hand: false,
        };
        let cases = [
            // (current, idle seconds, locked, expected)
            (online, 599, false, None),
            (online, 600, false, Some(Presence::Away)),
            (online, 0, true, Some(Presence::Away)),
            (auto_away, 0, false, Some(Presence::Online)),
            (auto_away, 0, true, None),
            (auto_away, 700, false, None),
            (hand_away, 0, false, None),
            (offline, 0, false, None),
            (offline, 9999, true, None),
        ];
        for (current, idle, locked, want) in cases {
            assert_eq!(
                on_activity(current, activity(idle, locked), 10),
                want,
                "{current:?} idle {idle}s locked {locked}"
            );
        }
    }
}
