import { ConflictError, NotFoundError, UnprocessableError } from '#shared/errors.ts';
import { MAX_STOCK, type Shortage } from './stock.ts';

/** A SKU that has never been received has no inventory record. */
export class StockNotFoundError extends NotFoundError {
  constructor(readonly sku: string) {
    super(`No stock was ever received for SKU ${sku}; POST /admin/inventory/${sku}/receive creates it.`);
  }
}

/**
 * OUT_OF_STOCK: a reservation was refused because these SKUs (exactly these: every other SKU of
 * the order had enough) lacked the units; nothing was held.
 */
export class OutOfStockError extends UnprocessableError {
  readonly code = 'OUT_OF_STOCK';
  constructor(readonly shortages: readonly Shortage[]) {
    super(
      `Out of stock: ${shortages.map((s) => `${s.sku} (wanted ${s.requested}, available ${s.available})`).join(', ')}.`,
    );
  }

  get skus(): string[] {
    return this.shortages.map((s) => s.sku);
  }
}

/** The order already holds a reservation of other SKUs or quantities; it is never silently changed. */
export class ReservationConflictError extends ConflictError {
  readonly code = 'RESERVATION_CONFLICT';
  constructor(readonly orderId: string) {
    super(`Order ${orderId} already has a reservation with other lines.`);
  }
}

/** Nothing was ever reserved for the order, so there is nothing to commit. */
export class ReservationNotFoundError extends NotFoundError {
  readonly code = 'RESERVATION_NOT_FOUND';
  constructor(readonly orderId: string) {
    super(`Order ${orderId} has no reservation.`);
  }
}

/**
 * The hold was released (it expired and the reaper returned the units, or the order was
 * compensated): committing now could sell units another order holds, so the saga compensates.
 */
export class ReservationReleasedError extends ConflictError {
  readonly code = 'RESERVATION_RELEASED';
  constructor(readonly orderId: string) {
    super(`The reservation of order ${orderId} was released; its units are no longer held.`);
  }
}

/** The units were sold: releasing them now would put sold units back on the shelf. */
export class ReservationCommittedError extends ConflictError {
  readonly code = 'RESERVATION_COMMITTED';
  constructor(readonly orderId: string) {
    super(`The reservation of order ${orderId} was committed; sold units are not released.`);
  }
}

export class StockLimitError extends UnprocessableError {
  constructor(readonly sku: string) {
    super(`SKU ${sku} would exceed ${MAX_STOCK} units received.`);
  }
}

/** Other transactions kept holding the same items; the caller may retry. */
export class InventoryBusyError extends ConflictError {
  constructor(what: string) {
    super(`${what} kept conflicting with concurrent writes; retry.`);
  }
}
