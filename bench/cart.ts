/**
 * Add-to-cart latency on the local cloud under concurrent clients, and the DynamoDB calls each cart
 * operation costs.
 *
 *   npm run bench:cart -- [--clients 20] [--adds 50]
 *   npm run bench:cart -- --url http://127.0.0.1:3000 --moto http://127.0.0.1:4566   (a running store)
 *
 * Two runs of `clients` concurrent clients: each with its own guest cart (the usual case), then
 * all on one cart (the worst case for one item: every add is an UpdateItem on the same key). The
 * path measured is the whole one: HTTP -> API Gateway emulation -> optional authorizer -> Lambda ->
 * catalog BatchGetItem + carts UpdateItem on moto. A single client's run first gives the path's own
 * latency; under 20 clients the figures are mostly queueing behind moto, which applies requests
 * one at a time (local/moto/server.py) in one Python process. Without --url it starts its own local cloud on
 * spare ports. Figures are printed, never asserted: these machines are shared and noisy.
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbCartRepository } from '../lambdas/cart/adapters/dynamodb-cart-repository.ts';
import {
  addItem,
  type CartDeps,
  createGuestCart,
  getCart,
  getMyCart,
  mergeGuestCart,
  removeItem,
  setItemQuantity,
} from '../lambdas/cart/domain/use-cases.ts';
import { createCatalogReader } from '../lambdas/catalog/client.ts';
import { StoreClient } from '../local/seed/store-client.ts';
import { benchTarget, pct } from './support.ts';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '20' },
    adds: { type: 'string', default: '50' },
    skus: { type: 'string', default: '40' },
    url: { type: 'string' },
    moto: { type: 'string', default: 'http://127.0.0.1:4566' },
  },
});

const clients = Number(values.clients);
const addsPerClient = Number(values.adds);
const target = await benchTarget({ name: 'cart', url: values.url, moto: values.moto });
const { baseUrl, motoUrl, stop } = target;
const client = new StoreClient(baseUrl);

interface Cart {
  cartId: string;
  itemCount: number;
  version: number;
}

try {
  const admin = await client.token({ sub: 'bench-admin', groups: ['admin'] });
  const run = Date.now().toString(36).toUpperCase();
  const skus = Array.from({ length: Number(values.skus) }, (_, i) => `BENCH-${run}-${i}`);
  const product = await client.request<{ productId: string }>('POST', '/admin/products', {
    token: admin,
    body: {
      name: 'Bench product',
      brand: 'Bench',
      category: 'bench',
      variants: skus.map((sku, i) => ({ sku, price: { amount: 100 + i, currency: 'USD' } })),
    },
  });
  if (product.status !== 201) throw new Error(`creating the bench product answered ${product.status}`);

  const newCart = async () => {
    const res = await client.request<Cart>('POST', '/carts');
    if (res.status !== 201) throw new Error(`POST /carts answered ${res.status}`);
    return res.body.cartId;
  };
  const addTo = async (cartId: string, sku: string, latencies: number[]) => {
    const started = performance.now();
    const res = await client.request<Cart>('POST', `/carts/${cartId}/items`, { body: { sku, quantity: 1 } });
    latencies.push(performance.now() - started);
    if (res.status !== 200) throw new Error(`add answered ${res.status}: ${JSON.stringify(res.body)}`);
  };

  // Warm every function on the path (a live store's containers are warm).
  const warm = await newCart();
  for (let i = 0; i < 5; i++) await addTo(warm, skus[i] as string, []);

  const report = (label: string, latencies: number[], seconds: number, concurrency = clients) => {
    console.log(
      `${label}: ${latencies.length} adds, ${concurrency} concurrent client(s), ${(latencies.length / seconds).toFixed(0)} adds/s`,
    );
    console.log(
      `  p50 ${pct(latencies, 50)} ms   p90 ${pct(latencies, 90)} ms   p99 ${pct(latencies, 99)} ms   max ${pct(latencies, 100)} ms`,
    );
  };

  // One client alone: the latency of the path itself, without queueing behind other requests.
  const alone = await newCart();
  const aloneLatencies: number[] = [];
  let started = performance.now();
  for (let i = 0; i < addsPerClient * 2; i++)
    await addTo(alone, skus[i % skus.length] as string, aloneLatencies);
  const aloneSeconds = (performance.now() - started) / 1000;

  // Each client its own cart.
  const own = await Promise.all(Array.from({ length: clients }, newCart));
  const ownLatencies: number[] = [];
  started = performance.now();
  await Promise.all(
    own.map(async (cartId, c) => {
      for (let i = 0; i < addsPerClient; i++)
        await addTo(cartId, skus[(c + i) % skus.length] as string, ownLatencies);
    }),
  );
  const ownSeconds = (performance.now() - started) / 1000;

  // Every client on one cart: quantities stay under 99 per SKU as long as adds / SKUs < 99.
  const shared = await newCart();
  const sharedLatencies: number[] = [];
  started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; i < addsPerClient; i++)
        await addTo(shared, skus[(c + i) % skus.length] as string, sharedLatencies);
    }),
  );
  const sharedSeconds = (performance.now() - started) / 1000;
  const final = (await client.request<Cart>('GET', `/carts/${shared}`)).body;

  // DynamoDB calls per operation: the use cases on the real adapters, a counting client, same moto.
  const counts = new Map<string, number>();
  const raw = new DynamoDBClient({
    endpoint: motoUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName).replace(/Command$/, '');
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'countSends' },
  );
  const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const deps: CartDeps = {
    carts: new DynamoDbCartRepository(doc, 'store-local-carts'),
    catalog: createCatalogReader({ tableName: 'store-local-products', db: doc }),
  };
  const calls: [string, string][] = [];
  const count = async (label: string, operation: () => Promise<unknown>) => {
    counts.clear();
    await operation().catch(() => undefined);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    calls.push([label, `${total}  (${[...counts].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'})`]);
  };
  const sku = skus[0] as string;
  let cartId = '';
  await count('create guest cart', async () => {
    cartId = (await createGuestCart(deps)).cartId;
  });
  await count('add (new line)', () => addItem(deps, cartId, undefined, { sku, quantity: 1 }));
  await count('add (existing line)', () => addItem(deps, cartId, undefined, { sku, quantity: 1 }));
  await count('add refused (over 99)', () => addItem(deps, cartId, undefined, { sku, quantity: 98 }));
  await count('add refused (stale If-Match)', () =>
    addItem(deps, cartId, undefined, { sku, quantity: 1 }, { expectedVersion: 1 }),
  );
  await count('add (unknown SKU)', () =>
    addItem(deps, cartId, undefined, { sku: `${sku}-NONE`, quantity: 1 }),
  );
  await count('read (re-priced)', () => getCart(deps, cartId));
  await count('set quantity', () => setItemQuantity(deps, cartId, undefined, sku, 3));
  await count('remove line', () => removeItem(deps, cartId, undefined, sku));
  const caller = { sub: `bench-user-${run}` };
  await count('GET /me/cart (first: creates)', () => getMyCart(deps, caller));
  await count('GET /me/cart (empty)', () => getMyCart(deps, caller));
  await addItem(deps, cartId, undefined, { sku, quantity: 2 });
  await count('merge', () => mergeGuestCart(deps, caller, cartId));
  await count('merge retried (guest gone: 404)', () => mergeGuestCart(deps, caller, cartId));
  await count('GET /me/cart (with lines)', () => getMyCart(deps, caller));

  console.log('\nadd-to-cart through API Gateway + authorizer + Lambda + DynamoDB (local cloud, moto):');
  report('one client alone', aloneLatencies, aloneSeconds, 1);
  report('own cart per client', ownLatencies, ownSeconds);
  report('one shared cart', sharedLatencies, sharedSeconds);
  console.log(
    `  shared cart after the run: ${final.itemCount} items (expected ${clients * addsPerClient}), version ${final.version}`,
  );
  console.log('\nDynamoDB calls per cart operation:');
  for (const [label, figure] of calls) console.log(`  ${label.padEnd(34)} ${figure}`);
} finally {
  await stop();
}
