/**
 * The fulfillment service's published module for the orders service: the cancel call
 * (`POST /orders/{orderId}/cancel` asks it before it cancels anything else).
 *
 * `cancelShipments(orderId)`, in one TransactWriteItems, moves every CREATED shipment of the order
 * to CANCELLED, each on condition it is still CREATED, and marks the order's routing record
 * cancelled. Outcomes:
 * - `cancelled`: every shipment is CANCELLED now (a repeat answers the same);
 * - `shipped`: some shipment is SHIPPED or DELIVERED; nothing changed (answer 409);
 * - `none`: the order was not routed yet; a `cancelled` routing record now makes its RouteOrder a
 *   no-op, so it never will be.
 * The units go back to the warehouses when OrderCancelled reaches ReleaseShipments.
 *
 * The caller's environment: FULFILLMENT_SHIPMENTS_TABLE (the shipments table's name). Its IAM, on
 * that table only: dynamodb:GetItem (the routing record), dynamodb:BatchGetItem (the shipments),
 * dynamodb:PutItem (the `cancelled` record of an unrouted order), dynamodb:UpdateItem (the
 * transaction's items).
 */
import { documentClient } from '#shared/dynamodb.ts';
import { DynamoDbFulfillmentStore } from './adapters/dynamodb-fulfillment-store.ts';
import { SHIPMENTS_TABLE_ENV } from './adapters/table-layout.ts';
import { type CancelOutcome, cancelOrderShipments } from './domain/use-cases.ts';

export { CANCEL_SHIPMENTS_ACTIONS, SHIPMENTS_TABLE_ENV } from './adapters/table-layout.ts';
export type { OrderShipment, ShipmentStatus } from './domain/shipment.ts';
export type { CancelOutcome } from './domain/use-cases.ts';

let store: DynamoDbFulfillmentStore | undefined;

export function cancelShipments(orderId: string): Promise<CancelOutcome> {
  const table = process.env[SHIPMENTS_TABLE_ENV];
  if (!table) throw new Error(`Invalid environment: ${SHIPMENTS_TABLE_ENV}: required`);
  store ??= new DynamoDbFulfillmentStore(documentClient(), { shipmentsTable: table });
  return cancelOrderShipments({ store }, orderId);
}
