import { beforeAll, describe, expect, it } from 'vitest';
import { CartStack, cart } from '../../lib/services/cart/cart-stack.ts';
import {
  type AloneStack,
  envOf,
  functionsById,
  routesOf,
  STUB_PLATFORM_IDS,
  statementsOf,
  synthAlone,
} from './support/alone.ts';

describe.each(['staging', 'prod'] as const)('cart stack alone, stage %s', (stage) => {
  let s: AloneStack<CartStack>;
  beforeAll(() => {
    s = synthAlone(stage, ({ app, config, stateful, platform }) => {
      return new CartStack(app, 'Cart', {
        config,
        platform,
        cartsTable: stateful.cartsTable,
        productsTable: stateful.productsTable,
      });
    });
  });

  /** dynamodb actions of a function, by the table they are granted on. */
  const grants = (id: string) => {
    const byTable: Record<'carts' | 'products', string[]> = { carts: [], products: [] };
    for (const st of statementsOf(s.json, id)) {
      const resource = JSON.stringify(st.Resource);
      const actions = (Array.isArray(st.Action) ? st.Action : [st.Action]).filter((a) =>
        a.startsWith('dynamodb:'),
      );
      if (actions.length === 0) continue;
      const table = resource.includes('CartsTable')
        ? 'carts'
        : resource.includes('ProductsTable')
          ? 'products'
          : undefined;
      if (!table) throw new Error(`${id}: dynamodb grant on ${resource}`);
      byTable[table].push(...actions);
      // The table itself, never an index wildcard.
      expect(resource, id).not.toContain('/index/');
    }
    return { carts: byTable.carts.sort(), products: byTable.products.sort() };
  };

  it('grants each function its own item actions on carts and only catalog reads on products', () => {
    const catalog = ['dynamodb:BatchGetItem', 'dynamodb:GetItem'];
    expect(grants('CreateCart')).toEqual({ carts: ['dynamodb:PutItem'], products: [] });
    expect(grants('GetCart')).toEqual({ carts: ['dynamodb:GetItem'], products: catalog });
    expect(grants('AddCartItem')).toEqual({ carts: ['dynamodb:UpdateItem'], products: catalog });
    expect(grants('UpdateCartItem')).toEqual({ carts: ['dynamodb:UpdateItem'], products: [] });
    expect(grants('RemoveCartItem')).toEqual({ carts: ['dynamodb:UpdateItem'], products: [] });
    expect(grants('GetMyCart')).toEqual({
      carts: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      products: catalog,
    });
    expect(grants('MergeCart')).toEqual({
      carts: ['dynamodb:BatchGetItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem'],
      products: [],
    });
    expect(grants('ClearCart')).toEqual({
      carts: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      products: [],
    });
  });

  it('deploys ClearCart as a saga step: no route, a 10 s timeout, the carts table only', () => {
    const clear = functionsById(s.json).get('ClearCart');
    expect(clear).toMatchObject({ FunctionName: `store-${stage}-clear-cart`, Timeout: 10 });
    expect(Object.keys(envOf(clear))).toContain('CARTS_TABLE');
    expect(envOf(clear)).not.toHaveProperty('PRODUCTS_TABLE');
    expect(cart.routes.some((route) => route.fn === 'ClearCart')).toBe(false);
  });

  it('puts every cart route behind the optional authorizer', () => {
    const routes = routesOf(s.json);
    for (const route of cart.routes) {
      const method = routes.get(`${route.method} ${route.path}`);
      expect(method, route.path).toMatchObject({
        AuthorizationType: 'CUSTOM',
        AuthorizerId: STUB_PLATFORM_IDS.optionalAuthorizerId,
        Integration: { Type: 'AWS_PROXY' },
      });
      expect(
        JSON.stringify((method?.Integration as { Uri?: unknown } | undefined)?.Uri),
        route.path,
      ).toContain(`"${route.fn}`);
    }
    expect([...routes.keys()].filter((r) => !r.startsWith('OPTIONS ')).sort()).toEqual(
      cart.routes.map((r) => `${r.method} ${r.path}`).sort(),
    );
  });

  it('has no unacknowledged cdk-nag finding', () => {
    expect(s.nag).toEqual([]);
  });
});
