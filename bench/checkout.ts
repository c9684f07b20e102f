/**
 * Checkout on the local cloud: how long the saga takes to settle an order, alone and under
 * concurrent buyers, and what one order costs in DynamoDB calls, Step Functions state transitions
 * and Lambda invocations.
 *
 *   npm run bench:checkout -- [--orders 30] [--clients 20] [--rounds 5]
 *   npm run bench:checkout -- --url http://127.0.0.1:3000 --moto http://127.0.0.1:4566   (a running store)
 *
 * Each buyer (its own user, cart and SKU) checks out one unit with `tok_visa` and polls its order
 * every 25 ms; settle time runs from the start of POST /checkout to the first GET that shows the
 * order out of PENDING. The path is the whole one: API Gateway emulation -> authorizer -> place-order
 * -> StartExecution -> seven Lambda tasks and putEvents on the local Step Functions -> moto. A
 * warm-up (a few orders, then one concurrent round, so each function has the environments the rounds
 * use) comes first. Costs come from clean windows of single orders afterwards: DynamoDB calls from
 * moto's own request recorder (only when this run started moto: the recorder writes a file beside
 * the server), Lambda invocations from GET /health deltas, state transitions from the ASL. Every
 * function here is a worker thread of one Node process and moto applies one request at a time, so
 * under concurrent buyers the figures are mostly queueing, polls included. Figures are printed,
 * never asserted: these machines are shared and noisy.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { DescribeExecutionCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { StoreClient } from '../local/seed/store-client.ts';
import { benchTarget, pct, stockedSkus } from './support.ts';

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '30' },
    clients: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '5' },
    url: { type: 'string' },
    moto: { type: 'string', default: 'http://127.0.0.1:4566' },
  },
});

const orders = Number(values.orders);
const clients = Number(values.clients);
const rounds = Number(values.rounds);
const WARM_UP = 3;
/** Orders run one at a time in recorded windows for the per-order costs. */
const COST_ORDERS = 5;
const POLL_MS = 25;
const SETTLE_TIMEOUT_MS = 60_000;
const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

// moto reads where to record when it starts, so this must be set before the local cloud starts.
const recording = values.url ? undefined : join(tmpdir(), `bench-checkout-${process.pid}.jsonl`);
if (recording) process.env.MOTO_RECORDER_FILEPATH = recording;

const target = await benchTarget({ name: 'checkout', url: values.url, moto: values.moto });
const { baseUrl, motoUrl, stop } = target;
const client = new StoreClient(baseUrl);

interface Order {
  orderId: string;
  status: string;
  failureReason?: string;
}

interface Buyer {
  token: string;
  cartId: string;
}

interface Outcome {
  orderId?: string;
  checkoutMs: number;
  settleMs?: number;
  /** GET /orders/{id} calls made until the order left PENDING. */
  polls: number;
  outcome: string;
}

interface Health {
  parts?: {
    lambda?: { invocations?: Record<string, { count: number }> };
    stepFunctions?: { url?: string; executions?: Record<string, number> } & Record<string, unknown>;
  };
}

const shippingAddress = {
  name: 'Bench Buyer',
  line1: '1 Bench St',
  city: 'Springfield',
  postalCode: '12345',
  country: 'US',
};

