// POST /api/v1/orders/{number}/notes `{ "text" }`: a note the customer sees and is told about (write scope); the same
// add-note command as the console and the CLI.
import { apiEndpoint, bodyField, readJsonBody, refusalProblem } from '#src/api/endpoint.ts';
import { jsonResponse, problemResponse } from '#src/api/problem.ts';
import { execute } from '#src/commands/command.ts';
import { addNote } from '#src/orders/add-customer-note.ts';

export const POST = apiEndpoint('write', async ({ db, principal, request, params, now }) => {
  const read = await readJsonBody(request);
  if (!read.ok) return problemResponse(read.problem);
  const raw = { orderNumber: params.number ?? '', text: bodyField(read.body, 'text') };
  const result = await execute(addNote, db, raw, principal, now);
  if (!result.ok) return problemResponse(refusalProblem('add-note', result, raw, ['orderNumber']));
  return jsonResponse({ event_id: result.eventId, customers_told: result.customersTold }, 201);
});
