// The one typed door to the Rust core. Every command name appears here and nowhere else.
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type {
  Account,
  AlertStatus,
  AssignRules,
  Decision,
  Presence,
  PresenceStatus,
  Tier,
  TransferDecision,
  TransferView,
  ApiError,
  Calendar,
  CalendarInput,
  OpenTicket,
  Policy,
  PolicyInput,
  Priority,
  SlaSettings,
  SlaSetup,
  Bootstrap,
  Catalog,
  CustomerView,
  Member,
  MemberInput,
  NewTicket,
  NoteAudience,
  Outcome,
  PoolPage,
  PoolQuery,
  PoolRow,
  SlaTarget,
  Stage,
  TicketChanged,
  TicketDetail,
  TicketType,
  TicketTypeInput,
  WorkspaceConfig,
  ConnectInput,
  SyncStatus,
  Rejection,
  TicketRenumbered,
  Board,
  DayRange,
  TableFormat,
  ReportFormat,
  WeeklyReview,
  MonthlyReport,
  Answer,
  SurveyView,
  ImportReport,
  FeedbackOverview,
  FeedbackSettings,
  Measure,
  MeasureInput,
  TrackingPage,
  TaskTrouble,
  Reason,
  Command,
  FieldProblem,
} from './types';
import {
  BACKGROUND_TROUBLE,
  LOCALE_CHANGED,
  FEEDBACK_CHANGED,
  OPEN_TICKET,
  PRESENCE,
  SLA_STATUS,
  SYNC_STATUS,
  TEAM_CONFIG_CHANGED,
  TICKET_RENUMBERED,
  TICKET_CHANGED,
  TRANSFERS_CHANGED,
} from './types';

/** A failed command, with the stable code, the typed reason and the form field at fault. */
export class ApiFailure extends Error {
  readonly code: string;
  readonly field: string | null;
  readonly reason: Reason | null;
  constructor(e: ApiError) {
    super(e.message);
    this.code = e.code;
    this.field = e.field;
    this.reason = e.reason;
  }
}

/** Normalises whatever a command rejected with. Tauri rejects malformed arguments with a plain string. */
export function toFailure(e: unknown): ApiFailure {
  if (e instanceof ApiFailure) return e;
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const o = e as { code: unknown; message: unknown; field?: unknown; reason?: unknown };
    const reason = o.reason && typeof o.reason === 'object' && 'code' in o.reason ? (o.reason as Reason) : null;
    return new ApiFailure({
      code: String(o.code),
      message: String(o.message),
      field: typeof o.field === 'string' ? o.field : null,
      reason,
    });
  }
  return new ApiFailure({ code: 'invalid_request', message: String(e), field: null, reason: null });
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toFailure(e);
  }
}

/** A change to one ticket by the signed-in member, decided by the core on whichever workspace is open. */
const run = (command: Command) => call<TicketDetail>('run_command', { command });

