/**
 * Inputs of the fulfillment routes: path ids and bodies, strict (an unknown field is a 400 naming
 * it). The same schemas feed the OpenAPI document.
 */
import * as z from 'zod';
import { SKU_PATTERN } from '#catalog/domain/product.ts';
import { freeText } from '#shared/text.ts';

export const MAX_ALLOCATION_QUANTITY = 1_000_000;

export const ShipmentIdSchema = z
  .string()
  .regex(/^shp_[0-9a-f]{24}$/, 'Shipment id: "shp_" and 24 hex digits.')
  .meta({ description: 'A shipment id, as ShipmentCreated and the order state it.' });

export const WarehouseIdSchema = z
  .string()
  .regex(/^[a-z0-9-]{1,64}$/, 'Warehouse id: 1-64 of a-z, 0-9 and "-".')
  .meta({ description: 'A warehouse id, e.g. `us-east`.' });

/** `{shipmentId}`: only ids of the form routing derives are looked up (a 400 otherwise). */
export const ShipmentPathSchema = z.object({ shipmentId: ShipmentIdSchema });

/** `{warehouseId}`: the form PUT accepts (a 400 otherwise); an unknown one is a 404 where it must exist. */
export const WarehousePathSchema = z.object({ warehouseId: WarehouseIdSchema });

/**
 * Degrees, kept to 7 decimals (about 1 cm): a subnormal such as 5e-324 is a valid JSON number that
 * DynamoDB cannot store (its smallest magnitude is 1e-130), and no route needs more precision.
 */
const coordinate = (bound: number) =>
  z
    .number()
    .min(-bound)
    .max(bound)
    .transform((degrees) => Math.round(degrees * 1e7) / 1e7 || 0);

export const SkuSchema = z.string().regex(SKU_PATTERN, 'SKU: 1-64 of A-Z, 0-9, "-" and "_".');

export const TrackingNumberSchema = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,64}$/, 'Tracking number: 1-64 of A-Z, a-z, 0-9 and "-".')
  .meta({ description: "The carrier's tracking number." });

/** A carrier callback: SHIPPED needs the tracking number, DELIVERED may repeat it. */
export const CarrierEventSchema = z
  .discriminatedUnion('status', [
    z.strictObject({ status: z.literal('SHIPPED'), trackingNumber: TrackingNumberSchema }),
    z.strictObject({ status: z.literal('DELIVERED'), trackingNumber: TrackingNumberSchema.optional() }),
  ])
  .meta({
    id: 'CarrierEvent',
    description:
      'SHIPPED (with the tracking number) moves a CREATED shipment to SHIPPED; DELIVERED moves a SHIPPED one to DELIVERED.',
  });

export const WarehouseWriteSchema = z
  .strictObject({
    name: freeText(100, 'name'),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, upper case.')
      .meta({ description: 'ISO 3166-1 alpha-2 country code.' }),
    region: freeText(64, 'region').meta({ description: 'State or region code, e.g. `NJ`.' }),
    lat: coordinate(90),
    lon: coordinate(180),
  })
  .meta({ id: 'WarehouseWrite', description: 'A warehouse, created or replaced whole.' });

export const AddAllocationSchema = z
  .strictObject({
    sku: SkuSchema,
    quantity: z
      .int({ error: `A whole number from 1 to ${MAX_ALLOCATION_QUANTITY}.` })
      .min(1, `A whole number from 1 to ${MAX_ALLOCATION_QUANTITY}.`)
      .max(MAX_ALLOCATION_QUANTITY, `A whole number from 1 to ${MAX_ALLOCATION_QUANTITY}.`),
  })
  .meta({ id: 'AddAllocation', description: "Adds units of a SKU to the warehouse's allocation." });

export type CarrierEventRequest = z.output<typeof CarrierEventSchema>;
export type WarehouseWrite = z.output<typeof WarehouseWriteSchema>;
export type AddAllocation = z.output<typeof AddAllocationSchema>;
