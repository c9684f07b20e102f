/**
 * The read path: partners from the by-score index, then one BatchGetItem over the catalog's
 * products table and this table's counts, and, for the fallback, one Query of the catalog's
 * category index. Eventually consistent reads: a recommendation a moment old is fine.
 */
import { productKey } from '#catalog/adapters/dynamodb-product-repository.ts';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  QueryCommand,
} from '#shared/dynamodb.ts';
import type { CatalogProduct, Partner, RecommendationReads } from '../domain/ports.ts';
import { BY_SCORE_INDEX, CATALOG_CATEGORY_INDEX, catalogCategoryKey, countKey } from './table-layout.ts';

type Item = Record<string, unknown>;
const MAX_ATTEMPTS = 5;
const PRODUCT_ATTRIBUTES = {
  '#id': 'productId',
  '#name': 'name',
  '#category': 'category',
  '#rating': 'rating',
};

function toProduct(item: Item): CatalogProduct {
  const rating = item.rating as CatalogProduct['rating'] | undefined;
  return {
    productId: String(item.productId),
    name: String(item.name),
    category: String(item.category),
    rating: { average: Number(rating?.average ?? 0), count: Number(rating?.count ?? 0) },
  };
}

export class DynamoDbRecommendationReads implements RecommendationReads {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly productsTable: string,
  ) {}

  async partners(productId: string, limit: number): Promise<Partner[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: BY_SCORE_INDEX,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `CO#${productId}` },
        ProjectionExpression: '#partner, #co',
        ExpressionAttributeNames: { '#partner': 'partner', '#co': 'co' },
        Limit: limit,
      }),
    );
    return Items.map((i) => ({ productId: String(i.partner), co: Number(i.co ?? 0) }));
  }

  async lookup(productId: string, partnerIds: readonly string[]) {
    const ids = [productId, ...partnerIds.filter((p) => p !== productId)];
    let pending: BatchGetCommandOutput['UnprocessedKeys'] = {
      [this.productsTable]: {
        Keys: ids.map(productKey),
        ProjectionExpression: Object.keys(PRODUCT_ATTRIBUTES).join(', '),
        ExpressionAttributeNames: PRODUCT_ATTRIBUTES,
      },
      [this.table]: {
        Keys: ids.map(countKey),
        ProjectionExpression: 'pk, #n',
        ExpressionAttributeNames: { '#n': 'n' },
      },
    };
    const products = new Map<string, CatalogProduct>();
    const counts = new Map<string, number>();
    for (let attempt = 0; pending && Object.keys(pending).length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new Error('BatchGetItem left keys unprocessed');
      // Unprocessed keys mean throttling: back off before asking again.
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 2 ** attempt * 25));
      const out: BatchGetCommandOutput = await this.db.send(new BatchGetCommand({ RequestItems: pending }));
      for (const item of out.Responses?.[this.productsTable] ?? []) {
        const product = toProduct(item);
        products.set(product.productId, product);
      }
      for (const item of out.Responses?.[this.table] ?? []) {
        counts.set(String(item.pk).slice('PRODUCT#'.length), Number(item.n ?? 0));
      }
      pending = out.UnprocessedKeys;
    }
    return { products, counts };
  }

  async ofCategory(category: string, limit: number): Promise<CatalogProduct[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.productsTable,
        IndexName: CATALOG_CATEGORY_INDEX,
        KeyConditionExpression: `${CATALOG_CATEGORY_INDEX}pk = :pk`,
        ExpressionAttributeValues: { ':pk': catalogCategoryKey(category) },
        ProjectionExpression: Object.keys(PRODUCT_ATTRIBUTES).join(', '),
        ExpressionAttributeNames: PRODUCT_ATTRIBUTES,
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return Items.map(toProduct);
  }
}
