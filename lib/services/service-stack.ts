/**
 * The stack of one service: its functions from the manifest (one ServiceFunction each, with the
 * defaults), its routes on the stage's REST API (imported from the platform stack), each with its
 * access and CORS preflight, and the alarms on its functions' errors and throttles. What the
 * manifest cannot say (grants, event sources, custom resources, other alarms) the service's own
 * stack class adds after `super()`.
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config/stage-config.ts';
import { ServiceFunction } from '../constructs/service-function.ts';
import { acknowledge } from '../nag.ts';
import { serviceLambdaAlarms } from '../observability/alarms.ts';
import { type HttpMethod, needsToken, type RouteSpec, type ServiceManifest, segmentsOf } from './manifest.ts';

/** What the platform stack hands every service stack: ids only, so stacks stay loosely coupled. */
export interface ApiPlatform {
  restApiId: string;
  rootResourceId: string;
  tokenAuthorizerId: string;
  optionalAuthorizerId: string;
  /** Resources the platform created because several services use them: path -> resource id. */
  sharedResources: ReadonlyMap<string, string>;
  /** Every route path of the stage -> its methods (all services), for the preflights. */
  methodsByPath: ReadonlyMap<string, readonly HttpMethod[]>;
}

export interface ServiceStackProps extends StackProps {
  config: StageConfig;
  platform: ApiPlatform;
  /** The stage's alarm topic (stages with alarms): the service's own alarms notify it. */
  alarmAction?: IAlarmAction;
}

/** Request headers a browser may send on cross-origin calls (the preflight allows these). */
export const CORS_REQUEST_HEADERS = [
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  'If-Match',
  'X-Request-Id',
  'X-Amz-Date',
  'X-Amz-Security-Token',
];

const JWT_PATH =
  "one code path verifies Cognito-issued tokens (the local issuer's in stage local); a Cognito authorizer cannot serve the local cloud.";

export class ServiceStack<F extends string> extends Stack {
  readonly config: StageConfig;
  readonly functions: Record<F, ServiceFunction>;
  private readonly api: apigw.IRestApi;
  private readonly resources = new Map<string, apigw.IResource>();

  constructor(
    scope: Construct,
    id: string,
    readonly manifest: ServiceManifest<F>,
    props: ServiceStackProps,
  ) {
    super(scope, id, props);
    const { config, platform } = props;
    this.config = config;
    this.functions = Object.fromEntries(
      (Object.entries(manifest.functions) as [F, ServiceManifest<F>['functions'][F]][]).map(([fid, spec]) => [
        fid,
        new ServiceFunction(this, fid, { config, service: manifest.service, ...spec }),
      ]),
    ) as Record<F, ServiceFunction>;
    // Errors and throttles of the service's functions, one alarm each (docs/operations.md).
    if (config.alarms) serviceLambdaAlarms(this, config, manifest, props.alarmAction);

    this.api = apigw.RestApi.fromRestApiAttributes(this, 'Api', {
      restApiId: platform.restApiId,
      rootResourceId: platform.rootResourceId,
    });
    for (const [path, resourceId] of platform.sharedResources) {
      this.resources.set(
        path,
        apigw.Resource.fromResourceAttributes(this, `Shared${path.replace(/\W/g, '')}`, {
          resourceId,
          restApi: this.api,
          path,
        }),
      );
    }
    const owned = new Set<string>();
    for (const route of manifest.routes) {
      this.route(route, platform);
      owned.add(route.path);
    }
    // A path's preflight is declared where its resource is: here, unless the platform owns it.
    for (const path of owned) {
      if (!platform.sharedResources.has(path)) {
        addPreflight(this.resource(path), platform.methodsByPath.get(path) ?? [], config);
      }
    }
  }

  /** The resource for `path`, built under the deepest resource already known (shared or made here). */
  private resource(path: string): apigw.IResource {
    const known = this.resources.get(path);
    if (known) return known;
    const segments = segmentsOf(path);
    if (segments.length === 0) return this.api.root;
    const parent = this.resource(`/${segments.slice(0, -1).join('/')}`);
    const resource = parent.addResource(segments[segments.length - 1] as string);
    this.resources.set(path, resource);
    return resource;
  }

