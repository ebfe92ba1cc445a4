// One export at a time from a board tab: which one is being written, and where the last went.
export class Saving {
  /** The export being written (its format), or null. */
  busy = $state<string | null>(null);
  /** The last file written. */
  path = $state<string | null>(null);

  async run(what: string, write: () => Promise<string>, onError: (e: unknown) => void) {
    this.busy = what;
    this.path = null;
    try {
      this.path = await write();
    } catch (e) {
      onError(e);
    } finally {
      this.busy = null;
    }
  }
}
