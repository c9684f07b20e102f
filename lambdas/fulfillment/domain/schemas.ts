/** What the fulfillment routes answer, for the OpenAPI document. */
import * as z from 'zod';

const Status = z.enum(['CREATED', 'SHIPPED', 'DELIVERED', 'CANCELLED']);
const Item = z.object({ sku: z.string(), quantity: z.int().min(1) });

export const ShipmentSchema = z
  .object({
    shipmentId: z.string(),
    orderId: z.string(),
    warehouseId: z.string(),
    items: z.array(Item),
    status: Status,
    trackingNumber: z.string().optional(),
    contact: z.object({ email: z.string().optional(), phone: z.string().optional() }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    history: z.array(z.object({ status: Status, at: z.iso.datetime() })),
  })
  .meta({
    id: 'Shipment',
    description: 'CREATED -> SHIPPED -> DELIVERED, or CREATED -> CANCELLED with its order.',
  });

export const WarehouseSchema = z
  .object({
    warehouseId: z.string(),
    name: z.string(),
    country: z.string(),
    region: z.string(),
    lat: z.number(),
    lon: z.number(),
  })
  .meta({ id: 'Warehouse' });

export const AllocationSchema = z
  .object({ warehouseId: z.string(), sku: z.string(), available: z.int().min(0) })
  .meta({ id: 'Allocation', description: 'Units of the SKU this warehouse can ship.' });
