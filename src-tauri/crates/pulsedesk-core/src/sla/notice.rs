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

/// When a ticket turns stale and until when it counts as such (docs/METRICS.md, "Stale"):
/// while the customer waits on the team (to contact, in progress), `stale_minutes` after
/// anyone last touched it (a stage move, a note, a reassignment) — and only until its SLA
/// clock breaches, when the red countdown says more than the flag could. `None` in other
/// stages, when the flag is off (0), or when the ticket would breach before turning stale.
pub fn stale_window(
    stage: Stage,
    updated_at: DateTime<Utc>,
    stale_minutes: u32,
    due_at: Option<DateTime<Utc>>,
) -> Option<(DateTime<Utc>, Option<DateTime<Utc>>)> {
    let waiting_on_us = matches!(stage, Stage::ToContact | Stage::InProgress);
    if !waiting_on_us || stale_minutes == 0 {
        return None;
    }
    let from = updated_at + Duration::minutes(i64::from(stale_minutes));
    match due_at {
        Some(due) if due <= from => None,
        due => Some((from, due)),
    }
}

/// Whether the ticket is stale at `now` (see [`stale_window`]).
pub fn is_stale(
    stage: Stage,
    updated_at: DateTime<Utc>,
    now: DateTime<Utc>,
    stale_minutes: u32,
    due_at: Option<DateTime<Utc>>,
) -> bool {
    stale_window(stage, updated_at, stale_minutes, due_at)
        .is_some_and(|(from, until)| now >= from && until.is_none_or(|u| now < u))
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

/// A time as a pop-up shows it: the clock time alone today, with its date on any other day.
pub fn when_text(at: DateTime<Utc>, now: DateTime<Utc>, lang: Lang, offset: FixedOffset) -> String {
    let local = at.with_timezone(&offset);
    if local.date_naive() == now.with_timezone(&offset).date_naive() {
        return local.format("%H:%M").to_string();
    }
    match lang {
        Lang::En => local.format("%Y-%m-%d %H:%M").to_string(),
        Lang::Zh => local.format("%Y年%-m月%-d日 %H:%M").to_string(),
    }
}

/// A pop-up's summary and body, in the member's language and local time: one for a ticket
/// whose clocks are due at the same moment (`facts` all of one ticket; the worst level
/// heads it, each clock is named with its due time).
pub fn popup_text(
    facts: &[&AlertFacts],
    lang: Lang,
    offset: FixedOffset,
    now: DateTime<Utc>,
) -> (String, String) {
    let Some(first) = facts.first() else {
        return (String::new(), String::new());
    };
    let breached = facts
        .iter()
        .any(|f| f.due.key.level == AlertLevel::Breached);
    let reminder = facts.iter().all(|f| f.due.repeat > 0);
    let mut clocks: Vec<&&AlertFacts> = facts.iter().collect();
    clocks.sort_by_key(|f| (f.due.key.clock != ClockKind::FirstResponse, f.due_at));
    clocks.dedup_by_key(|f| f.due.key.clock);
    match lang {
        Lang::En => {
            let head = match (breached, reminder) {
                (false, _) => "Near breach",
                (true, false) => "SLA breached",
                (true, true) => "Still breached",
            };
            let tier = match first.tier {
                Tier::Vip => "VIP",
                Tier::Normal => "Normal",
                Tier::Enterprise => "Enterprise",
            };
            let due: Vec<String> = clocks
                .iter()
                .map(|f| {
                    let what = match f.due.key.clock {
                        ClockKind::FirstResponse => "First response",
                        ClockKind::Resolution => "Resolution",
                    };
                    let verb = if f.due.key.level == AlertLevel::Breached {
                        "was due"
                    } else {
                        "due"
                    };
                    format!(
                        "{what} {verb} at {}",
                        when_text(f.due_at, now, lang, offset)
                    )
                })
                .collect();
            let who = first
                .assignee_name
                .as_deref()
                .map_or_else(|| "unassigned".to_string(), |n| format!("assigned to {n}"));
            (
                format!("{head}: {}", first.number),
                format!(
                    "{tier} customer · {} · {who}\n{}",
                    due.join(" · "),
                    first.subject
                ),
            )
        }
        Lang::Zh => {
            let head = match (breached, reminder) {
                (false, _) => "即将超时",
                (true, false) => "已超时",
                (true, true) => "仍超时",
            };
            let tier = match first.tier {
                Tier::Vip => "VIP",
                Tier::Normal => "普通",
                Tier::Enterprise => "企业",
            };
            let due: Vec<String> = clocks
                .iter()
                .map(|f| {
                    let what = match f.due.key.clock {
                        ClockKind::FirstResponse => "首次响应",
                        ClockKind::Resolution => "解决",
                    };
                    format!("{what}截止 {}", when_text(f.due_at, now, lang, offset))
                })
                .collect();
            let who = first
                .assignee_name
                .as_deref()
                .map_or_else(|| "未分配".to_string(), |n| format!("处理人 {n}"));
            (
                format!("{head}：{}", first.number),
                format!("{tier}客户 · {} · {who}\n{}", due.join("，"), first.subject),
            )
        }
    }
}

/// One pop-up for the breach reminders of an interval: how many tickets are still
/// breached, and the first few numbers.
pub fn reminder_text(lang: Lang, numbers: &[String]) -> (String, String) {
    let list = numbers_list(lang, numbers);
    match lang {
        Lang::En => (
            format!("Still breached: {} tickets", numbers.len()),
            format!("Their SLA targets have passed and they are still open\n{list}"),
        ),
        Lang::Zh => (
            format!("仍超时：{} 个工单", numbers.len()),
            format!("这些工单已超过 SLA 目标，仍未完成\n{list}"),
        ),
    }
}

/// The one pop-up at sign-in for the member's tickets already past their target, instead
/// of one per ticket (`numbers` longest overdue first).
pub fn greeting_text(lang: Lang, numbers: &[String]) -> (String, String) {
    let list = numbers_list(lang, numbers);
    let n = numbers.len();
    match lang {
        Lang::En => (
            if n == 1 {
                "1 ticket already breached".to_string()
            } else {
                format!("{n} tickets already breached")
            },
            format!("Past their SLA targets when you signed in, longest overdue first\n{list}"),
        ),
        Lang::Zh => (
            format!("{n} 个工单已超时"),
            format!("登录时已超过 SLA 目标，按超时时长排列\n{list}"),
        ),
    }
}

fn numbers_list(lang: Lang, numbers: &[String]) -> String {
    const SHOWN: usize = 6;
    let sep = match lang {
        Lang::En => ", ",
        Lang::Zh => "，",
    };
    let mut list = numbers
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(sep);
    if numbers.len() > SHOWN {
        list.push_str(sep);
        list.push('…');
    }
    list
}

/// One pop-up for a burst of alerts (after a sleep, or at start-up), instead of a storm:
/// how many breached and near breach, and the first few ticket numbers.
pub fn burst_text(
    lang: Lang,
    breached: usize,
    near: usize,
    numbers: &[String],
) -> (String, String) {
    let list = numbers_list(lang, numbers);
    match lang {
        Lang::En => (
            format!("{} tickets need attention", breached + near),
            format!("{breached} breached, {near} near breach\n{list}"),
        ),
        Lang::Zh => (
            format!("{} 个工单需要关注", breached + near),
            format!("{breached} 个已超时，{near} 个即将超时\n{list}"),
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
    fn the_sign_in_greeting_counts_and_lists_in_each_language() {
        let numbers: Vec<String> = (1..=8).map(|i| format!("CS202612070{i}")).collect();
        let (s, b) = greeting_text(Lang::Zh, &numbers);
        assert_eq!(s, "8 个工单已超时");
        assert!(b.ends_with("CS2026120706，…"), "{b}");
        let (s, b) = greeting_text(Lang::En, &numbers[..1]);
        assert_eq!(s, "1 ticket already breached");
        assert!(b.ends_with("\nCS2026120701"), "{b}");
        assert_eq!(
            greeting_text(Lang::En, &numbers[..2]).0,
            "2 tickets already breached"
        );
    }

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
    fn a_ticket_the_customer_waits_on_is_stale_after_exactly_its_minutes() {
        let updated = at(0);
        let stale = |stage, now, due| is_stale(stage, updated, now, 10, due);
        assert!(!stale(
            Stage::InProgress,
            at(10) - Duration::seconds(1),
            None
        ));
        assert!(stale(Stage::InProgress, at(10), None));
        assert!(stale(Stage::ToContact, at(60), None));
        assert!(!stale(Stage::Unassigned, at(60), None), "nobody has it yet");
        assert!(
            !stale(Stage::AwaitingReply, at(60), None),
            "the team waits on the customer"
        );
        assert!(!stale(Stage::Done, at(60), None));
        assert!(
            !is_stale(Stage::InProgress, updated, at(60), 0, None),
            "0 turns it off"
        );
    }

    #[test]
    fn a_breached_ticket_is_not_also_stale() {
        let updated = at(0);
        // Due at 30: stale from 10 until the breach, then the countdown is red instead.
        let due = Some(at(30));
        assert!(is_stale(Stage::InProgress, updated, at(20), 10, due));
        assert!(!is_stale(Stage::InProgress, updated, at(30), 10, due));
        assert!(!is_stale(Stage::InProgress, updated, at(600), 10, due));
        assert_eq!(
            stale_window(Stage::InProgress, updated, 10, Some(at(5))),
            None,
            "breached before it could turn stale"
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
        let near = facts(AlertLevel::NearBreach, 0);
        let (s, b) = popup_text(&[&near], Lang::En, shanghai, at(10));
        assert_eq!(s, "Near breach: CS2026112301");
        assert_eq!(
            b,
            "VIP customer · First response due at 10:10 · assigned to 李雷\nRefund not received"
        );
        let breached = facts(AlertLevel::Breached, 0);
        let (s, b) = popup_text(&[&breached], Lang::Zh, shanghai, at(10));
        assert_eq!(s, "已超时：CS2026112301");
        assert!(
            b.starts_with("VIP客户 · 首次响应截止 10:10 · 处理人 李雷"),
            "{b}"
        );
        let again = facts(AlertLevel::Breached, 2);
        let (s, _) = popup_text(&[&again], Lang::En, shanghai, at(10));
        assert_eq!(s, "Still breached: CS2026112301");
    }

    #[test]
    fn both_clocks_of_a_ticket_due_at_once_make_one_popup_naming_both() {
        let shanghai = FixedOffset::east_opt(8 * 3600).unwrap();
        let fr = facts(AlertLevel::Breached, 0);
        let mut res = facts(AlertLevel::Breached, 0);
        res.due.key.clock = ClockKind::Resolution;
        res.due_at = at(70);
        let (s, b) = popup_text(&[&res, &fr], Lang::En, shanghai, at(80));
        assert_eq!(s, "SLA breached: CS2026112301");
        assert!(
            b.starts_with(
                "VIP customer · First response was due at 10:10 · Resolution was due at 11:10 ·"
            ),
            "{b}"
        );
        let (_, b) = popup_text(&[&fr, &res], Lang::Zh, shanghai, at(80));
        assert!(
            b.starts_with("VIP客户 · 首次响应截止 10:10，解决截止 11:10 ·"),
            "{b}"
        );
    }

    #[test]
    fn a_due_time_on_another_day_carries_its_date() {
        let shanghai = FixedOffset::east_opt(8 * 3600).unwrap();
        let f = facts(AlertLevel::Breached, 1);
        let next_day = at(10) + Duration::days(1);
        let (_, b) = popup_text(&[&f], Lang::En, shanghai, next_day);
        assert!(b.contains("was due at 2026-11-23 10:10"), "{b}");
        let (_, b) = popup_text(&[&f], Lang::Zh, shanghai, next_day);
        assert!(b.contains("首次响应截止 2026年11月23日 10:10"), "{b}");
        assert_eq!(when_text(at(10), at(11), Lang::Zh, shanghai), "10:10");
    }

    #[test]
    fn a_burst_is_one_popup_with_counts_and_numbers() {
        let numbers: Vec<String> = (1..=8).map(|i| format!("CS202611230{i}")).collect();
        let (s, b) = burst_text(Lang::En, 5, 3, &numbers);
        assert_eq!(s, "8 tickets need attention");
        assert!(
            b.starts_with("5 breached, 3 near breach\nCS2026112301, "),
            "{b}"
        );
        assert!(b.ends_with("CS2026112306, …"), "{b}");
        let (s, b) = burst_text(Lang::Zh, 1, 0, &numbers[..1]);
        assert_eq!(s, "1 个工单需要关注");
        assert_eq!(b, "1 个已超时，0 个即将超时\nCS2026112301");
        let (s, b) = reminder_text(Lang::Zh, &numbers[..2]);
        assert_eq!(s, "仍超时：2 个工单");
        assert!(b.ends_with("CS2026112301，CS2026112302"), "{b}");
    }
}
