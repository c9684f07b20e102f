import type { Stack } from 'aws-cdk-lib';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Stage, StageConfig } from '../../lib/config/stage-config.ts';
import { servicesOf } from '../../lib/services/registry.ts';
import { auth, PlatformStack } from '../../lib/stacks/platform-stack.ts';
import { type AloneStack, envOf, functionsById, routesOf, synthAlone } from './support/alone.ts';
import { resourcesOf, TEST_CORS_ORIGINS } from './support/stage.ts';

const CUSTOM_DOMAIN = {
  domainName: 'api.shop.example.com',
  certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
};

function synthPlatform(stage: Stage, adjust: (config: StageConfig) => StageConfig = (c) => c) {
  return synthAlone(stage, ({ app, config, stateful }) => {
    return new PlatformStack(app, 'Platform', {
      config: adjust(config),
      services: servicesOf(stage),
      cognito: stateful.auth,
      alarmAction: stateful.alarmAction,
    });
  });
}

describe.each(['staging', 'prod'] as const)('platform stack alone, stage %s', (stage) => {
  let s: AloneStack<PlatformStack>;
  beforeAll(() => {
    s = synthPlatform(stage);
  });

  it('owns the REST API, not deployed here (the api stack deploys it once every route exists)', () => {
    s.template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    s.template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Name: `store-${stage}-api`,
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
    s.template.resourceCountIs('AWS::ApiGateway::Deployment', 0);
    s.template.resourceCountIs('AWS::ApiGateway::Stage', 0);
  });

  it('has no request validator: the handlers validate every request', () => {
    s.template.resourceCountIs('AWS::ApiGateway::RequestValidator', 0);
    expect(s.stack.platform).not.toHaveProperty('requestValidatorId');
  });

  it("leaves API Gateway's account settings to the account stack: no Account, no CloudWatch role", () => {
    s.template.resourceCountIs('AWS::ApiGateway::Account', 0);
    const roles = resourcesOf(s.json, 'AWS::IAM::Role');
    expect(roles.length).toBeGreaterThan(0);
    for (const [id, role] of roles) {
      expect(JSON.stringify(role.Properties), id).not.toContain('AmazonAPIGatewayPushToCloudWatchLogs');
      expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument), id).not.toContain(
        'apigateway.amazonaws.com',
      );
    }
  });

  it('accepts TLS 1.2 and 1.3 with forward-secret AEAD ciphers only, SNI matching the host', () => {
    s.template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      SecurityPolicy: 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09',
      EndpointAccessMode: 'STRICT',
    });
  });

  it('keeps the execute-api endpoint without a custom domain, and turns it off with one', () => {
    const [[, api] = []] = resourcesOf(s.json, 'AWS::ApiGateway::RestApi');
    expect(api?.Properties.DisableExecuteApiEndpoint).toBe(false);
    const withDomain = synthPlatform(stage, (config) => ({
      ...config,
      api: { ...config.api, customDomain: CUSTOM_DOMAIN },
    }));
    withDomain.template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      DisableExecuteApiEndpoint: true,
      SecurityPolicy: 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09',
    });
    expect(withDomain.nag).toEqual([]);
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
    // Read from the stateful stack's SSM parameters at deploy time, never imported: a replaced
    // pool (new id) must not be blocked by an export in use.
    const parameters =
      (s.json as { Parameters?: Record<string, { Type: string; Default?: string }> }).Parameters ?? {};
    for (const [variable, name] of [
      ['COGNITO_USER_POOL_ID', `/store-${stage}/auth/user-pool-id`],
      ['COGNITO_CLIENT_IDS', `/store-${stage}/auth/client-ids`],
    ] as const) {
      const ref = (env[variable] as { Ref?: string } | undefined)?.Ref ?? '';
      expect(parameters[ref], variable).toEqual({
        Type: 'AWS::SSM::Parameter::Value<String>',
        Default: name,
      });
    }
    expect(JSON.stringify(s.json)).not.toMatch(/"Fn::ImportValue":"[^"]*UserPool/);
    const published = s.stack.dependencies.map((d) => d.stackName);
    expect(published).toContain('Inputs');
    const stateful = Template.fromStack(s.stack.dependencies[0] as Stack);
    stateful.hasResourceProperties('AWS::SSM::Parameter', {
      Name: `/store-${stage}/auth/user-pool-id`,
      Value: { Ref: Match.stringLikeRegexp('^UserPool') },
    });
    const clientIds = Object.values(
      stateful.findResources('AWS::SSM::Parameter', {
        Properties: { Name: `/store-${stage}/auth/client-ids` },
      }),
    );
    expect(clientIds).toHaveLength(1);
    // The web client always; staging's end-to-end client too.
    const value = JSON.stringify(clientIds[0]?.Properties?.Value);
    expect(value).toMatch(/"Ref":"UserPoolWebClient/);
    expect(/UserPoolE2eClient/.test(value)).toBe(stage === 'staging');
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
