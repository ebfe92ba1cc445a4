//! What this desktop's member sees of a batch of raised alerts.

use crate::notifier::Popup;
use chrono::{DateTime, FixedOffset, Utc};
use pulsedesk_core::ids::UserId;
use pulsedesk_core::kinds::Role;
use pulsedesk_core::sla::notice::{burst_text, concerns, muted, popup_text, Lang};
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

/// The pop-ups for alerts already chosen and claimed: one each, or one summary for a burst.
pub fn popups(viewer: &Viewer, chosen: &[&AlertRecord], offset: FixedOffset) -> Vec<Popup> {
    if chosen.len() > BURST {
        let breached = chosen
            .iter()
            .filter(|r| r.facts.due.key.level == AlertLevel::Breached)
            .count();
        let numbers: Vec<String> = chosen.iter().map(|r| r.facts.number.clone()).collect();
        let (summary, body) = burst_text(viewer.lang, breached, chosen.len() - breached, &numbers);
        return vec![Popup {
            summary,
            body,
            ticket: None,
            urgent: breached > 0,
        }];
    }
    chosen
        .iter()
        .map(|r| {
            let (summary, body) = popup_text(&r.facts, viewer.lang, offset);
            Popup {
                summary,
                body,
                ticket: Some(r.facts.due.key.ticket),
                urgent: r.facts.due.key.level == AlertLevel::Breached,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use pulsedesk_core::ids::TicketId;
    use pulsedesk_core::kinds::Tier;
    use pulsedesk_core::sla::notice::AlertFacts;
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
        let p = popups(&agent(None), &chosen, offset);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].summary, "5 SLA alerts");
        assert_eq!(p[0].ticket, None);
        let p = popups(&agent(None), &chosen[..3], offset);
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].ticket, Some(TicketId(1)));
        assert!(p[0].urgent);
    }
}
