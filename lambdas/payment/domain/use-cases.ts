/**
 * The payment steps of the checkout saga, on the provider port. Each passes the provider an
 * idempotency key derived from the order and the step, so however often a step runs for an order
 * (retries, a crash after the provider answered), the provider applies it once.
 */
import { InvalidChargeStateError, PaymentDeclinedError } from './errors.ts';
import type { ChargeStatus, PaymentProvider } from './provider.ts';
import type {
  AuthorizePaymentInput,
  CapturePaymentInput,
  PaymentStep,
  RefundPaymentInput,
  VoidPaymentInput,
} from './steps.ts';

export interface PaymentDeps {
  provider: PaymentProvider;
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
