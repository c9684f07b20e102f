import type { Context, SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { eventConsumer } from '#events/consumer.ts';
import { sagaStep } from '#orders/handlers/saga-step.ts';
import { httpHandler } from '#shared/http.ts';
import { logKeys, withLogKeys } from '#shared/log-context.ts';
import { logger } from '#shared/logger.ts';
import { apiEvent } from '../support.ts';

const context = (awsRequestId: string) =>
  ({ functionName: 'unit', awsRequestId, getRemainingTimeInMillis: () => 10_000 }) as Context;

/** The JSON log lines written while `fn` ran (errors go to stderr). */
async function linesOf(fn: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(capture),
    vi.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  try {
    await fn();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines
    .join('')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

afterEach(() => vi.restoreAllMocks());

describe('log keys', () => {
  it('nest, drop empty values, and end with their scope', async () => {
    const seen = await withLogKeys({ requestId: 'r1', orderId: undefined }, () =>
      withLogKeys({ eventId: 'e1', orderId: '' }, async () => logKeys()),
    );
    expect(seen).toEqual({ requestId: 'r1', eventId: 'e1' });
    expect(logKeys()).toEqual({});
  });

  it('are added to a line, under what the call names itself', async () => {
    const [line] = await linesOf(async () =>
      withLogKeys({ orderId: 'ord_1', requestId: 'r1' }, () => logger.info('hello', { requestId: 'mine' })),
    );
    expect(line).toMatchObject({ message: 'hello', orderId: 'ord_1', requestId: 'mine' });
  });
});

describe('a saga step', () => {
  const step = sagaStep('ConfirmOrder', z.object({ orderId: z.string() }), async ({ orderId }) => {
    logger.info('working on it');
    return { orderId };
  });

  it("carries the step input's order and the request id on its lines, for that invocation only", async () => {
    const first = await linesOf(() => step({ orderId: 'ord_1' }, context('req-1')));
    expect(first).toEqual([
      expect.objectContaining({ message: 'working on it', orderId: 'ord_1', requestId: 'req-1' }),
    ]);
    // The next invocation names no order (invalid input): its line has no order, and its own request id.
    const second = await linesOf(() => expect(step({}, context('req-2'))).rejects.toThrow('invalid input'));
    expect(second).toEqual([
      expect.objectContaining({
        message: 'step failed',
        step: 'ConfirmOrder',
        errorName: 'InvalidStepInput',
      }),
    ]);
    expect(second[0]?.requestId).toBe('req-2');
    expect(second[0]).not.toHaveProperty('orderId');
    // Outside an invocation, no key is left over.
    const after = await linesOf(async () => logger.info('between invocations'));
    expect(after[0]).not.toHaveProperty('orderId');
    expect(after[0]).not.toHaveProperty('requestId');
  });
});

describe('an event consumer', () => {
  const message = (id: string, orderId: string) => ({
    messageId: `m-${id}`,
    body: JSON.stringify({
      id,
      source: 'store.orders',
      'detail-type': 'OrderCancelled',
      time: '2026-01-01T00:00:00Z',
      detail: {
        version: 1,
        orderId,
        userId: 'alice',
        cancelledAt: '2026-01-01T00:00:00.000Z',
        lines: [{ sku: 'A', productId: 'p-A', quantity: 1 }],
        refund: { amount: 100, currency: 'USD' },
        contact: { email: 'alice@example.com' },
      },
    }),
  });

  it('gives each record of a batch its own event id and order, while they run side by side', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = 0;
    const handler = eventConsumer({
      OrderCancelled: async (detail) => {
        // Both records are in flight before either logs.
        if (++started === 2) release();
        await gate;
        logger.info('cancelled', { seen: detail.orderId });
      },
    });
    const batch = { Records: [message('e-1', 'ord_1'), message('e-2', 'ord_2')] } as unknown as SQSEvent;
    const lines = await linesOf(async () => {
      const result = await handler(batch, context('req-9'));
      expect(result.batchItemFailures).toEqual([]);
    });
    expect(lines.map((l) => [l.seen, l.orderId, l.eventId, l.eventType, l.requestId]).sort()).toEqual([
      ['ord_1', 'ord_1', 'e-1', 'OrderCancelled', 'req-9'],
      ['ord_2', 'ord_2', 'e-2', 'OrderCancelled', 'req-9'],
    ]);
  });
});

describe('an API handler', () => {
  it("carries the gateway's request id and the route's order on its lines, and on the unexpected error's", async () => {
    const handler = httpHandler(async (event) => {
      logger.info('reading the order');
      if (event.httpMethod === 'POST') throw new Error('disk on fire');
      return { status: 200, body: {} };
    });
    const event = (httpMethod: string) =>
      apiEvent({ httpMethod, pathParameters: { orderId: 'ord_7' }, path: '/orders/ord_7' });
    const lines = await linesOf(async () => {
      expect((await handler(event('GET'), context('lambda-1'))).statusCode).toBe(200);
      expect((await handler(event('POST'), context('lambda-2'))).statusCode).toBe(500);
    });
    expect(lines.map((l) => [l.message, l.requestId, l.orderId])).toEqual([
      ['reading the order', 'req-123', 'ord_7'],
      ['reading the order', 'req-123', 'ord_7'],
      ['unhandled error', 'req-123', 'ord_7'],
    ]);
  });
});
