// Generated from the Rust types by src-tauri/src/typegen.rs. Do not edit by hand.

export type UserId = number;

export type TicketId = number;

export type CustomerId = number;

export type TicketTypeId = number;

export type NoteId = number;

export type PolicyId = number;

export type CalendarId = number;

export type Role = "agent" | "supervisor" | "admin";

export type Channel = "phone" | "chat" | "email" | "app" | "web_form";

export type Priority = "urgent" | "high" | "medium" | "low";

export type Tier = "vip" | "normal" | "enterprise";

export type Stage = "unassigned" | "to_contact" | "in_progress" | "awaiting_reply" | "done";

export type Outcome = "fully" | "partially" | "not_resolved";

export type Department = "tech" | "product" | "after_sales";

export type NoteAudience = "internal" | "tech" | "product" | "after_sales";

export type Actor = { id: UserId, role: Role, };

export type Account = { id: UserId, name: string, role: Role, };

export type AssigneeFilter = "me" | "nobody" | { "user": UserId };

export type TimeField = "created" | "first_response" | "resolved";

export type TimeWindow = { field: TimeField, from: string, to: string, };

export type PoolQuery = { stage: Stage | null, type_id: TicketTypeId | null, priority: Priority | null, channel: Channel | null, tier: Tier | null, assignee: AssigneeFilter | null, 
/**
 * Leave finished tickets out.
 */
open_only: boolean, 
/**
 * Matches the ticket number, the subject or the customer's name.
 */
search: string | null, 
/**
 * Only tickets whose logged / first-response / resolved instant falls in the window.
 */
window?: TimeWindow, 
/**
 * Only open tickets whose headline SLA clock is past its target now (as the board counts
 * "overdue").
 */
overdue?: boolean, offset: number, limit: number, };

export type PoolRow = { id: TicketId, number: string, subject: string, stage: Stage, priority: Priority, channel: Channel, tier: Tier, type_name: string, 
/**
 * Masked.
 */
customer_name: string, assignee_id: UserId | null, assignee_name: string | null, round: number, created_at: string, updated_at: string, 
/**
 * The SLA clock the lists count down: the running one due first, else a paused one.
 */
sla: SlaBadge | null, 
/**
 * When this ticket turns stale (the customer waits and nobody touched it for the
 * configured minutes) and, if it has an SLA clock, when it stops being (it breaches).
 */
stale_at: string | null, stale_until: string | null, 
/**
 * Set while the ticket waits in the pool because no eligible agent has capacity.
 */
waiting: WaitReason | null, };

export type PoolPage = { total: number, offset: number, rows: Array<PoolRow>, };

export type CustomerView = { id: CustomerId, name: string, phone: string, email: string, tier: Tier, };

export type NewCustomer = { name: string, phone: string, email: string, tier: Tier, };

export type CustomerChoice = { "existing": CustomerId } | { "new": NewCustomer };

export type NewTicket = { channel: Channel, type_id: TicketTypeId, customer: CustomerChoice, priority: Priority, subject: string, description: string, departments: Array<Department>, 
/**
 * File names only; the files stay where the customer sent them.
 */
attachments: Array<string>, };

export type NoteView = { id: NoteId, author_name: string, audience: NoteAudience, body: string, created_at: string, };

export type TimelineEntry = { event: TicketEvent, actor_name: string | null, 
/**
 * For assignments: the new assignee's name.
 */
assignee_name: string | null, };

export type AllowedActions = { moves: Array<Stage>, reopen: boolean, claim: boolean, assign: boolean, note: boolean, reveal: boolean, 
/**
 * Change the priority (re-targets the SLA clocks).
 */
priority: boolean, 
/**
 * Ask a supervisor to hand the ticket to someone else.
 */
request_transfer: boolean, };

