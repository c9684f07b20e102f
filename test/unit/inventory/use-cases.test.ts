import { beforeEach, describe, expect, it } from 'vitest';
import {
  InventoryBusyError,
  OutOfStockError,
  ReservationCommittedError,
  ReservationConflictError,
  ReservationNotFoundError,
  ReservationReleasedError,
  StockLimitError,
  StockNotFoundError,
} from '#inventory/domain/errors.ts';
import { MAX_STOCK } from '#inventory/domain/stock.ts';
import {
  commit,
  getStock,
  type InventoryDeps,
  reapExpired,
  receiveStock,
  release,
  reserve,
  returnStock,
} from '#inventory/domain/use-cases.ts';
import { ValidationError } from '#shared/errors.ts';
import type { RetryPolicy } from '#shared/retry.ts';
import { InMemoryInventory } from './memory-store.ts';

let store: InMemoryInventory;
let now: Date;
let sleeps: number[];
let deps: InventoryDeps;

beforeEach(() => {
  store = new InMemoryInventory();
  now = new Date('2030-01-01T00:00:00.000Z');
  sleeps = [];
  const retry: RetryPolicy = {
    attempts: 4,
    baseMs: 10,
    capMs: 100,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
  };
  deps = { store, now: () => now, retry };
});

const later = (seconds: number) => {
  now = new Date(now.getTime() + seconds * 1000);
};

async function counts(sku: string) {
  const { available, reserved, sold } = await getStock(deps, sku);
  return { available, reserved, sold };
}

describe('inventory: receiving and reading stock', () => {
  it('creates a SKU on its first receipt and adds to it after, one version per write', async () => {
    await expect(getStock(deps, 'LAMP-1')).rejects.toBeInstanceOf(StockNotFoundError);
    expect(await receiveStock(deps, 'LAMP-1', 5)).toEqual({
      sku: 'LAMP-1',
      available: 5,
      reserved: 0,
      sold: 0,
      version: 1,
    });
    expect(await receiveStock(deps, 'LAMP-1', 7)).toMatchObject({ available: 12, version: 2 });
    expect(await getStock(deps, 'LAMP-1')).toMatchObject({ available: 12, version: 2 });
    expect(store.invariantHolds()).toBe(true);
  });

  it('refuses a receipt that would pass the most a SKU may receive', async () => {
    await receiveStock(deps, 'BIG', MAX_STOCK - 1);
    await expect(receiveStock(deps, 'BIG', 2)).rejects.toBeInstanceOf(StockLimitError);
    expect((await getStock(deps, 'BIG')).available).toBe(MAX_STOCK - 1);
  });
});

