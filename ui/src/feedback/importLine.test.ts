import { describe, expect, it, vi } from 'vitest';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }));

import { get } from 'svelte/store';
import { _, addMessages, init, locale } from 'svelte-i18n';
import en from '../i18n/en';
import zh from '../i18n/zh-CN';
import type { Translate } from '../shared/errors';
import { importLineText } from './importLine';

addMessages('en', en);
addMessages('zh-CN', zh);
init({ fallbackLocale: 'en', initialLocale: 'en' });

function inLang(lang: string): Translate {
  locale.set(lang);
  return get(_) as Translate;
}

describe('importLineText', () => {
  const score = { line: 5, number: 'CS2026120701', column: 'speed', why: { code: 'not_a_score' as const, value: '9' } };
  it('names the line, the ticket, the column and why, in Chinese', () => {
    expect(importLineText(score, inLang('zh-CN'))).toBe('第 5 行 · CS2026120701，响应速度：“9”不是 1 到 5 的整数评分。');
  });
  it('and in English', () => {
    expect(importLineText(score, inLang('en'))).toBe('Line 5 · CS2026120701, Response speed: “9” is not a whole score from 1 to 5.');
  });
  it('says only the line when the row could not be read at all', () => {
    const l = { line: 3, number: null, column: null, why: { code: 'not_csv' as const, detail: 'x' } };
    expect(importLineText(l, inLang('en'))).toBe('Line 3: This is not a CSV file this app can read (x).');
  });
});
