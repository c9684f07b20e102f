/**
 * The stateless side of a stage: the functions of docs/architecture.md, the REST API with its
 * JWT authorizer, the products stream mapping and the checkout state machine. Everything stateful
 * comes in from the stateful stack as objects; grants are made here, on the functions' roles.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  Annotations,
  CfnOutput,
  CustomResource,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { FilterPattern, LogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { JWKS_FETCH_FAILED } from '../../lambdas/auth/token-verifier.ts';
import { EXPOSED_HEADERS } from '../../lambdas/shared/cors.ts';
import { loadOrCreateLocalIssuer } from '../config/local-issuer.ts';
import type { StageConfig } from '../config/stage-config.ts';
import { PROJECT_ROOT, ServiceFunction } from '../constructs/service-function.ts';
import { acknowledge, wildcardResourceFinding } from '../nag.ts';
import type { StatefulStack } from './stateful-stack.ts';

export const CHECKOUT_ASL = resolve(PROJECT_ROOT, 'state-machines/checkout.asl.json');
/** The alias the search code reads and writes (docs/architecture.md, "Search index"). */
export const SEARCH_INDEX = 'products';
/** Expected `iss` of tokens minted by the local issuer (`POST /dev/token`). */
export const LOCAL_JWT_ISSUER = 'http://127.0.0.1:3000/dev';
export const LOCAL_JWT_AUDIENCE = 'store-local';

export const FUNCTION_IDS = [
  'CreateProduct',
  'ReplaceProduct',
  'DeleteProduct',
  'GetProduct',
  'ListProducts',
  'Search',
  'Suggest',
  'Indexer',
  'CreateCart',
  'GetCart',
  'AddCartItem',
  'UpdateCartItem',
  'RemoveCartItem',
  'GetMyCart',
  'MergeCart',
  'Authorizer',
  'OptionalAuthorizer',
  'Health',
  'OpenApi',
  'DevToken',
] as const;
export type FunctionId = (typeof FUNCTION_IDS)[number];

/** Function id -> handler entry, physical name suffix, owning service (docs/architecture.md). */
const FUNCTIONS: Record<FunctionId, { entry: string; name: string; service: string }> = {
  CreateProduct: {
    entry: 'lambdas/catalog/handlers/create-product.handler.ts',
    name: 'create-product',
    service: 'catalog',
  },
  ReplaceProduct: {
    entry: 'lambdas/catalog/handlers/replace-product.handler.ts',
    name: 'replace-product',
    service: 'catalog',
  },
  DeleteProduct: {
    entry: 'lambdas/catalog/handlers/delete-product.handler.ts',
    name: 'delete-product',
    service: 'catalog',
  },
  GetProduct: {
    entry: 'lambdas/catalog/handlers/get-product.handler.ts',
    name: 'get-product',
    service: 'catalog',
  },
  ListProducts: {
    entry: 'lambdas/catalog/handlers/list-products.handler.ts',
    name: 'list-products',
    service: 'catalog',
  },
  Search: { entry: 'lambdas/search/handlers/search.handler.ts', name: 'search', service: 'search' },
  Suggest: { entry: 'lambdas/search/handlers/suggest.handler.ts', name: 'suggest', service: 'search' },
  Indexer: { entry: 'lambdas/search/handlers/indexer.handler.ts', name: 'indexer', service: 'search' },
  CreateCart: { entry: 'lambdas/cart/handlers/create-cart.handler.ts', name: 'create-cart', service: 'cart' },
  GetCart: { entry: 'lambdas/cart/handlers/get-cart.handler.ts', name: 'get-cart', service: 'cart' },
  AddCartItem: { entry: 'lambdas/cart/handlers/add-item.handler.ts', name: 'add-cart-item', service: 'cart' },
  UpdateCartItem: {
    entry: 'lambdas/cart/handlers/update-item.handler.ts',
    name: 'update-cart-item',
    service: 'cart',
  },
  RemoveCartItem: {
    entry: 'lambdas/cart/handlers/remove-item.handler.ts',
    name: 'remove-cart-item',
    service: 'cart',
  },
  GetMyCart: { entry: 'lambdas/cart/handlers/get-my-cart.handler.ts', name: 'get-my-cart', service: 'cart' },
  MergeCart: { entry: 'lambdas/cart/handlers/merge-cart.handler.ts', name: 'merge-cart', service: 'cart' },
  Authorizer: { entry: 'lambdas/auth/handlers/authorizer.handler.ts', name: 'authorizer', service: 'auth' },
  OptionalAuthorizer: {
    entry: 'lambdas/auth/handlers/optional-authorizer.handler.ts',
    name: 'optional-authorizer',
    service: 'auth',
  },
  Health: { entry: 'lambdas/ops/handlers/health.handler.ts', name: 'health', service: 'ops' },
  OpenApi: { entry: 'lambdas/ops/handlers/openapi.handler.ts', name: 'openapi', service: 'ops' },
  DevToken: { entry: 'lambdas/dev/handlers/token.handler.ts', name: 'dev-token', service: 'dev' },
};

