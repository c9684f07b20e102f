/**
 * How much of the account each part of the store may take, from the capacity model
 * (docs/capacity.md, "Limits"): per-method API throttles and reserved Lambda concurrency.
 *
 * API Gateway applies a stage's throttle to every method on its own, so without per-method limits
 * `GET /search` alone could take the stage's whole rate. Search and suggest together stay at or
 * under what the search domain answers at full CPU; admin and health routes get low limits.
 *
 * Reserved concurrency both guarantees and caps: the critical path (authorizers, carts, checkout)
 * keeps environments however busy the rest of the account is, and search, capped at what its
 * throttle and latency need, cannot take the account's concurrency when the domain is slow.
 * Concurrency = rate x duration (Little's law); reservations take the peak rate twice over, at the
 * p99 duration assumed per function.
 */
import { PROD_SEARCH_PROFILE, STAGING_SEARCH_PROFILE, sizeSearch } from './capacity.ts';

export interface MethodThrottle {
  rateLimit: number;
  burstLimit: number;
}

export interface LambdaLimits {
  /**
   * The account's concurrent-executions quota the reservations are planned against (0: none
   * planned). Lambda keeps 100 unreserved, so synthesis refuses reservations above quota - 100.
   */
  accountConcurrency: number;
  /** Function name suffix (`search`, `add-cart-item`) -> reserved concurrent executions. */
  reservedConcurrency: Record<string, number>;
}

export interface StageLimits {
  /** Every method's default (the stage's throttle). */
  stage: MethodThrottle;
  methods: Record<string, MethodThrottle>;
  lambda: LambdaLimits;
}

/** Peak rates a stage is planned for (prod: the seed's; docs/capacity.md). */
export interface PeakRates {
  searches: number;
  cartWrites: number;
  orders: number;
}

export const PROD_PEAK: PeakRates = { searches: 2315, cartWrites: 1157, orders: 1740 };
/** Staging: the end-to-end suite and people trying things. */
export const STAGING_PEAK: PeakRates = { searches: 50, cartWrites: 20, orders: 5 };

/** Share of the domain's query rate each search route may take; together at most all of it. */
export const SEARCH_SHARE = { search: 0.75, suggest: 0.25 } as const;
/** Admin writes are people at a console and their scripts; health is for probes. */
const ADMIN = { prod: { rateLimit: 50, burstLimit: 25 }, staging: { rateLimit: 10, burstLimit: 5 } };
const HEALTH: MethodThrottle = { rateLimit: 10, burstLimit: 5 };
const OPENAPI: MethodThrottle = { rateLimit: 10, burstLimit: 5 };

/**
 * Admin routes people and their scripts call, at the admin limit. A test keeps this list and
 * ADMIN_ROUTES_AT_STAGE_LIMIT equal to the manifests' admin routes.
 */
export const ADMIN_ROUTES = [
  'POST /admin/products',
  'PUT /admin/products/{productId}',
  'DELETE /admin/products/{productId}',
  'GET /admin/inventory/{sku}',
  'POST /admin/inventory/{sku}/receive',
  'GET /admin/shipments/{shipmentId}',
  'PUT /admin/warehouses/{warehouseId}',
  'POST /admin/warehouses/{warehouseId}/allocations',
  'DELETE /admin/reviews/{reviewId}',
] as const;
/** Carrier callbacks arrive at order volume (several per shipment): the stage's limit. */
export const ADMIN_ROUTES_AT_STAGE_LIMIT = ['POST /admin/shipments/{shipmentId}/events'] as const;

/**
 * p99 durations assumed per function: the billed figures in docs/capacity.md (5 to 40 ms) with
 * room for the cold starts of a deploy or a surge, since a reservation also caps.
 */
const P99_SECONDS = { authorizer: 0.05, search: 0.05, cart: 0.05, placeOrder: 0.1, sagaStep: 0.05 };

const CART_FUNCTIONS = [
  'create-cart',
  'get-cart',
  'add-cart-item',
  'update-cart-item',
  'remove-cart-item',
  'get-my-cart',
  'merge-cart',
] as const;
/** The saga's forward steps: what every order runs. */
const FORWARD_STEPS = [
  'validate-cart',
  'reserve-inventory',
  'authorize-payment',
  'capture-payment',
  'commit-reservation',
  'confirm-order',
  'clear-cart',
] as const;

