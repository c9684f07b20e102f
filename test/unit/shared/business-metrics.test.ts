import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { userCartId } from '#cart/domain/cart.ts';
import { receiveStock, reserve } from '#inventory/domain/use-cases.ts';
import { reaper } from '#inventory/handlers/reaper.ts';
import { releaseInventoryStep } from '#inventory/handlers/saga-steps.ts';
import type { SagaError } from '#orders/domain/order.ts';
import { confirmOrder, flagForAttention, markFailed, placeOrder } from '#orders/domain/use-cases.ts';
import { SandboxProvider } from '#payment/adapters/sandbox-provider.ts';
import {
  AuthorizePaymentInputSchema,
  CapturePaymentInputSchema,
  ReversePaymentInputSchema,
} from '#payment/domain/steps.ts';
import { capturePayment } from '#payment/domain/use-cases.ts';
import { paymentStep } from '#payment/handlers/payment-step.ts';
import { authorizeRun, reverseRun } from '#payment/handlers/step-runs.ts';
import { indexLagMs, streamBatchHandler } from '#search/adapters/stream.ts';
import type { SearchIndexPort } from '#search/domain/indexing.ts';
import { BUSINESS_METRICS, type BusinessMetricName, METRICS_NAMESPACE } from '#shared/business-metrics.ts';
import type { BusinessMetrics } from '#shared/metrics-port.ts';
import type { RetryPolicy } from '#shared/retry.ts';
import { InMemoryInventory } from '../inventory/memory-store.ts';
import { alice, checkoutOf, line, setup, userCart } from '../orders/memory.ts';
import { InMemoryIdempotency, InMemoryLedger } from '../payment/memory.ts';

/** A metrics port that remembers what it was given. */
function recorder() {
  const recorded: [BusinessMetricName, number, string | undefined][] = [];
  const metrics: BusinessMetrics = { record: (name, value = 1, by) => void recorded.push([name, value, by]) };
  return { metrics, recorded };
}

const context = {
  functionName: 'unit',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 10_000,
} as Context;

/** What was written to stdout while `fn` ran, one JSON document per line. */
async function stdoutOf(fn: () => unknown): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return lines
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

