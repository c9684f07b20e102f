import { describe, expect, it } from 'vitest';
import { chargeIdFor, decide, newCharge } from '#payment/adapters/sandbox-ledger.ts';
import { SandboxProvider } from '#payment/adapters/sandbox-provider.ts';
import {
  AmountRefusedError,
  ChargeNotFoundError,
  IdempotencyKeyReusedError,
  InvalidChargeStateError,
  ProviderUnavailableError,
} from '#payment/domain/errors.ts';
import { InMemoryLedger } from './memory.ts';

const usd = (amount: number) => ({ amount, currency: 'USD' });
const visa = (amount = 5000, reference = 'order-1') => ({ ...usd(amount), token: 'tok_visa', reference });

function sandbox() {
  const ledger = new InMemoryLedger();
  return { ledger, provider: new SandboxProvider(ledger) };
}

async function captured(amount = 5000) {
  const s = sandbox();
  const auth = await s.provider.authorize(visa(amount), 'k-auth');
  if (auth.outcome !== 'authorized') throw new Error('not authorized');
  await s.provider.capture(auth.chargeId, usd(amount), 'k-capture');
  return { ...s, chargeId: auth.chargeId };
}

describe('the sandbox provider', () => {
  it('authorizes tok_visa and declines tok_chargeDeclined and tok_insufficientFunds, keeping the declines', async () => {
    const { provider, ledger } = sandbox();
    expect(await provider.authorize(visa(), 'a')).toMatchObject({ outcome: 'authorized', amount: 5000 });
    expect(await provider.authorize({ ...visa(), token: 'tok_chargeDeclined' }, 'b')).toMatchObject({
      outcome: 'declined',
      reason: 'card_declined',
    });
    expect(await provider.authorize({ ...visa(), token: 'tok_insufficientFunds' }, 'c')).toMatchObject({
      outcome: 'declined',
      reason: 'insufficient_funds',
    });
    expect([...ledger.charges.values()].map((c) => c.status)).toEqual(['AUTHORIZED', 'DECLINED', 'DECLINED']);
  });

  it('fails tok_processingError transiently once per key, then authorizes one charge', async () => {
    const { provider, ledger } = sandbox();
    const request = { ...visa(), token: 'tok_processingError' };
    await expect(provider.authorize(request, 'k')).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(ledger.charges.size).toBe(0);
    const first = await provider.authorize(request, 'k');
    expect(first.outcome).toBe('authorized');
    expect(await provider.authorize(request, 'k')).toEqual(first);
    // Another key (another order) fails once on its own.
    await expect(provider.authorize(request, 'other')).rejects.toMatchObject({ name: 'ProviderUnavailable' });
    expect(ledger.charges.size).toBe(1);
  });

  it('answers a repeated key with the same result and no second effect, and refuses it with another request', async () => {
    const { provider, ledger } = sandbox();
    const first = await provider.authorize(visa(), 'k');
    expect(await provider.authorize(visa(), 'k')).toEqual(first);
    expect(ledger.writes).toBe(1);
    await expect(provider.authorize(visa(5001), 'k')).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    if (first.outcome !== 'authorized') throw new Error('not authorized');
    const capture = await provider.capture(first.chargeId, usd(5000), 'c');
    expect(await provider.capture(first.chargeId, usd(5000), 'c')).toEqual(capture);
    expect(ledger.writes).toBe(2);
    await expect(provider.capture(first.chargeId, usd(4000), 'c')).rejects.toMatchObject({
      name: 'IdempotencyKeyReused',
    });
  });

  it('makes one charge of 20 concurrent authorizations with one key', async () => {
    const { provider, ledger } = sandbox();
    const results = await Promise.all(Array.from({ length: 20 }, () => provider.authorize(visa(), 'k')));
    expect(new Set(results.map((r) => r.chargeId)).size).toBe(1);
    expect(ledger.charges.size).toBe(1);
  });

  it('captures once: a second capture under another key is refused, even concurrently', async () => {
    const { provider, ledger } = sandbox();
    const auth = await provider.authorize(visa(), 'a');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => provider.capture(auth.chargeId, usd(5000), `c${i}`)),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes.filter((x) => x.status === 'rejected')) {
      expect((o as PromiseRejectedResult).reason).toBeInstanceOf(InvalidChargeStateError);
    }
    expect(ledger.charges.get(auth.chargeId)).toMatchObject({ status: 'CAPTURED', capturedAmount: 5000 });
  });

  it('refuses a capture above the authorization or in another currency', async () => {
    const { provider } = sandbox();
    const auth = await provider.authorize(visa(5000), 'a');
    await expect(provider.capture(auth.chargeId, usd(5001), 'c1')).rejects.toBeInstanceOf(AmountRefusedError);
    await expect(
      provider.capture(auth.chargeId, { amount: 5000, currency: 'EUR' }, 'c2'),
    ).rejects.toBeInstanceOf(AmountRefusedError);
    expect(await provider.capture(auth.chargeId, usd(4000), 'c3')).toMatchObject({ capturedAmount: 4000 });
  });

  it('voids an authorization, and refuses a void after capture and a capture after void', async () => {
    const { provider, chargeId } = await captured();
    await expect(provider.void(chargeId, 'v')).rejects.toMatchObject({
      name: 'InvalidChargeState',
      status: 'CAPTURED',
    });
    const other = await provider.authorize(visa(100, 'order-2'), 'a2');
    expect(await provider.void(other.chargeId, 'v2')).toMatchObject({ status: 'VOIDED', capturedAmount: 0 });
    await expect(provider.capture(other.chargeId, usd(100), 'c2')).rejects.toBeInstanceOf(
      InvalidChargeStateError,
    );
  });

  it('takes partial refunds up to the capture and no further, REFUNDED when all of it is back', async () => {
    const { provider, chargeId } = await captured(5000);
    expect(await provider.refund(chargeId, usd(2000), 'r1')).toMatchObject({
      status: 'CAPTURED',
      refundedAmount: 2000,
    });
    expect(await provider.refund(chargeId, usd(2000), 'r1')).toMatchObject({ refundedAmount: 2000 });
    await expect(provider.refund(chargeId, usd(3001), 'r2')).rejects.toBeInstanceOf(AmountRefusedError);
    expect(await provider.refund(chargeId, usd(3000), 'r3')).toMatchObject({
      status: 'REFUNDED',
      refundedAmount: 5000,
    });
    await expect(provider.refund(chargeId, usd(1), 'r4')).rejects.toBeInstanceOf(AmountRefusedError);
  });

  it('never over-refunds under concurrent refunds; a refund that lost every race is told to retry', async () => {
    const { provider, ledger, chargeId } = await captured(1000);
    const keys = Array.from({ length: 15 }, (_, i) => `r${i}`);
    const outcomes = await Promise.allSettled(keys.map((key) => provider.refund(chargeId, usd(100), key)));
    const busy = keys.filter((_, i) => {
      const o = outcomes[i];
      if (o?.status !== 'rejected') return false;
      expect([AmountRefusedError, ProviderUnavailableError].some((e) => o.reason instanceof e)).toBe(true);
      return o.reason instanceof ProviderUnavailableError;
    });
    // Retried one by one, as the saga's Retry would.
    const retried = await Promise.allSettled(busy.map((key) => provider.refund(chargeId, usd(100), key)));
    const done = [...outcomes, ...retried].filter((o) => o.status === 'fulfilled');
    expect(done).toHaveLength(10);
    expect(ledger.charges.get(chargeId)).toMatchObject({ status: 'REFUNDED', refundedAmount: 1000 });
    expect(Object.keys(ledger.charges.get(chargeId)?.operations ?? {})).toHaveLength(11);
  });

  it('refuses a refund of an uncaptured charge and any operation on an unknown one', async () => {
    const { provider } = sandbox();
    const auth = await provider.authorize(visa(), 'a');
    await expect(provider.refund(auth.chargeId, usd(1), 'r')).rejects.toBeInstanceOf(InvalidChargeStateError);
    await expect(provider.capture('ch_nothing', usd(1), 'c')).rejects.toBeInstanceOf(ChargeNotFoundError);
  });
});

