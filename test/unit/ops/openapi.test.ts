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

describe('415 for bodies that are not JSON', () => {
  it('is documented on every operation that takes a body, and only there', () => {
    const document = buildOpenApiDocument({ stage: 'local' }) as unknown as {
      paths: Record<
        string,
        Record<string, { requestBody?: unknown; responses: Record<string, { description: string }> }>
      >;
    };
    let withBody = 0;
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const has415 = '415' in operation.responses;
        expect(has415, `${method} ${path}`).toBe(operation.requestBody !== undefined);
        if (operation.requestBody) withBody++;
      }
    }
    // Product create and replace, the cart writes, receive stock, the dev token.
    expect(withBody).toBeGreaterThanOrEqual(8);
  });
});
