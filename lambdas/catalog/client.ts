/**
 * The catalog's published read module: how other services (carts, checkout) read products and
 * SKUs. Read-only by construction: it only issues GetItem and BatchGetItem, and the functions
 * that use it get a read-only grant on the products table.
 *
 *   import { getSkus } from '#catalog/client.ts';
 *   const lines = await getSkus(['SKU-1', 'SKU-2']);   // unknown SKUs are simply absent
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  documentClient,
} from '#shared/dynamodb.ts';
import { DynamoDbProductRepository, skuKey } from './adapters/dynamodb-product-repository.ts';
import type { Money, Product } from './domain/product.ts';

export type { Money, Product } from './domain/product.ts';

export interface SkuInfo {
  sku: string;
  productId: string;
  name: string;
  price: Money;
}

export interface CatalogReader {
  getProduct(productId: string): Promise<Product | undefined>;
  getSkus(skus: readonly string[]): Promise<SkuInfo[]>;
}

const BATCH_GET_MAX = 100;
const MAX_ATTEMPTS = 5;

export function createCatalogReader(options: {
  tableName: string;
  db?: DynamoDBDocumentClient;
}): CatalogReader {
  const db = options.db ?? documentClient();
  const repository = new DynamoDbProductRepository(db, options.tableName);

  async function batch(keys: Record<string, string>[]): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    let pending: Record<string, unknown>[] | undefined = keys;
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS)
        throw new Error(`BatchGetItem left ${pending.length} SKU keys unprocessed`);
      // Unprocessed keys mean throttling: back off before asking again.
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 2 ** attempt * 25));
      const out: BatchGetCommandOutput = await db.send(
        new BatchGetCommand({
          RequestItems: {
            [options.tableName]: {
              Keys: pending,
              ProjectionExpression: 'productId, #name, price, pk',
              ExpressionAttributeNames: { '#name': 'name' },
            },
          },
        }),
      );
      found.push(...(out.Responses?.[options.tableName] ?? []));
      pending = out.UnprocessedKeys?.[options.tableName]?.Keys;
    }
    return found;
  }

  return {
    async getProduct(productId) {
      return (await repository.get(productId))?.product;
    },
    async getSkus(skus) {
      const unique = [...new Set(skus)];
      const chunks: string[][] = [];
      for (let i = 0; i < unique.length; i += BATCH_GET_MAX) chunks.push(unique.slice(i, i + BATCH_GET_MAX));
      const items = (await Promise.all(chunks.map((chunk) => batch(chunk.map(skuKey))))).flat();
      return items.map((item) => ({
        sku: String(item.pk).slice('SKU#'.length),
        productId: item.productId as string,
        name: item.name as string,
        price: item.price as Money,
      }));
    },
  };
}

let reader: CatalogReader | undefined;

function defaultReader(): CatalogReader {
  const tableName = process.env.PRODUCTS_TABLE;
  if (!tableName)
    throw new Error('PRODUCTS_TABLE is not set: grant the function read access to the products table');
  reader ??= createCatalogReader({ tableName });
  return reader;
}

/** The product, or undefined. One GetItem. */
export function getProduct(productId: string): Promise<Product | undefined> {
  return defaultReader().getProduct(productId);
}

/** Current name and price of each known SKU (unknown SKUs are absent). BatchGetItem on the SKU claims. */
export function getSkus(skus: readonly string[]): Promise<SkuInfo[]> {
  return defaultReader().getSkus(skus);
}
