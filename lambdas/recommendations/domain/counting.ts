/**
 * "Bought together" counts (item-to-item collaborative filtering, Linden, Smith and York 2003):
 * n(p) = non-cancelled orders containing p; co(a, b) = those containing both a and b, kept for
 * both orders of the pair so each product's partners are one partition. Similarity is the cosine
 * over buyer counts, co(a, b) / sqrt(n(a) * n(b)), which does not merely favour best-sellers.
 *
 * An order's change is k + k(k-1) = k^2 item updates for k distinct products (capped at
 * MAX_PRODUCTS_PER_ORDER), applied in transactions of at most 100 items. Each transaction also
 * writes the order's record (`ORDER#<id>`: products, status, batchesDone), conditional on the
 * progress it found, so every batch applies exactly once: a second delivery finds the record
 * and does nothing, and a crash between batches is resumed by SQS's retry from `batchesDone`.
 * OrderCancelled reverses the same updates the same way, once.
 *
 * Each pair item stores the score computed at write time from the order record's n snapshot
 * (taken once per phase) and the pair's co read just before its batch; counts themselves are
 * atomic ADDs, so they stay exact whatever runs concurrently, while a stored score is only the
 * index the read path picks candidates by (the read path recomputes the exact cosine).
 */
import type { EventDetail } from '#events/catalog.ts';
import type { BatchWrite, CoPurchaseStore, OrderRecord, OrderStatus, PairUpdate } from './ports.ts';

/**
 * Products of one order that are counted: the first ones by line order. 25 products make 625
 * item updates (7 transactions); without a cap a 500-line order would make 250,000.
 */
export const MAX_PRODUCTS_PER_ORDER = 25;
/** DynamoDB's cap on a transaction; one of its items is the order record. */
export const TRANSACTION_ITEMS = 100;
export const UPDATES_PER_BATCH = TRANSACTION_ITEMS - 1;
/** Rounds of read-and-write before giving up (SQS then retries the message). */
const MAX_ROUNDS = 64;

export type Step = { kind: 'count'; productId: string } | { kind: 'pair'; a: string; b: string };

/** Distinct products by line order, at most MAX_PRODUCTS_PER_ORDER. */
export function productsOf(lines: readonly { productId: string }[]): string[] {
  const seen: string[] = [];
  for (const line of lines) {
    if (seen.length >= MAX_PRODUCTS_PER_ORDER) break;
    if (!seen.includes(line.productId)) seen.push(line.productId);
  }
  return seen;
}

/** Every update of an order, in a fixed order so a resumed order splits into the same batches. */
export function stepsOf(productIds: readonly string[]): Step[] {
  const steps: Step[] = productIds.map((productId) => ({ kind: 'count', productId }));
  for (const a of productIds) for (const b of productIds) if (a !== b) steps.push({ kind: 'pair', a, b });
  return steps;
}

export function batchesOf(productIds: readonly string[]): Step[][] {
  const steps = stepsOf(productIds);
  const batches: Step[][] = [];
  for (let i = 0; i < steps.length; i += UPDATES_PER_BATCH)
    batches.push(steps.slice(i, i + UPDATES_PER_BATCH));
  return batches;
}

/** co / sqrt(na * nb), in [0, 1]; 0 when any count is not positive. */
export function cosine(co: number, na: number, nb: number): number {
  if (co <= 0 || na <= 0 || nb <= 0) return 0;
  return Math.min(1, co / Math.sqrt(na * nb));
}

export const pairId = (a: string, b: string) => `${a}\n${b}`;

export interface CountingDeps {
  store: CoPurchaseStore;
}

export interface CountOutcome {
  status: OrderStatus;
  /** Batches this call applied (0 when another delivery had done them all). */
  batchesApplied: number;
}

type Phase = 'COUNTING' | 'UNCOUNTING';
const DONE: Record<Phase, OrderStatus> = { COUNTING: 'COUNTED', UNCOUNTING: 'UNCOUNTED' };

/** OrderPlaced: counts the order once (resuming a count a crash interrupted). */
export function countOrder(deps: CountingDeps, detail: EventDetail<'OrderPlaced'>): Promise<CountOutcome> {
  return drive(deps, detail.orderId, 'count', productsOf(detail.lines));
}

