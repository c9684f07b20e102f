/**
 * The fulfillment store contract in memory: each operation checks all its conditions first and
 * then applies whole, as a DynamoDB transaction does. `contend` makes the next writes answer
 * `contended`; `beforeWrite` runs just before a write checks its conditions (a concurrent writer).
 */

import type { EventDetail, EventName } from '../../../lambdas/events/catalog.ts';
import { EVENTS } from '../../../lambdas/events/catalog.ts';
import type { Publisher } from '../../../lambdas/events/publisher.ts';
import type {
  ApplyRouteResult,
  ConditionalResult,
  FulfillmentStore,
} from '../../../lambdas/fulfillment/domain/ports.ts';
import type { Allocation, Warehouse } from '../../../lambdas/fulfillment/domain/routing.ts';
import type {
  CarrierStatus,
  RoutingRecord,
  Shipment,
  ShipmentStatus,
} from '../../../lambdas/fulfillment/domain/shipment.ts';

const clone = <T>(v: T): T => structuredClone(v);
const allocKey = (warehouseId: string, sku: string) => `${warehouseId}|${sku}`;

export class InMemoryFulfillment implements FulfillmentStore {
  readonly warehouses = new Map<string, Warehouse>();
  readonly allocations = new Map<string, Allocation>();
  readonly routings = new Map<string, RoutingRecord>();
  readonly shipments = new Map<string, Shipment>();
  /** Writes still to answer `contended`. */
  contend = 0;
  /** Runs once, before the next write's conditions are checked. */
  beforeWrite?: () => void | Promise<void>;
  applies = 0;

  private async contended(): Promise<boolean> {
    const hook = this.beforeWrite;
    this.beforeWrite = undefined;
    await hook?.();
    if (this.contend <= 0) return false;
    this.contend--;
    return true;
  }

  available(warehouseId: string, sku: string): number {
    return this.allocations.get(allocKey(warehouseId, sku))?.available ?? 0;
  }

  setAllocation(warehouseId: string, sku: string, available: number) {
    this.allocations.set(allocKey(warehouseId, sku), { warehouseId, sku, available });
  }

  async putWarehouse(warehouse: Warehouse) {
    this.warehouses.set(warehouse.warehouseId, clone(warehouse));
  }

  async listWarehouses() {
    return [...this.warehouses.values()].map(clone);
  }

  async addAllocation(warehouseId: string, sku: string, quantity: number) {
    if (await this.contended()) return { kind: 'contended' as const };
    if (!this.warehouses.has(warehouseId)) return { kind: 'no-warehouse' as const };
    this.setAllocation(warehouseId, sku, this.available(warehouseId, sku) + quantity);
    return {
      kind: 'added' as const,
      allocation: clone(this.allocations.get(allocKey(warehouseId, sku)) as Allocation),
    };
  }

  async allocationsOf(skus: readonly string[]) {
    return [...this.allocations.values()].filter((a) => skus.includes(a.sku)).map(clone);
  }

  async getRouting(orderId: string) {
    const found = this.routings.get(orderId);
    return found && clone(found);
  }

  async applyRoute(routing: RoutingRecord, shipments: readonly Shipment[]): Promise<ApplyRouteResult> {
    if (await this.contended()) return { kind: 'contended' };
    if (this.routings.has(routing.orderId)) return { kind: 'exists' };
    for (const s of shipments) {
      for (const line of s.items) {
        const a = this.allocations.get(allocKey(s.warehouseId, line.sku));
        if (!a || a.available < line.quantity) return { kind: 'short' };
      }
    }
    for (const s of shipments) {
      for (const line of s.items) {
        (this.allocations.get(allocKey(s.warehouseId, line.sku)) as Allocation).available -= line.quantity;
      }
      this.shipments.set(s.shipmentId, clone(s));
    }
    this.routings.set(routing.orderId, clone(routing));
    this.applies++;
    return { kind: 'applied' };
  }

