import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { SandboxProvider } from '#payment/adapters/sandbox-provider.ts';
import type { PaymentProvider } from '#payment/domain/provider.ts';
import {
  AuthorizePaymentInputSchema,
  CapturePaymentInputSchema,
  RefundPaymentInputSchema,
  VoidPaymentInputSchema,
} from '#payment/domain/steps.ts';
import {
  authorizePayment,
  capturePayment,
  type PaymentDeps,
  providerKey,
  refundPayment,
  voidPayment,
} from '#payment/domain/use-cases.ts';
import { paymentStep } from '#payment/handlers/payment-step.ts';
import { InMemoryIdempotency, InMemoryLedger } from './memory.ts';

const context = {
  functionName: 'unit',
  awsRequestId: 'unit',
  getRemainingTimeInMillis: () => 10_000,
} as Context;
const usd = (amount: number) => ({ amount, currency: 'USD' });

/** The provider, counting the calls that reach it. */
function counted(provider: PaymentProvider) {
  const calls = { authorize: 0, capture: 0, void: 0, refund: 0 };
  const wrapped: PaymentProvider = {
    authorize: (...a) => {
      calls.authorize++;
      return provider.authorize(...a);
    },
    capture: (...a) => {
      calls.capture++;
      return provider.capture(...a);
    },
    void: (...a) => {
      calls.void++;
      return provider.void(...a);
    },
    refund: (...a) => {
      calls.refund++;
      return provider.refund(...a);
    },
  };
  return { calls, provider: wrapped };
}

function setup() {
  const ledger = new InMemoryLedger();
  const { calls, provider } = counted(new SandboxProvider(ledger));
  const deps: PaymentDeps = { provider };
  // One persistence layer per step, as each function has its own.
  const stores = {
    authorize: new InMemoryIdempotency(),
    capture: new InMemoryIdempotency(),
    void: new InMemoryIdempotency(),
    refund: new InMemoryIdempotency(),
  };
  const steps = {
    authorize: paymentStep({
      step: 'AuthorizePayment',
      schema: AuthorizePaymentInputSchema,
      persistenceStore: stores.authorize,
      run: (input) => authorizePayment(deps, input),
    }),
    capture: paymentStep({
      step: 'CapturePayment',
      schema: CapturePaymentInputSchema,
      persistenceStore: stores.capture,
      run: (input) => capturePayment(deps, input),
    }),
    void: paymentStep({
      step: 'VoidPayment',
      schema: VoidPaymentInputSchema,
      persistenceStore: stores.void,
      run: (input) => voidPayment(deps, input),
    }),
    refund: paymentStep({
      step: 'RefundPayment',
      schema: RefundPaymentInputSchema,
      key: '[orderId, refundId]',
      persistenceStore: stores.refund,
      run: (input) => refundPayment(deps, input),
    }),
  };
  return { ledger, calls, deps, stores, steps };
}

