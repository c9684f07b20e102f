import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ROUTES } from '../../lib/config/limits.ts';
import { type Stage, type StageConfig, stageConfig } from '../../lib/config/stage-config.ts';
import { routesOf } from '../../lib/services/registry.ts';
import { ApiStack, methodOptionsKey } from '../../lib/stacks/api-stack.ts';
import { type AloneStack, STUB_PLATFORM_IDS, synthAlone } from './support/alone.ts';
import { type CfnTemplate, resourcesOf } from './support/stage.ts';

const routes = { routes: ['GET /products'] };
const CUSTOM_DOMAIN = {
  domainName: 'api.shop.example.com',
  certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
};
const withDomain = (config: StageConfig): StageConfig => ({
  ...config,
  api: { ...config.api, customDomain: CUSTOM_DOMAIN },
});

function synthApi(
  stage: Stage,
  adjust: (config: StageConfig) => StageConfig = (c) => c,
  fingerprint: unknown = routes,
) {
  return synthAlone(stage, ({ app, config, stateful }) => {
    return new ApiStack(app, 'Api', {
      config: adjust(config),
      restApiId: STUB_PLATFORM_IDS.restApiId,
      restApiName: `store-${stage}-api`,
      fingerprint,
      alarmAction: stateful.alarmAction,
    });
  });
}

interface WafRule {
  Name: string;
  Priority: number;
  Action?: Record<string, unknown>;
  OverrideAction?: Record<string, unknown>;
  Statement: Record<string, unknown>;
}
const wafRules = (t: CfnTemplate): WafRule[] => {
  const [[, acl] = []] = resourcesOf(t, 'AWS::WAFv2::WebACL');
  return [...((acl?.Properties.Rules ?? []) as WafRule[])].sort((a, b) => a.Priority - b.Priority);
};

interface MethodMatch {
  ByteMatchStatement: { FieldToMatch: unknown; PositionalConstraint: string; SearchString: string };
}
interface RegexMatch {
  RegexMatchStatement: { FieldToMatch: unknown; RegexString: string };
}
interface LargeBodyStatement {
  AndStatement: {
    Statements: [
      { LabelMatchStatement: unknown },
      {
        NotStatement: {
          Statement: {
            OrStatement: { Statements: { AndStatement: { Statements: [MethodMatch, RegexMatch] } }[] };
          };
        };
      },
    ];
  };
}

/** The method and path regexes the oversized-body rule lets through, read from the template. */
function largeBodyExceptions(t: CfnTemplate): [string, RegExp][] {
  const rule = wafRules(t).find((r) => r.Name === 'LargeBodyOutsideLargeWrites');
  if (!rule) throw new Error('no LargeBodyOutsideLargeWrites rule');
  const [label, not] = (rule.Statement as unknown as LargeBodyStatement).AndStatement.Statements;
  expect(label.LabelMatchStatement).toEqual({
    Scope: 'LABEL',
    Key: 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body',
  });
  return not.NotStatement.Statement.OrStatement.Statements.map((route) => {
    const [method, path] = route.AndStatement.Statements;
    expect(method.ByteMatchStatement.FieldToMatch).toEqual({ Method: {} });
    expect(method.ByteMatchStatement.PositionalConstraint).toBe('EXACTLY');
    expect(path.RegexMatchStatement.FieldToMatch).toEqual({ UriPath: {} });
    return [method.ByteMatchStatement.SearchString, new RegExp(path.RegexMatchStatement.RegexString)];
  });
}
const exempt = (exceptions: [string, RegExp][], method: string, path: string) =>
  exceptions.some(([m, re]) => m === method && re.test(path));

