//! The board's periods, in the team's local calendar: today, the last 7 days, and a chosen
//! range of whole days.

use crate::clock::Clock;
use crate::error::DomainError;
use crate::reason::Reason;
use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The longest range the board computes live (reports cover longer spans).
pub const MAX_RANGE_DAYS: u64 = 366;

/// Which period a set of figures covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKey {
    /// From local midnight until now.
    Today,
    /// From local midnight six days ago until now (today and the six days before).
    Week,
    /// The chosen days, whole (up to now when the range reaches today).
    Range,
}

/// Local calendar days, first and last included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DayRange {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

/// A half-open span of time `[from, to)`. A period that reaches the present ends just after
/// now (`now` + 1 ms, the stores' resolution), so a change made this instant is in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub key: PeriodKey,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// The instant a local day begins.
pub fn midnight(clock: &dyn Clock, day: NaiveDate) -> DateTime<Utc> {
    let local = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    // The offset at the instant itself; probing at the naive time read as UTC is off by
    // at most a day, and offsets change far less often than that.
    let probe = local.and_utc();
    let offset = clock.offset_at(probe);
    probe - chrono::Duration::seconds(i64::from(offset.local_minus_utc()))
}

/// Today, the last 7 days, and `range` when given, as of `clock.now()`.
pub fn periods(clock: &dyn Clock, range: Option<DayRange>) -> Result<Vec<Period>, DomainError> {
    let now = clock.now();
    let until = now + chrono::Duration::milliseconds(1);
    let today = clock.local_day(now);
    let week_start = today.checked_sub_days(Days::new(6)).unwrap_or(today);
    let mut out = vec![
        Period {
            key: PeriodKey::Today,
            from: midnight(clock, today),
            to: until,
        },
        Period {
            key: PeriodKey::Week,
            from: midnight(clock, week_start),
            to: until,
        },
    ];
    if let Some(r) = range {
        if r.last < r.first {
            return Err(DomainError::Invalid {
                field: "range",
                reason: Reason::WindowBackwards,
            });
        }
        let days = (r.last - r.first).num_days() + 1;
        if days > i64::try_from(MAX_RANGE_DAYS).unwrap_or(i64::MAX) {
            return Err(DomainError::Invalid {
                field: "range",
                reason: Reason::RangeTooLong {
                    max: u32::try_from(MAX_RANGE_DAYS).unwrap_or(u32::MAX),
                },
            });
        }
        if r.first > today {
            return Err(DomainError::Invalid {
                field: "range",
                reason: Reason::RangeInFuture,
            });
        }
        let end = r
            .last
            .checked_add_days(Days::new(1))
            .map_or(until, |d| midnight(clock, d));
        out.push(Period {
            key: PeriodKey::Range,
            from: midnight(clock, r.first),
            to: end.min(until),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use chrono::{FixedOffset, TimeZone};

    fn beijing_at(y: i32, m: u32, d: u32, h: u32, min: u32) -> ManualClock {
        let tz = FixedOffset::east_opt(8 * 3600).unwrap();
        let at = tz.with_ymd_and_hms(y, m, d, h, min, 0).unwrap();
        ManualClock::new(at.with_timezone(&Utc), tz)
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn today_and_the_week_start_at_local_midnight() {
        // 01:30 in Beijing is still the previous day in UTC.
        let clock = beijing_at(2026, 11, 23, 1, 30);
        let p = periods(&clock, None).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].key, PeriodKey::Today);
        assert_eq!(
            p[0].from,
            Utc.with_ymd_and_hms(2026, 11, 22, 16, 0, 0).unwrap()
        );
        assert_eq!(p[0].to, clock.now() + chrono::Duration::milliseconds(1));
        assert_eq!(
            p[1].from,
            Utc.with_ymd_and_hms(2026, 11, 16, 16, 0, 0).unwrap()
        );
    }

    #[test]
    fn a_range_covers_whole_days_and_stops_at_now() {
        let clock = beijing_at(2026, 11, 23, 10, 0);
        let p = periods(
            &clock,
            Some(DayRange {
                first: day(2026, 11, 1),
                last: day(2026, 11, 2),
            }),
        )
        .unwrap();
        assert_eq!(
            p[2].from,
            Utc.with_ymd_and_hms(2026, 10, 31, 16, 0, 0).unwrap()
        );
        assert_eq!(
            p[2].to,
            Utc.with_ymd_and_hms(2026, 11, 2, 16, 0, 0).unwrap()
        );
        let p = periods(
            &clock,
            Some(DayRange {
                first: day(2026, 11, 20),
                last: day(2026, 11, 23),
            }),
        )
        .unwrap();
        assert_eq!(
            p[2].to,
            clock.now() + chrono::Duration::milliseconds(1),
            "a range through today ends now, included"
        );
    }

    #[test]
    fn backwards_future_and_overlong_ranges_are_refused_with_the_reason() {
        let clock = beijing_at(2026, 11, 23, 10, 0);
        let refuse = |first, last| {
            periods(&clock, Some(DayRange { first, last }))
                .unwrap_err()
                .to_string()
        };
        assert!(refuse(day(2026, 11, 5), day(2026, 11, 1)).contains("before it starts"));
        assert!(refuse(day(2026, 11, 24), day(2026, 11, 25)).contains("after today"));
        assert!(refuse(day(2025, 1, 1), day(2026, 11, 1)).contains("use a report"));
        // Exactly the longest range is fine.
        let first = day(2025, 11, 23);
        let last = first
            .checked_add_days(Days::new(MAX_RANGE_DAYS - 1))
            .unwrap();
        assert!(periods(&clock, Some(DayRange { first, last })).is_ok());
    }
}
