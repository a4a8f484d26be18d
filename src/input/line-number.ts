// The one parser for a line's number on an order taken from outside (form fields, CLI flags, JSON bodies).
import { z } from 'zod';
import { id } from './ids.ts';

/** No order holds this many lines: a bigger number is refused as input, not looked up. */
export const MAX_LINE_NO = 100_000;

/** A line number: a JSON number, or plain digits in a form field or a CLI flag, from 1 to MAX_LINE_NO. */
export const lineNumber = id.pipe(z.number().max(MAX_LINE_NO));
