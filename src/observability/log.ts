// Log lines for people (text, the default) or for log collectors (LOG_FORMAT=json: one JSON object per line).
import { format as formatArgs } from 'node:util';

export type LogFormat = 'text' | 'json';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** What a line may carry besides its message: flat, and never anything about a person (counts, codes, route patterns). */
export type LogFields = Record<string, string | number | boolean | null>;

// Anything shaped like an address: a local part (o'brien too), @, a domain with a dot. Deliberately wide (a connection string's
// user@host goes too): a false positive costs a log reader a detail, a miss puts a customer's address in the log.
const EMAIL = /[^\s@<>()[\]",;:]+@[^\s@<>()[\]"',;:]+\.[^\s@<>()[\]"',;:]+/gu;
// International numbers (+ and 7–15 digits, separators allowed) and national ones (9 or more digits in groups).
const INTERNATIONAL_PHONE = /\+\d(?:[\s().-]{0,2}\d){6,14}(?!\w)/gu;
const NATIONAL_PHONE = /(?<![\w.+-])\(?\d(?:[\s()./-]{0,2}\d){8,}(?![\w])/gu;
// Calendar dates and clock times are the digit groups a log line does carry; they are not phone numbers.
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}/u;
// Colour codes from libraries that assume a terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is what is being removed.
const ANSI = /\u001b\[[0-9;]*m/gu;

/** The text with e-mail addresses and phone numbers replaced: the last guard in front of the log collector. */
export function redact(text: string): string {
  return text
    .replace(EMAIL, '[email]')
    .replace(INTERNATIONAL_PHONE, '[phone]')
    .replace(NATIONAL_PHONE, (match) => (DATE_LIKE.test(match) ? match : '[phone]'));
}

function redactFields(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) out[key] = typeof value === 'string' ? redact(value) : value;
  return out;
}

/** One JSON line (without its newline): `{"level","time","msg","fields"}`, personal data redacted. */
export function jsonLine(level: LogLevel, msg: string, fields: LogFields = {}, time: Date = new Date()): string {
  const line: { level: LogLevel; time: string; msg: string; fields?: LogFields } = {
    level,
    time: time.toISOString(),
    msg: redact(msg.replace(ANSI, '').trimEnd()),
  };
  if (Object.keys(fields).length) line.fields = redactFields(fields);
  return JSON.stringify(line);
}

/** Writes one structured line in the process's format: JSON to stdout/stderr, or the message alone as text. */
export function writeLog(format: LogFormat, level: LogLevel, msg: string, fields: LogFields = {}): void {
  const stream = level === 'error' || level === 'warn' ? process.stderr : process.stdout;
  stream.write(`${format === 'json' ? jsonLine(level, msg, fields) : msg}\n`);
}

/** The format named by an environment, read before the configuration is validated so that its errors follow it. */
export function logFormatOf(env: Record<string, string | undefined>): LogFormat {
  return env.LOG_FORMAT?.trim() === 'json' ? 'json' : 'text';
}

type ConsoleMethod = 'log' | 'info' | 'debug' | 'warn' | 'error' | 'trace' | 'dir';
const LEVEL_OF: Record<ConsoleMethod, LogLevel> = {
  log: 'info',
  info: 'info',
  debug: 'debug',
  dir: 'info',
  warn: 'warn',
  error: 'error',
  trace: 'error',
};

/**
 * In json mode, turns every console line of the process (ours, Astro's, a library's) into one JSON object, and
 * Node's warnings too. Returns a function that puts the console back (tests).
 */
export function installLogFormat(format: LogFormat, target: Console = console): () => void {
  if (format !== 'json') return () => {};
  const saved = new Map<ConsoleMethod, Console[ConsoleMethod]>();
  for (const method of Object.keys(LEVEL_OF) as ConsoleMethod[]) {
    saved.set(method, target[method]);
    const level = LEVEL_OF[method];
    target[method] = (...args: unknown[]) => writeLog('json', level, formatArgs(...args));
  }
  // Node prints warnings itself unless the default listener goes; ours keeps them, as one line each.
  const warningListeners = process.listeners('warning');
  process.removeAllListeners('warning');
  const onWarning = (warning: Error) => writeLog('json', 'warn', `${warning.name}: ${warning.message}`);
  process.on('warning', onWarning);
  return () => {
    for (const [method, original] of saved) (target as unknown as Record<string, unknown>)[method] = original;
    process.off('warning', onWarning);
    for (const listener of warningListeners) process.on('warning', listener);
  };
}
