import { describe, expect, it } from 'vitest';
import { client } from './support/fixtures.ts';

describe('operations', () => {
  it('reports health of every part', async () => {
    const res = await client.request<{ status: string; parts: Record<string, { status: string }> }>(
      'GET',
      '/health',
    );
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.parts.dynamodb?.status).toBe('ok');
    expect(res.body.parts.search?.status).toBe('ok');
  });

  it('serves the OpenAPI document generated from the schemas', async () => {
    const res = await client.request<{ openapi: string; paths: Record<string, unknown> }>(
      'GET',
      '/openapi.json',
    );
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/admin/products', '/products/{productId}', '/search', '/search/suggest']),
    );
  });

  it('answers unknown routes without a 5xx', async () => {
    const res = await client.request('GET', '/no/such/route');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});
