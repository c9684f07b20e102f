import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../../lambdas/ops/openapi.ts';

describe('OpenAPI document: carts', () => {
  const doc = buildOpenApiDocument({ stage: 'prod' });

  it('lists every cart route, /me ones bearer-only, the others anonymous or bearer', () => {
    const paths = doc.paths;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/carts',
        '/carts/{cartId}',
        '/carts/{cartId}/items',
        '/carts/{cartId}/items/{sku}',
        '/me/cart',
        '/me/cart/merge',
      ]),
    );
    expect(paths['/carts/{cartId}/items']?.post?.security).toEqual([{}, { bearer: [] }]);
    expect(paths['/me/cart']?.get?.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(paths['/carts/{cartId}/items']?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '404', '412', '422']),
    );
    expect(Object.keys(paths['/me/cart/merge']?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '404', '412']),
    );
    const ok = paths['/carts/{cartId}']?.get?.responses?.['200'] as { headers?: Record<string, unknown> };
    expect(Object.keys(ok.headers ?? {})).toEqual(['x-request-id', 'etag']);
  });

  it('documents the bodies from the validation schemas and the cart with its Money', () => {
    const schemas = doc.components?.schemas ?? {};
    expect(schemas.AddCartItem).toMatchObject({
      additionalProperties: false,
      required: ['sku', 'quantity'],
      properties: { quantity: { type: 'integer', minimum: 1 } },
    });
    expect(schemas.SetCartItem).toMatchObject({ properties: { quantity: { minimum: 0 } } });
    expect(schemas.Cart).toMatchObject({
      required: expect.arrayContaining(['cartId', 'items', 'subtotal', 'itemCount', 'version', 'updatedAt']),
      properties: { subtotal: { $ref: '#/components/schemas/Money' } },
    });
    expect(JSON.stringify(schemas.CartItem)).toContain('priceChanged');
  });
});
