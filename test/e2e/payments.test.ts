/**
 * Payments end to end, on the local cloud's moto: the sandbox provider's DynamoDB ledger, and the
 * saga's payment steps (their handler modules, run in-process with the environment their
 * functions get, on the deployed tables) with Powertools idempotency on the deployed idempotency
 * table. The ledger is then read back through GET /dev/psp/charges.
 */

import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoDbLedgerStore } from '#payment/adapters/dynamodb-ledger-store.ts';
import type { LedgerCharge } from '#payment/adapters/sandbox-ledger.ts';
import { SandboxProvider } from '#payment/adapters/sandbox-provider.ts';
import type { PaymentProvider } from '#payment/domain/provider.ts';
import { CapturePaymentInputSchema } from '#payment/domain/steps.ts';
import { capturePayment } from '#payment/domain/use-cases.ts';
import { paymentStep } from '#payment/handlers/payment-step.ts';
import { LOCAL_CREDENTIALS, REGION } from '../../local/template.ts';
import { adminToken, client, type Problem, shopperToken } from './support/fixtures.ts';

const PAYMENTS_TABLE = 'store-local-payments';
const IDEMPOTENCY_TABLE = 'store-local-payment-idempotency';

type Step = (event: unknown, context: Context) => Promise<Record<string, unknown>>;

const raw = new DynamoDBClient({
  endpoint: inject('awsEndpoint'),
  region: REGION,
  credentials: LOCAL_CREDENTIALS,
});
const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
const ledger = new DynamoDbLedgerStore(doc, PAYMENTS_TABLE);
const provider = new SandboxProvider(ledger);

/** What the Lambda runtime hands a handler; the remaining time bounds an in-progress record. */
const context = {
  functionName: 'e2e',
  awsRequestId: 'e2e',
  getRemainingTimeInMillis: () => 10_000,
} as Context;