describe('the payment steps', () => {
  it('authorize then capture: one charge, one capture, keys derived from the order and the step', async () => {
    const { steps, ledger } = setup();
    const auth = await steps.authorize({ orderId: 'o1', ...usd(4200), token: 'tok_visa' }, context);
    expect(auth).toEqual({
      orderId: 'o1',
      chargeId: auth.chargeId,
      status: 'AUTHORIZED',
      amount: 4200,
      currency: 'USD',
    });
    const capture = await steps.capture({ orderId: 'o1', chargeId: auth.chargeId, ...usd(4200) }, context);
    expect(capture).toMatchObject({ status: 'CAPTURED', capturedAmount: 4200 });
    const charge = ledger.charges.get(auth.chargeId);
    expect(charge?.authorizeKey).toBe(providerKey('o1', 'AuthorizePayment'));
    expect(Object.keys(charge?.operations ?? {})).toEqual(['order:o1:CapturePayment']);
  });

  it('answers a completed step again from its record, without calling the provider', async () => {
    const { steps, calls, stores } = setup();
    const input = { orderId: 'o1', ...usd(100), token: 'tok_visa' };
    const first = await steps.authorize(input, context);
    expect(await steps.authorize(input, context)).toEqual(first);
    expect(calls.authorize).toBe(1);
    expect([...stores.authorize.records.keys()]).toEqual([expect.stringMatching(/^AuthorizePayment#/)]);
    expect([...stores.authorize.records.values()][0]?.status).toBe('COMPLETED');
  });

  it('keys the record on the order: another order is another run', async () => {
    const { steps, calls } = setup();
    const a = await steps.authorize({ orderId: 'o1', ...usd(100), token: 'tok_visa' }, context);
    const b = await steps.authorize({ orderId: 'o2', ...usd(100), token: 'tok_visa' }, context);
    expect(a.chargeId).not.toBe(b.chargeId);
    expect(calls.authorize).toBe(2);
  });

  it('refuses the same order and step with another amount', async () => {
    const { steps } = setup();
    await steps.authorize({ orderId: 'o1', ...usd(100), token: 'tok_visa' }, context);
    await expect(
      steps.authorize({ orderId: 'o1', ...usd(101), token: 'tok_visa' }, context),
    ).rejects.toMatchObject({
      name: 'IdempotencyValidationError',
    });
  });

  it('retries a capture that crashed after the provider captured without capturing twice', async () => {
    const { steps, ledger, deps, stores } = setup();
    const auth = await steps.authorize({ orderId: 'o1', ...usd(900), token: 'tok_visa' }, context);
    const crashing = paymentStep({
      step: 'CapturePayment',
      schema: CapturePaymentInputSchema,
      persistenceStore: stores.capture,
      run: async (input) => {
        await capturePayment(deps, input);
        throw new Error('crashed before returning');
      },
    });
    const input = { orderId: 'o1', chargeId: auth.chargeId, ...usd(900) };
    await expect(crashing(input, context)).rejects.toThrow(/crashed/);
    // The failed run left no record: the retry runs, and the provider replays its capture.
    expect(await steps.capture(input, context)).toMatchObject({ status: 'CAPTURED', capturedAmount: 900 });
    const charge = ledger.charges.get(auth.chargeId);
    expect(charge).toMatchObject({ capturedAmount: 900, version: 2 });
  });

  it('surfaces a decline as PaymentDeclined with its reason, and a processing error as ProviderUnavailable', async () => {
    const { steps, calls } = setup();
    await expect(
      steps.authorize({ orderId: 'o1', ...usd(100), token: 'tok_insufficientFunds' }, context),
    ).rejects.toMatchObject({ name: 'PaymentDeclined', reason: 'insufficient_funds', retryable: false });
    const flaky = { orderId: 'o2', ...usd(100), token: 'tok_processingError' };
    await expect(steps.authorize(flaky, context)).rejects.toMatchObject({
      name: 'ProviderUnavailable',
      retryable: true,
    });
    expect(await steps.authorize(flaky, context)).toMatchObject({ status: 'AUTHORIZED' });
    expect(calls.authorize).toBe(3);
  });

  it('refuses input outside the schema with InvalidStepInput, naming the fields', async () => {
    const { steps, calls } = setup();
    await expect(
      steps.capture({ orderId: 'o1', chargeId: 'nope', amount: 0, currency: 'usd' }, context),
    ).rejects.toMatchObject({
      name: 'InvalidStepInput',
      issues: expect.arrayContaining([
        expect.objectContaining({ path: 'chargeId' }),
        expect.objectContaining({ path: 'amount' }),
        expect.objectContaining({ path: 'currency' }),
      ]),
    });
    await expect(
      steps.authorize({ orderId: 'o 1', ...usd(1), token: 'tok_visa' }, context),
    ).rejects.toMatchObject({
      name: 'InvalidStepInput',
    });
    expect(calls.capture + calls.authorize).toBe(0);
  });

  it('voids: nothing to void without a charge or for a declined one; refuses after capture', async () => {
    const { steps } = setup();
    expect(await steps.void({ orderId: 'o1' }, context)).toEqual({
      orderId: 'o1',
      status: 'NOTHING_TO_VOID',
    });
    await expect(
      steps.authorize({ orderId: 'o2', ...usd(100), token: 'tok_chargeDeclined' }, context),
    ).rejects.toThrow();
    const { chargeId } = (await steps.authorize(
      { orderId: 'o3', ...usd(100), token: 'tok_visa' },
      context,
    )) as {
      chargeId: string;
    };
    await steps.capture({ orderId: 'o3', chargeId, ...usd(100) }, context);
    await expect(steps.void({ orderId: 'o3', chargeId }, context)).rejects.toMatchObject({
      name: 'InvalidChargeState',
    });
  });

  it('voids a declined charge as nothing to void', async () => {
    const { deps, ledger } = setup();
    await expect(
      authorizePayment(deps, { orderId: 'o1', ...usd(100), token: 'tok_chargeDeclined' }),
    ).rejects.toMatchObject({
      name: 'PaymentDeclined',
    });
    const [declined] = ledger.charges.values();
    expect(await voidPayment(deps, { orderId: 'o1', chargeId: declined?.chargeId })).toMatchObject({
      status: 'NOTHING_TO_VOID',
    });
  });

  it('refunds per (order, refundId): partial refunds add up, a repeated one counts once, none beyond the capture', async () => {
    const { steps, calls } = setup();
    const { chargeId } = await steps.authorize({ orderId: 'o1', ...usd(1000), token: 'tok_visa' }, context);
    await steps.capture({ orderId: 'o1', chargeId, ...usd(1000) }, context);
    const refund = (amount: number, refundId?: string) =>
      steps.refund({ orderId: 'o1', chargeId, ...usd(amount), ...(refundId ? { refundId } : {}) }, context);
    expect(await refund(300, 'r1')).toMatchObject({ refundedAmount: 300, status: 'CAPTURED' });
    expect(await refund(300, 'r1')).toMatchObject({ refundedAmount: 300 });
    expect(calls.refund).toBe(1);
    await expect(refund(701, 'r2')).rejects.toMatchObject({ name: 'AmountRefused' });
    expect(await refund(700)).toMatchObject({
      refundId: 'compensation',
      refundedAmount: 1000,
      status: 'REFUNDED',
    });
    expect(await steps.refund({ orderId: 'o2', ...usd(5) }, context)).toMatchObject({
      status: 'NOTHING_TO_REFUND',
    });
  });
});