export type TicketDetail = { row: PoolRow, type_id: TicketTypeId, description: string, departments: Array<Department>, attachments: Array<string>, outcome: Outcome | null, first_response_at: string | null, resolved_at: string | null, version: number, customer: CustomerView, 
/**
 * The handling template of the ticket's type.
 */
template: string, notes: Array<NoteView>, timeline: Array<TimelineEntry>, durations: Array<StageDuration>, 
/**
 * The first-response and resolution clocks, as of when the view was read.
 */
sla: Array<SlaClock>, allowed: AllowedActions, 
/**
 * The latest transfer request on the ticket, if any.
 */
transfer: TransferView | null, 
/**
 * For a follow-up ticket (客户回访): the ticket whose feedback it follows up.
 */
follows: TicketRef | null, };

export type TicketRef = { id: TicketId, number: string, };

export type Catalog = { ticket_types: Array<TicketType>, 
/**
 * Members tickets can be assigned to (agents and supervisors).
 */
assignees: Array<Account>, };

export type EventKind = { "type": "created", channel: Channel, priority: Priority, tier: Tier, } | { "type": "assigned", from: UserId | null, to: UserId, why: AssignWhy | null, } | { "type": "capacity_wait", reason: WaitReason, } | { "type": "transfer_requested", request: TransferId, reason: string, } | { "type": "transfer_decided", request: TransferId, approved: boolean, note: string, } | { "type": "stage_changed", from: Stage, to: Stage, outcome: Outcome | null, } | { "type": "reopened", round: number, reason: string, } | { "type": "note_added", note_id: NoteId, audience: NoteAudience, } | { "type": "priority_changed", from: Priority, to: Priority, } | { "type": "sla_alert", clock: ClockKind, level: AlertLevel, round: number, };

export type TicketEvent = { id: number, ticket_id: TicketId, at: string, 
/**
 * Who did it; `None` for the system.
 */
actor_id: UserId | null, kind: EventKind, };

export type StageDuration = { stage: Stage, seconds: number, 
/**
 * How many times the ticket entered this stage.
 */
visits: number, };

export type TicketCommand = { "command": "claim" } | { "command": "assign", to: UserId, } | { "command": "move", to: Stage, outcome: Outcome | null, } | { "command": "reopen", reason: string, };

export type Command = { "kind": "create_ticket", ticket: NewTicket, } | { "kind": "ticket", ticket: TicketId, change: TicketCommand, } | { "kind": "add_note", ticket: TicketId, audience: NoteAudience, body: string, } | { "kind": "change_priority", ticket: TicketId, to: Priority, } | { "kind": "reveal_customer", ticket: TicketId, } | { "kind": "record_sla_alert", ticket: TicketId, clock: ClockKind, level: AlertLevel, round: number, };

export type ClockKind = "first_response" | "resolution";

export type ClockState = "on_track" | "near_breach" | "breached" | "met";

export type SlaClock = { kind: ClockKind, state: ClockState, target_secs: number, 
/**
 * Counted seconds so far (up to the stop, or to now).
 */
counted_secs: number, 
/**
 * When it comes due, while running and not paused; `None` when stopped, paused, or the
 * calendar never reaches it.
 */
due_at: string | null, 
/**
 * When it turns near-breach, on the same terms as `due_at`.
 */
near_at: string | null, paused: boolean, stopped_at: string | null, };

export type AlertLevel = "near_breach" | "breached";

export type SlaBadge = { kind: ClockKind, near_at: string | null, due_at: string | null, paused: boolean, };

export type SlaSettings = { 
/**
 * An active ticket untouched this long is flagged stale.
 */
stale_minutes: number, 
/**
 * A breach pops up again this often while it lasts; 0 = never.
 */
reminder_minutes: number, };

export type SlaCounts = { near_breach: number, breached: number, };

export type DaySpan = { from: string, to: string, };

export type CalendarInput = { name: string, 
/**
 * IANA zone, e.g. "Asia/Shanghai".
 */
tz: string, 
/**
 * Seven days, Monday first.
 */
week: Array<Array<DaySpan>>, 
/**
 * "YYYY-MM-DD" dates with no working time.
 */
holidays: Array<string>, };

export type Calendar = { id: CalendarId, name: string, 
/**
 * IANA zone, e.g. "Asia/Shanghai".
 */
tz: string, 
/**
 * Seven days, Monday first.
 */
week: Array<Array<DaySpan>>, 
/**
 * "YYYY-MM-DD" dates with no working time.
 */
holidays: Array<string>, };