describe('inventory: reserve', () => {
  beforeEach(async () => {
    await receiveStock(deps, 'A', 10);
    await receiveStock(deps, 'B', 3);
  });

  it('holds every line: available -> reserved, with the expiry asked for', async () => {
    const held = await reserve(deps, {
      orderId: 'o-1',
      lines: [
        { sku: 'B', quantity: 2 },
        { sku: 'A', quantity: 4 },
      ],
      ttlSeconds: 900,
    });
    expect(held).toMatchObject({
      orderId: 'o-1',
      status: 'HELD',
      lines: [
        { sku: 'A', quantity: 4 },
        { sku: 'B', quantity: 2 },
      ],
      expiresAt: Date.parse('2030-01-01T00:15:00Z') / 1000,
    });
    expect(await counts('A')).toEqual({ available: 6, reserved: 4, sold: 0 });
    expect(await counts('B')).toEqual({ available: 1, reserved: 2, sold: 0 });
    expect(store.invariantHolds()).toBe(true);
  });

  it('sums the lines of a SKU named twice', async () => {
    const held = await reserve(deps, {
      orderId: 'o-dup',
      lines: [
        { sku: 'A', quantity: 1 },
        { sku: 'A', quantity: 2 },
      ],
      ttlSeconds: 60,
    });
    expect(held.lines).toEqual([{ sku: 'A', quantity: 3 }]);
    expect(await counts('A')).toMatchObject({ available: 7, reserved: 3 });
  });

  it('reserves nothing when one SKU is short, and names exactly the short SKUs with what they have', async () => {
    const error = await reserve(deps, {
      orderId: 'o-short',
      lines: [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 4 },
        { sku: 'NEVER', quantity: 1 },
      ],
      ttlSeconds: 60,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutOfStockError);
    const outOfStock = error as OutOfStockError;
    expect(outOfStock.code).toBe('OUT_OF_STOCK');
    expect(outOfStock.skus).toEqual(['B', 'NEVER']);
    expect(outOfStock.shortages).toEqual([
      { sku: 'B', requested: 4, available: 3 },
      { sku: 'NEVER', requested: 1, available: 0 },
    ]);
    expect(outOfStock.message).toContain('B (wanted 4, available 3)');
    expect(await counts('A')).toEqual({ available: 10, reserved: 0, sold: 0 });
    expect(await store.getReservation('o-short')).toBeUndefined();
  });

  it('answers a repeat with the same lines with the reservation, without a second hold', async () => {
    const lines = [{ sku: 'A', quantity: 2 }];
    const first = await reserve(deps, { orderId: 'o-again', lines, ttlSeconds: 60 });
    later(5);
    const again = await reserve(deps, { orderId: 'o-again', lines: [...lines], ttlSeconds: 600 });
    expect(again).toEqual(first);
    expect(store.holds).toBe(1);
    expect(await counts('A')).toMatchObject({ available: 8, reserved: 2 });
  });

  it('refuses a repeat for the same order with other lines', async () => {
    await reserve(deps, { orderId: 'o-other', lines: [{ sku: 'A', quantity: 2 }], ttlSeconds: 60 });
    for (const lines of [
      [{ sku: 'A', quantity: 3 }],
      [{ sku: 'B', quantity: 2 }],
      [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ],
    ]) {
      await expect(reserve(deps, { orderId: 'o-other', lines, ttlSeconds: 60 })).rejects.toBeInstanceOf(
        ReservationConflictError,
      );
    }
    expect(await counts('A')).toMatchObject({ available: 8, reserved: 2 });
    expect(await counts('B')).toMatchObject({ available: 3, reserved: 0 });
  });

  it('never holds again for an order whose reservation was released', async () => {
    const lines = [{ sku: 'A', quantity: 2 }];
    await reserve(deps, { orderId: 'o-gone', lines, ttlSeconds: 60 });
    await release(deps, 'o-gone');
    expect(await reserve(deps, { orderId: 'o-gone', lines, ttlSeconds: 60 })).toMatchObject({
      status: 'RELEASED',
    });
    expect(await counts('A')).toMatchObject({ available: 10, reserved: 0 });
  });

  it('refuses malformed requests as bad input', async () => {
    for (const request of [
      { orderId: 'o', lines: [], ttlSeconds: 60 },
      { orderId: 'o', lines: [{ sku: 'A', quantity: 0 }], ttlSeconds: 60 },
      { orderId: 'o', lines: [{ sku: 'lower', quantity: 1 }], ttlSeconds: 60 },
      { orderId: 'o o', lines: [{ sku: 'A', quantity: 1 }], ttlSeconds: 60 },
      { orderId: 'o', lines: [{ sku: 'A', quantity: 1 }], ttlSeconds: 0 },
      {
        orderId: 'o',
        lines: Array.from({ length: 51 }, (_, i) => ({ sku: `S${i}`, quantity: 1 })),
        ttlSeconds: 1,
      },
    ]) {
      await expect(reserve(deps, request), JSON.stringify(request)).rejects.toBeInstanceOf(ValidationError);
    }
    expect(store.holds).toBe(0);
  });
});

