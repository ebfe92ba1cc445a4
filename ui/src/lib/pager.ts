// Which pages of the pool to fetch for the rows on screen. The list is virtualised: it
// knows the total, and rows arrive a page at a time as they scroll into view.

export const PAGE_SIZE = 200;

/** Page indices covering rows `start..=end` (clamped to `total`), plus one page ahead. */
export function pagesFor(start: number, end: number, total: number, pageSize = PAGE_SIZE): number[] {
  if (total <= 0 || end < start) return [];
  const last = Math.min(end, total - 1);
  const first = Math.max(0, Math.min(start, last));
  const lastPage = Math.floor((total - 1) / pageSize);
  const from = Math.floor(first / pageSize);
  const to = Math.min(lastPage, Math.floor(last / pageSize) + 1);
  const pages: number[] = [];
  for (let p = from; p <= to; p++) pages.push(p);
  return pages;
}

/** Writes a fetched page into the sparse row array, growing or shrinking it to `total`. */
export function placePage<T>(rows: (T | undefined)[], offset: number, page: T[], total: number): (T | undefined)[] {
  const next = rows.length === total ? rows.slice() : Array.from({ length: total }, (_, i) => rows[i]);
  page.forEach((row, i) => {
    if (offset + i < total) next[offset + i] = row;
  });
  return next;
}