export type PolicyInput = { name: string, 
/**
 * Empty = any priority.
 */
priorities: Array<Priority>, 
/**
 * Empty = any type.
 */
type_ids: Array<TicketTypeId>, 
/**
 * Empty = any tier.
 */
tiers: Array<Tier>, first_response_minutes: number, resolution_minutes: number, near_percent: number, pause_awaiting_reply: boolean, 
/**
 * `None` counts every hour.
 */
calendar_id: CalendarId | null, };

export type Policy = { id: PolicyId, position: number, name: string, 
/**
 * Empty = any priority.
 */
priorities: Array<Priority>, 
/**
 * Empty = any type.
 */
type_ids: Array<TicketTypeId>, 
/**
 * Empty = any tier.
 */
tiers: Array<Tier>, first_response_minutes: number, resolution_minutes: number, near_percent: number, pause_awaiting_reply: boolean, 
/**
 * `None` counts every hour.
 */
calendar_id: CalendarId | null, };

export type SlaSetup = { policies: Array<Policy>, calendars: Array<Calendar>, 
/**
 * The per-priority defaults used when no policy matches.
 */
targets: Array<SlaTarget>, settings: SlaSettings, };

export type AlertStatus = { counts: SlaCounts, dnd_until: string | null, };

export type OpenTicket = { id: TicketId | null, };

export type TicketType = { id: TicketTypeId, name: string, template: string, active: boolean, };

export type TicketTypeInput = { id: TicketTypeId | null, name: string, template: string, active: boolean, };

export type SlaTarget = { priority: Priority, first_response_minutes: number, resolution_minutes: number, };

export type Member = { id: UserId, name: string, role: Role, skills: Array<string>, 
/**
 * Most open tickets this member may hold at once.
 */
cap: number, active: boolean, };

export type MemberInput = { id: UserId | null, name: string, role: Role, skills: Array<string>, cap: number, active: boolean, };

export type WorkspaceConfig = { ticket_types: Array<TicketType>, sla_targets: Array<SlaTarget>, members: Array<Member>, skills: Array<string>, };

export type ApiError = { code: string, message: string, field: string | null, reason: Reason | null, };

export type Bootstrap = { 
/**
 * Why the workspace did not open, if it did not.
 */
error: ApiError | null, 
/**
 * Where the workspace lives (shown when it did not open).
 */
data_dir: string, locale: LocalePref, 
/**
 * The member still signed in on this desktop, if any.
 */
session: Account | null, 
/**
 * The signed-in member's catalog.
 */
catalog: Catalog | null, 
/**
 * Team mode: the server, the login and the link (or why it is not connected).
 */
team: TeamInfo | null, };

export type LocalePref = { os: string, chosen: string | null, };

export type TicketChanged = { id: TicketId, };

export type TransferId = number;

export type Presence = "online" | "away" | "offline";

export type WaitReason = "no_skilled_agent" | "nobody_online" | "all_at_cap";

export type TransferStatus = "pending" | "approved" | "declined" | "withdrawn";

export type AssignRules = { 
/**
 * Assign new and returned tickets by themselves; off means supervisors assign by hand.
 */
auto: boolean, idle_minutes: number, type_skills: Array<TypeSkills>, tier_preferences: Array<TierPreference>, };

export type TypeSkills = { type_id: TicketTypeId, skills: Array<string>, };

export type TierPreference = { tier: Tier, skill: string, };

export type Decision = { "kind": "assign", to: UserId, why: AssignWhy, } | { "kind": "wait", reason: WaitReason, };

export type AssignWhy = { rule: Rule, required: Array<string>, preferred: string | null, 
/**
 * Active agents looked at.
 */
considered: number, 
/**
 * Of those, online, skilled and below their cap.
 */
eligible: number, 
/**
 * The winner first, then up to two runners-up.
 */
ranked: Array<Score>, };

export type Score = { user: UserId, name: string, 
/**
 * Has the tier's preferred tag.
 */
preferred: boolean, load: number, cap: number, last_assigned_at: string | null, };

export type Rule = "only_candidate" | "tier_preference" | "least_loaded" | "least_recently_assigned" | "tie";

