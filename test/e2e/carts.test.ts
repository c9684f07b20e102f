/**
 * Carts end to end, on the local cloud (API.md, "Cart"): guest and signed-in carts, catalog
 * pricing, limits, optimistic concurrency, merge, expiry, isolation, bad input, and the DynamoDB
 * calls each operation costs, counted on a real client against the same moto the functions use.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoDbCartRepository } from '#cart/adapters/dynamodb-cart-repository.ts';
import {
  addItem,
  type CartDeps,
  createGuestCart,
  getCart,
  getMyCart,
  mergeGuestCart,
  removeItem,
  setItemQuantity,
} from '#cart/domain/use-cases.ts';
import { createCatalogReader } from '#catalog/client.ts';
import type { ApiResponse } from '../../local/seed/store-client.ts';
import { LOCAL_CREDENTIALS, REGION } from '../../local/template.ts';
import {
  type Answer,
  adminToken,
  api,
  asResponse,
  client,
  ok,
  type Problem,
  productBody,
  type Schemas,
  shopperToken,
  uniqueSku,
  uniqueWord,
} from './support/fixtures.ts';

type Cart = Schemas['Cart'];
type Product = Schemas['Product'];

const CARTS_TABLE = 'store-local-carts';
const PRODUCTS_TABLE = 'store-local-products';

let admin: string;

const usd = (amount: number) => ({ amount, currency: 'USD' as const });

/** A product with one variant per price, SKUs fresh for this run. */
async function createProduct(prices: number[], name = `Cart Product ${uniqueWord()}`): Promise<Product> {
  const created = await api(admin).POST('/admin/products', {
    body: productBody({
      name,
      variants: prices.map((amount) => ({ sku: uniqueSku('CART'), attributes: {}, price: usd(amount) })),
    }),
  });
  return ok(created, 201);
}

const skuOf = (product: Product, i = 0) => product.variants[i]?.sku as string;

async function newCart(token?: string): Promise<Cart> {
  return ok(await api(token).POST('/carts'), 201);
}

function add(cartId: string, sku: string, quantity: number, opts: { token?: string; version?: number } = {}) {
  return api(opts.token).POST('/carts/{cartId}/items', {
    params: {
      path: { cartId },
      header: opts.version === undefined ? {} : { 'If-Match': `"${opts.version}"` },
    },
    body: { sku, quantity },
  });
}

/** PATCH a line's quantity (0 removes it). */
function setQuantity(
  cartId: string,
  sku: string,
  quantity: number,
  opts: { token?: string; ifMatch?: string } = {},
) {
  return api(opts.token).PATCH('/carts/{cartId}/items/{sku}', {
    params: { path: { cartId, sku }, header: opts.ifMatch === undefined ? {} : { 'If-Match': opts.ifMatch } },
    body: { quantity },
  });
}

function remove(cartId: string, sku: string, opts: { token?: string; ifMatch?: string } = {}) {
  return api(opts.token).DELETE('/carts/{cartId}/items/{sku}', {
    params: { path: { cartId, sku }, header: opts.ifMatch === undefined ? {} : { 'If-Match': opts.ifMatch } },
  });
}

function merge(token: string | undefined, cartId: string, ifMatch?: string) {
  return api(token).POST('/me/cart/merge', {
    params: { header: ifMatch === undefined ? {} : { 'If-Match': ifMatch } },
    body: { cartId },
  });
}

const readAnswer = (cartId: string, token?: string) =>
  api(token).GET('/carts/{cartId}', { params: { path: { cartId } } });

async function read(cartId: string, token?: string): Promise<Cart> {
  return ok(await readAnswer(cartId, token), 200);
}

const myCart = async (token: string): Promise<Cart> => ok(await api(token).GET('/me/cart'), 200);

const line = (cart: Cart, sku: string) => cart.items.find((item) => item.sku === sku);

/** Asserts a problem answer (from the typed client or raw HTTP) with `status`. */
function expectProblem(answer: ApiResponse<unknown> | Answer, status: number): Problem {
  const res = asResponse(answer);
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.headers.get('x-request-id')).toBeTruthy();
  const problem = res.body as Problem;
  expect(problem.status).toBe(status);
  return problem;
}

