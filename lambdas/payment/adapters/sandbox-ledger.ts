/**
 * The sandbox card processor's rules, on one charge at a time and without I/O: what a token does,
 * which operation each state allows, how amounts add up, and how an idempotency key replays. The
 * stores (DynamoDB, or memory in unit tests) persist charges; `SandboxProvider` applies these
 * rules between a read and a conditional write.
 *
 * Test tokens (API.md): `tok_visa` authorizes; `tok_chargeDeclined` and `tok_insufficientFunds`
 * are declined; `tok_processingError` fails transiently the first time a key is used, then
 * authorizes. Any other token is declined as `card_declined`, as a processor refuses a card it
 * does not know.
 */
import { createHash } from 'node:crypto';
import {
  AmountRefusedError,
  type DeclineReason,
  IdempotencyKeyReusedError,
  InvalidChargeStateError,
} from '../domain/errors.ts';
import type {
  Authorization,
  AuthorizeRequest,
  ChargeRecord,
  ChargeState,
  ChargeStatus,
  KeyedOperation,
  Money,
} from '../domain/provider.ts';

export const PROCESSING_ERROR_TOKEN = 'tok_processingError';

const DECLINES: Record<string, DeclineReason> = {
  tok_chargeDeclined: 'card_declined',
  tok_insufficientFunds: 'insufficient_funds',
};
const APPROVED = new Set(['tok_visa', PROCESSING_ERROR_TOKEN]);

/** What the provider remembers of an operation's idempotency key: the request and its result. */
export interface KeyedResult {
  request: string;
  result: ChargeState;
}

