import { describe, expect, it } from 'vitest';
import { emptyFilters, toQuery } from './filters';

describe('emptyFilters', () => {
  it('starts both lists on open tickets', () => {
    expect(emptyFilters(false)).toMatchObject({ open_only: true, assignee: null });
    expect(emptyFilters(true)).toMatchObject({ open_only: true, assignee: 'me' });
  });
});

describe('toQuery', () => {
  it('turns an empty search into no search', () => {
    const q = toQuery({ ...emptyFilters(false), search: '   ' }, false, 0, 200);
    expect(q.search).toBeNull();
    expect(q.assignee).toBeNull();
  });
  it('"My tickets" always asks for mine, whatever the filter says', () => {
    const f = { ...emptyFilters(true), assignee: { user: 9 } };
    expect(toQuery(f, true, 400, 200)).toMatchObject({ assignee: 'me', offset: 400, limit: 200, open_only: true });
  });
  it('passes every filter through', () => {
    const f = { ...emptyFilters(false), stage: 'done' as const, priority: 'urgent' as const, type_id: 2, search: ' CS2026 ' };
    expect(toQuery(f, false, 0, 10)).toMatchObject({ stage: 'done', priority: 'urgent', type_id: 2, search: 'CS2026' });
  });
  it("passes a board figure's window and overdue filter through", () => {
    const window = { field: 'resolved' as const, from: '2026-11-23T16:00:00Z', to: '2026-11-24T16:00:00Z' };
    expect(toQuery({ ...emptyFilters(false), window, overdue: true }, false, 0, 10)).toMatchObject({ window, overdue: true });
    const plain = toQuery(emptyFilters(false), false, 0, 10);
    expect(plain.window).toBeUndefined();
    expect(plain.overdue).toBeUndefined();
  });
});
