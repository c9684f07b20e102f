/**
 * RecordPurchases: who bought what, learned from the orders service's events. Per (user, product)
 * the store keeps the set of non-cancelled order ids holding it; a buyer is that set non-empty.
 * Set adds and removes make a repeat delivery a no-op. OrderCancelled names SKUs only, so
 * OrderPlaced records the order's products for the cancel to find; a cancel that arrives first
 * leaves a tombstone, and the placed order is then never counted.
 */
import type { EventDetail } from '#events/catalog.ts';
import type { ReviewStore } from './ports.ts';

export interface PurchasesDeps {
  reviews: Pick<
    ReviewStore,
    'notePlaced' | 'noteCancelled' | 'getOrder' | 'addPurchases' | 'removePurchases'
  >;
}

export async function recordPlaced(deps: PurchasesDeps, order: EventDetail<'OrderPlaced'>): Promise<void> {
  const productIds = [...new Set(order.lines.map((l) => l.productId))];
  const record = await deps.reviews.notePlaced({ orderId: order.orderId, userId: order.userId, productIds });
  if (record.cancelled) return;
  // The recorded products, not this event's: the first OrderPlaced of the order is the one kept.
  const held = record.productIds ?? productIds;
  await deps.reviews.addPurchases(record.userId, order.orderId, held);
  // A cancel handled between our note and our add removed nothing we had added yet: undo it here.
  // (Its removes come after its tombstone, which this read then sees; otherwise they follow our add.)
  if ((await deps.reviews.getOrder(order.orderId))?.cancelled) {
    await deps.reviews.removePurchases(record.userId, order.orderId, held);
  }
}

export async function recordCancelled(
  deps: PurchasesDeps,
  order: EventDetail<'OrderCancelled'>,
): Promise<void> {
  const record = await deps.reviews.noteCancelled({ orderId: order.orderId, userId: order.userId });
  if (record.productIds) await deps.reviews.removePurchases(record.userId, order.orderId, record.productIds);
}
