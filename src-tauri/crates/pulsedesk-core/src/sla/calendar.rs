//! Which hours count toward an SLA: all of them, or the working hours of a team calendar
//! (a weekly schedule in a time zone, minus holidays). Daylight-saving changes are handled by
//! resolving each working interval's local start and end in the calendar's zone.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::collections::BTreeSet;

/// How far ahead a deadline is searched for before giving up (a calendar with no working time).
const SEARCH_DAYS: i64 = 3 * 366;

/// A team's working hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkCalendar {
    pub tz: Tz,
    /// Working intervals of each weekday, Monday first; an interval may not cross midnight.
    pub week: [Vec<(NaiveTime, NaiveTime)>; 7],
    pub holidays: BTreeSet<NaiveDate>,
}

impl WorkCalendar {
    /// Monday to Friday, `from` to `to`, in `tz`, no holidays.
    pub fn weekdays(tz: Tz, from: NaiveTime, to: NaiveTime) -> Self {
        let day = vec![(from, to)];
        WorkCalendar {
            tz,
            week: [
                day.clone(),
                day.clone(),
                day.clone(),
                day.clone(),
                day,
                vec![],
                vec![],
            ],
            holidays: BTreeSet::new(),
        }
    }

    /// The instant a local wall-clock time happens; a time skipped by a DST change happens
    /// when the clocks jump (the first instant after the gap).
    fn instant(&self, local: NaiveDateTime) -> DateTime<Utc> {
        if let Some(t) = self.tz.from_local_datetime(&local).earliest() {
            return t.with_timezone(&Utc);
        }
        // In a gap: walk forward to the first local minute that exists.
        let mut probe = local;
        for _ in 0..(24 * 60) {
            probe += Duration::minutes(1);
            if let Some(t) = self.tz.from_local_datetime(&probe).earliest() {
                return t.with_timezone(&Utc);
            }
        }
        Utc.from_utc_datetime(&local)
    }

    /// The working intervals of local day `day`, as instants.
    fn intervals(&self, day: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        if self.holidays.contains(&day) {
            return vec![];
        }
        let idx = day.weekday().num_days_from_monday() as usize;
        self.week[idx]
            .iter()
            .filter(|(a, b)| a < b)
            .map(|(a, b)| {
                (
                    self.instant(day.and_time(*a)),
                    self.instant(day.and_time(*b)),
                )
            })
            .filter(|(a, b)| a < b)
            .collect()
    }

    fn local_day(&self, t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&self.tz).date_naive()
    }
}

/// Which hours an SLA counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hours {
    /// Every hour of every day.
    Always,
    /// Only a calendar's working hours.
    Calendar(WorkCalendar),
}

impl Hours {
    /// Counted seconds in `[from, to)`.
    pub fn counted_secs(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        if to <= from {
            return 0;
        }
        match self {
            Hours::Always => (to - from).num_seconds(),
            Hours::Calendar(cal) => {
                let mut total = 0;
                // Start a day early: an interval of the previous local day can reach into `from`.
                let mut day = cal.local_day(from) - Duration::days(1);
                let last = cal.local_day(to);
                while day <= last {
                    for (a, b) in cal.intervals(day) {
                        let (a, b) = (a.max(from), b.min(to));
                        if a < b {
                            total += (b - a).num_seconds();
                        }
                    }
                    day += Duration::days(1);
                }
                total
            }
        }
    }