try {
  const admin = await client.token({ sub: 'bench-admin', groups: ['admin'] });
  const run = Date.now().toString(36).toUpperCase();
  const skus = await stockedSkus(client, admin, { prefix: 'CHK', count: clients, units: 10_000 });

  let buyers = 0;
  /** A new user with one unit of `sku` in their cart: the part of shopping that is not checkout. */
  const prepare = async (sku: string): Promise<Buyer> => {
    const token = await client.token({ sub: `bench-buyer-${run}-${buyers++}` });
    const cart = await client.request<{ cartId: string }>('GET', '/me/cart', { token });
    if (cart.status !== 200) throw new Error(`GET /me/cart answered ${cart.status}`);
    const { cartId } = cart.body;
    const added = await client.request('POST', `/carts/${cartId}/items`, {
      token,
      body: { sku, quantity: 1 },
    });
    if (added.status !== 200) throw new Error(`add answered ${added.status}: ${JSON.stringify(added.body)}`);
    return { token, cartId };
  };
  const placeOrder = (buyer: Buyer) =>
    client.request<{ orderId: string }>('POST', '/checkout', {
      token: buyer.token,
      headers: { 'idempotency-key': randomUUID() },
      body: { cartId: buyer.cartId, shippingAddress, payment: { token: 'tok_visa' } },
    });
  /** Checks out and polls the order until it leaves PENDING. */
  const checkout = async (buyer: Buyer): Promise<Outcome> => {
    const started = performance.now();
    const placed = await placeOrder(buyer);
    const checkoutMs = performance.now() - started;
    if (placed.status !== 202) return { checkoutMs, polls: 0, outcome: `POST /checkout ${placed.status}` };
    const { orderId } = placed.body;
    for (let polls = 1; ; polls++) {
      const res = await client.request<Order>('GET', `/orders/${orderId}`, { token: buyer.token });
      const elapsed = performance.now() - started;
      if (res.status === 200 && res.body.status !== 'PENDING') {
        const { status, failureReason } = res.body;
        const outcome = status === 'FAILED' ? `FAILED ${failureReason ?? '(no reason)'}` : status;
        return { orderId, checkoutMs, settleMs: elapsed, polls, outcome };
      }
      if (elapsed > SETTLE_TIMEOUT_MS)
        return { orderId, checkoutMs, polls, outcome: 'still PENDING after 60 s' };
      await sleep(POLL_MS);
    }
  };

  const health = async (): Promise<Health> => (await client.request<Health>('GET', '/health')).body;
  const invocations = (h: Health) =>
    new Map(Object.entries(h.parts?.lambda?.invocations ?? {}).map(([name, s]) => [name, s.count]));
  /** Per-function invocations between two snapshots, without the health function that took them. */
  const addDelta = (into: Map<string, number>, before: Health, after: Health) => {
    const was = invocations(before);
    for (const [name, count] of invocations(after)) {
      const delta = count - (was.get(name) ?? 0);
      if (delta > 0 && !name.endsWith('-health')) into.set(name, (into.get(name) ?? 0) + delta);
    }
  };
  const hasLambdaStats = (h: Health) => h.parts?.lambda?.invocations !== undefined;

  /** `clients` buyers with carts ready first, so that only checkout and polling overlap. */
  const round = async (): Promise<{ results: Outcome[]; ms: number }> => {
    const ready = await Promise.all(skus.slice(0, clients).map((sku) => prepare(sku)));
    while (ready.length < clients) ready.push(await prepare(skus[ready.length % skus.length] as string));
    const roundStarted = performance.now();
    const results = await Promise.all(ready.map(checkout));
    return { results, ms: performance.now() - roundStarted };
  };

  // Warm every function on the path (a live store's containers are warm), then as many
  // environments of each as the concurrent rounds use: their cold starts are not the saga's latency.
  const warmUp: Outcome[] = [];
  for (let i = 0; i < WARM_UP; i++)
    warmUp.push(await checkout(await prepare(skus[i % skus.length] as string)));
  if (rounds > 0) warmUp.push(...(await round()).results);

  // One buyer at a time: the saga's own latency, without queueing behind other orders.
  const beforeSequential = await health();
  const sequential: Outcome[] = [];
  let busy = 0;
  for (let i = 0; i < orders; i++) {
    const buyer = await prepare(skus[i % skus.length] as string);
    const t = performance.now();
    sequential.push(await checkout(buyer));
    busy += performance.now() - t;
  }
  const afterSequential = await health();
  const buyerFlow = new Map<string, number>();
  addDelta(buyerFlow, beforeSequential, afterSequential);

  // `clients` buyers at once.
  const concurrent: Outcome[] = [];
  let concurrentBusy = 0;
  for (let r = 0; r < rounds; r++) {
    const { results, ms } = await round();
    concurrent.push(...results);
    concurrentBusy += ms;
  }
  const beforeCosts = await health();

  // Costs per order: single orders in windows that hold nothing else of this run.
  const sfnUrl = afterSequential.parts?.stepFunctions?.url;
  const sfn = sfnUrl
    ? new SFNClient({
        endpoint: sfnUrl,
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      })
    : undefined;
  const machine = sfn
    ? (await sfn.send(new ListStateMachinesCommand({}))).stateMachines?.find((m) =>
        m.name?.endsWith('-checkout'),
      )?.stateMachineArn
    : undefined;
  const moto = async (action: string) => {
    const res = await fetch(`${motoUrl}/moto-api/recorder/${action}`, { method: 'POST' });
    if (!res.ok) throw new Error(`moto recorder ${action} answered ${res.status}`);
    return res.text();
  };
  const checkoutCalls: Recorded[] = [];
  const pollCalls: Recorded[] = [];
  const windowFlow = new Map<string, number>();
  const costOutcomes: Outcome[] = [];
  const executionsBefore = beforeCosts.parts?.stepFunctions?.executions ?? {};
  const transitionsBefore = transitionCounter(beforeCosts);
  let executionsAfter = executionsBefore;
  let transitionsAfter = transitionsBefore;
  if (sfn && machine) {
    const record = async <T>(into: Recorded[], work: () => Promise<T>): Promise<T> => {
      if (!recording) return work();
      await moto('reset-recording');
      await moto('start-recording');
      try {
        return await work();
      } finally {
        await moto('stop-recording');
        into.push(...parseRecording(readFileSync(recording, 'utf8')));
      }
    };
    for (let i = 0; i < COST_ORDERS; i++) {
      const buyer = await prepare(skus[i % skus.length] as string);
      const before = await health();
      const outcome = await record(checkoutCalls, async () => {
        const checkoutStarted = performance.now();
        const placed = await placeOrder(buyer);
        const checkoutMs = performance.now() - checkoutStarted;
        if (placed.status !== 202)
          return { checkoutMs, polls: 0, outcome: `POST /checkout ${placed.status}` };
        const { orderId } = placed.body;
        // The execution's end, not the order's status: ClearCart and putEvents run after CONFIRMED.
        const executionArn = `${machine.replace(':stateMachine:', ':execution:')}:${orderId}`;
        for (;;) {
          const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
          if (status !== 'RUNNING') return { orderId, checkoutMs, polls: 0, outcome: `execution ${status}` };
          if (performance.now() - checkoutStarted > SETTLE_TIMEOUT_MS)
            return { orderId, checkoutMs, polls: 0, outcome: 'execution still RUNNING after 60 s' };
          await sleep(POLL_MS);
        }
      });
      addDelta(windowFlow, before, await health());
      costOutcomes.push(outcome);
      // One poll of the order, on its own: what each GET /orders/{id} of the buyer costs.
      if (i === 0 && outcome.orderId) {
        const orderPath = `/orders/${outcome.orderId}`;
        await record(pollCalls, () => client.request('GET', orderPath, { token: buyer.token }));
      }
    }
    const last = await health();
    executionsAfter = last.parts?.stepFunctions?.executions ?? {};
    transitionsAfter = transitionCounter(last);
  }

  const report = (label: string, results: Outcome[], busyMs: number) => {
    const settled = results.flatMap((r) => (r.settleMs === undefined ? [] : [r.settleMs]));
    const posts = results.map((r) => r.checkoutMs);
    const polls = results.reduce((sum, r) => sum + r.polls, 0);
    console.log(
      `${label}: ${results.length} orders, ${(results.length / (busyMs / 1000)).toFixed(1)} orders/s, ${fmt(polls / results.length)} polls/order`,
    );
    console.log(
      `  saga settle       p50 ${pct(settled, 50)} ms   p99 ${pct(settled, 99)} ms   max ${pct(settled, 100)} ms`,
    );
    console.log(`  POST /checkout    p50 ${pct(posts, 50)} ms   p99 ${pct(posts, 99)} ms`);
    console.log(`  outcomes          ${tally(results.map((r) => r.outcome))}`);
  };

  console.log(
    '\ncheckout through API Gateway + authorizer + Lambda + Step Functions saga + DynamoDB (local cloud, moto):',
  );
  console.log(
    `  warm-up: ${WARM_UP} one at a time${rounds > 0 ? ` + 1 round of ${clients}` : ''} (${tally(warmUp.map((r) => r.outcome))})`,
  );
  report('one buyer at a time', sequential, busy);
  report(`${clients} concurrent buyers, ${rounds} rounds`, concurrent, concurrentBusy);

  const costLabel = `${costOutcomes.length} single orders (${tally(costOutcomes.map((r) => r.outcome))})`;
  console.log('\nDynamoDB calls per order, POST /checkout + saga:');
  if (!recording) {
    console.log(
      "  not measured with --url: moto's recorder would write a file beside that server; run without --url",
    );
  } else if (costOutcomes.length === 0) {
    console.log('  not measured: the local Step Functions endpoint was not found in GET /health');
  } else {
    console.log(`  measured: moto's request recorder over ${costLabel}`);
    printCalls(checkoutCalls, costOutcomes.length);
    console.log('  each GET /orders/{id} poll:');
    printCalls(pollCalls, 1, false);
  }

  console.log('\nStep Functions state transitions per order (each state entered is billed, retries too):');
  const asl = happyPath();
  console.log(
    `  ${'from the ASL, happy path'.padEnd(34)} ${asl.states.length}  (${asl.states.join(' -> ')})`,
  );
  if (transitionsBefore !== undefined && transitionsAfter !== undefined && costOutcomes.length > 0) {
    const per = (transitionsAfter - transitionsBefore) / costOutcomes.length;
    console.log(`  ${'measured, local Step Functions'.padEnd(34)} ${per.toFixed(1)}`);
  } else {
    console.log(
      `  ${'measured, local Step Functions'.padEnd(34)} not counted: its stats hold ${Object.keys(afterSequential.parts?.stepFunctions ?? {}).join(', ') || 'nothing'}`,
    );
  }
  if (costOutcomes.length > 0 && windowFlow.size > 0) {
    // Every Lambda task attempt is a state entered: attempts beyond the happy path's are retries
    // (or compensations).
    const attempts = [...windowFlow]
      .filter(([name]) => asl.lambdaTasks.some((fn) => name.endsWith(`-${fn}`)))
      .reduce((sum, [, n]) => sum + n, 0);
    const perOrder = attempts / costOutcomes.length;
    console.log(
      `  ${'saga Lambda task attempts'.padEnd(34)} ${perOrder.toFixed(1)}  (${asl.happyLambdaTasks} on the happy path; measured, GET /health)`,
    );
    console.log(
      `  ${'ASL + measured extra attempts'.padEnd(34)} ${(asl.states.length + perOrder - asl.happyLambdaTasks).toFixed(1)}`,
    );
  }
  console.log(
    `  ${'executions over the single orders'.padEnd(34)} ${executionDelta(executionsBefore, executionsAfter)}`,
  );

  console.log('\nLambda invocations per order (GET /health parts.lambda.invocations deltas):');
  if (!hasLambdaStats(afterSequential)) {
    console.log('  not available: GET /health has no parts.lambda (not a local cloud)');
  } else {
    if (costOutcomes.length > 0) printInvocations('POST /checkout + saga', windowFlow, costOutcomes.length);
    printInvocations('whole buyer flow, one at a time', buyerFlow, sequential.length);
    console.log('    (token, GET /me/cart, add item, checkout, saga and every 25 ms poll)');
  }
} finally {
  await stop();
  if (recording) rmSync(recording, { force: true });
}

