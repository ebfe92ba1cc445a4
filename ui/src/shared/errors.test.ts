import { describe, expect, it, vi } from 'vitest';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }));

import { get } from 'svelte/store';
import { _, addMessages, init, locale } from 'svelte-i18n';
import en from '../i18n/en';
import zh from '../i18n/zh-CN';
import { ApiFailure } from '../api/client';
import type { Reason } from '../api/types';
import { explain, reasonText, type Translate } from './errors';

addMessages('en', en);
addMessages('zh-CN', zh);
init({ fallbackLocale: 'en', initialLocale: 'en' });

function inLang(lang: string, f: (t: Translate) => string): string {
  locale.set(lang);
  return f(get(_) as Translate);
}

const samples: Reason[] = [
  { code: 'cap_reached', name: '李娜', open: 5, cap: 5 },
  { code: 'forbidden', action: 'view_team' },
  { code: 'illegal_move', from: 'to_contact', to: 'done', hint: 'contact_first' },
  { code: 'calendar_in_use', policies: 2 },
  { code: 'missing_columns', columns: ['speed', 'resolution'] },
  { code: 'not_in_team_mode', feature: 'transfers' },
  { code: 'already_priority', priority: 'urgent' },
  { code: 'too_long', max: 200, len: 201 },
];

describe('refusals', () => {
  it('every code has a text in both languages and no placeholder is left unfilled', () => {
    for (const lang of ['en', 'zh-CN']) {
      for (const r of samples) {
        const text = inLang(lang, (t) => reasonText(r, t));
        expect(text, `${lang} ${r.code}`).not.toMatch(/[{}]/);
        expect(text, `${lang} ${r.code}`).not.toContain(`reason.${r.code}`);
      }
    }
    expect(Object.keys(zh.reason).sort()).toEqual(Object.keys(en.reason).sort());
  });

  it('reads in the member’s language with its codes translated', () => {
    const cap: Reason = { code: 'cap_reached', name: '李娜', open: 5, cap: 5 };
    expect(inLang('zh-CN', (t) => reasonText(cap, t))).toBe('李娜 已有 5 个未完成工单（上限 5）。');
    expect(inLang('en', (t) => reasonText(cap, t))).toBe('李娜 already has 5 open tickets (cap 5).');
    const move: Reason = { code: 'illegal_move', from: 'to_contact', to: 'done', hint: 'contact_first' };
    expect(inLang('zh-CN', (t) => reasonText(move, t))).toBe('无法从“待联系客户”转到“已完成”：请先联系客户（处理中）。');
    const forbidden = new ApiFailure({
      code: 'forbidden',
      message: 'not allowed: team-wide views are for supervisors and admins',
      field: null,
      reason: { code: 'forbidden', action: 'view_team' },
    });
    expect(inLang('zh-CN', (t) => explain(forbidden, t))).toBe('无权限：团队视图仅限主管和管理员。');
  });

  it('an error without a reason falls back to its category', () => {
    const f = new ApiFailure({ code: 'unreachable', message: 'timed out', field: null, reason: null });
    expect(inLang('en', (t) => explain(f, t))).toBe('Cannot reach the server: timed out');
  });
});
