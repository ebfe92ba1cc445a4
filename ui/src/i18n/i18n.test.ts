import { describe, expect, it } from 'vitest';
import en from './en';
import zh from './zh-CN';
import { resolveLocale } from './index';
import { punctuationFault } from './punctuation';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('messages', () => {
  it('Chinese and English have the same keys', () => {
    expect(keys(zh).sort()).toEqual(keys(en).sort());
  });
  it('no message is empty', () => {
    const values = (o: object): string[] =>
      Object.values(o).flatMap((v) => (typeof v === 'object' ? values(v as object) : [v as string]));
    expect([...values(en), ...values(zh)].filter((v) => v.trim() === '')).toEqual([]);
  });
});

function entries(o: object, prefix = ''): [string, string][] {
  return Object.entries(o).flatMap(([k, v]) =>
    v && typeof v === 'object' ? entries(v as object, `${prefix}${k}.`) : [[`${prefix}${k}`, String(v)] as [string, string]],
  );
}

describe('punctuation', () => {
  it('is full-width beside Chinese and never in English', () => {
    expect(punctuationFault('已保存，请稍候。', 'zh-CN')).toBeNull();
    expect(punctuationFault('已保存,请稍候', 'zh-CN')).toContain(',');
    expect(punctuationFault('原因:超时', 'zh-CN')).toContain(':');
    expect(punctuationFault('客户 (VIP)', 'zh-CN')).toBeNull();
    expect(punctuationFault('共 3 张(VIP)', 'zh-CN')).toContain('(');
    expect(punctuationFault('截止(今天)', 'zh-CN')).toContain('(');
    expect(punctuationFault('Saved, thanks.', 'en')).toBeNull();
    expect(punctuationFault('Saved，thanks', 'en')).toContain('，');
    expect(punctuationFault('Loading...', 'en')).toContain('…');
    expect(punctuationFault('Team’s “board”', 'en')).toBeNull();
  });
  it('holds in every message of both languages', () => {
    const faults = [
      ...entries(zh).map(([k, v]) => [k, punctuationFault(v, 'zh-CN')]),
      ...entries(en).map(([k, v]) => [k, punctuationFault(v, 'en')]),
    ].filter(([, f]) => f !== null);
    expect(faults).toEqual([]);
  });
});

describe('resolveLocale', () => {
  it('follows the OS', () => {
    expect(resolveLocale('zh_CN.UTF-8', null)).toBe('zh-CN');
    expect(resolveLocale('zh-Hans-CN', null)).toBe('zh-CN');
    expect(resolveLocale('en-US', null)).toBe('en');
    expect(resolveLocale('de-DE', null)).toBe('en');
  });
  it('a saved choice wins, an unknown one is ignored', () => {
    expect(resolveLocale('zh-CN', 'en')).toBe('en');
    expect(resolveLocale('en-US', 'zh-CN')).toBe('zh-CN');
    expect(resolveLocale('en-US', 'fr')).toBe('en');
  });
});
