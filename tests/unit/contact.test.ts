import { describe, expect, it } from 'vitest';
import { normaliseOrderNumber, parseContact } from '#src/domain/contact.ts';

describe('reading what a shopper types into the lookup form', () => {
  it('lower-cases and trims e-mail addresses', () => {
    expect(parseContact('  Maya.Chen@Example.COM ')).toEqual({ kind: 'email', value: 'maya.chen@example.com' });
  });

  it.each(['(555) 200-0001', '555-200-0001', '+1 555 200 0001', '5552000001'])('reads %s as the US number +15552000001', (input) => {
    expect(parseContact(input)).toEqual({ kind: 'phone', value: '+15552000001' });
  });

  it('keeps foreign numbers given with their country code', () => {
    expect(parseContact('+49 30 901820')).toEqual({ kind: 'phone', value: '+4930901820' });
  });

  it.each(['not an address', 'a@b', '12', '@example.com'])('refuses %s', (input) => {
    expect(parseContact(input)).toBeNull();
  });

  it('reads "#1042 " as order 1042', () => {
    expect(normaliseOrderNumber(' #1042 ')).toBe('1042');
  });
});
