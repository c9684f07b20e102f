/**
 * The products table's listings on the local cloud's DynamoDB (moto), through the catalog's
 * repository, on the table exactly as the stateful stack declares it: GET /products without a
 * category reads every gsi2 shard ("Query": KeyConditionExpression with `<` on the sort key,
 * ScanIndexForward, Limit; Amazon DynamoDB API Reference) and merges them into one newest-first
 * order, and the backfill moves items written before the sharding into their shards.
 */
import { CreateTableCommand, type CreateTableCommandInput, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DynamoDbProductRepository,
  LEGACY_LIST_PARTITION,
  listPartitionOf,
  toProductItem,
} from '#catalog/adapters/dynamodb-product-repository.ts';
import { backfillListShards } from '#catalog/adapters/list-shard-backfill.ts';
import { newProductId } from '#catalog/domain/ids.ts';
import type { Product } from '#catalog/domain/product.ts';
import { stageConfig } from '../../lib/config/stage-config.ts';
import { catalogTables } from '../../lib/services/catalog/catalog-data.ts';
import { getItem, type LocalDynamo, startLocalDynamo } from './support/dynamodb-moto.ts';

const TABLE = 'products';

/** The products table's CreateTable input, from the construct the stateful stack uses. */
function productsTableInput(): CreateTableCommandInput {
  const stack = new Stack(new App(), 'Products');
  catalogTables(stack, stageConfig('local'));
  const [table] = Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::Table')) as {
    Properties: Record<string, unknown>;
  }[];
  const p = table?.Properties ?? {};
  return {
    TableName: TABLE,
    KeySchema: p.KeySchema,
    AttributeDefinitions: p.AttributeDefinitions,
    GlobalSecondaryIndexes: p.GlobalSecondaryIndexes,
    BillingMode: 'PAY_PER_REQUEST',
  } as CreateTableCommandInput;
}

let dynamo: LocalDynamo;
let db: DynamoDBDocumentClient;
let repository: DynamoDbProductRepository;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  await dynamo.db.send(new CreateTableCommand(productsTableInput()));
  db = DynamoDBDocumentClient.from(dynamo.db, { marshallOptions: { removeUndefinedValues: true } });
  repository = new DynamoDbProductRepository(db, TABLE);
});

afterAll(async () => {
  await dynamo?.stop();
});

const base = Date.parse('2026-03-01T00:00:00.000Z');
let sku = 0;

function product(minute: number, category = 'home'): Product {
  const createdAt = new Date(base + minute * 60_000).toISOString();
  return {
    productId: newProductId(),
    name: `Lamp ${minute}`,
    description: '',
    brand: 'Lumen',
    category,
    images: [],
    attributes: {},
    variants: [{ sku: `LAMP-${++sku}`, attributes: {}, price: { amount: 100 + minute, currency: 'USD' } }],
    rating: { average: 0, count: 0 },
    createdAt,
    updatedAt: createdAt,
  };
}

/** Every page of the listing of all products, following the cursors. */
async function allPages(limit: number, category?: string): Promise<Product[][]> {
  const pages: Product[][] = [];
  let cursor: string | undefined;
  do {
    const page = await repository.list({
      limit,
      ...(category ? { category } : {}),
      ...(cursor ? { cursor } : {}),
    });
    pages.push(page.items);
    cursor = page.nextCursor;
    expect(pages.length).toBeLessThan(100);
  } while (cursor);
  return pages;
}

const newestFirst = (products: Product[]) =>
  [...products]
    .sort((a, b) => `${b.createdAt}#${b.productId}`.localeCompare(`${a.createdAt}#${a.productId}`))
    .map((p) => p.productId);

describe('the listing of all products over the gsi2 shards', () => {
  const created: Product[] = [];
  const legacy: Product[] = [];

  beforeAll(async () => {
    // 29 products through the repository (in their shards), two at the same instant, and 7 as
    // written before the sharding: in the one partition PRODUCTS, between the others in time.
    for (let minute = 0; minute < 28; minute++) created.push(product(minute, minute % 2 ? 'home' : 'books'));
    created.push({ ...product(0), createdAt: created[0]?.createdAt as string });
    for (const p of created) await repository.create(p);
    for (let i = 0; i < 7; i++) legacy.push(product(i * 4 + 0.5));
    for (const p of legacy) {
      const item = { ...toProductItem(p, 1), gsi2pk: LEGACY_LIST_PARTITION };
      await dynamo.db.send(new PutItemCommand({ TableName: TABLE, Item: marshall(item) }));
    }
  });

  it('writes new products into several shards, each one stable for its id', async () => {
    const partitions = new Set<string>();
    for (const p of created) {
      const item = await getItem(dynamo.db, TABLE, marshall({ pk: `PRODUCT#${p.productId}`, sk: 'PRODUCT' }));
      expect(item?.gsi2pk?.S).toBe(listPartitionOf(p.productId));
      partitions.add(item?.gsi2pk?.S as string);
    }
    expect(partitions.size).toBeGreaterThanOrEqual(4);
  });

  it.each([1, 5, 7, 36, 100])(
    'pages of %i follow one newest-first order across shards and the legacy partition, none empty',
    async (limit) => {
      const pages = await allPages(limit);
      const expected = newestFirst([...created, ...legacy]);
      expect(pages.flat().map((p) => p.productId)).toEqual(expected);
      // Every page full but the last, which is not empty (36 products: 36 % limit may be 0).
      for (const page of pages.slice(0, -1)) expect(page).toHaveLength(limit);
      expect(pages.at(-1)?.length).toBe(expected.length % limit || Math.min(limit, expected.length));
      expect(pages).toHaveLength(Math.ceil(expected.length / limit));
    },
  );

  it('returns whole products, as stored', async () => {
    const [page] = await allPages(100);
    const byId = new Map([...created, ...legacy].map((p) => [p.productId, p]));
    for (const p of page ?? []) expect(p).toEqual(byId.get(p.productId));
  });

  it('leaves the category listing (gsi1) as it was', async () => {
    const books = [...created, ...legacy].filter((p) => p.category === 'books');
    expect((await allPages(4, 'books')).flat().map((p) => p.productId)).toEqual(newestFirst(books));
  });

  it('backfills the legacy items into their shards, idempotently, and lists the same', async () => {
    const before = (await allPages(100)).flat();
    const first = await backfillListShards(db, TABLE);
    expect(first).toEqual({ products: created.length + legacy.length, rewritten: legacy.length, raced: 0 });
    const again = await backfillListShards(db, TABLE);
    expect(again).toEqual({ products: created.length + legacy.length, rewritten: 0, raced: 0 });
    for (const p of legacy) {
      const item = await getItem(dynamo.db, TABLE, marshall({ pk: `PRODUCT#${p.productId}`, sk: 'PRODUCT' }));
      expect(item?.gsi2pk?.S).toBe(listPartitionOf(p.productId));
      // Only the partition moved: the version (and so the index's view of it) is the same.
      expect(item?.version?.N).toBe('1');
    }
    expect((await allPages(100)).flat()).toEqual(before);
    expect((await allPages(6)).flat().map((p) => p.productId)).toEqual(newestFirst([...created, ...legacy]));
  });
});
