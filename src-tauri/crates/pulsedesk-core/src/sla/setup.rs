//! SLA configuration as the admin edits it: ordered policies and team calendars, validated
//! and turned into the [`SlaPolicy`] and [`WorkCalendar`] the clocks use.

use super::calendar::WorkCalendar;
use super::notice::SlaSettings;
use super::policy::{PolicyMatch, SlaPolicy};
use crate::config::SlaTarget;
use crate::error::DomainError;
use crate::ids::{CalendarId, PolicyId, TicketTypeId};
use crate::kinds::{Priority, Tier};
use crate::reason::Reason;
use crate::validate::{required, MAX_NAME, MAX_TARGET_MINUTES};
use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use ts_rs::TS;

/// Most holidays on one calendar.
pub const MAX_HOLIDAYS: usize = 400;
/// Most working intervals on one weekday.
pub const MAX_SPANS_PER_DAY: usize = 6;

/// A working interval of a weekday, local wall-clock "HH:MM" to "HH:MM" ("24:00" ends the day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DaySpan {
    pub from: String,
    pub to: String,
}

/// A team calendar as edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CalendarInput {
    pub name: String,
    /// IANA zone, e.g. "Asia/Shanghai".
    pub tz: String,
    /// Seven days, Monday first.
    pub week: Vec<Vec<DaySpan>>,
    /// "YYYY-MM-DD" dates with no working time.
    pub holidays: Vec<String>,
}

/// A saved team calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Calendar {
    pub id: CalendarId,
    #[serde(flatten)]
    pub spec: CalendarInput,
}

/// An SLA policy as edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PolicyInput {
    pub name: String,
    /// Empty = any priority.
    pub priorities: Vec<Priority>,
    /// Empty = any type.
    pub type_ids: Vec<TicketTypeId>,
    /// Empty = any tier.
    pub tiers: Vec<Tier>,
    pub first_response_minutes: u32,
    pub resolution_minutes: u32,
    pub near_percent: u8,
    pub pause_awaiting_reply: bool,
    /// `None` counts every hour.
    pub calendar_id: Option<CalendarId>,
}

/// A saved SLA policy; `position` orders them (first match wins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Policy {
    pub id: PolicyId,
    pub position: u32,
    #[serde(flatten)]
    pub spec: PolicyInput,
}

/// Everything the SLA admin screen edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SlaSetup {
    pub policies: Vec<Policy>,
    pub calendars: Vec<Calendar>,
    /// The per-priority defaults used when no policy matches.
    pub targets: Vec<SlaTarget>,
    pub settings: SlaSettings,
}

fn time(field: &'static str, s: &str) -> Result<NaiveTime, DomainError> {
    if s == "24:00" {
        return Ok(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN));
    }
    NaiveTime::parse_from_str(s, "%H:%M").map_err(|_| {
        DomainError::invalid(
            field,
            Reason::BadTime {
                value: s.to_string(),
            },
        )
    })
}

impl CalendarInput {
    /// Checks every field and builds the calendar.
    pub fn to_calendar(&self) -> Result<WorkCalendar, DomainError> {
        required("name", &self.name, MAX_NAME)?;
        let tz: Tz = self.tz.trim().parse().map_err(|_| {
            DomainError::invalid(
                "tz",
                Reason::BadTimeZone {
                    value: self.tz.clone(),
                },
            )
        })?;
        if self.week.len() != 7 {
            return Err(DomainError::invalid("week", Reason::WeekOfSevenDays));
        }
        let mut week: [Vec<(NaiveTime, NaiveTime)>; 7] = Default::default();
        for (day, spans) in self.week.iter().enumerate() {
            if spans.len() > MAX_SPANS_PER_DAY {
                return Err(DomainError::invalid(
                    "week",
                    Reason::TooMany {
                        max: MAX_SPANS_PER_DAY as u32,
                    },
                ));
            }
            let mut parsed: Vec<(NaiveTime, NaiveTime)> = spans
                .iter()
                .map(|s| Ok((time("week", &s.from)?, time("week", &s.to)?)))
                .collect::<Result<_, DomainError>>()?;
            parsed.sort();
            for (a, b) in &parsed {
                if a >= b {
                    return Err(DomainError::invalid(
                        "week",
                        Reason::SpanBackwards {
                            from: a.format("%H:%M").to_string(),
                            to: b.format("%H:%M").to_string(),
                        },
                    ));
                }
            }
            if parsed.windows(2).any(|w| w[1].0 < w[0].1) {
                return Err(DomainError::invalid("week", Reason::SpansOverlap));
            }
            week[day] = parsed;
        }
        if self.holidays.len() > MAX_HOLIDAYS {
            return Err(DomainError::invalid(
                "holidays",
                Reason::TooMany {
                    max: MAX_HOLIDAYS as u32,
                },
            ));
        }
        let holidays = self
            .holidays
            .iter()
            .map(|d| {
                NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| {
                    DomainError::invalid(
                        "holidays",
                        Reason::BadDate {
                            value: d.to_string(),
                        },
                    )
                })
            })
            .collect::<Result<BTreeSet<_>, _>>()?;
        Ok(WorkCalendar { tz, week, holidays })
    }
}

