// Readiness for load balancers and orchestrators: 200 when the database answers, every migration is applied and the
// notifier loop is alive (unless NOTIFIER=off); 503 naming the check that failed. No session, nothing personal.
import type { APIRoute } from 'astro';
import { processReadiness } from '#src/observability/readiness.ts';

export const GET: APIRoute = async () => {
  const body = await processReadiness();
  return new Response(JSON.stringify({ status: body.ready ? 'ready' : 'not ready', checks: body.checks }), {
    status: body.ready ? 200 : 503,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  });
};
