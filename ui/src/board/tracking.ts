// How the live tracking table shows its numbers.

/** Seconds as minutes with one decimal, as the export writes them ("1.5"); a dash without. */
export function minutes(secs: number | null): string {
  if (secs === null) return '—';
  const m = Math.round(secs / 6) / 10;
  return Number.isInteger(m) ? m.toFixed(0) : m.toFixed(1);
}
