import { describe, expect, it } from 'vitest';
import { summarize } from '../../../lambdas/ops/health.ts';
import { buildOpenApiDocument } from '../../../lambdas/ops/openapi.ts';

describe('OpenAPI document', () => {
  const doc = buildOpenApiDocument({ stage: 'local' });

  it('is OpenAPI 3 with every public path', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/admin/products',
        '/admin/products/{productId}',
        '/products/{productId}',
        '/products',
        '/search',
        '/search/suggest',
        '/health',
        '/openapi.json',
        '/dev/token',
      ]),
    );
  });

  it('derives the bodies from the validation schemas (strict, with their limits)', () => {
    const write = doc.components?.schemas?.ProductWrite as Record<string, unknown>;
    expect(write.additionalProperties).toBe(false);
    expect(write.required).toEqual(expect.arrayContaining(['name', 'brand', 'category', 'variants']));
    const search = doc.paths['/search']?.get?.parameters as { name: string }[];
    expect(search.map((p) => p.name)).toEqual([
      'q',
      'category',
      'brand',
      'minPrice',
      'maxPrice',
      'minRating',
      'sort',
      'cursor',
      'limit',
    ]);
    expect(doc.components?.schemas?.Problem).toBeDefined();
  });

  it('marks admin routes as bearer-protected and documents problems', () => {
    const create = doc.paths['/admin/products']?.post;
    expect(create?.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(create?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '409']),
    );
  });

  it('leaves the local-only route out of deployed stages', () => {
    expect(Object.keys(buildOpenApiDocument({ stage: 'prod' }).paths)).not.toContain('/dev/token');
  });
});

describe('health summary', () => {
  it('is degraded as soon as one part is down', () => {
    expect(
      summarize({ dynamodb: { status: 'ok', latencyMs: 3 }, search: { status: 'ok', latencyMs: 4 } }).status,
    ).toBe('ok');
    expect(
      summarize({ dynamodb: { status: 'ok', latencyMs: 3 }, search: { status: 'down', latencyMs: 1500 } })
        .status,
    ).toBe('degraded');
  });
});
