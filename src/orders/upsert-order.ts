// Command: the shop platform (or staff) creates or updates an order by its number, idempotently (issue 18 item 2).
//
// Create: the customer (found by e-mail, else created), the order, its lines (linked to products by SKU), each line's
// applicable time T and compliance projection, the payment split across the lines, an `order_created` event and, for
// an order with a preorder or backorder line, the order confirmation (once: the event is written once per order).
// A line whose ETA already ends after its T gets its first delay option notice at once (435.2(b)(1)).
//
// Update: the same body again writes nothing. Open lines (waiting, ready) take the body's quantity, price, name, kind
// (`line_changed`) and ETA (a move, classified by the FTC rule like any other: an update or a delay notice); new line
// ids are added (`line_added`); a changed payment is split again over the open lines (`payment_changed`). A line that
// shipped, was delivered or was cancelled is never reopened or changed: when the body says otherwise about it, the
// answer lists its id in `leftAlone`. Lines the body leaves out are left as they are (cancelling is its own command,
// with its refund). The customer's record takes the body's name, phone, locale and zone when an order is created
// (the newest order knows the customer best); an update of an older order does not touch it, so a stale update
// cannot undo a newer one. A new phone number carries no SMS consent over: consent is recorded per number.
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '#db/client.ts';
import { customers, events, type OrderPayment, orderLines, orders, products } from '#db/schema/index.ts';
import type { Actor } from '#src/commands/actor.ts';
import { defineCommand } from '#src/commands/command.ts';
import { anyOf, apiKey, staff } from '#src/commands/rules.ts';
import { isValidCalendarDate, toCalendarDate } from '#src/domain/calendar-date.ts';
import { type EventData, eventRow } from '#src/domain/events.ts';
import { applicableTime } from '#src/domain/ftc-rule.ts';
import { isOpen, type LineKind, type LineStatus } from '#src/domain/line-status.ts';
import { type PaymentProblem, type PaymentStatement, paymentProblem, type SplitLine, splitPayment } from '#src/domain/payment-split.ts';
import { moveLineEtaInTx } from '#src/eta/move-line-eta.ts';
import { projectCompliance } from '../compliance/line-compliance.ts';
import { enqueueForEvents } from '../messages/enqueue-notifications.ts';
import { loadStoreSettings, type StoreSettings } from '../store/store-settings.ts';
import { type UpsertLineInput, type UpsertOrderInput, upsertOrderInput } from './upsert-order-input.ts';

export { upsertOrderInput } from './upsert-order-input.ts';

/** How far a `placed_at` may lie ahead of this server's clock (the platform's clock may run a little fast). */
const CLOCK_SKEW_MS = 5 * 60_000;

export type UpsertOrderRefusal =
  | { ok: false; reason: 'placed_in_future' }
  | { ok: false; reason: 'duplicate_line_ids'; lineIds: string[] }
  | { ok: false; reason: 'invalid_date'; lineIds: string[] }
  | { ok: false; reason: 'eta_reversed'; lineIds: string[] }
  | { ok: false; reason: 'eta_in_past'; lineIds: string[] }
  /** A new line's ship-by date T has already passed: Porchlight would have to cancel and refund it at once (435.2(c)). */
  | { ok: false; reason: 'ship_by_passed'; lineIds: string[] }
  | { ok: false; reason: 'payment_invalid'; problem: PaymentProblem }
  | { ok: false; reason: 'currency_changed'; currency: string }
  | { ok: false; reason: 'placed_at_changed' }
  | { ok: false; reason: 'sku_changed'; lineIds: string[] }
  /** T never changes (435.2(a)(1)): an open line's stated ship-by date cannot be restated. */
  | { ok: false; reason: 'promised_by_changed'; lineIds: string[] };

export type UpsertOrderResult =
  | {
      ok: true;
      created: boolean;
      /** Anything written: false for the same body again. */
      changed: boolean;
      orderNumber: string;
      /** Line ids the body would have changed but that shipped, were delivered or cancelled: left as they are. */
      leftAlone: string[];
      /** Customers with a message queued by this upsert (the confirmation, an ETA update or a delay notice). */
      customersTold: number;
    }
  | UpsertOrderRefusal;

type Settings = StoreSettings;

