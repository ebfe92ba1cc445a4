//! The scheduler's agenda: every pending alert of every open ticket, ordered by time, so
//! the scheduler sleeps until the next one instead of scanning tickets.
//!
//! * [`Agenda::set`] replaces one ticket's alerts (after any change to it or its policy).
//! * [`Agenda::take_due`] hands out everything due by `now`, each alert once. After a sleep
//!   or a wall-clock jump, the missed alerts come out together, once, and a breach's missed
//!   reminders collapse into one.
//! * A breach is repeated every `reminder` while the ticket stays as it is.

use super::alert::{AlertKey, AlertLevel, Due};
use crate::ids::TicketId;
use chrono::{DateTime, Duration, Utc};
use std::collections::{BTreeSet, HashMap, HashSet};

#[derive(Debug, Default)]
pub struct Agenda {
    queue: BTreeSet<Due>,
    by_ticket: HashMap<TicketId, Vec<Due>>,
    /// Alerts already handed out (or recorded before this agenda existed).
    done: HashSet<AlertKey>,
    reminder: Option<Duration>,
}

impl Agenda {
    /// An empty agenda; breaches repeat every `reminder` (never, if `None`).
    pub fn new(reminder: Option<Duration>) -> Self {
        Agenda {
            reminder: reminder.filter(|d| *d > Duration::zero()),
            ..Default::default()
        }
    }

    /// Marks alerts as already raised (say, found in the event log at start-up).
    pub fn mark_done(&mut self, keys: impl IntoIterator<Item = AlertKey>) {
        self.done.extend(keys);
    }

    /// Replaces the pending alerts of `ticket` with `dues` (its base alerts, repeat 0).
    /// Alerts already raised are skipped; a raised breach gets its next reminder after `now`.
    pub fn set(&mut self, ticket: TicketId, dues: Vec<Due>, now: DateTime<Utc>) {
        self.remove(ticket);
        let mut pending = Vec::with_capacity(dues.len());
        for d in dues {
            if !self.done.contains(&d.key) {
                pending.push(d);
            } else if let Some(r) = self.next_reminder(d, now) {
                pending.push(r);
            }
        }
        for d in &pending {
            self.queue.insert(*d);
        }
        if !pending.is_empty() {
            self.by_ticket.insert(ticket, pending);
        }
    }

    /// Drops a ticket's pending alerts (it was finished, or is no longer watched). What it
    /// already raised stays raised.
    pub fn remove(&mut self, ticket: TicketId) {
        if let Some(old) = self.by_ticket.remove(&ticket) {
            for d in old {
                self.queue.remove(&d);
            }
        }
    }

    /// When the next alert is due.
    pub fn next_at(&self) -> Option<DateTime<Utc>> {
        self.queue.first().map(|d| d.at)
    }

