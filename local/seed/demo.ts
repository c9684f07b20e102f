import { seedOrderHistory } from './order-history.ts';
import { seedCatalog } from './seed-catalog.ts';
import { StoreClient } from './store-client.ts';

/**
 * The small demo catalog `npm start` loads so a newcomer has something to browse, search and buy:
 * every SKU is received with DEMO_STOCK units, and an order history feeds the recommendations.
 */
export const DEMO_STOCK = 100;

export const DEMO_ORDERS = 400;

export default async function seedDemo(baseUrl: string, motoUrl: string): Promise<number> {
  const result = await seedCatalog(new StoreClient(baseUrl), {
    count: 60,
    seed: 7,
    stockPerSku: DEMO_STOCK,
    waitForSearch: true,
  });
  await seedOrderHistory({ motoUrl, products: result.products, orders: DEMO_ORDERS, seed: 7 });
  return result.created;
}
