import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiStack } from '../../lib/stacks/api-stack.ts';
import { type AloneStack, STUB_PLATFORM_IDS, synthAlone } from './support/alone.ts';

const routes = { routes: ['GET /products'] };

describe.each(['staging', 'prod'] as const)('api stack alone, stage %s', (stage) => {
  let s: AloneStack<ApiStack>;
  beforeAll(() => {
    s = synthAlone(stage, ({ app, config, stateful }) => {
      return new ApiStack(app, 'Api', {
        config,
        restApiId: STUB_PLATFORM_IDS.restApiId,
        restApiName: `store-${stage}-api`,
        fingerprint: routes,
        alarmAction: stateful.alarmAction,
      });
    });
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
  });

  it('protects the stage with a WAF and alarms on server errors', () => {
    s.template.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'REGIONAL', Name: `store-${stage}-api` });
    s.template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `store-${stage}-api-5xx`,
      Namespace: 'AWS/ApiGateway',
      MetricName: '5XXError',
      Dimensions: [{ Name: 'ApiName', Value: `store-${stage}-api` }],
      AlarmActions: Match.anyValue(),
    });
  });

  it('outputs ApiUrl', () => {
    const urlOutputs = Object.keys(s.json.Outputs ?? {}).filter((k) => /ApiUrl/.test(k));
    expect(urlOutputs).toEqual(['ApiUrl']);
    expect(JSON.stringify(s.json.Outputs?.ApiUrl?.Value)).toContain('.execute-api.');
  });

  it('has no unacknowledged cdk-nag finding', () => {
    expect(s.nag).toEqual([]);
  });
});
