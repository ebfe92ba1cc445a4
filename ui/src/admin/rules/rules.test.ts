import { describe, expect, it } from 'vitest';
import { moved, spansToText, textToDates, textToSpans, toggled } from './rules';

describe('weekday text', () => {
  it('round-trips spans', () => {
    const spans = [
      { from: '09:00', to: '12:00' },
      { from: '13:00', to: '18:00' },
    ];
    expect(textToSpans(spansToText(spans))).toEqual(spans);
  });
  it('reads Chinese separators and empty days', () => {
    expect(textToSpans('09:00至12:00，13:00-18:00')).toEqual([
      { from: '09:00', to: '12:00' },
      { from: '13:00', to: '18:00' },
    ]);
    expect(textToSpans('  ')).toEqual([]);
  });
  it('keeps what it cannot read, for the core to report', () => {
    expect(textToSpans('9am')).toEqual([{ from: '9am', to: '' }]);
  });
});

describe('helpers', () => {
  it('reads holidays in any list form', () => {
    expect(textToDates('2026-10-01, 2026-10-02\n2026-10-03')).toEqual(['2026-10-01', '2026-10-02', '2026-10-03']);
  });
  it('moves within bounds only', () => {
    expect(moved([1, 2, 3], 1, -1)).toEqual([2, 1, 3]);
    expect(moved([1, 2, 3], 0, -1)).toEqual([1, 2, 3]);
    expect(moved([1, 2, 3], 2, 1)).toEqual([1, 2, 3]);
  });
  it('toggles conditions', () => {
    expect(toggled(['vip'], 'vip')).toEqual([]);
    expect(toggled<string>([], 'vip')).toEqual(['vip']);
  });
});
