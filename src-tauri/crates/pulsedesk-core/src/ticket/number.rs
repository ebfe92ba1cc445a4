//! Ticket numbers: `CS` + local date (yyyymmdd) + per-day sequence, at least two digits.
//!
//! `CS2026112301` is the first ticket of 23 Nov 2026; the 100th that day is `CS20261123100`.
//! The date part has a fixed width, so widening the sequence never makes two numbers collide.

use chrono::NaiveDate;
use std::fmt;

/// A ticket's human-facing number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TicketNumber {
    day: NaiveDate,
    seq: u32,
}

impl TicketNumber {
    /// The number of the `seq`-th ticket (from 1) created on `day`.
    pub fn new(day: NaiveDate, seq: u32) -> Option<Self> {
        (seq >= 1).then_some(Self { day, seq })
    }
    /// The local day the ticket was created.
    pub fn day(&self) -> NaiveDate {
        self.day
    }
    /// Its position in that day.
    pub fn seq(&self) -> u32 {
        self.seq
    }
    /// The day key the per-day counter is stored under (`yyyymmdd`).
    pub fn day_key(day: NaiveDate) -> String {
        day.format("%Y%m%d").to_string()
    }
    /// Parses `CS` + 8-digit date + 2 or more digits.
    pub fn parse(s: &str) -> Option<Self> {
        let rest = s.strip_prefix("CS")?;
        if rest.len() < 10 || !rest.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let day = NaiveDate::parse_from_str(&rest[..8], "%Y%m%d").ok()?;
        let digits = &rest[8..];
        // A sequence below 100 is written with exactly two digits, so "CS20261123001" is not canonical.
        if digits.len() > 2 && digits.starts_with('0') {
            return None;
        }
        let seq: u32 = digits.parse().ok()?;
        Self::new(day, seq)
    }
}

impl fmt::Display for TicketNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CS{}{:02}", self.day.format("%Y%m%d"), self.seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn formats_like_the_seed() {
        assert_eq!(
            TicketNumber::new(day(2023, 10, 1), 1).unwrap().to_string(),
            "CS2023100101"
        );
        assert_eq!(
            TicketNumber::new(day(2026, 11, 23), 99)
                .unwrap()
                .to_string(),
            "CS2026112399"
        );
    }

    #[test]
    fn widens_past_99() {
        assert_eq!(
            TicketNumber::new(day(2026, 11, 23), 100)
                .unwrap()
                .to_string(),
            "CS20261123100"
        );
        assert_eq!(
            TicketNumber::new(day(2026, 11, 23), 12345)
                .unwrap()
                .to_string(),
            "CS2026112312345"
        );
    }

    #[test]
    fn sequence_starts_at_one() {
        assert!(TicketNumber::new(day(2026, 1, 1), 0).is_none());
    }

    #[test]
    fn parse_round_trips_and_rejects_junk() {
        for seq in [1, 9, 10, 99, 100, 101, 9999] {
            let n = TicketNumber::new(day(2026, 2, 28), seq).unwrap();
            assert_eq!(TicketNumber::parse(&n.to_string()), Some(n));
        }
        for bad in [
            "",
            "CS",
            "CS20261123",
            "CS202611231",
            "XX2026112301",
            "CS2026133101",
            "CS2026112301a",
            "CS20261123001",
        ] {
            assert_eq!(TicketNumber::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn numbers_of_different_days_never_collide() {
        let mut seen = std::collections::HashSet::new();
        for d in 1..=28 {
            for seq in 1..=150 {
                assert!(seen.insert(TicketNumber::new(day(2026, 2, d), seq).unwrap().to_string()));
            }
        }
    }

    #[test]
    fn day_key_is_compact_date() {
        assert_eq!(TicketNumber::day_key(day(2026, 11, 3)), "20261103");
    }
}