export type TransferView = { id: TransferId, ticket_id: TicketId, number: string, subject: string, priority: Priority, stage: Stage, requester_id: UserId, requester: string, reason: string, status: TransferStatus, created_at: string, decided_at: string | null, decider: string | null, note: string, to: string | null, 
/**
 * The ticket's running SLA clock, for "time left".
 */
sla: SlaBadge | null, };

export type TransferDecision = { "verdict": "approve", to: UserId, } | { "verdict": "decline", reason: string, };

export type PresenceStatus = { presence: Presence, by_hand: boolean, };

export type TaskName = "sla_scheduler" | "assigner" | "presence_watcher" | "news";

export type TaskTrouble = { task: TaskName, failures: number, last_failure: string, 
/**
 * Failed too often in a row: not started again until Pulsedesk restarts.
 */
stopped: boolean, };

export type Reason = { "code": "required" } | { "code": "too_long", max: number, len: number, } | { "code": "too_many", max: number, } | { "code": "out_of_range", min: number, max: number, } | { "code": "contact_needed" } | { "code": "bad_phone" } | { "code": "bad_email" } | { "code": "bad_time", value: string, } | { "code": "bad_time_zone", value: string, } | { "code": "bad_date", value: string, } | { "code": "not_a_score", value: string, } | { "code": "not_yes_no", value: string, } | { "code": "not_a_timestamp", value: string, } | { "code": "week_of_seven_days" } | { "code": "span_backwards", from: string, to: string, } | { "code": "spans_overlap" } | { "code": "resolution_before_response" } | { "code": "window_backwards" } | { "code": "deadline_before_start" } | { "code": "target_needed" } | { "code": "target_out_of_range", metric: Metric, min: number, max: number, } | { "code": "target_twice", metric: Metric, } | { "code": "unknown_ticket_type", id: number, } | { "code": "ticket_type_twice", id: number, } | { "code": "tier_twice", tier: Tier, } | { "code": "unknown_skill", skill: string, } | { "code": "unknown_calendar" } | { "code": "policy_order_incomplete" } | { "code": "last_admin" } | { "code": "type_switched_off" } | { "code": "member_switched_off" } | { "code": "file_too_large", max_mib: number, } | { "code": "not_csv", detail: string, } | { "code": "missing_columns", columns: Array<string>, } | { "code": "calendar_in_use", policies: number, } | { "code": "taken" } | { "code": "listed_twice", value: string, } | { "code": "range_too_long", max: number, } | { "code": "range_in_future" } | { "code": "illegal_move", from: Stage, to: Stage, hint: MoveHint, } | { "code": "outcome_needed" } | { "code": "reopen_reason_needed" } | { "code": "already_priority", priority: Priority, } | { "code": "finished_keeps_priority" } | { "code": "finished_not_assignable" } | { "code": "finished_not_transferable" } | { "code": "transfer_pending" } | { "code": "request_decided", status: TransferStatus, } | { "code": "transfer_to_requester" } | { "code": "admins_take_no_tickets" } | { "code": "already_assigned_to" } | { "code": "no_survey_yet" } | { "code": "forbidden", action: Permission, } | { "code": "already_taken" } | { "code": "went_elsewhere" } | { "code": "cap_reached", name: string, open: number, cap: number, } | { "code": "changed_meanwhile" } | { "code": "answer_on_record" } | { "code": "survey_expired" } | { "code": "survey_answered" } | { "code": "survey_superseded" } | { "code": "no_survey_sent" } | { "code": "not_on_server_yet" } | { "code": "customer_not_on_server_yet" } | { "code": "account_disabled" } | { "code": "service_silent" } | { "code": "unreadable_command", detail: string, } | { "code": "not_a_ticket_change", command: string, } | { "code": "not_in_team_mode", feature: Feature, } | { "code": "not_embedded" };

export type Permission = "view_pool" | "view_team" | "view_ticket" | "create_ticket" | "work_ticket" | "add_note" | "claim_ticket" | "assign_ticket" | "request_transfer" | "reveal_pii" | "configure" | "record_feedback" | "import_feedback" | "manage_measures";

