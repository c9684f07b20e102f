/**
 * The DynamoDB adapter's pure parts: what a cancelled reservation's reasons mean, the item
 * layout, tokens and shards. Its behaviour against DynamoDB is in test/e2e/inventory.test.ts.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  fromReservationItem,
  holdOutcome,
  toReservationItem,
} from '#inventory/adapters/dynamodb-inventory-store.ts';
import { ReceiveStockSchema, SkuSchema } from '#inventory/domain/requests.ts';
import {
  allHeldShards,
  HELD_SHARDS,
  heldShardOf,
  type Reservation,
  requestToken,
} from '#inventory/domain/stock.ts';
import { ValidationError } from '#shared/errors.ts';
import { validate } from '#shared/validation.ts';

const reservation: Reservation = {
  orderId: 'o-1',
  lines: [
    { sku: 'A', quantity: 2 },
    { sku: 'B', quantity: 5 },
    { sku: 'C', quantity: 1 },
  ],
  status: 'HELD',
  expiresAt: 1_900_000_000,
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
};

const failed = (item?: Record<string, unknown>) => ({
  Code: 'ConditionalCheckFailed',
  ...(item ? { Item: marshall(item) } : {}),
});
const fine = { Code: 'None' };

describe('inventory adapter: cancellation reasons', () => {
  it('names exactly the SKUs whose condition failed, with the available count each item had', () => {
    expect(holdOutcome([fine, fine, failed({ pk: 'SKU#B', available: 3 }), failed()], reservation)).toEqual({
      kind: 'short',
      shortages: [
        { sku: 'B', requested: 5, available: 3 },
        { sku: 'C', requested: 1, available: 0 },
      ],
    });
  });

  it('reads an existing reservation first, whatever else failed', () => {
    const existing = { ...reservation, lines: [{ sku: 'A', quantity: 9 }] };
    expect(
      holdOutcome([failed(toReservationItem(existing)), failed({ available: 0 }), fine, fine], reservation),
    ).toEqual({
      kind: 'exists',
      reservation: existing,
    });
  });

  it('calls a conflict with another transaction contention, and anything else not its to decide', () => {
    expect(holdOutcome([fine, { Code: 'TransactionConflict' }, fine, fine], reservation)).toEqual({
      kind: 'contended',
    });
    expect(holdOutcome([fine, { Code: 'ValidationError' }, fine, fine], reservation)).toBeUndefined();
  });
});

describe('inventory adapter: items', () => {
  it('lists a reservation in the held index only while HELD', () => {
    const item = toReservationItem(reservation);
    expect(item).toMatchObject({
      pk: 'RESERVATION#o-1',
      sk: 'RESERVATION',
      lines: { A: 2, B: 5, C: 1 },
      heldShard: heldShardOf('o-1'),
      expiresAt: 1_900_000_000,
    });
    expect(toReservationItem({ ...reservation, status: 'RELEASED' })).not.toHaveProperty('heldShard');
    expect(fromReservationItem(item)).toEqual(reservation);
  });

  it('spreads orders over every shard and derives one short token per order and operation', () => {
    const shards = new Set(Array.from({ length: 200 }, (_, i) => heldShardOf(`order-${i}`)));
    expect([...shards].sort()).toEqual(allHeldShards().sort());
    expect(shards.size).toBe(HELD_SHARDS);
    const token = requestToken('order-1', 'reserve');
    expect(token).toHaveLength(36);
    expect(requestToken('order-1', 'reserve')).toBe(token);
    expect(
      new Set([token, requestToken('order-1', 'release'), requestToken('order-2', 'reserve')]).size,
    ).toBe(3);
  });
});

describe('inventory requests', () => {
  const paths = (schema: Parameters<typeof validate>[0], input: unknown) => {
    try {
      validate(schema, input);
      return [];
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return error.errors.map((e) => e.path);
    }
  };

  it('receives a whole number of units from 1 to a million, and nothing else', () => {
    expect(paths(ReceiveStockSchema, { quantity: 1 })).toEqual([]);
    expect(paths(ReceiveStockSchema, { quantity: 1_000_000 })).toEqual([]);
    for (const quantity of [0, -1, 1.5, '3', null, 1_000_001, Number.NaN, 2 ** 60]) {
      expect([...new Set(paths(ReceiveStockSchema, { quantity }))], String(quantity)).toEqual(['quantity']);
    }
    expect(paths(ReceiveStockSchema, { quantity: 1, price: 3 })).toEqual(['price']);
    expect(paths(ReceiveStockSchema, {})).toEqual(['quantity']);
  });

  it('takes SKUs in the catalog format only', () => {
    expect(paths(SkuSchema, 'LAMP-1_B')).toEqual([]);
    for (const sku of ['lamp-1', '', 'A'.repeat(65), 'A B', 'A/B', undefined]) {
      expect(paths(SkuSchema, sku), String(sku)).toEqual(['']);
    }
  });
});
