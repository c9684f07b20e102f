import { readFileSync } from 'node:fs';
import { Capture, Match } from 'aws-cdk-lib/assertions';
import { StateMachine } from 'aws-local-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHECKOUT_ASL, FUNCTION_IDS } from '../../lib/stacks/api-stack.ts';
import {
  apiPaths,
  apiRoutes,
  resourcesOf,
  type SynthesizedStage,
  synthesizeStage,
  TEST_CORS_ORIGINS,
} from './support/stage.ts';

/** Logical id of a function (`CreateProduct1A2B3C4D`) -> its properties. */
function functionsById(s: SynthesizedStage): Map<string, Record<string, unknown>> {
  const byId = new Map<string, Record<string, unknown>>();
  for (const [logicalId, fn] of resourcesOf(s.apiJson, 'AWS::Lambda::Function')) {
    byId.set(logicalId.replace(/[0-9A-F]{8}$/, ''), fn.Properties);
  }
  return byId;
}

function envOf(fn: Record<string, unknown> | undefined): Record<string, unknown> {
  return (fn?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
}

/** The statements of the DefaultPolicy attached to a function's role. */
function statementsOf(s: SynthesizedStage, id: string): { Action: string | string[]; Resource: unknown }[] {
  const policy = resourcesOf(s.apiJson, 'AWS::IAM::Policy').find(([logicalId]) =>
    logicalId.startsWith(`${id}RoleDefaultPolicy`),
  );
  if (!policy) throw new Error(`no policy for ${id}`);
  return (policy[1].Properties.PolicyDocument as { Statement: never[] }).Statement;
}

const actionsOf = (s: SynthesizedStage, id: string) =>
  statementsOf(s, id).flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]));

