// Errors of the JSON API as RFC 9457 problem details (`application/problem+json`): a stable `type` per reason, a
// title that names the type, the sentence the console and the CLI would say as `detail`, and extensions such as the
// body's issues. Types are relative URI references under /api/v1/problems/ (a self-hosted portal has no one absolute
// origin to name them by); clients compare the string (docs/decisions/039-api-keys.md).

export const PROBLEM_TYPE_BASE = '/api/v1/problems/';

export type Problem = {
  status: number;
  /** The type's last segment, e.g. `api-key-revoked`. */
  slug: string;
  title: string;
  detail: string;
  headers?: Record<string, string>;
  extensions?: Record<string, unknown>;
};

export function problemType(slug: string): string {
  return `${PROBLEM_TYPE_BASE}${slug}`;
}

/** A refusal reason as a type slug and a title: `not_found` → `not-found`, "Not found". */
export function reasonSlug(reason: string): string {
  return reason.replaceAll('_', '-');
}
export function reasonTitle(reason: string): string {
  const words = reason.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function problemResponse(problem: Problem): Response {
  const body = {
    type: problemType(problem.slug),
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    ...problem.extensions,
  };
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store', ...problem.headers },
  });
}

/** A JSON answer of the API. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
  });
}
