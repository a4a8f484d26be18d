// Specification of snapshot comparison (db/snapshot.ts): when a cached read may still be served on PostgreSQL.
import { describe, expect, it } from 'vitest';
import { nothingCommittedBetween, parseSnapshot, type Snapshot } from '../../db/snapshot.ts';

const snap = (text: string) => parseSnapshot(text) as Snapshot;

describe('parseSnapshot', () => {
  it('reads xmin, xmax and the running transactions', () => {
    expect(parseSnapshot('748:752:748,750')).toEqual({ xmin: 748n, xmax: 752n, running: new Set([748n, 750n]) });
    expect(parseSnapshot('752:752:')).toEqual({ xmin: 752n, xmax: 752n, running: new Set() });
  });

  it('refuses anything else', () => {
    for (const bad of ['', '1:2', 'a:b:', '1:2:3;4', '-1:2:']) expect(parseSnapshot(bad)).toBeNull();
  });
});

describe('nothingCommittedBetween', () => {
  it('holds when no transaction id was assigned and none finished', () => {
    expect(nothingCommittedBetween(snap('752:752:'), snap('752:752:'))).toBe(true);
    expect(nothingCommittedBetween(snap('748:752:748,750'), snap('748:752:748,750'))).toBe(true);
  });

  it('fails when a transaction running at the first has finished by the second', () => {
    expect(nothingCommittedBetween(snap('748:752:748,750'), snap('748:752:748'))).toBe(false);
    expect(nothingCommittedBetween(snap('748:752:748'), snap('752:752:'))).toBe(false);
  });

  it('fails when a transaction begun since has finished, and holds while it still runs', () => {
    expect(nothingCommittedBetween(snap('752:752:'), snap('752:753:752'))).toBe(true);
    expect(nothingCommittedBetween(snap('752:752:'), snap('753:753:'))).toBe(false);
    expect(nothingCommittedBetween(snap('752:752:'), snap('752:755:752,754'))).toBe(false);
  });

  it('fails for a snapshot that is not later', () => {
    expect(nothingCommittedBetween(snap('752:753:752'), snap('752:752:'))).toBe(false);
  });
});
