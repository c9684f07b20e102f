/**
 * Inventory end to end, on the local cloud (API.md, "Inventory (admin)"): receiving and reading
 * stock through the admin routes (auth, bad input), and the reservation operations the checkout
 * saga will call, run with the DynamoDB adapter against the same moto the functions use: racing
 * reservers, all-or-nothing, idempotent retries, commit after release, and the reaper.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoDbInventoryStore } from '#inventory/adapters/dynamodb-inventory-store.ts';
import { reservationKey, stockKey } from '#inventory/adapters/table-layout.ts';
import { OutOfStockError, ReservationReleasedError } from '#inventory/domain/errors.ts';
import {
  commit,
  getStock,
  type InventoryDeps,
  reapExpired,
  receiveStock,
  release,
  reserve,
} from '#inventory/domain/use-cases.ts';
import { LOCAL_CREDENTIALS, REGION } from '../../local/template.ts';
import { adminToken, client, type Problem, shopperToken, uniqueSku } from './support/fixtures.ts';

interface Stock {
  sku: string;
  available: number;
  reserved: number;
  sold: number;
  version: number;
}

const INVENTORY_TABLE = 'store-local-inventory';
const RESERVATIONS_TABLE = 'store-local-reservations';

let admin: string;
let doc: DynamoDBDocumentClient;
let deps: InventoryDeps;

beforeAll(async () => {
  admin = await adminToken();
  const raw = new DynamoDBClient({
    endpoint: inject('awsEndpoint'),
    region: REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  deps = { store: new DynamoDbInventoryStore(doc, INVENTORY_TABLE, RESERVATIONS_TABLE) };
});

function expectProblem(res: { status: number; headers: Headers; body: unknown }, status: number): Problem {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.headers.get('x-request-id')).toBeTruthy();
  return res.body as Problem;
}

const receive = (sku: string, body: unknown, token: string | undefined = admin) =>
  client.request<Stock>('POST', `/admin/inventory/${sku}/receive`, { token, body });

/** The SKU's item as stored, with the invariant checked: available + reserved + sold = received. */
async function stored(sku: string) {
  const { Item } = await doc.send(
    new GetCommand({ TableName: INVENTORY_TABLE, Key: stockKey(sku), ConsistentRead: true }),
  );
  const item = Item as { available: number; reserved: number; sold: number; received: number };
  expect(item.available + item.reserved + item.sold, sku).toBe(item.received);
  expect(item.available, sku).toBeGreaterThanOrEqual(0);
  return { available: item.available, reserved: item.reserved, sold: item.sold };
}

async function stockOf(...pairs: [string, number][]): Promise<string[]> {
  for (const [sku, quantity] of pairs) await receiveStock(deps, sku, quantity);
  return pairs.map(([sku]) => sku);
}

