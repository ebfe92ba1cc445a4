// How a date field writes its parts in each language: 2026年12月07日 in Chinese, 2026-12-07
// in English — year, month, day, with our own marks between them, whatever order and marks
// the locale would use (Intl writes 2026/12/07 for Chinese and 12/7/2026 for US English).
import type { Lang } from '../lib/format';

/** The locale of the calendar's month and weekday names (the parts are always shown year,
 *  month, day — the order a locale such as en-US would give is not used). */
export function dateLocale(lang: Lang): string {
  return lang === 'zh-CN' ? 'zh-CN' : 'en-US';
}

const ORDER = ['year', 'month', 'day'];

type Part = { part: string; value: string };

/** The text of a literal between parts (`before` is the part ahead of it), and what follows
 *  the last part. */
export function literalText(lang: Lang, before: string | undefined): string {
  if (lang !== 'zh-CN') return '-';
  if (before === 'year') return '年';
  if (before === 'month') return '月';
  return '';
}

/** An empty part: dashes, one per digit (the locale's own placeholders would read 年年 with
 *  our marks). */
function blank(p: Part): Part {
  if (/\d/.test(p.value)) return p;
  return { part: p.part, value: p.part === 'year' ? '----' : '--' };
}

/** The parts to show: literals rewritten for `lang`, empty parts as dashes, and 日 after the
 *  day in Chinese. */
export function shownParts(lang: Lang, parts: Part[]): Part[] {
  const editable = ORDER.map((o) => parts.find((p) => p.part === o)).filter((p): p is Part => !!p);
  const out: Part[] = [];
  editable.forEach((p, i) => {
    if (i > 0) out.push({ part: 'literal', value: literalText(lang, editable[i - 1]?.part) });
    out.push(blank(p));
  });
  if (lang === 'zh-CN' && out.at(-1)?.part === 'day') out.push({ part: 'literal', value: '日' });
  return out;
}
