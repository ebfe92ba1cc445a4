// Formatting of times and durations for both languages.

export type Lang = 'zh-CN' | 'en';

/** "2 h 05 min" / "2小时05分"; under a minute shows seconds. */
export function formatDuration(seconds: number, lang: Lang): string {
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  const zh = lang === 'zh-CN';
  if (s < 60) return zh ? `${s}秒` : `${s} s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return zh ? `${d}天${h}小时` : `${d} d ${h} h`;
  if (h > 0) return zh ? `${h}小时${pad(m)}分` : `${h} h ${pad(m)} min`;
  return zh ? `${m}分钟` : `${m} min`;
}

/** A timestamp in the user's zone: "11-23 14:05" style, with the year when not this year. */
export function formatTime(iso: string, lang: Lang, now: Date = new Date()): string {
  const t = new Date(iso);
  const sameYear = t.getFullYear() === now.getFullYear();
  return new Intl.DateTimeFormat(lang, {
    year: sameYear ? undefined : 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(t);
}

/** Seconds between two ISO timestamps. */
export function secondsBetween(fromIso: string, toIso: string): number {
  return (Date.parse(toIso) - Date.parse(fromIso)) / 1000;
}