/** One charge in the sandbox's ledger (docs/architecture.md, "Payments"). */
export interface LedgerCharge extends ChargeState {
  /** The merchant's reference: the order id. */
  orderId: string;
  token: string;
  declineReason?: DeclineReason;
  /** The authorization's idempotency key and request fingerprint. */
  authorizeKey: string;
  authorizeRequest: string;
  /** Capture, void and refund keys used on this charge. */
  operations: Record<string, KeyedResult>;
  /** +1 per write: writes are conditional on the version read. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type Operation =
  | { kind: 'capture'; money: Money }
  | { kind: 'void' }
  | { kind: 'refund'; money: Money };

export type Decision =
  | { kind: 'replay'; result: ChargeState }
  | { kind: 'apply'; next: LedgerCharge; result: ChargeState };

/**
 * A charge's id follows from its authorization key, so two concurrent authorizations with one key
 * race for one item and exactly one of them creates it.
 */
export function chargeIdFor(idempotencyKey: string): string {
  return `ch_${createHash('sha256').update(`authorize:${idempotencyKey}`).digest('base64url').slice(0, 24)}`;
}

/** A canonical form of a request: equal requests give equal strings, whatever the key order. */
export function fingerprint(request: Record<string, unknown>): string {
  return JSON.stringify(
    Object.keys(request)
      .sort()
      .map((key) => [key, request[key]]),
  );
}

export function stateOf(charge: LedgerCharge): ChargeState {
  const { chargeId, status, amount, currency, capturedAmount, refundedAmount } = charge;
  return { chargeId, status, amount, currency, capturedAmount, refundedAmount };
}

/** The charge as the provider reports it back, each keyed operation with the amount it moved. */
export function recordOf(charge: LedgerCharge): ChargeRecord {
  const operations: Record<string, KeyedOperation> = {};
  for (const [key, { request, result }] of Object.entries(charge.operations)) {
    // The fingerprint `decide` made of the request: [['amount', n | null], ['currency', ...], ['kind', ...]].
    const { kind, amount } = Object.fromEntries(JSON.parse(request) as [string, unknown][]) as {
      kind: KeyedOperation['kind'];
      amount?: number | null;
    };
    // A void moves what was authorized.
    operations[key] = { kind, amount: amount ?? result.amount };
  }
  return { ...stateOf(charge), reference: charge.orderId, operations };
}

/** The charge an authorization creates: AUTHORIZED or DECLINED, by token. */
export function newCharge(request: AuthorizeRequest, idempotencyKey: string, now: Date): LedgerCharge {
  if (!Number.isSafeInteger(request.amount) || request.amount <= 0) {
    throw new AmountRefusedError(`An amount is a positive integer of minor units, not ${request.amount}.`);
  }
  const declineReason = APPROVED.has(request.token)
    ? undefined
    : (DECLINES[request.token] ?? 'card_declined');
  const status: ChargeStatus = declineReason ? 'DECLINED' : 'AUTHORIZED';
  return {
    chargeId: chargeIdFor(idempotencyKey),
    orderId: request.reference,
    status,
    amount: request.amount,
    currency: request.currency,
    capturedAmount: 0,
    refundedAmount: 0,
    token: request.token,
    ...(declineReason ? { declineReason } : {}),
    authorizeKey: idempotencyKey,
    authorizeRequest: fingerprint({ ...request }),
    operations: {},
    version: 1,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

export function authorizationOf(charge: LedgerCharge): Authorization {
  if (charge.status === 'DECLINED') {
    return {
      outcome: 'declined',
      chargeId: charge.chargeId,
      reason: charge.declineReason ?? 'card_declined',
    };
  }
  return {
    outcome: 'authorized',
    chargeId: charge.chargeId,
    amount: charge.amount,
    currency: charge.currency,
  };
}

/** The answer to an authorization whose key already made `existing`. */
export function replayAuthorization(
  existing: LedgerCharge,
  request: AuthorizeRequest,
  key: string,
): Authorization {
  if (existing.authorizeRequest !== fingerprint({ ...request })) throw new IdempotencyKeyReusedError(key);
  return authorizationOf(existing);
}

/** What `operation` under `key` does to `charge`: a replay of the key's first result, or the next state. */
export function decide(charge: LedgerCharge, operation: Operation, key: string, now: Date): Decision {
  const money = 'money' in operation ? operation.money : undefined;
  const request = fingerprint({ kind: operation.kind, amount: money?.amount, currency: money?.currency });
  const previous = charge.operations[key];
  if (previous) {
    if (previous.request !== request) throw new IdempotencyKeyReusedError(key);
    return { kind: 'replay', result: previous.result };
  }
  const next = nextState(charge, operation);
  const updated: LedgerCharge = {
    ...charge,
    ...next,
    version: charge.version + 1,
    updatedAt: now.toISOString(),
  };
  const result = stateOf(updated);
  updated.operations = { ...charge.operations, [key]: { request, result } };
  return { kind: 'apply', next: updated, result };
}

function nextState(
  charge: LedgerCharge,
  operation: Operation,
): Pick<LedgerCharge, 'status' | 'capturedAmount' | 'refundedAmount'> {
  const { chargeId, status } = charge;
  switch (operation.kind) {
    case 'capture': {
      if (status !== 'AUTHORIZED') throw new InvalidChargeStateError(chargeId, status, 'captured');
      const { amount } = checkedMoney(charge, operation.money);
      if (amount > charge.amount) {
        throw new AmountRefusedError(
          `Charge ${chargeId} holds ${charge.amount}; it cannot capture ${amount}.`,
        );
      }
      return { status: 'CAPTURED', capturedAmount: amount, refundedAmount: 0 };
    }
    case 'void': {
      if (status !== 'AUTHORIZED') throw new InvalidChargeStateError(chargeId, status, 'voided');
      return { status: 'VOIDED', capturedAmount: 0, refundedAmount: 0 };
    }
    case 'refund': {
      if (status !== 'CAPTURED' && status !== 'REFUNDED') {
        throw new InvalidChargeStateError(chargeId, status, 'refunded');
      }
      const { amount } = checkedMoney(charge, operation.money);
      const refunded = charge.refundedAmount + amount;
      if (refunded > charge.capturedAmount) {
        throw new AmountRefusedError(
          `Charge ${chargeId} captured ${charge.capturedAmount} and refunded ${charge.refundedAmount}; it cannot refund ${amount} more.`,
        );
      }
      return {
        status: refunded === charge.capturedAmount ? 'REFUNDED' : 'CAPTURED',
        capturedAmount: charge.capturedAmount,
        refundedAmount: refunded,
      };
    }
  }
}

function checkedMoney(charge: LedgerCharge, money: Money): Money {
  if (money.currency !== charge.currency) {
    throw new AmountRefusedError(
      `Charge ${charge.chargeId} is in ${charge.currency}, not ${money.currency}.`,
    );
  }
  if (!Number.isSafeInteger(money.amount) || money.amount <= 0) {
    throw new AmountRefusedError(`An amount is a positive integer of minor units, not ${money.amount}.`);
  }
  return money;
}
