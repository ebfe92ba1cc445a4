//! What this desktop's member sees of a batch of raised alerts.

use crate::notifier::Popup;
use chrono::{DateTime, Duration, FixedOffset, Utc};
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::ids::UserId;
use pulsedesk_core::kinds::Role;
use pulsedesk_core::sla::notice::{
    burst_text, concerns, greeting_text, muted, popup_text, reminder_text, AlertFacts, Lang,
};
use pulsedesk_core::sla::AlertLevel;
use pulsedesk_store::AlertRecord;

/// More alerts than this at once become one summary pop-up.
pub const BURST: usize = 3;

/// The member signed in on this desktop, and how they want to be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub user: UserId,
    pub role: Role,
    pub lang: Lang,
    /// Near-breach pop-ups are muted until then.
    pub dnd_until: Option<DateTime<Utc>>,
}

/// Who is signed in now (nobody: no pop-ups; the records are still written).
pub trait Presence: Send + Sync {
    fn viewer(&self) -> Option<Viewer>;
}

/// The alerts of a batch this member should hear about: theirs (or, for a supervisor, all),
/// not muted, and a near-breach left out when the same clock also breached in the batch.
pub fn relevant<'a>(
    viewer: &Viewer,
    records: &'a [AlertRecord],
    now: DateTime<Utc>,
) -> Vec<&'a AlertRecord> {
    records
        .iter()
        .filter(|r| concerns(viewer.role, viewer.user, r.assignee))
        .filter(|r| !muted(r.facts.due.key.level, viewer.dnd_until, now))
        .filter(|r| {
            let k = r.facts.due.key;
            k.level != AlertLevel::NearBreach
                || !records.iter().any(|o| {
                    o.facts.due.key.level == AlertLevel::Breached
                        && o.facts.due.key.ticket == k.ticket
                        && o.facts.due.key.clock == k.clock
                })
        })
        .collect()
}

/// The chosen alerts grouped by ticket, in the order their tickets first appear.
fn by_ticket<'a>(chosen: &[&'a AlertRecord]) -> Vec<Vec<&'a AlertRecord>> {
    let mut groups: Vec<Vec<&AlertRecord>> = Vec::new();
    for r in chosen {
        let ticket = r.facts.due.key.ticket;
        match groups
            .iter_mut()
            .find(|g| g[0].facts.due.key.ticket == ticket)
        {
            Some(g) => g.push(r),
            None => groups.push(vec![r]),
        }
    }
    groups
}

fn breached(group: &[&AlertRecord]) -> bool {
    group
        .iter()
        .any(|r| r.facts.due.key.level == AlertLevel::Breached)
}

/// The pop-ups for alerts already chosen and claimed: one per ticket (naming every clock
/// due in the batch), or one summary when more than [`BURST`] tickets are due at once.
pub fn popups(
    viewer: &Viewer,
    chosen: &[&AlertRecord],
    offset: FixedOffset,
    now: DateTime<Utc>,
) -> Vec<Popup> {
    let groups = by_ticket(chosen);
    if groups.len() > BURST {
        let hot = groups.iter().filter(|g| breached(g)).count();
        let numbers: Vec<String> = groups.iter().map(|g| g[0].facts.number.clone()).collect();
        let (summary, body) = burst_text(viewer.lang, hot, groups.len() - hot, &numbers);
        return vec![Popup {
            summary,
            body,
            ticket: None,
            urgent: hot > 0,
        }];
    }
    groups
        .iter()
        .map(|g| {
            let facts: Vec<&AlertFacts> = g.iter().map(|r| &r.facts).collect();
            let (summary, body) = popup_text(&facts, viewer.lang, offset, now);
            Popup {
                summary,
                body,
                ticket: Some(g[0].facts.due.key.ticket),
                urgent: breached(g),
            }
        })
        .collect()
}

