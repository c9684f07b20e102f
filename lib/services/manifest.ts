/**
 * What a service declares about itself, as data: its functions and its HTTP routes with their
 * access. Ids, route tables, the docs' function list and the infra tests are all derived from
 * these manifests; grants, event sources, queues and alarms, which need constructs, live in the
 * service's stack beside its manifest (`lib/services/<service>/`).
 */
import type { Duration } from 'aws-cdk-lib';
import type { Stage } from '../config/stage-config.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route. `admin`: the JWT authorizer (the handler then checks the group);
 * `signedIn`: the JWT authorizer, any verified caller; `optional`: the optional authorizer
 * (anonymous or a verified caller); `public`: no authorizer, with the reason that is also the
 * cdk-nag acknowledgment.
 */
export type Access = { admin: true } | { signedIn: true } | { optional: true } | { public: string };

/** Routes behind the JWT authorizer: a token is required. */
export const needsToken = (access: Access) => 'admin' in access || 'signedIn' in access;

export interface FunctionSpec {
  /** Handler module, relative to the repository root. */
  entry: string;
  /** Physical name suffix: the function is `<prefix>-<name>`. */
  name: string;
  timeout?: Duration;
  memorySize?: number;
  description?: string;
}

export interface RouteSpec<F extends string = string> {
  method: HttpMethod;
  /** e.g. `/carts/{cartId}/items/{sku}` */
  path: string;
  fn: F;
  access: Access;
}

export interface ServiceManifest<F extends string = string> {
  /** POWERTOOLS_SERVICE_NAME of its functions, and its stack's name: `store-<stage>-<service>`. */
  service: string;
  functions: Record<F, FunctionSpec>;
  routes: readonly RouteSpec<F>[];
  /** Stages the service exists in; all when absent. */
  stages?: readonly Stage[];
}

/** Keeps the function ids of a manifest as a literal union, so routes name only real functions. */
export function defineService<F extends string>(
  manifest: Omit<ServiceManifest<F>, 'routes'> & { routes: readonly RouteSpec<NoInfer<F>>[] },
): ServiceManifest<F> {
  for (const route of manifest.routes) {
    if (!(route.fn in manifest.functions)) {
      throw new Error(
        `${manifest.service}: route ${route.method} ${route.path} names no function ${route.fn}`,
      );
    }
  }
  return manifest;
}

export function inStage(manifest: ServiceManifest, stage: Stage): boolean {
  return manifest.stages === undefined || manifest.stages.includes(stage);
}

/** `/a/{b}/c` -> `['a', '{b}', 'c']`; the root is `[]`. */
export function segmentsOf(path: string): string[] {
  return path.split('/').filter(Boolean);
}

/**
 * API resource paths used by routes of more than one service (`/admin` once inventory joins the
 * catalog under it): the platform stack creates these, so no two service stacks declare the same
 * resource. Every other resource belongs to the one service whose routes use it.
 */
export function sharedResourcePaths(manifests: readonly ServiceManifest[]): string[] {
  const owners = new Map<string, Set<string>>();
  for (const manifest of manifests) {
    for (const route of manifest.routes) {
      const segments = segmentsOf(route.path);
      for (let i = 1; i <= segments.length; i++) {
        const path = `/${segments.slice(0, i).join('/')}`;
        owners.set(path, (owners.get(path) ?? new Set()).add(manifest.service));
      }
    }
  }
  return [...owners].filter(([, services]) => services.size > 1).map(([path]) => path);
}

/** Methods per resource path over all the given routes: what each path's CORS preflight allows. */
export function methodsByPath(manifests: readonly ServiceManifest[]): Map<string, HttpMethod[]> {
  const methods = new Map<string, HttpMethod[]>();
  for (const manifest of manifests) {
    for (const route of manifest.routes) {
      methods.set(route.path, [...(methods.get(route.path) ?? []), route.method]);
    }
  }
  return methods;
}
