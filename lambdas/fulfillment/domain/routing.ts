/**
 * Routing an order to warehouses: pure, no I/O. The rules, in order:
 *
 * 1. A line is shipped whole by one warehouse whenever some warehouse holds its whole quantity; a
 *    line is split across warehouses only when none does.
 * 2. The order goes to the fewest warehouses that can ship it under rule 1: one when one warehouse
 *    can ship every line. The minimum is exact (every set of each size is tried, smallest size
 *    first) for up to EXACT_SEARCH_LIMIT candidate warehouses, and a greedy cover beyond that.
 * 3. Among sets of that size, the nearest: the smallest sum of the warehouses' distances to the
 *    address, then the lexicographically smallest sorted list of warehouse ids.
 * 4. Within the chosen set, a whole line goes to the nearest warehouse holding it whole, and a
 *    split line takes units from the nearest warehouses first.
 *
 * Distance is great-circle from the address's coordinates (`geo.ts`: region centroid, else the
 * country's). With no coordinates for the address, a warehouse in its country counts as 0 and any
 * other as 1: same country first, then any, then by id.
 *
 * Every unit received into inventory is allocated to some warehouse, so an order whose lines the
 * allocations cannot cover means the allocation data is inconsistent: RoutingError, never a
 * partial route.
 */
import { greatCircleKm, locate, sameCountry } from './geo.ts';

export interface Warehouse {
  warehouseId: string;
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  region: string;
  lat: number;
  lon: number;
}

/** Units of a SKU one warehouse can ship. */
export interface Allocation {
  warehouseId: string;
  sku: string;
  available: number;
}

export interface RouteLine {
  sku: string;
  quantity: number;
}

export interface RouteAddress {
  country: string;
  region?: string;
  postalCode?: string;
}

export interface RouteInput {
  lines: readonly RouteLine[];
  address: RouteAddress;
  warehouses: readonly Warehouse[];
  allocations: readonly Allocation[];
}

export interface PlannedShipment {
  warehouseId: string;
  /** By SKU. */
  items: RouteLine[];
}

export interface RoutingShortage {
  sku: string;
  requested: number;
  /** Units of the SKU over every known warehouse. */
  allocated: number;
}

/** The allocations cannot cover the order: the allocation data is inconsistent with inventory. */
export class RoutingError extends Error {
  override readonly name = 'RoutingError';
  constructor(
    message: string,
    readonly shortages: readonly RoutingShortage[] = [],
  ) {
    super(message);
  }
}

/** Candidate warehouses up to which the minimum is found exactly (2^20 subsets at worst, as bitmasks). */
export const EXACT_SEARCH_LIMIT = 20;

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Lines merged by SKU, sorted by SKU. */
export function mergeLines(lines: readonly RouteLine[]): RouteLine[] {
  const merged = new Map<string, number>();
  for (const line of lines) merged.set(line.sku, (merged.get(line.sku) ?? 0) + line.quantity);
  return [...merged].map(([sku, quantity]) => ({ sku, quantity })).sort((a, b) => byString(a.sku, b.sku));
}

/** Each warehouse's distance from the address (km, or the 0/1 country rank without coordinates). */
export function distancesFrom(address: RouteAddress, warehouses: readonly Warehouse[]): Map<string, number> {
  const at = locate(address);
  return new Map(
    warehouses.map((w) => [
      w.warehouseId,
      at ? greatCircleKm(at, w) : sameCountry(w.country, address.country) ? 0 : 1,
    ]),
  );
}

interface Candidate {
  id: string;
  distance: number;
  /** Units per line index. */
  caps: number[];
}

const nearestFirst = (set: readonly Candidate[]) =>
  [...set].sort((a, b) => a.distance - b.distance || byString(a.id, b.id));

/** Rule 3: is set `a` nearer than set `b` (of the same size)? */
function better(a: readonly Candidate[], b: readonly Candidate[]): boolean {
  const sum = (set: readonly Candidate[]) => set.reduce((s, c) => s + c.distance, 0);
  const da = sum(a);
  const db = sum(b);
  if (da !== db) return da < db;
  const ia = a.map((c) => c.id).sort(byString);
  const ib = b.map((c) => c.id).sort(byString);
  for (let i = 0; i < ia.length; i++) {
    const order = byString(ia[i] as string, ib[i] as string);
    if (order !== 0) return order < 0;
  }
  return false;
}

/** Rule 2's exact search over subsets as bitmasks, smallest size first. */
function exactCover(candidates: readonly Candidate[], lines: readonly RouteLine[]): Candidate[] {
  const n = candidates.length;
  const wholeMasks: number[] = [];
  const splitLines: number[] = [];
  lines.forEach((line, li) => {
    let mask = 0;
    candidates.forEach((c, ci) => {
      if ((c.caps[li] ?? 0) >= line.quantity) mask |= 1 << ci;
    });
    if (mask === 0) splitLines.push(li);
    else wholeMasks.push(mask);
  });
  const feasible = (members: readonly number[], mask: number) => {
    for (const m of wholeMasks) if ((m & mask) === 0) return false;
    for (const li of splitLines) {
      let units = 0;
      for (const ci of members) units += candidates[ci]?.caps[li] ?? 0;
      if (units < (lines[li]?.quantity ?? 0)) return false;
    }
    return true;
  };
  for (let size = 1; size <= n; size++) {
    let best: Candidate[] | undefined;
    const members: number[] = [];
    const walk = (from: number, mask: number) => {
      if (members.length === size) {
        if (!feasible(members, mask)) return;
        const set = members.map((ci) => candidates[ci] as Candidate);
        if (!best || better(set, best)) best = set;
        return;
      }
      for (let ci = from; ci <= n - (size - members.length); ci++) {
        members.push(ci);
        walk(ci + 1, mask | (1 << ci));
        members.pop();
      }
    };
    walk(0, 0);
    if (best) return best;
  }
  // Unreachable: the caller checked that all candidates together cover every line.
  throw new RoutingError('No set of warehouses covers the order.');
}

