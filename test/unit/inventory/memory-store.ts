/**
 * The inventory store contract in memory: each operation checks all its conditions first and then
 * applies whole, as a DynamoDB transaction does. `contend` makes the next calls answer
 * `contended`, as DynamoDB does when another transaction holds an item.
 */
import type { HoldResult, InventoryStore, ReceiveResult, SettleResult } from '#inventory/domain/ports.ts';
import { epochSeconds, MAX_STOCK, type Reservation, type Stock } from '#inventory/domain/stock.ts';

export class InMemoryInventory implements InventoryStore {
  readonly stock = new Map<string, Stock>();
  readonly reservations = new Map<string, Reservation>();
  /** Calls still to answer `contended`. */
  contend = 0;
  holds = 0;
  settles = 0;

  private contended(): boolean {
    if (this.contend <= 0) return false;
    this.contend--;
    return true;
  }

  async getStock(sku: string) {
    const stock = this.stock.get(sku);
    return stock && { ...stock };
  }

  async receive(sku: string, quantity: number, now: Date): Promise<ReceiveResult> {
    if (this.contended()) return { kind: 'contended' };
    const current = this.stock.get(sku) ?? {
      sku,
      available: 0,
      reserved: 0,
      sold: 0,
      received: 0,
      version: 0,
      updatedAt: '',
    };
    if (current.received > MAX_STOCK - quantity) return { kind: 'full' };
    const next = {
      ...current,
      available: current.available + quantity,
      received: current.received + quantity,
      version: current.version + 1,
      updatedAt: now.toISOString(),
    };
    this.stock.set(sku, next);
    return { kind: 'received', stock: { ...next } };
  }

  async getReservation(orderId: string) {
    const found = this.reservations.get(orderId);
    return found && structuredClone(found);
  }

  async hold(reservation: Reservation): Promise<HoldResult> {
    if (this.contended()) return { kind: 'contended' };
    const existing = this.reservations.get(reservation.orderId);
    if (existing) return { kind: 'exists', reservation: structuredClone(existing) };
    const shortages = reservation.lines
      .map((line) => ({ line, available: this.stock.get(line.sku)?.available }))
      .filter(({ line, available }) => available === undefined || available < line.quantity)
      .map(({ line, available }) => ({ sku: line.sku, requested: line.quantity, available: available ?? 0 }));
    if (shortages.length > 0) return { kind: 'short', shortages };
    for (const line of reservation.lines) {
      const stock = this.stock.get(line.sku) as Stock;
      stock.available -= line.quantity;
      stock.reserved += line.quantity;
      stock.version++;
    }
    this.reservations.set(reservation.orderId, structuredClone(reservation));
    this.holds++;
    return { kind: 'held', reservation };
  }

  async settle(
    reservation: Reservation,
    to: 'RELEASED' | 'COMMITTED',
    now: Date,
    expiredBy?: Date,
  ): Promise<SettleResult> {
    if (this.contended()) return { kind: 'contended' };
    const current = this.reservations.get(reservation.orderId);
    if (current?.status !== 'HELD') return { kind: 'changed' };
    if (expiredBy && current.expiresAt > epochSeconds(expiredBy)) return { kind: 'changed' };
    for (const line of reservation.lines) {
      const stock = this.stock.get(line.sku) as Stock;
      if (stock.reserved < line.quantity) throw new Error(`reserved below zero for ${line.sku}`);
    }
    for (const line of reservation.lines) {
      const stock = this.stock.get(line.sku) as Stock;
      stock.reserved -= line.quantity;
      if (to === 'RELEASED') stock.available += line.quantity;
      else stock.sold += line.quantity;
      stock.version++;
    }
    const next = { ...current, status: to, updatedAt: now.toISOString() };
    this.reservations.set(reservation.orderId, next);
    this.settles++;
    return { kind: 'settled', reservation: structuredClone(next) };
  }

  async returnSold(reservation: Reservation, now: Date): Promise<SettleResult> {
    if (this.contended()) return { kind: 'contended' };
    const current = this.reservations.get(reservation.orderId);
    if (current?.status !== 'COMMITTED') return { kind: 'changed' };
    for (const line of reservation.lines) {
      const stock = this.stock.get(line.sku) as Stock;
      if (stock.sold < line.quantity) throw new Error(`sold below zero for ${line.sku}`);
      stock.sold -= line.quantity;
      stock.available += line.quantity;
      stock.version++;
    }
    const next = { ...current, status: 'RETURNED' as const, updatedAt: now.toISOString() };
    this.reservations.set(reservation.orderId, next);
    return { kind: 'settled', reservation: structuredClone(next) };
  }

  async expiredHolds(now: Date, limit: number) {
    return [...this.reservations.values()]
      .filter((r) => r.status === 'HELD' && r.expiresAt <= epochSeconds(now))
      .map((r) => r.orderId)
      .slice(0, limit);
  }

  /** Every SKU: available + reserved + sold = received, and no count below zero. */
  invariantHolds(): boolean {
    return [...this.stock.values()].every(
      (s) =>
        s.available + s.reserved + s.sold === s.received &&
        s.available >= 0 &&
        s.reserved >= 0 &&
        s.sold >= 0,
    );
  }
}
