//! The SLA rule book: the admin's ordered policies, the per-priority defaults and the team
//! calendars, ready to compute any ticket's clocks.

use super::calendar::{Hours, WorkCalendar};
use super::clock::{compute_marks, marks, ClockKind, ClockMark, SlaClock};
use super::policy::{select, SlaPolicy};
use crate::config::{default_sla_targets, SlaTarget};
use crate::ids::{CalendarId, TicketTypeId};
use crate::kinds::{Priority, Tier};
use crate::ticket::TicketEvent;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct PolicyBook {
    ordered: Vec<SlaPolicy>,
    defaults: Vec<SlaPolicy>,
    calendars: HashMap<CalendarId, Hours>,
}

impl Default for PolicyBook {
    fn default() -> Self {
        PolicyBook::new(vec![], &default_sla_targets(), HashMap::new())
    }
}

impl PolicyBook {
    /// `targets` fill in priorities they do not name from the SPEC's defaults.
    pub fn new(
        ordered: Vec<SlaPolicy>,
        targets: &[SlaTarget],
        calendars: HashMap<CalendarId, WorkCalendar>,
    ) -> Self {
        let defaults = default_sla_targets()
            .into_iter()
            .map(|d| {
                let t = targets
                    .iter()
                    .find(|t| t.priority == d.priority)
                    .unwrap_or(&d);
                SlaPolicy::from_target(t)
            })
            .collect();
        PolicyBook {
            ordered,
            defaults,
            calendars: calendars
                .into_iter()
                .map(|(id, c)| (id, Hours::Calendar(c)))
                .collect(),
        }
    }

    /// The policy that applies to a ticket with these attributes.
    pub fn policy(&self, priority: Priority, type_id: TicketTypeId, tier: Tier) -> &SlaPolicy {
        // The defaults cover every priority, so a policy is always found.
        select(&self.ordered, &self.defaults, priority, type_id, tier).unwrap_or(&self.defaults[0])
    }

    /// The hours a policy counts; a policy naming a deleted calendar counts every hour.
    pub fn hours(&self, policy: &SlaPolicy) -> &Hours {
        policy
            .calendar
            .and_then(|id| self.calendars.get(&id))
            .unwrap_or(&Hours::Always)
    }

    /// Both clocks of a ticket at `now`.
    pub fn clocks(
        &self,
        priority: Priority,
        type_id: TicketTypeId,
        tier: Tier,
        events: &[TicketEvent],
        now: DateTime<Utc>,
    ) -> Vec<SlaClock> {
        self.clocks_from_marks(priority, type_id, tier, &marks(events), now)
    }

    /// Both clocks of a ticket at `now`, from its clock marks.
    pub fn clocks_from_marks(
        &self,
        priority: Priority,
        type_id: TicketTypeId,
        tier: Tier,
        marks: &[ClockMark],
        now: DateTime<Utc>,
    ) -> Vec<SlaClock> {
        let policy = self.policy(priority, type_id, tier);
        let hours = self.hours(policy);
        [ClockKind::FirstResponse, ClockKind::Resolution]
            .into_iter()
            .map(|kind| compute_marks(kind, policy, hours, marks, now))
            .collect()
    }
}

/// The clock a list shows: the running one that comes due first, else a paused one.
pub fn headline(clocks: &[SlaClock]) -> Option<&SlaClock> {
    clocks
        .iter()
        .filter(|c| c.stopped_at.is_none() && !c.paused)
        .min_by_key(|c| c.due_at)
        .or_else(|| clocks.iter().find(|c| c.paused))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::Stage;
    use crate::sla::calendar::WorkCalendar;
    use crate::sla::{ClockState, PolicyMatch};
    use crate::ticket::fixtures::{at, created, mv};
    use chrono::NaiveTime;

    #[test]
    fn configured_targets_override_the_defaults_per_priority() {
        let book = PolicyBook::new(
            vec![],
            &[SlaTarget {
                priority: Priority::High,
                first_response_minutes: 20,
                resolution_minutes: 100,
            }],
            HashMap::new(),
        );
        let high = book.policy(Priority::High, TicketTypeId(1), Tier::Normal);
        assert_eq!(high.first_response_minutes, 20);
        let low = book.policy(Priority::Low, TicketTypeId(1), Tier::Normal);
        assert_eq!(low.first_response_minutes, 24 * 60);
    }

    #[test]
    fn a_policy_with_a_calendar_counts_only_working_hours() {
        let office = WorkCalendar::weekdays(
            chrono_tz::Asia::Shanghai,
            NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            NaiveTime::from_hms_opt(18, 0, 0).unwrap(),
        );
        let vip = SlaPolicy {
            name: "VIP office hours".into(),
            when: PolicyMatch {
                tiers: vec![Tier::Vip],
                ..Default::default()
            },
            first_response_minutes: 60,
            resolution_minutes: 600,
            near_percent: 80,
            pause_awaiting_reply: true,
            calendar: Some(CalendarId(1)),
        };
        let book = PolicyBook::new(
            vec![vip],
            &default_sla_targets(),
            HashMap::from([(CalendarId(1), office)]),
        );
        // t0 is Monday 10:00 in Shanghai; 9 hours later it is 19:00, after closing.
        let clocks = book.clocks(
            Priority::High,
            TicketTypeId(1),
            Tier::Vip,
            &[created()],
            at(9 * 60),
        );
        assert_eq!(clocks[0].counted_secs, 8 * 3600, "10:00 to 18:00");
        assert_eq!(clocks[0].state, ClockState::Breached);
        // Resolution: 600 working minutes = 10 h; 8 h on Monday, 2 more on Tuesday from 09:00.
        assert_eq!(clocks[1].due_at, Some(at(23 * 60 + 2 * 60)));
    }

    #[test]
    fn the_headline_is_the_running_clock_due_first() {
        let book = PolicyBook::default();
        let events = vec![created()];
        let clocks = book.clocks(Priority::High, TicketTypeId(1), Tier::Vip, &events, at(1));
        assert_eq!(headline(&clocks).unwrap().kind, ClockKind::FirstResponse);
        let events = vec![
            created(),
            mv(1, Stage::Unassigned, Stage::ToContact),
            mv(2, Stage::ToContact, Stage::InProgress),
        ];
        let clocks = book.clocks(Priority::High, TicketTypeId(1), Tier::Vip, &events, at(3));
        assert_eq!(headline(&clocks).unwrap().kind, ClockKind::Resolution);
        let mut events = events;
        events.push(mv(4, Stage::InProgress, Stage::AwaitingReply));
        let clocks = book.clocks(Priority::High, TicketTypeId(1), Tier::Vip, &events, at(5));
        let h = headline(&clocks).unwrap();
        assert!(h.paused && h.kind == ClockKind::Resolution);
    }
}