/// The one pop-up at sign-in for what is already breached and concerns `viewer` (of
/// `breached`: every open ticket past its target, longest overdue first), and the tickets
/// it told of. `None` when nothing concerns them.
pub fn greeting(
    viewer: &Viewer,
    breached: &[(TicketId, String, Option<UserId>)],
) -> Option<(Popup, Vec<TicketId>)> {
    let theirs: Vec<&(TicketId, String, Option<UserId>)> = breached
        .iter()
        .filter(|(_, _, assignee)| concerns(viewer.role, viewer.user, *assignee))
        .collect();
    if theirs.is_empty() {
        return None;
    }
    let numbers: Vec<String> = theirs.iter().map(|(_, n, _)| n.clone()).collect();
    let (summary, body) = greeting_text(viewer.lang, &numbers);
    let told: Vec<TicketId> = theirs.iter().map(|(id, _, _)| *id).collect();
    Some((
        Popup {
            summary,
            body,
            // One ticket opens itself; several open the app.
            ticket: (told.len() == 1).then(|| told[0]),
            urgent: true,
        },
        told,
    ))
}

/// Breach reminders wait here so that a member hears of them at most once per reminder
/// interval, in one pop-up, however the tickets' own reminders fall.
#[derive(Debug, Default)]
pub struct ReminderDigest {
    /// Still-breached tickets not yet told of, in the order they came.
    pending: Vec<AlertFacts>,
    last_shown: Option<DateTime<Utc>>,
}

impl ReminderDigest {
    /// Adds the reminders of a batch (alerts with `repeat > 0`).
    pub fn add(&mut self, reminders: &[&AlertRecord]) {
        for r in reminders {
            let id = r.facts.due.key.ticket;
            if !self.pending.iter().any(|f| f.due.key.ticket == id) {
                self.pending.push(r.facts.clone());
            }
        }
    }

    /// The member was just told of every breach (the sign-in greeting): what waits is
    /// dropped and the next reminder is one interval away.
    pub fn told(&mut self, now: DateTime<Utc>) {
        self.pending.clear();
        self.last_shown = Some(now);
    }

    /// The pop-up to show now, if reminders wait and the last one is `interval` old: the
    /// ticket's own for one ticket, a summary for several.
    pub fn take(
        &mut self,
        lang: Lang,
        offset: FixedOffset,
        now: DateTime<Utc>,
        interval: Duration,
    ) -> Option<Popup> {
        if self.pending.is_empty() || self.last_shown.is_some_and(|t| now - t < interval) {
            return None;
        }
        self.last_shown = Some(now);
        let pending = std::mem::take(&mut self.pending);
        let (summary, body, ticket) = match pending.as_slice() {
            [one] => {
                let (s, b) = popup_text(&[one], lang, offset, now);
                (s, b, Some(one.due.key.ticket))
            }
            many => {
                let numbers: Vec<String> = many.iter().map(|f| f.number.clone()).collect();
                let (s, b) = reminder_text(lang, &numbers);
                (s, b, None)
            }
        };
        Some(Popup {
            summary,
            body,
            ticket,
            urgent: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use pulsedesk_core::ids::TicketId;
    use pulsedesk_core::kinds::Tier;
    use pulsedesk_core::sla::{AlertKey, ClockKind, Due};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap()
    }

    fn rec(ticket: i64, level: AlertLevel, assignee: Option<i64>) -> AlertRecord {
        AlertRecord {
            facts: AlertFacts {
                number: format!("CS20261123{ticket:02}"),
                subject: "s".into(),
                tier: Tier::Vip,
                due: Due {
                    at: now(),
                    key: AlertKey {
                        ticket: TicketId(ticket),
                        clock: ClockKind::FirstResponse,
                        level,
                        round: 1,
                    },
                    repeat: 0,
                },
                due_at: now(),
                assignee_name: None,
            },
            assignee: assignee.map(UserId),
            newly_recorded: true,
        }
    }

    fn agent(dnd: Option<DateTime<Utc>>) -> Viewer {
        Viewer {
            user: UserId(5),
            role: Role::Agent,
            lang: Lang::En,
            dnd_until: dnd,
        }
    }

    #[test]
    fn an_agent_hears_only_about_their_own_tickets() {
        let recs = [
            rec(1, AlertLevel::NearBreach, Some(5)),
            rec(2, AlertLevel::NearBreach, Some(6)),
            rec(3, AlertLevel::Breached, None),
        ];
        let got = relevant(&agent(None), &recs, now());
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].facts.due.key.ticket, TicketId(1));
        let sup = Viewer {
            role: Role::Supervisor,
            ..agent(None)
        };
        assert_eq!(
            relevant(&sup, &recs, now()).len(),
            3,
            "supervisors hear of unassigned too"
        );
    }

