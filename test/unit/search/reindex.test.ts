import { describe, expect, it } from 'vitest';
import type { Transport } from '#search/adapters/opensearch-transport.ts';
import { OpenSearchReindexIndex, SqsFailureQueue } from '#search/adapters/reindex.ts';
import {
  type BulkOperation,
  type BulkOutcome,
  type FailureQueue,
  type IndexedVersion,
  type ProductItemSource,
  type ReceivedMessage,
  type ReindexIndexPort,
  reindex,
} from '#search/domain/reindex.ts';
import type { SearchDocument } from '#search/domain/search-document.ts';

/**
 * A fake index with OpenSearch's external-versioning rules: a write or delete applies only with a
 * version above the stored one, and a delete leaves a versioned tombstone.
 */
class FakeIndex implements ReindexIndexPort {
  readonly docs = new Map<string, { doc?: SearchDocument; version: number }>();
  readonly bulks: BulkOperation[][] = [];
  /** Runs after the listing, before the first bulk: what the live indexer does meanwhile. */
  afterListing?: () => void;

  put(productId: string, version: number, name = `${productId} v${version}`) {
    this.docs.set(productId, { doc: { productId, name } as SearchDocument, version });
  }

  async *versions(): AsyncIterable<IndexedVersion[]> {
    const live = [...this.docs]
      .filter(([, d]) => d.doc)
      .map(([productId, d]) => ({ productId, version: d.version }));
    // Two pages, as the adapter pages.
    yield live.slice(0, 2);
    yield live.slice(2);
    this.afterListing?.();
  }

  async bulk(operations: BulkOperation[]): Promise<BulkOutcome[]> {
    this.bulks.push(operations);
    return operations.map((op) => {
      const id = op.kind === 'upsert' ? op.doc.productId : op.productId;
      const current = this.docs.get(id);
      if (current && current.version >= op.version) return 'stale';
      if (op.kind === 'upsert') {
        this.docs.set(id, { doc: op.doc, version: op.version });
        return 'applied';
      }
      this.docs.set(id, { version: op.version });
      return current?.doc ? 'applied' : 'absent';
    });
  }

  live(productId: string) {
    return this.docs.get(productId)?.doc;
  }
}

class FakeTable implements ProductItemSource {
  readonly items: Record<string, unknown>[] = [];
  /** Runs after each page has been handed out. */
  afterPage?: (page: number) => void;

  add(productId: string, version: number, extra: Record<string, unknown> = {}) {
    this.items.push({
      pk: `PRODUCT#${productId}`,
      sk: 'PRODUCT',
      productId,
      name: `${productId} v${version}`,
      brand: 'Lumen',
      category: 'home',
      variants: [{ sku: `${productId}-1`, attributes: {}, price: { amount: 100, currency: 'USD' } }],
      createdAt: '2026-01-01T00:00:00.000Z',
      version,
      gsi1pk: 'CATEGORY#home',
      ...extra,
    });
  }

  async *pages(): AsyncIterable<Record<string, unknown>[]> {
    for (let i = 0; i < this.items.length; i += 2) {
      yield this.items.slice(i, i + 2);
      this.afterPage?.(i / 2);
    }
  }
}

class FakeQueue implements FailureQueue {
  readonly visible: ReceivedMessage[] = [];
  readonly received: ReceivedMessage[] = [];
  readonly deleted: string[] = [];

  send(id: string) {
    this.visible.push({ messageId: id, receiptHandle: `rh-${id}`, body: '{"DDBStreamBatchInfo":{}}' });
  }

  async receive(max: number) {
    const got = this.visible.splice(0, max);
    this.received.push(...got);
    return got;
  }

  async delete(messages: ReceivedMessage[]) {
    this.deleted.push(...messages.map((m) => m.messageId));
  }

  /** Released messages are visible again, for the next receive. */
  async release(messages: ReceivedMessage[]) {
    this.visible.push(...messages);
  }
}

function world() {
  const index = new FakeIndex();
  const table = new FakeTable();
  const dlq = new FakeQueue();
  return { index, table, dlq, deps: { index, products: table, dlq } };
}