function statementOf(input: UpsertOrderInput): PaymentStatement {
  const p = input.payment;
  return {
    paid: p.paid,
    shipping: p.shipping ?? 0,
    deposit: p.deposit ?? null,
    charge: p.charge ?? (p.deposit !== undefined ? 'deposit' : 'paid'),
  };
}

const waits = (kind: LineKind) => kind !== 'in_stock';
const lineTotal = (l: { quantity: number; unit_price: number }) => l.quantity * l.unit_price;

/** Refusals the body earns on its own, before anything is read. */
function bodyRefusal(input: UpsertOrderInput, now: Date): UpsertOrderRefusal | null {
  if (new Date(input.placed_at).getTime() > now.getTime() + CLOCK_SKEW_MS) return { ok: false, reason: 'placed_in_future' };
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const l of input.lines) (seen.has(l.id) ? duplicates : seen).add(l.id);
  if (duplicates.size > 0) return { ok: false, reason: 'duplicate_line_ids', lineIds: [...duplicates] };
  const dates = (l: UpsertLineInput) => [l.promised_by, l.eta?.from, l.eta?.to].filter((d) => d !== undefined);
  const badDates = input.lines.filter((l) => !dates(l).every(isValidCalendarDate)).map((l) => l.id);
  if (badDates.length > 0) return { ok: false, reason: 'invalid_date', lineIds: badDates };
  const reversed = input.lines.filter((l) => l.eta && l.eta.from > l.eta.to).map((l) => l.id);
  if (reversed.length > 0) return { ok: false, reason: 'eta_reversed', lineIds: reversed };
  const problem = paymentProblem(statementOf(input));
  if (problem) return { ok: false, reason: 'payment_invalid', problem };
  return null;
}

/**
 * The customer with this e-mail (the oldest, should there be two), or a new one. Given details replace stored ones:
 * called only when an order is created (or moved to another e-mail), never by an update of an existing order.
 */
async function customerFor(tx: Tx, c: UpsertOrderInput['customer'], settings: Settings): Promise<number> {
  // Two new orders of one new customer at once would otherwise create them twice.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`customer:${c.email}`}))`);
  const [found] = await tx
    .select({ id: customers.id, name: customers.name, phone: customers.phone, locale: customers.locale, timeZone: customers.timeZone })
    .from(customers)
    .where(eq(customers.email, c.email))
    .orderBy(asc(customers.id))
    .limit(1);
  if (!found) {
    const [row] = await tx
      .insert(customers)
      .values({
        email: c.email,
        name: c.name ?? '',
        phone: c.phone ?? null,
        locale: c.locale ?? settings.defaultLocale,
        timeZone: c.time_zone ?? settings.timeZone,
      })
      .returning({ id: customers.id });
    return row?.id as number;
  }
  const changes = {
    ...(c.name !== undefined && c.name !== found.name ? { name: c.name } : {}),
    ...(c.phone !== undefined && c.phone !== found.phone ? { phone: c.phone } : {}),
    ...(c.locale !== undefined && c.locale !== found.locale ? { locale: c.locale } : {}),
    ...(c.time_zone !== undefined && c.time_zone !== found.timeZone ? { timeZone: c.time_zone } : {}),
  };
  if (Object.keys(changes).length > 0) await tx.update(customers).set(changes).where(eq(customers.id, found.id));
  return found.id;
}

type Product = { id: number; sku: string; etaFrom: string | null; etaTo: string | null };

async function productsBySku(tx: Tx, skus: string[]): Promise<Map<string, Product>> {
  const rows = await tx
    .select({ id: products.id, sku: products.sku, etaFrom: products.etaFrom, etaTo: products.etaTo })
    .from(products)
    .where(inArray(products.sku, [...new Set(skus)]));
  return new Map(rows.map((p) => [p.sku, p]));
}

/** The ETA a new line starts with: the body's, else its product's (unless that has already passed), else none. */
function startingEta(l: UpsertLineInput, product: Product | undefined, today: string): { from: string | null; to: string | null } {
  if (l.eta) return { from: l.eta.from, to: l.eta.to };
  if (product?.etaTo && product.etaTo >= today) return { from: product.etaFrom ?? product.etaTo, to: product.etaTo };
  return { from: null, to: null };
}

type NewLine = typeof orderLines.$inferInsert;

