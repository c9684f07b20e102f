import { describe, expect, it } from 'vitest';
import { PROD_SEARCH_PROFILE, STAGING_SEARCH_PROFILE, sizeSearch } from '../../../lib/config/capacity.ts';
import {
  ADMIN_ROUTES,
  ADMIN_ROUTES_AT_STAGE_LIMIT,
  PROD_LIMITS,
  PROD_PEAK,
  STAGING_LIMITS,
  totalReserved,
  UNRESERVED_MINIMUM,
} from '../../../lib/config/limits.ts';
import { needsToken } from '../../../lib/services/manifest.ts';
import { servicesOf } from '../../../lib/services/registry.ts';

describe('limits', () => {
  it.each([
    ['prod', PROD_LIMITS, PROD_SEARCH_PROFILE],
    ['staging', STAGING_LIMITS, STAGING_SEARCH_PROFILE],
  ] as const)('%s: search and suggest together stay within the domain', (_stage, limits, profile) => {
    const capacity = sizeSearch(profile).queriesPerSecond;
    const search = limits.methods['GET /search']?.rateLimit ?? Number.POSITIVE_INFINITY;
    const suggest = limits.methods['GET /search/suggest']?.rateLimit ?? Number.POSITIVE_INFINITY;
    expect(search + suggest).toBeLessThanOrEqual(capacity);
    expect(search).toBeGreaterThan(0);
    expect(Math.max(search, suggest)).toBeLessThanOrEqual(limits.stage.rateLimit);
  });

  it("prod's search limit still admits the seed's peak", () => {
    expect(PROD_LIMITS.methods['GET /search']?.rateLimit).toBeGreaterThanOrEqual(PROD_PEAK.searches);
  });

  it.each([
    ['prod', PROD_LIMITS],
    ['staging', STAGING_LIMITS],
  ] as const)('%s: reservations leave Lambda its unreserved minimum', (_stage, limits) => {
    expect(totalReserved(limits.lambda)).toBeLessThanOrEqual(
      limits.lambda.accountConcurrency - UNRESERVED_MINIMUM,
    );
  });

  it.each(['staging', 'prod'] as const)('%s: every reservation names a function of the stage', (stage) => {
    const names = new Set(servicesOf(stage).flatMap((s) => Object.values(s.functions).map((f) => f.name)));
    names.add('authorizer').add('optional-authorizer');
    const limits = stage === 'prod' ? PROD_LIMITS : STAGING_LIMITS;
    for (const name of Object.keys(limits.lambda.reservedConcurrency)) expect(names).toContain(name);
  });

  it('admin limits cover exactly the admin routes, carrier callbacks excepted', () => {
    const adminRoutes = servicesOf('prod')
      .flatMap((s) => s.routes)
      .filter((r) => 'admin' in r.access && needsToken(r.access))
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    expect([...ADMIN_ROUTES, ...ADMIN_ROUTES_AT_STAGE_LIMIT].sort()).toEqual(adminRoutes);
    for (const route of ADMIN_ROUTES) expect(PROD_LIMITS.methods[route]?.rateLimit).toBe(50);
    for (const route of ADMIN_ROUTES_AT_STAGE_LIMIT) expect(PROD_LIMITS.methods[route]).toBeUndefined();
  });
});
