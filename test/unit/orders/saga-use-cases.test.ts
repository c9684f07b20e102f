import { describe, expect, it } from 'vitest';
import { userCartId } from '#cart/domain/cart.ts';
import { OrderPlacedV2Schema } from '#events/catalog.ts';
import { StepError } from '#orders/domain/errors.ts';
import { orderIdFor, type SagaError } from '#orders/domain/order.ts';
import {
  confirmOrder,
  flagForAttention,
  markFailed,
  PENDING_GRACE_MS,
  placeOrder,
  resumePending,
  SWEEP_BATCH,
  validateOrder,
} from '#orders/domain/use-cases.ts';
import { alice, bob, checkoutOf, InMemoryOrders, line, setup, usd, userCart } from './memory.ts';

const MISSING = 'ord_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const INTERNAL_MESSAGE = 'The order could not be completed; nothing was charged.';

/** A Lambda error document as Step Functions puts it in `Cause`. */
const lambdaError = (name: string, message: string): SagaError => ({
  Error: name,
  Cause: JSON.stringify({ errorType: name, errorMessage: message, trace: ['at /var/task/index.mjs:1:1'] }),
});

async function pending(s = setup(), lines = [line('A', 1000, 2), line('B', 250)], caller = alice) {
  s.carts.put(userCart(caller.sub, lines));
  const { orderId } = await placeOrder(s.deps, {
    caller,
    idempotencyKey: `key-${caller.sub}-${s.orders.orders.size}`,
    request: checkoutOf(userCartId(caller.sub), 'tok_visa'),
  });
  return { s, orderId };
}