export type Feature = "feedback" | "feedback_rules" | "surveys" | "feedback_import" | "automatic_assignment" | "transfers" | "assignment_rules" | "measures" | "setup" | "workspace_export";

export type MoveHint = "same_stage" | "assign_first" | "reopen_instead" | "reassign_instead" | "no_assignee" | "contact_first" | "already_contacted" | "not_a_step" | "only_finished_reopen";

export type FieldProblem = { field: string, reason: Reason, };

export type ConnectInput = { 
/**
 * `host[:port][/database]`.
 */
server: string, login: string, password: string, };

export type TeamInfo = { 
/**
 * `host:port/database`.
 */
server: string, login: string, 
/**
 * The link and the outbox; `None` when not connected (the password is needed).
 */
status: SyncStatus | null, 
/**
 * Why the desktop could not reconnect on its own, if it could not.
 */
problem: ApiError | null, };

export type SyncStatus = { link: Link, 
/**
 * Changes waiting to be sent.
 */
pending: number, 
/**
 * Changes the server refused (shown to the member until dismissed).
 */
rejected: number, 
/**
 * Tickets this desktop could not show whole: the server holds values or entries this
 * build cannot read (written by a newer Pulsedesk, or by hand). Read again at every
 * connection, so updating Pulsedesk fills them in.
 */
unreadable: number, };

export type Link = { "state": "connecting" } | { "state": "online" } | { "state": "offline", since: string, reason: string, } | { "state": "refused", reason: string, };

export type Rejection = { id: string, ticket: TicketId | null, 
/**
 * The command's name (claim, move, add_note, …).
 */
kind: string, 
/**
 * The server's reason in English (logs; older desktops' records).
 */
reason: string, 
/**
 * The server's reason as a code the UI shows in the member's language.
 */
why: Reason | null, queued_at: string, };

export type TicketRenumbered = { from: TicketId, to: TicketId, };

export type Board = { at: string, 
/**
 * Today, the last 7 days, and the chosen range when there is one.
 */
periods: Array<PeriodFigures>, 
/**
 * Open tickets by stage, in workflow order (every open stage, zeros included).
 */
backlog_by_stage: Array<StageCount>, 
/**
 * Open tickets by type, most first.
 */
backlog_by_type: Array<TypeCount>, 
/**
 * Members who take tickets, by name.
 */
agents: Array<AgentFigures>, waiting: Waiting, 
/**
 * Open tickets breached now, the longest overdue first; at most [`NEAR_BREACH_ROWS`].
 */
breached: Array<NearBreach>, 
/**
 * Open tickets near breach (not breached yet), the soonest due first; at most
 * [`NEAR_BREACH_ROWS`].
 */
near_breach: Array<NearBreach>, 
/**
 * How many open tickets are breached now, the whole team (shown beside the SLA
 * attainment, which judges only the tickets logged in its period).
 */
overdue: number, };

export type PeriodFigures = { key: PeriodKey, from: string, to: string, 
/**
 * Tickets logged in the period.
 */
created: number, 
/**
 * First-response time of the tickets first responded to in the period.
 */
first_response: Average, 
/**
 * Resolution time of the tickets resolved in the period.
 */
resolution: Average, 
/**
 * SLA attainment of the tickets logged in the period, per priority (most urgent first).
 */
sla: Array<SlaAttainment>, };

export type PeriodKey = "today" | "week" | "range";

export type DayRange = { first: string, last: string, };

export type Average = { 
/**
 * How many tickets the mean is over.
 */
tickets: number, 
/**
 * The mean, rounded to the nearest second (halves away from zero); none without tickets.
 */
secs: number | null, };

export type StageCount = { stage: Stage, tickets: number, };

export type TypeCount = { type_id: TicketTypeId, name: string, tickets: number, };

export type AgentFigures = { id: UserId, name: string, 
/**
 * Tickets they resolved today.
 */
handled_today: number, 
/**
 * Open tickets assigned to them now, and their cap.
 */
open: number, cap: number, 
/**
 * Their open tickets whose headline SLA clock is past its target now.
 */
overdue: number, 
/**
 * Their first-response time over the last 7 days.
 */
first_response: Average, 
/**
 * Customer satisfaction over the last 7 days: the answers to the surveys of tickets
 * they finished, and their CSAT (docs/METRICS.md, "Feedback").
 */
answers: number, csat: Tenths | null, };

