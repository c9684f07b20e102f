/**
 * Products table adapter (docs/architecture.md, "Products table"). A product write is one
 * TransactWriteItems: the product item (conditional on its version) plus one claim item per SKU,
 * conditional on the SKU being free or already ours, plus deletes of the claims a replace dropped.
 */

import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '#shared/dynamodb.ts';
import { ConcurrentModificationError, ProductNotFoundError, SkuTakenError } from '../domain/errors.ts';
import { decodeListCursor, encodeListCursor } from '../domain/list-cursor.ts';
import type { ProductPage, ProductRepository, StoredProduct } from '../domain/ports.ts';
import type { Product } from '../domain/product.ts';
import type { RatingOutcome } from '../domain/rating.ts';

type Item = Record<string, unknown>;
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export const productKey = (productId: string) => ({ pk: `PRODUCT#${productId}`, sk: 'PRODUCT' });
export const skuKey = (sku: string) => ({ pk: `SKU#${sku}`, sk: 'SKU' });

const PRODUCT_FIELDS = [
  'productId',
  'name',
  'description',
  'brand',
  'category',
  'images',
  'attributes',
  'variants',
  'rating',
  'createdAt',
  'updatedAt',
] as const;

/** The listing indexes' sort key: newest first, ties broken by id. */
export const listSortKey = (createdAt: string, productId: string) => `${createdAt}#${productId}`;

/**
 * Shards of gsi2, the listing of all products (docs/architecture.md, "Products table"). One GSI
 * partition takes 1,000 WCU/s, and an ever-increasing sort key keeps every write at its end, where
 * splitting cannot help; 8 shards take 8,000 WCU/s. Raising the number needs no backfill (the list
 * reads every shard below it, old items stay where they are); lowering it would strand items.
 */
export const LIST_SHARDS = 8;

/** gsi2's partition before it was sharded: read until every stage has run the backfill. */
export const LEGACY_LIST_PARTITION = 'PRODUCTS';

/** FNV-1a (32 bits) of the id: stable across processes and releases, and spreads UUIDs evenly. */
export function listShardOf(productId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < productId.length; i++) {
    hash = Math.imul(hash ^ productId.charCodeAt(i), 0x01000193) >>> 0;
  }
  return hash % LIST_SHARDS;
}

const shardPartition = (shard: number) => `PRODUCTS#${shard}`;

export const listPartitionOf = (productId: string) => shardPartition(listShardOf(productId));

/** Every partition the listing of all products reads: the shards, then the legacy partition. */
export const LIST_PARTITIONS: readonly string[] = [
  ...Array.from({ length: LIST_SHARDS }, (_, n) => shardPartition(n)),
  LEGACY_LIST_PARTITION,
];

export function toProductItem(product: Product, version: number): Item {
  const sortKey = listSortKey(product.createdAt, product.productId);
  return {
    ...productKey(product.productId),
    ...product,
    version,
    gsi1pk: `CATEGORY#${product.category}`,
    gsi1sk: sortKey,
    gsi2pk: listPartitionOf(product.productId),
    gsi2sk: sortKey,
  };
}

/** Only the API fields: keys, index attributes and the version stay inside the adapter. */
export function fromProductItem(item: Item): StoredProduct {
  const product = Object.fromEntries(PRODUCT_FIELDS.map((f) => [f, item[f]])) as Product;
  const stored: StoredProduct = { product, version: Number(item.version ?? 0) };
  if (item.ratingVersion !== undefined) stored.ratingVersion = Number(item.ratingVersion);
  return stored;
}

/** An item's place in the listings (gsi2sk, or the same built from its fields). */
function sortKeyOf(item: Item): string {
  return typeof item.gsi2sk === 'string'
    ? item.gsi2sk
    : listSortKey(String(item.createdAt), String(item.productId));
}

