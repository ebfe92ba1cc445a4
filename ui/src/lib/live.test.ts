import { describe, expect, it } from 'vitest';
import { live, type Subscribe } from './live';

/** An event source whose subscription resolves only when `ready()` is called. */
function source() {
  const fns: (() => void)[] = [];
  let ready = () => {};
  const subscribe: Subscribe = (fn) =>
    new Promise((resolve) => {
      ready = () => {
        fns.push(fn);
        resolve(() => fns.splice(fns.indexOf(fn), 1));
      };
    });
  return { subscribe, ready: () => ready(), emit: () => fns.forEach((f) => f()), count: () => fns.length };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('live', () => {
  it('reads only once the listener is in place, then on each event', async () => {
    const s = source();
    let version = 1;
    const seen: number[] = [];
    live([s.subscribe], async () => version, (v) => seen.push(v), () => {});
    await tick();
    expect(seen).toEqual([]);
    version = 2; // changed before the subscription: the first read must see it
    s.ready();
    await tick();
    expect(seen).toEqual([2]);
    version = 3;
    s.emit();
    await tick();
    expect(seen).toEqual([2, 3]);
  });

  it('drops an answer that arrives after a newer one was asked for', async () => {
    const s = source();
    const answers: ((v: string) => void)[] = [];
    const seen: string[] = [];
    live([s.subscribe], () => new Promise<string>((r) => answers.push(r)), (v) => seen.push(v), () => {});
    s.ready();
    await tick();
    s.emit();
    answers[1]?.('new');
    await tick();
    answers[0]?.('old');
    await tick();
    expect(answers).toHaveLength(2);
    expect(seen).toEqual(['new']);
  });

  it('reports a failed read and stops listening when stopped', async () => {
    const s = source();
    const errors: unknown[] = [];
    const stop = live([s.subscribe], () => Promise.reject(new Error('gone')), () => {}, (e) => errors.push(e));
    s.ready();
    await tick();
    expect(errors).toHaveLength(1);
    stop();
    await tick();
    expect(s.count()).toBe(0);
    s.emit();
    await tick();
    expect(errors).toHaveLength(1);
  });
});
