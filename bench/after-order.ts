/**
 * After the order on the local cloud: how long an order takes, once the saga has confirmed it, to
 * be routed to a warehouse (FULFILLING) and to get its first notification out, alone and under
 * concurrent buyers.
 *
 *   npm run bench:after-order -- [--orders 30] [--clients 10] [--rounds 5]
 *   npm run bench:after-order -- --url http://127.0.0.1:3000   (a running local store: /dev/outbox is stage local only)
 *
 * Each buyer (its own user with a unique email, cart and SKU, stock allocated to us-east, shipping
 * to NJ) checks out one unit with `tok_visa`, then polls its order and the outbox for its email
 * every 50 ms each. Both delays run from the order's CONFIRMED timeline entry: the saga publishes
 * OrderPlaced right after it, so
 *   to FULFILLING:          the FULFILLING entry's `at` minus CONFIRMED's, the event path bus -> rule
 *                           -> SQS -> RouteOrder -> ShipmentCreated -> bus -> SQS -> OrderEvents;
 *   to first notification: the earliest `sentAt` in GET /dev/outbox?to=<email> minus CONFIRMED's,
 *                           bus -> rule -> SQS -> Notify -> outbox.
 * Every figure is a difference of two server timestamps (one Node process, one clock), so neither
 * includes the polling interval or the client's own round trips; under concurrent buyers the polls
 * add load, and the figures are mostly queueing behind moto, which applies one request at a time.
 * A warm-up (a few orders, then one concurrent round) comes first so that cold starts of the
 * consumers are not counted. Figures are printed, never asserted: these machines are shared and noisy.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { StoreClient } from '../local/seed/store-client.ts';
import { benchTarget, pct, stockedSkus } from './support.ts';

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '30' },
    clients: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '5' },
    url: { type: 'string' },
    moto: { type: 'string', default: 'http://127.0.0.1:4566' },
  },
});

const orders = Number(values.orders);
const clients = Number(values.clients);
const rounds = Number(values.rounds);
const WARM_UP = 3;
const POLL_MS = 50;
const TIMEOUT_MS = 60_000;
/** Units of each SKU received and allocated to us-east: more than the run can sell. */
const UNITS_PER_SKU = 1_000;

const target = await benchTarget({ name: 'after-order', url: values.url, moto: values.moto });
const { baseUrl, stop } = target;
const client = new StoreClient(baseUrl);

interface Order {
  orderId: string;
  status: string;
  failureReason?: string;
  timeline: { status: string; at: string }[];
}

interface OutboxEntry {
  kind: string;
  channel: string;
  sentAt: string;
}

interface Buyer {
  email: string;
  token: string;
  cartId: string;
}

interface Outcome {
  /** OrderPlaced (CONFIRMED) to FULFILLING, server timestamps. */
  fulfillingMs?: number;
  /** OrderPlaced (CONFIRMED) to the earliest message in the buyer's outbox, server timestamps. */
  notifiedMs?: number;
  fulfillingTimedOut: boolean;
  notifiedTimedOut: boolean;
  outcome: string;
}

// A buyer in NJ: us-east, which holds every unit, ships each order whole.
const shippingAddress = {
  name: 'Bench Buyer',
  line1: '1 Bench St',
  city: 'Springfield',
  region: 'NJ',
  postalCode: '12345',
  country: 'US',
};