const orderId = () => `order-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

describe('inventory: admin routes', () => {
  it('receives stock (creating the SKU) and reads it back', async () => {
    const sku = uniqueSku('INV');
    const missing = await client.request('GET', `/admin/inventory/${sku}`, { token: admin });
    expect(expectProblem(missing, 404).detail).toContain(sku);

    const first = await receive(sku, { quantity: 25 });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ sku, available: 25, reserved: 0, sold: 0, version: 1 });
    const second = await receive(sku, { quantity: 5 });
    expect(second.body).toEqual({ sku, available: 30, reserved: 0, sold: 0, version: 2 });

    const read = await client.request<Stock>('GET', `/admin/inventory/${sku}`, { token: admin });
    expect(read.status).toBe(200);
    expect(read.headers.get('x-request-id')).toBeTruthy();
    expect(read.body).toEqual(second.body);
    expect(await stored(sku)).toEqual({ available: 30, reserved: 0, sold: 0 });
  });

  it('answers 401 without a valid token and 403 to a signed-in non-admin, reading nothing', async () => {
    const sku = uniqueSku('INV');
    const shopper = await shopperToken();
    for (const [method, path, body] of [
      ['GET', `/admin/inventory/${sku}`, undefined],
      ['POST', `/admin/inventory/${sku}/receive`, { quantity: 1 }],
    ] as const) {
      expectProblem(await client.request(method, path, { body }), 401);
      expectProblem(await client.request(method, path, { body, token: 'not-a-jwt' }), 401);
      expectProblem(await client.request(method, path, { body, token: shopper }), 403);
    }
    // Bad input from a non-admin is still a 403: the group is checked first.
    expectProblem(await receive('lower-case', { quantity: -1 }, shopper), 403);
    expectProblem(await client.request('GET', `/admin/inventory/${sku}`, { token: admin }), 404);
  });

  it('answers 400 for every shape of bad input, never a 5xx, and writes nothing', async () => {
    const sku = uniqueSku('INV');
    const bodies: unknown[] = [
      {},
      { quantity: 0 },
      { quantity: -3 },
      { quantity: 1.5 },
      { quantity: '2' },
      { quantity: null },
      { quantity: 1_000_001 },
      { quantity: 1, price: 100 },
      [],
      'ten',
    ];
    for (const body of bodies) {
      const problem = expectProblem(await receive(sku, body), 400);
      expect(problem.errors?.length, JSON.stringify(body)).toBeGreaterThan(0);
    }
    for (const rawBody of ['', '{"quantity":', 'null']) {
      const res = await client.request('POST', `/admin/inventory/${sku}/receive`, {
        token: admin,
        rawBody,
        headers: { 'content-type': 'application/json' },
      });
      expectProblem(res, 400);
    }
    for (const bad of ['lower', 'A%20B', 'A.B', 'X'.repeat(65), '%F0%9F%98%80']) {
      const read = await client.request('GET', `/admin/inventory/${bad}`, { token: admin });
      expect(expectProblem(read, 400).errors?.[0]?.path, bad).toBe('');
      expectProblem(await receive(bad, { quantity: 1 }), 400);
    }
    expectProblem(await client.request('GET', `/admin/inventory/${sku}`, { token: admin }), 404);
  });
});

describe('inventory: reservations on DynamoDB', () => {
  it('lets exactly 10 of 30 racing reservers hold the last 10 units; the other 20 are OUT_OF_STOCK', async () => {
    const [sku] = (await stockOf([uniqueSku('RACE'), 10])) as [string];
    const started = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, () =>
        reserve(deps, { orderId: orderId(), lines: [{ sku, quantity: 1 }], ttlSeconds: 600 }),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const held = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(held).toHaveLength(10);
    expect(refused).toHaveLength(20);
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(OutOfStockError);
      expect((r.reason as OutOfStockError).shortages).toEqual([{ sku, requested: 1, available: 0 }]);
    }
    expect(await stored(sku)).toEqual({ available: 0, reserved: 10, sold: 0 });
    console.log(`30 racing reservers over 10 units: ${seconds.toFixed(2)} s`);
    // Each order is released, so the reaper has nothing of this test to find later.
    for (const r of held)
      await release(deps, (r as PromiseFulfilledResult<{ orderId: string }>).value.orderId);
    expect(await stored(sku)).toEqual({ available: 10, reserved: 0, sold: 0 });
  });

  it('reserves nothing when one SKU of several is short, and names that SKU with what it has', async () => {
    const [a, b, c] = (await stockOf(
      [uniqueSku('MULTI'), 5],
      [uniqueSku('MULTI'), 2],
      [uniqueSku('MULTI'), 9],
    )) as [string, string, string];
    const order = orderId();
    const error = await reserve(deps, {
      orderId: order,
      lines: [
        { sku: a, quantity: 3 },
        { sku: b, quantity: 4 },
        { sku: c, quantity: 9 },
      ],
      ttlSeconds: 600,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutOfStockError);
    expect((error as OutOfStockError).shortages).toEqual([{ sku: b, requested: 4, available: 2 }]);
    expect(await stored(a)).toEqual({ available: 5, reserved: 0, sold: 0 });
    expect(await stored(b)).toEqual({ available: 2, reserved: 0, sold: 0 });
    expect(await stored(c)).toEqual({ available: 9, reserved: 0, sold: 0 });
    const { Item } = await doc.send(
      new GetCommand({ TableName: RESERVATIONS_TABLE, Key: reservationKey(order), ConsistentRead: true }),
    );
    expect(Item).toBeUndefined();
    // A SKU never received is short by all it asks for.
    const never = uniqueSku('NEVER');
    const unknown = await reserve(deps, {
      orderId: orderId(),
      lines: [
        { sku: a, quantity: 1 },
        { sku: never, quantity: 2 },
      ],
      ttlSeconds: 600,
    }).catch((e: unknown) => e);
    expect((unknown as OutOfStockError).shortages).toEqual([{ sku: never, requested: 2, available: 0 }]);
    expect(await stored(a)).toEqual({ available: 5, reserved: 0, sold: 0 });
  });

  it('makes retried reserve, commit and release idempotent, and refuses other lines for the same order', async () => {
    const [a, b] = (await stockOf([uniqueSku('IDEM'), 10], [uniqueSku('IDEM'), 10])) as [string, string];
    const order = orderId();
    const lines = [
      { sku: a, quantity: 2 },
      { sku: b, quantity: 3 },
    ];
    const first = await reserve(deps, { orderId: order, lines, ttlSeconds: 600 });
    // Repeats: the same lines in another order and another ttl are the same reservation.
    const again = await reserve(deps, { orderId: order, lines: [...lines].reverse(), ttlSeconds: 900 });
    expect(again).toEqual(first);
    const concurrent = await Promise.all(
      Array.from({ length: 5 }, () => reserve(deps, { orderId: order, lines, ttlSeconds: 600 })),
    );
    for (const r of concurrent) expect(r.status).toBe('HELD');
    expect(await stored(a)).toEqual({ available: 8, reserved: 2, sold: 0 });
    await expect(
      reserve(deps, { orderId: order, lines: [{ sku: a, quantity: 3 }], ttlSeconds: 600 }),
    ).rejects.toMatchObject({ code: 'RESERVATION_CONFLICT' });

    expect(await commit(deps, order)).toEqual({ orderId: order, outcome: 'committed' });
    expect(await commit(deps, order)).toEqual({ orderId: order, outcome: 'already-committed' });
    expect(await stored(a)).toEqual({ available: 8, reserved: 0, sold: 2 });
    expect(await stored(b)).toEqual({ available: 7, reserved: 0, sold: 3 });
    expect((await getStock(deps, a)).version).toBe(3);

    const other = orderId();
    await reserve(deps, { orderId: other, lines, ttlSeconds: 600 });
    const releases = await Promise.all(Array.from({ length: 4 }, () => release(deps, other)));
    // One applied; the others found it released, or were DynamoDB's replay of the same token.
    for (const r of releases) expect(['released', 'already-released']).toContain(r.outcome);
    expect(await release(deps, other)).toMatchObject({ outcome: 'already-released' });
    expect(await release(deps, orderId())).toMatchObject({ outcome: 'nothing-held' });
    expect(await stored(a)).toEqual({ available: 8, reserved: 0, sold: 2 });
    expect(await stored(b)).toEqual({ available: 7, reserved: 0, sold: 3 });
  });

  it('refuses to commit a released reservation', async () => {
    const [sku] = (await stockOf([uniqueSku('GONE'), 4])) as [string];
    const order = orderId();
    await reserve(deps, { orderId: order, lines: [{ sku, quantity: 4 }], ttlSeconds: 600 });
    await release(deps, order);
    await expect(commit(deps, order)).rejects.toBeInstanceOf(ReservationReleasedError);
    expect(await stored(sku)).toEqual({ available: 4, reserved: 0, sold: 0 });
    // Nor does a repeated reserve hold again for it.
    expect(
      await reserve(deps, { orderId: order, lines: [{ sku, quantity: 4 }], ttlSeconds: 600 }),
    ).toMatchObject({
      status: 'RELEASED',
    });
    expect(await stored(sku)).toEqual({ available: 4, reserved: 0, sold: 0 });
  });

  it('has the reaper release an expired hold, and leave live and committed ones alone', async () => {
    const [sku] = (await stockOf([uniqueSku('REAP'), 10])) as [string];
    const expiring = orderId();
    const live = orderId();
    const paid = orderId();
    await reserve(deps, { orderId: expiring, lines: [{ sku, quantity: 3 }], ttlSeconds: 1 });
    await reserve(deps, { orderId: live, lines: [{ sku, quantity: 2 }], ttlSeconds: 600 });
    await reserve(deps, { orderId: paid, lines: [{ sku, quantity: 1 }], ttlSeconds: 1 });
    await commit(deps, paid);
    await new Promise((resolve) => setTimeout(resolve, 2_100));

    // The scheduled reaper may get there first; either way the hold is released exactly once.
    const report = await reapExpired(deps);
    expect(report.failed).toBe(0);
    const status = async (order: string) => (await deps.store.getReservation(order))?.status;
    expect(await status(expiring)).toBe('RELEASED');
    expect(await status(live)).toBe('HELD');
    expect(await status(paid)).toBe('COMMITTED');
    expect(await stored(sku)).toEqual({ available: 7, reserved: 2, sold: 1 });
    // A second run changes nothing of this SKU.
    await reapExpired(deps);
    expect(await stored(sku)).toEqual({ available: 7, reserved: 2, sold: 1 });
    await release(deps, live);
  });

  it('runs the reaper on its schedule in the local cloud', async () => {
    const [sku] = (await stockOf([uniqueSku('TICK'), 2])) as [string];
    const order = orderId();
    await reserve(deps, { orderId: order, lines: [{ sku, quantity: 2 }], ttlSeconds: 1 });
    const started = performance.now();
    // rate(1 minute): the next tick comes within 60 s.
    while ((await deps.store.getReservation(order))?.status === 'HELD') {
      if (performance.now() - started > 65_000) throw new Error('the scheduled reaper did not run');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(await stored(sku)).toEqual({ available: 2, reserved: 0, sold: 0 });
    console.log(
      `scheduled reaper released a hold ${((performance.now() - started) / 1000).toFixed(1)} s after it expired`,
    );
  }, 70_000);
});