describe.each(['staging', 'prod'] as const)('api stack alone, stage %s', (stage) => {
  let s: AloneStack<ApiStack>;
  beforeAll(() => {
    s = synthApi(stage);
  });

  it('deploys the platform API once, as stage "<stage>" with access logs, execution logs, tracing, throttling', () => {
    s.template.resourceCountIs('AWS::ApiGateway::Deployment', 1);
    s.template.hasResourceProperties('AWS::ApiGateway::Deployment', {
      RestApiId: STUB_PLATFORM_IDS.restApiId,
    });
    s.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      RestApiId: STUB_PLATFORM_IDS.restApiId,
      StageName: stage,
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          ThrottlingRateLimit: stage === 'prod' ? 8000 : 200,
          ThrottlingBurstLimit: stage === 'prod' ? 4000 : 100,
        }),
      ]),
    });
  });

  it('throttles search, suggest, admin, health and the OpenAPI document per method, logging like the stage', () => {
    const config = stageConfig(stage);
    const throttles = config.api.methodThrottling;
    const expected = [
      'GET /search',
      'GET /search/suggest',
      'GET /health',
      'GET /openapi.json',
      ...ADMIN_ROUTES,
    ];
    expect(Object.keys(throttles).sort()).toEqual([...expected].sort());
    // Every key names a route of the stage: a typo would throttle nothing.
    const real = new Set(routesOf(stage).map((r) => `${r.method} ${r.path}`));
    for (const key of Object.keys(throttles)) expect(real, key).toContain(key);

    const [[, stageResource] = []] = resourcesOf(s.json, 'AWS::ApiGateway::Stage');
    const settings = stageResource?.Properties.MethodSettings as Record<string, unknown>[];
    expect(settings).toHaveLength(1 + expected.length);
    // API Gateway's form: `/` escaped as `~1`, path parameters in braces as they are.
    const resourcePath = (route: string) => `/~1${route.split(' ')[1]?.slice(1).replaceAll('/', '~1')}`;
    expect(resourcePath('PUT /admin/products/{productId}')).toBe('/~1admin~1products~1{productId}');
    for (const route of expected) {
      const limit = throttles[route];
      expect(limit, route).toBeDefined();
      expect(settings, route).toContainEqual({
        HttpMethod: route.split(' ')[0],
        ResourcePath: resourcePath(route),
        ThrottlingRateLimit: limit?.rateLimit,
        ThrottlingBurstLimit: limit?.burstLimit,
        LoggingLevel: 'ERROR',
        DataTraceEnabled: false,
        MetricsEnabled: true,
      });
    }
    expect(methodOptionsKey('GET /search')).toBe('/search/GET');
    expect(() => methodOptionsKey('GET search')).toThrow(/VERB \/path/);
  });

  it('makes a new deployment when what it serves changes', () => {
    const deploymentId = (json: typeof s.json) =>
      Object.keys(json.Resources).find((id) => json.Resources[id]?.Type === 'AWS::ApiGateway::Deployment');
    const other = synthAlone(stage, ({ app, config }) => {
      return new ApiStack(app, 'Api', {
        config,
        restApiId: STUB_PLATFORM_IDS.restApiId,
        restApiName: `store-${stage}-api`,
        fingerprint: { routes: [...routes.routes, 'GET /orders'] },
      });
    });
    expect(deploymentId(other.json)).toBeDefined();
    expect(deploymentId(other.json)).not.toBe(deploymentId(s.json));
    // Turning the execute-api endpoint off takes a new deployment too.
    expect(deploymentId(synthApi(stage, withDomain).json)).not.toBe(deploymentId(s.json));
  });

  it('protects the stage with a WAF and alarms on server errors', () => {
    s.template.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'REGIONAL', Name: `store-${stage}-api` });
    s.template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    // On this stage: the association covers the custom domain's requests too.
    const [[, association] = []] = resourcesOf(s.json, 'AWS::WAFv2::WebACLAssociation');
    expect(JSON.stringify(association?.Properties.ResourceArn)).toMatch(
      /"::\/restapis\/stub-api\/stages\/",\{"Ref":"Stage[0-9A-F]{8}"\}/,
    );
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `store-${stage}-api-5xx`,
      Namespace: 'AWS/ApiGateway',
      MetricName: '5XXError',
      Dimensions: [{ Name: 'ApiName', Value: `store-${stage}-api` }],
      AlarmActions: Match.anyValue(),
    });
  });

  it('runs its rules in order: IP reputation, rate per IP, common set, large bodies, known bad inputs', () => {
    const rules = wafRules(s.json);
    expect(rules.map((r) => [r.Priority, r.Name])).toEqual([
      [1, 'AWSManagedRulesAmazonIpReputationList'],
      [2, 'RatePerIp'],
      [3, 'AWSManagedRulesCommonRuleSet'],
      [4, 'LargeBodyOutsideLargeWrites'],
      [5, 'AWSManagedRulesKnownBadInputsRuleSet'],
    ]);
    const [reputation, rate, common, large, badInputs] = rules;
    for (const group of [reputation, common, badInputs]) {
      expect(group?.OverrideAction, group?.Name).toEqual({ None: {} });
      expect(group?.Statement.ManagedRuleGroupStatement, group?.Name).toMatchObject({
        VendorName: 'AWS',
        Name: group?.Name,
      });
    }
    expect(rate?.Action).toEqual({ Block: {} });
    expect(rate?.Statement).toEqual({ RateBasedStatement: { Limit: 3000, AggregateKeyType: 'IP' } });
    // The body size rule only counts (and labels); the rule after it blocks.
    expect(common?.Statement.ManagedRuleGroupStatement).toMatchObject({
      RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
    });
    expect(large?.Action).toEqual({ Block: {} });
  });

  it('blocks bodies over 8 KB except on the writes that need them (execute-api paths carry the stage)', () => {
    const exceptions = largeBodyExceptions(s.json);
    expect(exempt(exceptions, 'POST', `/${stage}/admin/products`)).toBe(true);
    expect(exempt(exceptions, 'PUT', `/${stage}/admin/products/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b`)).toBe(
      true,
    );
    // A review at its 4,000-character limit in CJK text is about 12 KB of JSON.
    const review = JSON.stringify({ rating: 5, title: 'よい', body: '字'.repeat(4000) });
    expect(Buffer.byteLength(review)).toBeGreaterThan(8192);
    expect(exempt(exceptions, 'POST', `/${stage}/products/p-1/reviews`)).toBe(true);
    expect(exempt(exceptions, 'PUT', `/${stage}/products/p-1/reviews/r-1`)).toBe(true);
    expect(exempt(exceptions, 'POST', `/${stage}/checkout`)).toBe(true);
    for (const [method, path] of [
      ['PUT', `/${stage}/admin/products`],
      ['POST', `/${stage}/admin/products/p-1`],
      ['DELETE', `/${stage}/admin/products/p-1`],
      ['PUT', `/${stage}/admin/products/p-1/extra`],
      ['POST', `/${stage}/admin/inventory/sku-1/receive`],
      ['POST', `/${stage}/carts/c-1/items`],
      ['DELETE', `/${stage}/products/p-1/reviews/r-1`],
      ['POST', `/${stage}/orders/o-1/cancel`],
      ['POST', '/admin/products'],
      ['POST', `/other/${stage}/admin/products`],
    ] as const) {
      expect(exempt(exceptions, method, path), `${method} ${path}`).toBe(false);
    }
  });

  it('logs what the WAF blocked or counted to aws-waf-logs-<prefix>-api, without tokens or cookies', () => {
    s.template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: `aws-waf-logs-store-${stage}-api`,
        RetentionInDays: stage === 'prod' ? 180 : 30,
      },
      DeletionPolicy: stage === 'prod' ? 'Retain' : 'Delete',
    });
    const [[, logging] = []] = resourcesOf(s.json, 'AWS::WAFv2::LoggingConfiguration');
    expect(logging?.Properties.ResourceArn).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^ApiWebAcl/), 'Arn'],
    });
    // The log group's ARN without the `:*` WAF refuses.
    const destination = JSON.stringify(logging?.Properties.LogDestinationConfigs);
    expect(destination).toContain(`:log-group:aws-waf-logs-store-${stage}-api"`);
    expect(destination).not.toContain(':*');
    expect(logging?.Properties.RedactedFields).toEqual([
      { SingleHeader: { Name: 'authorization' } },
      { SingleHeader: { Name: 'cookie' } },
    ]);
    expect(logging?.Properties.LoggingFilter).toEqual({
      DefaultBehavior: 'DROP',
      Filters: [
        {
          Behavior: 'KEEP',
          Requirement: 'MEETS_ANY',
          Conditions: ['BLOCK', 'COUNT', 'EXCLUDED_AS_COUNT'].map((Action) => ({
            ActionCondition: { Action },
          })),
        },
      ],
    });
  });

  it('outputs ApiUrl (execute-api) and declares no custom domain without one', () => {
    const urlOutputs = Object.keys(s.json.Outputs ?? {}).filter((k) => /ApiUrl/.test(k));
    expect(urlOutputs).toEqual(['ApiUrl']);
    expect(JSON.stringify(s.json.Outputs?.ApiUrl?.Value)).toContain('.execute-api.');
    s.template.resourceCountIs('AWS::ApiGateway::DomainName', 0);
    s.template.resourceCountIs('AWS::ApiGateway::BasePathMapping', 0);
  });

  describe('with a custom domain', () => {
    let d: AloneStack<ApiStack>;
    beforeAll(() => {
      d = synthApi(stage, withDomain);
    });

    it("serves the stage at the root of a regional domain with the API's TLS policy and the imported certificate", () => {
      d.template.resourceCountIs('AWS::ApiGateway::DomainName', 1);
      d.template.hasResourceProperties('AWS::ApiGateway::DomainName', {
        DomainName: CUSTOM_DOMAIN.domainName,
        EndpointConfiguration: { Types: ['REGIONAL'] },
        RegionalCertificateArn: CUSTOM_DOMAIN.certificateArn,
        SecurityPolicy: 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09',
        EndpointAccessMode: 'STRICT',
      });
      d.template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
      const [[, mapping] = []] = resourcesOf(d.json, 'AWS::ApiGateway::BasePathMapping');
      expect(mapping?.Properties).toEqual({
        DomainName: { Ref: expect.stringMatching(/^ApiDomain/) },
        RestApiId: STUB_PLATFORM_IDS.restApiId,
        Stage: { Ref: expect.stringMatching(/^Stage/) },
      });
    });

    it('outputs the domain as ApiUrl, and where its DNS record points', () => {
      expect(d.json.Outputs?.ApiUrl?.Value).toBe(`https://${CUSTOM_DOMAIN.domainName}/`);
      expect(JSON.stringify(d.json.Outputs?.ApiDomainTarget?.Value)).toContain('RegionalDomainName');
      expect(JSON.stringify(d.json.Outputs?.ApiDomainTargetZone?.Value)).toContain('RegionalHostedZoneId');
    });

    it("exempts product writes on the domain's paths, which carry no stage name", () => {
      const exceptions = largeBodyExceptions(d.json);
      expect(exempt(exceptions, 'POST', '/admin/products')).toBe(true);
      expect(exempt(exceptions, 'PUT', '/admin/products/p-1')).toBe(true);
      expect(exempt(exceptions, 'POST', `/${stage}/admin/products`)).toBe(false);
      expect(exempt(exceptions, 'POST', '/admin/inventory/sku-1/receive')).toBe(false);
    });

    it('has no unacknowledged cdk-nag finding', () => {
      expect(d.nag).toEqual([]);
    });
  });

  it('has no unacknowledged cdk-nag finding', () => {
    expect(s.nag).toEqual([]);
  });
});