/**
 * Rule 2 beyond the exact limit: repeatedly add the warehouse that covers the most of what is still
 * missing (a whole line counts 1, a split line the share of its quantity the warehouse adds),
 * nearest then id on ties. Not always minimal, always a valid cover.
 */
function greedyCover(candidates: readonly Candidate[], lines: readonly RouteLine[]): Candidate[] {
  const wholeable = lines.map((line, li) => candidates.some((c) => (c.caps[li] ?? 0) >= line.quantity));
  const chosen: Candidate[] = [];
  const covered = lines.map(() => false);
  const remaining = lines.map((l) => l.quantity);
  const gain = (c: Candidate) =>
    lines.reduce((g, line, li) => {
      if (wholeable[li]) return g + (!covered[li] && (c.caps[li] ?? 0) >= line.quantity ? 1 : 0);
      return g + Math.min(c.caps[li] ?? 0, remaining[li] ?? 0) / line.quantity;
    }, 0);
  while (covered.some((c) => !c) || remaining.some((r, li) => !wholeable[li] && r > 0)) {
    let pick: Candidate | undefined;
    let pickGain = 0;
    // Nearest first, so the first of equal gains wins the tie.
    for (const c of nearestFirst(candidates)) {
      if (chosen.includes(c)) continue;
      const g = gain(c);
      if (g > pickGain) {
        pick = c;
        pickGain = g;
      }
    }
    if (!pick) throw new RoutingError('No set of warehouses covers the order.');
    chosen.push(pick);
    lines.forEach((line, li) => {
      const cap = pick.caps[li] ?? 0;
      if (wholeable[li]) {
        if (cap >= line.quantity) covered[li] = true;
      } else {
        covered[li] = true;
        remaining[li] = Math.max(0, (remaining[li] ?? 0) - cap);
      }
    });
  }
  return chosen;
}

/** Rule 4: the lines of the order over the chosen warehouses. */
function assign(chosen: readonly Candidate[], lines: readonly RouteLine[]): PlannedShipment[] {
  const nearest = nearestFirst(chosen);
  const items = new Map<string, RouteLine[]>();
  const add = (id: string, sku: string, quantity: number) => {
    items.set(id, [...(items.get(id) ?? []), { sku, quantity }]);
  };
  lines.forEach((line, li) => {
    const whole = nearest.find((c) => (c.caps[li] ?? 0) >= line.quantity);
    if (whole) {
      add(whole.id, line.sku, line.quantity);
      return;
    }
    let left = line.quantity;
    for (const c of nearest) {
      const take = Math.min(left, c.caps[li] ?? 0);
      if (take > 0) add(c.id, line.sku, take);
      left -= take;
      if (left === 0) break;
    }
  });
  return [...items]
    .map(([warehouseId, its]) => ({ warehouseId, items: its.sort((a, b) => byString(a.sku, b.sku)) }))
    .sort((a, b) => byString(a.warehouseId, b.warehouseId));
}

/** The shipments of the order: rules 1-4 above. Throws RoutingError when the allocations cannot cover it. */
export function planRoute(input: RouteInput): PlannedShipment[] {
  const lines = mergeLines(input.lines);
  if (lines.length === 0) throw new RoutingError('The order has no lines.');
  const distances = distancesFrom(input.address, input.warehouses);
  const lineOf = new Map(lines.map((l, i) => [l.sku, i]));
  const caps = new Map<string, number[]>();
  for (const a of input.allocations) {
    const li = lineOf.get(a.sku);
    // Allocations of warehouses the store does not know are not shippable.
    if (li === undefined || a.available <= 0 || !distances.has(a.warehouseId)) continue;
    const row = caps.get(a.warehouseId) ?? lines.map(() => 0);
    row[li] = (row[li] ?? 0) + a.available;
    caps.set(a.warehouseId, row);
  }
  const candidates: Candidate[] = [...caps]
    .map(([id, row]) => ({ id, distance: distances.get(id) ?? 0, caps: row }))
    .sort((a, b) => byString(a.id, b.id));

  const shortages = lines
    .map((line, li) => ({
      sku: line.sku,
      requested: line.quantity,
      allocated: candidates.reduce((s, c) => s + (c.caps[li] ?? 0), 0),
    }))
    .filter((s) => s.allocated < s.requested);
  if (shortages.length > 0) {
    throw new RoutingError(
      `Warehouse allocations cannot cover the order: ${shortages
        .map((s) => `${s.sku} (wanted ${s.requested}, allocated ${s.allocated})`)
        .join(', ')}.`,
      shortages,
    );
  }
  const chosen =
    candidates.length <= EXACT_SEARCH_LIMIT ? exactCover(candidates, lines) : greedyCover(candidates, lines);
  return assign(chosen, lines);
}
