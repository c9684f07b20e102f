import { beforeAll, describe, expect, it } from 'vitest';
import { OpsStack, ops } from '../../lib/services/ops/ops-stack.ts';
import { type AloneStack, actionsOf, envOf, functionsById, routesOf, synthAlone } from './support/alone.ts';

describe.each(['staging', 'prod'] as const)('ops stack alone, stage %s', (stage) => {
  let s: AloneStack<OpsStack>;
  beforeAll(() => {
    s = synthAlone(stage, ({ app, config, stateful, platform }) => {
      return new OpsStack(app, 'Ops', {
        config,
        platform,
        productsTable: stateful.productsTable,
        search: stateful.search,
      });
    });
  });

  it('lets Health describe the table, read one item and read the cluster health; OpenApi touches nothing', () => {
    expect(
      actionsOf(s.json, 'Health')
        .filter((a) => a.startsWith('dynamodb:'))
        .sort(),
    ).toEqual(['dynamodb:DescribeTable', 'dynamodb:GetItem']);
    expect(
      actionsOf(s.json, 'Health')
        .filter((a) => a.startsWith('es:'))
        .sort(),
    ).toEqual(['es:ESHttpGet', 'es:ESHttpHead']);
    expect(actionsOf(s.json, 'OpenApi').filter((a) => /^(dynamodb|es):/.test(a))).toEqual([]);
    const health = envOf(functionsById(s.json).get('Health'));
    expect(Object.keys(health)).toEqual(
      expect.arrayContaining(['PRODUCTS_TABLE', 'SEARCH_ENDPOINT', 'SEARCH_AUTH']),
    );
    expect(health.SEARCH_AUTH).toBe('sigv4');
  });

  it('serves /health and /openapi.json publicly', () => {
    const routes = routesOf(s.json);
    for (const route of ops.routes) {
      expect(routes.get(`${route.method} ${route.path}`), route.path).toMatchObject({
        AuthorizationType: 'NONE',
      });
    }
  });

  it('has no unacknowledged cdk-nag finding', () => {
    expect(s.nag).toEqual([]);
  });
});
