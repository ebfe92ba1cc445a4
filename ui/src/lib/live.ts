// Keeps a view in step with the core's events without missing or reordering a change.

type Unlisten = () => void;
/** Subscribes `fn` to one kind of event; resolves once the listener is in place. */
export type Subscribe = (fn: () => void) => Promise<Unlisten>;

/**
 * Loads `read` once every listener is in place — so a change committed between the first read
 * and the subscription cannot be missed — and again on each event. An answer that arrives after
 * a newer one was asked for is dropped, so a slow read never overwrites a fresh one.
 * Returns the stop function, for a Svelte `$effect` to return.
 */
export function live<T>(
  subscriptions: Subscribe[],
  read: () => Promise<T>,
  apply: (value: T) => void,
  fail: (e: unknown) => void,
): Unlisten {
  let asked = 0;
  let stopped = false;
  async function load() {
    const mine = ++asked;
    try {
      const value = await read();
      if (!stopped && mine === asked) apply(value);
    } catch (e) {
      if (!stopped && mine === asked) fail(e);
    }
  }
  const offs = subscriptions.map((s) => s(() => void load()));
  void Promise.allSettled(offs).then(() => {
    if (!stopped) void load();
  });
  return () => {
    stopped = true;
    for (const off of offs) void off.then((f) => f(), () => undefined);
  };
}
