import { describe, expect, it } from 'vitest';
import { greatCircleKm, locate } from '../../../lambdas/fulfillment/domain/geo.ts';
import {
  type Allocation,
  distancesFrom,
  EXACT_SEARCH_LIMIT,
  type PlannedShipment,
  planRoute,
  type RouteAddress,
  type RouteLine,
  RoutingError,
  type Warehouse,
} from '../../../lambdas/fulfillment/domain/routing.ts';

const wh = (warehouseId: string, lat: number, lon: number, country = 'US', region = 'XX'): Warehouse => ({
  warehouseId,
  name: warehouseId,
  country,
  region,
  lat,
  lon,
});
const NJ = wh('us-east', 40.52, -74.41, 'US', 'NJ');
const TX = wh('us-central', 32.78, -96.8, 'US', 'TX');
const CA = wh('us-west', 34.06, -117.65, 'US', 'CA');
const DE = wh('eu-central', 50.11, 8.68, 'DE', 'HE');
const ALL = [NJ, TX, CA, DE];

const NY: RouteAddress = { country: 'US', region: 'NY', postalCode: '10001' };
const LA: RouteAddress = { country: 'US', region: 'CA', postalCode: '90001' };
const BERLIN: RouteAddress = { country: 'DE', region: 'BE', postalCode: '10115' };

const alloc = (warehouseId: string, stock: Record<string, number>): Allocation[] =>
  Object.entries(stock).map(([sku, available]) => ({ warehouseId, sku, available }));
const line = (sku: string, quantity: number): RouteLine => ({ sku, quantity });

describe('geography', () => {
  it('places an address at its region, else its country, else nowhere', () => {
    expect(locate({ country: 'US', region: 'NY' })).toEqual({ lat: 42.9, lon: -75.5 });
    expect(locate({ country: 'us', region: ' ny ' })).toEqual({ lat: 42.9, lon: -75.5 });
    expect(locate({ country: 'US', region: 'Atlantis' })).toEqual({ lat: 39.8, lon: -98.6 });
    expect(locate({ country: 'US' })).toEqual({ lat: 39.8, lon: -98.6 });
    expect(locate({ country: 'DE', region: 'BE' })).toEqual({ lat: 51.2, lon: 10.4 });
    expect(locate({ country: 'ZZ', region: 'NY' })).toBeUndefined();
  });

  it('measures great-circle distances', () => {
    // New York to London is about 5,570 km.
    expect(greatCircleKm({ lat: 40.71, lon: -74.01 }, { lat: 51.51, lon: -0.13 })).toBeCloseTo(5570, -1);
    expect(greatCircleKm(NJ, NJ)).toBe(0);
  });

  it('without coordinates for the address, ranks warehouses of its country first, then any', () => {
    const local = wh('zz-1', 0, 0, 'ZZ');
    expect(distancesFrom({ country: 'ZZ' }, [NJ, local])).toEqual(
      new Map([
        ['us-east', 1],
        ['zz-1', 0],
      ]),
    );
    const route = planRoute({
      lines: [line('A', 1)],
      address: { country: 'ZZ' },
      warehouses: [NJ, local],
      allocations: [...alloc('us-east', { A: 5 }), ...alloc('zz-1', { A: 5 })],
    });
    expect(route.map((s) => s.warehouseId)).toEqual(['zz-1']);
  });
});

