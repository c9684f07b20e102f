import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../../lambdas/ops/openapi.ts';

describe('OpenAPI document: inventory', () => {
  const doc = buildOpenApiDocument({ stage: 'prod' });

  it('documents both admin routes, bearer-only, with every status they answer', () => {
    const get = doc.paths['/admin/inventory/{sku}']?.get;
    const receive = doc.paths['/admin/inventory/{sku}/receive']?.post;
    expect(get?.security).toEqual([{ bearer: [] }]);
    expect(receive?.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(get?.responses ?? {}).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '413',
      '429',
    ]);
    expect(Object.keys(receive?.responses ?? {}).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '409',
      '413',
      '415',
      '422',
      '429',
    ]);
    const sku = (get?.parameters ?? []).find((p) => 'name' in p && p.name === 'sku');
    expect(sku).toMatchObject({ in: 'path', required: true, schema: { pattern: '^[A-Z0-9_-]{1,64}$' } });
  });

  it('describes the body and the counts from the validation schemas', () => {
    const schemas = doc.components?.schemas ?? {};
    expect(schemas.ReceiveStock).toMatchObject({
      additionalProperties: false,
      required: ['quantity'],
      properties: { quantity: { type: 'integer', minimum: 1, maximum: 1_000_000 } },
    });
    expect(schemas.Stock).toMatchObject({
      required: ['sku', 'available', 'reserved', 'sold', 'version'],
    });
  });
});