interface Recorded {
  operation: string;
  tables: string[];
  /** Items a transaction or batch names (1 for single-item calls). */
  items: number;
}

/** moto's recording: one JSON request a line; DynamoDB's are the DynamoDB_20120810 targets (not Streams). */
function parseRecording(text: string): Recorded[] {
  const calls: Recorded[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const entry = JSON.parse(line) as {
      headers: Record<string, string>;
      body?: string;
      body_encoded?: boolean;
    };
    const targetHeader = Object.entries(entry.headers).find(([k]) => k.toLowerCase() === 'x-amz-target')?.[1];
    if (!targetHeader?.startsWith('DynamoDB_20120810.')) continue;
    const raw = entry.body_encoded ? Buffer.from(entry.body ?? '', 'base64').toString() : (entry.body ?? '');
    const body = (raw ? JSON.parse(raw) : {}) as {
      TableName?: string;
      RequestItems?: Record<string, unknown[] | { Keys?: unknown[] }>;
      TransactItems?: Record<string, { TableName?: string }>[];
    };
    const tables: string[] = [];
    let items = 1;
    if (body.TableName) tables.push(body.TableName);
    if (body.RequestItems) {
      items = 0;
      for (const [table, request] of Object.entries(body.RequestItems)) {
        tables.push(table);
        items += Array.isArray(request) ? request.length : (request.Keys?.length ?? 0);
      }
    }
    if (body.TransactItems) {
      items = body.TransactItems.length;
      for (const action of body.TransactItems)
        for (const part of Object.values(action)) if (part.TableName) tables.push(part.TableName);
    }
    calls.push({ operation: targetHeader.slice('DynamoDB_20120810.'.length), tables, items });
  }
  return calls;
}