describe('routing: one warehouse', () => {
  const everywhere = ALL.flatMap((w) => alloc(w.warehouseId, { A: 10, B: 10 }));

  it('sends the order to the nearest warehouse that can ship every line', () => {
    const lines = [line('A', 2), line('B', 1)];
    expect(planRoute({ lines, address: NY, warehouses: ALL, allocations: everywhere })).toEqual([
      { warehouseId: 'us-east', items: [line('A', 2), line('B', 1)] },
    ]);
    expect(planRoute({ lines, address: LA, warehouses: ALL, allocations: everywhere })[0]?.warehouseId).toBe(
      'us-west',
    );
    expect(
      planRoute({ lines, address: BERLIN, warehouses: ALL, allocations: everywhere })[0]?.warehouseId,
    ).toBe('eu-central');
  });

  it('prefers one far warehouse with everything over two near ones that would split the order', () => {
    const allocations = [
      ...alloc('us-east', { A: 5 }),
      ...alloc('us-central', { B: 5 }),
      ...alloc('us-west', { A: 5, B: 5 }),
    ];
    expect(
      planRoute({ lines: [line('A', 1), line('B', 1)], address: NY, warehouses: ALL, allocations }),
    ).toEqual([{ warehouseId: 'us-west', items: [line('A', 1), line('B', 1)] }]);
  });

  it('breaks a tie of equal distance by warehouse id', () => {
    const twinA = wh('b-twin', 40, -75);
    const twinB = wh('a-twin', 40, -75);
    const allocations = [...alloc('b-twin', { A: 1 }), ...alloc('a-twin', { A: 1 })];
    expect(
      planRoute({ lines: [line('A', 1)], address: NY, warehouses: [twinA, twinB], allocations }),
    ).toEqual([{ warehouseId: 'a-twin', items: [line('A', 1)] }]);
  });

  it('merges repeated lines of a SKU and ignores allocations of unknown warehouses and other SKUs', () => {
    const allocations = [...alloc('ghost', { A: 100 }), ...alloc('us-west', { A: 3, Z: 9 })];
    expect(
      planRoute({ lines: [line('A', 1), line('A', 2)], address: NY, warehouses: ALL, allocations }),
    ).toEqual([{ warehouseId: 'us-west', items: [line('A', 3)] }]);
  });
});

describe('routing: splits', () => {
  it('splits across the fewest warehouses, each shared line from the nearest of them', () => {
    const allocations = [
      ...alloc('us-east', { A: 5, C: 5 }),
      ...alloc('us-central', { D: 5 }),
      ...alloc('us-west', { B: 5, C: 5, D: 5 }),
      ...alloc('eu-central', { A: 5, B: 5 }),
    ];
    const lines = [line('A', 1), line('B', 1), line('C', 1), line('D', 1)];
    expect(planRoute({ lines, address: NY, warehouses: ALL, allocations })).toEqual([
      { warehouseId: 'us-east', items: [line('A', 1), line('C', 1)] },
      { warehouseId: 'us-west', items: [line('B', 1), line('D', 1)] },
    ]);
  });

  it('among sets of the fewest warehouses, takes the nearest set', () => {
    // {us-east, us-central} and {us-east, eu-central} both cover; the first is nearer to LA overall.
    const allocations = [
      ...alloc('us-east', { A: 5 }),
      ...alloc('us-central', { B: 5 }),
      ...alloc('eu-central', { B: 5 }),
    ];
    const route = planRoute({
      lines: [line('A', 1), line('B', 1)],
      address: LA,
      warehouses: ALL,
      allocations,
    });
    expect(route.map((s) => s.warehouseId)).toEqual(['us-central', 'us-east']);
  });

  it('splits a line only when no warehouse has its whole quantity, nearest units first', () => {
    const allocations = [
      ...alloc('us-east', { A: 6 }),
      ...alloc('us-central', { A: 6 }),
      ...alloc('us-west', { A: 6 }),
    ];
    expect(planRoute({ lines: [line('A', 10)], address: NY, warehouses: ALL, allocations })).toEqual([
      { warehouseId: 'us-central', items: [line('A', 4)] },
      { warehouseId: 'us-east', items: [line('A', 6)] },
    ]);
  });

  it('never splits a line some warehouse holds whole, even when a split would be nearer', () => {
    // us-east + us-central could share A (6 + 6) with B at us-east; eu-central holds all 10 of A.
    const allocations = [
      ...alloc('us-east', { A: 6, B: 1 }),
      ...alloc('us-central', { A: 6 }),
      ...alloc('eu-central', { A: 10 }),
    ];
    expect(
      planRoute({ lines: [line('A', 10), line('B', 1)], address: NY, warehouses: ALL, allocations }),
    ).toEqual([
      { warehouseId: 'eu-central', items: [line('A', 10)] },
      { warehouseId: 'us-east', items: [line('B', 1)] },
    ]);
  });

  it('refuses an order the allocations cannot cover, naming each short SKU', () => {
    const allocations = [...alloc('us-east', { A: 2 }), ...alloc('us-west', { A: 2, B: 1 })];
    const route = () =>
      planRoute({
        lines: [line('A', 5), line('B', 1), line('C', 1)],
        address: NY,
        warehouses: ALL,
        allocations,
      });
    expect(route).toThrow(RoutingError);
    try {
      route();
    } catch (error) {
      expect((error as RoutingError).shortages).toEqual([
        { sku: 'A', requested: 5, allocated: 4 },
        { sku: 'C', requested: 1, allocated: 0 },
      ]);
      expect((error as Error).message).toContain('A (wanted 5, allocated 4)');
    }
    expect(() => planRoute({ lines: [], address: NY, warehouses: ALL, allocations })).toThrow(RoutingError);
  });
});