describe('reindex', () => {
  it('adds missing documents, replaces stale ones, leaves newer ones, deletes orphans, clears the DLQ', async () => {
    const { index, table, dlq, deps } = world();
    table.add('missing', 2);
    table.add('stale', 3);
    table.add('newer', 2);
    table.add('current', 4);
    // A SKU claim is no product: nothing to index.
    table.items.push({ pk: 'SKU#X-1', sk: 'SKU', productId: 'current', name: 'X', price: { amount: 1 } });
    index.put('stale', 1);
    index.put('newer', 5, 'written by the indexer after the scan read version 2');
    index.put('current', 4, 'current v4');
    index.put('orphan', 7);
    for (const id of ['m1', 'm2', 'm3']) dlq.send(id);
    // A record fails while the run goes on: its message is not one the run was started for.
    table.afterPage = (page) => {
      if (page === 0) dlq.send('late');
    };

    const summary = await reindex(deps, { bulkSize: 2 });

    expect(index.live('missing')).toMatchObject({ name: 'missing v2' });
    expect(index.docs.get('missing')?.version).toBe(2);
    expect(index.live('stale')).toMatchObject({ name: 'stale v3' });
    expect(index.docs.get('stale')?.version).toBe(3);
    expect(index.live('newer')).toMatchObject({
      name: 'written by the indexer after the scan read version 2',
    });
    expect(index.docs.get('newer')?.version).toBe(5);
    expect(index.live('current')).toMatchObject({ name: 'current v4' });
    expect(index.live('orphan')).toBeUndefined();
    // Deleted as the indexer deletes: one above the last version, so a late replay of v7 loses.
    expect(index.docs.get('orphan')?.version).toBe(8);
    expect(dlq.deleted).toEqual(['m1', 'm2', 'm3']);
    expect(dlq.visible.map((m) => m.messageId)).toEqual(['late']);
    expect(summary).toEqual({
      dlqMessages: 3,
      dlqDeleted: 3,
      products: 4,
      written: 2,
      current: 2,
      orphansDeleted: 1,
      failures: [],
      complete: true,
    });
    // Only what needed a write was sent, with the product's version as the external version.
    const sent = index.bulks
      .flat()
      .map((op) =>
        op.kind === 'upsert'
          ? `index ${op.doc.productId}@${op.version}`
          : `delete ${op.productId}@${op.version}`,
      );
    expect(sent).toEqual(['index missing@2', 'index stale@3', 'delete orphan@8']);
  });

  it('never overwrites a document the live indexer made newer after the listing', async () => {
    const { index, table, deps } = world();
    table.add('raced', 3);
    index.put('raced', 1);
    index.afterListing = () => index.put('raced', 4, 'the indexer wrote v4 meanwhile');
    const summary = await reindex(deps);
    expect(index.live('raced')).toMatchObject({ name: 'the indexer wrote v4 meanwhile' });
    expect(index.docs.get('raced')?.version).toBe(4);
    expect(summary).toMatchObject({ written: 0, current: 1, complete: true });
  });

  it('keeps a document whose product was created after the listing: the scan sees the product', async () => {
    const { index, table, deps } = world();
    index.afterListing = () => {
      table.add('fresh', 1);
      index.put('fresh', 1);
    };
    const summary = await reindex(deps);
    expect(index.live('fresh')).toBeDefined();
    expect(summary).toMatchObject({ products: 1, orphansDeleted: 0, complete: true });
  });

  it('keeps the DLQ messages when a product cannot be indexed, and indexes the rest', async () => {
    const { index, table, dlq, deps } = world();
    table.add('fine', 1);
    table.add('broken', 2, { variants: [] });
    index.put('broken', 1);
    dlq.send('m1');
    const summary = await reindex(deps);
    expect(index.live('fine')).toBeDefined();
    // Its document stays: the product exists, it is no orphan.
    expect(index.docs.get('broken')?.version).toBe(1);
    expect(summary.failures).toEqual([{ productId: 'broken', error: 'product broken has no variants' }]);
    expect(summary).toMatchObject({ complete: false, dlqMessages: 1, dlqDeleted: 0, orphansDeleted: 0 });
    expect(dlq.deleted).toEqual([]);
  });

  it('counts a write the engine refuses as a failure, and keeps the DLQ messages', async () => {
    const { table, dlq, deps } = world();
    table.add('p1', 1);
    dlq.send('m1');
    const refusing: ReindexIndexPort = {
      versions: deps.index.versions.bind(deps.index),
      bulk: async (ops) => ops.map(() => ({ error: '400 mapper_parsing_exception: bad' })),
    };
    const summary = await reindex({ ...deps, index: refusing });
    expect(summary.failures).toEqual([{ productId: 'p1', error: '400 mapper_parsing_exception: bad' }]);
    expect(summary.complete).toBe(false);
    expect(dlq.deleted).toEqual([]);
    // Visible again at once: a rerun (here against a working index) takes them and clears them.
    expect(dlq.visible.map((m) => m.messageId)).toEqual(['m1']);
    const rerun = await reindex(deps);
    expect(rerun).toMatchObject({ complete: true, dlqMessages: 1, dlqDeleted: 1 });
    expect(dlq.deleted).toEqual(['m1']);
  });

  it('gives the messages back when the run throws (the index unreachable)', async () => {
    const { table, dlq, deps } = world();
    table.add('p1', 1);
    dlq.send('m1');
    const down: ReindexIndexPort = {
      versions: deps.index.versions.bind(deps.index),
      bulk: async () => {
        throw new Error('connect ECONNREFUSED');
      },
    };
    await expect(reindex({ ...deps, index: down })).rejects.toThrow('ECONNREFUSED');
    expect(dlq.deleted).toEqual([]);
    expect(dlq.visible.map((m) => m.messageId)).toEqual(['m1']);
  });

  it('stops, incomplete, when time runs out, deleting no orphan and no message', async () => {
    const { index, table, dlq, deps } = world();
    for (const id of ['a', 'b', 'c', 'd']) table.add(id, 1);
    index.put('orphan', 1);
    dlq.send('m1');
    // A second left after the first page, under the minute kept in reserve.
    const summary = await reindex(deps, { timeLeftMs: () => 1_000, reserveMs: 60_000 });
    expect(summary).toMatchObject({ complete: false, products: 2, dlqDeleted: 0 });
    expect(index.live('orphan')).toBeDefined();
    expect(dlq.deleted).toEqual([]);
    expect(dlq.visible.map((m) => m.messageId)).toEqual(['m1']);
  });

  it('rebuilds an empty index and runs with an empty DLQ', async () => {
    const { index, table, deps } = world();
    table.add('p1', 3);
    const summary = await reindex(deps);
    expect(index.docs.get('p1')?.version).toBe(3);
    expect(summary).toMatchObject({ dlqMessages: 0, written: 1, complete: true });
  });
});