describe.each(['staging', 'prod'] as const)('api stack, stage %s', (stage) => {
  let s: SynthesizedStage;
  beforeAll(async () => {
    s = await synthesizeStage(stage);
  });

  it('is named after the stage', () => {
    expect(s.apiStackName).toBe(`store-${stage}-api`);
  });

  it('has every function of docs/architecture.md but DevToken, plus the two custom resources', () => {
    const ids = [...functionsById(s).keys()].sort();
    expect(ids).toEqual(
      [...FUNCTION_IDS.filter((id) => id !== 'DevToken'), 'SearchRoleMapping', 'SearchIndexSetup'].sort(),
    );
  });

  it('runs every function on nodejs22.x, arm64, ESM bundles, source maps, explicit log groups', () => {
    for (const [id, fn] of functionsById(s)) {
      expect(fn, id).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        FunctionName: expect.stringMatching(new RegExp(`^store-${stage}-`)),
        LoggingConfig: { LogGroup: { Ref: expect.stringMatching(new RegExp(`^${id}Logs`)) } },
      });
      expect(envOf(fn), id).toMatchObject({
        NODE_OPTIONS: '--enable-source-maps',
        STAGE: stage,
        POWERTOOLS_SERVICE_NAME: expect.any(String),
        POWERTOOLS_LOG_LEVEL: 'INFO',
        CORS_ALLOW_ORIGINS: TEST_CORS_ORIGINS[stage],
      });
      // The role-mapping custom resource runs as the FGAC master role, which it must not alter.
      if (id !== 'SearchRoleMapping') expect(fn.TracingConfig, id).toEqual({ Mode: 'Active' });
    }
    s.api.allResourcesProperties('AWS::Logs::LogGroup', {
      RetentionInDays: stage === 'prod' ? 180 : 30,
    });
  });

  it('gives each function the environment the contract lists', () => {
    const fns = functionsById(s);
    const keys = (id: string) =>
      Object.keys(envOf(fns.get(id)))
        .filter(
          (k) =>
            ![
              'NODE_OPTIONS',
              'STAGE',
              'POWERTOOLS_SERVICE_NAME',
              'POWERTOOLS_LOG_LEVEL',
              'CORS_ALLOW_ORIGINS',
            ].includes(k),
        )
        .sort();
    for (const id of ['CreateProduct', 'ReplaceProduct', 'DeleteProduct', 'GetProduct', 'ListProducts']) {
      expect(keys(id), id).toEqual(['PRODUCTS_TABLE']);
    }
    expect(keys('Search')).toEqual(['SEARCH_AUTH', 'SEARCH_ENDPOINT', 'SEARCH_INDEX']);
    expect(keys('Suggest')).toEqual(['SEARCH_AUTH', 'SEARCH_ENDPOINT', 'SEARCH_INDEX']);
    expect(keys('Indexer')).toEqual(['SEARCH_AUTH', 'SEARCH_ENDPOINT', 'SEARCH_INDEX', 'SEARCH_REPLICAS']);
    expect(keys('Health')).toEqual(['PRODUCTS_TABLE', 'SEARCH_AUTH', 'SEARCH_ENDPOINT']);
    expect(keys('OpenApi')).toEqual([]);
    expect(keys('Authorizer')).toEqual(['AUTH_MODE', 'COGNITO_CLIENT_IDS', 'COGNITO_USER_POOL_ID']);
    expect(envOf(fns.get('OptionalAuthorizer'))).toEqual(envOf(fns.get('Authorizer')));
    for (const id of ['CreateCart', 'UpdateCartItem', 'RemoveCartItem', 'MergeCart']) {
      expect(keys(id), id).toEqual(['CARTS_TABLE']);
    }
    // The functions that price lines read the catalog.
    for (const id of ['GetCart', 'AddCartItem', 'GetMyCart']) {
      expect(keys(id), id).toEqual(['CARTS_TABLE', 'PRODUCTS_TABLE']);
    }
    expect(JSON.stringify(envOf(fns.get('GetCart')).CARTS_TABLE)).toContain('CartsTable');

    const search = envOf(fns.get('Search'));
    expect(search.SEARCH_AUTH).toBe('sigv4');
    expect(search.SEARCH_INDEX).toBe('products');
    expect(JSON.stringify(search.SEARCH_ENDPOINT)).toMatch(/^\{"Fn::Join":\["",\["https:\/\/",/);
    expect(envOf(fns.get('Indexer')).SEARCH_REPLICAS).toBe(stage === 'prod' ? '2' : '0');
  });

  it('grants least privilege on the products table', () => {
    const writes = [
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
    ];
    for (const id of ['CreateProduct', 'ReplaceProduct', 'DeleteProduct']) {
      expect(actionsOf(s, id), id).toEqual(
        expect.arrayContaining([...writes, 'dynamodb:GetItem', 'dynamodb:Query']),
      );
    }
    for (const id of ['GetProduct', 'ListProducts']) {
      expect(actionsOf(s, id), id).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
      for (const write of writes) expect(actionsOf(s, id), id).not.toContain(write);
    }
    expect(
      actionsOf(s, 'Health')
        .filter((a) => a.startsWith('dynamodb:'))
        .sort(),
    ).toEqual(['dynamodb:DescribeTable', 'dynamodb:GetItem']);
    for (const id of ['Search', 'Suggest', 'OpenApi', 'Authorizer']) {
      expect(
        actionsOf(s, id).filter((a) => a.startsWith('dynamodb:')),
        id,
      ).toEqual([]);
    }
    // Indexes by name, never `index/*`.
    const resources = JSON.stringify(statementsOf(s, 'GetProduct'));
    expect(resources).toContain('/index/gsi1');
    expect(resources).toContain('/index/gsi2');
    expect(resources).not.toContain('/index/*');
  });

  it('grants each cart function its own item actions on carts and only catalog reads on products', () => {
    /** dynamodb actions of a function, by the table they are granted on. */
    const grants = (id: string) => {
      const byTable: Record<'carts' | 'products', string[]> = { carts: [], products: [] };
      for (const st of statementsOf(s, id)) {
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
    // Nothing else touches the carts table; the authorizers touch no table.
    for (const id of FUNCTION_IDS.filter((f) => !f.includes('Cart') && f !== 'DevToken')) {
      expect(JSON.stringify(statementsOf(s, id)), id).not.toContain('CartsTable');
    }
    expect(actionsOf(s, 'OptionalAuthorizer').filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
  });

  it('lets search readers read and the indexer write the domain, and maps them into FGAC', () => {
    expect(actionsOf(s, 'Search')).toEqual(expect.arrayContaining(['es:ESHttpGet', 'es:ESHttpPost']));
    expect(actionsOf(s, 'Search')).not.toContain('es:ESHttpPut');
    expect(actionsOf(s, 'Health')).not.toContain('es:ESHttpPost');
    expect(actionsOf(s, 'Indexer')).toEqual(expect.arrayContaining(['es:ESHttpPut', 'es:ESHttpDelete']));
    const writers = new Capture();
    const readers = new Capture();
    s.api.hasResource('Custom::SearchRoleMapping', {
      Properties: {
        ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SearchRoleMapping'), 'Arn'] },
        IndexPattern: 'products*',
        WriterRoleArns: writers,
        ReaderRoleArns: readers,
      },
    });
    const roleIds = (c: Capture) =>
      (c.asArray() as { 'Fn::GetAtt': string[] }[]).map((r) =>
        r['Fn::GetAtt'][0]?.replace(/Role[0-9A-F]{8}$/, ''),
      );
    expect(roleIds(writers)).toEqual(['Indexer', 'SearchIndexSetup']);
    expect(roleIds(readers)).toEqual(['Search', 'Suggest', 'Health']);
    expect(actionsOf(s, 'SearchIndexSetup')).not.toContain('es:ESHttpDelete');
  });

  it('creates the search index at deploy time, after FGAC maps the setup role', () => {
    const index = Object.entries(s.apiJson.Resources).find(([, r]) => r.Type === 'Custom::SearchIndex');
    expect(index).toBeDefined();
    const [, resource] = index as [string, { Properties: Record<string, unknown>; DependsOn?: string[] }];
    expect(resource.Properties).toMatchObject({ Alias: 'products', Index: 'products-v1' });
    expect((resource.DependsOn ?? []).some((d) => d.startsWith('SearchRoleMappingResource'))).toBe(true);
  });

  it('feeds the indexer from the products stream: batch 100, partial failures, filter, DLQ', () => {
    s.api.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    const filter = new Capture();
    s.api.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^Indexer') },
      EventSourceArn: { 'Fn::ImportValue': Match.stringLikeRegexp('StreamArn') },
      BatchSize: 100,
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::ImportValue': Match.stringLikeRegexp('IndexerDlq') } },
      },
      FilterCriteria: { Filters: [{ Pattern: filter }] },
    });
    expect(JSON.parse(filter.asString())).toEqual({
      dynamodb: { Keys: { pk: { S: [{ prefix: 'PRODUCT#' }] } } },
    });
  });

  it('serves the REST API with Lambda proxy routes: the JWT authorizer on admin routes, the optional one on cart routes', () => {
    s.api.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    s.api.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Name: `store-${stage}-api`,
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
    const authorizer = Object.keys(s.apiJson.Resources).find((id) => id.startsWith('JwtAuthorizer'));
    s.api.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'TOKEN',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 300,
      AuthorizerUri: {
        'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Authorizer'), 'Arn'] }])],
      },
    });
    // Signing in optional: invoked on every request (no identity source), so never cached.
    const optionalAuthorizer = Object.keys(s.apiJson.Resources).find((id) =>
      id.startsWith('OptionalJwtAuthorizer'),
    );
    expect(optionalAuthorizer).toBeDefined();
    const optionalProps = s.apiJson.Resources[optionalAuthorizer as string]?.Properties ?? {};
    expect(optionalProps).toMatchObject({
      Type: 'REQUEST',
      Name: `store-${stage}-jwt-optional`,
      AuthorizerResultTtlInSeconds: 0,
    });
    expect(JSON.stringify(optionalProps.AuthorizerUri)).toContain('"OptionalAuthorizer');
    expect(optionalProps).not.toHaveProperty('IdentitySource');
    // API Gateway may invoke it, from this API's authorizer only.
    const permission = resourcesOf(s.apiJson, 'AWS::Lambda::Permission').find(([, p]) =>
      JSON.stringify(p.Properties.FunctionName).includes('"OptionalAuthorizer'),
    );
    expect(permission?.[1].Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
    });
    const sourceArn = JSON.stringify(permission?.[1].Properties.SourceArn);
    expect(sourceArn).toContain(':execute-api:');
    expect(sourceArn).toContain('/authorizers/');
    expect(sourceArn).toContain(`{"Ref":"${optionalAuthorizer}"}`);

    const routes = apiRoutes(s.apiJson);
    type Access = 'admin' | 'optional' | 'public';
    const expected: [string, string, Access][] = [
      ['POST /admin/products', 'CreateProduct', 'admin'],
      ['PUT /admin/products/{productId}', 'ReplaceProduct', 'admin'],
      ['DELETE /admin/products/{productId}', 'DeleteProduct', 'admin'],
      ['GET /products/{productId}', 'GetProduct', 'public'],
      ['GET /products', 'ListProducts', 'public'],
      ['GET /search', 'Search', 'public'],
      ['GET /search/suggest', 'Suggest', 'public'],
      ['GET /health', 'Health', 'public'],
      ['GET /openapi.json', 'OpenApi', 'public'],
      ['POST /carts', 'CreateCart', 'optional'],
      ['GET /carts/{cartId}', 'GetCart', 'optional'],
      ['POST /carts/{cartId}/items', 'AddCartItem', 'optional'],
      ['PATCH /carts/{cartId}/items/{sku}', 'UpdateCartItem', 'optional'],
      ['DELETE /carts/{cartId}/items/{sku}', 'RemoveCartItem', 'optional'],
      ['GET /me/cart', 'GetMyCart', 'optional'],
      ['POST /me/cart/merge', 'MergeCart', 'optional'],
    ];
    for (const [route, fnId, access] of expected) {
      const method = routes.get(route);
      expect(method, route).toBeDefined();
      expect(method, route).toMatchObject({
        AuthorizationType: access === 'public' ? 'NONE' : 'CUSTOM',
        Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' },
      });
      expect(JSON.stringify((method?.Integration as { Uri?: unknown } | undefined)?.Uri), route).toContain(
        `"${fnId}`,
      );
      if (access === 'admin') expect(method?.AuthorizerId, route).toEqual({ Ref: authorizer });
      else if (access === 'optional')
        expect(method?.AuthorizerId, route).toEqual({ Ref: optionalAuthorizer });
      else expect(method?.AuthorizerId, route).toBeUndefined();
    }
    const nonCors = [...routes.keys()].filter((r) => !r.startsWith('OPTIONS ')).sort();
    expect(nonCors).toEqual(expected.map(([r]) => r).sort());
  });

  it('declares a CORS preflight on every resource with routes: its own methods, the stage origins, an x-request-id', () => {
    const routes = apiRoutes(s.apiJson);
    const methodsByPath = new Map<string, string[]>();
    for (const route of routes.keys()) {
      const [verb, path] = route.split(' ') as [string, string];
      if (verb !== 'OPTIONS') methodsByPath.set(path, [...(methodsByPath.get(path) ?? []), verb]);
    }
    const preflights = [...routes.keys()].filter((r) => r.startsWith('OPTIONS ')).map((r) => r.slice(8));
    expect(preflights.sort()).toEqual([...methodsByPath.keys()].sort());
    const origins = (TEST_CORS_ORIGINS[stage] ?? '').split(',');
    for (const [path, methods] of methodsByPath) {
      const preflight = routes.get(`OPTIONS ${path}`) as {
        AuthorizationType: string;
        Integration: {
          Type: string;
          IntegrationResponses: {
            StatusCode: string;
            ResponseParameters: Record<string, string>;
            ResponseTemplates?: Record<string, string>;
          }[];
        };
      };
      expect(preflight.AuthorizationType, path).toBe('NONE');
      expect(preflight.Integration.Type, path).toBe('MOCK');
      const [response] = preflight.Integration.IntegrationResponses;
      const header = (name: string) => response?.ResponseParameters[`method.response.header.${name}`];
      expect(response?.StatusCode, path).toBe('204');
      expect(header('x-request-id'), path).toBe('context.requestId');
      expect(header('Access-Control-Allow-Methods'), path).toBe(`'${[...methods, 'OPTIONS'].join(',')}'`);
      expect(header('Access-Control-Allow-Headers'), path).toMatch(
        /Authorization,Content-Type,Idempotency-Key,If-Match,X-Request-Id/,
      );
      expect(header('Access-Control-Allow-Origin'), path).toBe(`'${origins[0]}'`);
      expect(header('Vary'), path).toBe("'Origin'");
      const echo = response?.ResponseTemplates?.['application/json'];
      if (origins.length > 1) {
        for (const origin of origins) expect(echo, path).toContain(`$origin == "${origin}"`);
        expect(echo, path).toContain(
          '$context.responseOverride.header.Access-Control-Allow-Origin = $origin',
        );
      } else {
        expect(echo, path).toBeUndefined();
      }
    }
  });

  it('accepts only access tokens of the declared app clients (Cognito verifier env)', () => {
    const fns = functionsById(s);
    const env = envOf(fns.get('Authorizer'));
    const [client] = resourcesOf(s.statefulJson, 'AWS::Cognito::UserPoolClient');
    expect(client).toBeDefined();
    expect(env.AUTH_MODE).toBe('cognito');
    expect(JSON.stringify(env.COGNITO_USER_POOL_ID)).toMatch(/UserPool/);
    expect(JSON.stringify(env.COGNITO_CLIENT_IDS)).toMatch(/WebClient/);
    // The pool's issuer and JWKS follow from its id; an audience switch would only turn checks off.
    for (const name of ['JWT_AUDIENCE', 'JWT_ISSUER', 'JWKS_URI', 'JWKS_JSON'])
      expect(env).not.toHaveProperty(name);
  });

  it('alarms when the authorizers cannot fetch the JWKS (metric filter on both log groups)', () => {
    const filters = resourcesOf(s.apiJson, 'AWS::Logs::MetricFilter');
    expect(filters.map(([, f]) => JSON.stringify(f.Properties.LogGroupName)).sort()).toEqual([
      expect.stringMatching(/"AuthorizerLogs/),
      expect.stringMatching(/"OptionalAuthorizerLogs/),
    ]);
    for (const [, filter] of filters) {
      expect(filter.Properties).toMatchObject({
        FilterPattern: '{ $.message = "JWKS fetch failed" }',
        MetricTransformations: [
          { MetricNamespace: `store-${stage}/auth`, MetricName: 'JwksFetchFailures', MetricValue: '1' },
        ],
      });
    }
    s.api.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `store-${stage}-jwks-unreachable`,
      Namespace: `store-${stage}/auth`,
      MetricName: 'JwksFetchFailures',
      Threshold: 1,
      AlarmActions: Match.anyValue(),
    });
  });

  it('has no /dev resource or route', () => {
    expect([...apiPaths(s.apiJson).values()].filter((p) => p.startsWith('/dev'))).toEqual([]);
    expect(JSON.stringify(s.apiJson)).not.toMatch(/dev\/token|DevToken|DEV_ISSUER_PRIVATE_JWK/);
  });

  it('answers gateway errors as problem+json with CORS headers', () => {
    const templates = new Capture();
    s.api.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      StatusCode: '401',
      ResponseParameters: {
        'gatewayresponse.header.content-type': "'application/problem+json'",
        'gatewayresponse.header.access-control-allow-origin':
          stage === 'prod' ? "'https://shop.example.com'" : 'method.request.header.origin',
        'gatewayresponse.header.access-control-expose-headers': "'etag, location, x-request-id'",
        'gatewayresponse.header.vary': "'origin'",
        'gatewayresponse.header.x-request-id': 'context.requestId',
      },
      ResponseTemplates: templates,
    });
    const body = templates.asObject()['application/json'] as string;
    // What API Gateway makes of the template, with its variables filled in.
    const rendered = JSON.parse(
      body.replace('$context.error.messageString', '"Unauthorized"').replace('$context.requestId', 'r-1'),
    );
    expect(rendered).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: 'Unauthorized',
      requestId: 'r-1',
    });
    for (const type of [
      'DEFAULT_4XX',
      'DEFAULT_5XX',
      'MISSING_AUTHENTICATION_TOKEN',
      'THROTTLED',
      'ACCESS_DENIED',
    ]) {
      s.api.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        ResponseParameters: Match.objectLike({
          'gatewayresponse.header.content-type': "'application/problem+json'",
        }),
      });
    }
  });

  it('deploys stage "<stage>" with access logs, execution logs, tracing, throttling and a WAF', () => {
    s.api.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: stage,
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      MethodSettings: [
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          ThrottlingRateLimit: stage === 'prod' ? 8000 : 200,
          ThrottlingBurstLimit: stage === 'prod' ? 4000 : 100,
        }),
      ],
    });
    s.api.hasResourceProperties('AWS::ApiGateway::Account', Match.anyValue());
    s.api.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'REGIONAL', Name: `store-${stage}-api` });
    s.api.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });

  it('outputs ApiUrl', () => {
    const urlOutputs = Object.keys(s.apiJson.Outputs ?? {}).filter((k) => /ApiUrl/.test(k));
    expect(urlOutputs).toEqual(['ApiUrl']);
    expect(JSON.stringify(s.apiJson.Outputs?.ApiUrl?.Value)).toContain('.execute-api.');
  });

  it('has the checkout state machine: standard, logged, traced, publishing to the bus only', () => {
    s.api.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: `store-${stage}-checkout`,
      StateMachineType: 'STANDARD',
      DefinitionString: readFileSync(CHECKOUT_ASL, 'utf8'),
      DefinitionSubstitutions: { EventBusName: { 'Fn::ImportValue': Match.stringLikeRegexp('Bus') } },
      LoggingConfiguration: Match.objectLike({
        Level: 'ALL',
        IncludeExecutionData: stage !== 'prod',
      }),
      TracingConfiguration: { Enabled: true },
    });
    const putEvents = resourcesOf(s.apiJson, 'AWS::IAM::Policy')
      .filter(([id]) => id.startsWith('CheckoutRole'))
      .flatMap(
        ([, p]) =>
          (p.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement,
      )
      .filter((st) => JSON.stringify(st.Action).includes('events:'));
    expect(putEvents).toEqual([
      {
        Action: 'events:PutEvents',
        Effect: 'Allow',
        Resource: { 'Fn::ImportValue': expect.stringMatching(/Bus.*Arn/) },
      },
    ]);
  });

  if (stage === 'prod') {
    it('has alarms on indexer lag and API 5xx', () => {
      s.api.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'store-prod-indexer-lagging' });
      s.api.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'store-prod-api-5xx' });
    });
  }
});