try {
  const admin = await client.token({ sub: 'bench-admin', groups: ['admin'] });
  const run = Date.now().toString(36).toUpperCase();

  const skus = await stockedSkus(client, admin, { prefix: 'AFT', count: clients, units: UNITS_PER_SKU });

  let buyers = 0;
  /** A new user with a unique email and one unit of `sku` in their cart. */
  const prepare = async (sku: string): Promise<Buyer> => {
    const sub = `bench-after-${run}-${buyers++}`;
    const email = `${sub}@example.com`.toLowerCase();
    const token = await client.token({ sub, email });
    const cart = await client.request<{ cartId: string }>('GET', '/me/cart', { token });
    if (cart.status !== 200) throw new Error(`GET /me/cart answered ${cart.status}`);
    const { cartId } = cart.body;
    const added = await client.request('POST', `/carts/${cartId}/items`, {
      token,
      body: { sku, quantity: 1 },
    });
    if (added.status !== 200) throw new Error(`add answered ${added.status}: ${JSON.stringify(added.body)}`);
    return { email, token, cartId };
  };

  /** Polls until `probe` answers a value or TIMEOUT_MS has passed since `started`. */
  const pollUntil = async <T>(
    started: number,
    probe: () => Promise<T | undefined>,
  ): Promise<T | undefined> => {
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (performance.now() - started > TIMEOUT_MS) return undefined;
      await sleep(POLL_MS);
    }
  };

  const atOf = (order: Order, status: string) => order.timeline.find((t) => t.status === status)?.at;

  /** Checks out, then polls the order (until FULFILLING) and the outbox (until a message) side by side. */
  const measure = async (buyer: Buyer): Promise<Outcome> => {
    const started = performance.now();
    const placed = await client.request<{ orderId: string }>('POST', '/checkout', {
      token: buyer.token,
      headers: { 'idempotency-key': randomUUID() },
      body: { cartId: buyer.cartId, shippingAddress, payment: { token: 'tok_visa' } },
    });
    if (placed.status !== 202)
      return {
        fulfillingTimedOut: false,
        notifiedTimedOut: false,
        outcome: `POST /checkout ${placed.status}`,
      };
    const { orderId } = placed.body;
    let last: Order | undefined;
    let failed = false;
    const [routed, firstSentAt] = await Promise.all([
      pollUntil(started, async () => {
        const res = await client.request<Order>('GET', `/orders/${orderId}`, { token: buyer.token });
        if (res.status !== 200) return undefined;
        last = res.body;
        if (last.status === 'FAILED') {
          failed = true;
          return last;
        }
        return atOf(last, 'FULFILLING') ? last : undefined;
      }),
      pollUntil(started, async () => {
        if (failed) return null;
        const res = await client.request<{ items: OutboxEntry[] }>(
          'GET',
          `/dev/outbox?to=${encodeURIComponent(buyer.email)}`,
          { token: admin },
        );
        if (res.status !== 200) throw new Error(`GET /dev/outbox answered ${res.status}`);
        if (res.body.items.length === 0) return undefined;
        return res.body.items.map((m) => m.sentAt).sort()[0];
      }),
    ]);
    const order = routed ?? last;
    if (order?.status === 'FAILED')
      return {
        fulfillingTimedOut: false,
        notifiedTimedOut: false,
        outcome: `FAILED ${order.failureReason ?? '(no reason)'}`,
      };
    const confirmedAt = order ? atOf(order, 'CONFIRMED') : undefined;
    const fulfillingAt = routed ? atOf(routed, 'FULFILLING') : undefined;
    const since = (at: string | null | undefined) =>
      at && confirmedAt ? Date.parse(at) - Date.parse(confirmedAt) : undefined;
    const result: Outcome = {
      fulfillingMs: since(fulfillingAt),
      notifiedMs: since(firstSentAt),
      fulfillingTimedOut: routed === undefined,
      notifiedTimedOut: firstSentAt === undefined,
      outcome: 'measured',
    };
    if (result.fulfillingTimedOut || result.notifiedTimedOut)
      result.outcome = confirmedAt ? 'timed out' : `timed out (${order?.status ?? 'no order'})`;
    return result;
  };

  /** `clients` buyers with carts ready first, so that only checkout and what follows overlap. */
  const round = async (): Promise<Outcome[]> => {
    const ready: Buyer[] = [];
    for (let i = 0; i < clients; i++) ready.push(await prepare(skus[i % skus.length] as string));
    return Promise.all(ready.map(measure));
  };

  // Warm every consumer on the path, then as many environments of each as the rounds use.
  const warmUp: Outcome[] = [];
  for (let i = 0; i < WARM_UP; i++)
    warmUp.push(await measure(await prepare(skus[i % skus.length] as string)));
  if (rounds > 0) warmUp.push(...(await round()));

  const sequential: Outcome[] = [];
  for (let i = 0; i < orders; i++)
    sequential.push(await measure(await prepare(skus[i % skus.length] as string)));

  const concurrent: Outcome[] = [];
  for (let r = 0; r < rounds; r++) concurrent.push(...(await round()));

  const report = (label: string, results: Outcome[]) => {
    const fulfilling = results.flatMap((r) => (r.fulfillingMs === undefined ? [] : [r.fulfillingMs]));
    const notified = results.flatMap((r) => (r.notifiedMs === undefined ? [] : [r.notifiedMs]));
    const late = (n: number) => (n > 0 ? `, ${n} timed out after ${TIMEOUT_MS / 1000} s` : '');
    console.log(`${label}: ${results.length} orders (${tally(results.map((r) => r.outcome))})`);
    console.log(
      `  OrderPlaced -> FULFILLING          p50 ${pct(fulfilling, 50)} ms   p99 ${pct(fulfilling, 99)} ms   max ${pct(fulfilling, 100)} ms   (${fulfilling.length} measured${late(results.filter((r) => r.fulfillingTimedOut).length)})`,
    );
    console.log(
      `  OrderPlaced -> first notification  p50 ${pct(notified, 50)} ms   p99 ${pct(notified, 99)} ms   max ${pct(notified, 100)} ms   (${notified.length} measured${late(results.filter((r) => r.notifiedTimedOut).length)})`,
    );
  };

  console.log(
    '\nafter the order: EventBridge -> SQS -> Lambda consumers -> DynamoDB (local cloud, moto), from the CONFIRMED timeline entry:',
  );
  console.log(
    `  warm-up: ${WARM_UP} one at a time${rounds > 0 ? ` + 1 round of ${clients}` : ''} (${tally(warmUp.map((r) => r.outcome))})`,
  );
  report('one buyer at a time', sequential);
  report(`${clients} concurrent buyers, ${rounds} rounds`, concurrent);
} finally {
  await stop();
}

function tally(labels: string[]): string {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts].map(([label, n]) => `${label} ${n}`).join(', ') || 'none';
}