interface Emf {
  _aws: {
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

describe('the Powertools implementation (embedded metric format on stdout)', () => {
  beforeEach(() => {
    vi.resetModules();
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'orders');
    vi.stubEnv('STAGE', 'staging');
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', METRICS_NAMESPACE);
    vi.stubEnv('POWERTOOLS_DEV', '');
  });
  afterEach(() => vi.unstubAllEnvs());

  it('publishes a metric by service and stage, and once more by its `by` dimension', async () => {
    const { businessMetrics, flushMetrics } = await import('#shared/metrics.ts');
    const out = (await stdoutOf(() => {
      businessMetrics.record('OrdersFailed', 1, 'PAYMENT_DECLINED');
      businessMetrics.record('OrdersFailed', 1, 'OUT_OF_STOCK');
      flushMetrics();
    })) as Emf[];
    const shape = out.map((doc) => {
      const [m] = doc._aws.CloudWatchMetrics;
      return {
        namespace: m?.Namespace,
        dimensions: m?.Dimensions[0],
        metric: m?.Metrics[0],
        value: doc.OrdersFailed,
        service: doc.service,
        stage: doc.stage,
        reason: doc.reason,
      };
    });
    const common = { namespace: 'ServerlessStore', metric: { Name: 'OrdersFailed', Unit: 'Count' } };
    expect(shape).toEqual([
      // The breakdown, published at once (a single metric each)...
      {
        ...common,
        dimensions: ['service', 'stage', 'reason'],
        value: 1,
        service: 'orders',
        stage: 'staging',
        reason: 'PAYMENT_DECLINED',
      },
      {
        ...common,
        dimensions: ['service', 'stage', 'reason'],
        value: 1,
        service: 'orders',
        stage: 'staging',
        reason: 'OUT_OF_STOCK',
      },
      // ...and the total, at the end of the invocation.
      {
        ...common,
        dimensions: ['service', 'stage'],
        value: [1, 1],
        service: 'orders',
        stage: 'staging',
        reason: undefined,
      },
    ]);
  });

  it("takes each metric's unit from the table, and publishes nothing (no warning either) when nothing was recorded", async () => {
    const { businessMetrics, withMetrics } = await import('#shared/metrics.ts');
    const lag = await stdoutOf(async () => {
      await withMetrics(async () => businessMetrics.record('IndexLagMs', 1234))();
    });
    expect((lag[0] as Emf)._aws.CloudWatchMetrics[0]?.Metrics).toEqual([
      { Name: 'IndexLagMs', Unit: 'Milliseconds' },
    ]);
    expect(lag[0]?.IndexLagMs).toBe(1234);
    const warned = vi.spyOn(console, 'warn');
    const none = await stdoutOf(() => withMetrics(async () => 'nothing to count')());
    expect(none).toEqual([]);
    expect(warned).not.toHaveBeenCalled();
  });

  it('flushes when the handler throws too', async () => {
    const { businessMetrics, withMetrics } = await import('#shared/metrics.ts');
    const failing = withMetrics(async () => {
      businessMetrics.record('PaymentsDeclined');
      throw new Error('declined');
    });
    const out = await stdoutOf(() => expect(failing()).rejects.toThrow('declined'));
    expect(out.map((doc) => doc.PaymentsDeclined)).toEqual([1]);
  });

  it('names only metrics of the table, each emitted by the services it lists', () => {
    expect(BUSINESS_METRICS.OrdersFailed.by).toBe('reason');
    expect(BUSINESS_METRICS.CompensationsRun.by).toBe('step');
    expect(BUSINESS_METRICS.CompensationsRun.services).toEqual(['payment', 'inventory']);
  });
});

describe('orders: the saga steps count placed, failed and flagged orders', () => {
  async function pendingOrder() {
    const s = setup();
    const { metrics, recorded } = recorder();
    s.carts.put(userCart('alice', [line('A', 1000)]));
    const { orderId } = await placeOrder(s.deps, {
      caller: alice,
      idempotencyKey: 'key-1',
      request: checkoutOf(userCartId('alice')),
    });
    return { deps: { ...s.deps, metrics }, recorded, orderId };
  }
  const declined: SagaError = { Error: 'PaymentDeclined', Cause: '{"errorMessage":"card_declined"}' };

  it('OrdersPlaced when ConfirmOrder confirms, not on its repeat', async () => {
    const { deps, recorded, orderId } = await pendingOrder();
    await confirmOrder(deps, orderId);
    await confirmOrder(deps, orderId);
    expect(recorded).toEqual([['OrdersPlaced', 1, undefined]]);
  });

  it('OrdersFailed by reason when MarkFailed fails the order, not on its repeat', async () => {
    const { deps, recorded, orderId } = await pendingOrder();
    await markFailed(deps, { orderId, error: declined });
    await markFailed(deps, { orderId, error: declined });
    expect(recorded).toEqual([['OrdersFailed', 1, 'PAYMENT_DECLINED']]);
  });

  it('CompensationsFailed when MarkForAttention flags the order', async () => {
    const { deps, recorded, orderId } = await pendingOrder();
    await flagForAttention(deps, { orderId, error: { Error: 'States.TaskFailed' } });
    expect(recorded).toEqual([['CompensationsFailed', 1, undefined]]);
  });
});

describe('payment: declines and reversals', () => {
  function payment() {
    const provider = new SandboxProvider(new InMemoryLedger());
    const { metrics, recorded } = recorder();
    const authorize = paymentStep({
      step: 'AuthorizePayment',
      schema: AuthorizePaymentInputSchema,
      persistenceStore: new InMemoryIdempotency(),
      run: authorizeRun({ provider }, metrics),
    });
    const capture = paymentStep({
      step: 'CapturePayment',
      schema: CapturePaymentInputSchema,
      persistenceStore: new InMemoryIdempotency(),
      run: (input) => capturePayment({ provider }, input),
    });
    const reverse = paymentStep({
      step: 'ReversePayment',
      schema: ReversePaymentInputSchema,
      persistenceStore: new InMemoryIdempotency(),
      run: reverseRun({ provider }, metrics),
    });
    // The same run without its idempotency record: what a retry meets after a crash past the void.
    const rerun = reverseRun({ provider }, metrics);
    return { authorize, capture, reverse, rerun, recorded };
  }
  const charge = (orderId: string, token: string) => ({ orderId, amount: 4200, currency: 'USD', token });

  it('PaymentsDeclined for a declined authorization only', async () => {
    const { authorize, recorded } = payment();
    await authorize(charge('o1', 'tok_visa'), context);
    await expect(authorize(charge('o2', 'tok_chargeDeclined'), context)).rejects.toMatchObject({
      name: 'PaymentDeclined',
    });
    expect(recorded).toEqual([['PaymentsDeclined', 1, undefined]]);
  });

  it('CompensationsRun by step for a void and a refund; nothing to reverse counts nothing, nor a retry', async () => {
    const { authorize, capture, reverse, recorded } = payment();
    await authorize(charge('held', 'tok_visa'), context);
    const { chargeId } = await authorize(charge('paid', 'tok_visa'), context);
    await capture({ orderId: 'paid', chargeId, amount: 4200, currency: 'USD' }, context);
    expect((await reverse({ orderId: 'held' }, context)).status).toBe('VOIDED');
    expect((await reverse({ orderId: 'paid' }, context)).status).toBe('REFUNDED');
    expect((await reverse({ orderId: 'never-paid' }, context)).status).toBe('NOTHING_TO_REVERSE');
    // A retry of a completed reversal is answered from its idempotency record.
    await reverse({ orderId: 'held' }, context);
    expect(recorded).toEqual([
      ['CompensationsRun', 1, 'ReversePayment'],
      ['CompensationsRun', 1, 'ReversePayment'],
    ]);
  });

  it('counts nothing when a rerun finds the reversal an earlier run made', async () => {
    const { authorize, reverse, rerun, recorded } = payment();
    await authorize(charge('held', 'tok_visa'), context);
    expect((await reverse({ orderId: 'held' }, context)).status).toBe('VOIDED');
    expect((await rerun({ orderId: 'held' })).status).toBe('VOIDED');
    expect(recorded).toEqual([['CompensationsRun', 1, 'ReversePayment']]);
  });
});

describe('inventory: released holds', () => {
  let store: InMemoryInventory;
  let now: Date;
  const retry: RetryPolicy = { attempts: 3, baseMs: 1, capMs: 1, sleep: async () => {}, random: () => 0 };
  const deps = () => ({ store, now: () => now, retry });

  beforeEach(async () => {
    store = new InMemoryInventory();
    now = new Date('2030-01-01T00:00:00.000Z');
    await receiveStock(deps(), 'A', 10);
  });

  it('CompensationsRun by step when ReleaseInventory releases a hold, not when it finds none', async () => {
    const { metrics, recorded } = recorder();
    const release = releaseInventoryStep(deps(), metrics);
    await reserve(deps(), { orderId: 'o1', lines: [{ sku: 'A', quantity: 2 }], ttlSeconds: 60 });
    expect((await release({ orderId: 'o1' })).outcome).toBe('released');
    expect((await release({ orderId: 'o1' })).outcome).toBe('already-released');
    expect((await release({ orderId: 'none' })).outcome).toBe('nothing-held');
    expect(recorded).toEqual([['CompensationsRun', 1, 'ReleaseInventory']]);
  });

  it('ReservationsReaped with the number of holds a reaper run released; a run with none records nothing', async () => {
    const { metrics, recorded } = recorder();
    for (const orderId of ['a', 'b', 'c']) {
      await reserve(deps(), {
        orderId,
        lines: [{ sku: 'A', quantity: 1 }],
        ttlSeconds: orderId === 'c' ? 600 : 30,
      });
    }
    now = new Date(now.getTime() + 31_000);
    const run = reaper(deps(), metrics);
    expect((await run()).released).toBe(2);
    expect((await run()).released).toBe(0);
    expect(recorded).toEqual([['ReservationsReaped', 2, undefined]]);
  });
});

describe('search: the index lag of a stream batch', () => {
  const record = (id: string, changedAt: number | undefined): DynamoDBRecord =>
    ({
      eventID: id,
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      dynamodb: {
        ...(changedAt === undefined ? {} : { ApproximateCreationDateTime: changedAt }),
        NewImage: marshall({ pk: `SKU#${id}`, sk: 'SKU' }),
      },
    }) as DynamoDBRecord;
  const index: SearchIndexPort = { upsert: async () => 'applied', remove: async () => 'applied' };

  it('is now minus the newest change of the batch (stamped to the second)', () => {
    expect(indexLagMs([record('1', 1_700_000_000), record('2', 1_700_000_002)], 1_700_000_002_750)).toBe(750);
    expect(indexLagMs([record('1', undefined)], 1_700_000_000_000)).toBeUndefined();
  });

  it('is recorded once per batch by the indexer', async () => {
    const { metrics, recorded } = recorder();
    const handler = streamBatchHandler({ index: async () => index, metrics, now: () => 1_700_000_005_000 });
    await handler({ Records: [record('1', 1_700_000_001), record('2', 1_700_000_003)] });
    await handler({ Records: [] });
    expect(recorded).toEqual([['IndexLagMs', 2000, undefined]]);
  });
});
