// Between refreshes, a running clock's state follows the wall clock past the instants the
// core computed (near_at, due_at); the rule itself lives in pulsedesk_core::sla.
import type { ClockState, PoolRow, SlaBadge, SlaClock } from '../api/types';

/** The clock's state at `nowMs`. */
export function stateAt(c: SlaClock, nowMs: number): ClockState {
  if (c.stopped_at !== null || c.paused || c.due_at === null) return c.state;
  // As in the core: a target of N is met at exactly N, breached from a second past it.
  if (nowMs >= Date.parse(c.due_at) + 1000) return 'breached';
  if (c.near_at !== null && nowMs >= Date.parse(c.near_at)) return 'near_breach';
  return c.state;
}

/** Seconds until due (negative when overdue), or null when not running. */
export function secondsLeft(c: SlaClock, nowMs: number): number | null {
  if (c.stopped_at !== null || c.paused || c.due_at === null) return null;
  return Math.round((Date.parse(c.due_at) - nowMs) / 1000);
}

/** A list's countdown: on track / near breach / breached, or paused. */
export type BadgeState = 'on_track' | 'near_breach' | 'breached' | 'paused';

/** Where a list row's headline clock stands at `nowMs`, and seconds until due. */
export function badgeAt(b: SlaBadge, nowMs: number): { state: BadgeState; left: number | null } {
  if (b.paused || b.due_at === null) return { state: 'paused', left: null };
  const due = Date.parse(b.due_at);
  const left = Math.round((due - nowMs) / 1000);
  if (nowMs >= due + 1000) return { state: 'breached', left: Math.min(left, -1) };
  if (b.near_at !== null && nowMs >= Date.parse(b.near_at)) return { state: 'near_breach', left };
  return { state: 'on_track', left };
}

/** Whether `nowMs` falls in the stale window the core gave the row (docs/METRICS.md, "Stale"). */
export function isStale(row: Pick<PoolRow, 'stale_at' | 'stale_until'>, nowMs: number): boolean {
  if (row.stale_at === null || nowMs < Date.parse(row.stale_at)) return false;
  return row.stale_until === null || nowMs < Date.parse(row.stale_until);
}
