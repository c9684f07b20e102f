/**
 * What every service's routes share: the REST API itself (deployed by the api stack, not here)
 * with its TLS policy, problem+json gateway responses with CORS, the two JWT authorizers and
 * their functions, and the resources several services hang routes under. Service stacks import
 * the API by id (`ApiPlatform`) and add their own resources and methods.
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  type IAlarmAction,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { BEARER_HEADER_PATTERN, JWKS_FETCH_FAILED } from '../../lambdas/auth/token-verifier.ts';
import { EXPOSED_HEADERS } from '../../lambdas/shared/cors.ts';
import type { LocalIssuer } from '../config/local-issuer.ts';
import type { StageConfig } from '../config/stage-config.ts';
import { ServiceFunction } from '../constructs/service-function.ts';
import { acknowledge } from '../nag.ts';
import { serviceLambdaAlarms } from '../observability/alarms.ts';
import {
  defineService,
  methodsByPath,
  type ServiceManifest,
  sharedResourcePaths,
} from '../services/manifest.ts';
import { type ApiPlatform, addPreflight, gatewayOrigins } from '../services/service-stack.ts';
import { type Handoff, receive } from './handoff.ts';

/** Expected `iss` of tokens minted by the local issuer (`POST /dev/token`). */
export const LOCAL_JWT_ISSUER = 'http://127.0.0.1:3000/dev';
export const LOCAL_JWT_AUDIENCE = 'store-local';

/** The authorizers are functions of the auth service, declared like any other service's. */
export const auth = defineService({
  service: 'auth',
  functions: {
    Authorizer: { entry: 'lambdas/auth/handlers/authorizer.handler.ts', name: 'authorizer' },
    OptionalAuthorizer: {
      entry: 'lambdas/auth/handlers/optional-authorizer.handler.ts',
      name: 'optional-authorizer',
    },
  },
  routes: [],
});

/** Gateway responses as problem+json. Every type gets its own status so the body never lies about it. */
export const GATEWAY_RESPONSES: [apigw.ResponseType, number, string, string?][] = [
  [apigw.ResponseType.BAD_REQUEST_BODY, 400, 'Bad Request'],
  [apigw.ResponseType.BAD_REQUEST_PARAMETERS, 400, 'Bad Request'],
  [apigw.ResponseType.UNAUTHORIZED, 401, 'Unauthorized'],
  [apigw.ResponseType.EXPIRED_TOKEN, 401, 'Unauthorized'],
  [apigw.ResponseType.ACCESS_DENIED, 403, 'Forbidden'],
  [apigw.ResponseType.INVALID_API_KEY, 403, 'Forbidden'],
  [apigw.ResponseType.INVALID_SIGNATURE, 403, 'Forbidden'],
  [apigw.ResponseType.WAF_FILTERED, 403, 'Forbidden'],
  // No route uses IAM or API-key auth, so a missing token here always means "no such route".
  [
    apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN,
    404,
    'Not Found',
    'No route matches this method and path.',
  ],
  [apigw.ResponseType.RESOURCE_NOT_FOUND, 404, 'Not Found'],
  [apigw.ResponseType.REQUEST_TOO_LARGE, 413, 'Content Too Large'],
  [apigw.ResponseType.UNSUPPORTED_MEDIA_TYPE, 415, 'Unsupported Media Type'],
  [apigw.ResponseType.THROTTLED, 429, 'Too Many Requests'],
  [apigw.ResponseType.QUOTA_EXCEEDED, 429, 'Too Many Requests'],
  [apigw.ResponseType.AUTHORIZER_FAILURE, 500, 'Internal Server Error'],
  [apigw.ResponseType.AUTHORIZER_CONFIGURATION_ERROR, 500, 'Internal Server Error'],
  [apigw.ResponseType.API_CONFIGURATION_ERROR, 500, 'Internal Server Error'],
  [apigw.ResponseType.INTEGRATION_FAILURE, 502, 'Bad Gateway'],
  [apigw.ResponseType.INTEGRATION_TIMEOUT, 504, 'Gateway Timeout'],
  // Fallbacks for types not listed above.
  [apigw.ResponseType.DEFAULT_4XX, 400, 'Bad Request'],
  [apigw.ResponseType.DEFAULT_5XX, 500, 'Internal Server Error'],
];

/** `detail` defaults to API Gateway's own message (`$context.error.messageString`, a quoted JSON string). */
export function problemTemplate(status: number, title: string, detail?: string): string {
  const detailJson = detail === undefined ? '$context.error.messageString' : JSON.stringify(detail);
  return `{"type":"about:blank","title":"${title}","status":${status},"detail":${detailJson},"requestId":"$context.requestId"}`;
}

