// Specification of sharedRunAfterCall (src/orders/order-page-cache.ts): shared, but never older than the call.
import { describe, expect, it } from 'vitest';
import { sharedRunAfterCall } from '../../src/orders/order-page-cache.ts';

/** A run whose completions the test controls; each run resolves to its own number. */
function controlledRuns() {
  const finishers: Array<() => void> = [];
  let started = 0;
  const run = () => {
    const n = ++started;
    return new Promise<number>((resolve) => finishers.push(() => resolve(n)));
  };
  return { run, finish: (i: number) => finishers[i - 1]?.(), started: () => started };
}

describe('sharedRunAfterCall', () => {
  it('gives a caller that arrives during a run the next run, shared with everyone else who arrives meanwhile', async () => {
    const c = controlledRuns();
    const fresh = sharedRunAfterCall(c.run);
    const a = fresh();
    const b = fresh();
    const d = fresh();
    expect(c.started()).toBe(1); // b and d wait for the next run; they do not join run 1, which began before them
    c.finish(1);
    expect(await a).toBe(1);
    await Promise.resolve();
    await Promise.resolve();
    expect(c.started()).toBe(2);
    c.finish(2);
    expect(await b).toBe(2);
    expect(await d).toBe(2);
  });

  it('starts at once when nothing runs, and again for the next caller after a run ended', async () => {
    const c = controlledRuns();
    const fresh = sharedRunAfterCall(c.run);
    const a = fresh();
    c.finish(1);
    expect(await a).toBe(1);
    const b = fresh();
    expect(c.started()).toBe(2);
    c.finish(2);
    expect(await b).toBe(2);
  });

  it('a failed run fails its callers but not the next run', async () => {
    let n = 0;
    const fresh = sharedRunAfterCall(() => (++n === 1 ? Promise.reject(new Error('down')) : Promise.resolve(n)));
    const a = fresh();
    const b = fresh();
    await expect(a).rejects.toThrow('down');
    expect(await b).toBe(2);
  });
});
