/**
 * The payment provider port: what the payment service needs from a card processor. Every call
 * carries an idempotency key that the provider itself honours: the same key with the same request
 * gives the same result without a second effect; the same key with another request is refused
 * (`IdempotencyKeyReusedError`). Amounts are integers in the currency's minor unit.
 */

export type ChargeStatus = 'AUTHORIZED' | 'CAPTURED' | 'VOIDED' | 'REFUNDED' | 'DECLINED';

export interface Money {
  amount: number;
  currency: string;
}

export interface AuthorizeRequest extends Money {
  /** The card token the client obtained from the provider (API.md lists the sandbox's). */
  token: string;
  /** The merchant's reference shown in the provider's ledger: the order id. */
  reference: string;
}

export type Authorization =
  | { outcome: 'authorized'; chargeId: string; amount: number; currency: string }
  | { outcome: 'declined'; chargeId: string; reason: 'card_declined' | 'insufficient_funds' };

/** A charge as the provider reports it after an operation. */
export interface ChargeState {
  chargeId: string;
  status: ChargeStatus;
  amount: number;
  currency: string;
  capturedAmount: number;
  refundedAmount: number;
}

export interface PaymentProvider {
  /** Holds `amount` on the card; a decline is an outcome, not an error. Transient failures throw `ProviderUnavailableError`. */
  authorize(request: AuthorizeRequest, idempotencyKey: string): Promise<Authorization>;
  /** Captures at most the authorized amount, once. */
  capture(chargeId: string, money: Money, idempotencyKey: string): Promise<ChargeState>;
  /** Releases an authorization that was never captured. */
  void(chargeId: string, idempotencyKey: string): Promise<ChargeState>;
  /** Returns part or all of what was captured; the refunds of a charge never exceed its capture. */
  refund(chargeId: string, money: Money, idempotencyKey: string): Promise<ChargeState>;
}
