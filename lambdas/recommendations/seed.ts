/**
 * A deterministic, realistic order history for the demo (`npm run seed`): the same products,
 * seed and count always give the same orders. Independent of HTTP: `publishHistory` takes the
 * publisher to put them on the bus with.
 *
 * Realistic enough for item-to-item recommendations to show something meaningful:
 * - popularity is Zipf-like (s = 1.1) over the products, so a few sell a lot and most a little;
 * - every product has 2-3 complements (mostly of its own category, sometimes another one: the
 *   charger of the headphones, the cookbook of the skillet), bought with it far more often than
 *   chance, so cosine finds them even when a best-seller is bought with everything;
 * - an order is an anchor by popularity, often some of its complements, sometimes another
 *   product of its category, and now and then an unrelated popular one (noise).
 */
import type { EventDetail } from '#events/catalog.ts';
import { prng } from '#shared/prng.ts';

export { prng };

/** What the generator needs of a product: the catalog's Product fits. */
export interface HistoryProduct {
  productId: string;
  category: string;
  variants: readonly { sku: string; price: { amount: number } }[];
}

export interface HistoryOptions {
  orders: number;
  seed?: number;
  /** Distinct buyers; orders / 3 by default (some buy more than once). */
  users?: number;
  /** The last order's time; orders spread over the `days` before it. Fixed by default: deterministic. */
  until?: Date;
  days?: number;
}

export type PlacedOrder = EventDetail<'OrderPlaced'>;

const ZIPF_S = 1.1;
const CITIES = [
  { city: 'Portland', region: 'OR', postalCode: '97205' },
  { city: 'Austin', region: 'TX', postalCode: '78701' },
  { city: 'Chicago', region: 'IL', postalCode: '60601' },
  { city: 'Boston', region: 'MA', postalCode: '02108' },
  { city: 'Denver', region: 'CO', postalCode: '80202' },
];

/** Picks an index by cumulative weights. */
function weighted(cumulative: readonly number[], random: () => number): number {
  const total = cumulative[cumulative.length - 1] ?? 0;
  const x = random() * total;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] ?? 0) > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function cumulate(weights: readonly number[]): number[] {
  let sum = 0;
  return weights.map((w) => (sum += w));
}

export interface HistoryModel {
  /** Each product's complements. */
  complements: Map<string, string[]>;
  /** Each product's Zipf weight, by a shuffled rank: popularity is not catalog order. */
  popularity: Map<string, number>;
}

/** The complements and popularity weights the history is drawn from (exposed for the tests). */
export function historyModel(products: readonly HistoryProduct[], seed = 42): HistoryModel {
  const random = prng(seed ^ 0x5eed);
  const order = products.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const popularity = new Map<string, number>();
  order.forEach((index, rank) => {
    const product = products[index];
    if (product) popularity.set(product.productId, 1 / (rank + 1) ** ZIPF_S);
  });
  const byCategory = new Map<string, HistoryProduct[]>();
  for (const p of products) byCategory.set(p.category, [...(byCategory.get(p.category) ?? []), p]);
  const complements = new Map<string, string[]>();
  for (const p of products) {
    const own = (byCategory.get(p.category) ?? []).filter((q) => q.productId !== p.productId);
    const wanted = 2 + Math.floor(random() * 2);
    const picks = new Set<string>();
    for (let tries = 0; picks.size < wanted && tries < 20; tries++) {
      // One in four complements from anywhere: bundles cross categories too.
      const pool = random() < 0.25 || own.length === 0 ? products : own;
      const q = pool[Math.floor(random() * pool.length)];
      if (q && q.productId !== p.productId) picks.add(q.productId);
    }
    complements.set(p.productId, [...picks]);
  }
  return { complements, popularity };
}

export function generateOrderHistory(
  products: readonly HistoryProduct[],
  options: HistoryOptions,
): PlacedOrder[] {
  if (products.length === 0 || options.orders <= 0) return [];
  const seed = options.seed ?? 42;
  const random = prng(seed);
  const { complements, popularity } = historyModel(products, seed);
  const byId = new Map(products.map((p) => [p.productId, p]));
  const global = cumulate(products.map((p) => popularity.get(p.productId) ?? 0));
  const byCategory = new Map<string, { products: HistoryProduct[]; cumulative: number[] }>();
  for (const p of products) {
    const entry = byCategory.get(p.category) ?? { products: [], cumulative: [] };
    entry.products.push(p);
    byCategory.set(p.category, entry);
  }
  for (const entry of byCategory.values())
    entry.cumulative = cumulate(entry.products.map((p) => popularity.get(p.productId) ?? 0));
  const users = Math.max(1, options.users ?? Math.ceil(options.orders / 3));
  const until = (options.until ?? new Date('2026-01-01T00:00:00.000Z')).getTime();
  const span = (options.days ?? 90) * 86_400_000;

  const orders: PlacedOrder[] = [];
  for (let i = 0; i < options.orders; i++) {
    const anchor = products[weighted(global, random)] as HistoryProduct;
    const chosen = [anchor];
    const add = (p: HistoryProduct | undefined) => {
      if (p && !chosen.includes(p)) chosen.push(p);
    };
    for (const id of complements.get(anchor.productId) ?? []) if (random() < 0.45) add(byId.get(id));
    if (random() < 0.25) {
      const same = byCategory.get(anchor.category);
      if (same) add(same.products[weighted(same.cumulative, random)]);
    }
    if (random() < 0.1) add(products[weighted(global, random)]);

    const lines = chosen.map((p) => {
      const variant = p.variants[Math.floor(random() * p.variants.length)] ?? p.variants[0];
      if (!variant) throw new Error(`Product ${p.productId} has no variants`);
      return {
        sku: variant.sku,
        productId: p.productId,
        quantity: random() < 0.85 ? 1 : 2,
        unitPrice: variant.price.amount,
      };
    });
    const user = Math.floor(random() * users);
    const place = CITIES[user % CITIES.length] as (typeof CITIES)[number];
    orders.push({
      version: 2,
      orderId: `seed-${seed}-${String(i).padStart(6, '0')}`,
      userId: `seed-user-${user}`,
      lines,
      total: { amount: lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0), currency: 'USD' },
      shipTo: { country: 'US', region: place.region },
      contact: {},
      // Oldest first, evenly spread with a little jitter, all before `until`.
      placedAt: new Date(until - span + Math.floor(((i + random()) / options.orders) * span)).toISOString(),
    });
  }
  return orders;
}

/** Publishes the orders (OrderPlaced details), `concurrency` at a time; answers how many. */
export async function publishHistory(
  orders: readonly PlacedOrder[],
  publish: (detail: PlacedOrder) => Promise<void>,
  options: { concurrency?: number } = {},
): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < orders.length) {
      const order = orders[next++] as PlacedOrder;
      await publish(order);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, worker));
  return orders.length;
}
