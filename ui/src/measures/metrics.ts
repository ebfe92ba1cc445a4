// How the measures table shows metrics and their values.
import type { Metric, TargetResult } from '../api/types';

export const METRICS: Metric[] = [
  'vip_first_response_minutes',
  'first_response_minutes',
  'resolution_hours',
  'first_response_breach_percent',
  'vip_breach_percent',
  'csat',
  'reopen_percent',
];

/** "≤" for metrics where lower is better, "≥" for CSAT. */
export function comparator(m: Metric): string {
  return m === 'csat' ? '≥' : '≤';
}

/** A value with one decimal and the metric's unit suffix key ("min", "h", "%" or none). */
export function unit(m: Metric): string {
  if (m.endsWith('_minutes')) return 'min';
  if (m.endsWith('_hours')) return 'h';
  if (m.endsWith('_percent')) return '%';
  return '';
}

/** The value with its unit in the member's language (`t` translates `measures.unit.*`). */
export function value(v: number | null, m: Metric, t?: (key: string) => string): string {
  if (v === null) return '—';
  const u = unit(m);
  const n = Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1);
  if (u === '%') return `${n}%`;
  if (!u) return n;
  return `${n} ${t ? t(`measures.unit.${u}`) : u}`;
}

/** "−37.5%" style change; a dash without both windows. */
export function change(r: TargetResult): string {
  const c = r.comparison.change_percent;
  if (c === null) return '—';
  const sign = c > 0 ? '+' : c < 0 ? '−' : '';
  return `${sign}${Math.abs(c).toFixed(1)}%`;
}

/** The local calendar day of `d` as YYYY-MM-DD (what a date input holds). */
export function localDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
