/** The stock of a SKU as the admin routes answer it, for the OpenAPI document. */
import * as z from 'zod';

const units = (description: string) => z.int().min(0).meta({ description });

export const StockSchema = z
  .object({
    sku: z.string(),
    available: units('Units that can be reserved now.'),
    reserved: units('Units held for orders in checkout (released if the checkout does not complete).'),
    sold: units('Units of confirmed orders.'),
    version: z.int().min(1).meta({ description: '+1 per change of the counts.' }),
  })
  .meta({
    id: 'Stock',
    description: 'available + reserved + sold is every unit ever received for the SKU.',
  });
