/**
 * A ticket logged on a team desktop has a provisional (negative) id until the team server
 * gives it its own. The news of that can arrive before the form hears its ticket was
 * logged, so the ids the server just gave are remembered and the next open follows them.
 * Provisional ids are reused once their ticket is gone, so a note is taken once and only
 * while fresh (the race it covers lasts well under a second).
 */
export class Renumberings {
  private readonly to = new Map<number, { id: number; at: number }>();

  constructor(private readonly freshMs = 30_000) {}

  /** The server gave `from` the id `to` (at `now`, in ms). */
  note(from: number, to: number, now: number = Date.now()): void {
    this.to.set(from, { id: to, at: now });
  }

  /** The id to open for `id`: the server's, if it just gave one. */
  follow(id: number, now: number = Date.now()): number {
    const noted = this.to.get(id);
    this.to.delete(id);
    return noted && now - noted.at <= this.freshMs ? noted.id : id;
  }
}