/**
 * CORS on the gateway's own answers (authorizer 401s, 403s, throttling...). A gateway response
 * cannot choose per origin: one configured origin is stated; with several, the request's Origin
 * is echoed (these problem documents carry no data). Same-origin stages send none.
 */
function gatewayCorsHeaders(config: StageConfig): Record<string, string> {
  const cors = gatewayOrigins(config);
  if (!cors) return {};
  return {
    'access-control-allow-origin':
      cors.choices.length > 0 ? 'method.request.header.origin' : `'${cors.stated}'`,
    'access-control-expose-headers': `'${EXPOSED_HEADERS}'`,
    ...(cors.stated === '*' ? {} : { vary: "'origin'" }),
  };
}

/**
 * TLS 1.3 and 1.2 with forward-secret AEAD ciphers only (no CBC, no TLS 1.0/1.1), post-quantum key
 * exchange offered. API Gateway negotiates a request's handshake with the API's policy even on a
 * custom domain, so the domain gets the same one. STRICT: the SNI must name the host being called.
 */
export const API_TLS = {
  securityPolicy: apigw.SecurityPolicy.TLS13_1_2_PFS_PQ_2025_09,
  endpointAccessMode: apigw.EndpointAccessMode.STRICT,
} as const;

/** With a custom domain, the default execute-api endpoint is off: nothing goes around the domain. */
export const executeApiEndpointDisabled = (config: StageConfig): boolean =>
  config.api.customDomain !== undefined;

export interface PlatformStackProps extends StackProps {
  config: StageConfig;
  /** Every service of the stage: their route paths decide the shared resources and preflights. */
  services: readonly ServiceManifest[];
  /** Deployed stages: the user pool and the app clients whose access tokens are accepted. */
  cognito?: { userPoolId: Handoff; clientIds: Handoff };
  /** Stage local: the local issuer's keys. */
  localIssuer?: LocalIssuer;
  alarmAction?: IAlarmAction;
}