/** A document client on the moto the functions use. */
function dynamo(): { raw: DynamoDBClient; doc: DynamoDBDocumentClient } {
  const raw = new DynamoDBClient({
    endpoint: inject('awsEndpoint'),
    region: REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  return { raw, doc: DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } }) };
}

beforeAll(async () => {
  admin = await adminToken();
});

describe('carts: guest carts', () => {
  let shirt: Product;
  let mug: Product;
  beforeAll(async () => {
    shirt = await createProduct([1999, 2499]);
    mug = await createProduct([750]);
  });

  it('POST /carts makes an empty guest cart with an unguessable id, a 7-day expiry and an ETag', async () => {
    const before = Date.now();
    const res = await api().POST('/carts');
    const cart = ok(res, 201);
    const { headers } = res.response;
    expect(headers.get('x-request-id')).toBeTruthy();
    // 16 random bytes, base64url: 128 bits.
    expect(cart.cartId).toMatch(/^g-[A-Za-z0-9_-]{22}$/);
    expect(headers.get('location')).toBe(`/carts/${cart.cartId}`);
    expect(headers.get('etag')).toBe('"1"');
    expect(cart).toMatchObject({ items: [], subtotal: usd(0), itemCount: 0, version: 1 });
    expect(cart.ownerId).toBeUndefined();
    const ttl = Date.parse(cart.expiresAt ?? '') - before;
    expect(ttl).toBeGreaterThan(7 * 86_400_000 - 5_000);
    expect(ttl).toBeLessThan(7 * 86_400_000 + 5_000);
    expect((await newCart()).cartId).not.toBe(cart.cartId);
    expect(await read(cart.cartId)).toEqual(cart);
  });

  it('adds at catalog names and prices, sums repeated adds, and answers the cart', async () => {
    const cart = await newCart();
    const first = await add(cart.cartId, skuOf(shirt), 2);
    expect(first.response.headers.get('etag')).toBe('"2"');
    expect(ok(first, 200).items).toEqual([
      {
        sku: skuOf(shirt),
        productId: shirt.productId,
        name: shirt.name,
        quantity: 2,
        unitPrice: usd(1999),
        lineTotal: usd(3998),
      },
    ]);
    await add(cart.cartId, skuOf(mug), 1);
    const again = ok(await add(cart.cartId, skuOf(shirt), 3), 200);
    expect(line(again, skuOf(shirt))?.quantity).toBe(5);
    expect(again).toMatchObject({ itemCount: 6, subtotal: usd(5 * 1999 + 750), version: 4 });
    // Newest line first.
    expect(again.items.map((i) => i.sku)).toEqual([skuOf(shirt), skuOf(mug)]);
    // A write pushes the guest expiry out again.
    expect(Date.parse(again.expiresAt ?? '')).toBeGreaterThanOrEqual(Date.parse(cart.expiresAt ?? ''));
    expect(await read(cart.cartId)).toMatchObject({ itemCount: 6, version: 4 });
  });

  it('PATCH sets a quantity and 0 removes the line; DELETE removes a line', async () => {
    const cart = await newCart();
    await add(cart.cartId, skuOf(shirt), 1);
    await add(cart.cartId, skuOf(shirt, 1), 1);
    await add(cart.cartId, skuOf(mug), 4);

    const patched = ok(await setQuantity(cart.cartId, skuOf(mug), 7), 200);
    expect(line(patched, skuOf(mug))).toMatchObject({ quantity: 7, lineTotal: usd(7 * 750) });

    const zero = ok(await setQuantity(cart.cartId, skuOf(shirt), 0), 200);
    expect(line(zero, skuOf(shirt))).toBeUndefined();

    const deleted = ok(await remove(cart.cartId, skuOf(shirt, 1)), 200);
    expect(deleted.items.map((i) => i.sku)).toEqual([skuOf(mug)]);
    expect(deleted.version).toBe(7);

    // Removing what is not there changes nothing (a retried DELETE is harmless).
    expect(ok(await remove(cart.cartId, skuOf(shirt, 1)), 200).version).toBe(7);
    // Setting the quantity of a line that is not there is a 404.
    expectProblem(await setQuantity(cart.cartId, skuOf(shirt), 2), 404);
    expect((await read(cart.cartId)).version).toBe(7);
  });

  it('holds 1..99 of a SKU and 50 lines: beyond is 422 and writes nothing', async () => {
    const cart = await newCart();
    await add(cart.cartId, skuOf(mug), 60);
    expectProblem(await add(cart.cartId, skuOf(mug), 40), 422);
    expectProblem(await add(cart.cartId, skuOf(shirt), 100), 422);
    expectProblem(await setQuantity(cart.cartId, skuOf(mug), 100), 422);
    ok(await add(cart.cartId, skuOf(mug), 39), 200);
    let after = await read(cart.cartId);
    expect(line(after, skuOf(mug))?.quantity).toBe(99);
    expect(after.version).toBe(3);

    // 50 lines, from one product with 50 variants plus the mug already there.
    const many = await createProduct(Array.from({ length: 50 }, (_, i) => 100 + i));
    const results = await Promise.all(many.variants.slice(0, 49).map((v) => add(cart.cartId, v.sku, 1)));
    expect(results.map((r) => r.response.status)).toEqual(Array(49).fill(200));
    after = await read(cart.cartId);
    expect(after.items).toHaveLength(50);
    expectProblem(await add(cart.cartId, skuOf(many, 49), 1), 422);
    // An existing line can still grow.
    ok(await add(cart.cartId, skuOf(many, 0), 1), 200);
    const final = await read(cart.cartId);
    expect(final.items).toHaveLength(50);
    expect(line(final, skuOf(many, 49))).toBeUndefined();
    expect(final.version).toBe(after.version + 1);
  });

  it('answers 422 for a SKU the catalog does not have, and writes nothing', async () => {
    const cart = await newCart();
    const problem = expectProblem(await add(cart.cartId, uniqueSku('NOPE'), 1), 422);
    expect(problem.detail).toContain('NOPE');
    expect(await read(cart.cartId)).toMatchObject({ items: [], version: 1 });
  });

  it('answers bad input with 400 problem+json naming the field, and writes nothing', async () => {
    const cart = await newCart();
    await add(cart.cartId, skuOf(mug), 1);
    const items = `/carts/${cart.cartId}/items`;
    const mugLine = `${items}/${skuOf(mug)}`;
    const cases: [
      string,
      string,
      { body?: unknown; rawBody?: string; headers?: Record<string, string> },
      string?,
    ][] = [
      ['fractional quantity', items, { body: { sku: skuOf(mug), quantity: 1.5 } }, 'quantity'],
      ['zero quantity', items, { body: { sku: skuOf(mug), quantity: 0 } }, 'quantity'],
      ['negative quantity', items, { body: { sku: skuOf(mug), quantity: -2 } }, 'quantity'],
      ['string quantity', items, { body: { sku: skuOf(mug), quantity: '2' } }, 'quantity'],
      ['missing quantity', items, { body: { sku: skuOf(mug) } }, 'quantity'],
      [
        'a price from the client',
        items,
        { body: { sku: skuOf(mug), quantity: 1, unitPrice: usd(1) } },
        'unitPrice',
      ],
      ['unknown field', items, { body: { sku: skuOf(mug), quantity: 1, note: 'x' } }, 'note'],
      ['malformed SKU', items, { body: { sku: 'not a sku', quantity: 1 } }, 'sku'],
      ['malformed JSON', items, { rawBody: '{"sku": "A",' }],
      ['no body', items, {}],
      ['an array body', items, { body: [{ sku: skuOf(mug), quantity: 1 }] }],
      ['negative PATCH', mugLine, { body: { quantity: -1 } }, 'quantity'],
      ['fractional PATCH', mugLine, { body: { quantity: 0.5 } }, 'quantity'],
      ['string PATCH', mugLine, { body: { quantity: '3' } }, 'quantity'],
      ['unknown PATCH field', mugLine, { body: { quantity: 3, sku: skuOf(mug) } }, 'sku'],
      ['malformed PATCH JSON', mugLine, { rawBody: 'quantity=3' }],
      [
        'If-Match not a version',
        items,
        { body: { sku: skuOf(mug), quantity: 1 }, headers: { 'if-match': 'abc' } },
        'If-Match',
      ],
    ];
    for (const [name, path, opts, field] of cases) {
      const method = path === items ? 'POST' : 'PATCH';
      const problem = expectProblem(await client.request(method, path, opts), 400);
      if (field)
        expect(
          problem.errors?.map((e) => e.path),
          name,
        ).toContain(field);
    }
    expectProblem(await client.request('DELETE', `${items}/lower-case`), 400);
    expectProblem(await client.request('POST', '/carts', { body: { ownerId: 'me' } }), 400);
    const after = await read(cart.cartId);
    expect(after.version).toBe(2);
    expect(line(after, skuOf(mug))?.quantity).toBe(1);
  });

  it('answers 404 for unknown carts on every route', async () => {
    const unknown = ['g-AAAAAAAAAAAAAAAAAAAAAA', 'not-a-cart', `u-${'A'.repeat(43)}`];
    for (const cartId of unknown) {
      expectProblem(await readAnswer(cartId), 404);
      expectProblem(await add(cartId, skuOf(mug), 1), 404);
      expectProblem(await setQuantity(cartId, skuOf(mug), 1), 404);
      expectProblem(await remove(cartId, skuOf(mug)), 404);
    }
  });

  it('honours If-Match: the current version writes, a stale one is 412 and writes nothing', async () => {
    const cart = await newCart();
    expect(ok(await add(cart.cartId, skuOf(mug), 1, { version: 1 }), 200).version).toBe(2);
    const stale = await add(cart.cartId, skuOf(mug), 1, { version: 1 });
    const problem = expectProblem(stale, 412);
    expect(problem.title).toBe('Precondition Failed');
    expect(stale.response.headers.get('etag')).toBe('"2"');
    expectProblem(await setQuantity(cart.cartId, skuOf(mug), 5, { ifMatch: '1' }), 412);
    expectProblem(await remove(cart.cartId, skuOf(mug), { ifMatch: 'W/"1"' }), 412);
    const after = await read(cart.cartId);
    expect(after.version).toBe(2);
    expect(line(after, skuOf(mug))?.quantity).toBe(1);
    // `*` and the current version both pass.
    ok(await add(cart.cartId, skuOf(mug), 1, { version: 2 }), 200);
    const star = await api().POST('/carts/{cartId}/items', {
      params: { path: { cartId: cart.cartId }, header: { 'If-Match': '*' } },
      body: { sku: skuOf(mug), quantity: 1 },
    });
    expect(ok(star, 200).version).toBe(4);
  });

  it('loses no update: 20 parallel adds to one cart end with the exact sum', async () => {
    const cart = await newCart();
    const quantities = Array.from({ length: 20 }, (_, i) => (i % 4) + 1);
    const results = await Promise.all(
      quantities.map((q, i) => add(cart.cartId, i % 2 === 0 ? skuOf(shirt) : skuOf(mug), q)),
    );
    expect(results.map((r) => r.response.status)).toEqual(Array(20).fill(200));
    // Every write saw a different version: none overwrote another.
    expect(new Set(results.map((r) => r.data?.version)).size).toBe(20);
    const after = await read(cart.cartId);
    const sum = (parity: number) => quantities.filter((_, i) => i % 2 === parity).reduce((a, b) => a + b, 0);
    expect(line(after, skuOf(shirt))?.quantity).toBe(sum(0));
    expect(line(after, skuOf(mug))?.quantity).toBe(sum(1));
    expect(after.itemCount).toBe(50);
    expect(after.version).toBe(21);
  });

  it('treats an expired guest cart as gone before TTL deletes it', async () => {
    const cart = await newCart();
    await add(cart.cartId, skuOf(mug), 1);
    // moto never runs TTL; even DynamoDB deletes expired items up to days late.
    await dynamo().doc.send(
      new UpdateCommand({
        TableName: CARTS_TABLE,
        Key: { pk: `CART#${cart.cartId}`, sk: 'CART' },
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 60 },
      }),
    );
    expectProblem(await readAnswer(cart.cartId), 404);
    expectProblem(await add(cart.cartId, skuOf(mug), 1), 404);
    expectProblem(await remove(cart.cartId, skuOf(mug)), 404);
    const token = await shopperToken(`e2e-cart-expired-${uniqueWord()}`);
    expectProblem(await merge(token, cart.cartId), 404);
  });

  it('re-prices on read: flags changed prices and keeps SKUs that left the catalog, flagged', async () => {
    const lamp = await createProduct([4000, 4500]);
    const desk = await createProduct([12000]);
    const cart = await newCart();
    await add(cart.cartId, skuOf(lamp), 2);
    await add(cart.cartId, skuOf(lamp, 1), 1);
    await add(cart.cartId, skuOf(desk), 1);
    expect((await read(cart.cartId)).items.some((i) => i.priceChanged || i.unavailable)).toBe(false);

    const replaced = await api(admin).PUT('/admin/products/{productId}', {
      params: { path: { productId: lamp.productId } },
      body: productBody({
        name: lamp.name,
        variants: [
          { sku: skuOf(lamp), attributes: {}, price: usd(3500) },
          { sku: skuOf(lamp, 1), attributes: {}, price: usd(4500) },
        ],
      }),
    });
    ok(replaced, 200);
    const deleted = await api(admin).DELETE('/admin/products/{productId}', {
      params: { path: { productId: desk.productId } },
    });
    expect(deleted.response.status).toBe(204);

    const after = await read(cart.cartId);
    expect(line(after, skuOf(lamp))).toEqual({
      sku: skuOf(lamp),
      productId: lamp.productId,
      name: lamp.name,
      quantity: 2,
      unitPrice: usd(3500),
      lineTotal: usd(7000),
      priceChanged: true,
      previousUnitPrice: usd(4000),
    });
    expect(line(after, skuOf(lamp, 1))?.priceChanged).toBeUndefined();
    expect(line(after, skuOf(desk))).toMatchObject({ quantity: 1, unavailable: true, unitPrice: usd(12000) });
    expect(after.subtotal).toEqual(usd(7000 + 4500));
    expect(after.itemCount).toBe(4);
    // Adding again takes the current price: the shopper has now seen it.
    const readded = ok(await add(cart.cartId, skuOf(lamp), 1), 200);
    expect(line(readded, skuOf(lamp))?.unitPrice).toEqual(usd(3500));
    expect(line(await read(cart.cartId), skuOf(lamp))?.priceChanged).toBeUndefined();
    // The SKU that left the catalog cannot be added again.
    expectProblem(await add(cart.cartId, skuOf(desk), 1), 422);
  });

  it('turns a bad token away with 401 even where signing in is optional', async () => {
    const garbage = await client.request('POST', '/carts', { token: 'not.a.jwt' });
    expectProblem(garbage, 401);
    const cart = await newCart();
    const forged = await client.request('GET', `/carts/${cart.cartId}`, {
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
    });
    expectProblem(forged, 401);
  });
});