export const api = {
  bootstrap: () => call<Bootstrap>('bootstrap'),
  listAccounts: () => call<Account[]>('list_accounts'),
  signIn: (userId: number) => call<Account>('sign_in', { userId }),
  signOut: () => call<void>('sign_out'),
  connectTeam: (input: ConnectInput) => call<Account>('connect_team', { input }),
  syncStatus: () => call<SyncStatus | null>('get_sync_status'),
  rejections: () => call<Rejection[]>('list_rejections'),
  dismissRejection: (id: string) => call<Rejection[]>('dismiss_rejection', { id }),
  catalog: () => call<Catalog>('get_catalog'),
  listPool: (query: PoolQuery) => call<PoolPage>('list_pool', { query }),
  ticket: (id: number) => call<TicketDetail>('get_ticket', { id }),
  createTicket: (input: NewTicket) => call<PoolRow>('create_ticket', { input }),
  moveTicket: (id: number, to: Stage, outcome: Outcome | null) =>
    run({ kind: 'ticket', ticket: id, change: { command: 'move', to, outcome } }),
  reopenTicket: (id: number, reason: string) =>
    run({ kind: 'ticket', ticket: id, change: { command: 'reopen', reason } }),
  changePriority: (id: number, to: Priority) => run({ kind: 'change_priority', ticket: id, to }),
  claimTicket: (id: number) => run({ kind: 'ticket', ticket: id, change: { command: 'claim' } }),
  assignTicket: (id: number, to: number) =>
    run({ kind: 'ticket', ticket: id, change: { command: 'assign', to } }),
  addNote: (id: number, audience: NoteAudience, body: string) =>
    run({ kind: 'add_note', ticket: id, audience, body }),
  revealCustomer: (id: number) => call<CustomerView>('reveal_customer', { id }),
  findCustomers: (query: string) => call<CustomerView[]>('find_customers', { query }),
  config: () => call<WorkspaceConfig>('get_config'),
  saveTicketType: (input: TicketTypeInput) => call<TicketType>('save_ticket_type', { input }),
  saveSlaTargets: (targets: SlaTarget[]) => call<void>('save_sla_targets', { targets }),
  saveMember: (input: MemberInput) => call<Member>('save_member', { input }),
  addSkill: (name: string) => call<void>('add_skill', { name }),
  slaSetup: () => call<SlaSetup>('get_sla_setup'),
  saveSlaPolicy: (id: number | null, input: PolicyInput) => call<Policy>('save_sla_policy', { id, input }),
  deleteSlaPolicy: (id: number) => call<void>('delete_sla_policy', { id }),
  orderSlaPolicies: (order: number[]) => call<void>('order_sla_policies', { order }),
  saveSlaCalendar: (id: number | null, input: CalendarInput) => call<Calendar>('save_sla_calendar', { id, input }),
  deleteSlaCalendar: (id: number) => call<void>('delete_sla_calendar', { id }),
  saveSlaSettings: (settings: SlaSettings) => call<void>('save_sla_settings', { settings }),
  alertStatus: () => call<AlertStatus>('get_alert_status'),
  /** Mutes near-breach pop-ups for `minutes`; 0 unmutes. */
  setDnd: (minutes: number) => call<AlertStatus>('set_dnd', { minutes }),
  setLocale: (locale: string) => call<void>('set_locale', { locale }),
  /** `uiMs`: milliseconds since the page started loading. */
  uiReady: (screen: string, uiMs: number) => call<void>('ui_ready', { screen, uiMs: Math.round(uiMs) }),
  assignRules: () => call<AssignRules>('get_assign_rules'),
  saveAssignRules: (rules: AssignRules) => call<AssignRules>('save_assign_rules', { rules }),
  previewAssignment: (typeId: number, tier: Tier) => call<Decision>('preview_assignment', { typeId, tier }),
  presence: () => call<PresenceStatus>('get_presence'),
  setPresence: (presence: Presence) => call<PresenceStatus>('set_presence', { presence }),
  requestTransfer: (id: number, reason: string) => call<TicketDetail>('request_transfer', { id, reason }),
  transfers: () => call<TransferView[]>('list_transfers'),
  transferSuggestions: (request: number) => call<Decision>('transfer_suggestions', { request }),
  board: (range: DayRange | null) => call<Board>('get_board', { range }),
  openBoard: () => call<void>('open_board'),
  /** The review of the week holding `day` (YYYY-MM-DD); last week without one. */
  weeklyReview: (day: string | null) => call<WeeklyReview>('get_weekly_review', { day }),
  /** The report of the month holding `day` (YYYY-MM-DD); this month without one. */
  monthlyReport: (day: string | null) => call<MonthlyReport>('get_monthly_report', { day }),
  /** Writes that report as XLSX or PDF to the Downloads folder; returns the file's path. */
  exportMonthlyReport: (day: string | null, format: ReportFormat, locale: string) =>
    call<string>('export_monthly_report', { day, format, locale }),
  /** Writes that review as XLSX or PDF to the Downloads folder; returns the file's path. */
  exportWeeklyReview: (day: string | null, format: ReportFormat, locale: string) =>
    call<string>('export_weekly_review', { day, format, locale }),
  /** Writes the ticket status tracking table to the Downloads folder; returns the file's path. */
  exportTracking: (format: TableFormat, range: DayRange | null, locale: string) =>
    call<string>('export_tracking', { format, range, locale }),
  decideTransfer: (request: number, ticket: number, decision: TransferDecision) =>
    call<TransferView[]>('decide_transfer', { request, ticket, decision }),
  /** The survey of the ticket's latest round, if it has one. */
  ticketSurvey: (id: number) => call<SurveyView | null>('get_ticket_survey', { id }),
  /** Records the answer the customer gave by phone. */
  recordFeedback: (id: number, answer: Answer) => call<SurveyView>('record_feedback', { id, answer }),
  /** Imports survey answers from the text of a CSV file. */
  importFeedback: (csv: string) => call<ImportReport>('import_feedback', { csv }),
  /** The feedback module over `range` (the last 7 days without one). */
  feedback: (range: DayRange | null) => call<FeedbackOverview>('get_feedback', { range }),
  /** Writes the feedback score summary table to the Downloads folder; returns the file's path. */
  exportFeedback: (format: TableFormat, range: DayRange | null, locale: string) =>
    call<string>('export_feedback', { format, range, locale }),
  feedbackSettings: () => call<FeedbackSettings>('get_feedback_settings'),
  saveFeedbackSettings: (settings: FeedbackSettings) =>
    call<FeedbackSettings>('save_feedback_settings', { settings }),
  /** One window of the live tracking table, latest tickets first. */
  trackingPage: (range: DayRange | null, offset: number, limit: number) =>
    call<TrackingPage>('get_tracking_page', { range, offset, limit }),
  /** The improvement measures, each judged before/after as of now. */
  measures: () => call<Measure[]>('list_measures'),
  saveMeasure: (id: number | null, input: MeasureInput) => call<Measure>('save_measure', { id, input }),
  /** Writes the improvement measures table to the Downloads folder; returns the file's path. */
  exportMeasures: (format: TableFormat, locale: string) => call<string>('export_measures', { format, locale }),
  /** Background tasks that failed since start (restarted, or stopped for good). */
  troubles: () => call<TaskTrouble[]>('get_troubles'),
  /** Every field at fault in a new ticket (nothing is written). */
  checkNewTicket: (input: NewTicket) => call<FieldProblem[]>('check_new_ticket', { input }),
};

