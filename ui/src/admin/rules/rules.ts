// Pure helpers for the SLA rules editors: blank drafts, the weekday text format, reordering.
import type { CalendarInput, DaySpan, PolicyInput } from '../../api/types';

export function blankPolicy(): PolicyInput {
  return {
    name: '',
    priorities: [],
    type_ids: [],
    tiers: [],
    first_response_minutes: 30,
    resolution_minutes: 480,
    near_percent: 80,
    pause_awaiting_reply: true,
    calendar_id: null,
  };
}

export function blankCalendar(): CalendarInput {
  const day = [{ from: '09:00', to: '18:00' }];
  return { name: '', tz: 'Asia/Shanghai', week: [day, day, day, day, day, [], []], holidays: [] };
}

/** "09:00-12:00, 13:00-18:00" ↔ spans. Text the core cannot read is kept as typed so it
 *  reports the mistake on the right field. */
export function spansToText(spans: DaySpan[]): string {
  return spans.map((s) => `${s.from}-${s.to}`).join(', ');
}

export function textToSpans(text: string): DaySpan[] {
  return text
    .split(/[,，;；]/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => {
      const [from, to] = p.split(/\s*[-–~至]\s*/);
      return { from: (from ?? '').trim(), to: (to ?? '').trim() };
    });
}

/** Holidays typed one per line or comma separated. */
export function textToDates(text: string): string[] {
  return text
    .split(/[\s,，]+/)
    .map((d) => d.trim())
    .filter((d) => d.length > 0);
}

/** The ids with the one at `index` moved by `delta` (−1 up, +1 down). */
export function moved<T>(ids: T[], index: number, delta: number): T[] {
  const to = index + delta;
  if (to < 0 || to >= ids.length) return ids;
  const out = [...ids];
  const [item] = out.splice(index, 1);
  out.splice(to, 0, item as T);
  return out;
}

/** Toggles `value` in a condition list (empty = any). */
export function toggled<T>(list: T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}