function printCalls(calls: Recorded[], per: number, byTable = true): void {
  const line = (label: string, kind: Set<string>) => {
    const mine = calls.filter((c) => kind.has(c.operation));
    const ops = new Map<string, { calls: number; items: number }>();
    for (const c of mine) {
      const op = ops.get(c.operation) ?? { calls: 0, items: 0 };
      op.calls++;
      op.items += c.items;
      ops.set(c.operation, op);
    }
    const detail = [...ops]
      .map(([op, n]) =>
        n.items === n.calls
          ? `${op} ${fmt(n.calls / per)}`
          : `${op} ${fmt(n.calls / per)}: ${fmt(n.items / per)} items`,
      )
      .join(', ');
    console.log(`  ${label.padEnd(34)} ${fmt(mine.length / per)}  (${detail || 'none'})`);
  };
  line('reads', READS);
  line('writes', WRITES);
  const other = calls.filter((c) => !READS.has(c.operation) && !WRITES.has(c.operation));
  if (other.length > 0)
    console.log(
      `  ${'other'.padEnd(34)} ${fmt(other.length / per)}  (${tally(other.map((c) => c.operation))})`,
    );
  if (!byTable) return;
  const tables = new Map<string, { reads: number; writes: number }>();
  for (const c of calls)
    for (const table of new Set(c.tables)) {
      const t = tables.get(table) ?? { reads: 0, writes: 0 };
      if (READS.has(c.operation)) t.reads++;
      if (WRITES.has(c.operation)) t.writes++;
      tables.set(table, t);
    }
  console.log('  by table (a transaction counts once per table it names):');
  for (const [table, t] of [...tables].sort(([a], [b]) => a.localeCompare(b)))
    console.log(`    ${table.padEnd(32)} reads ${fmt(t.reads / per)}   writes ${fmt(t.writes / per)}`);
}