function claimPut(product: Product, tableName: string): TransactItem[] {
  return product.variants.map((variant) => ({
    Put: {
      TableName: tableName,
      Item: {
        ...skuKey(variant.sku),
        productId: product.productId,
        name: product.name,
        price: variant.price,
        attributes: variant.attributes,
      },
      // A SKU belongs to one product: free, or already claimed by this product.
      ConditionExpression: 'attribute_not_exists(pk) OR productId = :id',
      ExpressionAttributeValues: { ':id': product.productId },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  }));
}

function claimDelete(sku: string, productId: string, tableName: string): TransactItem {
  return {
    Delete: {
      TableName: tableName,
      Key: skuKey(sku),
      ConditionExpression: 'attribute_not_exists(pk) OR productId = :id',
      ExpressionAttributeValues: { ':id': productId },
    },
  };
}

interface CancellationReason {
  Code?: string;
  Item?: Record<string, unknown>;
}

/**
 * Turns a cancelled transaction into the domain error it means. Item 0 is always the product;
 * items 1..n are the claims of `skus` in order.
 */
function translateCancellation(error: unknown, productId: string, skus: string[]): never {
  const name = (error as { name?: string }).name;
  if (name !== 'TransactionCanceledException') throw error;
  const reasons = ((error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? []).map(
    (r) => r ?? {},
  );
  const taken = reasons
    .map((reason, i) => ({ reason, sku: skus[i - 1] }))
    .filter(({ reason, sku }) => sku !== undefined && reason.Code === 'ConditionalCheckFailed')
    .map(({ reason, sku }) => {
      const owner = reason.Item?.productId;
      return typeof owner === 'string' ? { sku: sku as string, productId: owner } : { sku: sku as string };
    });
  if (taken.length > 0) throw new SkuTakenError(taken);
  if (
    reasons[0]?.Code === 'ConditionalCheckFailed' ||
    reasons.some((r) => r.Code === 'TransactionConflict')
  ) {
    throw new ConcurrentModificationError(productId);
  }
  // Some engines omit the reasons; a cancelled product write is then reported as a SKU clash, the
  // only condition a well-behaved client can trip.
  if (reasons.length === 0) throw new SkuTakenError(skus.map((sku) => ({ sku })));
  throw error;
}

export class DynamoDbProductRepository implements ProductRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(productId: string, options: { consistent?: boolean } = {}): Promise<StoredProduct | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: productKey(productId),
        ConsistentRead: options.consistent,
      }),
    );
    return Item ? fromProductItem(Item) : undefined;
  }

  async create(product: Product): Promise<void> {
    const skus = product.variants.map((v) => v.sku);
    await this.transact(
      [
        {
          Put: {
            TableName: this.tableName,
            Item: toProductItem(product, 1),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...claimPut(product, this.tableName),
      ],
      product.productId,
      skus,
    );
  }

  async replace(next: Product, previous: StoredProduct): Promise<void> {
    const kept = new Set(next.variants.map((v) => v.sku));
    const released = previous.product.variants.map((v) => v.sku).filter((sku) => !kept.has(sku));
    await this.transact(
      [
        {
          Put: {
            TableName: this.tableName,
            // The rating's version survives the whole-item Put, so an older ProductRatingChanged
            // delivered after a replace cannot regress the rating.
            Item: {
              ...toProductItem(next, previous.version + 1),
              ...(previous.ratingVersion === undefined ? {} : { ratingVersion: previous.ratingVersion }),
            },
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': previous.version },
          },
        },
        ...claimPut(next, this.tableName),
        ...released.map((sku) => claimDelete(sku, next.productId, this.tableName)),
      ],
      next.productId,
      next.variants.map((v) => v.sku),
    );
  }

  async delete(previous: StoredProduct): Promise<void> {
    const { productId } = previous.product;
    try {
      await this.transact(
        [
          {
            Delete: {
              TableName: this.tableName,
              Key: productKey(productId),
              ConditionExpression: 'version = :version',
              ExpressionAttributeValues: { ':version': previous.version },
            },
          },
          ...previous.product.variants.map((v) => claimDelete(v.sku, productId, this.tableName)),
        ],
        productId,
        [],
      );
    } catch (error) {
      // Deleted by someone else between our read and our write: it is gone either way.
      if (
        error instanceof ConcurrentModificationError &&
        !(await this.get(productId, { consistent: true }))
      ) {
        throw new ProductNotFoundError(productId);
      }
      throw error;
    }
  }

  async list(query: { category?: string; limit: number; cursor?: string }): Promise<ProductPage> {
    if (!query.category) return this.listAll(query);
    const [index, partition] = ['gsi1', `CATEGORY#${query.category}`] as const;
    const input: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: index,
      KeyConditionExpression: `${index}pk = :pk`,
      ExpressionAttributeValues: { ':pk': partition },
      ScanIndexForward: false,
      // One extra item tells whether another page exists, so the last page never comes back empty.
      Limit: query.limit + 1,
    };
    if (query.cursor) {
      // Built here from a validated position: no key a client wrote reaches the query.
      const { createdAt, productId } = decodeListCursor(query.cursor, query.category);
      input.ExclusiveStartKey = {
        ...productKey(productId),
        [`${index}pk`]: partition,
        [`${index}sk`]: listSortKey(createdAt, productId),
      };
    }
    const { Items = [], LastEvaluatedKey } = await this.db.send(new QueryCommand(input));
    const page = Items.slice(0, query.limit);
    const more = Items.length > query.limit || (LastEvaluatedKey !== undefined && page.length > 0);
    const result: ProductPage = { items: page.map((item) => fromProductItem(item).product) };
    const lastProduct = result.items.at(-1);
    if (more && lastProduct) {
      result.nextCursor = encodeListCursor(query.category, {
        createdAt: lastProduct.createdAt,
        productId: lastProduct.productId,
      });
    }
    return result;
  }

  /**
   * GET /products without a category: every gsi2 partition, newest first, from the same exclusive
   * bound (the sort key is a total order, so one position is a position in every shard). Each
   * partition gives up to `limit + 1` items, so the merged top `limit + 1` is exact: the extra one
   * tells whether another page exists, and the last page is never empty.
   */
  private async listAll(query: { limit: number; cursor?: string }): Promise<ProductPage> {
    // Decoded before anything is sent: a refused cursor costs no read.
    let before: string | undefined;
    if (query.cursor) {
      const { createdAt, productId } = decodeListCursor(query.cursor, undefined);
      before = listSortKey(createdAt, productId);
    }
    const want = query.limit + 1;
    const pages = await Promise.all(
      LIST_PARTITIONS.map((partition) => this.newestOf('gsi2', partition, want, before)),
    );
    // By sort key: an item the backfill moves between two of these reads would come back twice.
    const unique = new Map<string, Item>();
    for (const item of pages.flat()) unique.set(sortKeyOf(item), item);
    const merged = [...unique.entries()]
      .sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0))
      .slice(0, want)
      .map(([, item]) => item);
    const result: ProductPage = {
      items: merged.slice(0, query.limit).map((item) => fromProductItem(item).product),
    };
    const lastProduct = result.items.at(-1);
    if (merged.length > query.limit && lastProduct) {
      result.nextCursor = encodeListCursor(undefined, {
        createdAt: lastProduct.createdAt,
        productId: lastProduct.productId,
      });
    }
    return result;
  }

  /** Up to `want` newest items of one index partition, below `before` when given. */
  private async newestOf(index: string, partition: string, want: number, before?: string): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index,
          KeyConditionExpression:
            before === undefined ? `${index}pk = :pk` : `${index}pk = :pk AND ${index}sk < :before`,
          ExpressionAttributeValues: {
            ':pk': partition,
            ...(before === undefined ? {} : { ':before': before }),
          },
          ScanIndexForward: false,
          Limit: want - items.length,
          // DynamoDB's own continuation (a page stops at 1 MB), never anything a client sent.
          ExclusiveStartKey: start,
        }),
      );
      items.push(...Items);
      start = LastEvaluatedKey;
    } while (start !== undefined && items.length < want);
    return items.slice(0, want);
  }

  /**
   * ApplyRating's write: the rating and its ratingVersion, only over an older one (absent = 0).
   * `version` +1 like every product write, so the search index (versioned by it) takes the new
   * rating and the next admin replace, conditional on the version it read, cannot put an old
   * rating back; `updatedAt` is left alone: it dates the product's own content.
   */
  async applyRating(
    productId: string,
    rating: Product['rating'],
    ratingVersion: number,
  ): Promise<RatingOutcome> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: productKey(productId),
          UpdateExpression: 'SET rating = :rating, ratingVersion = :rv, version = version + :one',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(ratingVersion) OR ratingVersion < :rv)',
          ExpressionAttributeValues: { ':rating': rating, ':rv': ratingVersion, ':one': 1 },
          // Tells stale from gone without a read (and without a GetItem grant); both are no-ops.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'applied';
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      return (error as { Item?: unknown }).Item ? 'stale' : 'gone';
    }
  }

  private async transact(items: TransactItem[], productId: string, skus: string[]): Promise<void> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      translateCancellation(error, productId, skus);
    }
  }
}
