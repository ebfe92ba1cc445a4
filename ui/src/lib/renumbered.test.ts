import { describe, expect, it } from 'vitest';
import { Renumberings } from './renumbered';

describe('Renumberings', () => {
  it('follows a provisional id to the one the server gave, even when told first', () => {
    const r = new Renumberings();
    r.note(-3, 41, 1_000);
    expect(r.follow(-3, 1_200)).toBe(41);
  });

  it('leaves ids the server never renumbered alone', () => {
    const r = new Renumberings();
    r.note(-3, 41, 1_000);
    expect(r.follow(-4, 1_000)).toBe(-4);
    expect(r.follow(7, 1_000)).toBe(7);
  });

  it('forgets a note once used, and an old one, since provisional ids come round again', () => {
    const r = new Renumberings(30_000);
    r.note(-1, 41, 0);
    expect(r.follow(-1, 10)).toBe(41);
    expect(r.follow(-1, 20)).toBe(-1);
    r.note(-1, 42, 0);
    expect(r.follow(-1, 60_000)).toBe(-1);
  });
});