/**
 * OrderCancelled: takes a counted order back out, once. An order still being counted is finished
 * first (its record holds its products), so the reversal is always of the whole order; an order
 * not seen yet gets a tombstone, so an OrderPlaced delivered after its cancellation counts nothing.
 */
export function uncountOrder(
  deps: CountingDeps,
  detail: Pick<EventDetail<'OrderCancelled'>, 'orderId'>,
): Promise<CountOutcome> {
  return drive(deps, detail.orderId, 'uncount', []);
}

async function drive(
  deps: CountingDeps,
  orderId: string,
  intent: 'count' | 'uncount',
  placed: string[],
): Promise<CountOutcome> {
  let applied = 0;
  let record = await deps.store.getOrder(orderId);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const write = await nextWrite(deps, orderId, intent, placed, record);
    if (!write) return { status: record?.status ?? 'UNCOUNTED', batchesApplied: applied };
    if (await deps.store.applyBatch(write)) {
      applied += write.counts.length + write.pairs.length > 0 ? 1 : 0;
      record = write.to;
    } else {
      // Another delivery of the same order moved the record on: continue from where it is.
      record = await deps.store.getOrder(orderId);
    }
  }
  throw new Error(
    `Order ${orderId}: its co-purchase counts kept moving under this delivery; retrying later.`,
  );
}

/** The next batch to apply for `intent` from `record`, or undefined when there is none. */
async function nextWrite(
  deps: CountingDeps,
  orderId: string,
  intent: 'count' | 'uncount',
  placed: string[],
  record: OrderRecord | undefined,
): Promise<BatchWrite | undefined> {
  if (!record) {
    if (intent === 'uncount') {
      const tombstone: OrderRecord = {
        orderId,
        status: 'UNCOUNTED',
        productIds: [],
        batches: 0,
        batchesDone: 0,
        counts: {},
      };
      return { orderId, from: 'absent', to: tombstone, counts: [], pairs: [] };
    }
    return start(deps, orderId, 'COUNTING', placed, 'absent', 1);
  }
  switch (record.status) {
    case 'COUNTING':
    case 'UNCOUNTING':
      return batch(deps, record, record.status);
    case 'COUNTED':
      if (intent === 'count') return undefined;
      return start(
        deps,
        orderId,
        'UNCOUNTING',
        record.productIds,
        { status: 'COUNTED', batchesDone: record.batchesDone },
        -1,
      );
    case 'UNCOUNTED':
      return undefined;
  }
}

/** The first batch of a phase: n of the order's products read once, as they will be after it. */
async function start(
  deps: CountingDeps,
  orderId: string,
  phase: Phase,
  productIds: string[],
  from: BatchWrite['from'],
  delta: 1 | -1,
): Promise<BatchWrite> {
  const now = await deps.store.counts(productIds);
  const counts = Object.fromEntries(productIds.map((p) => [p, Math.max(0, (now.get(p) ?? 0) + delta)]));
  const batches = batchesOf(productIds).length;
  const record: OrderRecord = { orderId, status: phase, productIds, batches, batchesDone: 0, counts };
  return batch(deps, record, phase, from);
}

/** Batch `record.batchesDone` of the phase, with each pair's co read just before it. */
async function batch(
  deps: CountingDeps,
  record: OrderRecord,
  phase: Phase,
  from: BatchWrite['from'] = { status: record.status, batchesDone: record.batchesDone },
): Promise<BatchWrite> {
  const delta = phase === 'COUNTING' ? 1 : -1;
  const steps = batchesOf(record.productIds)[record.batchesDone] ?? [];
  const pairs = steps.flatMap((s) => (s.kind === 'pair' ? [{ a: s.a, b: s.b }] : []));
  const co = pairs.length > 0 ? await deps.store.pairCounts(pairs) : new Map<string, number>();
  const done = record.batchesDone + 1;
  return {
    orderId: record.orderId,
    from,
    to: { ...record, batchesDone: done, status: done >= record.batches ? DONE[phase] : phase },
    counts: steps.flatMap((s) => (s.kind === 'count' ? [{ productId: s.productId, delta }] : [])),
    pairs: pairs.map(({ a, b }): PairUpdate => {
      const next = Math.max(0, (co.get(pairId(a, b)) ?? 0) + delta);
      return { a, b, delta, co: next, score: cosine(next, record.counts[a] ?? 0, record.counts[b] ?? 0) };
    }),
  };
}