/** A transport that records requests and answers from a script. */
function scriptedTransport(answers: { statusCode: number; body: unknown }[]) {
  const requests: Record<string, unknown>[] = [];
  const transport = {
    request: async (params: Record<string, unknown>) => {
      requests.push(params);
      const answer = answers.shift();
      if (!answer) throw new Error('no scripted answer');
      return answer;
    },
  } as unknown as Transport;
  return { transport, requests };
}

describe('the OpenSearch side of the reindex', () => {
  const doc = { productId: 'p1', name: 'Lamp' } as SearchDocument;

  it('bulk-writes with external versions through the alias and reads each outcome', async () => {
    const { transport, requests } = scriptedTransport([
      {
        statusCode: 200,
        body: {
          errors: true,
          items: [
            { index: { status: 201 } },
            { index: { status: 409, error: { type: 'version_conflict_engine_exception' } } },
            { delete: { status: 404 } },
            { delete: { status: 200 } },
            { index: { status: 400, error: { type: 'mapper_parsing_exception', reason: 'bad' } } },
          ],
        },
      },
    ]);
    const outcomes = await new OpenSearchReindexIndex(transport, 'products').bulk([
      { kind: 'upsert', doc, version: 3 },
      { kind: 'upsert', doc: { ...doc, productId: 'p2' }, version: 1 },
      { kind: 'remove', productId: 'p3', version: 2 },
      { kind: 'remove', productId: 'p4', version: 5 },
      { kind: 'upsert', doc: { ...doc, productId: 'p5' }, version: 1 },
    ]);
    expect(outcomes).toEqual([
      'applied',
      'stale',
      'absent',
      'applied',
      { error: '400 mapper_parsing_exception: bad' },
    ]);
    expect(requests[0]).toMatchObject({ method: 'POST', path: '/products/_bulk' });
    const lines = (requests[0]?.bulkBody ?? []) as unknown[];
    expect(lines.slice(0, 3)).toEqual([
      { index: { _id: 'p1', version: 3, version_type: 'external' } },
      doc,
      { index: { _id: 'p2', version: 1, version_type: 'external' } },
    ]);
    expect(lines[4]).toEqual({
      delete: { _id: 'p3', version: 2, version_type: 'external' },
    });
  });

  it('lists ids and versions page by page with search_after, and nothing without an index', async () => {
    const hit = (id: string, version: number) => ({ _id: id, _version: version, sort: [id] });
    const { transport, requests } = scriptedTransport([
      { statusCode: 200, body: { hits: { hits: [hit('a', 1), hit('b', 4)] } } },
      { statusCode: 200, body: { hits: { hits: [hit('c', 2)] } } },
      { statusCode: 404, body: {} },
    ]);
    const index = new OpenSearchReindexIndex(transport, 'products', 2);
    const pages: IndexedVersion[][] = [];
    for await (const page of index.versions()) pages.push(page);
    expect(pages).toEqual([
      [
        { productId: 'a', version: 1 },
        { productId: 'b', version: 4 },
      ],
      [{ productId: 'c', version: 2 }],
    ]);
    expect(requests[0]?.body).toMatchObject({
      size: 2,
      _source: false,
      version: true,
      sort: [{ productId: 'asc' }],
    });
    expect(requests[0]?.body).not.toHaveProperty('search_after');
    expect(requests[1]?.body).toMatchObject({ search_after: ['b'] });
    const none: IndexedVersion[][] = [];
    for await (const page of index.versions()) none.push(page);
    expect(none).toEqual([]);
  });
});

