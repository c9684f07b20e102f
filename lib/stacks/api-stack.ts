/**
 * The REST API's one deployment and its stage, made after every service stack has added its
 * routes: access and execution logs, tracing, throttling, the WAF, the 5xx and p99 latency alarms
 * and the URL.
 */
import { createHash } from 'node:crypto';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
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
    deployment.addToLogicalId(
      createHash('sha256').update(JSON.stringify(props.fingerprint)).digest('hex').slice(0, 16),
    );

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      logGroupName: `/aws/apigateway/${config.prefix}-api/access`,
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
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
      loggingLevel: apigw.MethodLoggingLevel.ERROR,
      // Request and response bodies carry personal data: never in execution logs.
      dataTraceEnabled: false,
      metricsEnabled: true,
      tracingEnabled: true,
      throttlingRateLimit: config.api.throttlingRateLimit,
      throttlingBurstLimit: config.api.throttlingBurstLimit,
    });
    this.url = this.stage.urlForPath('/');

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
    const acl = new wafv2.CfnWebACL(this, 'ApiWebAcl', {
      name: `${config.prefix}-api`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('api'),
      rules: [
        // Product write bodies with many variants exceed the common set's 8 KB body limit; the
        // API's own 10 MB limit and the handlers' validation apply instead.
        managed('AWSManagedRulesCommonRuleSet', 1, ['SizeRestrictions_BODY']),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 2),
        {
          name: 'RatePerIp',
          priority: 3,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: 3000, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility('rate-per-ip'),
        },
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'ApiWebAclAssociation', {
      resourceArn: this.stage.stageArn,
      webAclArn: acl.attrArn,
    });
  }
}
