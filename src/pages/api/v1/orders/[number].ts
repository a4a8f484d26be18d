// GET /api/v1/orders/{number}: one order as an integration mirrors it (read scope).
import { apiEndpoint } from '#src/api/endpoint.ts';
import { jsonResponse, problemResponse } from '#src/api/problem.ts';
import { loadApiOrder } from '#src/orders/api-order.ts';

export const GET = apiEndpoint('read', async ({ db, params }) => {
  const order = await loadApiOrder(db, params.number ?? '');
  if (!order) return problemResponse({ status: 404, slug: 'not-found', title: 'Not found', detail: 'This order does not exist.' });
  return jsonResponse(order);
});