/** A new line's row: T from the stated date or 30 days after `completedAt` (435.2(a)(1)), and its rule projection. */
function newLineRow(
  l: UpsertLineInput,
  args: { orderId: number; lineNo: number; completedAt: Date; product: Product | undefined; today: string; settings: Settings },
): NewLine {
  const T = applicableTime({
    promisedBy: l.promised_by ?? null,
    orderCompletedAt: args.completedAt,
    storeTimeZone: args.settings.timeZone,
  });
  const compliance = { notices: [], answers: [] };
  const eta = startingEta(l, args.product, args.today);
  const { shipBy, awaitingConsent } = projectCompliance({ applicableTime: T, status: 'waiting', compliance }, args.today);
  return {
    orderId: args.orderId,
    lineNo: args.lineNo,
    externalId: l.id,
    productId: args.product?.id ?? null,
    sku: l.sku,
    name: l.name,
    kind: l.kind,
    status: 'waiting',
    quantity: l.quantity,
    unitPrice: l.unit_price,
    amountPaid: 0,
    promisedBy: l.promised_by ?? null,
    applicableTime: T,
    etaFrom: eta.from,
    etaTo: eta.to,
    compliance,
    shipBy,
    checkBy: shipBy,
    awaitingConsent,
  };
}

/** New lines that cannot be created as given: an ETA already over, or a T already passed. */
function newLineRefusal(rows: NewLine[], today: string): UpsertOrderRefusal | null {
  const pastEta = rows.filter((r) => r.etaTo !== null && r.etaTo !== undefined && r.etaTo < today).map((r) => r.externalId as string);
  if (pastEta.length > 0) return { ok: false, reason: 'eta_in_past', lineIds: pastEta };
  const lapsed = rows.filter((r) => r.applicableTime < today).map((r) => r.externalId as string);
  if (lapsed.length > 0) return { ok: false, reason: 'ship_by_passed', lineIds: lapsed };
  return null;
}

/** Lines whose ETA already ends after T: the merchant knows now that T will be missed, so the first notice goes now. */
async function noticeLateLines(
  tx: Tx,
  rows: { id: number; etaFrom: string | null; etaTo: string | null; applicableTime: string }[],
  actor: Actor,
  now: Date,
  settings: Settings,
) {
  const told = new Set<number>();
  for (const r of rows) {
    if (r.etaTo === null || r.etaTo <= r.applicableTime) continue;
    const moved = await moveLineEtaInTx(tx, r.id, { from: r.etaFrom, to: r.etaTo }, { reason: '', actor, sameEta: true }, now, settings);
    for (const id of moved.toldOrders) told.add(id);
  }
  return told;
}

const eventColumns = (actor: Actor, now: Date) => ({ actorType: actor.type, actorId: actor.id, occurredAt: now });

async function createOrder(
  tx: Tx,
  input: UpsertOrderInput,
  actor: Actor,
  now: Date,
  settings: Settings,
): Promise<UpsertOrderResult | null> {
  const today = toCalendarDate(now, settings.timeZone);
  const placedAt = new Date(input.placed_at);
  const productOf = await productsBySku(
    tx,
    input.lines.map((l) => l.sku),
  );
  // The order is properly completed when placed (payment or its authorisation in hand, 435.1(c)): T's clock starts.
  const draft = input.lines.map((l, i) =>
    newLineRow(l, { orderId: 0, lineNo: i + 1, completedAt: placedAt, product: productOf.get(l.sku), today, settings }),
  );
  const refusal = newLineRefusal(draft, today);
  if (refusal) return refusal;
  const statement = statementOf(input);
  const split = splitPayment(
    statement,
    input.lines.map((l) => ({ key: l.id, waiting: waits(l.kind), total: lineTotal(l), settled: null })),
  );
  if (!split.ok) return { ok: false, reason: 'payment_invalid', problem: split.problem };

  const customerId = await customerFor(tx, input.customer, settings);
  const [order] = await tx
    .insert(orders)
    .values({
      number: input.orderNumber,
      customerId,
      placedAt,
      completedAt: placedAt,
      currency: input.currency,
      paymentState: split.paymentState,
      shippingPaid: split.shippingPaid,
      payment: statement satisfies OrderPayment,
      createdAt: now,
    })
    .onConflictDoNothing({ target: orders.number })
    .returning({ id: orders.id });
  // Created meanwhile by a request that committed first: this one is an update of it.
  if (!order) return null;

  const lines = await tx
    .insert(orderLines)
    .values(
      draft.map((row) => ({
        ...row,
        orderId: order.id,
        amountPaid: split.lines.get(row.externalId as string)?.amountPaid ?? 0,
        isDeposit: split.lines.get(row.externalId as string)?.isDeposit ?? false,
        updatedAt: now,
      })),
    )
    .returning({ id: orderLines.id, etaFrom: orderLines.etaFrom, etaTo: orderLines.etaTo, applicableTime: orderLines.applicableTime });
  const [created] = await tx
    .insert(events)
    .values({
      orderId: order.id,
      ...eventRow({ type: 'order_created', data: { lines: lines.length } }),
      dedupeKey: `order:${order.id}:created`,
      ...eventColumns(actor, now),
    })
    .returning({ id: events.id });
  const told = await noticeLateLines(tx, lines, actor, now, settings);
  // Issue 18 item 4: one confirmation per order, when it has lines that wait and the store sends confirmations. It is
  // the customer's confirmation of what they asked for, so it goes at once and past an updates opt-out, as a
  // cancellation's confirmation does.
  if (settings.orderConfirmation && input.lines.some((l) => waits(l.kind)) && created) {
    const n = await enqueueForEvents(tx, [created.id], { now, coalesceSeconds: 0, required: true, template: 'order_confirmation' });
    if (n > 0) told.add(order.id);
  }
  return { ok: true, created: true, changed: true, orderNumber: input.orderNumber, leftAlone: [], customersTold: told.size };
}

