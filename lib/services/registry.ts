/**
 * Every service of the store, in one list: the app builds a stack per service from it, and the
 * infra tests, the docs' function list and the route checks read it. A new service is a new
 * directory under `lib/services/` and one line here.
 */
import type { Stage } from '../config/stage-config.ts';
import { auth } from '../stacks/platform-stack.ts';
import { cart } from './cart/cart-stack.ts';
import { catalog } from './catalog/catalog-stack.ts';
import { checkout } from './checkout/checkout-stack.ts';
import { dev } from './dev/dev-stack.ts';
import { fulfillment } from './fulfillment/fulfillment-stack.ts';
import { inventory } from './inventory/inventory-stack.ts';
import { inStage, type RouteSpec, type ServiceManifest } from './manifest.ts';
import { notifications } from './notifications/notifications-stack.ts';
import { ops } from './ops/ops-stack.ts';
import { orders } from './orders/orders-stack.ts';
import { payment } from './payment/payment-stack.ts';
import { recommendations } from './recommendations/recommendations-stack.ts';
import { reviews } from './reviews/reviews-stack.ts';
import { search } from './search/search-stack.ts';

export const SERVICES: readonly ServiceManifest[] = [
  auth,
  catalog,
  search,
  cart,
  inventory,
  payment,
  ops,
  orders,
  checkout,
  fulfillment,
  notifications,
  reviews,
  recommendations,
  dev,
];

export function servicesOf(stage: Stage): ServiceManifest[] {
  return SERVICES.filter((s) => inStage(s, stage));
}

/** Function id -> its service, for the stage. */
export function functionsOf(stage: Stage): Map<string, string> {
  return new Map(
    servicesOf(stage).flatMap((s) => Object.keys(s.functions).map((id) => [id, s.service] as const)),
  );
}

export function routesOf(stage: Stage): (RouteSpec & { service: string })[] {
  return servicesOf(stage).flatMap((s) => s.routes.map((r) => ({ ...r, service: s.service })));
}
