import { describe, expect, it } from 'vitest';
import { formatDay, formatDuration, formatIsoDay, formatListTime, formatTime, secondsBetween } from './format';

describe('formatDuration', () => {
  it('picks the largest sensible units', () => {
    expect(formatDuration(42, 'en')).toBe('42 s');
    expect(formatDuration(5 * 60 + 59, 'en')).toBe('5 min');
    expect(formatDuration(2 * 3600 + 5 * 60, 'en')).toBe('2 h 05 min');
    expect(formatDuration(3 * 86_400 + 4 * 3600, 'en')).toBe('3 d 4 h');
  });
  it('speaks Chinese', () => {
    expect(formatDuration(2 * 3600 + 5 * 60, 'zh-CN')).toBe('2小时05分');
    expect(formatDuration(15 * 60, 'zh-CN')).toBe('15分钟');
    expect(formatDuration(30, 'zh-CN')).toBe('30秒');
  });
  it('never shows negative time', () => {
    expect(formatDuration(-5, 'en')).toBe('0 s');
  });
});

describe('secondsBetween', () => {
  it('measures ISO timestamps', () => {
    expect(secondsBetween('2026-11-23T09:00:00Z', '2026-11-23T09:12:00Z')).toBe(720);
  });
});

describe('formatTime', () => {
  const now = new Date(2026, 11, 7, 15, 0);
  it('shows the clock time alone today', () => {
    expect(formatTime(new Date(2026, 11, 7, 8, 57).toISOString(), 'zh-CN', now)).toBe('08:57');
  });
  it('dates any other day, as each language writes dates', () => {
    const yesterday = new Date(2026, 11, 6, 8, 57).toISOString();
    expect(formatTime(yesterday, 'zh-CN', now)).toBe('2026年12月6日 08:57');
    expect(formatTime(yesterday, 'en', now)).toBe('2026-12-06 08:57');
  });
  it('writes days', () => {
    expect(formatDay(new Date(2026, 11, 7), 'zh-CN')).toBe('2026年12月7日');
    expect(formatIsoDay('2026-12-07', 'en')).toBe('2026-12-07');
    expect(formatIsoDay('2026-01-05', 'zh-CN')).toBe('2026年1月5日');
  });
});

describe('formatListTime', () => {
  const now = new Date(2026, 11, 7, 10, 0);
  it('shows the time today, the day without the year this year, the whole day before', () => {
    expect(formatListTime(new Date(2026, 11, 7, 8, 57).toISOString(), 'zh-CN', now)).toBe('08:57');
    expect(formatListTime(new Date(2026, 11, 6, 8, 57).toISOString(), 'zh-CN', now)).toBe('12月6日 08:57');
    expect(formatListTime(new Date(2026, 11, 6, 8, 57).toISOString(), 'en', now)).toBe('12-06 08:57');
    expect(formatListTime(new Date(2025, 11, 31, 23, 5).toISOString(), 'en', now)).toBe('2025-12-31 23:05');
  });
});