impl PolicyInput {
    /// Checks every field.
    pub fn validate(&self) -> Result<(), DomainError> {
        required("name", &self.name, MAX_NAME)?;
        for (field, v) in [
            ("first_response_minutes", self.first_response_minutes),
            ("resolution_minutes", self.resolution_minutes),
        ] {
            if v == 0 || v > MAX_TARGET_MINUTES {
                return Err(DomainError::invalid(
                    field,
                    Reason::OutOfRange {
                        min: 1,
                        max: i64::from(MAX_TARGET_MINUTES),
                    },
                ));
            }
        }
        if !(1..=100).contains(&self.near_percent) {
            return Err(DomainError::invalid(
                "near_percent",
                Reason::OutOfRange { min: 1, max: 100 },
            ));
        }
        Ok(())
    }

    /// The policy the clocks use.
    pub fn to_policy(&self) -> SlaPolicy {
        SlaPolicy {
            name: self.name.clone(),
            when: PolicyMatch {
                priorities: self.priorities.clone(),
                type_ids: self.type_ids.clone(),
                tiers: self.tiers.clone(),
            },
            first_response_minutes: self.first_response_minutes,
            resolution_minutes: self.resolution_minutes,
            near_percent: self.near_percent,
            pause_awaiting_reply: self.pause_awaiting_reply,
            calendar: self.calendar_id,
        }
    }
}

impl SlaSettings {
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.stale_minutes > 24 * 60 {
            return Err(DomainError::invalid(
                "stale_minutes",
                Reason::OutOfRange { min: 0, max: 1440 },
            ));
        }
        if self.reminder_minutes > 24 * 60 {
            return Err(DomainError::invalid(
                "reminder_minutes",
                Reason::OutOfRange { min: 0, max: 1440 },
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(a: &str, b: &str) -> DaySpan {
        DaySpan {
            from: a.into(),
            to: b.into(),
        }
    }

    fn office() -> CalendarInput {
        let day = vec![span("09:00", "12:00"), span("13:00", "18:00")];
        let mut week = vec![day; 5];
        week.extend([vec![], vec![]]);
        CalendarInput {
            name: "Shanghai office".into(),
            tz: "Asia/Shanghai".into(),
            week,
            holidays: vec!["2026-10-01".into()],
        }
    }

    fn field(e: DomainError) -> &'static str {
        match e {
            DomainError::Invalid { field, .. } => field,
            other => panic!("not invalid input: {other:?}"),
        }
    }

    #[test]
    fn a_sound_calendar_builds() {
        let c = office().to_calendar().unwrap();
        assert_eq!(c.tz, chrono_tz::Asia::Shanghai);
        assert_eq!(c.week[0].len(), 2);
        assert!(c.week[6].is_empty());
        assert_eq!(c.holidays.len(), 1);
    }

    #[test]
    fn calendar_mistakes_name_their_field() {
        let mut c = office();
        c.tz = "Mars/Olympus".into();
        assert_eq!(field(c.to_calendar().unwrap_err()), "tz");
        let mut c = office();
        c.week[2] = vec![span("18:00", "09:00")];
        assert_eq!(field(c.to_calendar().unwrap_err()), "week");
        let mut c = office();
        c.week[2] = vec![span("09:00", "13:00"), span("12:00", "18:00")];
        assert_eq!(field(c.to_calendar().unwrap_err()), "week");
        let mut c = office();
        c.week[0] = vec![span("9am", "5pm")];
        assert_eq!(field(c.to_calendar().unwrap_err()), "week");
        let mut c = office();
        c.week.pop();
        assert_eq!(field(c.to_calendar().unwrap_err()), "week");
        let mut c = office();
        c.holidays.push("2026-02-30".into());
        assert_eq!(field(c.to_calendar().unwrap_err()), "holidays");
        let mut c = office();
        c.name = "  ".into();
        assert_eq!(field(c.to_calendar().unwrap_err()), "name");
    }

    fn vip() -> PolicyInput {
        PolicyInput {
            name: "VIP".into(),
            priorities: vec![],
            type_ids: vec![],
            tiers: vec![Tier::Vip],
            first_response_minutes: 10,
            resolution_minutes: 120,
            near_percent: 80,
            pause_awaiting_reply: true,
            calendar_id: None,
        }
    }

    #[test]
    fn policy_limits_are_checked() {
        assert!(vip().validate().is_ok());
        let mut p = vip();
        p.first_response_minutes = 0;
        assert_eq!(field(p.validate().unwrap_err()), "first_response_minutes");
        let mut p = vip();
        p.resolution_minutes = MAX_TARGET_MINUTES + 1;
        assert_eq!(field(p.validate().unwrap_err()), "resolution_minutes");
        let mut p = vip();
        p.near_percent = 0;
        assert_eq!(field(p.validate().unwrap_err()), "near_percent");
        p.near_percent = 101;
        assert_eq!(field(p.validate().unwrap_err()), "near_percent");
        let p = vip().to_policy();
        assert_eq!(p.when.tiers, vec![Tier::Vip]);
        assert!(p.when.matches(Priority::Low, TicketTypeId(3), Tier::Vip));
    }

    #[test]
    fn settings_are_bounded() {
        assert!(SlaSettings::default().validate().is_ok());
        let s = SlaSettings {
            stale_minutes: 2000,
            reminder_minutes: 5,
        };
        assert_eq!(field(s.validate().unwrap_err()), "stale_minutes");
    }
}
