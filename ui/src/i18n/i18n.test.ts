import { describe, expect, it } from 'vitest';
import en from './en';
import zh from './zh-CN';
import { resolveLocale } from './index';

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
