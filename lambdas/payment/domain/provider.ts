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

/** What an operation made under one idempotency key did to a charge. */
export interface KeyedOperation {
  kind: 'capture' | 'void' | 'refund';
  /** Minor units it moved: what it captured or refunded, or for a void what it released. */
  amount: number;
}

/** A charge as the provider's records show it, with every capture, void and refund by its key. */
export interface ChargeRecord extends ChargeState {
  /** The merchant's reference the charge was authorized with: the order id. */
  reference: string;
  operations: Record<string, KeyedOperation>;
}

/**
 * Reading charges back: what a compensation needs to learn what money moved, and whether it
 * already moved it back itself. Reads are strongly consistent.
 */
export interface ChargeLookup {
  /** Undefined when the provider has no charge of that id. */
  charge(chargeId: string): Promise<ChargeRecord | undefined>;
  /** The charge the authorization made with `idempotencyKey` created; undefined if none reached the provider. */
  chargeAuthorizedWith(idempotencyKey: string): Promise<ChargeRecord | undefined>;
}
