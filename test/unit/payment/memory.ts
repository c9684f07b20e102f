/**
 * The payment service's stores in memory, on the same contracts as the DynamoDB adapters: the
 * sandbox ledger (conditional insert, version-checked replace) and a Powertools persistence
 * layer with the DynamoDB layer's put condition (absent, expired, or in progress past its expiry).
 */
import {
  IdempotencyItemAlreadyExistsError,
  IdempotencyItemNotFoundError,
} from '@aws-lambda-powertools/idempotency';
import { BasePersistenceLayer, IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import type { LedgerCharge } from '#payment/adapters/sandbox-ledger.ts';
import type { LedgerStore } from '#payment/adapters/sandbox-provider.ts';

export class InMemoryLedger implements LedgerStore {
  readonly charges = new Map<string, LedgerCharge>();
  readonly failures = new Set<string>();
  writes = 0;

  async insert(charge: LedgerCharge) {
    await tick();
    const existing = this.charges.get(charge.chargeId);
    if (existing) return structuredClone(existing);
    this.charges.set(charge.chargeId, structuredClone(charge));
    this.writes++;
    return undefined;
  }

  async get(chargeId: string) {
    await tick();
    const charge = this.charges.get(chargeId);
    return charge && structuredClone(charge);
  }

  async replace(next: LedgerCharge, expectedVersion: number) {
    await tick();
    if (this.charges.get(next.chargeId)?.version !== expectedVersion) return false;
    this.charges.set(next.chargeId, structuredClone(next));
    this.writes++;
    return true;
  }

  async claimFailure(key: string) {
    await tick();
    if (this.failures.has(key)) return false;
    this.failures.add(key);
    return true;
  }

  async listByOrder(orderId: string) {
    return [...this.charges.values()].filter((c) => c.orderId === orderId).map((c) => structuredClone(c));
  }
}

/** Lets concurrent calls interleave between a read and a write, as they do against a table. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

interface StoredRecord {
  status: string;
  expiryTimestamp?: number;
  inProgressExpiryTimestamp?: number;
  responseData?: unknown;
  payloadHash?: string;
}

export class InMemoryIdempotency extends BasePersistenceLayer {
  readonly records = new Map<string, StoredRecord>();

  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    await tick();
    const existing = this.records.get(record.idempotencyKey);
    const now = Date.now();
    const free =
      !existing ||
      (existing.expiryTimestamp !== undefined && existing.expiryTimestamp < now / 1000) ||
      (existing.status === 'INPROGRESS' &&
        existing.inProgressExpiryTimestamp !== undefined &&
        existing.inProgressExpiryTimestamp < now);
    if (!free) {
      throw new IdempotencyItemAlreadyExistsError(
        `Failed to put record for already existing idempotency key: ${record.idempotencyKey}`,
        this.toRecord(record.idempotencyKey, existing),
      );
    }
    this.records.set(record.idempotencyKey, this.stored(record));
  }

  protected async _getRecord(idempotencyKey: string): Promise<IdempotencyRecord> {
    const existing = this.records.get(idempotencyKey);
    if (!existing) throw new IdempotencyItemNotFoundError();
    return this.toRecord(idempotencyKey, existing);
  }

  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    this.records.set(record.idempotencyKey, this.stored(record));
  }

  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    this.records.delete(record.idempotencyKey);
  }

  private stored(record: IdempotencyRecord): StoredRecord {
    return {
      status: record.getStatus(),
      expiryTimestamp: record.expiryTimestamp,
      inProgressExpiryTimestamp: record.inProgressExpiryTimestamp,
      responseData: structuredClone(record.responseData),
      payloadHash: record.payloadHash,
    };
  }

  private toRecord(idempotencyKey: string, stored: StoredRecord): IdempotencyRecord {
    return new IdempotencyRecord({
      idempotencyKey,
      status: stored.status as never,
      expiryTimestamp: stored.expiryTimestamp,
      inProgressExpiryTimestamp: stored.inProgressExpiryTimestamp,
      responseData: structuredClone(stored.responseData) as never,
      payloadHash: stored.payloadHash,
    });
  }
}
