import { beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  InventoryBusyError,
  OutOfStockError,
  ReservationCommittedError,
  ReservationConflictError,
  ReservationNotFoundError,
  ReservationReleasedError,
} from '#inventory/domain/errors.ts';
import { ReserveStepInputSchema } from '#inventory/domain/requests.ts';
import { epochSeconds } from '#inventory/domain/stock.ts';
import { getStock, type InventoryDeps, receiveStock } from '#inventory/domain/use-cases.ts';
import { inventoryStep, StepError } from '#inventory/handlers/inventory-step.ts';
import {
  commitReservationStep,
  DEFAULT_RESERVATION_TTL_SECONDS,
  releaseInventoryStep,
  reservationTtlSeconds,
  reserveInventoryStep,
} from '#inventory/handlers/saga-steps.ts';
import { ValidationError } from '#shared/errors.ts';
import type { RetryPolicy } from '#shared/retry.ts';
import { InMemoryInventory } from './memory-store.ts';

let store: InMemoryInventory;
let now: Date;
let deps: InventoryDeps;

beforeEach(() => {
  store = new InMemoryInventory();
  now = new Date('2030-01-01T00:00:00.000Z');
  const retry: RetryPolicy = { attempts: 3, baseMs: 1, capMs: 1, sleep: async () => {}, random: () => 0 };
  deps = { store, now: () => now, retry };
});

const counts = async (sku: string) => {
  const { available, reserved, sold } = await getStock(deps, sku);
  return { available, reserved, sold };
};

/** A line as the state machine passes it: the order's line, with more than the step reads. */
const line = (sku: string, quantity: number) => ({
  sku,
  productId: `prod-${sku}`,
  quantity,
  unitPrice: { amount: 1250, currency: 'USD' },
  name: `Product ${sku}`,
});

/** The SKUs an OutOfStock message names, parsed as a state machine's consumer of the Cause would. */
const skusIn = (message: string) =>
  [...message.matchAll(/([A-Z0-9_-]+) \(wanted \d+, available \d+\)/g)].map((m) => m[1]);

