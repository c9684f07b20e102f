/**
 * The catalogue of domain events on the store's EventBridge bus (docs/events.md): one zod schema
 * per detail type, which producers validate before they publish and consumers parse with, so both
 * sides read the same contract. Each detail carries `version`; a breaking change is a new version
 * published beside the old one until every consumer reads it. Each service publishes under its
 * own source. Details carry what consumers need (ids, lines, amounts, the buyer's contact), never
 * whole records, and never a payment token, card data or a street address: the bus archives every
 * event for replay (docs/events.md), so whatever an event carries is kept for the archive's
 * retention. Unknown fields are dropped on parse, so a field outside the schema never leaves
 * `busPublisher` and never reaches a handler.
 */
import * as z from 'zod';

export const SOURCES = {
  orders: 'store.orders',
  fulfillment: 'store.fulfillment',
  payment: 'store.payment',
  inventory: 'store.inventory',
  reviews: 'store.reviews',
} as const;

const MoneySchema = z.strictObject({ amount: z.int().min(0), currency: z.literal('USD') });
const Id = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/);
const Instant = z.iso.datetime();

/** Where notifications go: what the buyer's token stated at checkout. */
export const ContactSchema = z.object({
  email: z.string().max(320).optional(),
  phone: z.string().max(32).optional(),
});

/**
 * OrderPlaced v1's full shipping address (name, street, postal code). Read only from v1 events
 * still in queues or replayed from the archive; no producer publishes it any more.
 */
export const AddressSchema = z.object({
  name: z.string(),
  line1: z.string(),
  line2: z.string().optional(),
  city: z.string(),
  region: z.string().optional(),
  postalCode: z.string(),
  country: z.string(),
});

/** Where an order ships, only as precisely as routing needs: the country and region (a US state). */
export const ShipToSchema = z.object({
  /** ISO 3166-1 alpha-2. */
  country: z.string().regex(/^[A-Z]{2}$/),
  /** The order's region (up to 100 characters, so 200 UTF-16 units). */
  region: z.string().min(1).max(200).optional(),
});
export type ShipTo = z.output<typeof ShipToSchema>;

const LineSchema = z.object({
  sku: z.string().min(1).max(64),
  productId: z.string().min(1).max(128),
  quantity: z.int().min(1),
  /** Minor units. */
  unitPrice: z.int().min(0),
});

const OrderPlacedFields = {
  orderId: Id,
  userId: z.string().min(1).max(256),
  lines: z.array(LineSchema).min(1),
  total: MoneySchema,
  /** Notify's only source of the recipient (docs/events.md, "What events carry"). */
  contact: ContactSchema,
  placedAt: Instant,
};

/**
 * v1 carried the full shipping address. Consumers still read it (events in flight during the
 * rollout, and replays of archived ones) until the archive's retention has passed since the last
 * v1 was published; then this variant goes.
 */
export const OrderPlacedV1Schema = z.object({
  version: z.literal(1),
  ...OrderPlacedFields,
  shippingAddress: AddressSchema,
});

/** v2: `shipTo` (country, region) instead of the address. */
export const OrderPlacedV2Schema = z.object({
  version: z.literal(2),
  ...OrderPlacedFields,
  shipTo: ShipToSchema,
});

export const OrderPlacedSchema = z.discriminatedUnion('version', [OrderPlacedV1Schema, OrderPlacedV2Schema]);

/** An address reduced to what OrderPlaced v2 carries: country and region, nothing finer. */
export function shipToOfAddress({ country, region }: { country: string; region?: string }): ShipTo {
  return region === undefined ? { country } : { country, region };
}

/** Where an OrderPlaced of either version ships: v1's address reduced to what v2 carries. */
export function shipToOf(detail: z.output<typeof OrderPlacedSchema>): ShipTo {
  return detail.version === 2 ? detail.shipTo : shipToOfAddress(detail.shippingAddress);
}

export const OrderCancelledSchema = z.object({
  version: z.literal(1),
  orderId: Id,
  userId: z.string().min(1).max(256),
  lines: z.array(z.object({ sku: z.string(), quantity: z.int().min(1) })).min(1),
  /** The capture to return: the order's total. */
  refund: MoneySchema,
  contact: ContactSchema,
  cancelledAt: Instant,
});

export const ShipmentItemSchema = z.object({ sku: z.string(), quantity: z.int().min(1) });

export const ShipmentCreatedSchema = z.object({
  version: z.literal(1),
  shipmentId: Id,
  orderId: Id,
  warehouseId: z.string().min(1).max(64),
  items: z.array(ShipmentItemSchema).min(1),
  /** How many shipments the order was split into (this one included). */
  shipmentsInOrder: z.int().min(1),
  createdAt: Instant,
});

export const ShipmentShippedSchema = z.object({
  version: z.literal(1),
  shipmentId: Id,
  orderId: Id,
  trackingNumber: z.string().min(1).max(64),
  contact: ContactSchema,
  shippedAt: Instant,
});

export const ShipmentDeliveredSchema = z.object({
  version: z.literal(1),
  shipmentId: Id,
  orderId: Id,
  contact: ContactSchema,
  deliveredAt: Instant,
});

export const PaymentRefundedSchema = z.object({
  version: z.literal(1),
  orderId: Id,
  chargeId: z.string(),
  refunded: MoneySchema,
  /** Why: `cancellation` for a cancelled order. */
  reason: z.string(),
  refundedAt: Instant,
});

export const StockReturnedSchema = z.object({
  version: z.literal(1),
  orderId: Id,
  lines: z.array(z.object({ sku: z.string(), quantity: z.int().min(1) })),
  returnedAt: Instant,
});

export const ProductRatingChangedSchema = z.object({
  version: z.literal(1),
  productId: z.string().min(1).max(128),
  /** Visible reviews: their count and the average of their ratings (0 when none). */
  rating: z.object({ average: z.number().min(0).max(5), count: z.int().min(0) }),
  /**
   * The product's review summary version, +1 per change: a consumer applies a rating only over an
   * older one, so repeats and out-of-order deliveries never regress it.
   */
  ratingVersion: z.int().min(1),
  changedAt: Instant,
});

/** Every event: its source and the schema of its detail. */
export const EVENTS = {
  OrderPlaced: { source: SOURCES.orders, schema: OrderPlacedSchema },
  OrderCancelled: { source: SOURCES.orders, schema: OrderCancelledSchema },
  ShipmentCreated: { source: SOURCES.fulfillment, schema: ShipmentCreatedSchema },
  ShipmentShipped: { source: SOURCES.fulfillment, schema: ShipmentShippedSchema },
  ShipmentDelivered: { source: SOURCES.fulfillment, schema: ShipmentDeliveredSchema },
  PaymentRefunded: { source: SOURCES.payment, schema: PaymentRefundedSchema },
  StockReturned: { source: SOURCES.inventory, schema: StockReturnedSchema },
  ProductRatingChanged: { source: SOURCES.reviews, schema: ProductRatingChangedSchema },
} as const;

export type EventName = keyof typeof EVENTS;
export type EventDetail<E extends EventName> = z.output<(typeof EVENTS)[E]['schema']>;

/** An event as EventBridge delivers it to an SQS target (the message body). */
export interface BusEvent<E extends EventName = EventName> {
  id: string;
  source: string;
  'detail-type': E;
  time: string;
  detail: EventDetail<E>;
}
