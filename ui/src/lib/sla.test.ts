import { describe, expect, it } from 'vitest';
import type { SlaClock } from '../api/types';
import { badgeAt, isStale, secondsLeft, stateAt } from './sla';

const running: SlaClock = {
  kind: 'first_response',
  state: 'on_track',
  target_secs: 1800,
  counted_secs: 0,
  due_at: '2026-11-23T10:30:00Z',
  near_at: '2026-11-23T10:24:00Z',
  paused: false,
  stopped_at: null,
};
const t = (hhmmss: string) => Date.parse(`2026-11-23T${hhmmss}Z`);

describe('stateAt', () => {
  it('follows the core instants while running', () => {
    expect(stateAt(running, t('10:23:59'))).toBe('on_track');
    expect(stateAt(running, t('10:24:00'))).toBe('near_breach');
    expect(stateAt(running, t('10:30:00'))).toBe('near_breach');
    expect(stateAt(running, t('10:30:01'))).toBe('breached');
  });
  it('keeps the core state of stopped and paused clocks', () => {
    expect(stateAt({ ...running, stopped_at: '2026-11-23T10:10:00Z', state: 'met' }, t('12:00:00'))).toBe('met');
    expect(stateAt({ ...running, paused: true, due_at: null, near_at: null }, t('12:00:00'))).toBe('on_track');
  });
});

describe('secondsLeft', () => {
  it('counts down and then up', () => {
    expect(secondsLeft(running, t('10:20:00'))).toBe(600);
    expect(secondsLeft(running, t('10:35:00'))).toBe(-300);
    expect(secondsLeft({ ...running, paused: true }, t('10:20:00'))).toBeNull();
  });
});

describe('badgeAt', () => {
  const badge = { kind: 'first_response' as const, due_at: '2026-11-23T10:30:00Z', near_at: '2026-11-23T10:24:00Z', paused: false };
  it('turns near breach at near_at and breached after due_at', () => {
    expect(badgeAt(badge, t('10:00:00'))).toEqual({ state: 'on_track', left: 1800 });
    expect(badgeAt(badge, t('10:24:00')).state).toBe('near_breach');
    expect(badgeAt(badge, t('10:30:00')).state).toBe('near_breach');
    expect(badgeAt(badge, t('10:31:00'))).toEqual({ state: 'breached', left: -60 });
  });
  it('shows a paused clock as paused', () => {
    expect(badgeAt({ ...badge, paused: true, due_at: null, near_at: null }, t('10:00:00'))).toEqual({ state: 'paused', left: null });
  });
});

describe('isStale', () => {
  it('flags from stale_at until the breach', () => {
    const row = { stale_at: '2026-11-23T10:10:00Z', stale_until: null };
    expect(isStale(row, t('10:09:59'))).toBe(false);
    expect(isStale(row, t('10:10:00'))).toBe(true);
    expect(isStale({ stale_at: null, stale_until: null }, t('23:00:00'))).toBe(false);
    const breaching = { stale_at: '2026-11-23T10:10:00Z', stale_until: '2026-11-23T10:30:00Z' };
    expect(isStale(breaching, t('10:29:59'))).toBe(true);
    expect(isStale(breaching, t('10:30:00'))).toBe(false);
  });
});
