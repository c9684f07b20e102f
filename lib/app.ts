/**
 * Builds a stage's stacks into an App: used by bin/app.ts and by the infrastructure tests, so both
 * synthesize exactly the same thing. Stateful resources live in one stack; each service has its
 * own stack of functions and routes on the platform stack's REST API; the api stack deploys it.
 */
import { type App, DefaultStackSynthesizer, Tags, Validations } from 'aws-cdk-lib';
import { loadOrCreateLocalIssuer } from './config/local-issuer.ts';
import {
  parseCorsOrigins,
  parseStage,
  type StageConfig,
  type StageConfigOverrides,
  stageConfig,
} from './config/stage-config.ts';
import { AwsSolutionsChecks } from './nag.ts';
import { CartStack } from './services/cart/cart-stack.ts';
import { CatalogStack } from './services/catalog/catalog-stack.ts';
import { CheckoutStack } from './services/checkout/checkout-stack.ts';
import { DevStack } from './services/dev/dev-stack.ts';
import { FulfillmentStack } from './services/fulfillment/fulfillment-stack.ts';
import { InventoryStack } from './services/inventory/inventory-stack.ts';
import { NotificationsStack } from './services/notifications/notifications-stack.ts';
import { OpsStack } from './services/ops/ops-stack.ts';
import { OrdersStack } from './services/orders/orders-stack.ts';
import { PaymentStack } from './services/payment/payment-stack.ts';
import { RecommendationsStack } from './services/recommendations/recommendations-stack.ts';
import { routesOf, servicesOf } from './services/registry.ts';
import { ReviewsStack } from './services/reviews/reviews-stack.ts';
import { SearchStack } from './services/search/search-stack.ts';
import type { ServiceStack } from './services/service-stack.ts';
import { ApiStack } from './stacks/api-stack.ts';
import { DashboardStack } from './stacks/dashboard-stack.ts';
import {
  GATEWAY_RESPONSES,
  LOCAL_JWT_AUDIENCE,
  LOCAL_JWT_ISSUER,
  PlatformStack,
} from './stacks/platform-stack.ts';
import { StatefulStack } from './stacks/stateful-stack.ts';

const CROSS_STACK_REFERENCES = '@aws-cdk/core:defaultCrossStackReferences';

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`stage local needs ${what}`);
  return value;
}

export interface Store {
  config: StageConfig;
  stateful: StatefulStack;
  platform: PlatformStack;
  services: ServiceStack<string>[];
  api: ApiStack;
  /** Stages with alarms: the operations dashboard. */
  dashboard?: DashboardStack;
}