const usd = (amount: number) => ({ amount, currency: 'USD' });
const newOrderId = () => `e2e-pay-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

let steps: { authorize: Step; capture: Step; void: Step; refund: Step };

/** The charges of an order, from the ledger itself. */
async function chargesOf(orderId: string): Promise<LedgerCharge[]> {
  return ledger.listByOrder(orderId);
}

/** Runs a step as the saga's Retry would: again on ProviderUnavailable or a step still in progress. */
async function withRetries(step: Step, input: unknown): Promise<Record<string, unknown>> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await step(input, context);
    } catch (error) {
      const name = (error as Error).name;
      if (attempt >= 20 || (name !== 'ProviderUnavailable' && name !== 'IdempotencyAlreadyInProgressError'))
        throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

beforeAll(async () => {
  // The environment the payment functions get from their template, pointed at the local cloud's moto.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: inject('awsEndpoint'),
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    PAYMENTS_TABLE,
    PAYMENT_IDEMPOTENCY_TABLE: IDEMPOTENCY_TABLE,
  });
  const load = async (name: string) =>
    ((await import(`../../lambdas/payment/handlers/${name}-payment.handler.ts`)) as { handler: Step })
      .handler;
  steps = {
    authorize: await load('authorize'),
    capture: await load('capture'),
    void: await load('void'),
    refund: await load('refund'),
  };
});

describe('the sandbox provider on DynamoDB', () => {
  it('makes one charge of concurrent authorizations with one key, and replays it', async () => {
    const orderId = newOrderId();
    const request = { ...usd(700), token: 'tok_visa', reference: orderId };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => provider.authorize(request, `k-${orderId}`)),
    );
    expect(new Set(results.map((r) => r.chargeId)).size).toBe(1);
    await expect(provider.authorize({ ...request, amount: 701 }, `k-${orderId}`)).rejects.toMatchObject({
      name: 'IdempotencyKeyReused',
    });
    expect(await chargesOf(orderId)).toHaveLength(1);
  });

  it('keeps refunds within the capture under concurrent calls', async () => {
    const orderId = newOrderId();
    const auth = await provider.authorize(
      { ...usd(1000), token: 'tok_visa', reference: orderId },
      `a-${orderId}`,
    );
    await provider.capture(auth.chargeId, usd(1000), `c-${orderId}`);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => provider.refund(auth.chargeId, usd(300), `r${i}-${orderId}`)),
    );
    const names = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as Error).name] : []));
    expect(names.every((n) => n === 'AmountRefused' || n === 'ProviderUnavailable')).toBe(true);
    const [charge] = await chargesOf(orderId);
    expect(charge?.refundedAmount).toBeLessThanOrEqual(1000);
    expect(charge?.refundedAmount).toBe(300 * outcomes.filter((o) => o.status === 'fulfilled').length);
  });
});

describe('the payment steps', () => {
  it('authorize then capture of tok_visa leaves one charge with one capture of the amount', async () => {
    const orderId = newOrderId();
    const auth = await steps.authorize({ orderId, ...usd(4599), token: 'tok_visa' }, context);
    expect(auth).toMatchObject({ orderId, status: 'AUTHORIZED', amount: 4599 });
    const capture = await steps.capture({ orderId, chargeId: auth.chargeId, ...usd(4599) }, context);
    expect(capture).toMatchObject({ status: 'CAPTURED', capturedAmount: 4599 });
    // A retried capture gives the same answer and changes nothing.
    expect(await steps.capture({ orderId, chargeId: auth.chargeId, ...usd(4599) }, context)).toEqual(capture);
    const charges = await chargesOf(orderId);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ status: 'CAPTURED', amount: 4599, capturedAmount: 4599 });
    expect(Object.keys(charges[0]?.operations ?? {})).toEqual([`order:${orderId}:CapturePayment`]);
  });

  it.each(['tok_chargeDeclined', 'tok_insufficientFunds'])(
    'declines %s: PaymentDeclined, DECLINED, no capture',
    async (token) => {
      const orderId = newOrderId();
      await expect(steps.authorize({ orderId, ...usd(1200), token }, context)).rejects.toMatchObject({
        name: 'PaymentDeclined',
        reason: token === 'tok_chargeDeclined' ? 'card_declined' : 'insufficient_funds',
      });
      // Retried, it is declined again, without a second charge.
      await expect(steps.authorize({ orderId, ...usd(1200), token }, context)).rejects.toMatchObject({
        name: 'PaymentDeclined',
      });
      const charges = await chargesOf(orderId);
      expect(charges).toHaveLength(1);
      expect(charges[0]).toMatchObject({ status: 'DECLINED', capturedAmount: 0 });
      const chargeId = charges[0]?.chargeId;
      await expect(steps.capture({ orderId, chargeId, ...usd(1200) }, context)).rejects.toMatchObject({
        name: 'InvalidChargeState',
      });
      expect(await steps.void({ orderId, chargeId }, context)).toMatchObject({ status: 'NOTHING_TO_VOID' });
    },
  );

  it('fails tok_processingError once with ProviderUnavailable, then succeeds on retry with one charge', async () => {
    const orderId = newOrderId();
    const input = { orderId, ...usd(999), token: 'tok_processingError' };
    await expect(steps.authorize(input, context)).rejects.toMatchObject({ name: 'ProviderUnavailable' });
    expect(await chargesOf(orderId)).toHaveLength(0);
    expect(await steps.authorize(input, context)).toMatchObject({ status: 'AUTHORIZED' });
    expect(await steps.authorize(input, context)).toMatchObject({ status: 'AUTHORIZED' });
    expect(await chargesOf(orderId)).toHaveLength(1);
  });

  it('gives one charge for 20 concurrent AuthorizePayment calls of one order', async () => {
    const orderId = newOrderId();
    const input = { orderId, ...usd(2500), token: 'tok_visa' };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () => steps.authorize(input, context)),
    );
    // Calls that met another one in progress fail with a name the saga retries on; retried, they agree.
    for (const o of outcomes) {
      if (o.status === 'rejected') expect((o.reason as Error).name).toBe('IdempotencyAlreadyInProgressError');
    }
    const results = await Promise.all(outcomes.map(() => withRetries(steps.authorize, input)));
    expect(new Set(results.map((r) => r.chargeId)).size).toBe(1);
    const charges = await chargesOf(orderId);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ status: 'AUTHORIZED', amount: 2500 });
  });

  it('captures once when a capture is retried after a crash between its work and its answer', async () => {
    const orderId = newOrderId();
    const auth = await steps.authorize({ orderId, ...usd(3100), token: 'tok_visa' }, context);
    // The same step on the same tables, whose run crashes right after the provider captured.
    let crashes = 1;
    const crashing: PaymentProvider = {
      ...provider,
      authorize: (...args) => provider.authorize(...args),
      void: (...args) => provider.void(...args),
      refund: (...args) => provider.refund(...args),
      capture: async (...args) => {
        const result = await provider.capture(...args);
        if (crashes-- > 0) throw new Error('the function crashed before returning');
        return result;
      },
    };
    const crashingStep = paymentStep({
      step: 'CapturePayment',
      schema: CapturePaymentInputSchema,
      persistenceStore: new DynamoDBPersistenceLayer({ tableName: IDEMPOTENCY_TABLE, awsSdkV3Client: raw }),
      run: (input) => capturePayment({ provider: crashing }, input),
    });
    const input = { orderId, chargeId: auth.chargeId, ...usd(3100) };
    await expect(crashingStep(input, context)).rejects.toThrow(/crashed/);
    expect((await chargesOf(orderId))[0]).toMatchObject({ status: 'CAPTURED', capturedAmount: 3100 });
    // The retry (the deployed handler) reaches the provider again, which replays the capture.
    expect(await steps.capture(input, context)).toMatchObject({ status: 'CAPTURED', capturedAmount: 3100 });
    const [charge] = await chargesOf(orderId);
    expect(charge).toMatchObject({ capturedAmount: 3100, version: 2 });
    expect(Object.keys(charge?.operations ?? {})).toHaveLength(1);
  });

  it('refuses a capture retried with another amount (same order and step, other input)', async () => {
    const orderId = newOrderId();
    const auth = await steps.authorize({ orderId, ...usd(800), token: 'tok_visa' }, context);
    await steps.capture({ orderId, chargeId: auth.chargeId, ...usd(800) }, context);
    await expect(
      steps.capture({ orderId, chargeId: auth.chargeId, ...usd(700) }, context),
    ).rejects.toMatchObject({
      name: 'IdempotencyValidationError',
    });
  });

  it('takes partial refunds that cannot exceed the capture', async () => {
    const orderId = newOrderId();
    const auth = await steps.authorize({ orderId, ...usd(5000), token: 'tok_visa' }, context);
    await steps.capture({ orderId, chargeId: auth.chargeId, ...usd(5000) }, context);
    const refund = (amount: number, refundId: string) =>
      steps.refund({ orderId, chargeId: auth.chargeId, ...usd(amount), refundId }, context);
    expect(await refund(2000, 'return-1')).toMatchObject({ status: 'CAPTURED', refundedAmount: 2000 });
    expect(await refund(2000, 'return-1')).toMatchObject({ refundedAmount: 2000 });
    await expect(refund(3001, 'return-2')).rejects.toMatchObject({ name: 'AmountRefused' });
    expect(await refund(3000, 'return-3')).toMatchObject({ status: 'REFUNDED', refundedAmount: 5000 });
    await expect(refund(1, 'return-4')).rejects.toMatchObject({ name: 'AmountRefused' });
    expect((await chargesOf(orderId))[0]).toMatchObject({ capturedAmount: 5000, refundedAmount: 5000 });
  });

  it('refuses a void after capture, and voids an uncaptured authorization', async () => {
    const orderId = newOrderId();
    const auth = await steps.authorize({ orderId, ...usd(400), token: 'tok_visa' }, context);
    await steps.capture({ orderId, chargeId: auth.chargeId, ...usd(400) }, context);
    await expect(steps.void({ orderId, chargeId: auth.chargeId }, context)).rejects.toMatchObject({
      name: 'InvalidChargeState',
    });
    expect((await chargesOf(orderId))[0]).toMatchObject({ status: 'CAPTURED', capturedAmount: 400 });

    const other = newOrderId();
    const held = await steps.authorize({ orderId: other, ...usd(400), token: 'tok_visa' }, context);
    expect(await steps.void({ orderId: other, chargeId: held.chargeId }, context)).toMatchObject({
      status: 'VOIDED',
    });
    expect(await steps.void({ orderId: other, chargeId: held.chargeId }, context)).toMatchObject({
      status: 'VOIDED',
    });
    expect((await chargesOf(other))[0]).toMatchObject({ status: 'VOIDED', capturedAmount: 0 });
  });

  it('refuses input outside the schema with InvalidStepInput', async () => {
    await expect(
      steps.authorize({ orderId: newOrderId(), amount: -5, currency: 'usd' }, context),
    ).rejects.toMatchObject({
      name: 'InvalidStepInput',
    });
  });
});

describe('GET /dev/psp/charges', () => {
  it('shows the ledger of an order to an admin', async () => {
    const orderId = newOrderId();
    const auth = await steps.authorize({ orderId, ...usd(1500), token: 'tok_visa' }, context);
    await steps.capture({ orderId, chargeId: auth.chargeId, ...usd(1500) }, context);
    await steps.refund({ orderId, chargeId: auth.chargeId, ...usd(500), refundId: 'r1' }, context);
    const res = await client.request<{ items: unknown[] }>('GET', `/dev/psp/charges?orderId=${orderId}`, {
      token: await adminToken(),
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        {
          chargeId: auth.chargeId,
          orderId,
          amount: 1500,
          capturedAmount: 1500,
          refundedAmount: 500,
          status: 'CAPTURED',
        },
      ],
    });
    const empty = await client.request('GET', `/dev/psp/charges?orderId=${newOrderId()}`, {
      token: await adminToken(),
    });
    expect(empty).toMatchObject({ status: 200, body: { items: [] } });
  });

  it('answers 401 without or with a bad token, 403 to a non-admin, 400 for a bad query; never a 5xx', async () => {
    const path = `/dev/psp/charges?orderId=${newOrderId()}`;
    expect((await client.request('GET', path)).status).toBe(401);
    expect((await client.request('GET', path, { token: 'not-a-jwt' })).status).toBe(401);
    expect((await client.request('GET', path, { token: await shopperToken() })).status).toBe(403);
    const admin = await adminToken();
    for (const query of [
      '',
      '?orderId=',
      '?orderId=a%20b',
      `?orderId=${'x'.repeat(129)}`,
      '?orderId=a&other=1',
    ]) {
      const res = await client.request<Problem>('GET', `/dev/psp/charges${query}`, { token: admin });
      expect(res.status, query).toBe(400);
      expect(res.body.errors?.length, query).toBeGreaterThan(0);
    }
  });
});