/** A small deterministic PRNG (mulberry32), so every run checks the same cases. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  lines: RouteLine[];
  warehouses: Warehouse[];
  allocations: Allocation[];
  address: RouteAddress;
}

function randomCase(random: () => number, maxWarehouses: number): Case {
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const nw = int(1, maxWarehouses);
  const warehouses = Array.from({ length: nw }, (_, i) =>
    // Coarse coordinates make equal distances (ties) common.
    wh(`w${i}`, 30 + 5 * int(0, 3), -120 + 15 * int(0, 3)),
  );
  const skus = Array.from({ length: int(1, 5) }, (_, i) => `S${i}`);
  const lines = skus.map((sku) => line(sku, int(1, 6)));
  const allocations: Allocation[] = [];
  for (const w of warehouses) {
    for (const sku of skus) {
      if (random() < 0.55) allocations.push({ warehouseId: w.warehouseId, sku, available: int(1, 6) });
    }
  }
  return {
    lines,
    warehouses,
    allocations,
    address: { country: 'US', region: ['NY', 'TX', 'CA'][int(0, 2)] },
  };
}

/** Brute force over every subset: is the set feasible under the whole-line rule, and the best one. */
function bruteForce(c: Case): { size: number; best: string[] } | undefined {
  const cap = (w: string, sku: string) =>
    c.allocations.filter((a) => a.warehouseId === w && a.sku === sku).reduce((s, a) => s + a.available, 0);
  const ids = c.warehouses.map((w) => w.warehouseId);
  const wholeSomewhere = (l: RouteLine) => ids.some((w) => cap(w, l.sku) >= l.quantity);
  const distances = distancesFrom(c.address, c.warehouses);
  let found: { size: number; cost: number; best: string[] } | undefined;
  for (let mask = 1; mask < 1 << ids.length; mask++) {
    const set = ids.filter((_, i) => mask & (1 << i));
    const ok = c.lines.every((l) =>
      wholeSomewhere(l)
        ? set.some((w) => cap(w, l.sku) >= l.quantity)
        : set.reduce((s, w) => s + cap(w, l.sku), 0) >= l.quantity,
    );
    if (!ok) continue;
    const cost = set.reduce((s, w) => s + (distances.get(w) ?? 0), 0);
    const sorted = [...set].sort();
    if (
      !found ||
      set.length < found.size ||
      (set.length === found.size &&
        (cost < found.cost || (cost === found.cost && sorted.join(',') < found.best.join(','))))
    ) {
      found = { size: set.length, cost, best: sorted };
    }
  }
  return found;
}