/** Gateway responses as problem+json. Every type gets its own status so the body never lies about it. */
const GATEWAY_RESPONSES: [apigw.ResponseType, number, string, string?][] = [
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

/**
 * CORS on the gateway's own answers (authorizer 401s, 403s, throttling...). A gateway response
 * cannot choose per origin: one configured origin is stated; with several, the request's Origin
 * is echoed (these problem documents carry no data). Same-origin stages send none.
 */
function gatewayCorsHeaders(config: StageConfig): Record<string, string> {
  const origins = config.api.corsOrigins;
  if (origins !== '*' && origins.length === 0) return {};
  const allowOrigin =
    origins === '*' ? "'*'" : origins.length === 1 ? `'${origins[0]}'` : 'method.request.header.origin';
  return {
    'access-control-allow-origin': allowOrigin,
    'access-control-expose-headers': `'${EXPOSED_HEADERS}'`,
    ...(origins === '*' ? {} : { vary: "'origin'" }),
  };
}

export interface ApiStackProps extends StackProps {
  config: StageConfig;
  stateful: StatefulStack;
  /** Stage local: where the issuer key pair is kept (default `.local/issuer-key.json`). */
  issuerKeyFile?: string;
}

export class ApiStack extends Stack {
  readonly functions: Partial<Record<FunctionId, ServiceFunction>> = {};
  readonly api: apigw.RestApi;
  readonly checkout: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    const { prefix } = config;
    const table = stateful.productsTable;
    const indexes = stateful.productsIndexNames;
    const search = stateful.search;

    const fn = (
      fid: FunctionId,
      extra: { timeout?: Duration; environment?: Record<string, string> } = {},
    ) => {
      const created = new ServiceFunction(this, fid, { config, ...FUNCTIONS[fid], ...extra });
      this.functions[fid] = created;
      return created;
    };
    const searchEnv = { SEARCH_ENDPOINT: search.endpoint, SEARCH_AUTH: search.auth };

    // Catalog: writers read-write, readers read-only.
    const createProduct = fn('CreateProduct').bindTable(table, 'PRODUCTS_TABLE', 'read-write', indexes);
    const replaceProduct = fn('ReplaceProduct').bindTable(table, 'PRODUCTS_TABLE', 'read-write', indexes);
    const deleteProduct = fn('DeleteProduct').bindTable(table, 'PRODUCTS_TABLE', 'read-write', indexes);
    const getProduct = fn('GetProduct').bindTable(table, 'PRODUCTS_TABLE', 'read', indexes);
    const listProducts = fn('ListProducts').bindTable(table, 'PRODUCTS_TABLE', 'read', indexes);

    const searchFn = fn('Search', { environment: { ...searchEnv, SEARCH_INDEX } });
    const suggest = fn('Suggest', { environment: { ...searchEnv, SEARCH_INDEX } });
    // A replica per extra data node: every node holds the index, so every node serves searches
    // (staging's single node gets none, which keeps its cluster green). Read by the indexer when it
    // creates the index.
    const replicas = config.search.kind === 'domain' ? config.search.dataNodes - 1 : 0;
    const indexer = fn('Indexer', {
      timeout: Duration.seconds(60),
      environment: { ...searchEnv, SEARCH_INDEX, SEARCH_REPLICAS: String(replicas) },
    });
    // Health probes the table (DescribeTable) and reads one item; nothing more.
    // Creates the index and alias at deploy time (custom resource below), as the indexer would on
    // its first batch; the first product write is then searchable as fast as any other.
    const indexSetup = new ServiceFunction(this, 'SearchIndexSetup', {
      config,
      entry: 'lambdas/search/handlers/index-setup.handler.ts',
      name: 'search-index-setup',
      service: 'search',
      timeout: Duration.minutes(2),
      description: 'Custom resource: creates the products search index and alias',
      environment: { ...searchEnv, SEARCH_INDEX, SEARCH_REPLICAS: String(replicas) },
    });
    const health = fn('Health', { environment: searchEnv }).bindTable(table, 'PRODUCTS_TABLE', {
      actions: ['dynamodb:DescribeTable', 'dynamodb:GetItem'],
    });
    const openApi = fn('OpenApi');

    // Carts: each function gets exactly the item actions it issues on the carts table, and reads
    // names and prices through the catalog's read module (BatchGetItem on SKU claims, GetItem), so
    // its products table grant is those two reads and nothing else.
    const carts = stateful.cartsTable;
    const catalogRead = { actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'] };
    const cartActions = (...actions: string[]) => ({ actions: actions.map((a) => `dynamodb:${a}`) });
    const createCart = fn('CreateCart').bindTable(carts, 'CARTS_TABLE', cartActions('PutItem'));
    const getCart = fn('GetCart')
      .bindTable(carts, 'CARTS_TABLE', cartActions('GetItem'))
      .bindTable(table, 'PRODUCTS_TABLE', catalogRead);
    const addCartItem = fn('AddCartItem')
      .bindTable(carts, 'CARTS_TABLE', cartActions('UpdateItem'))
      .bindTable(table, 'PRODUCTS_TABLE', catalogRead);
    const updateCartItem = fn('UpdateCartItem').bindTable(carts, 'CARTS_TABLE', cartActions('UpdateItem'));
    const removeCartItem = fn('RemoveCartItem').bindTable(carts, 'CARTS_TABLE', cartActions('UpdateItem'));
    // Creates the user's cart on first use.
    const getMyCart = fn('GetMyCart')
      .bindTable(carts, 'CARTS_TABLE', cartActions('GetItem', 'PutItem'))
      .bindTable(table, 'PRODUCTS_TABLE', catalogRead);
    // Reads both carts in one BatchGetItem; TransactWriteItems is authorized per item (Put, Delete).
    const mergeCart = fn('MergeCart').bindTable(
      carts,
      'CARTS_TABLE',
      cartActions('BatchGetItem', 'PutItem', 'DeleteItem'),
    );

    // Stream -> indexer. Partial batch failures and bisection isolate a bad record; after the
    // retries it goes to the DLQ (with an alarm) instead of blocking the shard.
    indexer.fn.addEventSource(
      new DynamoEventSource(table, {
        // From the oldest record still in the stream: nothing written before the mapping existed is lost.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(24),
        onFailure: new SqsDlq(stateful.indexerDlq),
        // Only products: SKU claims change with them and carry nothing to index.
        filters: [
          FilterCriteria.filter({ dynamodb: { Keys: { pk: { S: FilterRule.beginsWith('PRODUCT#') } } } }),
        ],
      }),
    );

    let roleMapping: CustomResource | undefined;
    if (search.kind === 'domain') {
      // OpenSearch REST paths are the IAM resources. Built from the domain's name so the policy and
      // its acknowledgment name the same string. IAM allows the verbs each function needs; which
      // indices it may read or write is enforced inside the domain by FGAC role mapping.
      const domainPaths = this.formatArn({
        service: 'es',
        resource: 'domain',
        resourceName: `${search.domainName}/*`,
      });
      const allow = (f: ServiceFunction, actions: string[], reason: string) => {
        f.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [domainPaths] }));
        acknowledge(f.role, { id: wildcardResourceFinding(this, domainPaths), reason });
      };
      const readReason =
        'Paths of this one domain (<domain>/products/_search, <domain>/_cluster/health) with read verbs only; FGAC role store_reader limits the function to reading the products* indices.';
      // _search and suggestions are POSTs with a query body, hence ESHttpPost for the readers.
      allow(searchFn, ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost'], readReason);
      allow(suggest, ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost'], readReason);
      allow(health, ['es:ESHttpGet', 'es:ESHttpHead'], readReason);
      allow(
        indexer,
        ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut', 'es:ESHttpDelete'],
        'The indexer creates the versioned index, moves the alias and bulk-writes documents in this one domain; FGAC role store_writer limits it to the products* indices.',
      );
      allow(
        indexSetup,
        ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPut'],
        'Creates the versioned products index and its alias in this one domain at deploy time; FGAC role store_writer limits it to the products* indices.',
      );

      // Maps the roles above into OpenSearch. Runs as the FGAC master role, whose policy (in the
      // stateful stack) already covers this function's log group, so the function adds none.
      const mapper = new ServiceFunction(this, 'SearchRoleMapping', {
        config,
        entry: 'lib/search-access/role-mapping.handler.ts',
        name: 'search-role-mapping',
        service: 'search',
        role: search.adminRole,
        tracing: false,
        timeout: Duration.minutes(2),
        description: 'Custom resource: maps function roles to OpenSearch FGAC roles',
      });
      if (mapper.functionName !== search.adminFunctionName) {
        throw new Error(
          `role-mapping function is ${mapper.functionName}, the stateful stack granted ${search.adminFunctionName}`,
        );
      }
      roleMapping = new CustomResource(this, 'SearchRoleMappingResource', {
        serviceToken: mapper.fn.functionArn,
        resourceType: 'Custom::SearchRoleMapping',
        properties: {
          Endpoint: search.endpoint,
          IndexPattern: `${SEARCH_INDEX}*`,
          WriterRoleArns: [indexer.role.roleArn, indexSetup.role.roleArn],
          ReaderRoleArns: [searchFn.role.roleArn, suggest.role.roleArn, health.role.roleArn],
        },
      });
    }

    const searchIndex = new CustomResource(this, 'SearchIndex', {
      serviceToken: indexSetup.fn.functionArn,
      resourceType: 'Custom::SearchIndex',
      // A new mapping version (index name) re-runs the setup on deploy.
      properties: { Alias: SEARCH_INDEX, Index: `${SEARCH_INDEX}-v1`, Replicas: replicas },
    });
    // In a domain the setup role can write only once FGAC maps it.
    if (roleMapping) searchIndex.node.addDependency(roleMapping);

    // Auth: one JWT path. Deployed stages trust the Cognito pool; stage local its own issuer.
    const authorizerEnv: Record<string, string> = {};
    let devToken: ServiceFunction | undefined;
    if (config.auth.issuer === 'cognito') {
      if (!stateful.userPool || stateful.userPoolClients.length === 0) {
        throw new Error(`stage ${config.stage} needs the user pool and its app clients`);
      }
      // Access tokens of the declared app clients only: no ID tokens, no other client of the pool.
      Object.assign(authorizerEnv, {
        AUTH_MODE: 'cognito',
        COGNITO_USER_POOL_ID: stateful.userPool.userPoolId,
        COGNITO_CLIENT_IDS: Fn.join(
          ',',
          stateful.userPoolClients.map((c) => c.userPoolClientId),
        ),
      });
    } else {
      const issuer = loadOrCreateLocalIssuer(props.issuerKeyFile);
      Object.assign(authorizerEnv, {
        AUTH_MODE: 'issuer',
        JWT_ISSUER: LOCAL_JWT_ISSUER,
        JWT_AUDIENCE: LOCAL_JWT_AUDIENCE,
        JWKS_JSON: JSON.stringify(issuer.jwks),
      });
      devToken = fn('DevToken', {
        environment: {
          JWT_ISSUER: LOCAL_JWT_ISSUER,
          JWT_AUDIENCE: LOCAL_JWT_AUDIENCE,
          DEV_ISSUER_PRIVATE_JWK: JSON.stringify(issuer.privateJwk),
        },
      });
    }
    const authorizerFn = fn('Authorizer', { environment: authorizerEnv });
    const optionalAuthorizerFn = fn('OptionalAuthorizer', { environment: authorizerEnv });

    this.api = this.restApi(config);
    const authorizer = new apigw.TokenAuthorizer(this, 'JwtAuthorizer', {
      authorizerName: `${prefix}-jwt`,
      handler: authorizerFn.fn,
      identitySource: apigw.IdentitySource.header('Authorization'),
      // Malformed headers are turned away by API Gateway itself, without invoking the function.
      validationRegex: '^[Bb]earer [-0-9A-Za-z_]+\\.[-0-9A-Za-z_]+\\.[-0-9A-Za-z_]+$',
      resultsCacheTtl: config.auth.authorizerCacheTtl,
    });
    // Cart routes: signing in is optional. A REQUEST authorizer without identity sources is invoked
    // on every request, header or not (the L2 RequestAuthorizer insists on identity sources, and a
    // missing one is a 401 before any function runs); with nothing to key a cache on, TTL 0.
    const optionalAuthorizer = new apigw.CfnAuthorizer(this, 'OptionalJwtAuthorizer', {
      restApiId: this.api.restApiId,
      name: `${prefix}-jwt-optional`,
      type: 'REQUEST',
      authorizerUri: `arn:${this.partition}:apigateway:${this.region}:lambda:path/2015-03-31/functions/${optionalAuthorizerFn.fn.functionArn}/invocations`,
      authorizerResultTtlInSeconds: 0,
    });
    optionalAuthorizerFn.fn.addPermission('ApiGatewayInvoke', {
      principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      sourceArn: this.formatArn({
        service: 'execute-api',
        resource: this.api.restApiId,
        resourceName: `authorizers/${optionalAuthorizer.ref}`,
      }),
    });
    const validator = this.api.addRequestValidator('RequestValidator', {
      requestValidatorName: `${prefix}-validate`,
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    // Methods per resource, for its CORS preflight (declared once all routes are known).
    const methodsOf = new Map<apigw.IResource, string[]>();
    const route = (
      path: string,
      method: string,
      target: ServiceFunction,
      access: { admin: true } | { optional: true } | { public: string },
    ) => {
      const resource = this.api.root.resourceForPath(path);
      methodsOf.set(resource, [...(methodsOf.get(resource) ?? []), method]);
      const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => `method.request.path.${m[1]}`);
      const created = resource.addMethod(
        method,
        new apigw.LambdaIntegration(target.fn, { allowTestInvoke: false }),
        {
          requestValidator: validator,
          requestParameters: Object.fromEntries(pathParams.map((p) => [p, true])),
          ...('admin' in access
            ? { authorizer, authorizationType: apigw.AuthorizationType.CUSTOM }
            : 'optional' in access
              ? {
                  authorizer: {
                    authorizerId: optionalAuthorizer.ref,
                    authorizationType: apigw.AuthorizationType.CUSTOM,
                  },
                  authorizationType: apigw.AuthorizationType.CUSTOM,
                }
              : { authorizationType: apigw.AuthorizationType.NONE }),
        },
      );
      const jwtPath =
        "one code path verifies Cognito-issued tokens (the local issuer's in stage local); a Cognito authorizer cannot serve the local cloud.";
      acknowledge(
        created,
        ...('public' in access
          ? [
              { id: 'AwsSolutions-APIG4', reason: access.public },
              { id: 'AwsSolutions-COG4', reason: access.public },
            ]
          : [
              {
                id: 'AwsSolutions-COG4',
                reason:
                  'admin' in access
                    ? `Authorized by the JWT Lambda authorizer: ${jwtPath}`
                    : `Signing in is optional here (guest carts, API.md): the optional JWT Lambda authorizer admits anonymous requests and verifies a token when one is sent, which a Cognito authorizer cannot do; ${jwtPath}`,
              },
            ]),
      );
      return created;
    };
    const catalogRoute = 'Public catalog read route: anyone may browse products (API.md, who: public).';
    route('/admin/products', 'POST', createProduct, { admin: true });
    route('/admin/products/{productId}', 'PUT', replaceProduct, { admin: true });
    route('/admin/products/{productId}', 'DELETE', deleteProduct, { admin: true });
    route('/products/{productId}', 'GET', getProduct, { public: catalogRoute });
    route('/products', 'GET', listProducts, { public: catalogRoute });
    const optional = { optional: true } as const;
    route('/carts', 'POST', createCart, optional);
    route('/carts/{cartId}', 'GET', getCart, optional);
    route('/carts/{cartId}/items', 'POST', addCartItem, optional);
    route('/carts/{cartId}/items/{sku}', 'PATCH', updateCartItem, optional);
    route('/carts/{cartId}/items/{sku}', 'DELETE', removeCartItem, optional);
    route('/me/cart', 'GET', getMyCart, optional);
    route('/me/cart/merge', 'POST', mergeCart, optional);
    route('/search', 'GET', searchFn, { public: 'Public search route: shoppers search without signing in.' });
    route('/search/suggest', 'GET', suggest, { public: 'Public autocomplete route for the search box.' });
    route('/health', 'GET', health, {
      public: 'Health check for load balancers and monitors; reveals no data.',
    });
    route('/openapi.json', 'GET', openApi, { public: 'The published API contract, public by design.' });
    if (devToken) {
      route('/dev/token', 'POST', devToken, {
        public:
          'Stage local only: mints tokens from the local issuer for tests and demos; never deployed to AWS.',
      });
    }

    for (const [resource, methods] of methodsOf) this.preflight(resource, methods, config);
    if (config.api.corsOrigins !== '*' && config.api.corsOrigins.length === 0) {
      Annotations.of(this).addWarningV2(
        'store:cors-origins',
        `Stage ${config.stage} allows no browser origins: web apps on another origin cannot read the API's answers. Deploy with -c corsOrigins=https://shop.example.com[,...].`,
      );
    }

    if (config.api.waf) this.webAcl(config);
    else {
      acknowledge(this.api.deploymentStage, {
        id: 'AwsSolutions-APIG3',
        reason: `Stage ${config.stage} runs on the local cloud, which has no WAF.`,
      });
    }

    this.checkout = this.checkoutStateMachine(config, stateful);

    if (config.alarms) {
      const indexerIteratorAgeAlarm = new Alarm(this, 'IndexerIteratorAgeAlarm', {
        alarmName: `${prefix}-indexer-lagging`,
        alarmDescription: 'The indexer is more than a minute behind the products stream: search is stale.',
        metric: indexer.fn.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(1) }),
        threshold: 60_000,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      if (stateful.alarmAction) indexerIteratorAgeAlarm.addAlarmAction(stateful.alarmAction);
      const api5xxAlarm = new Alarm(this, 'Api5xxAlarm', {
        alarmName: `${prefix}-api-5xx`,
        alarmDescription: 'The API answers with server errors.',
        metric: this.api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 5,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      if (stateful.alarmAction) api5xxAlarm.addAlarmAction(stateful.alarmAction);

      // The authorizers answer 401 when the issuer's keys cannot be fetched; someone must know.
      const jwksFailures = { namespace: `${prefix}/auth`, metricName: 'JwksFetchFailures' };
      for (const [id, authFn] of [
        ['Authorizer', authorizerFn],
        ['OptionalAuthorizer', optionalAuthorizerFn],
      ] as const) {
        new MetricFilter(this, `${id}JwksFetchFailures`, {
          logGroup: authFn.logGroup,
          filterPattern: FilterPattern.stringValue('$.message', '=', JWKS_FETCH_FAILED),
          metricNamespace: jwksFailures.namespace,
          metricName: jwksFailures.metricName,
          metricValue: '1',
          defaultValue: 0,
        });
      }
      const jwksAlarm = new Alarm(this, 'JwksFetchAlarm', {
        alarmName: `${prefix}-jwks-unreachable`,
        alarmDescription:
          "The authorizers could not fetch the user pool's signing keys: tokens with a new key id are refused (401).",
        metric: new Metric({ ...jwksFailures, statistic: 'Sum', period: Duration.minutes(5) }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      if (stateful.alarmAction) jwksAlarm.addAlarmAction(stateful.alarmAction);
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the REST API stage' });
  }

  private restApi(config: StageConfig): apigw.RestApi {
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      logGroupName: `/aws/apigateway/${config.prefix}-api/access`,
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    const api = new apigw.RestApi(this, 'Api', {
      restApiName: `${config.prefix}-api`,
      description: `Serverless store API (${config.stage})`,
      endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
      // Execution logging needs API Gateway's account-level CloudWatch role. It is one setting per
      // account and region, shared by every stage there: kept on stack deletion.
      cloudWatchRole: config.api.cloudWatchRole,
      ...(config.api.cloudWatchRole ? { cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN } : {}),
      deployOptions: {
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
      },
    });
    if (config.api.cloudWatchRole) {
      acknowledge(api, {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          "API Gateway's account-level CloudWatch role uses AmazonAPIGatewayPushToCloudWatchLogs, the AWS-maintained policy made for exactly this role.",
      });
    }
    for (const [type, status, title, detail] of GATEWAY_RESPONSES) {
      api.addGatewayResponse(`Gateway${type.responseType}`, {
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
    return api;
  }

  /**
   * The CORS preflight of one resource: a MOCK integration that allows the resource's own methods
   * and the request headers the API reads, for the stage's origins, with an x-request-id like
   * every other answer. With several origins the request's Origin is echoed when it is one of them.
   */
  private preflight(resource: apigw.IResource, methods: string[], config: StageConfig): void {
    const origins = config.api.corsOrigins;
    if (origins !== '*' && origins.length === 0) return;
    const allowOrigin = origins === '*' ? '*' : (origins[0] as string);
    const headers: Record<string, string> = {
      'Access-Control-Allow-Origin': `'${allowOrigin}'`,
      'Access-Control-Allow-Methods': `'${[...methods, 'OPTIONS'].join(',')}'`,
      'Access-Control-Allow-Headers': `'${CORS_REQUEST_HEADERS.join(',')}'`,
      'Access-Control-Max-Age': `'${Duration.hours(1).toSeconds()}'`,
      ...(origins === '*' ? {} : { Vary: "'Origin'" }),
      'x-request-id': 'context.requestId',
    };
    const echoOrigin =
      origins !== '*' && origins.length > 1
        ? [
            '#set($origin = $input.params().header.get("Origin"))',
            '#if($origin == "")#set($origin = $input.params().header.get("origin"))#end',
            `#if(${origins.map((o) => `$origin == "${o}"`).join(' || ')})`,
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
      resourceArn: this.api.deploymentStage.stageArn,
      webAclArn: acl.attrArn,
    });
  }

  private checkoutStateMachine(config: StageConfig, stateful: StatefulStack): sfn.StateMachine {
    const logs = new LogGroup(this, 'CheckoutLogs', {
      // The vendedlogs prefix keeps Step Functions' log resource policy under its size limit.
      logGroupName: `/aws/vendedlogs/states/${config.prefix}-checkout`,
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    const machine = new sfn.StateMachine(this, 'Checkout', {
      stateMachineName: `${config.prefix}-checkout`,
      stateMachineType: sfn.StateMachineType.STANDARD,
      // The ASL file inlined as DefinitionString (with substitutions), not DefinitionBody.fromFile:
      // fromFile uploads an S3 asset (DefinitionS3Location) that neither the local cloud nor a
      // reader of the template can see. Same file, same substitutions, definition in the template.
      definitionBody: sfn.DefinitionBody.fromString(readFileSync(CHECKOUT_ASL, 'utf8')),
      definitionSubstitutions: { EventBusName: stateful.bus.eventBusName },
      logs: {
        destination: logs,
        level: sfn.LogLevel.ALL,
        includeExecutionData: config.stepFunctions.includeExecutionData,
      },
      tracingEnabled: true,
    });
    // events:PutEvents on this one bus, nothing else.
    stateful.bus.grantPutEventsTo(machine);
    acknowledge(machine, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Resource::* only for actions without resource-level permissions: CloudWatch Logs delivery management (logs:CreateLogDelivery and friends) and X-Ray (xray:PutTraceSegments, GetSamplingRules...).',
    });
    return machine;
  }
}
