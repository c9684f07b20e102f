import { ConflictError, NotFoundError } from '#shared/errors.ts';

export class ShipmentNotFoundError extends NotFoundError {
  constructor(readonly shipmentId: string) {
    super(`No shipment ${shipmentId}.`);
  }
}

export class WarehouseNotFoundError extends NotFoundError {
  constructor(readonly warehouseId: string) {
    super(`No warehouse ${warehouseId}; PUT /admin/warehouses/${warehouseId} creates it.`);
  }
}

/** A carrier status the shipment cannot take from where it is (409). */
export class ShipmentStateError extends ConflictError {
  readonly code = 'SHIPMENT_STATE';
}

/** Concurrent writes kept changing the same items; the caller (or SQS) retries. */
export class FulfillmentBusyError extends ConflictError {
  constructor(what: string) {
    super(`${what} kept conflicting with concurrent writes; retry.`);
  }
}
