/**
 * The sandbox provider: a card processor with its own ledger, honouring idempotency keys itself.
 * An authorization is one conditional insert (the charge id follows from the key, so one key makes
 * one charge however many calls race); a capture, void or refund reads the charge, applies the
 * ledger's rules and writes it back only if no one wrote it meanwhile (retrying on a lost race),
 * so concurrent or repeated calls can neither double-capture nor over-refund.
 */
import { ChargeNotFoundError, ProviderUnavailableError } from '../domain/errors.ts';
import type {
  Authorization,
  AuthorizeRequest,
  ChargeLookup,
  ChargeRecord,
  ChargeState,
  Money,
  PaymentProvider,
} from '../domain/provider.ts';
import {
  chargeIdFor,
  decide,
  type LedgerCharge,
  newCharge,
  type Operation,
  PROCESSING_ERROR_TOKEN,
  recordOf,
  replayAuthorization,
} from './sandbox-ledger.ts';

/** Where the sandbox keeps its ledger. Reads are strongly consistent. */
export interface LedgerStore {
  /** Stores a new charge; returns the charge already stored under its id instead, if any. */
  insert(charge: LedgerCharge): Promise<LedgerCharge | undefined>;
  get(chargeId: string): Promise<LedgerCharge | undefined>;
  /** Writes `next` only if the stored charge is still at `expectedVersion`; false when it is not. */
  replace(next: LedgerCharge, expectedVersion: number): Promise<boolean>;
  /** Records the transient failure of a key once: true the first time only. */
  claimFailure(idempotencyKey: string): Promise<boolean>;
  /** The charges of one order, oldest first. */
  listByOrder(orderId: string): Promise<LedgerCharge[]>;
}

/** Lost races in a row before the caller is told to retry later. */
const MAX_ATTEMPTS = 8;

export class SandboxProvider implements PaymentProvider, ChargeLookup {
  constructor(
    private readonly store: LedgerStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async authorize(request: AuthorizeRequest, idempotencyKey: string): Promise<Authorization> {
    if (request.token === PROCESSING_ERROR_TOKEN && (await this.store.claimFailure(idempotencyKey))) {
      throw new ProviderUnavailableError('The sandbox failed while processing (tok_processingError); retry.');
    }
    const charge = newCharge(request, idempotencyKey, this.now());
    const existing = await this.store.insert(charge);
    return replayAuthorization(existing ?? charge, request, idempotencyKey);
  }

  capture(chargeId: string, money: Money, idempotencyKey: string): Promise<ChargeState> {
    return this.operate(chargeId, { kind: 'capture', money }, idempotencyKey);
  }

  void(chargeId: string, idempotencyKey: string): Promise<ChargeState> {
    return this.operate(chargeId, { kind: 'void' }, idempotencyKey);
  }

  refund(chargeId: string, money: Money, idempotencyKey: string): Promise<ChargeState> {
    return this.operate(chargeId, { kind: 'refund', money }, idempotencyKey);
  }

  async charge(chargeId: string): Promise<ChargeRecord | undefined> {
    const charge = await this.store.get(chargeId);
    return charge && recordOf(charge);
  }

  /** One GetItem: the key determines the charge id, and unlike the by-order index the read is consistent. */
  async chargeAuthorizedWith(idempotencyKey: string): Promise<ChargeRecord | undefined> {
    const charge = await this.store.get(chargeIdFor(idempotencyKey));
    return charge?.authorizeKey === idempotencyKey ? recordOf(charge) : undefined;
  }

  private async operate(chargeId: string, operation: Operation, key: string): Promise<ChargeState> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const charge = await this.store.get(chargeId);
      if (!charge) throw new ChargeNotFoundError(chargeId);
      const decision = decide(charge, operation, key, this.now());
      if (decision.kind === 'replay') return decision.result;
      if (await this.store.replace(decision.next, charge.version)) return decision.result;
    }
    throw new ProviderUnavailableError(`Charge ${chargeId} is being changed by other requests; retry.`);
  }
}
