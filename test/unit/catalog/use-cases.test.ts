import { describe, expect, it } from 'vitest';
import { ProductNotFoundError, SkuTakenError, TooManySkuChangesError } from '#catalog/domain/errors.ts';
import { newProductId } from '#catalog/domain/ids.ts';
import type { ProductPage, ProductRepository, StoredProduct } from '#catalog/domain/ports.ts';
import type { Product, ProductInput } from '#catalog/domain/product.ts';
import {
  type CatalogDeps,
  createProduct,
  deleteProduct,
  getProduct,
  listProducts,
  replaceProduct,
} from '#catalog/domain/use-cases.ts';

/** An in-memory repository with the same rules as the DynamoDB one: versions and SKU claims. */
class InMemoryProducts implements ProductRepository {
  readonly products = new Map<string, StoredProduct>();
  readonly claims = new Map<string, string>();

  async get(productId: string) {
    return this.products.get(productId);
  }

  private claim(product: Product, release: string[] = []) {
    const taken = product.variants.filter((v) => {
      const owner = this.claims.get(v.sku);
      return owner !== undefined && owner !== product.productId;
    });
    if (taken.length)
      throw new SkuTakenError(taken.map((v) => ({ sku: v.sku, productId: this.claims.get(v.sku) })));
    for (const sku of release) this.claims.delete(sku);
    for (const v of product.variants) this.claims.set(v.sku, product.productId);
  }

  async create(product: Product) {
    this.claim(product);
    this.products.set(product.productId, { product, version: 1 });
  }

  async replace(next: Product, previous: StoredProduct) {
    const kept = new Set(next.variants.map((v) => v.sku));
    this.claim(
      next,
      previous.product.variants.map((v) => v.sku).filter((s) => !kept.has(s)),
    );
    this.products.set(next.productId, { product: next, version: previous.version + 1 });
  }

  async delete(previous: StoredProduct) {
    for (const v of previous.product.variants) this.claims.delete(v.sku);
    this.products.delete(previous.product.productId);
  }

  async list(query: { category?: string; limit: number }): Promise<ProductPage> {
    const items = [...this.products.values()]
      .map((s) => s.product)
      .filter((p) => !query.category || p.category === query.category)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return { items: items.slice(0, query.limit) };
  }
}

const input = (skus: string[], overrides: Partial<ProductInput> = {}): ProductInput => ({
  name: 'Lamp',
  description: '',
  brand: 'Lumen',
  category: 'home',
  images: [],
  attributes: {},
  variants: skus.map((sku) => ({ sku, attributes: {}, price: { amount: 1000, currency: 'USD' } })),
  ...overrides,
});

function setup() {
  const products = new InMemoryProducts();
  let clock = Date.parse('2026-01-01T00:00:00.000Z');
  const now = () => {
    clock += 1000;
    return new Date(clock);
  };
  const deps: CatalogDeps = { products, now };
  return { products, deps };
}

describe('catalog use cases', () => {
  it('creates with server-owned fields', async () => {
    const { deps, products } = setup();
    const product = await createProduct(deps, input(['A-1']));
    expect(product).toMatchObject({ rating: { average: 0, count: 0 }, name: 'Lamp' });
    expect(product.createdAt).toBe(product.updatedAt);
    expect(products.products.get(product.productId)?.version).toBe(1);
  });

  it('replaces in full, keeping id, rating and createdAt, and releases dropped SKUs', async () => {
    const { deps, products } = setup();
    const created = await createProduct(deps, input(['A-1', 'A-2']));
    const replaced = await replaceProduct(
      deps,
      created.productId,
      input(['A-2', 'A-3'], { name: 'Lamp v2' }),
    );
    expect(replaced).toMatchObject({
      productId: created.productId,
      name: 'Lamp v2',
      createdAt: created.createdAt,
    });
    expect(replaced.updatedAt > created.updatedAt).toBe(true);
    expect(products.products.get(created.productId)?.version).toBe(2);
    expect([...products.claims.keys()].sort()).toEqual(['A-2', 'A-3']);
    // The released SKU can now go to another product.
    await expect(createProduct(deps, input(['A-1']))).resolves.toBeDefined();
  });

  it('refuses a SKU that belongs to another product', async () => {
    const { deps } = setup();
    const first = await createProduct(deps, input(['A-1']));
    const clash = createProduct(deps, input(['A-1']));
    await expect(clash).rejects.toBeInstanceOf(SkuTakenError);
    await expect(clash).rejects.toThrow(first.productId);
  });

  it('answers not found for unknown products on get, replace and delete', async () => {
    const { deps } = setup();
    await expect(getProduct(deps, 'nope')).rejects.toBeInstanceOf(ProductNotFoundError);
    await expect(replaceProduct(deps, 'nope', input(['A-1']))).rejects.toBeInstanceOf(ProductNotFoundError);
    await expect(deleteProduct(deps, 'nope')).rejects.toBeInstanceOf(ProductNotFoundError);
  });

  it('deletes the product and its claims', async () => {
    const { deps, products } = setup();
    const created = await createProduct(deps, input(['A-1']));
    await deleteProduct(deps, created.productId);
    expect(products.products.size).toBe(0);
    expect(products.claims.size).toBe(0);
  });

  it('refuses a replace that would not fit one transaction', async () => {
    const { deps } = setup();
    const skus = (prefix: string) => Array.from({ length: 60 }, (_, i) => `${prefix}-${i}`);
    const created = await createProduct(deps, input(skus('OLD')));
    await expect(replaceProduct(deps, created.productId, input(skus('NEW')))).rejects.toBeInstanceOf(
      TooManySkuChangesError,
    );
  });

  it('lists with the default page size', async () => {
    const { deps } = setup();
    for (let i = 0; i < 25; i++) await createProduct(deps, input([`S-${i}`]));
    expect((await listProducts(deps, {})).items).toHaveLength(20);
  });
});

describe('product ids', () => {
  it('are UUIDv7 and sort by creation time', () => {
    const a = newProductId(Date.parse('2026-01-01T00:00:00.000Z'));
    const b = newProductId(Date.parse('2026-01-01T00:00:00.001Z'));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a < b).toBe(true);
    expect(newProductId()).not.toBe(newProductId());
  });
});
