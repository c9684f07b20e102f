/**
 * The payment steps of the checkout saga, on the provider port. Each passes the provider an
 * idempotency key derived from the order and the step, so however often a step runs for an order
 * (retries, a crash after the provider answered), the provider applies it once.
 */
import {
  AmountRefusedError,
  ChargeNotFoundError,
  InvalidChargeStateError,
  PaymentDeclinedError,
} from './errors.ts';
import type { ChargeLookup, ChargeRecord, ChargeState, ChargeStatus, PaymentProvider } from './provider.ts';
import type {
  AuthorizePaymentInput,
  CapturePaymentInput,
  PaymentStep,
  RefundPaymentInput,
  ReversePaymentInput,
  VoidPaymentInput,
} from './steps.ts';

export interface PaymentDeps {
  provider: PaymentProvider;
}

/** ReversePayment also reads the charge back, to learn what money moved. */
export interface ReversalDeps extends PaymentDeps {
  provider: PaymentProvider & ChargeLookup;
  /** Told when this run itself voided or refunded (not when it found an earlier run's reversal). */
  onReversed?: (status: 'VOIDED' | 'REFUNDED') => void;
}

/** The provider idempotency key of a step of an order: `order:<orderId>:<step>[:<part>]`. */
export function providerKey(orderId: string, step: PaymentStep, part?: string): string {
  return `order:${orderId}:${step}${part === undefined ? '' : `:${part}`}`;
}

export interface AuthorizePaymentOutput {
  orderId: string;
  chargeId: string;
  status: 'AUTHORIZED';
  amount: number;
  currency: string;
}

/** Throws `PaymentDeclinedError` for a declined card; the declined charge stays in the ledger. */
export async function authorizePayment(
  deps: PaymentDeps,
  input: AuthorizePaymentInput,
): Promise<AuthorizePaymentOutput> {
  const { orderId, amount, currency, token } = input;
  const result = await deps.provider.authorize(
    { amount, currency, token, reference: orderId },
    providerKey(orderId, 'AuthorizePayment'),
  );
  if (result.outcome === 'declined') throw new PaymentDeclinedError(result.reason, result.chargeId);
  return { orderId, chargeId: result.chargeId, status: 'AUTHORIZED', amount, currency };
}

export interface CapturePaymentOutput {
  orderId: string;
  chargeId: string;
  status: ChargeStatus;
  capturedAmount: number;
  currency: string;
}

export async function capturePayment(
  deps: PaymentDeps,
  input: CapturePaymentInput,
): Promise<CapturePaymentOutput> {
  const { orderId, chargeId, amount, currency } = input;
  const charge = await deps.provider.capture(
    chargeId,
    { amount, currency },
    providerKey(orderId, 'CapturePayment'),
  );
  return { orderId, chargeId, status: charge.status, capturedAmount: charge.capturedAmount, currency };
}

export interface VoidPaymentOutput {
  orderId: string;
  chargeId?: string;
  status: 'VOIDED' | 'NOTHING_TO_VOID';
}

/**
 * A compensation: tolerates nothing to undo (no charge, or a declined one). A captured charge is
 * refused (`InvalidChargeState`): the money moved, and only a refund returns it.
 */
export async function voidPayment(deps: PaymentDeps, input: VoidPaymentInput): Promise<VoidPaymentOutput> {
  const { orderId, chargeId } = input;
  if (!chargeId) return { orderId, status: 'NOTHING_TO_VOID' };
  try {
    await deps.provider.void(chargeId, providerKey(orderId, 'VoidPayment'));
    return { orderId, chargeId, status: 'VOIDED' };
  } catch (error) {
    if (error instanceof InvalidChargeStateError && error.status === 'DECLINED') {
      return { orderId, chargeId, status: 'NOTHING_TO_VOID' };
    }
    throw error;
  }
}

export interface RefundPaymentOutput {
  orderId: string;
  chargeId?: string;
  refundId: string;
  status: ChargeStatus | 'NOTHING_TO_REFUND';
  refundedAmount: number;
  currency: string;
}

