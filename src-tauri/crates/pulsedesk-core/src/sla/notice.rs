//! Who hears about an alert, when a pop-up is muted, what it says, and when a ticket is stale.

use super::alert::{AlertLevel, Due};
use super::clock::ClockKind;
use crate::ids::UserId;
use crate::kinds::{Role, Stage, Tier};
use chrono::{DateTime, Duration, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Whether the member signed in on this desktop should see an alert about a ticket held by
/// `assignee`: its assignee does, and every supervisor (who also hears about unassigned
/// tickets). Admins configure; they are not on the queue.
pub fn concerns(role: Role, user: UserId, assignee: Option<UserId>) -> bool {
    match role {
        Role::Supervisor => true,
        Role::Agent => assignee == Some(user),
        Role::Admin => false,
    }
}

/// Whether do-not-disturb (active until `dnd_until`) mutes this alert's pop-up: it mutes
/// near-breach warnings only; breaches and their reminders always show.
pub fn muted(level: AlertLevel, dnd_until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    level == AlertLevel::NearBreach && dnd_until.is_some_and(|until| now < until)
}

/// When a ticket in an active stage (assigned, not finished) turns stale: `stale_minutes`
/// after its last change. `None` for other stages, or when the flag is off (0).
pub fn stale_at(
    stage: Stage,
    updated_at: DateTime<Utc>,
    stale_minutes: u32,
) -> Option<DateTime<Utc>> {
    let active = matches!(
        stage,
        Stage::ToContact | Stage::InProgress | Stage::AwaitingReply
    );
    (active && stale_minutes > 0).then(|| updated_at + Duration::minutes(i64::from(stale_minutes)))
}

/// Whether the ticket is stale at `now` (see [`stale_at`]).
pub fn is_stale(
    stage: Stage,
    updated_at: DateTime<Utc>,
    now: DateTime<Utc>,
    stale_minutes: u32,
) -> bool {
    stale_at(stage, updated_at, stale_minutes).is_some_and(|t| now >= t)
}

/// The SLA options that are not per policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SlaSettings {
    /// An active ticket untouched this long is flagged stale.
    pub stale_minutes: u32,
    /// A breach pops up again this often while it lasts; 0 = never.
    pub reminder_minutes: u32,
}

impl Default for SlaSettings {
    fn default() -> Self {
        SlaSettings {
            stale_minutes: 10,
            reminder_minutes: 30,
        }
    }
}

/// How many of a member's open tickets are near breach and breached now (the tray).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SlaCounts {
    pub near_breach: u32,
    pub breached: u32,
}

/// The language of a pop-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

/// What a pop-up is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertFacts {
    pub number: String,
    pub subject: String,
    pub tier: Tier,
    pub due: Due,
    /// When the clock is (or was) due.
    pub due_at: DateTime<Utc>,
    pub assignee_name: Option<String>,
}

/// A pop-up's summary and body, in the member's language and local time.
pub fn popup_text(f: &AlertFacts, lang: Lang, offset: FixedOffset) -> (String, String) {
    let when = f.due_at.with_timezone(&offset).format("%H:%M");
    let level = f.due.key.level;
    let reminder = f.due.repeat > 0;
    match lang {
        Lang::En => {
            let head = match (level, reminder) {
                (AlertLevel::NearBreach, _) => "Near breach",
                (AlertLevel::Breached, false) => "SLA breached",
                (AlertLevel::Breached, true) => "Still breached",
            };
            let tier = match f.tier {
                Tier::Vip => "VIP",
                Tier::Normal => "Normal",
                Tier::Enterprise => "Enterprise",
            };
            let what = match f.due.key.clock {
                ClockKind::FirstResponse => "First response",
                ClockKind::Resolution => "Resolution",
            };
            let verb = if level == AlertLevel::Breached {
                "was due"
            } else {
                "due"
            };
            let who = f
                .assignee_name
                .as_deref()
                .map_or_else(|| "unassigned".to_string(), |n| format!("assigned to {n}"));
            (
                format!("{head}: {}", f.number),
                format!(
                    "{tier} customer · {what} {verb} at {when} · {who}\n{}",
                    f.subject
                ),
            )
        }
        Lang::Zh => {
            let head = match (level, reminder) {
                (AlertLevel::NearBreach, _) => "即将超时",
                (AlertLevel::Breached, false) => "已超时",
                (AlertLevel::Breached, true) => "仍超时",
            };
            let tier = match f.tier {
                Tier::Vip => "VIP",
                Tier::Normal => "普通",
                Tier::Enterprise => "企业",
            };
            let what = match f.due.key.clock {
                ClockKind::FirstResponse => "首次响应",
                ClockKind::Resolution => "解决",
            };
            let who = f
                .assignee_name
                .as_deref()
                .map_or_else(|| "未分配".to_string(), |n| format!("处理人 {n}"));
            (
                format!("{head}：{}", f.number),
                format!("{tier}客户 · {what}截止 {when} · {who}\n{}", f.subject),
            )
        }
    }
}