describe('carts: signed-in users', () => {
  let socks: Product;
  let hat: Product;
  let scarf: Product;
  beforeAll(async () => {
    [socks, hat, scarf] = await Promise.all([
      createProduct([900]),
      createProduct([2500]),
      createProduct([3300]),
    ]);
  });

  it('GET /me/cart is 401 without a token, creates the cart once, and the owner reaches it at /carts/{id}', async () => {
    expectProblem(await api().GET('/me/cart'), 401);
    expectProblem(await merge(undefined, 'g-AAAAAAAAAAAAAAAAAAAAAA'), 401);

    const sub = `e2e-cart-owner-${uniqueWord()}`;
    const token = await shopperToken(sub);
    const first = await myCart(token);
    expect(first).toMatchObject({ ownerId: sub, items: [], version: 1 });
    // A user's cart does not expire.
    expect(first.expiresAt).toBeUndefined();
    expect((await myCart(token)).cartId).toBe(first.cartId);

    const added = ok(await add(first.cartId, skuOf(socks), 2, { token }), 200);
    expect(added).toMatchObject({ ownerId: sub, version: 2, itemCount: 2 });
    expect(added.expiresAt).toBeUndefined();
    expect((await read(first.cartId, token)).itemCount).toBe(2);
    expect((await myCart(token)).itemCount).toBe(2);
    // Without the owner's token the cart does not exist.
    expectProblem(await readAnswer(first.cartId), 404);
  });

  it("keeps users apart: B can neither read nor write A's cart, which stays as it was", async () => {
    const alice = await shopperToken(`e2e-cart-alice-${uniqueWord()}`);
    const bob = await shopperToken(`e2e-cart-bob-${uniqueWord()}`);
    const aliceCart = await myCart(alice);
    await add(aliceCart.cartId, skuOf(hat), 1, { token: alice });
    const id = aliceCart.cartId;
    for (const token of [bob, undefined]) {
      expectProblem(await readAnswer(id, token), 404);
      expectProblem(await add(id, skuOf(hat), 5, { token }), 404);
      expectProblem(await setQuantity(id, skuOf(hat), 9, { token }), 404);
      expectProblem(await remove(id, skuOf(hat), { token }), 404);
    }
    // Nor can B merge A's cart into B's.
    expectProblem(await merge(bob, id), 404);
    const after = await read(id, alice);
    expect(after).toMatchObject({ version: 2, itemCount: 1 });
    expect((await myCart(bob)).items).toEqual([]);

    // A guest cart works for whoever holds its id, signed in or not.
    const guest = await newCart(bob);
    expect(guest.ownerId).toBeUndefined();
    ok(await add(guest.cartId, skuOf(hat), 1, { token: alice }), 200);
    ok(await add(guest.cartId, skuOf(hat), 1), 200);
    expect(line(await read(guest.cartId, bob), skuOf(hat))?.quantity).toBe(2);
  });

  it('merges a guest cart: sums quantities capped at 99, deletes the guest cart, and a retried merge counts once', async () => {
    const sub = `e2e-cart-merge-${uniqueWord()}`;
    const token = await shopperToken(sub);
    const mine = await myCart(token);
    await add(mine.cartId, skuOf(socks), 60, { token });
    await add(mine.cartId, skuOf(hat), 1, { token });

    const guest = await newCart();
    await add(guest.cartId, skuOf(socks), 50);
    await add(guest.cartId, skuOf(scarf), 2);
    await add(guest.cartId, skuOf(hat), 3);

    const merged = ok(await merge(token, guest.cartId), 200);
    expect(merged).toMatchObject({ cartId: mine.cartId, ownerId: sub, version: 4 });
    const quantities = Object.fromEntries(merged.items.map((i) => [i.sku, i.quantity]));
    expect(quantities).toEqual({ [skuOf(socks)]: 99, [skuOf(hat)]: 4, [skuOf(scarf)]: 2 });
    expect(merged.expiresAt).toBeUndefined();
    // The guest cart is gone.
    expectProblem(await readAnswer(guest.cartId), 404);

    // Retried twice: nothing left to merge (404), and the user's cart is as the first merge left it.
    for (let i = 0; i < 2; i++) expectProblem(await merge(token, guest.cartId), 404);
    const after = await myCart(token);
    expect(after.version).toBe(4);
    expect(Object.fromEntries(after.items.map((i) => [i.sku, i.quantity]))).toEqual(quantities);
    expect(after.subtotal).toEqual(usd(99 * 900 + 4 * 2500 + 2 * 3300));
  });

  it('merges only when If-Match names the current version of the user cart (412 leaves the guest cart)', async () => {
    const token = await shopperToken(`e2e-cart-merge-if-${uniqueWord()}`);
    const mine = await myCart(token);
    const guest = await newCart();
    await add(guest.cartId, skuOf(scarf), 1);
    expectProblem(await merge(token, guest.cartId, `"${mine.version + 1}"`), 412);
    expect((await read(guest.cartId)).itemCount).toBe(1);
    expect(ok(await merge(token, guest.cartId, `"${mine.version}"`), 200).itemCount).toBe(1);
    // Bad merge bodies are 400 and merge nothing.
    for (const body of [{}, { cartId: 42 }, { cartId: guest.cartId, extra: true }]) {
      expectProblem(await client.request('POST', '/me/cart/merge', { token, body }), 400);
    }
  });
});

