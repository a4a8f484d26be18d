import { describe, expect, it } from 'vitest';
import { literal } from '#db/prepared-statement.ts';

describe('a value as an SQL literal for EXECUTE', () => {
  it('quotes text, doubling quotes, and keeps everything else as it is', () => {
    expect(literal("O'Reilly")).toBe("'O''Reilly'");
    expect(literal("'; drop table orders; --")).toBe("'''; drop table orders; --'");
    expect(literal('back\\slash')).toBe("'back\\slash'");
    expect(literal('')).toBe("''");
  });

  it('writes numbers, booleans and null so that PostgreSQL casts them to the parameter type', () => {
    expect(literal(42)).toBe("'42'");
    expect(literal(-1.5)).toBe("'-1.5'");
    expect(literal(10n)).toBe("'10'");
    expect(literal(true)).toBe("'true'");
    expect(literal(false)).toBe("'false'");
    expect(literal(null)).toBe('null');
    expect(literal(undefined)).toBe('null');
  });

  it('refuses what cannot be written safely', () => {
    expect(() => literal('a\0b')).toThrow(TypeError);
    expect(() => literal(Number.NaN)).toThrow(TypeError);
    expect(() => literal(new Date())).toThrow(TypeError);
    expect(() => literal({ a: 1 })).toThrow(TypeError);
  });
});