/** The plan ships every line exactly, within allocations, and splits only lines no warehouse holds whole. */
function expectValid(c: Case, plan: PlannedShipment[]) {
  const cap = (w: string, sku: string) =>
    c.allocations.filter((a) => a.warehouseId === w && a.sku === sku).reduce((s, a) => s + a.available, 0);
  for (const l of c.lines) {
    const pieces = plan.flatMap((s) =>
      s.items.filter((i) => i.sku === l.sku).map((i) => ({ w: s.warehouseId, q: i.quantity })),
    );
    expect(pieces.reduce((s, p) => s + p.q, 0)).toBe(l.quantity);
    for (const p of pieces) expect(p.q).toBeLessThanOrEqual(cap(p.w, l.sku));
    if (c.warehouses.some((w) => cap(w.warehouseId, l.sku) >= l.quantity)) expect(pieces).toHaveLength(1);
  }
  for (const s of plan) expect(s.items.length).toBeGreaterThan(0);
}

describe('routing: minimality, checked by brute force', () => {
  it('routes 2,000 random small orders to exactly the fewest, nearest warehouses (or refuses them)', () => {
    const random = rng(20_240_601);
    let routed = 0;
    let split = 0;
    for (let i = 0; i < 2000; i++) {
      const c = randomCase(random, 7);
      const expected = bruteForce(c);
      if (!expected) {
        expect(() => planRoute(c)).toThrow(RoutingError);
        continue;
      }
      const plan = planRoute(c);
      expectValid(c, plan);
      expect(plan.map((s) => s.warehouseId).sort(), JSON.stringify(c)).toEqual(expected.best);
      routed++;
      if (plan.length > 1) split++;
    }
    // The cases exercise both outcomes and real splits.
    expect(routed).toBeGreaterThan(500);
    expect(split).toBeGreaterThan(100);
  });

  it('beyond the exact limit, still answers a valid cover (greedy), one warehouse when one suffices', () => {
    const random = rng(7);
    const many = (c: Case) => c.warehouses.length > EXACT_SEARCH_LIMIT;
    let checked = 0;
    for (let i = 0; i < 200; i++) {
      const c = randomCase(random, 30);
      if (!many(c) || !bruteForceFeasible(c)) continue;
      expectValid(c, planRoute(c));
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
    const warehouses = Array.from({ length: 25 }, (_, i) =>
      wh(`w${String(i).padStart(2, '0')}`, 40, -75 - i),
    );
    const allocations = [
      ...warehouses.map((w) => ({ warehouseId: w.warehouseId, sku: 'A', available: 1 })),
      { warehouseId: 'w17', sku: 'A', available: 9 },
      { warehouseId: 'w17', sku: 'B', available: 9 },
    ];
    expect(planRoute({ lines: [line('A', 2), line('B', 1)], address: NY, warehouses, allocations })).toEqual([
      { warehouseId: 'w17', items: [line('A', 2), line('B', 1)] },
    ]);
  });

  it('finds the exact minimum over 20 warehouses in time when it needs many of them', () => {
    const warehouses = Array.from({ length: 20 }, (_, i) =>
      wh(`w${String(i).padStart(2, '0')}`, 40, -75 - i),
    );
    // Ten SKUs, each held by one warehouse only: the minimum is ten, after every smaller size failed.
    const allocations = Array.from({ length: 10 }, (_, i) => ({
      warehouseId: `w${String(2 * i).padStart(2, '0')}`,
      sku: `S${i}`,
      available: 1,
    }));
    const lines = Array.from({ length: 10 }, (_, i) => line(`S${i}`, 1));
    const started = performance.now();
    expect(planRoute({ lines, address: NY, warehouses, allocations })).toHaveLength(10);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

function bruteForceFeasible(c: Case): boolean {
  const total = (sku: string) =>
    c.allocations.filter((a) => a.sku === sku).reduce((s, a) => s + a.available, 0);
  return c.lines.every((l) => total(l.sku) >= l.quantity);
}
