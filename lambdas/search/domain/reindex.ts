/**
 * Rebuilds the search index from the products table, for the stream records the indexer gave up
 * on: the DLQ holds only their metadata, and the stream keeps records for 24 hours, so the table is
 * the one source left to replay. Documents are written with the product's version as an external
 * version (domain/indexing.ts), so a document newer than what the table gave is never overwritten.
 *
 * Order matters, and makes it safe to run beside the live indexer:
 * 1. The DLQ messages are received (hidden) first: whatever they stand for happened before the
 *    scan starts, so the scan covers it. Messages that arrive later stay for the next run.
 * 2. The index's documents (id, version) are listed before the table is scanned. A product that
 *    exists for the whole (strongly consistent) scan is then always seen by it, so a listed
 *    document whose product the scan did not see belongs to a deleted product: an orphan.
 * 3. The table is scanned a page at a time, and each page is written at once: a product deleted
 *    right after it was read leaves the index a tombstone newer than the page's write, which wins.
 * 4. Orphans are deleted with their listed version + 1, as the indexer deletes (a newer write wins).
 * 5. Only when every product and orphan was handled are the DLQ messages deleted.
 */
import { planIndexAction } from './indexing.ts';
import type { SearchDocument } from './search-document.ts';

export interface IndexedVersion {
  productId: string;
  version: number;
}

export type BulkOperation =
  | { kind: 'upsert'; doc: SearchDocument; version: number }
  | { kind: 'remove'; productId: string; version: number };

/** Per operation: as SearchIndexPort's answers, or why the engine refused it. */
export type BulkOutcome = 'applied' | 'stale' | 'absent' | { error: string };

/** What the reindex needs from the search engine; the OpenSearch adapter implements it. */
export interface ReindexIndexPort {
  /** Every document's id and version, a page at a time. */
  versions(): AsyncIterable<IndexedVersion[]>;
  /** One bulk request; one outcome per operation, in order. */
  bulk(operations: BulkOperation[]): Promise<BulkOutcome[]>;
}

/** Product items as stored (the item format of docs/architecture.md), a page at a time. */
export interface ProductItemSource {
  pages(): AsyncIterable<Record<string, unknown>[]>;
}

export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
}

export interface FailureQueue {
  /** Receives (and hides) what the queue holds now, up to `max` messages. */
  receive(max: number): Promise<ReceivedMessage[]>;
  delete(messages: ReceivedMessage[]): Promise<void>;
  /** Makes received messages visible again at once, for the next run (an incomplete one's). */
  release(messages: ReceivedMessage[]): Promise<void>;
}

export interface ReindexSummary {
  /** DLQ messages received at the start; deleted only when `complete`. */
  dlqMessages: number;
  dlqDeleted: number;
  products: number;
  /** Documents written: missing, or older than the product. */
  written: number;
  /** Products the index already held at their version or a newer one. */
  current: number;
  orphansDeleted: number;
  /** Products that could not be indexed, and why (the DLQ keeps its messages then). */
  failures: { productId: string; error: string }[];
  /** False when the run stopped early (failures, or out of time). */
  complete: boolean;
}

export interface ReindexOptions {
  /** Most DLQ messages received per run; more stay for the next one. */
  maxMessages?: number;
  /** Operations per bulk request. */
  bulkSize?: number;
  /** Milliseconds left to run; the run stops, incomplete, when fewer than `reserveMs` remain. */
  timeLeftMs?: () => number;
  reserveMs?: number;
}

export const MAX_DLQ_MESSAGES = 10_000;

export async function reindex(
  deps: { index: ReindexIndexPort; products: ProductItemSource; dlq: FailureQueue },
  options: ReindexOptions = {},
): Promise<ReindexSummary> {
  const bulkSize = options.bulkSize ?? 500;
  const outOfTime = () =>
    options.timeLeftMs !== undefined && options.timeLeftMs() < (options.reserveMs ?? 60_000);
  const summary: ReindexSummary = {
    dlqMessages: 0,
    dlqDeleted: 0,
    products: 0,
    written: 0,
    current: 0,
    orphansDeleted: 0,
    failures: [],
    complete: false,
  };

  const messages = await deps.dlq.receive(options.maxMessages ?? MAX_DLQ_MESSAGES);
  summary.dlqMessages = messages.length;
  try {
    await rebuild(deps, summary, bulkSize, outOfTime);
  } finally {
    // Incomplete (a failure, the clock, an exception): the messages go back at once, so a rerun
    // sees them instead of waiting out their hidden time and then alarming again.
    if (!summary.complete) await deps.dlq.release(messages);
  }
  if (summary.complete) {
    await deps.dlq.delete(messages);
    summary.dlqDeleted = messages.length;
  }
  return summary;
}

/** Steps 2 to 4; `summary.complete` says whether every product and orphan was handled. */
async function rebuild(
  deps: { index: ReindexIndexPort; products: ProductItemSource },
  summary: ReindexSummary,
  bulkSize: number,
  outOfTime: () => boolean,
): Promise<void> {
  // Listed documents not yet matched by a product: what is left after the scan are orphans.
  const unmatched = new Map<string, number>();
  for await (const page of deps.index.versions()) {
    for (const { productId, version } of page) unmatched.set(productId, version);
  }
  const listed = new Map(unmatched);

  const send = async (operations: { op: BulkOperation; productId: string }[]) => {
    for (let i = 0; i < operations.length; i += bulkSize) {
      const chunk = operations.slice(i, i + bulkSize);
      const outcomes = await deps.index.bulk(chunk.map((c) => c.op));
      chunk.forEach(({ op, productId }, n) => {
        const outcome = outcomes[n] ?? { error: 'no answer for this operation' };
        if (typeof outcome === 'object') summary.failures.push({ productId, error: outcome.error });
        else if (op.kind === 'remove') summary.orphansDeleted += outcome === 'applied' ? 1 : 0;
        else if (outcome === 'applied') summary.written++;
        else summary.current++;
      });
    }
  };

  for await (const page of deps.products.pages()) {
    const writes: { op: BulkOperation; productId: string }[] = [];
    for (const item of page) {
      const productId = String(item.productId ?? String(item.pk ?? '').slice('PRODUCT#'.length));
      let action: ReturnType<typeof planIndexAction>;
      try {
        // A stored product is what an INSERT record carries: the indexer's own planning applies.
        action = planIndexAction({ eventName: 'INSERT', newImage: item });
      } catch (error) {
        summary.products++;
        unmatched.delete(productId);
        summary.failures.push({ productId, error: error instanceof Error ? error.message : String(error) });
        continue;
      }
      if (action.kind !== 'upsert') continue;
      summary.products++;
      unmatched.delete(action.doc.productId);
      const held = listed.get(action.doc.productId);
      // Already at this version or newer: nothing to write (a write would be refused anyway).
      if (held !== undefined && held >= action.version) {
        summary.current++;
        continue;
      }
      writes.push({ op: action, productId: action.doc.productId });
    }
    await send(writes);
    if (outOfTime()) return;
  }

  await send(
    [...unmatched].map(([productId, version]) => ({
      op: { kind: 'remove', productId, version: version + 1 },
      productId,
    })),
  );

  summary.complete = summary.failures.length === 0 && !outOfTime();
}
