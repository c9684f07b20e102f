/**
 * The fulfillment admin routes on any deps: each handler binds one to the wiring, the unit tests
 * to the in-memory store. Admin first (401/403 before the body is read), then the path and body
 * validated (400), then the use case, whose domain errors the shared HTTP layer maps (404, 409).
 */
import { requireAdmin } from '#shared/auth.ts';
import { httpHandler, jsonBody } from '#shared/http.ts';
import { validate } from '#shared/validation.ts';
import {
  AddAllocationSchema,
  CarrierEventSchema,
  ShipmentPathSchema,
  WarehousePathSchema,
  WarehouseWriteSchema,
} from '../domain/requests.ts';
import {
  addAllocation,
  type FulfillmentDeps,
  getShipment,
  putWarehouse,
  recordCarrierEvent,
} from '../domain/use-cases.ts';

/** POST /admin/shipments/{shipmentId}/events: a carrier callback. */
export function shipmentEventRoute(deps: FulfillmentDeps) {
  return httpHandler(async (event) => {
    requireAdmin(event);
    const { shipmentId } = validate(
      ShipmentPathSchema,
      { shipmentId: event.pathParameters?.shipmentId },
      'path',
    );
    const body = validate(CarrierEventSchema, jsonBody(event), 'carrier event');
    return { status: 200, body: await recordCarrierEvent(deps, shipmentId, body) };
  });
}

/** GET /admin/shipments/{shipmentId}. */
export function getShipmentRoute(deps: Pick<FulfillmentDeps, 'store'>) {
  return httpHandler(async (event) => {
    requireAdmin(event);
    const { shipmentId } = validate(
      ShipmentPathSchema,
      { shipmentId: event.pathParameters?.shipmentId },
      'path',
    );
    return { status: 200, body: await getShipment(deps, shipmentId) };
  });
}

/** PUT /admin/warehouses/{warehouseId}: creates or replaces a warehouse. */
export function putWarehouseRoute(deps: Pick<FulfillmentDeps, 'store'>) {
  return httpHandler(async (event) => {
    requireAdmin(event);
    const { warehouseId } = validate(
      WarehousePathSchema,
      { warehouseId: event.pathParameters?.warehouseId },
      'path',
    );
    const body = validate(WarehouseWriteSchema, jsonBody(event), 'warehouse');
    return { status: 200, body: await putWarehouse(deps, warehouseId, body) };
  });
}

/** POST /admin/warehouses/{warehouseId}/allocations: adds units of a SKU to the warehouse. */
export function addAllocationRoute(deps: Pick<FulfillmentDeps, 'store'>) {
  return httpHandler(async (event) => {
    requireAdmin(event);
    const { warehouseId } = validate(
      WarehousePathSchema,
      { warehouseId: event.pathParameters?.warehouseId },
      'path',
    );
    const body = validate(AddAllocationSchema, jsonBody(event), 'allocation');
    return { status: 200, body: await addAllocation(deps, warehouseId, body) };
  });
}
