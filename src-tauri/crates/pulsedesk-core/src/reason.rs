//! Why a change was refused, as a stable code with its parameters. The UI shows each in
//! the member's language (`ui/src/i18n/*`: `reason.<code>`); the English text here is for
//! logs, the command line and the server's records.

use crate::kinds::{Priority, Stage, Tier, TransferStatus};
use crate::measures::Metric;
use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;

/// Something a member may be refused (the [`crate::permissions::Action`] without its data).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    ViewPool,
    ViewTeam,
    ViewTicket,
    CreateTicket,
    WorkTicket,
    AddNote,
    ClaimTicket,
    AssignTicket,
    RequestTransfer,
    RevealPii,
    Configure,
    RecordFeedback,
    ImportFeedback,
    ManageMeasures,
}

/// What an embedded workspace offers that a team's desktop does not yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    Feedback,
    FeedbackRules,
    Surveys,
    FeedbackImport,
    AutomaticAssignment,
    Transfers,
    AssignmentRules,
    Measures,
    Setup,
    WorkspaceExport,
}

/// A refusal: the code says what is wrong, the fields what the member needs to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    // --- a value in a form
    /// The field must be filled in.
    Required,
    /// Longer than allowed (in characters).
    TooLong {
        max: u32,
        len: u32,
    },
    /// More items than allowed.
    TooMany {
        max: u32,
    },
    /// A number outside its range.
    OutOfRange {
        min: i64,
        max: i64,
    },
    /// Neither a phone number nor an e-mail address was given.
    ContactNeeded,
    /// Not a phone number (mainland mobile, landline with area code, or `+` international).
    BadPhone,
    BadEmail,
    /// Not a time like 09:00.
    BadTime {
        value: String,
    },
    BadTimeZone {
        value: String,
    },
    /// Not a date like 2026-10-01.
    BadDate {
        value: String,
    },
    /// Not a whole score from 1 to 5 (a file's cell).
    NotAScore {
        value: String,
    },
    /// Not yes or no (是/否) (a file's cell).
    NotYesNo {
        value: String,
    },
    /// Not a time like 2026-03-02 14:30 (a file's cell), or one the local clock skips.
    NotATimestamp {
        value: String,
    },
    /// A working week lists seven days, Monday first.
    WeekOfSevenDays,
    /// A working interval ends before it starts.
    SpanBackwards {
        from: String,
        to: String,
    },
    SpansOverlap,
    /// The resolution target is shorter than the first-response target.
    ResolutionBeforeResponse,
    /// A time window ends before it starts.
    WindowBackwards,
    /// A measure's deadline is before it starts.
    DeadlineBeforeStart,
    /// A measure needs at least one numeric target.
    TargetNeeded,
    /// A measure's target outside what its metric can be.
    TargetOutOfRange {
        metric: Metric,
        min: i64,
        max: i64,
    },
    TargetTwice {
        metric: Metric,
    },
    /// An assignment rule names a ticket type that does not exist, or twice.
    UnknownTicketType {
        id: i64,
    },
    TicketTypeTwice {
        id: i64,
    },
    TierTwice {
        tier: Tier,
    },
    /// A rule names a skill no member has.
    UnknownSkill {
        skill: String,
    },
    UnknownCalendar,
    /// The new order must list every SLA policy exactly once.
    PolicyOrderIncomplete,
    /// The team needs at least one active admin.
    LastAdmin,
    /// The ticket type is switched off.
    TypeSwitchedOff,
    /// The member is switched off.
    MemberSwitchedOff,
    /// A file too large to read.
    FileTooLarge {
        max_mib: u32,
    },
    /// The file is not a CSV table this app can read.
    NotCsv {
        detail: String,
    },
    /// Required columns are missing from the file.
    MissingColumns {
        columns: Vec<String>,
    },
    /// SLA policies still use the calendar.
    CalendarInUse {
        policies: u32,
    },
    /// Already used by another one (a name, a login).
    Taken,
    /// The same value is listed twice.
    ListedTwice {
        value: String,
    },
    /// A day range longer than a view reads (use a report instead).
    RangeTooLong {
        max: u32,
    },
    /// A day range that starts after today.
    RangeInFuture,

    // --- workflow
    /// A stage move the workflow does not allow.
    IllegalMove {
        from: Stage,
        to: Stage,
        hint: MoveHint,
    },
    /// Finishing needs an outcome: fully, partially or not resolved.
    OutcomeNeeded,
    ReopenReasonNeeded,
    AlreadyPriority {
        priority: Priority,
    },
    FinishedKeepsPriority,
    FinishedNotAssignable,
    FinishedNotTransferable,
    TransferPending,
    RequestDecided {
        status: TransferStatus,
    },
    TransferToRequester,
    AdminsTakeNoTickets,
    AlreadyAssignedTo,
    NoSurveyYet,

    // --- permissions
    Forbidden {
        action: Permission,
    },

    // --- someone else acted first
    AlreadyTaken,
    /// The ticket went to someone else meanwhile.
    WentElsewhere,
    CapReached {
        name: String,
        open: u32,
        cap: u32,
    },
    ChangedMeanwhile,
    AnswerOnRecord,
    SurveyExpired,
    SurveyAnswered,
    SurveySuperseded,
    NoSurveySent,
    NotOnServerYet,
    CustomerNotOnServerYet,
    /// The command came from a member whose account is switched off.
    AccountDisabled,
    /// The team service did not answer in time (not running, or far behind).
    ServiceSilent,
    /// The team service could not read the submitted command (a newer desktop's, or one
    /// typed by hand).
    UnreadableCommand {
        detail: String,
    },
    /// Only changes to a ticket are run this way (not, say, a new ticket or a reveal).
    NotATicketChange {
        command: String,
    },

    // --- not in this kind of workspace
    NotInTeamMode {
        feature: Feature,
    },
    NotEmbedded,
}

