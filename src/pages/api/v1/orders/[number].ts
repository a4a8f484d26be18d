// GET /api/v1/orders/{number}: one order as an integration mirrors it (read scope).
// PUT /api/v1/orders/{number}: create or update it (write scope), through the same upsert-order command as the CLI's
// order:upsert: 201 when created, 200 otherwise; the same body twice changes nothing. `left_alone` names the lines
// the body would have changed that already shipped or were cancelled.
import { apiEndpoint, readJsonBody, refusalProblem } from '#src/api/endpoint.ts';
import { jsonResponse, problemResponse } from '#src/api/problem.ts';
import { execute } from '#src/commands/command.ts';
import { loadApiOrder } from '#src/orders/api-order.ts';
import { upsertOrderCommand } from '#src/orders/upsert-order.ts';

const NOT_FOUND = { status: 404, slug: 'not-found', title: 'Not found', detail: 'This order does not exist.' } as const;

export const GET = apiEndpoint('read', async ({ db, params }) => {
  const order = await loadApiOrder(db, params.number ?? '');
  if (!order) return problemResponse(NOT_FOUND);
  return jsonResponse(order);
});

export const PUT = apiEndpoint('write', async ({ db, principal, request, params, now }) => {
  const read = await readJsonBody(request);
  if (!read.ok) return problemResponse(read.problem);
  const body = read.body !== null && typeof read.body === 'object' && !Array.isArray(read.body) ? read.body : { body: read.body };
  const raw = { ...body, orderNumber: params.number ?? '' };
  const result = await execute(upsertOrderCommand, db, raw, principal, now);
  if (!result.ok) return problemResponse(refusalProblem('upsert-order', result, raw, ['orderNumber']));
  const order = await loadApiOrder(db, result.orderNumber);
  if (!order) return problemResponse(NOT_FOUND);
  return jsonResponse(
    { ...order, changed: result.changed, left_alone: result.leftAlone, customers_told: result.customersTold },
    result.created ? 201 : 200,
  );
});
