import { describe, expect, it } from 'vitest';
import { epochSeconds, userCartId } from '#cart/domain/cart.ts';
import {
  CheckoutCartNotFoundError,
  EmptyCartError,
  IdempotencyKeyReusedError,
  UnavailableItemsError,
} from '#orders/domain/errors.ts';
import { FLAT_SHIPPING, FREE_SHIPPING_FROM, ORDER_ID_PATTERN, orderIdFor } from '#orders/domain/order.ts';
import type { CheckoutRequest } from '#orders/domain/schemas.ts';
import { placeOrder, requestDigest } from '#orders/domain/use-cases.ts';
import {
  address,
  alice,
  bob,
  checkoutOf,
  guestCart,
  InMemoryOrders,
  line,
  setup,
  usd,
  userCart,
} from './memory.ts';

const KEY = '3f0e2c9a-9a7e-4c1b-8f53-0d4a3f0c6b1e';

describe('placeOrder', () => {
  it('stores a PENDING order named after (user, key), priced at the catalog, and starts its saga once', async () => {
    const { deps, orders, carts, catalog, workflow, now } = setup();
    // The buyer saw A at 900; the catalog now sells it at 1000, which is what is charged.
    carts.put(userCart('alice', [line('A', 900, 2), line('B', 250, 3)]));
    catalog.set('A', 1000, 'Catalog A');

    const placed = await placeOrder(deps, {
      caller: alice,
      idempotencyKey: KEY,
      request: checkoutOf(userCartId('alice')),
    });

    expect(placed).toEqual({ orderId: orderIdFor('alice', KEY), status: 'PENDING' });
    expect(placed.orderId).toMatch(ORDER_ID_PATTERN);
    const order = orders.orders.get(placed.orderId);
    expect(order).toBeDefined();
    expect(order?.items).toEqual([
      {
        sku: 'A',
        productId: 'p-A',
        name: 'Catalog A',
        quantity: 2,
        unitPrice: usd(1000),
        cartPrice: usd(900),
        lineTotal: usd(2000),
      },
      {
        sku: 'B',
        productId: 'p-B',
        name: 'Product B',
        quantity: 3,
        unitPrice: usd(250),
        cartPrice: usd(250),
        lineTotal: usd(750),
      },
    ]);
    // 2750 is under the free-shipping threshold.
    expect(order?.subtotal).toEqual(usd(2750));
    expect(order?.shipping).toEqual(usd(FLAT_SHIPPING));
    expect(order?.total).toEqual(usd(2750 + FLAT_SHIPPING));
    expect(order?.payment).toEqual({ status: 'NONE', amount: usd(2750 + FLAT_SHIPPING) });
    const at = now().toISOString();
    expect(order).toMatchObject({
      userId: 'alice',
      cartId: userCartId('alice'),
      status: 'PENDING',
      shippingAddress: address,
      paymentToken: 'tok_visa',
      requestDigest: requestDigest(checkoutOf(userCartId('alice'))),
      contact: { email: 'alice@example.com' },
      timeline: [{ status: 'PENDING', at }],
      createdAt: at,
      updatedAt: at,
      version: 1,
    });
    expect(workflow.starts).toEqual([placed.orderId]);
  });

  it('ships free from FREE_SHIPPING_FROM and charges the flat rate just under it', async () => {
    const { deps, orders, carts, catalog } = setup();
    catalog.set('X', FREE_SHIPPING_FROM);
    catalog.set('Y', FREE_SHIPPING_FROM - 1);
    carts.put(userCart('alice', [line('X', FREE_SHIPPING_FROM)]));
    carts.put(userCart('bob', [line('Y', FREE_SHIPPING_FROM - 1)]));

    const free = await placeOrder(deps, {
      caller: alice,
      idempotencyKey: KEY,
      request: checkoutOf(userCartId('alice')),
    });
    const paid = await placeOrder(deps, {
      caller: bob,
      idempotencyKey: KEY,
      request: checkoutOf(userCartId('bob')),
    });

    expect(orders.orders.get(free.orderId)).toMatchObject({
      subtotal: usd(FREE_SHIPPING_FROM),
      shipping: usd(0),
      total: usd(FREE_SHIPPING_FROM),
    });
    expect(orders.orders.get(paid.orderId)).toMatchObject({
      subtotal: usd(FREE_SHIPPING_FROM - 1),
      shipping: usd(FLAT_SHIPPING),
      total: usd(FREE_SHIPPING_FROM - 1 + FLAT_SHIPPING),
    });
    // The same key from another user names another order.
    expect(free.orderId).not.toBe(paid.orderId);
  });

  it('keeps an empty contact when the caller has no email or phone', async () => {
    const { deps, orders, carts } = setup();
    carts.put(userCart('bob', [line('A', 1000)]));
    const placed = await placeOrder(deps, {
      caller: bob,
      idempotencyKey: KEY,
      request: checkoutOf(userCartId('bob')),
    });
    expect(orders.orders.get(placed.orderId)?.contact).toEqual({});
  });

  it('checks out a guest cart for a signed-in caller', async () => {
    const { deps, orders, carts, workflow, now } = setup();
    const cart = carts.put(guestCart([line('A', 1000)], epochSeconds(now()) + 3600));
    const placed = await placeOrder(deps, {
      caller: alice,
      idempotencyKey: KEY,
      request: checkoutOf(cart.cartId),
    });
    expect(placed.status).toBe('PENDING');
    expect(orders.orders.get(placed.orderId)).toMatchObject({ userId: 'alice', cartId: cart.cartId });
    expect(workflow.starts).toEqual([placed.orderId]);
  });

  describe('refuses a cart the caller may not check out, as a 404, writing and starting nothing', () => {
    const cases: [string, (s: ReturnType<typeof setup>) => string][] = [
      ["another user's cart", ({ carts }) => carts.put(userCart('bob', [line('A', 1000)])).cartId],
      ['an unknown guest cart', () => 'g-AAAAAAAAAAAAAAAAAAAAAA'],
      ["the caller's own cart id when no cart exists", () => userCartId('alice')],
      [
        'an expired guest cart',
        // Expired the very second it is read: TTL deletion lags, so it must read as gone.
        ({ carts, now }) => carts.put(guestCart([line('A', 1000)], epochSeconds(now()))).cartId,
      ],
      [
        "a user's cart stored with another owner",
        ({ carts }) => carts.put({ ...userCart('alice', [line('A', 1000)]), ownerId: 'mallory' }).cartId,
      ],
    ];
    for (const [what, cartOf] of cases) {
      it(what, async () => {
        const s = setup();
        const cartId = cartOf(s);
        const attempt = placeOrder(s.deps, {
          caller: alice,
          idempotencyKey: KEY,
          request: checkoutOf(cartId),
        });
        await expect(attempt).rejects.toBeInstanceOf(CheckoutCartNotFoundError);
        await expect(attempt).rejects.toMatchObject({ kind: 'not-found' });
        expect(s.orders.creates).toBe(0);
        expect(s.orders.orders.size).toBe(0);
        expect(s.workflow.starts).toEqual([]);
      });
    }
  });

  it('refuses an empty cart (422) writing nothing', async () => {
    const { deps, orders, carts, workflow } = setup();
    carts.put(userCart('alice', []));
    const attempt = placeOrder(deps, {
      caller: alice,
      idempotencyKey: KEY,
      request: checkoutOf(userCartId('alice')),
    });
    await expect(attempt).rejects.toBeInstanceOf(EmptyCartError);
    await expect(attempt).rejects.toMatchObject({ kind: 'unprocessable', code: 'EMPTY_CART' });
    expect(orders.creates).toBe(0);
    expect(workflow.starts).toEqual([]);
  });

  it('refuses a cart with SKUs gone from the catalog, naming them', async () => {
    const { deps, orders, carts, workflow } = setup();
    carts.put(userCart('alice', [line('GONE-1', 100), line('A', 1000), line('GONE-2', 100)]));
    const attempt = placeOrder(deps, {
      caller: alice,
      idempotencyKey: KEY,
      request: checkoutOf(userCartId('alice')),
    });
    await expect(attempt).rejects.toBeInstanceOf(UnavailableItemsError);
    await expect(attempt).rejects.toMatchObject({
      kind: 'unprocessable',
      skus: ['GONE-1', 'GONE-2'],
      message: expect.stringContaining('GONE-1, GONE-2'),
    });
    expect(orders.creates).toBe(0);
    expect(workflow.starts).toEqual([]);
  });

  it('answers a repeat with the same order, restarting the saga only while PENDING', async () => {
    const { deps, orders, carts, workflow } = setup();
    carts.put(userCart('alice', [line('A', 1000)]));
    const request = checkoutOf(userCartId('alice'));
    const first = await placeOrder(deps, { caller: alice, idempotencyKey: KEY, request });
    const writes = orders.writes;

    // The same request spelled with its keys in another order is the same checkout.
    const reordered: CheckoutRequest = {
      payment: { token: 'tok_visa' },
      shippingAddress: {
        country: address.country,
        postalCode: address.postalCode,
        city: address.city,
        line1: address.line1,
        name: address.name,
      },
      cartId: request.cartId,
    };
    const again = await placeOrder(deps, { caller: alice, idempotencyKey: KEY, request: reordered });
    expect(again).toEqual(first);
    expect(orders.writes).toBe(writes);
    // Started again (harmless: the execution is named after the order), in case the first crashed.
    expect(workflow.starts).toEqual([first.orderId, first.orderId]);

    await orders.confirm(first.orderId, 'CAPTURED', new Date());
    // The cart is gone after a purchase: a repeat still finds its order, never the cart.
    carts.carts.clear();
    const settled = await placeOrder(deps, { caller: alice, idempotencyKey: KEY, request });
    expect(settled).toEqual({ orderId: first.orderId, status: 'CONFIRMED' });
    expect(workflow.starts).toHaveLength(2);
  });

  it('refuses the same key with another request, for a PENDING or a settled order', async () => {
    const { deps, orders, carts, workflow } = setup();
    carts.put(userCart('alice', [line('A', 1000)]));
    const request = checkoutOf(userCartId('alice'));
    await placeOrder(deps, { caller: alice, idempotencyKey: KEY, request });
    const other = { ...request, shippingAddress: { ...request.shippingAddress, city: 'Cambridge' } };

    const attempt = placeOrder(deps, { caller: alice, idempotencyKey: KEY, request: other });
    await expect(attempt).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    await expect(attempt).rejects.toMatchObject({ kind: 'unprocessable' });
    await expect(
      placeOrder(deps, {
        caller: alice,
        idempotencyKey: KEY,
        request: checkoutOf(request.cartId, 'tok_other'),
      }),
    ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(workflow.starts).toHaveLength(1);
    expect(orders.creates).toBe(1);
  });

  it('resumes the order another request wrote between the read and the conditional put', async () => {
    const { deps, orders, carts, workflow } = setup();
    carts.put(userCart('alice', [line('A', 1000)]));
    const request = checkoutOf(userCartId('alice'));

    // The concurrent request's order, placed a second earlier against its own store.
    const rival = setup();
    rival.carts.put(userCart('alice', [line('A', 1000)]));
    rival.advance(-1000);
    const { orderId } = await placeOrder(rival.deps, { caller: alice, idempotencyKey: KEY, request });
    const rivalOrder = rival.orders.orders.get(orderId);
    if (!rivalOrder) throw new Error('the rival placed no order');
    orders.beforeCreate = () => orders.orders.set(orderId, structuredClone(rivalOrder));

    const placed = await placeOrder(deps, { caller: alice, idempotencyKey: KEY, request });
    expect(placed).toEqual({ orderId, status: 'PENDING' });
    // The rival's order stands: nothing was overwritten.
    expect(orders.orders.get(orderId)).toEqual(rivalOrder);
    expect(orders.writes).toBe(0);
    expect(workflow.starts).toEqual([orderId]);
  });

  it('refuses the race winner when it was placed with another request under the same key', async () => {
    const { deps, orders, carts, workflow } = setup();
    carts.put(userCart('alice', [line('A', 1000)]));
    const request = checkoutOf(userCartId('alice'));
    const rival = new InMemoryOrders();
    const rivalDeps = { ...setup().deps, orders: rival, carts };
    const { orderId } = await placeOrder(rivalDeps, {
      caller: alice,
      idempotencyKey: KEY,
      request: checkoutOf(request.cartId, 'tok_other'),
    });
    const rivalOrder = rival.orders.get(orderId);
    if (!rivalOrder) throw new Error('the rival placed no order');
    orders.beforeCreate = () => orders.orders.set(orderId, structuredClone(rivalOrder));

    await expect(placeOrder(deps, { caller: alice, idempotencyKey: KEY, request })).rejects.toBeInstanceOf(
      IdempotencyKeyReusedError,
    );
    expect(workflow.starts).toEqual([]);
  });
});

describe('requestDigest', () => {
  it('is the same however the keys are ordered, at every depth', () => {
    const request = checkoutOf('g-AAAAAAAAAAAAAAAAAAAAAA');
    const reordered = JSON.parse(
      '{"payment":{"token":"tok_visa"},"shippingAddress":{"country":"GB","postalCode":"OX1 1AA",' +
        '"city":"Oxford","line1":"1 Rabbit Hole","name":"Alice Liddell"},"cartId":"g-AAAAAAAAAAAAAAAAAAAAAA"}',
    ) as CheckoutRequest;
    expect(requestDigest(reordered)).toBe(requestDigest(request));
  });

  it('differs for requests that differ in any field', () => {
    const base = checkoutOf('g-AAAAAAAAAAAAAAAAAAAAAA');
    const variants: CheckoutRequest[] = [
      checkoutOf('g-BAAAAAAAAAAAAAAAAAAAAA'),
      checkoutOf(base.cartId, 'tok_mastercard'),
      { ...base, shippingAddress: { ...base.shippingAddress, line2: 'Flat 2' } },
      { ...base, shippingAddress: { ...base.shippingAddress, country: 'US' } },
    ];
    const digests = new Set([base, ...variants].map(requestDigest));
    expect(digests.size).toBe(variants.length + 1);
  });
});