export type Waiting = { tickets: number, 
/**
 * When the longest-waiting one was logged.
 */
oldest_since: string | null, };

export type NearBreach = { id: TicketId, number: string, subject: string, priority: Priority, stage: Stage, assignee: string | null, clock: ClockKind, due_at: string, 
/**
 * Already past the target.
 */
breached: boolean, };

export type SlaAttainment = { priority: Priority, first_response: Verdicts, resolution: Verdicts, };

export type Verdicts = { met: number, breached: number, 
/**
 * met ÷ (met + breached), in tenths of a percent rounded half up; none without verdicts.
 */
per_mille: number | null, };

export type TableFormat = "csv" | "xlsx";

export type ReportFormat = "xlsx" | "pdf";

export type TrackingPage = { total: number, offset: number, rows: Array<TrackingRow>, };

export type TrackingRow = { id: TicketId, number: string, received_at: string, tier: Tier, priority: Priority, assignee: string | null, 
/**
 * The first-response target, in seconds (from the ticket's SLA policy).
 */
response_target_secs: number | null, 
/**
 * First-response time, in seconds, once responded.
 */
response_secs: number | null, response: Response, stage: Stage, departments: Array<Department>, outcome: Outcome | null, };

export type Response = "met" | "late" | "waiting";

export type WeeklyReview = { 
/**
 * The week's Monday.
 */
week: string, from: string, to: string, 
/**
 * VIP tickets logged in the week whose first response was late.
 */
vip_breached: number, 
/**
 * The three reasons that explain most of them, most first (a ticket may have several).
 */
top_reasons: Array<ReasonCount>, 
/**
 * Types with the most tickets logged in the week and not fully resolved, most first.
 */
unresolved: Array<ProblemCount>, agents: Array<Trend>, types: Array<Trend>, 
/**
 * The words that came up most in the week's tickets and feedback, with the focus
 * flags (filled by the app, which holds the word segmenter).
 */
problems: ProblemWords, };

export type BreachReason = "waited_for_capacity" | "slow_assignment" | "slow_contact" | "reassigned" | "other";

export type ReasonCount = { reason: BreachReason, tickets: number, };

export type ProblemCount = { type_id: TicketTypeId, name: string, tickets: number, };

export type Trend = { 
/**
 * The member's or the type's id.
 */
id: number, name: string, this_week: WeekFigures, last_week: WeekFigures, };

export type WeekFigures = { 
/**
 * Tickets resolved in the week.
 */
resolved: number, 
/**
 * First-response time of the tickets first responded to in the week.
 */
first_response: Average, 
/**
 * First-response clocks breached, of tickets logged in the week.
 */
breached: number, };

export type MonthlyReport = { 
/**
 * The month's first day.
 */
month: string, from: string, to: string, 
/**
 * The month is not over: its figures are month to date.
 */
to_date: boolean, 
/**
 * Days of each month compared: this month's first N days against the same N days of
 * the month before when it is not over (`None`: both months whole).
 */
compared_days: number | null, this_month: MonthFigures, last_month: MonthFigures, 
/**
 * Open tickets now, and how long they have waited since logged (seconds).
 */
backlog: number, backlog_median_age_secs: number | null, backlog_oldest_age_secs: number | null, 
/**
 * The open tickets by stage and by type, as the board charts them.
 */
backlog_by_stage: Array<StageCount>, backlog_by_type: Array<TypeCount>, };

export type MonthFigures = { 
/**
 * Tickets logged in the month.
 */
logged: number, 
/**
 * Tickets resolved in the month.
 */
resolved: number, first_response: Average, resolution: Average, 
/**
 * Time in 处理中 of the tickets resolved in the month.
 */
handling: Average, 
/**
 * Of the tickets resolved in the month: resolved in the first round without waiting
 * on the customer (首次解决率).
 */
first_contact: Share, 
/**
 * Of the tickets resolved in the month: reopened at least once.
 */
reopened: Share, 
/**
 * Of the urgent and high tickets logged in the month: resolution clock met.
 */
high_priority_resolved: Share, 
/**
 * SLA attainment of the tickets logged in the month, all priorities.
 */
first_response_sla: Verdicts, resolution_sla: Verdicts, };