/**
 * A reservation is also a cap: at least this many, so a quiet stage's test suite (16 requests in
 * flight) is not throttled by its own reservations.
 */
const MIN_RESERVED = 20;
const reserve = (ratePerSecond: number, p99Seconds: number) =>
  Math.max(MIN_RESERVED, Math.ceil(ratePerSecond * p99Seconds));

function limitsFor(
  peak: PeakRates,
  stage: MethodThrottle,
  domainQueriesPerSecond: number,
  admin: MethodThrottle,
  accountConcurrency: number,
): StageLimits {
  const half = (rate: number): MethodThrottle => ({
    rateLimit: rate,
    burstLimit: Math.max(1, Math.floor(rate / 2)),
  });
  // Never above the stage's own default: a per-method limit is there to lower it.
  const searchRate = Math.min(stage.rateLimit, Math.floor(domainQueriesPerSecond * SEARCH_SHARE.search));
  const suggestRate = Math.min(stage.rateLimit, Math.floor(domainQueriesPerSecond * SEARCH_SHARE.suggest));
  const methods: Record<string, MethodThrottle> = {
    'GET /search': half(searchRate),
    'GET /search/suggest': half(suggestRate),
    'GET /health': HEALTH,
    'GET /openapi.json': OPENAPI,
    ...Object.fromEntries(ADMIN_ROUTES.map((route) => [route, admin])),
  };
  // Signed-in calls (checkout, order reads) and cart calls, at twice the peak.
  const signedIn = 2 * 2 * peak.orders;
  const carts = 2 * peak.cartWrites;
  const reservedConcurrency: Record<string, number> = {
    authorizer: reserve(signedIn, P99_SECONDS.authorizer),
    'optional-authorizer': reserve(carts, P99_SECONDS.authorizer),
    ...Object.fromEntries(CART_FUNCTIONS.map((name) => [name, reserve(carts, P99_SECONDS.cart)])),
    'place-order': reserve(2 * peak.orders, P99_SECONDS.placeOrder),
    ...Object.fromEntries(
      FORWARD_STEPS.map((name) => [name, reserve(2 * peak.orders, P99_SECONDS.sagaStep)]),
    ),
    // Caps, not guarantees: at the throttle's rate and the search p99, no more.
    search: reserve(searchRate, P99_SECONDS.search),
    suggest: reserve(suggestRate, P99_SECONDS.search),
  };
  const lambda = { accountConcurrency, reservedConcurrency };
  if (totalReserved(lambda) > accountConcurrency - UNRESERVED_MINIMUM) {
    throw new Error(
      `reserved concurrency ${totalReserved(lambda)} leaves less than ${UNRESERVED_MINIMUM} of the planned quota ${accountConcurrency} unreserved`,
    );
  }
  return { stage, methods, lambda };
}

/** Total reserved concurrency of a stage. */
export const totalReserved = (lambda: LambdaLimits) =>
  Object.values(lambda.reservedConcurrency).reduce((sum, n) => sum + n, 0);

/** Lambda keeps this much of the account's quota unreserved. */
export const UNRESERVED_MINIMUM = 100;

/**
 * Prod plans on a quota of 4,000 concurrent executions (the default is 1,000): request it before
 * the first deploy (docs/capacity.md, "Limits").
 */
export const PROD_LIMITS = limitsFor(
  PROD_PEAK,
  // Below the account's default 10,000 rps / 5,000 burst, above the seed's peak.
  { rateLimit: 8000, burstLimit: 4000 },
  sizeSearch(PROD_SEARCH_PROFILE).queriesPerSecond,
  ADMIN.prod,
  4000,
);
/** Staging plans on the default quota of 1,000 (new accounts may start lower: raise it first). */
export const STAGING_LIMITS = limitsFor(
  STAGING_PEAK,
  { rateLimit: 200, burstLimit: 100 },
  sizeSearch(STAGING_SEARCH_PROFILE).queriesPerSecond,
  ADMIN.staging,
  1000,
);
