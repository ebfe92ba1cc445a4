import { describe, expect, it } from 'vitest';
import { change, comparator, localDay, value } from './metrics';

describe('measure metrics', () => {
  it('shows values with their units', () => {
    expect(value(9, 'vip_first_response_minutes')).toBe('9 min');
    expect(value(12.5, 'vip_breach_percent')).toBe('12.5%');
    expect(value(4.6, 'csat')).toBe('4.6');
    expect(value(null, 'csat')).toBe('—');
    const zh = (k: string) => ({ 'measures.unit.min': '分钟', 'measures.unit.h': '小时' })[k] ?? k;
    expect(value(9, 'vip_first_response_minutes', zh)).toBe('9 分钟');
    expect(value(30, 'resolution_hours', zh)).toBe('30 小时');
    expect(comparator('csat')).toBe('≥');
    expect(comparator('resolution_hours')).toBe('≤');
  });
  it('shows the change before → after', () => {
    const r = (c: number | null) => ({
      target: { metric: 'csat' as const, value: 4.5 },
      comparison: { metric: 'csat' as const, before: 4, after: 4.5, change_percent: c },
      met: true,
    });
    expect(change(r(-37.5))).toBe('−37.5%');
    expect(change(r(12.5))).toBe('+12.5%');
    expect(change(r(null))).toBe('—');
  });
  it('writes the local day a date input holds', () => {
    expect(localDay(new Date(2026, 0, 5, 23, 30))).toBe('2026-01-05');
  });
});
