import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { changeOf, streamBatchHandler } from '#search/adapters/stream.ts';
import type { SearchIndexPort } from '#search/domain/indexing.ts';
import type { SearchDocument } from '#search/domain/search-document.ts';

const product = (id: string, version: number) => ({
  pk: `PRODUCT#${id}`,
  sk: 'PRODUCT',
  productId: id,
  name: `Product ${id}`,
  brand: 'Acme',
  category: 'toys',
  variants: [{ sku: `${id}-1`, attributes: {}, price: { amount: 599, currency: 'USD' } }],
  createdAt: '2026-01-01T00:00:00.000Z',
  version,
});

function record(
  eventID: string,
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  images: { NewImage?: object; OldImage?: object },
): DynamoDBRecord {
  const dynamodb: Record<string, unknown> = { SequenceNumber: eventID };
  if (images.NewImage) dynamodb.NewImage = marshall(images.NewImage);
  if (images.OldImage) dynamodb.OldImage = marshall(images.OldImage);
  return { eventID, eventName, eventSource: 'aws:dynamodb', dynamodb } as DynamoDBRecord;
}

class RecordingIndex implements SearchIndexPort {
  readonly calls: string[] = [];
  async upsert(doc: SearchDocument, version: number) {
    if (doc.productId === 'broken') throw new Error('mapping rejected the document');
    this.calls.push(`upsert ${doc.productId} v${version} minPrice=${doc.minPrice}`);
    return 'applied' as const;
  }
  async remove(productId: string, version: number) {
    this.calls.push(`remove ${productId} v${version}`);
    return 'stale' as const;
  }
}

describe('stream batches', () => {
  it('unmarshalls DynamoDB JSON images', () => {
    const change = changeOf(record('1', 'MODIFY', { NewImage: product('a', 2), OldImage: product('a', 1) }));
    expect(change.newImage).toMatchObject({ productId: 'a', version: 2 });
    expect(change.oldImage).toMatchObject({ version: 1 });
  });

  it('applies every record and reports only the failed one', async () => {
    const index = new RecordingIndex();
    let prepared = 0;
    const handler = streamBatchHandler({
      index: async () => index,
      prepare: async () => {
        prepared++;
      },
    });
    const event: DynamoDBStreamEvent = {
      Records: [
        record('1', 'INSERT', { NewImage: product('a', 1) }),
        record('2', 'INSERT', { NewImage: product('broken', 1) }),
        record('3', 'REMOVE', { OldImage: product('b', 4) }),
        record('4', 'INSERT', { NewImage: { pk: 'SKU#a-1', sk: 'SKU', productId: 'a' } }),
      ],
    };
    const response = await handler(event);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '2' }]);
    expect(index.calls.sort()).toEqual(['remove b v5', 'upsert a v1 minPrice=599']);
    expect(prepared).toBe(1);
  });

  it('only prepares the index when invoked without records (a deploy-time warm-up)', async () => {
    let prepared = 0;
    const handler = streamBatchHandler({
      index: async () => new RecordingIndex(),
      prepare: async () => {
        prepared++;
      },
    });
    expect(await handler({} as DynamoDBStreamEvent)).toEqual({ batchItemFailures: [] });
    expect(prepared).toBe(1);
  });
});
