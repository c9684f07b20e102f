import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CatalogStack, catalog } from '../../lib/services/catalog/catalog-stack.ts';
import {
  type AloneStack,
  actionsOf,
  routesOf,
  STUB_PLATFORM_IDS,
  statementsOf,
  synthAlone,
} from './support/alone.ts';

describe.each(['staging', 'prod'] as const)('catalog stack alone, stage %s', (stage) => {
  let s: AloneStack<CatalogStack>;
  beforeAll(() => {
    s = synthAlone(stage, ({ app, config, stateful, platform }) => {
      return new CatalogStack(app, 'Catalog', {
        config,
        platform,
        productsTable: stateful.productsTable,
        productsIndexNames: stateful.productsIndexNames,
        bus: stateful.bus,
        alarmAction: stateful.alarmAction,
      });
    });
  });

  it('has one function per manifest entry, with the products table', () => {
    s.template.resourceCountIs('AWS::Lambda::Function', Object.keys(catalog.functions).length);
    for (const spec of Object.values(catalog.functions)) {
      s.template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `store-${stage}-${spec.name}`,
        Environment: {
          Variables: Match.objectLike({
            PRODUCTS_TABLE: Match.anyValue(),
            POWERTOOLS_SERVICE_NAME: 'catalog',
          }),
        },
      });
    }
  });

  it('grants writers read-write and readers read-only, on the table and its named indexes', () => {
    const writes = [
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
    ];
    for (const id of ['CreateProduct', 'ReplaceProduct', 'DeleteProduct']) {
      expect(actionsOf(s.json, id), id).toEqual(
        expect.arrayContaining([...writes, 'dynamodb:GetItem', 'dynamodb:Query']),
      );
    }
    for (const id of ['GetProduct', 'ListProducts']) {
      expect(actionsOf(s.json, id), id).toEqual(
        expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']),
      );
      for (const write of writes) expect(actionsOf(s.json, id), id).not.toContain(write);
    }
    // Indexes by name, never `index/*`; no other table.
    const resources = JSON.stringify(statementsOf(s.json, 'GetProduct'));
    expect(resources).toContain('/index/gsi1');
    expect(resources).toContain('/index/gsi2');
    expect(resources).not.toContain('/index/*');
    expect(JSON.stringify(s.json)).not.toContain('CartsTable');
    // Listings query the (sharded) indexes; no catalog function scans the table.
    expect(JSON.stringify(s.json)).not.toContain('dynamodb:Scan');
  });

  it('applies ratings from its own queue (ProductRatingChanged): one UpdateItem on the products table', () => {
    const dynamo = statementsOf(s.json, 'ApplyRating').filter((st) =>
      JSON.stringify(st.Action).includes('dynamodb:'),
    );
    expect(dynamo.map((st) => st.Action)).toEqual(['dynamodb:UpdateItem']);
    expect(JSON.stringify(dynamo[0]?.Resource)).not.toContain('/index/');
    s.template.hasResourceProperties('AWS::Events::Rule', {
      Name: `store-${stage}-catalog-apply-rating`,
      EventPattern: { source: ['store.reviews'], 'detail-type': ['ProductRatingChanged'] },
    });
    s.template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: `store-${stage}-catalog-apply-rating`,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }),
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `store-${stage}-catalog-apply-rating-dlq-not-empty`,
    });
  });

  it('declares its routes on the platform API: the JWT authorizer on admin routes, none on reads', () => {
    const routes = routesOf(s.json);
    for (const route of catalog.routes) {
      const method = routes.get(`${route.method} ${route.path}`);
      expect(method, route.path).toMatchObject({
        RestApiId: STUB_PLATFORM_IDS.restApiId,
        Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' },
        AuthorizationType: 'admin' in route.access ? 'CUSTOM' : 'NONE',
      });
      expect(
        JSON.stringify((method?.Integration as { Uri?: unknown } | undefined)?.Uri),
        route.path,
      ).toContain(`"${route.fn}`);
      // No request validator: the handlers validate every request (docs/operations.md, "Edge").
      expect(method, route.path).not.toHaveProperty('RequestValidatorId');
      if ('admin' in route.access) expect(method?.AuthorizerId).toBe(STUB_PLATFORM_IDS.tokenAuthorizerId);
      else expect(method?.AuthorizerId).toBeUndefined();
    }
    const own = [...routes.keys()].filter((r) => !r.startsWith('OPTIONS ')).sort();
    expect(own).toEqual(catalog.routes.map((r) => `${r.method} ${r.path}`).sort());
    // A preflight on each of its route paths.
    const preflights = [...routes.keys()].filter((r) => r.startsWith('OPTIONS ')).map((r) => r.slice(8));
    expect(preflights.sort()).toEqual([...new Set(catalog.routes.map((r) => r.path))].sort());
  });

  it('has no unacknowledged cdk-nag finding', () => {
    expect(s.nag).toEqual([]);
  });
});