  async cancelUnrouted(routing: RoutingRecord) {
    if (await this.contended()) return { kind: 'contended' as const };
    if (this.routings.has(routing.orderId)) return { kind: 'exists' as const };
    this.routings.set(routing.orderId, clone(routing));
    return { kind: 'written' as const };
  }

  async getShipment(shipmentId: string) {
    const found = this.shipments.get(shipmentId);
    return found && clone(found);
  }

  async getShipments(shipmentIds: readonly string[]) {
    return shipmentIds.flatMap((id) => {
      const s = this.shipments.get(id);
      return s ? [clone(s)] : [];
    });
  }

  async recordTransition(next: Shipment, from: ShipmentStatus): Promise<ConditionalResult> {
    if (await this.contended()) return { kind: 'contended' };
    const current = this.shipments.get(next.shipmentId);
    if (current?.status !== from) return { kind: 'changed' };
    this.shipments.set(next.shipmentId, {
      ...current,
      status: next.status,
      updatedAt: next.updatedAt,
      history: clone(next.history),
      ...(next.trackingNumber ? { trackingNumber: next.trackingNumber } : {}),
      ...(next.unpublished ? { unpublished: next.unpublished } : {}),
    });
    return { kind: 'applied' };
  }

  async markPublished(shipmentId: string, status: CarrierStatus) {
    const current = this.shipments.get(shipmentId);
    if (current?.unpublished === status) delete current.unpublished;
  }

  async cancelShipments(orderId: string, next: readonly Shipment[], now: Date): Promise<ConditionalResult> {
    if (await this.contended()) return { kind: 'contended' };
    const routing = this.routings.get(orderId);
    if (!routing) return { kind: 'changed' };
    if (next.some((s) => this.shipments.get(s.shipmentId)?.status !== 'CREATED')) return { kind: 'changed' };
    for (const s of next) {
      const current = this.shipments.get(s.shipmentId) as Shipment;
      this.shipments.set(s.shipmentId, {
        ...current,
        status: 'CANCELLED',
        updatedAt: s.updatedAt,
        history: clone(s.history),
      });
    }
    this.routings.set(orderId, { ...routing, status: 'cancelled', updatedAt: now.toISOString() });
    return { kind: 'applied' };
  }

  async releaseShipment(shipment: Shipment, now: Date): Promise<ConditionalResult> {
    if (await this.contended()) return { kind: 'contended' };
    const current = this.shipments.get(shipment.shipmentId);
    if (current?.status !== 'CANCELLED' || current.released) return { kind: 'changed' };
    for (const line of shipment.items) {
      this.setAllocation(
        shipment.warehouseId,
        line.sku,
        this.available(shipment.warehouseId, line.sku) + line.quantity,
      );
    }
    this.shipments.set(shipment.shipmentId, { ...current, released: true, updatedAt: now.toISOString() });
    return { kind: 'applied' };
  }

  /** Units per SKU over every allocation and every shipment not yet released: conserved. */
  unitsOf(sku: string): number {
    let units = 0;
    for (const a of this.allocations.values()) if (a.sku === sku) units += a.available;
    for (const s of this.shipments.values()) {
      if (s.released) continue;
      for (const line of s.items) if (line.sku === sku) units += line.quantity;
    }
    return units;
  }
}

export interface Published {
  name: EventName;
  detail: unknown;
}

/** A publisher that validates like busPublisher and records; `fail` makes the next publishes throw. */
export class RecordingPublisher implements Publisher {
  readonly events: Published[] = [];
  fail = 0;

  async publish<E extends EventName>(name: E, detail: EventDetail<E>): Promise<void> {
    if (this.fail > 0) {
      this.fail--;
      throw new Error('PutEvents failed');
    }
    this.events.push({ name, detail: EVENTS[name].schema.parse(detail) });
  }

  of(name: EventName): Record<string, unknown>[] {
    return this.events.filter((e) => e.name === name).map((e) => e.detail as Record<string, unknown>);
  }
}

export const noWait = { attempts: 6, baseMs: 0, capMs: 0, sleep: async () => {}, random: () => 0 };