describe('validateOrder', () => {
  it("returns the saga's view of a PENDING order priced as the buyer saw it", async () => {
    const { s, orderId } = await pending();
    expect(await validateOrder(s.deps, orderId)).toEqual({
      orderId,
      userId: 'alice',
      cartId: userCartId('alice'),
      total: 2250 + 599,
      currency: 'USD',
      token: 'tok_visa',
      lines: [
        { sku: 'A', productId: 'p-A', quantity: 2, unitPrice: 1000 },
        { sku: 'B', productId: 'p-B', quantity: 1, unitPrice: 250 },
      ],
      shipTo: { country: 'GB' },
      shippingAddress: expect.objectContaining({ country: 'GB' }),
      contact: expect.any(Object),
    });
  });

  it('carries where the order ships as OrderPlaced v2 takes it: country and region, no street or name', async () => {
    const s = setup();
    s.carts.put(userCart('alice', [line('A', 1000)]));
    const request = checkoutOf(userCartId('alice'));
    const { orderId } = await placeOrder(s.deps, {
      caller: alice,
      idempotencyKey: 'key-ship-to',
      request: { ...request, shippingAddress: { ...request.shippingAddress, region: 'Oxfordshire' } },
    });
    const view = await validateOrder(s.deps, orderId);
    // Still there for executions of the earlier definition, which publish v1 (one release).
    expect(view.shippingAddress).toMatchObject({ country: 'GB', region: 'Oxfordshire' });
    const { shipTo } = view;
    expect(shipTo).toEqual({ country: 'GB', region: 'Oxfordshire' });
    const detail = OrderPlacedV2Schema.parse({
      version: 2,
      orderId,
      userId: 'alice',
      lines: [{ sku: 'A', productId: 'p-A', quantity: 1, unitPrice: 1000 }],
      total: { amount: 1599, currency: 'USD' },
      shipTo,
      contact: {},
      placedAt: '2026-05-01T00:00:00.000Z',
    });
    expect(JSON.stringify(detail)).not.toMatch(/Rabbit Hole|OX1|Alice Liddell|Oxford"/);
  });

  it('fails a line repriced since the cart with PriceChanged naming its SKU', async () => {
    const s = setup();
    s.catalog.set('B', 300);
    const { orderId } = await pending(s);
    const attempt = validateOrder(s.deps, orderId);
    await expect(attempt).rejects.toBeInstanceOf(StepError);
    // Only the repriced line is named: A kept its price.
    await expect(attempt).rejects.toMatchObject({
      name: 'PriceChanged',
      message: expect.stringContaining('to the cart: B.'),
    });
  });

  it('fails a missing order with OrderNotFound and a settled one with OrderSettled', async () => {
    const { s, orderId } = await pending();
    await expect(validateOrder(s.deps, MISSING)).rejects.toMatchObject({ name: 'OrderNotFound' });
    await confirmOrder(s.deps, orderId);
    await expect(validateOrder(s.deps, orderId)).rejects.toMatchObject({
      name: 'OrderSettled',
      message: expect.stringContaining('CONFIRMED'),
    });
  });
});

describe('confirmOrder', () => {
  it('moves PENDING to CONFIRMED with the payment captured', async () => {
    const { s, orderId } = await pending();
    s.advance(5000);
    const at = s.now().toISOString();
    expect(await confirmOrder(s.deps, orderId)).toEqual({ orderId, status: 'CONFIRMED', confirmedAt: at });
    const order = s.orders.orders.get(orderId);
    expect(order?.status).toBe('CONFIRMED');
    expect(order?.payment).toEqual({ status: 'CAPTURED', amount: usd(2250 + 599) });
    expect(order?.timeline.map((e) => e.status)).toEqual(['PENDING', 'CONFIRMED']);
    expect(order?.timeline[1]).toEqual({ status: 'CONFIRMED', at });
    expect(order?.version).toBe(2);
  });

  it('answers a repeat with the first confirmation time and writes nothing', async () => {
    const { s, orderId } = await pending();
    const first = await confirmOrder(s.deps, orderId);
    const writes = s.orders.writes;
    s.advance(60_000);
    expect(await confirmOrder(s.deps, orderId)).toEqual(first);
    expect(s.orders.writes).toBe(writes);
    expect(s.orders.orders.get(orderId)?.timeline).toHaveLength(2);
  });

  it('refuses a FAILED order (OrderSettled) and a missing one (OrderNotFound)', async () => {
    const { s, orderId } = await pending();
    await markFailed(s.deps, { orderId, error: lambdaError('OutOfStock', 'A is short.') });
    await expect(confirmOrder(s.deps, orderId)).rejects.toMatchObject({ name: 'OrderSettled' });
    expect(s.orders.orders.get(orderId)?.status).toBe('FAILED');
    await expect(confirmOrder(s.deps, MISSING)).rejects.toMatchObject({ name: 'OrderNotFound' });
  });
});

describe('markFailed', () => {
  const reasons: [SagaError | undefined, string][] = [
    [lambdaError('OutOfStock', 'x'), 'OUT_OF_STOCK'],
    [lambdaError('PaymentDeclined', 'x'), 'PAYMENT_DECLINED'],
    [lambdaError('PriceChanged', 'x'), 'PRICE_CHANGED'],
    [{ Error: 'States.Timeout', Cause: 'The task timed out.' }, 'INTERNAL'],
    [lambdaError('Lambda.Unknown', 'x'), 'INTERNAL'],
    [lambdaError('TypeError', 'x'), 'INTERNAL'],
    [undefined, 'INTERNAL'],
  ];
  for (const [error, reason] of reasons) {
    it(`records ${error?.Error ?? 'no error'} as ${reason}`, async () => {
      const { s, orderId } = await pending();
      expect(await markFailed(s.deps, { orderId, ...(error ? { error } : {}) })).toEqual({
        orderId,
        status: 'FAILED',
        reason,
      });
      const order = s.orders.orders.get(orderId);
      expect(order).toMatchObject({ status: 'FAILED', failureReason: reason });
      expect(order?.timeline.slice(1)).toEqual([{ status: 'FAILED', reason, at: s.now().toISOString() }]);
    });
  }

  it("says the step's own message for a business failure", async () => {
    const { s, orderId } = await pending();
    await markFailed(s.deps, {
      orderId,
      error: lambdaError('OutOfStock', 'Not enough stock for A (1 left).'),
    });
    expect(s.orders.orders.get(orderId)?.failureMessage).toBe('Not enough stock for A (1 left).');
  });

  it('says a generic sentence for INTERNAL, never the internal message', async () => {
    const { s, orderId } = await pending();
    const secret = 'TypeError: cannot read properties of undefined (reading "token") at /var/task/index.mjs';
    await markFailed(s.deps, { orderId, error: lambdaError('Lambda.Unknown', secret) });
    const message = s.orders.orders.get(orderId)?.failureMessage;
    expect(message).toBe(INTERNAL_MESSAGE);
    expect(message).not.toContain('TypeError');
  });

  it('falls back to the generic sentence when the cause is no Lambda error document', async () => {
    const { s, orderId } = await pending();
    await markFailed(s.deps, { orderId, error: { Error: 'OutOfStock', Cause: 'not json' } });
    expect(s.orders.orders.get(orderId)?.failureMessage).toBe('Some items are out of stock.');
  });

  const payments: [{ error?: SagaError; reversal?: { status?: string } }, string][] = [
    [{ error: lambdaError('OutOfStock', 'x'), reversal: { status: 'VOIDED' } }, 'VOIDED'],
    [{ error: lambdaError('Lambda.Unknown', 'x'), reversal: { status: 'REFUNDED' } }, 'REFUNDED'],
    [{ error: lambdaError('PaymentDeclined', 'x'), reversal: { status: 'NOTHING_TO_REVERSE' } }, 'DECLINED'],
    [{ error: lambdaError('PaymentDeclined', 'x') }, 'DECLINED'],
    [{ error: lambdaError('OutOfStock', 'x'), reversal: { status: 'NOTHING_TO_REVERSE' } }, 'NONE'],
    [{ error: lambdaError('OutOfStock', 'x'), reversal: {} }, 'NONE'],
    [{}, 'NONE'],
  ];
  for (const [input, status] of payments) {
    it(`records payment ${status} for ${input.error?.Error ?? 'no error'} / ${input.reversal?.status ?? 'no reversal'}`, async () => {
      const { s, orderId } = await pending();
      await markFailed(s.deps, { orderId, ...input });
      expect(s.orders.orders.get(orderId)?.payment.status).toBe(status);
    });
  }

  it('is harmless when repeated', async () => {
    const { s, orderId } = await pending();
    const input = { orderId, error: lambdaError('OutOfStock', 'A is short.') };
    const first = await markFailed(s.deps, input);
    const writes = s.orders.writes;
    const stored = structuredClone(s.orders.orders.get(orderId));
    s.advance(1000);
    expect(await markFailed(s.deps, input)).toEqual(first);
    expect(s.orders.writes).toBe(writes);
    expect(s.orders.orders.get(orderId)).toEqual(stored);
  });

  it('refuses a CONFIRMED order with OrderSettled, leaving it CONFIRMED', async () => {
    const { s, orderId } = await pending();
    await confirmOrder(s.deps, orderId);
    await expect(
      markFailed(s.deps, { orderId, error: lambdaError('OutOfStock', 'x') }),
    ).rejects.toMatchObject({
      name: 'OrderSettled',
    });
    expect(s.orders.orders.get(orderId)?.status).toBe('CONFIRMED');
  });

  it('returns for a missing order without throwing or writing', async () => {
    const { s } = await pending();
    const writes = s.orders.writes;
    await expect(
      markFailed(s.deps, { orderId: MISSING, error: { Error: 'States.Timeout' } }),
    ).resolves.toEqual({
      orderId: MISSING,
      status: 'FAILED',
      reason: 'INTERNAL',
    });
    expect(s.orders.writes).toBe(writes);
    expect(s.orders.orders.has(MISSING)).toBe(false);
  });
});

describe('flagForAttention', () => {
  it('flags the order whatever its status, with the error name, leaving the status', async () => {
    const { s, orderId } = await pending();
    await confirmOrder(s.deps, orderId);
    s.advance(1000);
    const at = s.now().toISOString();
    expect(
      await flagForAttention(s.deps, {
        orderId,
        error: { Error: 'States.TaskFailed', Cause: 'secret details' },
      }),
    ).toEqual({ orderId, flagged: true });
    const order = s.orders.orders.get(orderId);
    expect(order?.attention).toEqual({ at, error: 'States.TaskFailed' });
    expect(order?.status).toBe('CONFIRMED');
  });

  it('says "compensation failed" without an error and keeps a long name to 200 characters', async () => {
    const { s, orderId } = await pending();
    await flagForAttention(s.deps, { orderId });
    expect(s.orders.orders.get(orderId)?.attention?.error).toBe('compensation failed');
    await flagForAttention(s.deps, { orderId, error: { Error: 'E'.repeat(256) } });
    expect(s.orders.orders.get(orderId)?.attention?.error).toBe('E'.repeat(200));
  });

  it('answers for a missing order too (the DLQ holds the record)', async () => {
    const s = setup();
    await expect(flagForAttention(s.deps, { orderId: MISSING })).resolves.toEqual({
      orderId: MISSING,
      flagged: true,
    });
    expect(s.orders.orders.size).toBe(0);
  });
});

describe('resumePending', () => {
  it('starts the sagas of PENDING orders older than the grace period, counting found and started', async () => {
    const s = setup();
    // A checkout that crashed between writing its order and starting the saga.
    s.carts.put(userCart('alice', [line('A', 1000)]));
    const crashing = {
      ...s.deps,
      workflow: {
        start: async () => {
          throw new Error('crashed');
        },
      },
    };
    await expect(
      placeOrder(crashing, {
        caller: alice,
        idempotencyKey: 'key-crashed',
        request: checkoutOf(userCartId('alice')),
      }),
    ).rejects.toThrow('crashed');
    const crashed = orderIdFor('alice', 'key-crashed');
    expect(s.orders.orders.get(crashed)?.status).toBe('PENDING');
    // One whose saga already runs: its start is asked for but refused.
    const { orderId: running } = await pending(s, [line('A', 1000)], bob);
    const { orderId: settled } = await pending(s, [line('B', 250)], { sub: 'carol', groups: [] });
    await confirmOrder(s.deps, settled);
    s.advance(PENDING_GRACE_MS + 1000);
    const { orderId: fresh } = await pending(s, [line('A', 1000)], { sub: 'dave', groups: [] });
    s.workflow.starts.length = 0;

    expect(await resumePending(s.deps)).toEqual({ found: 2, started: 1 });
    expect([...s.workflow.starts].sort()).toEqual([crashed, running].sort());
    expect(s.workflow.starts).not.toContain(fresh);
    expect(s.workflow.starts).not.toContain(settled);
  });

  it('asks for at most SWEEP_BATCH orders created before now minus the grace period', async () => {
    const s = setup();
    const asked: [string, number][] = [];
    const orders = new (class extends InMemoryOrders {
      override async pendingBefore(before: Date, limit: number) {
        asked.push([before.toISOString(), limit]);
        return [];
      }
    })();
    await resumePending({ ...s.deps, orders });
    expect(asked).toEqual([[new Date(s.now().getTime() - PENDING_GRACE_MS).toISOString(), SWEEP_BATCH]]);
  });

  it('finds nothing within the grace period', async () => {
    const { s } = await pending();
    s.advance(PENDING_GRACE_MS - 1000);
    s.workflow.starts.length = 0;
    expect(await resumePending(s.deps)).toEqual({ found: 0, started: 0 });
    expect(s.workflow.starts).toEqual([]);
  });
});
