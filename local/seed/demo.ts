import { seedCatalog } from './seed-catalog.ts';
import { StoreClient } from './store-client.ts';

/**
 * The small demo catalog `npm start` loads so a newcomer has something to browse, search and buy:
 * every SKU is received with DEMO_STOCK units.
 */
export const DEMO_STOCK = 100;

export default async function seedDemo(baseUrl: string): Promise<number> {
  const result = await seedCatalog(new StoreClient(baseUrl), {
    count: 60,
    seed: 7,
    stockPerSku: DEMO_STOCK,
    waitForSearch: true,
  });
  return result.created;
}