export type Share = { of: number, total: number, per_mille: number | null, };

export type SurveyId = number;

export type MeasureId = number;

export type Tenths = number;

export type Scores = { speed: number, professionalism: number, resolution: number, };

export type Answer = { scores: Scores, solved: boolean, comment: string, };

export type SurveyStatus = "pending" | "answered" | "expired" | "superseded";

export type AnswerSource = "phone" | "import" | "link";

export type SurveyView = { id: SurveyId, ticket_id: TicketId, round: number, sent_at: string, expires_at: string, 
/**
 * As of when it was read.
 */
status: SurveyStatus, answered_at: string | null, source: AnswerSource | null, answer: Answer | null, overall: Tenths | null, 
/**
 * Why it needs a follow-up (需跟进); empty when it does not.
 */
follow_up_reasons: Array<FollowUpReason>, follow_up: FollowUpLink | null, 
/**
 * Whether the answer sent the ticket into another round (not solved).
 */
reopened: boolean, };

export type FollowUpLink = { ticket_id: TicketId, number: string, owner_id: UserId | null, owner_name: string | null, };

export type FollowUpReason = { "kind": "low_score", overall: Tenths, } | { "kind": "keyword", keyword: string, };

export type FollowUpRule = { threshold: Tenths, keywords: Array<string>, };

export type FeedbackSettings = { rule: FollowUpRule, 
/**
 * Days a survey takes answers (1–90).
 */
expiry_days: number, };

export type FeedbackFigures = { answers: number, csat: Tenths | null, speed: Tenths | null, professionalism: Tenths | null, resolution: Tenths | null, 
/**
 * Answers saying the problem was solved.
 */
solved: number, follow_ups: number, };

export type FeedbackGroup = { 
/**
 * The member's or type's id; for days, the day's number since 1970-01-01.
 */
id: number, name: string, figures: FeedbackFigures, };

export type FeedbackRow = { survey_id: SurveyId, ticket_id: TicketId, number: string, answered_at: string, 
/**
 * The day it was answered, in the team's calendar.
 */
day: string, overall: Tenths, speed: number, professionalism: number, resolution: number, solved: boolean, comment: string, agent_name: string | null, type_name: string, needs_follow_up: boolean, 
/**
 * The supervisor who follows it up (跟进责任人).
 */
follow_up_owner: string | null, follow_up_number: string | null, };

export type FeedbackOverview = { from: string, to: string, total: FeedbackFigures, by_agent: Array<FeedbackGroup>, by_type: Array<FeedbackGroup>, by_day: Array<FeedbackGroup>, 
/**
 * Surveys sent in the range and still waiting / expired unanswered.
 */
pending: number, expired: number, 
/**
 * The latest answers first (at most 500).
 */
latest: Array<FeedbackRow>, };

export type ImportReport = { recorded: number, 
/**
 * Rows whose answer was on record already (an import run twice).
 */
repeated: number, follow_ups: number, reopened: number, refused: Array<ImportLine>, };

export type ImportLine = { 
/**
 * The line in the file (the header is line 1).
 */
line: number, 
/**
 * The row's ticket number, once read.
 */
number: string | null, 
/**
 * The column at fault, by its English key (`speed`, `answered_at`, …), if one is.
 */
column: string | null, why: Reason, };

export type ProblemWords = { 
/**
 * Texts read: tickets logged in the week, and comments given.
 */
texts: number, 
/**
 * Complaints among them: complaint-type tickets and comments that needed a follow-up.
 */
complaints: number, top: Array<FrequentProblem>, 
/**
 * Ticket types by their share of the week's feedback that needed a follow-up.
 */
types: Array<TypeShare>, };