/// One pop-up for a burst of alerts (after a sleep, or at start-up), instead of a storm:
/// how many breached and near breach, and the first few ticket numbers.
pub fn burst_text(
    lang: Lang,
    breached: usize,
    near: usize,
    numbers: &[String],
) -> (String, String) {
    const SHOWN: usize = 6;
    let mut list = numbers
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if numbers.len() > SHOWN {
        list.push_str(match lang {
            Lang::En => ", …",
            Lang::Zh => "，…",
        });
    }
    match lang {
        Lang::En => (
            format!("{} SLA alerts", breached + near),
            format!("{breached} breached, {near} near breach\n{list}"),
        ),
        Lang::Zh => (
            format!("{} 条 SLA 预警", breached + near),
            format!("{breached} 条已超时，{near} 条即将超时\n{list}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::TicketId;
    use crate::sla::alert::AlertKey;
    use crate::ticket::fixtures::at;

    #[test]
    fn agents_hear_about_their_own_tickets_and_supervisors_about_all() {
        let me = UserId(3);
        assert!(concerns(Role::Agent, me, Some(me)));
        assert!(!concerns(Role::Agent, me, Some(UserId(4))));
        assert!(!concerns(Role::Agent, me, None));
        assert!(concerns(Role::Supervisor, me, None));
        assert!(concerns(Role::Supervisor, me, Some(UserId(4))));
        assert!(!concerns(Role::Admin, me, Some(me)));
    }

    #[test]
    fn do_not_disturb_mutes_near_breach_only_and_only_until_it_ends() {
        let until = Some(at(30));
        assert!(muted(AlertLevel::NearBreach, until, at(29)));
        assert!(!muted(AlertLevel::NearBreach, until, at(30)));
        assert!(!muted(AlertLevel::Breached, until, at(10)));
        assert!(!muted(AlertLevel::NearBreach, None, at(10)));
    }

    #[test]
    fn an_active_ticket_is_stale_after_exactly_its_minutes() {
        let updated = at(0);
        assert!(!is_stale(
            Stage::InProgress,
            updated,
            at(10) - Duration::seconds(1),
            10
        ));
        assert!(is_stale(Stage::InProgress, updated, at(10), 10));
        assert!(is_stale(Stage::ToContact, updated, at(60), 10));
        assert!(
            !is_stale(Stage::Unassigned, updated, at(60), 10),
            "not active yet"
        );
        assert!(!is_stale(Stage::Done, updated, at(60), 10));
        assert!(
            !is_stale(Stage::InProgress, updated, at(60), 0),
            "0 turns it off"
        );
    }

    fn facts(level: AlertLevel, repeat: u32) -> AlertFacts {
        AlertFacts {
            number: "CS2026112301".into(),
            subject: "Refund not received".into(),
            tier: Tier::Vip,
            due: Due {
                at: at(10),
                key: AlertKey {
                    ticket: TicketId(1),
                    clock: ClockKind::FirstResponse,
                    level,
                    round: 1,
                },
                repeat,
            },
            due_at: at(10),
            assignee_name: Some("李雷".into()),
        }
    }

    #[test]
    fn the_popup_names_ticket_tier_what_is_due_and_when() {
        let shanghai = FixedOffset::east_opt(8 * 3600).unwrap();
        let (s, b) = popup_text(&facts(AlertLevel::NearBreach, 0), Lang::En, shanghai);
        assert_eq!(s, "Near breach: CS2026112301");
        assert_eq!(
            b,
            "VIP customer · First response due at 10:10 · assigned to 李雷\nRefund not received"
        );
        let (s, b) = popup_text(&facts(AlertLevel::Breached, 0), Lang::Zh, shanghai);
        assert_eq!(s, "已超时：CS2026112301");
        assert!(
            b.starts_with("VIP客户 · 首次响应截止 10:10 · 处理人 李雷"),
            "{b}"
        );
        let (s, _) = popup_text(&facts(AlertLevel::Breached, 2), Lang::En, shanghai);
        assert_eq!(s, "Still breached: CS2026112301");
    }

    #[test]
    fn a_burst_is_one_popup_with_counts_and_numbers() {
        let numbers: Vec<String> = (1..=8).map(|i| format!("CS202611230{i}")).collect();
        let (s, b) = burst_text(Lang::En, 5, 3, &numbers);
        assert_eq!(s, "8 SLA alerts");
        assert!(
            b.starts_with("5 breached, 3 near breach\nCS2026112301, "),
            "{b}"
        );
        assert!(b.ends_with("CS2026112306, …"), "{b}");
        let (s, b) = burst_text(Lang::Zh, 1, 0, &numbers[..1]);
        assert_eq!(s, "1 条 SLA 预警");
        assert_eq!(b, "1 条已超时，0 条即将超时\nCS2026112301");
    }
}