export class PlatformStack extends Stack {
  readonly api: apigw.RestApi;
  readonly platform: ApiPlatform;
  readonly functions: Record<keyof typeof auth.functions, ServiceFunction>;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { config } = props;
    const { prefix } = config;

    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: `${prefix}-api`,
      description: `Serverless store API (${config.stage})`,
      endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
      // The api stack deploys it once every service stack has added its routes.
      deploy: false,
      // Execution logging needs API Gateway's account-level CloudWatch role: one setting per
      // account and region, owned by the account stack (lib/stacks/account-stack.ts), not a stage.
      cloudWatchRole: false,
      disableExecuteApiEndpoint: executeApiEndpointDisabled(config),
    });
    if (config.api.tlsPolicy) {
      const cfnApi = this.api.node.defaultChild as apigw.CfnRestApi;
      cfnApi.securityPolicy = API_TLS.securityPolicy;
      cfnApi.endpointAccessMode = API_TLS.endpointAccessMode;
    }
    acknowledge(this.api, {
      id: 'AwsSolutions-APIG2',
      reason:
        'Every handler validates its whole request with zod, from the schemas the OpenAPI document is generated from; without request models (none is declared) an API Gateway validator would check only the path parameters a matched route always has.',
    });
    for (const [type, status, title, detail] of GATEWAY_RESPONSES) {
      this.api.addGatewayResponse(`Gateway${type.responseType}`, {
        type,
        statusCode: String(status),
        responseHeaders: {
          // Header names are case-insensitive; lower case, so nothing adds a second, default
          // Content-Type beside this one.
          'content-type': "'application/problem+json'",
          ...gatewayCorsHeaders(config),
          'x-request-id': 'context.requestId',
        },
        templates: { 'application/json': problemTemplate(status, title, detail) },
      });
    }
    // Auth: one JWT path. Deployed stages trust the Cognito pool; stage local its own issuer.
    this.functions = {
      Authorizer: new ServiceFunction(this, 'Authorizer', {
        config,
        service: auth.service,
        ...auth.functions.Authorizer,
      }),
      OptionalAuthorizer: new ServiceFunction(this, 'OptionalAuthorizer', {
        config,
        service: auth.service,
        ...auth.functions.OptionalAuthorizer,
      }),
    };
    const env = this.authorizerEnv(props);
    for (const fn of Object.values(this.functions)) {
      for (const [key, value] of Object.entries(env)) fn.addEnvironment(key, value);
    }
    const tokenAuthorizer = new apigw.CfnAuthorizer(this, 'JwtAuthorizer', {
      restApiId: this.api.restApiId,
      name: `${prefix}-jwt`,
      type: 'TOKEN',
      authorizerUri: this.invocationUri(this.functions.Authorizer),
      identitySource: 'method.request.header.Authorization',
      // Malformed headers are turned away by API Gateway itself, without invoking the function.
      identityValidationExpression: BEARER_HEADER_PATTERN,
      authorizerResultTtlInSeconds: config.auth.authorizerCacheTtl.toSeconds(),
    });
    // Cart routes: signing in is optional. A REQUEST authorizer without identity sources is invoked
    // on every request, header or not (the L2 RequestAuthorizer insists on identity sources, and a
    // missing one is a 401 before any function runs); with nothing to key a cache on, TTL 0.
    const optionalAuthorizer = new apigw.CfnAuthorizer(this, 'OptionalJwtAuthorizer', {
      restApiId: this.api.restApiId,
      name: `${prefix}-jwt-optional`,
      type: 'REQUEST',
      authorizerUri: this.invocationUri(this.functions.OptionalAuthorizer),
      authorizerResultTtlInSeconds: 0,
    });
    for (const [fn, authorizer] of [
      [this.functions.Authorizer, tokenAuthorizer],
      [this.functions.OptionalAuthorizer, optionalAuthorizer],
    ] as const) {
      fn.fn.addPermission('ApiGatewayInvoke', {
        principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
        sourceArn: this.formatArn({
          service: 'execute-api',
          resource: this.api.restApiId,
          resourceName: `authorizers/${authorizer.ref}`,
        }),
      });
    }

    // Resources more than one service hangs routes under, each with its preflight if it has routes.
    const methods = methodsByPath(props.services);
    const shared = new Map<string, string>();
    for (const path of sharedResourcePaths(props.services).sort((a, b) => a.length - b.length)) {
      const resource = this.api.root.resourceForPath(path);
      shared.set(path, resource.resourceId);
      const own = methods.get(path);
      if (own) addPreflight(resource, own, config);
    }
    // The root answers preflights too (and gives the API the method it needs to synthesize).
    addPreflight(this.api.root, methods.get('/') ?? [], config);

    this.platform = {
      restApiId: this.api.restApiId,
      rootResourceId: this.api.restApiRootResourceId,
      tokenAuthorizerId: tokenAuthorizer.ref,
      optionalAuthorizerId: optionalAuthorizer.ref,
      sharedResources: shared,
      methodsByPath: methods,
    };

    if (config.alarms) {
      this.jwksAlarm(config, props.alarmAction);
      serviceLambdaAlarms(this, config, auth, props.alarmAction);
    }
  }

  private invocationUri(fn: ServiceFunction): string {
    return `arn:${this.partition}:apigateway:${this.region}:lambda:path/2015-03-31/functions/${fn.fn.functionArn}/invocations`;
  }

  private authorizerEnv(props: PlatformStackProps): Record<string, string> {
    const { config } = props;
    if (config.auth.issuer === 'cognito') {
      if (!props.cognito) throw new Error(`stage ${config.stage} needs the user pool and its app clients`);
      // Access tokens of the declared app clients only: no ID tokens, no other client of the pool.
      return {
        AUTH_MODE: 'cognito',
        COGNITO_USER_POOL_ID: receive(this, props.cognito.userPoolId),
        COGNITO_CLIENT_IDS: receive(this, props.cognito.clientIds),
      };
    }
    if (!props.localIssuer) throw new Error(`stage ${config.stage} needs the local issuer`);
    return {
      AUTH_MODE: 'issuer',
      JWT_ISSUER: LOCAL_JWT_ISSUER,
      JWT_AUDIENCE: LOCAL_JWT_AUDIENCE,
      JWKS_JSON: JSON.stringify(props.localIssuer.jwks),
    };
  }

  /** The authorizers answer 401 when the issuer's keys cannot be fetched; someone must know. */
  private jwksAlarm(config: StageConfig, action: IAlarmAction | undefined): void {
    const jwksFailures = { namespace: `${config.prefix}/auth`, metricName: 'JwksFetchFailures' };
    for (const [id, fn] of Object.entries(this.functions)) {
      new MetricFilter(this, `${id}JwksFetchFailures`, {
        logGroup: fn.logGroup,
        filterPattern: FilterPattern.stringValue('$.message', '=', JWKS_FETCH_FAILED),
        metricNamespace: jwksFailures.namespace,
        metricName: jwksFailures.metricName,
        metricValue: '1',
        defaultValue: 0,
      });
    }
    const alarm = new Alarm(this, 'JwksFetchAlarm', {
      alarmName: `${config.prefix}-jwks-unreachable`,
      alarmDescription:
        "The authorizers could not fetch the user pool's signing keys: tokens with a new key id are refused (401).",
      metric: new Metric({ ...jwksFailures, statistic: 'Sum', period: Duration.minutes(5) }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (action) alarm.addAlarmAction(action);
  }
}