    #[test]
    fn do_not_disturb_keeps_breaches() {
        let recs = [
            rec(1, AlertLevel::NearBreach, Some(5)),
            rec(2, AlertLevel::Breached, Some(5)),
        ];
        let later = Some(now() + chrono::Duration::minutes(30));
        let got = relevant(&agent(later), &recs, now());
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].facts.due.key.level, AlertLevel::Breached);
    }

    #[test]
    fn a_missed_near_breach_is_not_shown_beside_its_breach() {
        let recs = [
            rec(1, AlertLevel::NearBreach, Some(5)),
            rec(1, AlertLevel::Breached, Some(5)),
        ];
        let got = relevant(&agent(None), &recs, now());
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].facts.due.key.level, AlertLevel::Breached);
    }

    #[test]
    fn a_burst_becomes_one_popup() {
        let recs: Vec<_> = (1..=5)
            .map(|i| rec(i, AlertLevel::Breached, Some(5)))
            .collect();
        let chosen: Vec<_> = recs.iter().collect();
        let offset = FixedOffset::east_opt(8 * 3600).unwrap();
        let p = popups(&agent(None), &chosen, offset, now());
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].summary, "5 tickets need attention");
        assert_eq!(p[0].ticket, None);
        let p = popups(&agent(None), &chosen[..3], offset, now());
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].ticket, Some(TicketId(1)));
        assert!(p[0].urgent);
    }

    #[test]
    fn both_clocks_of_one_ticket_are_one_popup() {
        let fr = rec(1, AlertLevel::Breached, Some(5));
        let mut res = rec(1, AlertLevel::Breached, Some(5));
        res.facts.due.key.clock = ClockKind::Resolution;
        let offset = FixedOffset::east_opt(8 * 3600).unwrap();
        let p = popups(&agent(None), &[&fr, &res], offset, now());
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].body.contains("First response was due"),
            "{}",
            p[0].body
        );
        assert!(p[0].body.contains("Resolution was due"), "{}", p[0].body);
        // Four clocks of two tickets are two pop-ups, not a burst.
        let fr2 = rec(2, AlertLevel::NearBreach, Some(5));
        let mut res2 = rec(2, AlertLevel::NearBreach, Some(5));
        res2.facts.due.key.clock = ClockKind::Resolution;
        let p = popups(&agent(None), &[&fr, &res, &fr2, &res2], offset, now());
        assert_eq!(p.len(), 2);
        assert!(!p[1].urgent);
    }

    #[test]
    fn reminders_are_one_popup_per_interval() {
        let mut digest = ReminderDigest::default();
        let interval = Duration::minutes(30);
        let mut a = rec(1, AlertLevel::Breached, Some(5));
        a.facts.due.repeat = 1;
        let mut b = rec(2, AlertLevel::Breached, Some(5));
        b.facts.due.repeat = 3;
        let offset = FixedOffset::east_opt(8 * 3600).unwrap();
        digest.add(&[&a]);
        let first = digest.take(Lang::En, offset, now(), interval).unwrap();
        assert_eq!(
            first.ticket,
            Some(TicketId(1)),
            "one ticket: its pop-up opens it"
        );
        assert_eq!(first.summary, "Still breached: CS2026112301");
        // The next reminders within the interval wait, and come as one.
        digest.add(&[&b]);
        digest.add(&[&a, &b]);
        assert!(digest
            .take(Lang::En, offset, now() + Duration::minutes(29), interval)
            .is_none());
        let next = digest
            .take(Lang::En, offset, now() + Duration::minutes(30), interval)
            .unwrap();
        assert_eq!(next.summary, "Still breached: 2 tickets");
        assert_eq!(next.ticket, None);
        assert!(
            digest
                .take(Lang::En, offset, now() + Duration::minutes(90), interval)
                .is_none(),
            "nothing waits"
        );
    }
}
