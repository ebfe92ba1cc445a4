// Between refreshes, a running clock's state follows the wall clock past the instants the
// core computed (near_at, due_at); the rule itself lives in pulsedesk_core::sla.
import type { ClockState, SlaClock } from '../api/types';

/** The clock's state at `nowMs`. */
export function stateAt(c: SlaClock, nowMs: number): ClockState {
  if (c.stopped_at !== null || c.paused || c.due_at === null) return c.state;
  if (nowMs > Date.parse(c.due_at)) return 'breached';
  if (c.near_at !== null && nowMs >= Date.parse(c.near_at)) return 'near_breach';
  return c.state;
}

/** Seconds until due (negative when overdue), or null when not running. */
export function secondsLeft(c: SlaClock, nowMs: number): number | null {
  if (c.stopped_at !== null || c.paused || c.due_at === null) return null;
  return Math.round((Date.parse(c.due_at) - nowMs) / 1000);
}
