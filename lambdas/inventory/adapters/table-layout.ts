/**
 * Keys and index of the inventory tables, shared by the adapter and the tables' declaration
 * (lib/services/inventory/inventory-data.ts), so both always name the same attributes.
 */

/** The sparse index of HELD reservations by expiry: only held ones carry `heldShard`. */
export const HELD_INDEX = 'held-by-expiry';
export const HELD_INDEX_KEYS = { partition: 'heldShard', sort: 'expiresAt' } as const;
/** TTL attribute of the reservations table, set on finished reservations only. */
export const PURGE_AT = 'purgeAt';

export const stockKey = (sku: string) => ({ pk: `SKU#${sku}`, sk: 'STOCK' });
export const reservationKey = (orderId: string) => ({ pk: `RESERVATION#${orderId}`, sk: 'RESERVATION' });