describe('inventory: commit and release', () => {
  const lines = [
    { sku: 'A', quantity: 3 },
    { sku: 'B', quantity: 1 },
  ];
  beforeEach(async () => {
    await receiveStock(deps, 'A', 10);
    await receiveStock(deps, 'B', 3);
    await reserve(deps, { orderId: 'o-1', lines, ttlSeconds: 60 });
  });

  it('commit moves reserved to sold, once however often it is repeated', async () => {
    expect(await commit(deps, 'o-1')).toEqual({ orderId: 'o-1', outcome: 'committed' });
    expect(await commit(deps, 'o-1')).toEqual({ orderId: 'o-1', outcome: 'already-committed' });
    expect(await counts('A')).toEqual({ available: 7, reserved: 0, sold: 3 });
    expect(await counts('B')).toEqual({ available: 2, reserved: 0, sold: 1 });
    expect(store.settles).toBe(1);
    expect(store.invariantHolds()).toBe(true);
  });

  it('release returns the units, once however often it is repeated, and tolerates nothing to undo', async () => {
    expect(await release(deps, 'o-1')).toEqual({ orderId: 'o-1', outcome: 'released' });
    expect(await release(deps, 'o-1')).toEqual({ orderId: 'o-1', outcome: 'already-released' });
    expect(await release(deps, 'o-never')).toEqual({ orderId: 'o-never', outcome: 'nothing-held' });
    expect(await counts('A')).toEqual({ available: 10, reserved: 0, sold: 0 });
    expect(store.settles).toBe(1);
    expect(store.invariantHolds()).toBe(true);
  });

  it('refuses to commit a released reservation, so the saga compensates instead of overselling', async () => {
    await release(deps, 'o-1');
    await expect(commit(deps, 'o-1')).rejects.toBeInstanceOf(ReservationReleasedError);
    await expect(commit(deps, 'o-none')).rejects.toBeInstanceOf(ReservationNotFoundError);
    expect(await counts('A')).toEqual({ available: 10, reserved: 0, sold: 0 });
  });

  it('refuses to release a committed reservation', async () => {
    await commit(deps, 'o-1');
    await expect(release(deps, 'o-1')).rejects.toBeInstanceOf(ReservationCommittedError);
    expect(await counts('A')).toEqual({ available: 7, reserved: 0, sold: 3 });
  });

  it('commits a hold past its expiry that the reaper has not released: its units are still set aside', async () => {
    later(120);
    expect(await commit(deps, 'o-1')).toMatchObject({ outcome: 'committed' });
  });

  it('decides again when the reservation changes between the read and the write', async () => {
    const settle = store.settle.bind(store);
    // A concurrent release lands between commit's read and its write.
    store.settle = async (reservation, to, at, expiredBy) => {
      store.settle = settle;
      await settle(reservation, 'RELEASED', at);
      return settle(reservation, to, at, expiredBy);
    };
    await expect(commit(deps, 'o-1')).rejects.toBeInstanceOf(ReservationReleasedError);
    expect(await counts('A')).toEqual({ available: 10, reserved: 0, sold: 0 });
  });
});

describe('inventory: contention', () => {
  it('retries a contended write with jittered, growing waits, then succeeds', async () => {
    await receiveStock(deps, 'A', 5);
    store.contend = 2;
    await reserve(deps, { orderId: 'o-1', lines: [{ sku: 'A', quantity: 1 }], ttlSeconds: 60 });
    // random() = 0.5 of min(cap, base * 2^attempt).
    expect(sleeps).toEqual([10, 20]);
    expect(store.holds).toBe(1);
  });

  it('gives up after a bounded number of attempts, having written nothing', async () => {
    await receiveStock(deps, 'A', 5);
    store.contend = 100;
    await expect(
      reserve(deps, { orderId: 'o-1', lines: [{ sku: 'A', quantity: 1 }], ttlSeconds: 60 }),
    ).rejects.toBeInstanceOf(InventoryBusyError);
    expect(sleeps).toHaveLength(3);
    expect(store.holds).toBe(0);
    store.contend = 0;
    expect(await counts('A')).toEqual({ available: 5, reserved: 0, sold: 0 });
  });
});