/** Contexts `authCallbackUrls`, `authLogoutUrls` (comma-separated https URLs) and `authDomainPrefix`: all or none. */
function parseWebOAuth(context: (key: string) => string | undefined): StageConfigOverrides['webOAuth'] {
  const callbacks = context('authCallbackUrls');
  const logouts = context('authLogoutUrls');
  const domainPrefix = context('authDomainPrefix');
  if (callbacks === undefined && logouts === undefined && domainPrefix === undefined) return undefined;
  if (callbacks === undefined || logouts === undefined || domainPrefix === undefined) {
    throw new Error(
      'Hosted sign-in needs all of -c authCallbackUrls, -c authLogoutUrls and -c authDomainPrefix.',
    );
  }
  const urls = (what: string, value: string) =>
    value.split(',').map((url) => {
      const trimmed = url.trim();
      // Cognito allows http only for localhost; a production app's callback is https.
      if (
        !/^https:\/\/[^\s/?#]+(\/[^\s#]*)?$/.test(trimmed) &&
        !/^http:\/\/localhost(:\d+)?(\/[^\s#]*)?$/.test(trimmed)
      ) {
        throw new Error(`${what}: ${JSON.stringify(trimmed)} is not an https URL (or http://localhost).`);
      }
      return trimmed;
    });
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(domainPrefix) || domainPrefix.includes('cognito')) {
    throw new Error(
      `authDomainPrefix: ${JSON.stringify(domainPrefix)} is not a Cognito domain prefix (lowercase letters, digits, hyphens; no "cognito").`,
    );
  }
  return {
    callbackUrls: urls('authCallbackUrls', callbacks),
    logoutUrls: urls('authLogoutUrls', logouts),
    domainPrefix,
  };
}

/** Contexts `apiDomainName` and `apiCertificateArn` (an ACM certificate in the stage's region): both or none. */
function parseCustomDomain(
  context: (key: string) => string | undefined,
): StageConfigOverrides['customDomain'] {
  const domainName = context('apiDomainName');
  const certificateArn = context('apiCertificateArn');
  if (domainName === undefined && certificateArn === undefined) return undefined;
  if (domainName === undefined || certificateArn === undefined) {
    throw new Error('A custom API domain needs both -c apiDomainName and -c apiCertificateArn.');
  }
  if (!/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/.test(certificateArn)) {
    throw new Error(`apiCertificateArn: ${JSON.stringify(certificateArn)} is not an ACM certificate ARN.`);
  }
  return { domainName, certificateArn };
}

/**
 * Reads context `stage` (required), `searchEndpoint` (stage local), `alarmEmail`, `corsOrigins`,
 * `emailFrom` (staging, prod: the SES identity of notifications and of the user pool's mail), the
 * hosted sign-in and custom domain settings above, and `issuerKeyFile` (stage local, where the
 * issuer key pair lives) from the app.
 */
export function buildStore(app: App): Store {
  const context = (key: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(key);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  // Exports between the stacks are the point of the split: CloudFormation then refuses to remove a
  // table or bus another stack still uses. Stated here, not left to a default.
  if (app.node.tryGetContext(CROSS_STACK_REFERENCES) === undefined)
    app.node.setContext(CROSS_STACK_REFERENCES, 'strong');
  const config = stageConfig(parseStage(app.node.tryGetContext('stage')), {
    searchEndpoint: context('searchEndpoint'),
    alarmEmail: context('alarmEmail'),
    corsOrigins: parseCorsOrigins(context('corsOrigins')),
    emailFrom: context('emailFrom'),
    webOAuth: parseWebOAuth(context),
    customDomain: parseCustomDomain(context),
  });
  const { prefix, stage } = config;
  // Every stack of the stage, so a stack added later is protected like the rest.
  const name = (part: string) => ({
    stackName: `${prefix}-${part}`,
    terminationProtection: config.terminationProtection,
    ...(config.bootstrapQualifier
      ? { synthesizer: new DefaultStackSynthesizer({ qualifier: config.bootstrapQualifier }) }
      : {}),
  });
  const describe = (what: string) => `Serverless store, stage ${stage}: ${what}`;

  const stateful = new StatefulStack(app, `${prefix}-stateful`, {
    ...name('stateful'),
    description: describe('tables, bus, queues, search domain, user pool'),
    config,
  });
  const localIssuer =
    config.auth.issuer === 'local' ? loadOrCreateLocalIssuer(context('issuerKeyFile')) : undefined;
  const platform = new PlatformStack(app, `${prefix}-platform`, {
    ...name('platform'),
    description: describe('REST API, authorizers, gateway responses'),
    config,
    services: servicesOf(stage),
    cognito: stateful.auth,
    localIssuer,
    alarmAction: stateful.alarmAction,
  });
  const common = { config, platform: platform.platform, alarmAction: stateful.alarmAction };
  const service = (part: string, what: string) => ({ ...name(part), description: describe(what), ...common });

  const catalog = new CatalogStack(app, `${prefix}-catalog`, {
    ...service('catalog', 'catalog functions and routes'),
    productsTable: stateful.productsTable,
    productsIndexNames: stateful.productsIndexNames,
    bus: stateful.bus,
    alarmAction: stateful.alarmAction,
  });
  const ops = new OpsStack(app, `${prefix}-ops`, {
    ...service('ops', 'health and the OpenAPI document'),
    productsTable: stateful.productsTable,
    search: stateful.search,
  });
  const search = new SearchStack(app, `${prefix}-search`, {
    ...service('search', 'indexer, search and suggest, the search index'),
    productsTable: stateful.productsTable,
    productsStream: stateful.productsStream,
    indexerDlq: stateful.indexerDlq,
    search: stateful.search,
    otherReaderRoles: [ops.functions.Health.role],
    alarmAction: stateful.alarmAction,
  });
  const cart = new CartStack(app, `${prefix}-cart`, {
    ...service('cart', 'cart functions and routes'),
    cartsTable: stateful.cartsTable,
    productsTable: stateful.productsTable,
  });
  const inventory = new InventoryStack(app, `${prefix}-inventory`, {
    ...service('inventory', 'stock, reservations and their reaper'),
    inventoryTable: stateful.inventoryTable,
    reservationsTable: stateful.reservationsTable,
    bus: stateful.bus,
    alarmAction: stateful.alarmAction,
  });
  const payment = new PaymentStack(app, `${prefix}-payment`, {
    ...service('payment', 'the payment steps of the checkout saga, the sandbox provider'),
    paymentsTable: stateful.paymentsTable,
    paymentIdempotencyTable: stateful.paymentIdempotencyTable,
    bus: stateful.bus,
    alarmAction: stateful.alarmAction,
  });
  const orders = new OrdersStack(app, `${prefix}-orders`, {
    ...service('orders', 'checkout, orders and the saga steps on them'),
    ordersTable: stateful.ordersTable,
    checkoutIdempotencyTable: stateful.checkoutIdempotencyTable,
    cartsTable: stateful.cartsTable,
    productsTable: stateful.productsTable,
    shipmentsTable: stateful.shipmentsTable,
    bus: stateful.bus,
    alarmAction: stateful.alarmAction,
  });
  const fulfillment = new FulfillmentStack(app, `${prefix}-fulfillment`, {
    ...service('fulfillment', 'warehouses, routing, shipments and carrier callbacks'),
    warehousesTable: stateful.warehousesTable,
    shipmentsTable: stateful.shipmentsTable,
    bus: stateful.bus,
    alarmAction: stateful.alarmAction,
  });
  const notifications = new NotificationsStack(app, `${prefix}-notifications`, {
    ...service('notifications', 'preferences and order notifications'),
    notificationsTable: stateful.notificationsTable,
    outboxTable: stateful.outboxTable,
    bus: stateful.bus,
    alarmAction: stateful.alarmAction,
    emailFrom: context('emailFrom'),
  });
  const reviews = new ReviewsStack(app, `${prefix}-reviews`, {
    ...service('reviews', 'reviews, ratings and who bought what'),
    reviewsTable: stateful.reviewsTable,
    productsTable: stateful.productsTable,
    bus: stateful.bus,
    alarmAction: stateful.alarmAction,
  });
  const recommendations = new RecommendationsStack(app, `${prefix}-recommendations`, {
    ...service('recommendations', 'bought-together counts and recommendations'),
    recommendationsTable: stateful.recommendationsTable,
    productsTable: stateful.productsTable,
    bus: stateful.bus,
    alarmAction: stateful.alarmAction,
  });
  const step = <F extends string>(stack: ServiceStack<F>, id: F) => stack.functions[id].fn;
  const checkout = new CheckoutStack(app, `${prefix}-checkout`, {
    ...service('checkout', 'the checkout saga'),
    bus: stateful.bus,
    dlq: stateful.checkoutDlq,
    alarmAction: stateful.alarmAction,
    steps: {
      ValidateCart: step(orders, 'ValidateCart'),
      ReserveInventory: step(inventory, 'ReserveInventory'),
      AuthorizePayment: step(payment, 'AuthorizePayment'),
      CapturePayment: step(payment, 'CapturePayment'),
      CommitReservation: step(inventory, 'CommitReservation'),
      ConfirmOrder: step(orders, 'ConfirmOrder'),
      ClearCart: step(cart, 'ClearCart'),
      ReversePayment: step(payment, 'ReversePayment'),
      ReleaseInventory: step(inventory, 'ReleaseInventory'),
      MarkFailed: step(orders, 'MarkFailed'),
      MarkForAttention: step(orders, 'MarkForAttention'),
    },
  });
  const services: ServiceStack<string>[] = [
    catalog,
    ops,
    search,
    cart,
    inventory,
    payment,
    orders,
    checkout,
    fulfillment,
    notifications,
    reviews,
    recommendations,
  ];
  if (localIssuer) {
    services.push(
      new DevStack(app, `${prefix}-dev`, {
        ...service('dev', 'the local issuer (stage local only)'),
        issuer: localIssuer,
        jwtIssuer: LOCAL_JWT_ISSUER,
        jwtAudience: LOCAL_JWT_AUDIENCE,
        paymentsTable: stateful.paymentsTable,
        paymentsIndexNames: stateful.paymentsIndexNames,
        outboxTable: required(stateful.outboxTable, 'the notifications outbox'),
      }),
    );
  }

  const api = new ApiStack(app, `${prefix}-api`, {
    ...name('api'),
    description: describe('the REST API deployment and stage, WAF'),
    config,
    restApiId: platform.api.restApiId,
    restApiName: `${prefix}-api`,
    fingerprint: {
      routes: routesOf(stage),
      gatewayResponses: GATEWAY_RESPONSES,
      cors: config.api.corsOrigins,
    },
    alarmAction: stateful.alarmAction,
  });
  // The deployment snapshots the API: every route must exist first.
  for (const s of services) api.addStackDependency(s);

  // Last: it reads the names of every other stack's alarms and queues (and refers to none).
  const dashboard = config.alarms
    ? new DashboardStack(app, `${prefix}-dashboard`, {
        ...name('dashboard'),
        description: describe('the operations dashboard'),
        config,
        stateful,
        observed: [platform, ...services, api],
        restApiName: `${prefix}-api`,
      })
    : undefined;

  for (const stack of [stateful, platform, ...services, api, ...(dashboard ? [dashboard] : [])]) {
    for (const [key, value] of Object.entries(config.tags)) Tags.of(stack).add(key, value);
  }
  // Every stage, local included: the local templates are the ones LocalStack deploys, and a
  // finding there is usually a finding everywhere.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { config, stateful, platform, services, api, dashboard };
}