type StoredLine = {
  id: number;
  lineNo: number;
  externalId: string | null;
  sku: string;
  name: string;
  kind: LineKind;
  status: LineStatus;
  quantity: number;
  unitPrice: number;
  amountPaid: number;
  amountRefunded: number;
  isDeposit: boolean;
  promisedBy: string | null;
  etaFrom: string | null;
  etaTo: string | null;
  version: number;
};

/** What the body says differently about a stored line: its changed fields (ETA apart), or null. */
function lineChanges(stored: StoredLine, l: UpsertLineInput): EventData<'line_changed'> | null {
  const changes: EventData<'line_changed'> = {
    ...(stored.quantity !== l.quantity ? { quantity: { from: stored.quantity, to: l.quantity } } : {}),
    ...(stored.unitPrice !== l.unit_price ? { unitPrice: { from: stored.unitPrice, to: l.unit_price } } : {}),
    ...(stored.name !== l.name ? { name: { from: stored.name, to: l.name } } : {}),
    ...(stored.kind !== l.kind ? { kind: { from: stored.kind, to: l.kind } } : {}),
  };
  return Object.keys(changes).length > 0 ? changes : null;
}

const etaMoves = (stored: StoredLine, l: UpsertLineInput) =>
  l.eta !== undefined && (l.eta.from !== stored.etaFrom || l.eta.to !== stored.etaTo);

function samePayment(a: OrderPayment | null, b: PaymentStatement): boolean {
  return a !== null && a.paid === b.paid && a.shipping === b.shipping && a.deposit === b.deposit && a.charge === b.charge;
}

