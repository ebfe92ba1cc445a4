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

const pad2 = (n: number) => String(n).padStart(2, '0');

/** A day as each language writes it: "2026-12-07" / "2026年12月7日". */
export function formatDay(d: Date, lang: Lang): string {
  return lang === 'zh-CN'
    ? `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日`
    : `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/** A "YYYY-MM-DD" day (a date input's value, a report's week) as the language writes it. */
export function formatIsoDay(day: string, lang: Lang): string {
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return day;
  return formatDay(new Date(y, m - 1, d), lang);
}

/** A timestamp in the user's zone: the clock time today ("14:05"), with its day on any other
 *  day ("2026-12-06 14:05" / "2026年12月6日 14:05"). */
export function formatTime(iso: string, lang: Lang, now: Date = new Date()): string {
  const t = new Date(iso);
  const time = `${pad2(t.getHours())}:${pad2(t.getMinutes())}`;
  const today = t.getFullYear() === now.getFullYear() && t.getMonth() === now.getMonth() && t.getDate() === now.getDate();
  return today ? time : `${formatDay(t, lang)} ${time}`;
}

/** Seconds between two ISO timestamps. */
export function secondsBetween(fromIso: string, toIso: string): number {
  return (Date.parse(toIso) - Date.parse(fromIso)) / 1000;
}

/** A timestamp in a list, where room is short: the clock time today ("14:05"), the day
 *  without its year this year ("12-06 14:05" / "12月6日 14:05"), and the whole day in
 *  another year. */
export function formatListTime(iso: string, lang: Lang, now: Date = new Date()): string {
  const t = new Date(iso);
  if (t.getFullYear() !== now.getFullYear()) return formatTime(iso, lang, now);
  const time = `${pad2(t.getHours())}:${pad2(t.getMinutes())}`;
  if (t.getMonth() === now.getMonth() && t.getDate() === now.getDate()) return time;
  const day = lang === 'zh-CN' ? `${t.getMonth() + 1}月${t.getDate()}日` : `${pad2(t.getMonth() + 1)}-${pad2(t.getDate())}`;
  return `${day} ${time}`;
}
