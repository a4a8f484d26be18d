// The JSON API's routing glue: every /api/v1 endpoint authenticates its Bearer key, checks the scope the route needs,
// carries the key's RateLimit headers, reads a JSON body within limits, and turns a command's refusal into a problem
// document. Endpoints (src/pages/api/v1/…) only map the address and body onto a command's or a query's input.
import type { Db } from '#db/client.ts';
import { type ApiKeyPrincipal, authenticateApiKey, insufficientScope } from '#src/api-keys/authenticate.ts';
import { rateLimitHeaders } from '#src/api-keys/key-rate-limit.ts';
import type { RefusalOf } from '#src/commands/command.ts';
import type { ApiScope } from '#src/commands/principal.ts';
import { refusalStatus } from '#src/commands/refusal-status.ts';
import type { COMMANDS, CommandName } from '#src/commands/registry.ts';
import { apiKey } from '#src/commands/rules.ts';
import type { RawFields } from '#src/i18n/refusals/catalogue.ts';
import { describeRefusalInEnglish } from '#src/i18n/refusals/describe-refusal.ts';
import { type Problem, problemResponse, reasonSlug, reasonTitle } from './problem.ts';

/** What an endpoint is handed (the parts of Astro's APIContext it uses). */
export type EndpointContext = { request: Request; params: Record<string, string | undefined>; locals: { db: Db } };
export type ApiCall = { db: Db; principal: ApiKeyPrincipal; request: Request; params: Record<string, string | undefined>; now: Date };

/** Wraps an endpoint: a refused key never reaches `handle`, and every answer to a known key says its rate limit. */
export function apiEndpoint(scope: ApiScope, handle: (call: ApiCall) => Promise<Response>) {
  return async ({ request, params, locals }: EndpointContext): Promise<Response> => {
    const now = new Date();
    const auth = await authenticateApiKey(locals.db, request, { now });
    if (!auth.ok) return problemResponse(auth.problem);
    const response = apiKey(scope)(auth.principal, undefined)
      ? await handle({ db: locals.db, principal: auth.principal, request, params, now })
      : problemResponse(insufficientScope(scope));
    for (const [name, value] of Object.entries(rateLimitHeaders(auth.rateLimit))) response.headers.set(name, value);
    return response;
  };
}

export const MAX_BODY_BYTES = 64 * 1024;

/** A request body as JSON: 415 when it is not sent as JSON, 413 when too large, 400 when it does not parse. */
export async function readJsonBody(request: Request): Promise<{ ok: true; body: unknown } | { ok: false; problem: Problem }> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/([\w.-]+\+)?json\s*(;|$)/i.test(type)) {
    return {
      ok: false,
      problem: {
        status: 415,
        slug: 'unsupported-media-type',
        title: 'Unsupported media type',
        detail: 'Send the body as JSON, with "Content-Type: application/json".',
      },
    };
  }
  const declared = Number(request.headers.get('content-length') ?? 0);
  const text = declared > MAX_BODY_BYTES ? null : await request.text();
  if (text === null || Buffer.byteLength(text) > MAX_BODY_BYTES) {
    return {
      ok: false,
      problem: { status: 413, slug: 'body-too-large', title: 'Body too large', detail: `Send at most ${MAX_BODY_BYTES} bytes.` },
    };
  }
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, problem: { status: 400, slug: 'invalid-json', title: 'Invalid JSON', detail: 'The body is not valid JSON.' } };
  }
}

/** A field of a JSON object body, or undefined (the command's schema says what is missing). */
export function bodyField(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)[name] : undefined;
}

/**
 * A command's refusal as a problem: bad input is 422 with the schema's issues (path and message), except a field
 * taken from the address (`pathFields`), which means the resource does not exist (404); any other reason has the
 * status of src/commands/refusal-status.ts and the catalogue's sentence.
 */
export function refusalProblem<N extends CommandName>(
  name: N,
  refusal: RefusalOf<(typeof COMMANDS)[N]>,
  raw: RawFields,
  pathFields: readonly string[] = [],
): Problem {
  const detail = describeRefusalInEnglish(name, refusal, raw);
  if (refusal.reason === 'invalid_input' && 'issues' in refusal) {
    if (refusal.fields.some((f) => pathFields.includes(f))) return { status: 404, slug: 'not-found', title: 'Not found', detail };
    return {
      status: 422,
      slug: 'invalid-body',
      title: 'Invalid body',
      detail: 'The body does not match what this endpoint takes: see `errors`.',
      extensions: { errors: refusal.issues.filter((i) => !pathFields.includes(String(i.path[0]))) },
    };
  }
  return { status: refusalStatus(refusal.reason), slug: reasonSlug(refusal.reason), title: reasonTitle(refusal.reason), detail };
}
