/**
 * What fulfillment needs from storage; the DynamoDB adapter implements it, the unit tests an
 * in-memory copy. Every write is atomic and conditional: it applies whole, under the conditions
 * stated, or not at all.
 */
import type { Allocation, Warehouse } from './routing.ts';
import type { CarrierStatus, RoutingRecord, Shipment, ShipmentStatus } from './shipment.ts';

/** Another transaction held one of the items at the same moment: nothing was written, try again. */
export type Contended = { kind: 'contended' };

export type ApplyRouteResult =
  | { kind: 'applied' }
  /** The order has a routing record already (routed, or cancelled before routing): nothing written. */
  | { kind: 'exists' }
  /** Some allocation no longer has the units (read and plan again): nothing written. */
  | { kind: 'short' }
  | Contended;

export type ConditionalResult = { kind: 'applied' } | { kind: 'changed' } | Contended;

export interface FulfillmentStore {
  putWarehouse(warehouse: Warehouse): Promise<void>;
  /** Every warehouse (a short list). */
  listWarehouses(): Promise<Warehouse[]>;
  /** Adds units to a warehouse's allocation of a SKU, only if the warehouse exists. */
  addAllocation(
    warehouseId: string,
    sku: string,
    quantity: number,
  ): Promise<{ kind: 'added'; allocation: Allocation } | { kind: 'no-warehouse' } | Contended>;
  /** Every warehouse's allocation of each of the SKUs (strongly consistent). */
  allocationsOf(skus: readonly string[]): Promise<Allocation[]>;

  /** Strongly consistent. */
  getRouting(orderId: string): Promise<RoutingRecord | undefined>;
  /**
   * One transaction: the routing record (only if the order has none), the shipments, and per
   * shipment item a decrement of its warehouse's allocation (only if `available >= quantity`).
   */
  applyRoute(routing: RoutingRecord, shipments: readonly Shipment[]): Promise<ApplyRouteResult>;
  /** Writes a `cancelled` routing record for an order not routed yet (only if it has none). */
  cancelUnrouted(routing: RoutingRecord): Promise<{ kind: 'written' } | { kind: 'exists' } | Contended>;

  /** Strongly consistent. */
  getShipment(shipmentId: string): Promise<Shipment | undefined>;
  /** Strongly consistent; the ones that exist, in any order. */
  getShipments(shipmentIds: readonly string[]): Promise<Shipment[]>;
  /**
   * Writes a carrier transition (status, tracking number, history) only if the shipment is still
   * `from`, marking the event `unpublished` until `markPublished`.
   */
  recordTransition(next: Shipment, from: ShipmentStatus): Promise<ConditionalResult>;
  /** Clears the outbox marker if it still names `status`. */
  markPublished(shipmentId: string, status: CarrierStatus): Promise<void>;
  /**
   * One transaction: each shipment CREATED -> CANCELLED (only if still CREATED) and the order's
   * routing record marked `cancelled`.
   */
  cancelShipments(orderId: string, next: readonly Shipment[], now: Date): Promise<ConditionalResult>;
  /**
   * One transaction: marks the CANCELLED shipment released (only if it is CANCELLED and not
   * released yet) and adds its items back to its warehouse's allocations. `changed`: released
   * already, or not CANCELLED.
   */
  releaseShipment(shipment: Shipment, now: Date): Promise<ConditionalResult>;
}
