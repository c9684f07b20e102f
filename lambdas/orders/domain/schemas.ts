/**
 * The orders service's inputs and outputs: the checkout body and its Idempotency-Key header, the
 * order id path parameter and the list query, which the handlers validate with, and the order as
 * returned. The OpenAPI document is generated from these same schemas, so a request the document
 * allows is one the handlers take.
 */
import * as z from 'zod';
import { MoneySchema } from '#catalog/domain/product.ts';
import { cursorParam, limitParam } from '#shared/cursor.ts';
import { freeText } from '#shared/text.ts';
import {
  FAILURE_REASONS,
  ORDER_ID_PATTERN,
  ORDER_STATUSES,
  PAYMENT_STATUSES,
  SHIPMENT_STATUSES,
} from './order.ts';

export const AddressSchema = z
  .strictObject({
    name: freeText(100, 'Name'),
    line1: freeText(200, 'Address line 1'),
    line2: freeText(200, 'Address line 2').optional(),
    city: freeText(100, 'City'),
    region: freeText(100, 'Region').optional(),
    postalCode: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9 -]{0,14}[A-Za-z0-9]$/,
        'A postal code: 2-16 letters, digits, spaces, "-".',
      ),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'An ISO 3166-1 alpha-2 country code, e.g. US.')
      .meta({ example: 'US' }),
  })
  .meta({ id: 'Address' });

/** A guest cart (`g-` + 22) or a user's cart (`u-` + 43); anything else names no cart. */
export const CheckoutCartIdSchema = z
  .string()
  .regex(
    /^(g-[A-Za-z0-9_-]{22}|u-[A-Za-z0-9_-]{43})$/,
    'A cart id as POST /carts or GET /me/cart returned it.',
  );

export const PaymentTokenSchema = z
  .string()
  .regex(/^[A-Za-z0-9_]{1,128}$/, 'A payment token from the payment provider, e.g. tok_visa.')
  .meta({ example: 'tok_visa' });

export const CheckoutRequestSchema = z
  .strictObject({
    cartId: CheckoutCartIdSchema,
    shippingAddress: AddressSchema,
    payment: z.strictObject({ token: PaymentTokenSchema }),
  })
  .meta({ id: 'CheckoutRequest' });

export type CheckoutRequest = z.output<typeof CheckoutRequestSchema>;

export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,128}$/;

export const IdempotencyKeySchema = z
  .string({ error: 'The Idempotency-Key header is required.' })
  .regex(
    IDEMPOTENCY_KEY_PATTERN,
    'Idempotency-Key: 8-128 of A-Z, a-z, 0-9, "_", ".", ":", "-" (a UUID works).',
  )
  .meta({
    description:
      'One key per checkout attempt (a UUID): a retry with the same key and body is answered with the same order; the same key with another body is a 422. Kept 24 hours.',
    example: '3f0e2c9a-9a7e-4c1b-8f53-0d4a3f0c6b1e',
  });

/** The POST /checkout headers the handler reads (names are matched case-insensitively). */
export const CheckoutHeadersSchema = z.object({ 'idempotency-key': IdempotencyKeySchema });

export const OrderIdSchema = z
  .string()
  .regex(ORDER_ID_PATTERN, 'An order id as POST /checkout returned it.')
  .meta({ example: 'ord_Jx2d3mZ4kq9V1bQe0sR7tY5uW8aC6fGh' });

/**
 * The `{orderId}` path parameter of /orders/{orderId} and /orders/{orderId}/cancel. Only ids of
 * the form checkout issues are looked up: anything else is a 400, an unknown one a 404.
 */
export const OrderPathSchema = z.object({
  orderId: OrderIdSchema.meta({
    description: 'An order id as POST /checkout returned it (`ord_` and 32 of A-Z, a-z, 0-9, `_`, `-`).',
  }),
});

export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 20;

export const ListOrdersQuerySchema = z.strictObject({
  limit: limitParam('Orders', MAX_PAGE, DEFAULT_PAGE),
  cursor: cursorParam('user', 'listing'),
});

export const CancelAcceptedSchema = z
  .object({ orderId: OrderIdSchema, status: z.literal('CANCELLED') })
  .meta({
    id: 'CancelAccepted',
    description: 'Cancelled: the refund and the return of the stock follow within seconds (see the order).',
  });

export const CheckoutAcceptedSchema = z
  .object({
    orderId: OrderIdSchema,
    status: z
      .enum(ORDER_STATUSES)
      .meta({ description: 'PENDING when placed; a repeat of a settled checkout says where it got to.' }),
  })
  .meta({
    id: 'CheckoutAccepted',
    description: 'The order was placed; its saga settles it (poll GET /orders/{orderId}).',
  });

const OrderItemSchema = z.object({
  sku: z.string(),
  productId: z.string(),
  name: z.string(),
  quantity: z.int().min(1),
  unitPrice: MoneySchema,
  lineTotal: MoneySchema,
});

export const OrderSchema = z
  .object({
    orderId: OrderIdSchema,
    userId: z.string(),
    status: z.enum(ORDER_STATUSES),
    items: z.array(OrderItemSchema).meta({ description: 'The price snapshot taken at checkout.' }),
    subtotal: MoneySchema,
    shipping: MoneySchema,
    total: MoneySchema,
    shippingAddress: AddressSchema,
    payment: z.object({
      status: z.enum(PAYMENT_STATUSES),
      amount: MoneySchema.meta({ description: 'The order total: what is (or was) charged.' }),
    }),
    failureReason: z.enum(FAILURE_REASONS).optional(),
    failureMessage: z.string().optional(),
    shipments: z.array(
      z.object({
        shipmentId: z.string(),
        warehouseId: z.string(),
        items: z.array(z.object({ sku: z.string(), quantity: z.int().min(1) })),
        status: z.enum(SHIPMENT_STATUSES),
        trackingNumber: z.string().optional().meta({ description: 'Once the shipment has shipped.' }),
      }),
    ),
    timeline: z.array(
      z.object({
        status: z.enum(ORDER_STATUSES),
        at: z.iso.datetime(),
        reason: z.enum(FAILURE_REASONS).optional(),
        shipmentId: z.string().optional().meta({ description: 'The shipment this step came from.' }),
        shipmentStatus: z.enum(SHIPMENT_STATUSES).optional(),
      }),
    ),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Order' });

export const OrderPageSchema = z
  .object({
    items: z.array(OrderSchema).meta({ description: 'Newest first.' }),
    nextCursor: z.string().optional().meta({ description: 'Absent on the last page.' }),
  })
  .meta({ id: 'OrderPage' });
