import { describe, expect, it } from 'vitest';
import { overallOf, solvedShare, tenths } from './scores';

describe('scores', () => {
  it('shows tenths with one decimal', () => {
    expect(tenths(47)).toBe('4.7');
    expect(tenths(20)).toBe('2.0');
    expect(tenths(null)).toBe('—');
  });
  it('previews the overall score by the core rule', () => {
    expect(tenths(overallOf(5, 5, 4))).toBe('4.7');
    expect(tenths(overallOf(2, 1, 3))).toBe('2.0');
    expect(tenths(overallOf(1, 1, 2))).toBe('1.3');
    expect(tenths(overallOf(1, 2, 2))).toBe('1.7');
  });
  it('shares solved answers as a percentage', () => {
    const base = { csat: null, speed: null, professionalism: null, resolution: null, follow_ups: 0 };
    expect(solvedShare({ ...base, answers: 0, solved: 0 })).toBe('—');
    expect(solvedShare({ ...base, answers: 3, solved: 2 })).toBe('67%');
  });
});
