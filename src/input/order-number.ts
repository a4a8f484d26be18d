// The one parser for an order number taken from outside: as the shop platform writes it ("#1001" and "1001" are one
// order), letters and digits with `.`, `_` or `-` inside, at most 64 characters. Anything else is no order.
import { z } from 'zod';
import { normaliseOrderNumber } from '#src/domain/contact.ts';

const ORDER_NUMBER = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,63}$/u;

export function isOrderNumber(normalised: string): boolean {
  return ORDER_NUMBER.test(normalised);
}

export const orderNumber = z.string().max(200).transform(normaliseOrderNumber).refine(isOrderNumber, 'is not an order number');
