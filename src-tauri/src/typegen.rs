//! Generates `ui/src/api/types.ts` from the Rust types the UI exchanges with the shell.
//! The test fails when the file is stale; `PULSEDESK_WRITE_TYPES=1 cargo test -p pulsedesk typegen`
//! (or `scripts/gen-types.sh`) rewrites it.

use ts_rs::{Config, TS};

macro_rules! decls {
    ($cfg:expr; $($t:ty),+ $(,)?) => {
        vec![$(format!("export {}", <$t as TS>::decl($cfg))),+]
    };
}

fn generate() -> String {
    use pulsedesk_core::{
        config::*, ids::*, kinds::*, permissions::Actor, sla, ticket::*, view::*,
    };
    let cfg = Config::new().with_large_int("number");
    let cfg = &cfg;
    let mut out = String::from(
        "// Generated from the Rust types by src-tauri/src/typegen.rs. Do not edit by hand.\n\n",
    );
    let decls = decls![cfg;
        UserId, TicketId, CustomerId, TicketTypeId, NoteId, PolicyId, CalendarId,
        Role, Channel, Priority, Tier, Stage, Outcome, Department, NoteAudience,
        Actor, Account, AssigneeFilter, TimeField, TimeWindow, PoolQuery, PoolRow, PoolPage,
        CustomerView, NewCustomer, CustomerChoice, NewTicket, NoteView, TimelineEntry,
        AllowedActions, TicketDetail, TicketRef, Catalog,
        EventKind, TicketEvent, timings::StageDuration, TicketCommand, pulsedesk_core::command::Command,
        pulsedesk_core::sla::ClockKind, pulsedesk_core::sla::ClockState, pulsedesk_core::sla::SlaClock,
        pulsedesk_core::sla::AlertLevel, SlaBadge,
        sla::notice::SlaSettings, sla::notice::SlaCounts,
        sla::setup::DaySpan, sla::setup::CalendarInput, sla::setup::Calendar,
        sla::setup::PolicyInput, sla::setup::Policy, sla::setup::SlaSetup,
        crate::alerts::AlertStatus, crate::alerts::OpenTicket,
        TicketType, TicketTypeInput, SlaTarget, Member, MemberInput, WorkspaceConfig,
        crate::error::ApiError, crate::commands::session::Bootstrap,
        crate::commands::prefs::LocalePref, crate::events::TicketChanged,
        TransferId, Presence, WaitReason, TransferStatus,
        pulsedesk_core::assign::AssignRules, pulsedesk_core::assign::TypeSkills,
        pulsedesk_core::assign::TierPreference, pulsedesk_core::assign::Decision,
        pulsedesk_core::assign::AssignWhy, pulsedesk_core::assign::Score,
        pulsedesk_core::assign::Rule, pulsedesk_core::assign::transfer::TransferView,
        pulsedesk_core::assign::transfer::TransferDecision,
        crate::assigning::PresenceStatus,
        crate::tasks::TaskName, crate::tasks::TaskTrouble,
        pulsedesk_core::reason::Reason, pulsedesk_core::reason::Permission,
        pulsedesk_core::reason::Feature, pulsedesk_core::reason::MoveHint,
        pulsedesk_core::validate::FieldProblem,
        crate::team::ConnectInput, crate::team::TeamInfo,
        pulsedesk_sync::SyncStatus, pulsedesk_sync::Link, pulsedesk_store::Rejection,
        crate::team::observer::TicketRenumbered,
        pulsedesk_core::board::Board, pulsedesk_core::board::PeriodFigures,
        pulsedesk_core::board::PeriodKey, pulsedesk_core::board::DayRange,
        pulsedesk_core::board::Average, pulsedesk_core::board::StageCount,
        pulsedesk_core::board::TypeCount, pulsedesk_core::board::AgentFigures,
        pulsedesk_core::board::Waiting, pulsedesk_core::board::NearBreach,
        pulsedesk_core::board::SlaAttainment, pulsedesk_core::board::Verdicts,
        pulsedesk_core::tables::TableFormat, pulsedesk_core::tables::ReportFormat,
        pulsedesk_core::tables::tracking::TrackingPage,
        pulsedesk_core::tables::tracking::TrackingRow, pulsedesk_core::tables::tracking::Response,
        pulsedesk_core::review::WeeklyReview, pulsedesk_core::review::BreachReason,
        pulsedesk_core::review::ReasonCount, pulsedesk_core::review::ProblemCount,
        pulsedesk_core::review::Trend, pulsedesk_core::review::WeekFigures,
        pulsedesk_core::review::MonthlyReport, pulsedesk_core::review::MonthFigures,
        pulsedesk_core::review::Share,
        SurveyId, MeasureId,
        pulsedesk_core::feedback::Tenths, pulsedesk_core::feedback::Scores,
        pulsedesk_core::feedback::Answer, pulsedesk_core::feedback::SurveyStatus,
        pulsedesk_core::feedback::AnswerSource, pulsedesk_core::feedback::SurveyView,
        pulsedesk_core::feedback::FollowUpLink, pulsedesk_core::feedback::FollowUpReason,
        pulsedesk_core::feedback::FollowUpRule, pulsedesk_core::feedback::FeedbackSettings,
        pulsedesk_core::feedback::FeedbackFigures, pulsedesk_core::feedback::FeedbackGroup,
        pulsedesk_core::feedback::FeedbackRow, pulsedesk_core::feedback::FeedbackOverview,
        pulsedesk_store::ImportReport, pulsedesk_store::ImportLine,
        pulsedesk_core::review::ProblemWords, pulsedesk_core::review::FrequentProblem,
        pulsedesk_core::review::TypeShare,
        pulsedesk_core::measures::Metric, pulsedesk_core::measures::Target,
        pulsedesk_core::measures::MeasureStatus, pulsedesk_core::measures::MeasureInput,
        pulsedesk_core::measures::Measure, pulsedesk_core::measures::Evaluation,
        pulsedesk_core::measures::Windows, pulsedesk_core::measures::Comparison,
        pulsedesk_core::measures::TargetResult, pulsedesk_core::measures::Verdict,
    ];
    for d in decls {
        out.push_str(&d);
        out.push_str("\n\n");
    }
    out.push_str(&format!(
        "export const TICKET_CHANGED = {:?};\n",
        crate::events::TICKET_CHANGED
    ));
    out.push_str(&format!(
        "export const FEEDBACK_CHANGED = {:?};\n",
        crate::events::FEEDBACK_CHANGED
    ));
    out.push_str(&format!(
        "export const OPEN_TICKET = {:?};\n",
        crate::alerts::OPEN_TICKET
    ));
    out.push_str(&format!(
        "export const SLA_STATUS = {:?};\n",
        crate::alerts::SLA_STATUS
    ));
    out.push_str(&format!(
        "export const PRESENCE = {:?};\n",
        crate::assigning::PRESENCE
    ));
    out.push_str(&format!(
        "export const TRANSFERS_CHANGED = {:?};\n",
        crate::assigning::TRANSFERS_CHANGED
    ));
    out.push_str(&format!(
        "export const SYNC_STATUS = {:?};\n",
        crate::team::observer::SYNC_STATUS
    ));
    out.push_str(&format!(
        "export const TICKET_RENUMBERED = {:?};\n",
        crate::team::observer::TICKET_RENUMBERED
    ));
    {
        use pulsedesk_core::validate::{MAX_DESCRIPTION, MAX_NAME, MAX_NOTE, MAX_SUBJECT};
        out.push_str(&format!(
            "export const LIMITS = {{ subject: {MAX_SUBJECT}, description: {MAX_DESCRIPTION}, note: {MAX_NOTE}, name: {MAX_NAME} }} as const;\n"
        ));
    }
    {
        // The tracking table's column headings, the screen's and the exported files' alike.
        use pulsedesk_core::sla::notice::Lang;
        use pulsedesk_core::tables::tracking::headers;
        let list = |lang| {
            headers(lang)
                .iter()
                .map(|h| format!("{h:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push_str(&format!(
            "export const TRACKING_HEADERS = {{ 'zh-CN': [{}], en: [{}] }} as const;\n",
            list(Lang::Zh),
            list(Lang::En)
        ));
    }
    out.push_str(&format!(
        "export const LOCALE_CHANGED = {:?};\n",
        crate::commands::board::LOCALE_CHANGED
    ));
    out.push_str(&format!(
        "export const BACKGROUND_TROUBLE = {:?};\n",
        crate::background::TROUBLE
    ));
    out.push_str(&format!(
        "export const TEAM_CONFIG_CHANGED = {:?};\n",
        crate::team::observer::TEAM_CONFIG_CHANGED
    ));
    out
}

#[test]
fn typescript_types_are_fresh() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/api/types.ts");
    let want = generate();
    if std::env::var_os("PULSEDESK_WRITE_TYPES").is_some() {
        std::fs::write(&path, &want).expect("write types.ts");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "ui/src/api/types.ts is stale: run scripts/gen-types.sh and commit the result"
    );
}