    /// The instant at which `secs` counted seconds have passed since `from`; `None` when the
    /// calendar has no working time in the next three years.
    pub fn deadline(&self, from: DateTime<Utc>, secs: i64) -> Option<DateTime<Utc>> {
        match self {
            Hours::Always => Some(from + Duration::seconds(secs.max(0))),
            Hours::Calendar(cal) => {
                let mut left = secs.max(0);
                let mut day = cal.local_day(from) - Duration::days(1);
                let end = day + Duration::days(SEARCH_DAYS);
                while day <= end {
                    for (a, b) in cal.intervals(day) {
                        let a = a.max(from);
                        if a >= b {
                            continue;
                        }
                        let span = (b - a).num_seconds();
                        if left <= span {
                            // A zero target is due when counting would start.
                            return Some(a + Duration::seconds(left));
                        }
                        left -= span;
                    }
                    day += Duration::days(1);
                }
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{Asia::Shanghai, Europe::Berlin};

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    /// A local wall-clock time in `tz`, as an instant.
    fn at(tz: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        tz.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .earliest()
            .unwrap()
            .with_timezone(&Utc)
    }

    fn office() -> Hours {
        Hours::Calendar(WorkCalendar::weekdays(Shanghai, t(9, 0), t(18, 0)))
    }

    #[test]
    fn all_hours_count_by_default() {
        let from = at(Shanghai, 2026, 11, 23, 23, 0);
        assert_eq!(
            Hours::Always.deadline(from, 3600),
            Some(from + Duration::hours(1))
        );
        assert_eq!(
            Hours::Always.counted_secs(from, from + Duration::hours(5)),
            5 * 3600
        );
    }

    #[test]
    fn a_clock_started_at_night_waits_for_the_morning() {
        // Monday 23 Nov 2026, 22:00 → two working hours → Tuesday 11:00.
        let from = at(Shanghai, 2026, 11, 23, 22, 0);
        assert_eq!(
            office().deadline(from, 2 * 3600),
            Some(at(Shanghai, 2026, 11, 24, 11, 0))
        );
        assert_eq!(
            office().counted_secs(from, at(Shanghai, 2026, 11, 24, 9, 30)),
            30 * 60
        );
    }

    #[test]
    fn weekends_do_not_count() {
        // Friday 27 Nov 17:00 + 2 h → Monday 30 Nov 10:00.
        let from = at(Shanghai, 2026, 11, 27, 17, 0);
        assert_eq!(
            office().deadline(from, 2 * 3600),
            Some(at(Shanghai, 2026, 11, 30, 10, 0))
        );
        assert_eq!(
            office().counted_secs(from, at(Shanghai, 2026, 11, 30, 10, 0)),
            2 * 3600
        );
    }

    #[test]
    fn holidays_do_not_count() {
        let mut cal = WorkCalendar::weekdays(Shanghai, t(9, 0), t(18, 0));
        cal.holidays
            .insert(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap());
        let hours = Hours::Calendar(cal);
        // Wednesday 30 Sep 17:30 + 1 h: 1 Oct is a holiday → Friday 2 Oct 09:30.
        let from = at(Shanghai, 2026, 9, 30, 17, 30);
        assert_eq!(
            hours.deadline(from, 3600),
            Some(at(Shanghai, 2026, 10, 2, 9, 30))
        );
    }

    #[test]
    fn a_boundary_exactly_at_closing_time() {
        let from = at(Shanghai, 2026, 11, 23, 9, 0);
        assert_eq!(
            office().deadline(from, 9 * 3600),
            Some(at(Shanghai, 2026, 11, 23, 18, 0))
        );
        assert_eq!(
            office().deadline(from, 9 * 3600 + 1),
            Some(at(Shanghai, 2026, 11, 24, 9, 0) + Duration::seconds(1))
        );
        assert_eq!(office().deadline(from, 0), Some(from));
    }

    #[test]
    fn daylight_saving_changes_keep_local_hours() {
        // Berlin springs forward on Sunday 29 Mar 2026; an office open 9–17 is still open
        // 8 real hours on the Monday after, and the Friday before.
        let cal = Hours::Calendar(WorkCalendar::weekdays(Berlin, t(9, 0), t(17, 0)));
        let fri = at(Berlin, 2026, 3, 27, 16, 0);
        assert_eq!(
            cal.deadline(fri, 2 * 3600),
            Some(at(Berlin, 2026, 3, 30, 10, 0))
        );
        assert_eq!(
            cal.counted_secs(fri, at(Berlin, 2026, 3, 30, 10, 0)),
            2 * 3600
        );
        // A 24/7 calendar loses the skipped hour: 00:00–06:00 that night is five real hours.
        let all = [(t(0, 0), NaiveTime::from_hms_opt(23, 59, 59).unwrap())];
        let mut nonstop = WorkCalendar::weekdays(Berlin, t(0, 0), t(0, 0));
        nonstop.week = std::array::from_fn(|_| all.to_vec());
        let nonstop = Hours::Calendar(nonstop);
        let night =
            nonstop.counted_secs(at(Berlin, 2026, 3, 29, 0, 0), at(Berlin, 2026, 3, 29, 6, 0));
        assert_eq!(night, 5 * 3600);
    }

    #[test]
    fn a_calendar_without_working_time_never_comes_due() {
        let mut cal = WorkCalendar::weekdays(Shanghai, t(9, 0), t(18, 0));
        cal.week = Default::default();
        assert_eq!(
            Hours::Calendar(cal).deadline(at(Shanghai, 2026, 1, 1, 0, 0), 60),
            None
        );
    }

    #[test]
    fn counted_time_and_deadlines_agree() {
        let from = at(Shanghai, 2026, 11, 20, 13, 17);
        for secs in [0, 59, 3600, 9 * 3600, 9 * 3600 + 1, 40 * 3600 + 7] {
            let due = office().deadline(from, secs).unwrap();
            assert_eq!(office().counted_secs(from, due), secs, "{secs}");
        }
    }
}