export type FrequentProblem = { term: string, 
/**
 * Texts (tickets, comments) mentioning it.
 */
texts: number, 
/**
 * Complaints among them.
 */
complaints: number, 
/**
 * Its share of all the week's complaints, per mille.
 */
share_per_mille: number, 
/**
 * More than 30% of the complaints: a focus for the team.
 */
focus: boolean, };

export type TypeShare = { type_id: TicketTypeId, name: string, complaints: number, share_per_mille: number, focus: boolean, };

export type Metric = "vip_first_response_minutes" | "first_response_minutes" | "resolution_hours" | "first_response_breach_percent" | "vip_breach_percent" | "csat" | "reopen_percent";

export type Target = { metric: Metric, value: number, };

export type MeasureStatus = "planned" | "in_progress" | "done";

export type MeasureInput = { 
/**
 * 问题描述, e.g. "VIP 客户响应超时率从 5% 升至 12%".
 */
problem: string, 
/**
 * 根本原因分析.
 */
root_cause: string, 
/**
 * 改进措施.
 */
action: string, 
/**
 * 责任人.
 */
owner_id: UserId, 
/**
 * 完成时限.
 */
deadline: string, 
/**
 * The day the measure took effect; the windows are measured around it.
 */
started_on: string, 
/**
 * Days in each window (7–90).
 */
window_days: number, targets: Array<Target>, status: MeasureStatus, };

export type Measure = { id: MeasureId, owner_name: string, created_at: string, evaluation: Evaluation, 
/**
 * Days until the deadline (negative once past), as of when it was read.
 */
days_left: number, 
/**
 * 问题描述, e.g. "VIP 客户响应超时率从 5% 升至 12%".
 */
problem: string, 
/**
 * 根本原因分析.
 */
root_cause: string, 
/**
 * 改进措施.
 */
action: string, 
/**
 * 责任人.
 */
owner_id: UserId, 
/**
 * 完成时限.
 */
deadline: string, 
/**
 * The day the measure took effect; the windows are measured around it.
 */
started_on: string, 
/**
 * Days in each window (7–90).
 */
window_days: number, targets: Array<Target>, status: MeasureStatus, };

export type Evaluation = { windows: Windows | null, results: Array<TargetResult>, verdict: Verdict, };

export type Windows = { before_first: string, 
/**
 * The day the measure started: the end of "before" and the start of "after".
 */
started_on: string, 
/**
 * The day after the last day of "after".
 */
after_end: string, 
/**
 * Days in each window (the after window may be shorter while it runs; the before
 * window then has the same length).
 */
days: number, 
/**
 * Whether the after window has run its full length.
 */
complete: boolean, };

export type Comparison = { metric: Metric, 
/**
 * `None` when the window had nothing to measure.
 */
before: number | null, after: number | null, 
/**
 * (after − before) / before, percent to one decimal; `None` without both or with
 * before = 0.
 */
change_percent: number | null, };

export type TargetResult = { target: Target, comparison: Comparison, 
/**
 * `None` while nothing was measured after the start.
 */
met: boolean | null, };

export type Verdict = "not_started" | "measuring" | "met" | "needs_revision";

export const TICKET_CHANGED = "ticket-changed";
export const FEEDBACK_CHANGED = "feedback-changed";
export const OPEN_TICKET = "open-ticket";
export const SLA_STATUS = "sla-status";
export const PRESENCE = "presence";
export const TRANSFERS_CHANGED = "transfers-changed";
export const SYNC_STATUS = "sync-status";
export const TICKET_RENUMBERED = "ticket-renumbered";
export const LIMITS = { subject: 200, description: 20000, note: 10000, name: 100 } as const;
export const TRACKING_HEADERS = { 'zh-CN': ["工单编号", "接收时间", "客户类型", "优先级", "处理人", "响应时限（分钟）", "实际响应（分钟）", "处理状态", "当前节点", "备注/协同部门"], en: ["Ticket number", "Received", "Customer type", "Priority", "Assignee", "Response target (min)", "Actual response (min)", "Status", "Current stage", "Remarks / departments"] } as const;
export const LOCALE_CHANGED = "locale-changed";
export const BACKGROUND_TROUBLE = "background-trouble";
export const TEAM_CONFIG_CHANGED = "team-config-changed";