describe('the inventory step wrapper', () => {
  const echo = inventoryStep({
    step: 'ReserveInventory',
    schema: ReserveStepInputSchema,
    run: async (input) => input,
  });

  it('strips what the step does not read, on the input and on each line', async () => {
    expect(
      await echo({ orderId: 'o-1', customerId: 'c-1', total: 2500, lines: [line('A', 2)], extra: { x: 1 } }),
    ).toEqual({ orderId: 'o-1', lines: [{ sku: 'A', quantity: 2 }] });
  });

  it.each([
    ['nothing', undefined, ['input']],
    ['a string', 'o-1', ['input']],
    ['no lines', { orderId: 'o-1' }, ['lines']],
    ['no line', { orderId: 'o-1', lines: [] }, ['lines']],
    [
      'a bad order id and SKU',
      { orderId: 'o 1', lines: [{ sku: 'a b', quantity: 1 }] },
      ['orderId', 'lines.0.sku'],
    ],
    ['a quantity of 0', { orderId: 'o-1', lines: [{ sku: 'A', quantity: 0 }] }, ['lines.0.quantity']],
  ])('refuses %s as InvalidStepInput, naming the fields', async (_, input, paths) => {
    const error = await echo(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepError);
    expect(error).toMatchObject({ name: 'InvalidStepInput' });
    for (const path of paths) expect((error as Error).message).toContain(`${path}: `);
    expect((error as Error).message).toMatch(/^ReserveInventory: invalid input \(/);
  });

  it.each([
    [new OutOfStockError([{ sku: 'A', requested: 2, available: 0 }]), 'OutOfStock'],
    [new ReservationConflictError('o-1'), 'ReservationConflict'],
    [new ReservationNotFoundError('o-1'), 'ReservationNotFound'],
    [new ReservationReleasedError('o-1'), 'ReservationReleased'],
    [new ReservationCommittedError('o-1'), 'ReservationCommitted'],
    [new InventoryBusyError('Settling order o-1'), 'InventoryBusy'],
    [
      new ValidationError('The reservation is invalid.', [{ path: 'ttlSeconds', message: 'Too big' }]),
      'InvalidStepInput',
    ],
  ])('rethrows %s under the short name %s, keeping the message and the cause', async (domain, name) => {
    const failing = inventoryStep({
      step: 'CommitReservation',
      schema: z.object({ orderId: z.string() }),
      run: async () => {
        throw domain;
      },
    });
    const error = await failing({ orderId: 'o-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepError);
    expect(error).toMatchObject({ name, cause: domain });
    if (name !== 'InvalidStepInput') expect((error as Error).message).toBe(domain.message);
    else expect((error as Error).message).toContain('ttlSeconds: Too big');
  });

  it('rethrows anything unexpected as it is', async () => {
    const unexpected = Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    const failing = inventoryStep({
      step: 'ReleaseInventory',
      schema: z.object({ orderId: z.string() }),
      run: async () => {
        throw unexpected;
      },
    });
    await expect(failing({ orderId: 'o-1' })).rejects.toBe(unexpected);
  });
});

describe('ReserveInventory', () => {
  const reserve = () => reserveInventoryStep(deps, DEFAULT_RESERVATION_TTL_SECONDS);

  beforeEach(async () => {
    await receiveStock(deps, 'A', 10);
    await receiveStock(deps, 'B', 2);
  });

  it('holds every line for the TTL and answers the reservation, from input with extra fields', async () => {
    const input = { orderId: 'o-1', cartId: 'c-1', lines: [line('B', 1), line('A', 3)] };
    expect(await reserve()(input)).toEqual({
      orderId: 'o-1',
      status: 'HELD',
      expiresAt: epochSeconds(now) + 900,
      lines: [
        { sku: 'A', quantity: 3 },
        { sku: 'B', quantity: 1 },
      ],
    });
    expect(await counts('A')).toEqual({ available: 7, reserved: 3, sold: 0 });
    expect(await counts('B')).toEqual({ available: 1, reserved: 1, sold: 0 });
  });

  it('refuses with OutOfStock naming exactly the short SKUs, parseably, and holds nothing', async () => {
    const error = await reserve()({
      orderId: 'o-1',
      lines: [line('A', 3), line('B', 5), line('NEVER-RECEIVED', 1)],
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'OutOfStock' });
    const { message } = error as Error;
    expect(message).toBe('Out of stock: B (wanted 5, available 2), NEVER-RECEIVED (wanted 1, available 0).');
    expect(skusIn(message)).toEqual(['B', 'NEVER-RECEIVED']);
    expect(((error as StepError).cause as OutOfStockError).skus).toEqual(['B', 'NEVER-RECEIVED']);
    expect(await counts('A')).toEqual({ available: 10, reserved: 0, sold: 0 });
    expect(store.reservations.size).toBe(0);
  });

  it('answers a repeat with the same hold, never a second one, even a later repeat', async () => {
    const input = { orderId: 'o-1', lines: [line('A', 2)] };
    const first = await reserve()(input);
    now = new Date(now.getTime() + 60_000);
    expect(await reserve()(input)).toEqual(first);
    expect(store.holds).toBe(1);
    expect(await counts('A')).toEqual({ available: 8, reserved: 2, sold: 0 });
  });

  it('refuses other lines for the same order as ReservationConflict', async () => {
    await reserve()({ orderId: 'o-1', lines: [line('A', 2)] });
    await expect(reserve()({ orderId: 'o-1', lines: [line('A', 3)] })).rejects.toMatchObject({
      name: 'ReservationConflict',
    });
    expect(await counts('A')).toMatchObject({ reserved: 2 });
  });

  it('answers persistent contention as InventoryBusy, a transient failure', async () => {
    store.contend = 10;
    await expect(reserve()({ orderId: 'o-1', lines: [line('A', 1)] })).rejects.toMatchObject({
      name: 'InventoryBusy',
    });
    expect(store.reservations.size).toBe(0);
  });

  it('holds for the configured TTL, 900 s by default, validated at cold start', async () => {
    expect(reservationTtlSeconds({})).toBe(900);
    expect(reservationTtlSeconds({ RESERVATION_TTL_SECONDS: '120' })).toBe(120);
    for (const bad of ['', '0', 'soon', '1.5', '86401']) {
      expect(() => reservationTtlSeconds({ RESERVATION_TTL_SECONDS: bad }), bad).toThrow(
        /^Invalid environment: RESERVATION_TTL_SECONDS/,
      );
    }
    const held = await reserveInventoryStep(deps, 120)({ orderId: 'o-1', lines: [line('A', 1)] });
    expect(held.expiresAt).toBe(epochSeconds(now) + 120);
  });
});

describe('CommitReservation and ReleaseInventory', () => {
  const commit = (orderId: string) => commitReservationStep(deps)({ orderId, at: 'ignored' });
  const release = (orderId: string) => releaseInventoryStep(deps)({ orderId });

  beforeEach(async () => {
    await receiveStock(deps, 'A', 10);
    await reserveInventoryStep(deps, 900)({ orderId: 'o-1', lines: [line('A', 4)] });
  });

  it('commits once: a repeat answers already-committed and moves nothing again', async () => {
    expect(await commit('o-1')).toEqual({ orderId: 'o-1', outcome: 'committed' });
    expect(await commit('o-1')).toEqual({ orderId: 'o-1', outcome: 'already-committed' });
    expect(await counts('A')).toEqual({ available: 6, reserved: 0, sold: 4 });
    expect(store.settles).toBe(1);
  });

  it('refuses to commit what was never reserved, or was released, by name', async () => {
    await expect(commit('o-2')).rejects.toMatchObject({
      name: 'ReservationNotFound',
      message: 'Order o-2 has no reservation.',
    });
    await release('o-1');
    await expect(commit('o-1')).rejects.toMatchObject({ name: 'ReservationReleased' });
    expect(await counts('A')).toEqual({ available: 10, reserved: 0, sold: 0 });
  });

  it('releases once, tolerating nothing held, and refuses to release sold units', async () => {
    expect(await release('o-1')).toEqual({ orderId: 'o-1', outcome: 'released' });
    expect(await release('o-1')).toEqual({ orderId: 'o-1', outcome: 'already-released' });
    expect(await release('o-never')).toEqual({ orderId: 'o-never', outcome: 'nothing-held' });
    expect(await counts('A')).toEqual({ available: 10, reserved: 0, sold: 0 });
    await reserveInventoryStep(deps, 900)({ orderId: 'o-2', lines: [line('A', 1)] });
    await commit('o-2');
    await expect(release('o-2')).rejects.toMatchObject({ name: 'ReservationCommitted' });
    expect(await counts('A')).toEqual({ available: 9, reserved: 0, sold: 1 });
  });

  it('answers persistent contention as InventoryBusy and bad input as InvalidStepInput', async () => {
    store.contend = 100;
    await expect(commit('o-1')).rejects.toMatchObject({ name: 'InventoryBusy' });
    await expect(release('o-1')).rejects.toMatchObject({ name: 'InventoryBusy' });
    store.contend = 0;
    await expect(releaseInventoryStep(deps)({})).rejects.toMatchObject({ name: 'InvalidStepInput' });
    await expect(commitReservationStep(deps)({ orderId: 'o/1' })).rejects.toMatchObject({
      name: 'InvalidStepInput',
    });
    expect(await counts('A')).toEqual({ available: 6, reserved: 4, sold: 0 });
  });
});