    /// How many alerts are pending.
    pub fn len(&self) -> usize {
        self.queue.len()
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// Everything due at or before `now`, oldest first, each once.
    pub fn take_due(&mut self, now: DateTime<Utc>) -> Vec<Due> {
        let mut out = Vec::new();
        while let Some(d) = self.queue.first().copied() {
            if d.at > now {
                break;
            }
            self.queue.remove(&d);
            self.done.insert(d.key);
            let reminder = self.next_reminder(d, now);
            let list = self.by_ticket.entry(d.key.ticket).or_default();
            list.retain(|x| *x != d);
            if let Some(r) = reminder {
                self.queue.insert(r);
                list.push(r);
            }
            if list.is_empty() {
                self.by_ticket.remove(&d.key.ticket);
            }
            out.push(d);
        }
        out
    }

    /// A breach's first reminder strictly after `now`, counted from the base alert's time.
    fn next_reminder(&self, d: Due, now: DateTime<Utc>) -> Option<Due> {
        let every = self.reminder?;
        if d.key.level != AlertLevel::Breached {
            return None;
        }
        let base = d.at - every * d.repeat as i32;
        let elapsed = (now - base).num_milliseconds().max(0);
        let step = every.num_milliseconds().max(1);
        let n = u32::try_from(elapsed / step + 1).unwrap_or(u32::MAX);
        Some(Due {
            at: base + every * n as i32,
            key: d.key,
            repeat: n,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sla::alert::AlertKey;
    use crate::sla::ClockKind;
    use crate::ticket::fixtures::at;

    fn due(ticket: i64, level: AlertLevel, min: i64) -> Due {
        Due {
            at: at(min),
            key: AlertKey {
                ticket: TicketId(ticket),
                clock: ClockKind::Resolution,
                level,
                round: 1,
            },
            repeat: 0,
        }
    }

    fn pair(ticket: i64, near: i64, breach: i64) -> Vec<Due> {
        vec![
            due(ticket, AlertLevel::NearBreach, near),
            due(ticket, AlertLevel::Breached, breach),
        ]
    }

    #[test]
    fn alerts_come_out_in_time_order_and_only_when_due() {
        let mut a = Agenda::new(None);
        a.set(TicketId(1), pair(1, 8, 10), at(0));
        a.set(TicketId(2), pair(2, 4, 5), at(0));
        assert_eq!(a.next_at(), Some(at(4)));
        assert!(a.take_due(at(3)).is_empty());
        let got = a.take_due(at(8));
        let order: Vec<_> = got.iter().map(|d| (d.key.ticket.0, d.at)).collect();
        assert_eq!(order, vec![(2, at(4)), (2, at(5)), (1, at(8))]);
        assert_eq!(a.next_at(), Some(at(10)));
    }

    #[test]
    fn an_alert_is_handed_out_once_even_when_the_ticket_is_set_again() {
        let mut a = Agenda::new(None);
        a.set(TicketId(1), pair(1, 8, 10), at(0));
        assert_eq!(a.take_due(at(8)).len(), 1);
        // A note on the ticket recomputes its clocks: the near-breach is not raised again.
        a.set(TicketId(1), pair(1, 8, 10), at(9));
        assert_eq!(a.take_due(at(9)).len(), 0);
        assert_eq!(a.take_due(at(10)).len(), 1);
    }

    #[test]
    fn a_wall_clock_jump_fires_what_was_missed_once() {
        let mut a = Agenda::new(Some(Duration::minutes(5)));
        a.set(TicketId(1), pair(1, 8, 10), at(0));
        // The machine slept from minute 1 to minute 60.
        let missed = a.take_due(at(60));
        assert_eq!(missed.len(), 2, "near-breach and breach, once each");
        assert!(missed.iter().all(|d| d.repeat == 0));
        // Ten reminders were missed too; only the next one is pending, after the jump.
        assert_eq!(a.next_at(), Some(at(65)));
        assert!(a.take_due(at(60)).is_empty());
        let r = a.take_due(at(65));
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].repeat, 11);
    }

    #[test]
    fn a_backwards_jump_does_not_refire() {
        let mut a = Agenda::new(None);
        a.set(TicketId(1), pair(1, 8, 10), at(0));
        assert_eq!(a.take_due(at(9)).len(), 1);
        assert!(a.take_due(at(2)).is_empty());
        a.set(TicketId(1), pair(1, 8, 10), at(2));
        assert!(a.take_due(at(9)).is_empty());
        assert_eq!(a.take_due(at(11)).len(), 1);
    }

    #[test]
    fn breaches_repeat_at_the_reminder_interval_until_the_ticket_leaves() {
        let mut a = Agenda::new(Some(Duration::minutes(15)));
        a.set(TicketId(1), pair(1, 8, 10), at(0));
        assert_eq!(a.take_due(at(10)).len(), 2);
        let r1 = a.take_due(at(25));
        assert_eq!((r1.len(), r1[0].repeat), (1, 1));
        let r2 = a.take_due(at(40));
        assert_eq!((r2.len(), r2[0].repeat), (1, 2));
        a.remove(TicketId(1));
        assert!(a.is_empty());
        assert!(a.take_due(at(1000)).is_empty());
    }

    #[test]
    fn a_raised_breach_resumes_reminders_after_a_restart() {
        let mut a = Agenda::new(Some(Duration::minutes(15)));
        let d = pair(1, 8, 10);
        a.mark_done(d.iter().map(|d| d.key));
        a.set(TicketId(1), d, at(30));
        let next: Vec<_> = a
            .take_due(at(40))
            .iter()
            .map(|d| (d.at, d.repeat))
            .collect();
        assert_eq!(next, vec![(at(40), 2)]);
    }

    #[test]
    fn a_retarget_moves_pending_alerts() {
        let mut a = Agenda::new(None);
        a.set(TicketId(1), pair(1, 8, 10), at(0));
        a.set(TicketId(1), pair(1, 40, 50), at(0));
        assert_eq!(a.len(), 2);
        assert!(a.take_due(at(20)).is_empty());
        assert_eq!(a.next_at(), Some(at(40)));
    }
}
