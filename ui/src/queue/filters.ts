// The pool's filter state and how it becomes a query for the core.
import type { AssigneeFilter, Channel, PoolQuery, Priority, Stage, Tier, TimeWindow } from '../api/types';

export const STAGES: Stage[] = ['unassigned', 'to_contact', 'in_progress', 'awaiting_reply', 'done'];
export const PRIORITIES: Priority[] = ['urgent', 'high', 'medium', 'low'];
export const CHANNELS: Channel[] = ['phone', 'chat', 'email', 'app', 'web_form'];
export const TIERS: Tier[] = ['vip', 'normal', 'enterprise'];

export interface PoolFilters {
  search: string;
  stage: Stage | null;
  type_id: number | null;
  priority: Priority | null;
  channel: Channel | null;
  tier: Tier | null;
  assignee: AssigneeFilter | null;
  open_only: boolean;
  /** Set by a board figure: tickets logged / first answered / resolved in a span. */
  window: TimeWindow | null;
  /** Set by a board figure: open tickets past their SLA target now. */
  overdue: boolean;
}

/** The filters a list starts with: open tickets, and for "My tickets" only the member's own. */
export function emptyFilters(mine: boolean): PoolFilters {
  return {
    search: '',
    stage: null,
    type_id: null,
    priority: null,
    channel: null,
    tier: null,
    assignee: mine ? 'me' : null,
    // The pending pool is about work still to do; finished tickets are one click away.
    open_only: true,
    window: null,
    overdue: false,
  };
}

/** The query for one page; "My tickets" always asks for the signed-in member's tickets. */
export function toQuery(f: PoolFilters, mine: boolean, offset: number, limit: number): PoolQuery {
  const search = f.search.trim();
  return {
    stage: f.stage,
    type_id: f.type_id,
    priority: f.priority,
    channel: f.channel,
    tier: f.tier,
    assignee: mine ? 'me' : f.assignee,
    open_only: f.open_only,
    search: search === '' ? null : search,
    window: f.window ?? undefined,
    overdue: f.overdue || undefined,
    offset,
    limit,
  };
}
