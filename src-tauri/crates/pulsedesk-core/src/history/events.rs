//! The log an imported ticket gets: the events the app would have written had the ticket
//! been worked in Pulsedesk, at the times the table gives. Folding them gives the row's
//! stage, assignee, first-response and resolution times.

use super::HistoryRow;
use crate::ids::UserId;
use crate::kinds::{Outcome, Stage};
use crate::ticket::state::TicketState;
use crate::ticket::EventKind;
use chrono::{DateTime, Duration, Utc};

/// One event of the log, with its time.
pub type Logged = (DateTime<Utc>, EventKind);

/// How far in the future a time may be (clocks differ a little).
const SKEW: i64 = 5;

/// The log for `row`, whose assignee was resolved to `assignee`; or why the row's facts do
/// not make a ticket's history (with the column at fault).
pub fn events(
    row: &HistoryRow,
    assignee: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<(Vec<Logged>, TicketState), (&'static str, String)> {
    let received = row.received_at;
    let late = now + Duration::minutes(SKEW);
    for (column, t) in [
        ("received_at", Some(received)),
        ("first_response_at", row.first_response_at),
        ("resolved_at", row.resolved_at),
    ] {
        if t.is_some_and(|t| t > late) {
            return Err((column, "is in the future".into()));
        }
    }
    if let Some(fr) = row.first_response_at {
        if fr < received {
            return Err(("first_response_at", "is before received_at".into()));
        }
    }
    if let Some(r) = row.resolved_at {
        if r < row.first_response_at.unwrap_or(received) {
            return Err((
                "resolved_at",
                "is before the ticket was received or first answered".into(),
            ));
        }
        if row.stage != Stage::Done {
            return Err((
                "resolved_at",
                format!("is set but the stage is {}, not done", row.stage),
            ));
        }
    }
    if row.outcome.is_some() && row.stage != Stage::Done {
        return Err(("outcome", "only a done ticket has an outcome".into()));
    }
    let needs_assignee = matches!(
        row.stage,
        Stage::ToContact | Stage::InProgress | Stage::AwaitingReply
    );
    if needs_assignee && assignee.is_none() {
        return Err((
            "assignee",
            format!("a ticket at stage {} needs its assignee", row.stage),
        ));
    }
    if row.stage == Stage::Unassigned && (assignee.is_some() || row.first_response_at.is_some()) {
        return Err((
            "stage",
            "an unassigned ticket has neither an assignee nor a first response".into(),
        ));
    }
    if row.stage == Stage::ToContact && row.first_response_at.is_some() {
        return Err((
            "stage",
            "a ticket answered already (first_response_at) is past to_contact".into(),
        ));
    }
    if matches!(row.stage, Stage::InProgress | Stage::AwaitingReply)
        && row.first_response_at.is_none()
    {
        return Err((
            "first_response_at",
            format!("a ticket at stage {} was answered: when?", row.stage),
        ));
    }
    if row.stage == Stage::Done && row.resolved_at.is_none() {
        return Err((
            "resolved_at",
            "a done ticket needs the time it was resolved".into(),
        ));
    }

    let mut log: Vec<Logged> = vec![(
        received,
        EventKind::Created {
            channel: row.channel,
            priority: row.priority,
            tier: row.tier,
        },
    )];
    let mut at_stage = Stage::Unassigned;
    let mut step = |log: &mut Vec<Logged>, at, to, outcome| {
        log.push((
            at,
            EventKind::StageChanged {
                from: at_stage,
                to,
                outcome,
            },
        ));
        at_stage = to;
    };
    if let Some(to) = assignee {
        log.push((
            received,
            EventKind::Assigned {
                from: None,
                to,
                why: None,
            },
        ));
        step(&mut log, received, Stage::ToContact, None);
    }
    if let Some(fr) = row.first_response_at {
        step(&mut log, fr, Stage::InProgress, None);
    }
    if row.stage == Stage::AwaitingReply {
        step(
            &mut log,
            row.first_response_at.unwrap_or(received),
            Stage::AwaitingReply,
            None,
        );
    }
    if let (Stage::Done, Some(r)) = (row.stage, row.resolved_at) {
        step(
            &mut log,
            r,
            Stage::Done,
            Some(row.outcome.unwrap_or(Outcome::Fully)),
        );
    }
    let mut state = TicketState::default();
    for (at, e) in &log {
        state.apply(*at, e);
    }
    Ok((log, state))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::{Channel, Priority, Tier};
    use chrono::TimeZone;

    fn t(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2023, 10, 1, h, m, 0)
            .single()
            .unwrap_or_default()
    }

    fn row(stage: Stage) -> HistoryRow {
        HistoryRow {
            number: "CS2023100101".into(),
            received_at: t(1, 5),
            channel: Channel::Phone,
            type_name: "投诉".into(),
            tier: Tier::Vip,
            priority: Priority::Urgent,
            assignee: Some("wang".into()),
            stage,
            outcome: None,
            subject: "核查".into(),
            description: String::new(),
            customer_name: "赵敏".into(),
            customer_phone: "13800001234".into(),
            customer_email: String::new(),
            departments: vec![],
            first_response_at: None,
            resolved_at: None,
        }
    }

    const NOW: fn() -> DateTime<Utc> = || t(12, 0);

    #[test]
    fn a_done_ticket_folds_to_the_tables_times() {
        let mut r = row(Stage::Done);
        r.first_response_at = Some(t(1, 17));
        r.resolved_at = Some(t(3, 0));
        let Ok((log, state)) = events(&r, Some(UserId(7)), NOW()) else {
            panic!()
        };
        assert_eq!(log.len(), 5, "{log:?}");
        assert_eq!(state.stage, Stage::Done);
        assert_eq!(state.assignee, Some(UserId(7)));
        assert_eq!(state.outcome, Some(Outcome::Fully));
        assert_eq!(state.timings.created_at, Some(t(1, 5)));
        assert_eq!(state.timings.first_response_at, Some(t(1, 17)));
        assert_eq!(state.timings.resolved_at, Some(t(3, 0)));
    }

    #[test]
    fn each_stage_gets_the_log_that_reaches_it() {
        let mut open = row(Stage::Unassigned);
        open.assignee = None;
        let Ok((log, s)) = events(&open, None, NOW()) else {
            panic!()
        };
        assert_eq!(
            (log.len(), s.stage, s.assignee),
            (1, Stage::Unassigned, None)
        );
        let Ok((_, s)) = events(&row(Stage::ToContact), Some(UserId(7)), NOW()) else {
            panic!()
        };
        assert_eq!(s.stage, Stage::ToContact);
        let mut waiting = row(Stage::AwaitingReply);
        waiting.first_response_at = Some(t(2, 0));
        let Ok((_, s)) = events(&waiting, Some(UserId(7)), NOW()) else {
            panic!()
        };
        assert_eq!(
            (s.stage, s.timings.first_response_at),
            (Stage::AwaitingReply, Some(t(2, 0)))
        );
        // A done ticket nobody was recorded on.
        let mut done = row(Stage::Done);
        done.resolved_at = Some(t(4, 0));
        done.outcome = Some(Outcome::NotResolved);
        let Ok((_, s)) = events(&done, None, NOW()) else {
            panic!()
        };
        assert_eq!(
            (s.stage, s.outcome, s.timings.first_response_at),
            (Stage::Done, Some(Outcome::NotResolved), None)
        );
    }

    #[test]
    fn facts_that_do_not_make_a_history_are_refused_with_the_column() {
        let col = |r: &HistoryRow, who: Option<UserId>| events(r, who, NOW()).err().map(|e| e.0);
        let mut r = row(Stage::InProgress);
        assert_eq!(col(&r, Some(UserId(7))), Some("first_response_at"));
        assert_eq!(col(&r, None), Some("assignee"));
        r.first_response_at = Some(t(0, 30));
        assert_eq!(
            col(&r, Some(UserId(7))),
            Some("first_response_at"),
            "before received"
        );
        let mut r = row(Stage::Done);
        assert_eq!(
            col(&r, Some(UserId(7))),
            Some("resolved_at"),
            "done needs resolved_at"
        );
        r.resolved_at = Some(t(13, 0));
        assert_eq!(
            col(&r, Some(UserId(7))),
            Some("resolved_at"),
            "in the future"
        );
        let mut r = row(Stage::InProgress);
        r.first_response_at = Some(t(2, 0));
        r.resolved_at = Some(t(3, 0));
        assert_eq!(
            col(&r, Some(UserId(7))),
            Some("resolved_at"),
            "resolved but not done"
        );
        let mut r = row(Stage::ToContact);
        r.first_response_at = Some(t(2, 0));
        assert_eq!(col(&r, Some(UserId(7))), Some("stage"));
        assert_eq!(col(&row(Stage::Unassigned), Some(UserId(7))), Some("stage"));
        let mut r = row(Stage::ToContact);
        r.outcome = Some(Outcome::Fully);
        assert_eq!(col(&r, Some(UserId(7))), Some("outcome"));
    }
}
