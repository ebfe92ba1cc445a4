// The save cycle every admin editor shares: run the save, keep its error, say when it worked.

export class Saver {
  error = $state<unknown>(null);
  saved = $state(false);

  constructor(private readonly onSaved: () => void) {}

  /** Runs `op`; on success clears the error, marks saved and tells the parent. */
  async run(op: () => Promise<unknown>): Promise<boolean> {
    this.saved = false;
    try {
      await op();
      this.error = null;
      this.saved = true;
      this.onSaved();
      return true;
    } catch (e) {
      this.error = e;
      return false;
    }
  }
}