async function updateOrder(
  tx: Tx,
  input: UpsertOrderInput,
  order: typeof orders.$inferSelect,
  actor: Actor,
  now: Date,
  settings: Settings,
): Promise<UpsertOrderResult> {
  const today = toCalendarDate(now, settings.timeZone);
  if (order.currency !== input.currency) return { ok: false, reason: 'currency_changed', currency: order.currency };
  if (order.placedAt.getTime() !== new Date(input.placed_at).getTime()) return { ok: false, reason: 'placed_at_changed' };
  const stored: StoredLine[] = await tx
    .select({
      id: orderLines.id,
      lineNo: orderLines.lineNo,
      externalId: orderLines.externalId,
      sku: orderLines.sku,
      name: orderLines.name,
      kind: orderLines.kind,
      status: orderLines.status,
      quantity: orderLines.quantity,
      unitPrice: orderLines.unitPrice,
      amountPaid: orderLines.amountPaid,
      amountRefunded: orderLines.amountRefunded,
      isDeposit: orderLines.isDeposit,
      promisedBy: orderLines.promisedBy,
      etaFrom: orderLines.etaFrom,
      etaTo: orderLines.etaTo,
      version: orderLines.version,
    })
    .from(orderLines)
    .where(eq(orderLines.orderId, order.id))
    .orderBy(asc(orderLines.lineNo))
    .for('update');
  // A line made here (the demo's) has no platform id: it answers to its line number.
  const byId = new Map(stored.map((s) => [s.externalId ?? String(s.lineNo), s]));
  const matched = input.lines.flatMap((l) => {
    const s = byId.get(l.id);
    return s ? [{ l, s }] : [];
  });
  const open = matched.filter(({ s }) => isOpen(s.status));
  const settled = matched.filter(({ s }) => !isOpen(s.status));
  const leftAlone = settled
    .filter(
      ({ s, l }) =>
        lineChanges(s, l) !== null || etaMoves(s, l) || s.sku !== l.sku || (l.promised_by !== undefined && l.promised_by !== s.promisedBy),
    )
    .map(({ l }) => l.id);

  const skuChanged = open.filter(({ s, l }) => s.sku !== l.sku).map(({ l }) => l.id);
  if (skuChanged.length > 0) return { ok: false, reason: 'sku_changed', lineIds: skuChanged };
  const promiseChanged = open.filter(({ s, l }) => l.promised_by !== undefined && l.promised_by !== s.promisedBy).map(({ l }) => l.id);
  if (promiseChanged.length > 0) return { ok: false, reason: 'promised_by_changed', lineIds: promiseChanged };
  const pastEta = open.filter(({ s, l }) => etaMoves(s, l) && (l.eta?.to ?? today) < today).map(({ l }) => l.id);
  if (pastEta.length > 0) return { ok: false, reason: 'eta_in_past', lineIds: pastEta };

  // Lines the platform added since: T counts from now, when this part of the order was completed.
  const added = input.lines.filter((l) => !byId.has(l.id));
  const productOf = await productsBySku(
    tx,
    added.map((l) => l.sku),
  );
  const nextNo = stored.reduce((n, s) => Math.max(n, s.lineNo), 0) + 1;
  const addedRows = added.map((l, i) =>
    newLineRow(l, { orderId: order.id, lineNo: nextNo + i, completedAt: now, product: productOf.get(l.sku), today, settings }),
  );
  const refusal = newLineRefusal(addedRows, today);
  if (refusal) return refusal;

  // The payment, split again when it or an open line's total changed, or lines were added.
  const statement = statementOf(input);
  const totalsMoved = open.some(({ s, l }) => s.quantity !== l.quantity || s.unitPrice !== l.unit_price || s.kind !== l.kind);
  const resplit = !samePayment(order.payment, statement) || totalsMoved || added.length > 0;
  const bodyLine = new Map(input.lines.map((l) => [l.id, l]));
  let split: Extract<ReturnType<typeof splitPayment>, { ok: true }> | null = null;
  if (resplit) {
    const splitLines: SplitLine[] = [
      ...stored.map((s) => {
        const l = isOpen(s.status) ? bodyLine.get(s.externalId ?? String(s.lineNo)) : undefined;
        return {
          key: `s${s.id}`,
          waiting: waits(l?.kind ?? s.kind),
          total: l ? lineTotal(l) : s.quantity * s.unitPrice,
          settled: isOpen(s.status) ? null : { amountPaid: s.amountPaid, isDeposit: s.isDeposit },
        };
      }),
      ...added.map((l) => ({ key: `n${l.id}`, waiting: waits(l.kind), total: lineTotal(l), settled: null })),
    ];
    const result = splitPayment(statement, splitLines);
    if (!result.ok) return { ok: false, reason: 'payment_invalid', problem: result.problem };
    split = result;
  }

  let changed = false;
  const told = new Set<number>();
  const events_: (typeof events.$inferInsert)[] = [];

  // The customer the order belongs to: another e-mail moves it to that customer (found or created).
  const [owner] = await tx.select({ email: customers.email }).from(customers).where(eq(customers.id, order.customerId));
  if (owner?.email !== input.customer.email) {
    const customerId = await customerFor(tx, input.customer, settings);
    await tx.update(orders).set({ customerId }).where(eq(orders.id, order.id));
    changed = true;
  }

  for (const { s, l } of open) {
    const changes = lineChanges(s, l);
    const pay = split?.lines.get(`s${s.id}`);
    const payMoved = pay !== undefined && (pay.amountPaid !== s.amountPaid || pay.isDeposit !== s.isDeposit);
    if (!changes && !payMoved) continue;
    const version = s.version + (changes ? 1 : 0);
    await tx
      .update(orderLines)
      .set({
        quantity: l.quantity,
        unitPrice: l.unit_price,
        name: l.name,
        kind: l.kind,
        ...(pay ? { amountPaid: Math.max(pay.amountPaid, s.amountRefunded), isDeposit: pay.isDeposit } : {}),
        version,
        updatedAt: now,
      })
      .where(eq(orderLines.id, s.id));
    changed = true;
    if (changes) {
      events_.push({
        orderId: order.id,
        lineId: s.id,
        ...eventRow({ type: 'line_changed', data: changes }),
        dedupeKey: `line:${s.id}:v${version}`,
        ...eventColumns(actor, now),
      });
    }
  }

  if (addedRows.length > 0) {
    const inserted = await tx
      .insert(orderLines)
      .values(
        addedRows.map((row) => ({
          ...row,
          amountPaid: split?.lines.get(`n${row.externalId}`)?.amountPaid ?? 0,
          isDeposit: split?.lines.get(`n${row.externalId}`)?.isDeposit ?? false,
          updatedAt: now,
        })),
      )
      .returning({
        id: orderLines.id,
        sku: orderLines.sku,
        name: orderLines.name,
        quantity: orderLines.quantity,
        etaFrom: orderLines.etaFrom,
        etaTo: orderLines.etaTo,
        applicableTime: orderLines.applicableTime,
      });
    for (const r of inserted) {
      events_.push({
        orderId: order.id,
        lineId: r.id,
        ...eventRow({ type: 'line_added', data: { sku: r.sku, name: r.name, quantity: r.quantity } }),
        dedupeKey: `line:${r.id}:added`,
        ...eventColumns(actor, now),
      });
    }
    changed = true;
    for (const id of await noticeLateLines(tx, inserted, actor, now, settings)) told.add(id);
  }

  if (split && (!samePayment(order.payment, statement) || split.shippingPaid !== order.shippingPaid)) {
    // A refund already recorded keeps the order's state (partially refunded, refunded) and its shipping refunded.
    const paymentState = order.paymentState === 'paid' || order.paymentState === 'authorized' ? split.paymentState : order.paymentState;
    await tx
      .update(orders)
      .set({ payment: statement, shippingPaid: Math.max(split.shippingPaid, order.shippingRefunded), paymentState })
      .where(eq(orders.id, order.id));
    if (!samePayment(order.payment, statement)) {
      events_.push({
        orderId: order.id,
        ...eventRow({ type: 'payment_changed', data: { from: order.payment, to: statement } }),
        ...eventColumns(actor, now),
      });
    }
    changed = true;
  }
  if (events_.length > 0) await tx.insert(events).values(events_);

  // ETA moves last, each classified by the FTC rule against the line as it now stands.
  for (const { s, l } of open) {
    if (!l.eta || !etaMoves(s, l)) continue;
    const moved = await moveLineEtaInTx(tx, s.id, { from: l.eta.from, to: l.eta.to }, { reason: '', actor }, now, settings);
    if (moved.moved > 0) changed = true;
    for (const id of moved.toldOrders) told.add(id);
  }
  return { ok: true, created: false, changed, orderNumber: order.number, leftAlone, customersTold: told.size };
}

/** Creates or updates the order `input.orderNumber` in one transaction (see the top of this file). */
export async function upsertOrder(db: Db, input: UpsertOrderInput, actor: Actor, now: Date = new Date()): Promise<UpsertOrderResult> {
  const refusal = bodyRefusal(input, now);
  if (refusal) return refusal;
  return db.transaction(async (tx) => {
    const settings = await loadStoreSettings(tx);
    const find = () => tx.select().from(orders).where(eq(orders.number, input.orderNumber)).for('update');
    const [existing] = await find();
    if (!existing) {
      const created = await createOrder(tx, input, actor, now, settings);
      if (created) return created;
    }
    const [order] = existing ? [existing] : await find();
    if (!order) throw new Error(`order ${input.orderNumber} neither created nor found`);
    return updateOrder(tx, input, order, actor, now, settings);
  });
}

export const upsertOrderCommand = defineCommand({
  name: 'upsert-order',
  input: upsertOrderInput,
  allow: anyOf(staff(), apiKey('write')),
  run: (db, input, { actor, now }) => upsertOrder(db, input, actor, now),
});
