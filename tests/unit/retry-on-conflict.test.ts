// Specification of retryOnConflict (db/retry-on-conflict.ts): a transaction PostgreSQL aborted for a collision runs again.
import { describe, expect, it } from 'vitest';
import { retryOnConflict } from '../../db/retry-on-conflict.ts';

const failing = (codes: string[], wrapped = false) => {
  let calls = 0;
  return {
    calls: () => calls,
    run: async () => {
      const code = codes[calls++];
      if (code === undefined) return 'done';
      const error = Object.assign(new Error(`pg ${code}`), { code });
      throw wrapped ? Object.assign(new Error('Failed query'), { cause: error }) : error;
    },
  };
};

describe('retryOnConflict', () => {
  it('runs a transaction again after a deadlock or a serialization failure, also when the driver wraps the error', async () => {
    const t = failing(['40P01', '40001']);
    await expect(retryOnConflict(t.run)).resolves.toBe('done');
    expect(t.calls()).toBe(3);
    const wrapped = failing(['40P01'], true);
    await expect(retryOnConflict(wrapped.run)).resolves.toBe('done');
  });

  it('does not retry any other error', async () => {
    const t = failing(['23505']);
    await expect(retryOnConflict(t.run)).rejects.toThrow('pg 23505');
    expect(t.calls()).toBe(1);
  });

  it('gives up after its last attempt', async () => {
    const t = failing(['40P01', '40P01', '40P01']);
    await expect(retryOnConflict(t.run, 3)).rejects.toThrow('pg 40P01');
    expect(t.calls()).toBe(3);
  });
});
