import { describe, expect, it } from 'vitest';
import { shownParts } from './dateSegments';

const zhIntl = [
  { part: 'year', value: '2026' },
  { part: 'literal', value: '/' },
  { part: 'month', value: '12' },
  { part: 'literal', value: '/' },
  { part: 'day', value: '07' },
];
const text = (ps: { value: string }[]) => ps.map((p) => p.value).join('');

describe('shownParts', () => {
  it('writes a Chinese date as 年月日', () => {
    expect(text(shownParts('zh-CN', zhIntl))).toBe('2026年12月07日');
  });
  it('puts a US-ordered date year first', () => {
    const us = [
      { part: 'month', value: '12' },
      { part: 'literal', value: '/' },
      { part: 'day', value: '07' },
      { part: 'literal', value: '/' },
      { part: 'year', value: '2026' },
    ];
    expect(text(shownParts('en', us))).toBe('2026-12-07');
  });
  it('writes an English date as 2026-12-07', () => {
    expect(text(shownParts('en', zhIntl))).toBe('2026-12-07');
  });
  it('shows an empty field as dashes, not the locale\'s 年/月/日 placeholders', () => {
    const empty = [
      { part: 'year', value: '年' },
      { part: 'literal', value: '/' },
      { part: 'month', value: '月' },
      { part: 'literal', value: '/' },
      { part: 'day', value: '日' },
    ];
    expect(text(shownParts('zh-CN', empty))).toBe('----年--月--日');
    expect(text(shownParts('en', [{ part: 'year', value: 'yyyy' }]))).toBe('----');
  });
});
