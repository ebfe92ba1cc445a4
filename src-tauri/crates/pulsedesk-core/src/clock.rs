//! Injectable time source, so time-dependent rules are tested exactly.

use chrono::{DateTime, FixedOffset, Local, NaiveDate, Offset, Utc};
use std::sync::Mutex;

/// Where "now" comes from.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
    /// The workspace's local offset at `at` (ticket numbers use the local calendar day).
    fn offset_at(&self, at: DateTime<Utc>) -> FixedOffset;
    /// The local calendar day of `at`.
    fn local_day(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.offset_at(at)).date_naive()
    }
}

/// The operating system's clock and time zone.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
    fn offset_at(&self, at: DateTime<Utc>) -> FixedOffset {
        at.with_timezone(&Local).offset().fix()
    }
}

/// A clock that only moves when told to; for tests and benchmarks.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<DateTime<Utc>>,
    offset: FixedOffset,
}

impl ManualClock {
    /// A clock stopped at `now`, in the zone `offset`.
    pub fn new(now: DateTime<Utc>, offset: FixedOffset) -> Self {
        Self {
            now: Mutex::new(now),
            offset,
        }
    }
    /// Moves the clock to `to`.
    pub fn set(&self, to: DateTime<Utc>) {
        *self.now.lock().unwrap_or_else(|e| e.into_inner()) = to;
    }
    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: chrono::Duration) {
        let mut now = self.now.lock().unwrap_or_else(|e| e.into_inner());
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(|e| e.into_inner())
    }
    fn offset_at(&self, _at: DateTime<Utc>) -> FixedOffset {
        self.offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn local_day_follows_the_offset_not_utc() {
        // 2026-11-23 17:30 UTC is already 2026-11-24 in Beijing (UTC+8).
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 17, 30, 0).unwrap();
        let beijing = ManualClock::new(at, FixedOffset::east_opt(8 * 3600).unwrap());
        assert_eq!(
            beijing.local_day(at),
            NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
        );
        let utc = ManualClock::new(at, FixedOffset::east_opt(0).unwrap());
        assert_eq!(
            utc.local_day(at),
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
        );
    }

    #[test]
    fn manual_clock_moves_only_when_told() {
        let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let c = ManualClock::new(at, FixedOffset::east_opt(0).unwrap());
        assert_eq!(c.now(), at);
        c.advance(chrono::Duration::minutes(5));
        assert_eq!(c.now(), at + chrono::Duration::minutes(5));
        c.set(at);
        assert_eq!(c.now(), at);
    }
}
