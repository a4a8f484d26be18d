// One log line per request in json mode: method, route pattern (never the path: it holds order numbers and tokens),
// status, duration. The text form stays as quiet as it always was.
import type { MiddlewareHandler } from 'astro';
import { config } from '#src/config/config.ts';
import { type LogFields, writeLog } from './log.ts';

export type RequestRecord = { method: string; route: string | null; status: number; durationMs: number };

/** The line's fields: nothing but the method, the route's pattern, the status and the time it took. */
export function requestFields(record: RequestRecord): LogFields {
  return {
    method: record.method,
    route: record.route,
    status: record.status,
    duration_ms: Math.round(record.durationMs * 10) / 10,
  };
}

/** Middleware that times everything after it; a request that throws is logged as the 500 Astro will answer. */
export const logRequest: MiddlewareHandler = async (context, next) => {
  if (config().LOG_FORMAT !== 'json') return next();
  const started = performance.now();
  const line = (status: number) =>
    writeLog(
      'json',
      status >= 500 ? 'error' : 'info',
      'request',
      requestFields({
        method: context.request.method,
        route: context.routePattern || null,
        status,
        durationMs: performance.now() - started,
      }),
    );
  try {
    const response = await next();
    line(response.status);
    return response;
  } catch (error) {
    line(500);
    throw error;
  }
};
