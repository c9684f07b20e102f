/**
 * Keys of the fulfillment tables, shared by the adapter and the tables' declaration
 * (lib/services/fulfillment/fulfillment-data.ts), so both always name the same attributes.
 *
 * Warehouses table:
 * - warehouse: pk `WAREHOUSES`, sk `WH#<warehouseId>`: one Query lists them all (a short list);
 * - allocation: pk `SKU#<sku>`, sk `WH#<warehouseId>`: one Query per SKU finds every warehouse
 *   that holds it, without knowing the warehouse list first. BatchGet of warehouse x SKU keys
 *   would cost a read for every pair, held or not (20 warehouses x 50 lines = 1,000 keys, 10
 *   calls); a Query reads only the allocations that exist.
 *
 * Shipments table:
 * - shipment: pk `SHIPMENT#<shipmentId>`, sk `SHIPMENT`: carrier callbacks and GET name the
 *   shipment only, so it is keyed by its id: one strongly consistent GetItem or conditional
 *   UpdateItem, no index (a GSI would be eventually consistent and cost a write per change);
 * - routing record: pk `ORDER#<orderId>`, sk `ROUTING`: written with the shipments (only if absent,
 *   which is what makes routing happen once) and listing them, so it is also how the order finds
 *   its shipments: one GetItem, then one BatchGetItem.
 */

export const warehouseKey = (warehouseId: string) => ({ pk: 'WAREHOUSES', sk: `WH#${warehouseId}` });
export const WAREHOUSES_PARTITION = 'WAREHOUSES';
export const allocationKey = (sku: string, warehouseId: string) => ({
  pk: `SKU#${sku}`,
  sk: `WH#${warehouseId}`,
});
export const allocationPartition = (sku: string) => `SKU#${sku}`;
export const shipmentKey = (shipmentId: string) => ({ pk: `SHIPMENT#${shipmentId}`, sk: 'SHIPMENT' });
export const routingKey = (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'ROUTING' });

/** The functions' (and the cancel call's caller's) environment variables naming the tables. */
export const WAREHOUSES_TABLE_ENV = 'FULFILLMENT_WAREHOUSES_TABLE';
export const SHIPMENTS_TABLE_ENV = 'FULFILLMENT_SHIPMENTS_TABLE';

/** The item actions a caller of the cancel call (`client.ts`) needs on the shipments table. */
export const CANCEL_SHIPMENTS_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
] as const;
