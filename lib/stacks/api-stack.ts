/**
 * The REST API's one deployment and its stage, made after every service stack has added its
 * routes: access and execution logs, tracing, stage and per-method throttles, the custom domain,
 * the WAF and its logs, the 5xx and p99 latency alarms and the URL.
 */
import { createHash } from 'node:crypto';
import { ArnFormat, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import {
  Alarm,
  ComparisonOperator,
  type IAlarmAction,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config/stage-config.ts';
import { acknowledge } from '../nag.ts';
import { apiLatencyAlarm } from '../observability/alarms.ts';
import { API_TLS, executeApiEndpointDisabled } from './platform-stack.ts';

/** `'GET /search'` -> `'/search/GET'`, the key form of a Stage's `methodOptions` (path braces kept). */
export function methodOptionsKey(route: string): string {
  const match = /^([A-Z]+) (\/\S*)$/.exec(route);
  if (!match) throw new Error(`method throttle key ${JSON.stringify(route)} is not "VERB /path"`);
  const [, method, path] = match as unknown as [string, string, string];
  return `${path === '/' ? '' : path}/${method}`;
}

/**
 * Per-method settings replace the stage-wide ones for that method, so each repeats the stage's
 * logging and metrics beside its own throttle.
 */
function methodOptions(
  config: StageConfig,
  logging: Pick<apigw.MethodDeploymentOptions, 'loggingLevel' | 'dataTraceEnabled' | 'metricsEnabled'>,
): Record<string, apigw.MethodDeploymentOptions> {
  return Object.fromEntries(
    Object.entries(config.api.methodThrottling).map(([route, limit]) => [
      methodOptionsKey(route),
      { ...logging, throttlingRateLimit: limit.rateLimit, throttlingBurstLimit: limit.burstLimit },
    ]),
  );
}

/**
 * The routes whose valid bodies may exceed the core rule set's 8 KB, `[method, path regex]` with
 * the path as the WAF sees it: product create and replace (many variants, long descriptions);
 * review create and edit (4,000 characters of body, up to 16 KB in UTF-8 and more as JSON
 * escapes); checkout (the address's 700 characters, escaped). Every other body is a few hundred bytes.
 */
export function largeBodyRoutes(config: StageConfig): [string, string][] {
  // On execute-api the path starts with the stage name; the custom domain maps the stage at its root.
  const prefix = executeApiEndpointDisabled(config) ? '' : `/${config.stage}`;
  return [
    ['POST', `^${prefix}/admin/products/?$`],
    ['PUT', `^${prefix}/admin/products/[^/]+/?$`],
    ['POST', `^${prefix}/products/[^/]+/reviews/?$`],
    ['PUT', `^${prefix}/products/[^/]+/reviews/[^/]+/?$`],
    ['POST', `^${prefix}/checkout/?$`],
  ];
}

export interface ApiStackProps extends StackProps {
  config: StageConfig;
  restApiId: string;
  restApiName: string;
  /**
   * Everything the deployment must pick up when it changes (routes, gateway responses, CORS): a
   * new value makes a new Deployment resource, which API Gateway needs to serve the change.
   */
  fingerprint: unknown;
  alarmAction?: IAlarmAction;
}

export class ApiStack extends Stack {
  readonly stage: apigw.Stage;
  readonly url: string;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config } = props;
    const api = apigw.RestApi.fromRestApiId(this, 'Api', props.restApiId);
    const deployment = new apigw.Deployment(this, 'Deployment', {
      api,
      description: `Serverless store API (${config.stage})`,
    });
    // The API's TLS policy and a disabled execute-api endpoint take effect with a new deployment.
    const served = {
      fingerprint: props.fingerprint,
      tls: config.api.tlsPolicy ? API_TLS : undefined,
      executeApiEndpointDisabled: executeApiEndpointDisabled(config),
    };
    deployment.addToLogicalId(createHash('sha256').update(JSON.stringify(served)).digest('hex').slice(0, 16));

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      logGroupName: `/aws/apigateway/${config.prefix}-api/access`,
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    const logging = {
      loggingLevel: apigw.MethodLoggingLevel.ERROR,
      // Request and response bodies carry personal data: never in execution logs.
      dataTraceEnabled: false,
      metricsEnabled: true,
    };
    this.stage = new apigw.Stage(this, 'Stage', {
      deployment,
      stageName: config.stage,
      accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
      accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields({
        caller: true,
        httpMethod: true,
        ip: true,
        protocol: true,
        requestTime: true,
        resourcePath: true,
        responseLength: true,
        status: true,
        user: true,
      }),
      ...logging,
      tracingEnabled: true,
      throttlingRateLimit: config.api.throttlingRateLimit,
      throttlingBurstLimit: config.api.throttlingBurstLimit,
      // Search, suggest, admin, health and the OpenAPI document (lib/config/limits.ts).
      methodOptions: methodOptions(config, logging),
    });
    const { customDomain } = config.api;
    this.url = customDomain ? this.customDomain(customDomain, api) : this.stage.urlForPath('/');

    if (config.api.waf) this.webAcl(config);
    else {
      acknowledge(this.stage, {
        id: 'AwsSolutions-APIG3',
        reason: `Stage ${config.stage} runs on the local cloud, which has no WAF.`,
      });
    }

    if (config.alarms) {
      const api5xxAlarm = new Alarm(this, 'Api5xxAlarm', {
        alarmName: `${config.prefix}-api-5xx`,
        alarmDescription: 'The API answers with server errors.',
        metric: new Metric({
          namespace: 'AWS/ApiGateway',
          metricName: '5XXError',
          dimensionsMap: { ApiName: props.restApiName },
          period: Duration.minutes(5),
          statistic: 'Sum',
        }),
        threshold: 5,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      if (props.alarmAction) api5xxAlarm.addAlarmAction(props.alarmAction);
      apiLatencyAlarm(this, config, props.restApiName, props.alarmAction);
    }

    new CfnOutput(this, 'ApiUrl', { value: this.url, description: 'Base URL of the REST API stage' });
  }

  /**
   * The stage at the root of a regional custom domain (the ACM certificate must be in the stage's
   * region). The platform stack turns the execute-api endpoint off, so this is the only way in.
   */
  private customDomain(
    { domainName, certificateArn }: NonNullable<StageConfig['api']['customDomain']>,
    api: apigw.IRestApi,
  ): string {
    const domain = new apigw.DomainName(this, 'ApiDomain', {
      domainName,
      certificate: acm.Certificate.fromCertificateArn(this, 'ApiCertificate', certificateArn),
      endpointType: apigw.EndpointType.REGIONAL,
      // The API's own policy, which API Gateway negotiates with on the domain too.
      ...API_TLS,
    });
    domain.addBasePathMapping(api, { stage: this.stage });
    new CfnOutput(this, 'ApiDomainTarget', {
      value: domain.domainNameAliasDomainName,
      description: `Where the DNS record of ${domainName} points (CNAME, or an alias in hosted zone ApiDomainTargetZone)`,
    });
    new CfnOutput(this, 'ApiDomainTargetZone', {
      value: domain.domainNameAliasHostedZoneId,
      description: `Hosted zone of ApiDomainTarget, for a Route 53 alias record of ${domainName}`,
    });
    return `https://${domainName}/`;
  }

  private webAcl(config: StageConfig): void {
    const visibility = (name: string) => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${config.prefix}-${name}`,
    });
    const managed = (name: string, priority: number, overrides: string[] = []) => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          ruleActionOverrides: overrides.map((rule) => ({ name: rule, actionToUse: { count: {} } })),
        },
      },
      visibilityConfig: visibility(name),
    });
    const exactly = (field: object, value: string) => ({
      byteMatchStatement: {
        fieldToMatch: field,
        positionalConstraint: 'EXACTLY',
        searchString: value,
        textTransformations: [{ priority: 0, type: 'NONE' }],
      },
    });
    const largeBodyRoute = ([method, path]: [string, string]) => ({
      andStatement: {
        statements: [
          exactly({ method: {} }, method),
          {
            regexMatchStatement: {
              fieldToMatch: { uriPath: {} },
              regexString: path,
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
        ],
      },
    });
    const acl = new wafv2.CfnWebACL(this, 'ApiWebAcl', {
      name: `${config.prefix}-api`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('api'),
      // Evaluated by priority, lowest first; the first block ends evaluation.
      rules: [
        // Addresses Amazon's threat intelligence lists as bots, scanners and attack sources.
        managed('AWSManagedRulesAmazonIpReputationList', 1),
        {
          name: 'RatePerIp',
          priority: 2,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: 3000, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility('rate-per-ip'),
        },
        // SizeRestrictions_BODY matches bodies over 8 KB (fixed, whatever the inspection limit;
        // the WAF inspects the first 16 KB of an API Gateway request's body, so a larger one is
        // partly unseen by every body rule). Counted here only to label the request: the next rule
        // blocks it everywhere but on the writes that need large bodies.
        managed('AWSManagedRulesCommonRuleSet', 3, ['SizeRestrictions_BODY']),
        {
          // After the common rule set: a label is visible only to rules evaluated after its rule.
          name: 'LargeBodyOutsideLargeWrites',
          priority: 4,
          action: { block: {} },
          statement: {
            andStatement: {
              statements: [
                {
                  labelMatchStatement: {
                    scope: 'LABEL',
                    key: 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body',
                  },
                },
                // Product bodies are checked by the handlers' schemas, and the API's 10 MB limit.
                {
                  notStatement: {
                    statement: { orStatement: { statements: largeBodyRoutes(config).map(largeBodyRoute) } },
                  },
                },
              ],
            },
          },
          visibilityConfig: visibility('large-body'),
        },
        managed('AWSManagedRulesKnownBadInputsRuleSet', 5),
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'ApiWebAclAssociation', {
      resourceArn: this.stage.stageArn,
      webAclArn: acl.attrArn,
    });

    // WAF delivers to log groups named aws-waf-logs-*, by an ARN without the `:*` of logGroupArn.
    const logName = `aws-waf-logs-${config.prefix}-api`;
    const logs = new LogGroup(this, 'ApiWafLogs', {
      logGroupName: logName,
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    const logging = new wafv2.CfnLoggingConfiguration(this, 'ApiWafLogging', {
      resourceArn: acl.attrArn,
      logDestinationConfigs: [
        this.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: logName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      // Bearer tokens; cookies (the API sets none) may be a parent domain's session.
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'cookie' } }],
      // What the WAF blocked or counted; every request is in the access logs already.
      loggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: ['BLOCK', 'COUNT', 'EXCLUDED_AS_COUNT'].map((action) => ({
              ActionCondition: { Action: action },
            })),
          },
        ],
      },
    });
    logging.node.addDependency(logs);
  }
}