  private route(route: RouteSpec<F>, platform: ApiPlatform): void {
    const target = this.functions[route.fn];
    const { access } = route;
    const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => `method.request.path.${m[1]}`);
    const method = this.resource(route.path).addMethod(
      route.method,
      new apigw.LambdaIntegration(target.fn, { allowTestInvoke: false }),
      {
        requestParameters: Object.fromEntries(pathParams.map((p) => [p, true])),
        ...('public' in access
          ? { authorizationType: apigw.AuthorizationType.NONE }
          : {
              authorizer: {
                authorizerId: needsToken(access) ? platform.tokenAuthorizerId : platform.optionalAuthorizerId,
                authorizationType: apigw.AuthorizationType.CUSTOM,
              },
              authorizationType: apigw.AuthorizationType.CUSTOM,
            }),
      },
    );
    acknowledge(
      method,
      ...('public' in access
        ? [
            { id: 'AwsSolutions-APIG4', reason: access.public },
            { id: 'AwsSolutions-COG4', reason: access.public },
          ]
        : [
            {
              id: 'AwsSolutions-COG4',
              reason: needsToken(access)
                ? `Authorized by the JWT Lambda authorizer: ${JWT_PATH}`
                : `Signing in is optional here (guest carts, API.md): the optional JWT Lambda authorizer admits anonymous requests and verifies a token when one is sent, which a Cognito authorizer cannot do; ${JWT_PATH}`,
            },
          ]),
    );
  }
}

/**
 * The stage's CORS origins as the gateway's own answers (preflights, gateway responses) state
 * them: `stated` is the one Access-Control-Allow-Origin a template can hold (`*` or the first
 * origin), `choices` the origins to echo from when there are several. Undefined: same-origin only.
 */
export function gatewayOrigins(
  config: StageConfig,
): { stated: string; choices: readonly string[] } | undefined {
  const origins = config.api.corsOrigins;
  if (origins === '*') return { stated: '*', choices: [] };
  const [first] = origins;
  return first === undefined ? undefined : { stated: first, choices: origins.length > 1 ? origins : [] };
}

/**
 * The CORS preflight of one resource: a MOCK integration that allows the path's own methods and
 * the request headers the API reads, for the stage's origins, with an x-request-id like every
 * other answer. With several origins its template echoes the request's Origin when it is one of
 * them; a stage without origins answers preflights without CORS headers (same-origin only).
 */
export function addPreflight(
  resource: apigw.IResource,
  methods: readonly string[],
  config: StageConfig,
): void {
  const cors = gatewayOrigins(config);
  const headers: Record<string, string> = {
    ...(cors
      ? {
          'Access-Control-Allow-Origin': `'${cors.stated}'`,
          'Access-Control-Allow-Methods': `'${[...methods, 'OPTIONS'].join(',')}'`,
          'Access-Control-Allow-Headers': `'${CORS_REQUEST_HEADERS.join(',')}'`,
          'Access-Control-Max-Age': `'${Duration.hours(1).toSeconds()}'`,
          ...(cors.stated === '*' ? {} : { Vary: "'Origin'" }),
        }
      : {}),
    'x-request-id': 'context.requestId',
  };
  const echoOrigin =
    cors && cors.choices.length > 0
      ? [
          '#set($origin = $input.params().header.get("Origin"))',
          // A missing header leaves $origin null, which never equals ""; "$!origin" renders it empty.
          '#if("$!origin" == "")#set($origin = $input.params().header.get("origin"))#end',
          `#if(${cors.choices.map((o) => `$origin == "${o}"`).join(' || ')})`,
          '#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)',
          '#end',
        ].join('\n')
      : undefined;
  resource.addMethod(
    'OPTIONS',
    new apigw.MockIntegration({
      requestTemplates: { 'application/json': '{ "statusCode": 204 }' },
      integrationResponses: [
        {
          statusCode: '204',
          responseParameters: Object.fromEntries(
            Object.entries(headers).map(([name, value]) => [`method.response.header.${name}`, value]),
          ),
          ...(echoOrigin ? { responseTemplates: { 'application/json': echoOrigin } } : {}),
        },
      ],
    }),
    {
      authorizationType: apigw.AuthorizationType.NONE,
      methodResponses: [
        {
          statusCode: '204',
          responseParameters: Object.fromEntries(
            Object.keys(headers).map((name) => [`method.response.header.${name}`, true]),
          ),
        },
      ],
    },
  );
}
