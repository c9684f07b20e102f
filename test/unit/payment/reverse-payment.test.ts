import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { SandboxProvider } from '#payment/adapters/sandbox-provider.ts';
import { ProviderUnavailableError } from '#payment/domain/errors.ts';
import type { ChargeLookup, PaymentProvider } from '#payment/domain/provider.ts';
import {
  AuthorizePaymentInputSchema,
  CapturePaymentInputSchema,
  PAYMENT_STEPS,
  RefundPaymentInputSchema,
  ReversePaymentInputSchema,
  VoidPaymentInputSchema,
} from '#payment/domain/steps.ts';
import {
  authorizePayment,
  capturePayment,
  providerKey,
  type ReversalDeps,
  refundPayment,
  reversePayment,
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

type Provider = PaymentProvider & ChargeLookup;

/** The provider, counting the voids and refunds that reach it; `hooks` run before each. */
function counted(provider: Provider, hooks: { beforeVoid?: () => Promise<void> } = {}) {
  const calls = { void: 0, refund: 0 };
  const wrapped: Provider = {
    authorize: (...a) => provider.authorize(...a),
    capture: (...a) => provider.capture(...a),
    void: async (...a) => {
      calls.void++;
      await hooks.beforeVoid?.();
      return provider.void(...a);
    },
    refund: (...a) => {
      calls.refund++;
      return provider.refund(...a);
    },
    charge: (...a) => provider.charge(...a),
    chargeAuthorizedWith: (...a) => provider.chargeAuthorizedWith(...a),
  };
  return { calls, provider: wrapped };
}

function setup(hooks?: { beforeVoid?: () => Promise<void> }) {
  const ledger = new InMemoryLedger();
  const sandbox = new SandboxProvider(ledger);
  const { calls, provider } = counted(sandbox, hooks);
  const deps: ReversalDeps = { provider };
  const records = new InMemoryIdempotency();
  const step = (run = (input: Parameters<typeof reversePayment>[1]) => reversePayment(deps, input)) =>
    paymentStep({
      step: 'ReversePayment',
      schema: ReversePaymentInputSchema,
      persistenceStore: records,
      run,
    });
  const reverse = step();
  // The forward steps and the other compensations, each with its own records as deployed.
  const steps = {
    authorize: paymentStep({
      step: 'AuthorizePayment',
      schema: AuthorizePaymentInputSchema,
      persistenceStore: new InMemoryIdempotency(),
      run: (input) => authorizePayment(deps, input),
    }),
    capture: paymentStep({
      step: 'CapturePayment',
      schema: CapturePaymentInputSchema,
      persistenceStore: new InMemoryIdempotency(),
      run: (input) => capturePayment(deps, input),
    }),
    void: paymentStep({
      step: 'VoidPayment',
      schema: VoidPaymentInputSchema,
      persistenceStore: new InMemoryIdempotency(),
      run: (input) => voidPayment(deps, input),
    }),
    refund: paymentStep({
      step: 'RefundPayment',
      schema: RefundPaymentInputSchema,
      key: '[orderId, refundId]',
      persistenceStore: new InMemoryIdempotency(),
      run: (input) => refundPayment(deps, input),
    }),
  };
  const authorized = async (orderId: string, amount: number) =>
    (await steps.authorize({ orderId, ...usd(amount), token: 'tok_visa' }, context)).chargeId;
  const captured = async (orderId: string, amount: number, capture = amount) => {
    const chargeId = await authorized(orderId, amount);
    await steps.capture({ orderId, chargeId, ...usd(capture) }, context);
    return chargeId;
  };
  return { ledger, sandbox, calls, deps, records, step, reverse, steps, authorized, captured };
}

describe('ReversePayment', () => {
  it('is a payment step of its own', () => {
    expect(PAYMENT_STEPS).toContain('ReversePayment');
    expect(providerKey('o1', 'ReversePayment', 'compensation')).toBe('order:o1:ReversePayment:compensation');
  });

  it("voids an authorization, found by the order's authorization key when no charge id is given", async () => {
    const { reverse, authorized, ledger, calls } = setup();
    const chargeId = await authorized('o1', 4200);
    expect(await reverse({ orderId: 'o1' }, context)).toEqual({
      orderId: 'o1',
      chargeId,
      status: 'VOIDED',
      amount: 4200,
      currency: 'USD',
      chargeStatus: 'VOIDED',
    });
    const charge = ledger.charges.get(chargeId);
    expect(charge?.status).toBe('VOIDED');
    expect(Object.keys(charge?.operations ?? {})).toEqual(['order:o1:ReversePayment:void']);
    expect(calls).toEqual({ void: 1, refund: 0 });
  });

  it('voids the charge it is given', async () => {
    const { reverse, authorized } = setup();
    const chargeId = await authorized('o1', 500);
    expect(await reverse({ orderId: 'o1', chargeId, from: 'Catch' }, context)).toMatchObject({
      chargeId,
      status: 'VOIDED',
      amount: 500,
    });
  });

  it('refunds a capture in full', async () => {
    const { reverse, captured, ledger } = setup();
    const chargeId = await captured('o1', 1000);
    expect(await reverse({ orderId: 'o1', chargeId }, context)).toEqual({
      orderId: 'o1',
      chargeId,
      status: 'REFUNDED',
      amount: 1000,
      currency: 'USD',
      chargeStatus: 'REFUNDED',
    });
    expect(ledger.charges.get(chargeId)).toMatchObject({ capturedAmount: 1000, refundedAmount: 1000 });
    expect(Object.keys(ledger.charges.get(chargeId)?.operations ?? {})).toContain(
      'order:o1:ReversePayment:compensation',
    );
  });

  it('refunds what is left of a partly refunded capture, and only what was captured', async () => {
    const { reverse, captured, steps, ledger } = setup();
    const chargeId = await captured('o1', 1000);
    await steps.refund({ orderId: 'o1', chargeId, ...usd(300), refundId: 'r1' }, context);
    expect(await reverse({ orderId: 'o1' }, context)).toMatchObject({
      status: 'REFUNDED',
      amount: 700,
      chargeStatus: 'REFUNDED',
    });
    expect(ledger.charges.get(chargeId)).toMatchObject({ status: 'REFUNDED', refundedAmount: 1000 });

    const partial = await captured('o2', 1000, 600);
    expect(await reverse({ orderId: 'o2' }, context)).toMatchObject({ status: 'REFUNDED', amount: 600 });
    expect(ledger.charges.get(partial)).toMatchObject({ capturedAmount: 600, refundedAmount: 600 });
  });

  it('has nothing to reverse for a declined, voided or fully refunded charge, or none', async () => {
    const { reverse, steps, authorized, captured, calls } = setup();
    await expect(
      steps.authorize({ orderId: 'declined', ...usd(100), token: 'tok_chargeDeclined' }, context),
    ).rejects.toMatchObject({ name: 'PaymentDeclined' });
    expect(await reverse({ orderId: 'declined' }, context)).toMatchObject({
      status: 'NOTHING_TO_REVERSE',
      amount: 0,
      chargeStatus: 'DECLINED',
    });

    const voided = await authorized('voided', 100);
    await steps.void({ orderId: 'voided', chargeId: voided }, context);
    expect(await reverse({ orderId: 'voided', chargeId: voided }, context)).toEqual({
      orderId: 'voided',
      chargeId: voided,
      status: 'NOTHING_TO_REVERSE',
      amount: 0,
      currency: 'USD',
      chargeStatus: 'VOIDED',
    });

    const refunded = await captured('refunded', 100);
    await steps.refund({ orderId: 'refunded', chargeId: refunded, ...usd(100) }, context);
    expect(await reverse({ orderId: 'refunded' }, context)).toMatchObject({
      status: 'NOTHING_TO_REVERSE',
      amount: 0,
      chargeStatus: 'REFUNDED',
    });

    expect(await reverse({ orderId: 'never-paid' }, context)).toEqual({
      orderId: 'never-paid',
      status: 'NOTHING_TO_REVERSE',
      amount: 0,
    });
    // The void and the refund above were VoidPayment's and RefundPayment's: none was the reversal's.
    expect(calls).toEqual({ void: 1, refund: 1 });
  });

  it('answers a repeat after success from its record, with no second refund', async () => {
    const { reverse, captured, calls, ledger, records } = setup();
    const chargeId = await captured('o1', 1000);
    const first = await reverse({ orderId: 'o1' }, context);
    for (let i = 0; i < 3; i++) expect(await reverse({ orderId: 'o1' }, context)).toEqual(first);
    expect(calls.refund).toBe(1);
    expect(ledger.charges.get(chargeId)?.refundedAmount).toBe(1000);
    expect([...records.records.keys()]).toEqual([expect.stringMatching(/^ReversePayment#/)]);
  });

  it('answers the same past its record, from its own refund on the charge, without calling the provider', async () => {
    const { deps, captured, calls, ledger } = setup();
    const chargeId = await captured('o1', 1000);
    const first = await reversePayment(deps, { orderId: 'o1' });
    expect(await reversePayment(deps, { orderId: 'o1' })).toEqual(first);
    expect(await reversePayment(deps, { orderId: 'o1', chargeId })).toEqual(first);
    expect(calls.refund).toBe(1);
    expect(ledger.charges.get(chargeId)).toMatchObject({ refundedAmount: 1000, version: 3 });
  });

  it('refunds once when a run crashed after the provider refunded and the step is run again', async () => {
    const { step, reverse, deps, captured, calls, ledger } = setup();
    const chargeId = await captured('o1', 1000);
    const crashing = step(async (input) => {
      await reversePayment(deps, input);
      throw new Error('crashed before returning');
    });
    await expect(crashing({ orderId: 'o1' }, context)).rejects.toThrow(/crashed/);
    expect(ledger.charges.get(chargeId)?.refundedAmount).toBe(1000);
    // The failed run left no record: the rerun runs, and finds the refund it made.
    expect(await reverse({ orderId: 'o1' }, context)).toMatchObject({
      status: 'REFUNDED',
      amount: 1000,
      chargeStatus: 'REFUNDED',
    });
    const charge = ledger.charges.get(chargeId);
    expect(charge).toMatchObject({ refundedAmount: 1000, version: 3 });
    expect(Object.keys(charge?.operations ?? {})).toEqual([
      'order:o1:CapturePayment',
      'order:o1:ReversePayment:compensation',
    ]);
    expect(calls.refund).toBe(1);
  });

  it('refunds once when concurrent runs both reach the provider (its key applies once)', async () => {
    const { deps, captured, calls, ledger } = setup();
    const chargeId = await captured('o1', 1000);
    const runs = await Promise.all([1, 2, 3].map(() => reversePayment(deps, { orderId: 'o1' })));
    for (const run of runs) expect(run).toMatchObject({ status: 'REFUNDED', amount: 1000 });
    expect(calls.refund).toBeGreaterThan(1);
    expect(ledger.charges.get(chargeId)).toMatchObject({ refundedAmount: 1000, version: 3 });
  });

  it('reads the charge again when it was captured between the read and the void, and refunds', async () => {
    let capture: (() => Promise<void>) | undefined;
    const { deps, authorized, sandbox, ledger, calls } = setup({
      beforeVoid: async () => {
        await capture?.();
        capture = undefined;
      },
    });
    const chargeId = await authorized('o1', 800);
    capture = async () => {
      await sandbox.capture(chargeId, usd(800), providerKey('o1', 'CapturePayment'));
    };
    expect(await reversePayment(deps, { orderId: 'o1' })).toMatchObject({
      status: 'REFUNDED',
      amount: 800,
      chargeStatus: 'REFUNDED',
    });
    expect(calls).toEqual({ void: 1, refund: 1 });
    expect(ledger.charges.get(chargeId)).toMatchObject({ status: 'REFUNDED', refundedAmount: 800 });
  });

  it("refuses an unknown charge id or another order's as ChargeNotFound, moving nothing", async () => {
    const { reverse, authorized, ledger } = setup();
    const other = await authorized('o2', 100);
    await expect(reverse({ orderId: 'o1', chargeId: other }, context)).rejects.toMatchObject({
      name: 'ChargeNotFound',
      retryable: false,
      message: `No charge ${other} of order o1.`,
    });
    await expect(reverse({ orderId: 'o1', chargeId: 'ch_missing' }, context)).rejects.toMatchObject({
      name: 'ChargeNotFound',
    });
    expect(ledger.charges.get(other)?.status).toBe('AUTHORIZED');
  });

  it('surfaces ProviderUnavailable as retryable, and a retry then reverses once', async () => {
    const { deps, captured, ledger, records } = setup();
    const chargeId = await captured('o1', 1000);
    let failures = 1;
    const flaky: ReversalDeps = {
      provider: {
        ...deps.provider,
        refund: async (...a) => {
          if (failures-- > 0) throw new ProviderUnavailableError('The provider timed out; retry.');
          return deps.provider.refund(...a);
        },
      },
    };
    const step = paymentStep({
      step: 'ReversePayment',
      schema: ReversePaymentInputSchema,
      persistenceStore: records,
      run: (input) => reversePayment(flaky, input),
    });
    await expect(step({ orderId: 'o1' }, context)).rejects.toMatchObject({
      name: 'ProviderUnavailable',
      retryable: true,
    });
    expect(await step({ orderId: 'o1' }, context)).toMatchObject({ status: 'REFUNDED', amount: 1000 });
    expect(ledger.charges.get(chargeId)?.refundedAmount).toBe(1000);
  });

  it('refuses input outside its schema with InvalidStepInput', async () => {
    const { reverse, calls } = setup();
    await expect(reverse({ orderId: 'o1', chargeId: 'nope' }, context)).rejects.toMatchObject({
      name: 'InvalidStepInput',
      issues: [expect.objectContaining({ path: 'chargeId' })],
    });
    await expect(reverse({}, context)).rejects.toMatchObject({ name: 'InvalidStepInput' });
    expect(calls).toEqual({ void: 0, refund: 0 });
  });
});