describe('inventory: the reaper', () => {
  beforeEach(async () => {
    await receiveStock(deps, 'A', 10);
  });

  it('releases the expired holds only, and a second run finds nothing', async () => {
    await reserve(deps, { orderId: 'short', lines: [{ sku: 'A', quantity: 2 }], ttlSeconds: 30 });
    await reserve(deps, { orderId: 'long', lines: [{ sku: 'A', quantity: 3 }], ttlSeconds: 600 });
    await reserve(deps, { orderId: 'paid', lines: [{ sku: 'A', quantity: 1 }], ttlSeconds: 30 });
    await commit(deps, 'paid');
    later(30);
    expect(await reapExpired(deps)).toEqual({ found: 1, released: 1, skipped: 0, failed: 0 });
    expect((await store.getReservation('short'))?.status).toBe('RELEASED');
    expect((await store.getReservation('long'))?.status).toBe('HELD');
    expect(await counts('A')).toEqual({ available: 6, reserved: 3, sold: 1 });
    expect(await reapExpired(deps)).toEqual({ found: 0, released: 0, skipped: 0, failed: 0 });
    expect(store.invariantHolds()).toBe(true);
  });

  it('skips a hold its saga committed after the listing', async () => {
    await reserve(deps, { orderId: 'race', lines: [{ sku: 'A', quantity: 2 }], ttlSeconds: 30 });
    later(31);
    const list = store.expiredHolds.bind(store);
    store.expiredHolds = async (at, limit) => {
      const found = await list(at, limit);
      await commit(deps, 'race');
      return found;
    };
    expect(await reapExpired(deps)).toEqual({ found: 1, released: 0, skipped: 1, failed: 0 });
    expect(await counts('A')).toEqual({ available: 8, reserved: 0, sold: 2 });
  });

  it('releases at most one batch per run', async () => {
    for (let i = 0; i < 5; i++) {
      await reserve(deps, { orderId: `o-${i}`, lines: [{ sku: 'A', quantity: 1 }], ttlSeconds: 1 });
    }
    later(2);
    expect(await reapExpired(deps, 3)).toMatchObject({ found: 3, released: 3 });
    expect(await reapExpired(deps, 3)).toMatchObject({ found: 2, released: 2 });
    expect(await counts('A')).toEqual({ available: 10, reserved: 0, sold: 0 });
  });
});

describe('returnStock (a cancelled order)', () => {
  it('moves sold units back to available once, and has nothing to return for an order that never sold', async () => {
    const store = new InMemoryInventory();
    const deps = { store, now: () => new Date('2026-01-01T00:00:00Z') };
    await receiveStock(deps, 'RET-1', 5);
    await reserve(deps, { orderId: 'o-ret', lines: [{ sku: 'RET-1', quantity: 2 }], ttlSeconds: 60 });
    expect(await returnStock(deps, 'o-ret')).toEqual({
      orderId: 'o-ret',
      outcome: 'nothing-sold',
      lines: [],
    });
    await commit(deps, 'o-ret');
    expect((await getStock(deps, 'RET-1')).sold).toBe(2);
    const first = await returnStock(deps, 'o-ret');
    expect(first.outcome).toBe('returned');
    expect(first.lines).toEqual([{ sku: 'RET-1', quantity: 2 }]);
    expect(await returnStock(deps, 'o-ret')).toMatchObject({ outcome: 'already-returned' });
    expect(await getStock(deps, 'RET-1')).toMatchObject({ available: 5, reserved: 0, sold: 0 });
    expect(store.invariantHolds()).toBe(true);
    // A returned reservation is never released or committed again.
    await expect(release(deps, 'o-ret')).rejects.toMatchObject({ name: 'ReservationCommittedError' });
    expect(await returnStock(deps, 'o-unknown')).toMatchObject({ outcome: 'nothing-sold' });
  });
});