/// Why a stage move is not part of the workflow, and what to do instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MoveHint {
    SameStage,
    AssignFirst,
    ReopenInstead,
    ReassignInstead,
    NoAssignee,
    ContactFirst,
    AlreadyContacted,
    NotAStep,
    OnlyFinishedReopen,
}

impl MoveHint {
    fn text(self) -> &'static str {
        match self {
            MoveHint::SameStage => "the ticket is already in that stage",
            MoveHint::AssignFirst => "assign the ticket first; assignment moves it to 待联系客户",
            MoveHint::ReopenInstead => "a finished ticket can only be reopened (二次处理)",
            MoveHint::ReassignInstead => "a ticket leaves its assignee only by reassignment",
            MoveHint::NoAssignee => "the ticket has no assignee",
            MoveHint::ContactFirst => "contact the customer first (处理中)",
            MoveHint::AlreadyContacted => "the customer has already been contacted",
            MoveHint::NotAStep => "that step is not part of the workflow",
            MoveHint::OnlyFinishedReopen => "only a finished ticket can be reopened",
        }
    }
}

impl Permission {
    fn text(self) -> &'static str {
        match self {
            Permission::ViewPool => "viewing the pool",
            Permission::ViewTeam => "team-wide views are for supervisors and admins",
            Permission::ViewTicket => "this ticket is assigned to someone else",
            Permission::CreateTicket => "creating tickets",
            Permission::WorkTicket => "only the assignee or a supervisor may work this ticket",
            Permission::AddNote => "only the assignee or a supervisor may add notes here",
            Permission::ClaimTicket => "admins do not take tickets",
            Permission::AssignTicket => "only supervisors assign tickets to others",
            Permission::RequestTransfer => "only the ticket's assignee may ask to transfer it",
            Permission::RevealPii => {
                "only the assignee or a supervisor may see full contact details"
            }
            Permission::Configure => "only admins change the configuration",
            Permission::RecordFeedback => {
                "only the agent who handled the ticket or a supervisor records its feedback"
            }
            Permission::ImportFeedback => "only supervisors and admins import survey results",
            Permission::ManageMeasures => {
                "only supervisors and admins keep the improvement measures"
            }
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Reason::*;
        match self {
            Required => write!(f, "must not be empty"),
            TooLong { max, len } => write!(f, "is too long ({len} characters; at most {max})"),
            TooMany { max } => write!(f, "at most {max}"),
            OutOfRange { min, max } => write!(f, "must be between {min} and {max}"),
            ContactNeeded => write!(f, "give a phone number or an e-mail address"),
            BadPhone => write!(
                f,
                "not a phone number (a mobile like 13812345678, a landline with its area code like 010-12345678, or +country code)"
            ),
            BadEmail => write!(f, "is not an e-mail address"),
            BadTime { value } => write!(f, "“{value}” is not a time like 09:00"),
            BadTimeZone { value } => write!(f, "“{value}” is not an IANA time zone"),
            BadDate { value } => write!(f, "“{value}” is not a date like 2026-10-01"),
            NotAScore { value } => write!(f, "“{value}” is not a whole score from 1 to 5"),
            NotYesNo { value } => write!(f, "“{value}” is not yes or no (是/否)"),
            NotATimestamp { value } => write!(
                f,
                "“{value}” is not a time like 2026-03-02 14:30 or 2026-03-02T14:30:00+08:00"
            ),
            WeekOfSevenDays => write!(f, "needs seven days, Monday first"),
            SpanBackwards { from, to } => write!(f, "{from} to {to} ends before it starts"),
            SpansOverlap => write!(f, "intervals of a day overlap"),
            ResolutionBeforeResponse => {
                write!(f, "must not be shorter than the first-response target")
            }
            WindowBackwards => write!(f, "the window ends before it starts"),
            DeadlineBeforeStart => write!(f, "the deadline cannot be before the measure starts"),
            TargetNeeded => write!(
                f,
                "give at least one target with a number, e.g. VIP first response ≤ 10 minutes"
            ),
            TargetOutOfRange { metric, min, max } => {
                write!(f, "a target for {} is from {min} to {max}", metric.as_str())
            }
            TargetTwice { metric } => write!(f, "{} has two targets", metric.as_str()),
            UnknownTicketType { id } => write!(f, "ticket type {id} does not exist"),
            TicketTypeTwice { id } => write!(f, "ticket type {id} is listed twice"),
            TierTwice { tier } => write!(f, "the {tier} tier is listed twice"),
            UnknownSkill { skill } => write!(f, "no member has the skill \"{skill}\""),
            UnknownCalendar => write!(f, "no such calendar"),
            PolicyOrderIncomplete => write!(
                f,
                "must list every policy exactly once (another admin may have changed them; reload)"
            ),
            LastAdmin => write!(f, "the team needs at least one active admin"),
            TypeSwitchedOff => write!(f, "this ticket type is switched off"),
            MemberSwitchedOff => write!(f, "this member is switched off"),
            FileTooLarge { max_mib } => write!(f, "the file is over {max_mib} MiB"),
            NotCsv { detail } => write!(f, "not a CSV file: {detail}"),
            MissingColumns { columns } => write!(
                f,
                "the file has no column for {} (headers: number, answered_at, speed, professionalism, resolution, solved, comment — or 工单编号, 日期, 响应速度, 专业度, 问题解决, 问题是否解决, 客户建议)",
                columns.join(", ")
            ),
            CalendarInUse { policies } => {
                write!(f, "{policies} SLA policy(ies) use this calendar; change them first")
            }
            Taken => write!(f, "is already taken"),
            ListedTwice { value } => write!(f, "{value:?} is listed twice"),
            RangeTooLong { max } => write!(f, "longer than {max} days; use a report"),
            RangeInFuture => write!(f, "the range starts after today"),
            IllegalMove { from, to, hint } => write!(
                f,
                "cannot move a ticket from {from} to {to}: {}",
                hint.text()
            ),
            OutcomeNeeded => write!(
                f,
                "record whether the problem was fully, partially or not resolved"
            ),
            ReopenReasonNeeded => write!(f, "say why the ticket is reopened"),
            AlreadyPriority { priority } => write!(f, "the priority is already {priority}"),
            FinishedKeepsPriority => write!(f, "a finished ticket keeps its priority"),
            FinishedNotAssignable => {
                write!(f, "a finished ticket cannot be assigned; reopen it first")
            }
            FinishedNotTransferable => write!(f, "a finished ticket cannot be transferred"),
            TransferPending => write!(
                f,
                "a transfer request for this ticket is already waiting for a supervisor"
            ),
            RequestDecided { status } => write!(f, "this request was already {status}"),
            TransferToRequester => write!(f, "choose someone other than the agent who asked"),
            AdminsTakeNoTickets => write!(f, "admins do not take tickets"),
            AlreadyAssignedTo => write!(f, "the ticket is already assigned to that member"),
            NoSurveyYet => write!(f, "this ticket has no survey yet: it gets one when it is done"),
            Forbidden { action } => write!(f, "not allowed: {}", action.text()),
            AlreadyTaken => write!(f, "someone has already taken this ticket"),
            WentElsewhere => write!(f, "the ticket went to someone else meanwhile"),
            CapReached { name, open, cap } => {
                write!(f, "{name} already has {open} open tickets (cap {cap})")
            }
            ChangedMeanwhile => write!(
                f,
                "the ticket was changed by someone else meanwhile; reload it and try again"
            ),
            AnswerOnRecord => write!(f, "this answer is on record already"),
            SurveyExpired => write!(f, "the survey had expired when this answer was given"),
            SurveyAnswered => write!(
                f,
                "this survey was answered already; the first answer stands"
            ),
            SurveySuperseded => write!(
                f,
                "the ticket was reopened after this survey was sent; its next survey comes when it is done again"
            ),
            NoSurveySent => write!(f, "no survey of this ticket was sent before this answer"),
            NotOnServerYet => write!(
                f,
                "this ticket has not reached the server yet; it can be worked once it has"
            ),
            CustomerNotOnServerYet => write!(
                f,
                "this customer has not reached the server yet; pick them again once they have"
            ),
            AccountDisabled => write!(
                f,
                "your account is switched off; an admin can switch it on again"
            ),
            ServiceSilent => write!(
                f,
                "the team service did not answer; ask an admin whether pulsedesk-server is running"
            ),
            UnreadableCommand { detail } => write!(
                f,
                "the team service could not read this change ({detail}); update Pulsedesk and try again"
            ),
            NotATicketChange { command } => {
                write!(f, "{command} is not a change to a ticket")
            }
            NotInTeamMode { feature } => {
                write!(f, "{feature:?} is not available on a shared team database yet")
            }
            NotEmbedded => write!(
                f,
                "this is a desktop's copy of a team database, not an embedded workspace"
            ),
        }
    }
}