/** Calls `fn` when the interface language was switched in any window. */
export function onLocaleChanged(fn: (lang: string) => void): Promise<UnlistenFn> {
  return listen<string>(LOCALE_CHANGED, (e) => fn(e.payload));
}

/** Calls `fn` with every failure so far when a background task fails. */
export function onTrouble(fn: (t: TaskTrouble[]) => void): Promise<UnlistenFn> {
  return listen<TaskTrouble[]>(BACKGROUND_TROUBLE, (e) => fn(e.payload));
}

/** Calls `fn` when survey answers were recorded anywhere in the app. */
export function onFeedbackChanged(fn: () => void): Promise<UnlistenFn> {
  return listen(FEEDBACK_CHANGED, () => fn());
}

/** Calls `fn` when this member's presence changed (idle, screen lock). */
export function onPresence(fn: (p: PresenceStatus) => void): Promise<UnlistenFn> {
  return listen<PresenceStatus>(PRESENCE, (e) => fn(e.payload));
}

/** Calls `fn` when transfer requests were asked for or decided. */
export function onTransfersChanged(fn: () => void): Promise<UnlistenFn> {
  return listen<null>(TRANSFERS_CHANGED, () => fn());
}

/** Calls `fn` whenever any window changes a ticket. */
export function onTicketChanged(fn: (c: TicketChanged) => void): Promise<UnlistenFn> {
  return listen<TicketChanged>(TICKET_CHANGED, (e) => fn(e.payload));
}

/** Calls `fn` when a pop-up was clicked: open that ticket (or just the app). */
export function onOpenTicket(fn: (o: OpenTicket) => void): Promise<UnlistenFn> {
  return listen<OpenTicket>(OPEN_TICKET, (e) => fn(e.payload));
}

/** Calls `fn` when the member's SLA counts or do-not-disturb change. */
export function onSlaStatus(fn: (s: AlertStatus) => void): Promise<UnlistenFn> {
  return listen<AlertStatus>(SLA_STATUS, (e) => fn(e.payload));
}

/** Calls `fn` when the link to the team server or the outbox changed. */
export function onSyncStatus(fn: (s: SyncStatus) => void): Promise<UnlistenFn> {
  return listen<SyncStatus>(SYNC_STATUS, (e) => fn(e.payload));
}

/** Calls `fn` when the team's setup (members, types, SLA rules) changed on the server. */
export function onTeamConfigChanged(fn: () => void): Promise<UnlistenFn> {
  return listen<null>(TEAM_CONFIG_CHANGED, () => fn());
}

/** Calls `fn` when a ticket logged here reached the team server and got its own id. */
export function onTicketRenumbered(fn: (r: TicketRenumbered) => void): Promise<UnlistenFn> {
  return listen<TicketRenumbered>(TICKET_RENUMBERED, (e) => fn(e.payload));
}
