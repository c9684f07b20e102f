import { describe, expect, it } from 'vitest';
import { userCartId } from '#cart/domain/cart.ts';
import { OrderNotFoundError } from '#orders/domain/errors.ts';
import { decodeOrdersCursor, encodeOrdersCursor } from '#orders/domain/list-cursor.ts';
import { OrderSchema } from '#orders/domain/schemas.ts';
import { getOrder, listOrders, markFailed, placeOrder } from '#orders/domain/use-cases.ts';
import { encodeCursor } from '#shared/cursor.ts';
import { ValidationError } from '#shared/errors.ts';
import { admin, alice, bob, checkoutOf, line, setup, userCart } from './memory.ts';

async function placed(s: ReturnType<typeof setup>, caller = alice, key = 'key-00000001') {
  if (!s.carts.carts.has(userCartId(caller.sub))) s.carts.put(userCart(caller.sub, [line('A', 1000)]));
  return (
    await placeOrder(s.deps, { caller, idempotencyKey: key, request: checkoutOf(userCartId(caller.sub)) })
  ).orderId;
}

describe('getOrder', () => {
  it("shows the owner their order and an admin anyone's", async () => {
    const s = setup();
    const orderId = await placed(s);
    expect((await getOrder(s.deps, alice, orderId)).orderId).toBe(orderId);
    expect((await getOrder(s.deps, admin, orderId)).userId).toBe('alice');
    // One exact `admin` among other groups is enough.
    expect((await getOrder(s.deps, { sub: 'ops', groups: ['support', 'admin'] }, orderId)).orderId).toBe(
      orderId,
    );
  });

  it('answers 404 to a stranger, to look-alike groups and for a missing order', async () => {
    const s = setup();
    const orderId = await placed(s);
    const strangers = [
      bob,
      { sub: 'x', groups: ['Admin'] },
      { sub: 'x', groups: ['admin '] },
      { sub: 'x', groups: [' admin'] },
      { sub: 'x', groups: ['admins'] },
    ];
    for (const caller of strangers) {
      await expect(getOrder(s.deps, caller, orderId)).rejects.toBeInstanceOf(OrderNotFoundError);
    }
    const missing = 'ord_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    await expect(getOrder(s.deps, alice, missing)).rejects.toMatchObject({
      kind: 'not-found',
      message: expect.stringContaining(missing),
    });
  });

  it('hides the token, internal keys, attention, contact and the cart price; shipments are empty', async () => {
    const s = setup();
    const orderId = await placed(s);
    await s.orders.flag(orderId, 'States.TaskFailed', s.now());
    const view = await getOrder(s.deps, alice, orderId);
    expect(Object.keys(view).sort()).toEqual(
      [
        'orderId',
        'userId',
        'status',
        'items',
        'subtotal',
        'shipping',
        'total',
        'shippingAddress',
        'payment',
        'timeline',
        'createdAt',
        'updatedAt',
        'shipments',
      ].sort(),
    );
    expect(view.shipments).toEqual([]);
    expect(view.items.map((i) => Object.keys(i).sort())).toEqual([
      ['lineTotal', 'name', 'productId', 'quantity', 'sku', 'unitPrice'],
    ]);
    expect(JSON.stringify(view)).not.toContain('tok_visa');
    expect(OrderSchema.safeParse(view).success).toBe(true);
  });

  it('shows why a failed order failed', async () => {
    const s = setup();
    const orderId = await placed(s);
    await markFailed(s.deps, { orderId, error: { Error: 'States.Timeout' } });
    const view = await getOrder(s.deps, alice, orderId);
    expect(view).toMatchObject({
      status: 'FAILED',
      failureReason: 'INTERNAL',
      failureMessage: expect.any(String),
    });
    expect(OrderSchema.safeParse(view).success).toBe(true);
  });
});

describe('listOrders and its cursor', () => {
  /** Five orders of alice a minute apart (the last two at the same instant) and one of bob. */
  async function history() {
    const s = setup();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      if (i < 4) s.advance(60_000);
      ids.push(await placed(s, alice, `key-alice-${i}`));
    }
    const bobs = await placed(s, bob, 'key-bob-0');
    return { s, ids, bobs };
  }

  /** Newest first: by createdAt, then by orderId, both descending, as DynamoDB compares (bytes, not locale). */
  const newestFirst = (s: ReturnType<typeof setup>, ids: string[]) =>
    ids
      .map((id) => s.orders.orders.get(id))
      .filter((o) => o !== undefined)
      .map((o) => `${o.createdAt}#${o.orderId}`)
      .sort()
      .reverse()
      .map((key) => key.slice(key.indexOf('#') + 1));

  it("lists only the caller's orders, newest first, as views", async () => {
    const { s, ids, bobs } = await history();
    const page = await listOrders(s.deps, alice, 20);
    expect(page.items.map((o) => o.orderId)).toEqual(newestFirst(s, ids));
    expect(page.items.map((o) => o.orderId)).not.toContain(bobs);
    expect(page.items[0]).not.toHaveProperty('paymentToken');
    expect(page).not.toHaveProperty('last');
  });

  it('pages through every order once with cursors, ties included', async () => {
    const { s, ids } = await history();
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const after = cursor ? decodeOrdersCursor(cursor, 'alice') : undefined;
      const page = await listOrders(s.deps, alice, 2, after);
      seen.push(...page.items.map((o) => o.orderId));
      if (!page.last) break;
      cursor = encodeOrdersCursor('alice', page.last);
    }
    expect(seen).toEqual(newestFirst(s, ids));
  });

  it('round-trips the last order through the cursor', async () => {
    const { s } = await history();
    const page = await listOrders(s.deps, alice, 2);
    if (!page.last) throw new Error('a full page carries its last order');
    expect(decodeOrdersCursor(encodeOrdersCursor('alice', page.last), 'alice')).toEqual(page.last);
  });

  it("refuses another user's cursor as a 400 on `cursor`", async () => {
    const { s } = await history();
    const page = await listOrders(s.deps, alice, 2);
    if (!page.last) throw new Error('a full page carries its last order');
    const cursor = encodeOrdersCursor('alice', page.last);
    let error: unknown;
    try {
      decodeOrdersCursor(cursor, 'bob');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors.map((e) => e.path)).toEqual(['cursor']);
  });

  it('refuses tampered cursors as a 400 on `cursor`', async () => {
    const { s } = await history();
    const page = await listOrders(s.deps, alice, 2);
    if (!page.last) throw new Error('a full page carries its last order');
    const cursor = encodeOrdersCursor('alice', page.last);
    const { h, t, id } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<
      string,
      string
    >;
    const tampered = [
      `${cursor}x`,
      cursor.slice(0, -2),
      `${cursor.slice(0, 10)}*${cursor.slice(11)}`,
      encodeCursor({ h, t, id, extra: 1 }),
      encodeCursor({ h, t, id: 'order-1' }),
      encodeCursor({ h, t: '2026-05-01T08:00:00Z', id }),
      encodeCursor({ h, t: '2026-02-30T08:00:00.000Z', id }),
      encodeCursor({ h, t }),
      encodeCursor([h, t, id]),
      '',
    ];
    for (const bad of tampered) {
      expect(() => decodeOrdersCursor(bad, 'alice'), bad).toThrow(ValidationError);
      try {
        decodeOrdersCursor(bad, 'alice');
      } catch (error) {
        expect((error as ValidationError).errors[0]?.path).toBe('cursor');
      }
    }
  });
});
