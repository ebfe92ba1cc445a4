import { describe, expect, it } from 'vitest';
import { minutes } from './tracking';

describe('tracking minutes', () => {
  it('writes minutes like the export', () => {
    expect(minutes(900)).toBe('15');
    expect(minutes(90)).toBe('1.5');
    expect(minutes(725)).toBe('12.1');
    expect(minutes(null)).toBe('—');
  });
});