describe('carts: DynamoDB calls per operation', () => {
  /** Sends per command, counted in the client's own middleware stack. */
  const counts = new Map<string, number>();
  let deps: CartDeps;
  let sku: string;
  let otherSku: string;

  beforeAll(async () => {
    const { raw, doc } = dynamo();
    raw.middlewareStack.add(
      (next, context) => async (args) => {
        const name = String(context.commandName).replace(/Command$/, '');
        counts.set(name, (counts.get(name) ?? 0) + 1);
        return next(args);
      },
      { step: 'initialize', name: 'countSends' },
    );
    deps = {
      carts: new DynamoDbCartRepository(doc, CARTS_TABLE),
      catalog: createCatalogReader({ tableName: PRODUCTS_TABLE, db: doc }),
    };
    const product = await createProduct([1000, 2000]);
    sku = skuOf(product);
    otherSku = skuOf(product, 1);
  });

  async function measured<T>(operation: () => Promise<T>): Promise<Record<string, number>> {
    counts.clear();
    await operation().catch(() => undefined);
    return Object.fromEntries(counts);
  }

  it('stays within 2 round trips per write and per read', async () => {
    let cartId = '';
    const create = await measured(async () => {
      cartId = (await createGuestCart(deps)).cartId;
    });
    expect(create).toEqual({ PutItem: 1 });
    expect(await measured(() => addItem(deps, cartId, undefined, { sku, quantity: 1 }))).toEqual({
      BatchGetItem: 1,
      UpdateItem: 1,
    });
    // Adding to an existing line is the same single UpdateItem.
    expect(await measured(() => addItem(deps, cartId, undefined, { sku, quantity: 2 }))).toEqual({
      BatchGetItem: 1,
      UpdateItem: 1,
    });
    expect(await measured(() => addItem(deps, cartId, undefined, { sku: otherSku, quantity: 1 }))).toEqual({
      BatchGetItem: 1,
      UpdateItem: 1,
    });
    // Refused writes learn why from the failed write itself: no extra read.
    expect(await measured(() => addItem(deps, cartId, undefined, { sku, quantity: 97 }))).toEqual({
      BatchGetItem: 1,
      UpdateItem: 1,
    });
    expect(
      await measured(() => addItem(deps, cartId, undefined, { sku, quantity: 1 }, { expectedVersion: 1 })),
    ).toEqual({ BatchGetItem: 1, UpdateItem: 1 });
    expect(await measured(() => getCart(deps, cartId))).toEqual({ GetItem: 1, BatchGetItem: 1 });
    expect(await measured(() => setItemQuantity(deps, cartId, undefined, sku, 5))).toEqual({ UpdateItem: 1 });
    expect(await measured(() => setItemQuantity(deps, cartId, undefined, sku, 0))).toEqual({ UpdateItem: 1 });
    expect(await measured(() => removeItem(deps, cartId, undefined, otherSku))).toEqual({ UpdateItem: 1 });
    // Unknown SKU: the catalog lookup only. Someone else's or a malformed cart id: nothing at all.
    expect(
      await measured(() => addItem(deps, cartId, undefined, { sku: uniqueSku('NONE'), quantity: 1 })),
    ).toEqual({ BatchGetItem: 1 });
    expect(await measured(() => getCart(deps, `u-${'A'.repeat(43)}`, { sub: 'someone' }))).toEqual({});

    const caller = { sub: `e2e-cart-count-${uniqueWord()}` };
    expect(await measured(() => getMyCart(deps, caller))).toEqual({ GetItem: 1, PutItem: 1 });
    expect(await measured(() => getMyCart(deps, caller))).toEqual({ GetItem: 1 });
    const guest = (await createGuestCart(deps)).cartId;
    await addItem(deps, guest, undefined, { sku, quantity: 1 });
    expect(await measured(() => mergeGuestCart(deps, caller, guest))).toEqual({
      BatchGetItem: 1,
      TransactWriteItems: 1,
    });
    expect(await measured(() => getMyCart(deps, caller))).toEqual({ GetItem: 1, BatchGetItem: 1 });
    // The merged guest cart is gone: a retry reads, finds nothing, writes nothing.
    expect(await measured(() => mergeGuestCart(deps, caller, guest))).toEqual({ BatchGetItem: 1 });
  });
});
