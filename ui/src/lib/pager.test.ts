import { describe, expect, it } from 'vitest';
import { pagesFor, placePage } from './pager';

describe('pagesFor', () => {
  it('covers the visible rows and one page ahead', () => {
    expect(pagesFor(0, 30, 10_000, 200)).toEqual([0, 1]);
    expect(pagesFor(390, 420, 10_000, 200)).toEqual([1, 2, 3]);
  });
  it('never asks past the end', () => {
    expect(pagesFor(9_950, 10_050, 10_000, 200)).toEqual([49]);
    expect(pagesFor(0, 10, 5, 200)).toEqual([0]);
  });
  it('asks nothing of an empty list', () => {
    expect(pagesFor(0, 10, 0)).toEqual([]);
  });
});

describe('placePage', () => {
  it('fills rows at their offset and keeps the rest', () => {
    const a = placePage<number>([], 2, [7, 8], 5);
    expect(a).toEqual([undefined, undefined, 7, 8, undefined]);
    const b = placePage(a, 0, [1], 5);
    expect(b).toEqual([1, undefined, 7, 8, undefined]);
    expect(a[0]).toBeUndefined();
  });
  it('follows a shrinking total', () => {
    expect(placePage([1, 2, 3], 0, [9, 9, 9], 2)).toEqual([9, 9]);
  });
});