function printInvocations(label: string, flow: Map<string, number>, per: number): void {
  const total = [...flow.values()].reduce((a, b) => a + b, 0);
  console.log(`  ${label.padEnd(34)} ${fmt(total / per)}`);
  const names = [...flow].sort(([, a], [, b]) => b - a);
  for (let i = 0; i < names.length; i += 4)
    console.log(
      `    ${names
        .slice(i, i + 4)
        .map(([name, n]) => `${name.replace(/^store-[a-z]+-/, '')} ${fmt(n / per)}`)
        .join(', ')}`,
    );
}

interface AslState {
  Type: string;
  Next?: string;
  Resource?: string;
}

/** The states a successful execution enters: StartAt, then each Next, to the Succeed state. */
function happyPath(): { states: string[]; lambdaTasks: string[]; happyLambdaTasks: number } {
  const definition = JSON.parse(
    readFileSync(resolve(import.meta.dirname, '..', 'state-machines', 'checkout.asl.json'), 'utf8'),
  ) as { StartAt: string; States: Record<string, AslState> };
  // A Lambda task's Resource is a function ARN placeholder; the service integrations are arn:aws:states:::.
  const isLambda = (s: AslState) => s.Type === 'Task' && !s.Resource?.startsWith('arn:aws:states:::');
  const kebab = (name: string) => name.replace(/(?<!^)([A-Z])/g, '-$1').toLowerCase();
  const states: string[] = [];
  let happyLambdaTasks = 0;
  for (let name: string | undefined = definition.StartAt; name; ) {
    const state: AslState | undefined = definition.States[name];
    if (!state || states.includes(name)) break;
    states.push(name);
    if (isLambda(state)) happyLambdaTasks++;
    name = state.Next;
  }
  const lambdaTasks = Object.entries(definition.States).flatMap(([name, s]) =>
    isLambda(s) ? [kebab(name)] : [],
  );
  return { states, lambdaTasks, happyLambdaTasks };
}

/** A transition counter in the local Step Functions' stats, should it ever keep one. */
function transitionCounter(h: Health): number | undefined {
  const stats = h.parts?.stepFunctions ?? {};
  for (const key of ['transitions', 'stateTransitions', 'statesEntered']) {
    const value = stats[key];
    if (typeof value === 'number') return value;
  }
  return undefined;
}

function executionDelta(before: Record<string, number>, after: Record<string, number>): string {
  const parts = Object.entries(after)
    .map(([status, n]) => [status, n - (before[status] ?? 0)] as const)
    .filter(([, n]) => n !== 0)
    .map(([status, n]) => `${status} ${n > 0 ? '+' : ''}${n}`);
  return parts.join(', ') || 'none';
}

function tally(labels: string[]): string {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts].map(([label, n]) => `${label} ${n}`).join(', ') || 'none';
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