describe('the sandbox ledger rules', () => {
  const now = new Date('2026-01-01T00:00:00Z');

  it('derives the charge id from the authorization key', () => {
    expect(newCharge(visa(), 'k', now).chargeId).toBe(chargeIdFor('k'));
    expect(chargeIdFor('k')).not.toBe(chargeIdFor('k2'));
    expect(chargeIdFor('k')).toMatch(/^ch_[\w-]{24}$/);
  });

  it('declines unknown tokens and refuses amounts that are not positive integers', () => {
    expect(newCharge({ ...visa(), token: 'tok_unknown' }, 'k', now)).toMatchObject({
      status: 'DECLINED',
      declineReason: 'card_declined',
    });
    expect(() => newCharge(visa(0), 'k', now)).toThrow(AmountRefusedError);
    expect(() => newCharge(visa(1.5), 'k', now)).toThrow(AmountRefusedError);
  });

  it('records each operation key with its result, and bumps the version once per change', () => {
    const charge = newCharge(visa(), 'k', now);
    const decision = decide(charge, { kind: 'capture', money: usd(5000) }, 'c', now);
    if (decision.kind !== 'apply') throw new Error('expected a change');
    expect(decision.next.version).toBe(2);
    expect(decision.next.operations.c?.result).toEqual(decision.result);
    expect(decide(decision.next, { kind: 'capture', money: usd(5000) }, 'c', now)).toEqual({
      kind: 'replay',
      result: decision.result,
    });
    expect(() => decide(decision.next, { kind: 'void' }, 'c', now)).toThrow(IdempotencyKeyReusedError);
  });
});
