import { Capture, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { servicesOf } from '../../lib/services/registry.ts';
import { auth, PlatformStack } from '../../lib/stacks/platform-stack.ts';
import { type AloneStack, envOf, functionsById, routesOf, synthAlone } from './support/alone.ts';
import { TEST_CORS_ORIGINS } from './support/stage.ts';

describe.each(['staging', 'prod'] as const)('platform stack alone, stage %s', (stage) => {
  let s: AloneStack<PlatformStack>;
  beforeAll(() => {
    s = synthAlone(stage, ({ app, config, stateful }) => {
      return new PlatformStack(app, 'Platform', {
        config,
        services: servicesOf(stage),
        userPool: stateful.userPool,
        userPoolClients: stateful.userPoolClients,
        alarmAction: stateful.alarmAction,
      });
    });
  });

  it('owns the REST API, not deployed here (the api stack deploys it once every route exists)', () => {
    s.template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    s.template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Name: `store-${stage}-api`,
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
    s.template.resourceCountIs('AWS::ApiGateway::Deployment', 0);
    s.template.resourceCountIs('AWS::ApiGateway::Stage', 0);
    s.template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
  });

  it('has the TOKEN authorizer (cached per stage) and the optional REQUEST one (never cached)', () => {
    s.template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'TOKEN',
      Name: `store-${stage}-jwt`,
      IdentitySource: 'method.request.header.Authorization',
      IdentityValidationExpression: Match.stringLikeRegexp('Bb]earer'),
      AuthorizerResultTtlInSeconds: 300,
      AuthorizerUri: {
        'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Authorizer'), 'Arn'] }])],
      },
    });
    const optional = Object.entries(s.json.Resources).find(([id]) => id.startsWith('OptionalJwtAuthorizer'));
    expect(optional?.[1].Properties).toMatchObject({
      Type: 'REQUEST',
      Name: `store-${stage}-jwt-optional`,
      AuthorizerResultTtlInSeconds: 0,
    });
    expect(optional?.[1].Properties).not.toHaveProperty('IdentitySource');
    // API Gateway may invoke each authorizer function, from its own authorizer only.
    for (const [fn, authorizer] of [
      ['Authorizer', 'JwtAuthorizer'],
      ['OptionalAuthorizer', 'OptionalJwtAuthorizer'],
    ]) {
      const permission = Object.values(s.json.Resources).find(
        (r) =>
          r.Type === 'AWS::Lambda::Permission' &&
          JSON.stringify(r.Properties?.FunctionName).includes(`"${fn}`),
      );
      expect(permission?.Properties).toMatchObject({
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
      });
      const sourceArn = JSON.stringify(permission?.Properties?.SourceArn);
      expect(sourceArn).toContain('/authorizers/');
      expect(sourceArn).toContain(`{"Ref":"${authorizer}`);
    }
  });

  it('accepts only access tokens of the declared app clients (Cognito verifier env)', () => {
    const fns = functionsById(s.json);
    expect([...fns.keys()].sort()).toEqual(Object.keys(auth.functions).sort());
    const env = envOf(fns.get('Authorizer'));
    expect(env.AUTH_MODE).toBe('cognito');
    expect(JSON.stringify(env.COGNITO_USER_POOL_ID)).toMatch(/UserPool/);
    expect(JSON.stringify(env.COGNITO_CLIENT_IDS)).toMatch(/WebClient/);
    // The pool's issuer and JWKS follow from its id; an audience switch would only turn checks off.
    for (const name of ['JWT_AUDIENCE', 'JWT_ISSUER', 'JWKS_URI', 'JWKS_JSON'])
      expect(env).not.toHaveProperty(name);
    expect(envOf(fns.get('OptionalAuthorizer'))).toEqual(env);
    // The authorizers touch no table.
    expect(JSON.stringify(s.json)).not.toMatch(/dynamodb:/);
  });

  it('answers gateway errors as problem+json with the stage origins and an x-request-id', () => {
    const templates = new Capture();
    s.template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
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
      s.template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        ResponseParameters: Match.objectLike({
          'gatewayresponse.header.content-type': "'application/problem+json'",
        }),
      });
    }
  });

  it('answers preflights on the root, echoing one of several origins', () => {
    const root = routesOf(s.json).get('OPTIONS /') as {
      Integration: {
        Type: string;
        IntegrationResponses: {
          ResponseParameters: Record<string, string>;
          ResponseTemplates?: Record<string, string>;
        }[];
      };
    };
    expect(root.Integration.Type).toBe('MOCK');
    const [response] = root.Integration.IntegrationResponses;
    const origins = (TEST_CORS_ORIGINS[stage] ?? '').split(',');
    expect(response?.ResponseParameters['method.response.header.Access-Control-Allow-Origin']).toBe(
      `'${origins[0]}'`,
    );
    expect(response?.ResponseParameters['method.response.header.x-request-id']).toBe('context.requestId');
    const echo = response?.ResponseTemplates?.['application/json'];
    if (origins.length > 1) {
      for (const origin of origins) expect(echo).toContain(`$origin == "${origin}"`);
      // A missing header leaves $origin null; only "$!origin" compares it with "".
      expect(echo).toContain('#if("$!origin" == "")');
    } else expect(echo).toBeUndefined();
  });

  it('alarms when the authorizers cannot fetch the JWKS (metric filter on both log groups)', () => {
    const filters = Object.values(s.json.Resources).filter((r) => r.Type === 'AWS::Logs::MetricFilter');
    expect(filters.map((f) => JSON.stringify(f.Properties?.LogGroupName)).sort()).toEqual([
      expect.stringMatching(/"AuthorizerLogs/),
      expect.stringMatching(/"OptionalAuthorizerLogs/),
    ]);
    for (const filter of filters) {
      expect(filter.Properties).toMatchObject({
        FilterPattern: '{ $.message = "JWKS fetch failed" }',
        MetricTransformations: [
          { MetricNamespace: `store-${stage}/auth`, MetricName: 'JwksFetchFailures', MetricValue: '1' },
        ],
      });
    }
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `store-${stage}-jwks-unreachable`,
      Namespace: `store-${stage}/auth`,
      MetricName: 'JwksFetchFailures',
      Threshold: 1,
      AlarmActions: Match.anyValue(),
    });
  });

  it('has no unacknowledged cdk-nag finding', () => {
    expect(s.nag).toEqual([]);
  });
});