/** The ASL's definition substitution for the bus, as written in the file. */
const EVENT_BUS_PLACEHOLDER = ['$', '{EventBusName}'].join('');

describe('checkout ASL', () => {
  it('is JSONPath and runs as written, once its substitutions are made', async () => {
    const text = readFileSync(CHECKOUT_ASL, 'utf8').replaceAll(EVENT_BUS_PLACEHOLDER, 'store-test-bus');
    const definition = JSON.parse(text) as {
      QueryLanguage?: string;
      States: Record<string, { Resource?: string }>;
    };
    expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    const published: unknown[] = [];
    const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
    const execution = machine.run(
      { orderId: 'o-1' },
      {
        // The context object Step Functions (and the local cloud) gives every execution.
        context: { Execution: { Name: 'o-1', StartTime: '2026-01-01T00:00:00.000Z' } } as never,
        overrides: {
          taskResourceLocalHandlers: {
            PublishPlaceholder: async (input: unknown) => {
              published.push(input);
              return { Entries: [{ EventId: 'e-1' }], FailedEntryCount: 0 };
            },
          },
        },
      },
    );
    await execution.result;
    expect(published).toEqual([
      {
        Entries: [
          {
            EventBusName: 'store-test-bus',
            Source: 'store.checkout',
            DetailType: 'CheckoutPlaceholder',
            Detail: { input: { orderId: 'o-1' }, execution: 'o-1', startedAt: expect.any(String) },
          },
        ],
      },
    ]);
    // No state switches to JSONata, and no JSONata expression anywhere.
    expect(text).not.toMatch(/"QueryLanguage"\s*:\s*"JSONata"|\{%/);
  });
});
