import { describe, expect, it } from 'vitest';
import { planRoute } from '../../../lambdas/fulfillment/domain/routing.ts';
import {
  allocationsFor,
  DEMO_WAREHOUSES,
  type SeedClient,
  seedFulfillment,
} from '../../../lambdas/fulfillment/seed.ts';

const skus = Array.from({ length: 400 }, (_, i) => `SKU-${i}`);

describe('seed allocations', () => {
  it('splits every SKU exactly, deterministically, half at its home warehouse', () => {
    const allocations = allocationsFor(skus, 100);
    expect(allocationsFor(skus, 100)).toEqual(allocations);
    const bySku = new Map<string, number[]>();
    for (const a of allocations) bySku.set(a.sku, [...(bySku.get(a.sku) ?? []), a.quantity]);
    for (const sku of skus) {
      const shares = bySku.get(sku) ?? [];
      expect(
        shares.reduce((s, q) => s + q, 0),
        sku,
      ).toBe(100);
      expect(shares[0] === 100 || shares[0] === 50, sku).toBe(true);
    }
    const counts = [...bySku.values()].map((s) => s.length);
    const single = counts.filter((n) => n === 1).length;
    // Most SKUs at all four warehouses, about a quarter at one only, so orders do split.
    expect(counts.every((n) => n === 1 || n === 4)).toBe(true);
    expect(single).toBeGreaterThan(60);
    expect(single).toBeLessThan(140);
    const homes = new Set(allocations.map((a) => a.warehouseId));
    expect([...homes].sort()).toEqual(DEMO_WAREHOUSES.map((w) => w.warehouseId).sort());
    for (const a of allocationsFor(skus, 3)) expect(a.quantity).toBeGreaterThan(0);
  });

  it('makes demo orders route, some of them split', () => {
    const allocations = allocationsFor(skus, 20).map((a) => ({ ...a, available: a.quantity }));
    let split = 0;
    for (let i = 0; i < 50; i++) {
      const lines = [skus[i], skus[i + 100], skus[i + 200]].map((sku) => ({
        sku: sku as string,
        quantity: 2,
      }));
      const route = planRoute({
        lines,
        address: { country: 'US', region: 'NY' },
        warehouses: DEMO_WAREHOUSES,
        allocations,
      });
      if (route.length > 1) split++;
    }
    expect(split).toBeGreaterThan(0);
  });

  it('loads warehouses then allocations through the admin routes, failing on any refusal', async () => {
    const calls: string[] = [];
    const client: SeedClient = {
      request: async (method, path, opts) => {
        expect(opts.token).toBe('admin-token');
        calls.push(`${method} ${path}`);
        return { status: 200, body: {} };
      },
    };
    const result = await seedFulfillment(client, {
      token: 'admin-token',
      skus: skus.slice(0, 10),
      unitsPerSku: 8,
    });
    expect(calls.slice(0, 4)).toEqual(DEMO_WAREHOUSES.map((w) => `PUT /admin/warehouses/${w.warehouseId}`));
    expect(result).toEqual({ warehouses: 4, allocations: allocationsFor(skus.slice(0, 10), 8).length });
    expect(calls).toHaveLength(4 + result.allocations);
    const refusing: SeedClient = { request: async () => ({ status: 403, body: { title: 'Forbidden' } }) };
    await expect(seedFulfillment(refusing, { token: 't', skus, unitsPerSku: 1 })).rejects.toThrow(
      /answered 403/,
    );
  });
});