describe('the indexer DLQ side of the reindex', () => {
  it('receives until the queue answers empty, hidden past the run, and deletes in batches of 10', async () => {
    const sent: { name: string; input: Record<string, unknown> }[] = [];
    const batches = [12, 3, 0].map((n, b) =>
      Array.from({ length: Math.min(n, 10) }, (_, i) => ({
        MessageId: `m${b}-${i}`,
        ReceiptHandle: `r${b}-${i}`,
      })),
    );
    const client = {
      send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        sent.push({ name: command.constructor.name, input: command.input });
        if (command.constructor.name === 'ReceiveMessageCommand') return { Messages: batches.shift() ?? [] };
        return { Failed: [] };
      },
    };
    const queue = new SqsFailureQueue(client as never, 'https://sqs/dlq', 1200);
    const messages = await queue.receive(1000);
    expect(messages).toHaveLength(13);
    const receives = sent.filter((s) => s.name === 'ReceiveMessageCommand');
    expect(receives).toHaveLength(3);
    expect(receives[0]?.input).toMatchObject({
      QueueUrl: 'https://sqs/dlq',
      VisibilityTimeout: 1200,
      MaxNumberOfMessages: 10,
    });
    await queue.delete(messages);
    const deletes = sent.filter((s) => s.name === 'DeleteMessageBatchCommand');
    expect(deletes.map((d) => (d.input.Entries as unknown[]).length)).toEqual([10, 3]);
  });

  it('fails when SQS refuses a delete, so the run is not reported clean', async () => {
    const client = {
      send: async () => ({ Failed: [{ Id: '0', Code: 'ReceiptHandleIsInvalid', Message: 'x' }] }),
    };
    const queue = new SqsFailureQueue(client as never, 'https://sqs/dlq', 1200);
    await expect(queue.delete([{ messageId: 'm', receiptHandle: 'r', body: '' }])).rejects.toThrow(
      /1 DLQ message\(s\) could not be deleted: ReceiptHandleIsInvalid/,
    );
  });
});