/** Refunds are cumulative per charge and never exceed the capture (`AmountRefused`). */
export async function refundPayment(
  deps: PaymentDeps,
  input: RefundPaymentInput,
): Promise<RefundPaymentOutput> {
  const { orderId, chargeId, amount, currency, refundId } = input;
  if (!chargeId) return { orderId, refundId, status: 'NOTHING_TO_REFUND', refundedAmount: 0, currency };
  const charge = await deps.provider.refund(
    chargeId,
    { amount, currency },
    providerKey(orderId, 'RefundPayment', refundId),
  );
  return {
    orderId,
    chargeId,
    refundId,
    status: charge.status,
    refundedAmount: charge.refundedAmount,
    currency,
  };
}

export interface ReversePaymentOutput {
  orderId: string;
  chargeId?: string;
  status: 'VOIDED' | 'REFUNDED' | 'NOTHING_TO_REVERSE';
  /** Minor units this reversal voided or refunded; 0 when there was nothing to undo. */
  amount: number;
  /** With a charge only, as is `chargeStatus`: the charge's status once reversed. */
  currency?: string;
  chargeStatus?: ChargeStatus;
}

/** The charge can change between the read and the operation (a capture or refund landing meanwhile). */
const REVERSE_ROUNDS = 3;

/**
 * A compensation that undoes whatever money moved for the order: an authorization is voided, a
 * capture refunded of what is left of it (after any partial refunds). A declined, voided or fully
 * refunded charge, or none at all, is nothing to do. Safe to repeat: the provider keys are the
 * order's, so a rerun that finds its own void or refund on the charge answers what it did, and
 * concurrent runs that both act are applied once by the provider.
 */
export async function reversePayment(
  deps: ReversalDeps,
  input: ReversePaymentInput,
): Promise<ReversePaymentOutput> {
  const { orderId } = input;
  const voidKey = providerKey(orderId, 'ReversePayment', 'void');
  const refundKey = providerKey(orderId, 'ReversePayment', 'compensation');
  let changed: unknown;
  for (let round = 0; round < REVERSE_ROUNDS; round++) {
    const charge = await chargeToReverse(deps, input);
    if (!charge) return { orderId, status: 'NOTHING_TO_REVERSE', amount: 0 };
    const answer = (status: ReversePaymentOutput['status'], amount: number, after: ChargeState) => ({
      orderId,
      chargeId: charge.chargeId,
      status,
      amount,
      currency: charge.currency,
      chargeStatus: after.status,
    });
    // A run that already acted (a rerun after a crash, or past the step's record) answers what it did.
    const voided = charge.operations[voidKey];
    if (voided) return answer('VOIDED', voided.amount, charge);
    const refunded = charge.operations[refundKey];
    if (refunded) return answer('REFUNDED', refunded.amount, charge);
    try {
      if (charge.status === 'AUTHORIZED') {
        const after = await deps.provider.void(charge.chargeId, voidKey);
        deps.onReversed?.('VOIDED');
        return answer('VOIDED', charge.amount, after);
      }
      if (charge.status === 'CAPTURED') {
        const left = { amount: charge.capturedAmount - charge.refundedAmount, currency: charge.currency };
        const after = await deps.provider.refund(charge.chargeId, left, refundKey);
        deps.onReversed?.('REFUNDED');
        return answer('REFUNDED', left.amount, after);
      }
      return answer('NOTHING_TO_REVERSE', 0, charge);
    } catch (error) {
      // Refused for the state read: the charge moved meanwhile, so read it again and decide.
      if (!(error instanceof InvalidChargeStateError || error instanceof AmountRefusedError)) throw error;
      changed = error;
    }
  }
  throw changed;
}

async function chargeToReverse(
  deps: ReversalDeps,
  { orderId, chargeId }: ReversePaymentInput,
): Promise<ChargeRecord | undefined> {
  if (chargeId === undefined) {
    return deps.provider.chargeAuthorizedWith(providerKey(orderId, 'AuthorizePayment'));
  }
  const charge = await deps.provider.charge(chargeId);
  // Another order's charge id would refund someone else's payment.
  if (charge?.reference !== orderId) throw new ChargeNotFoundError(chargeId, orderId);
  return charge;
}
