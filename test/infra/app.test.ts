/**
 * The whole app of a stage, across its stacks: sizes within CloudFormation's limits, every
 * declared route in the templates and in the OpenAPI document (and nothing else), every function
 * of the manifests deployed once with the project's defaults.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../lambdas/ops/openapi.ts';
import { METRICS_NAMESPACE } from '../../lambdas/shared/business-metrics.ts';
import { stageConfig } from '../../lib/config/stage-config.ts';
import { functionsOf, routesOf } from '../../lib/services/registry.ts';
import { identity } from '../../lib/stacks/user-pool.ts';
import { apiRoutes, resourcesOf, type SynthesizedStage, synthesizeStage } from './support/stage.ts';

/** Well below CloudFormation's 500 per stack, so a service can grow without splitting in a hurry. */
const MAX_RESOURCES_PER_TEMPLATE = 300;

describe.each(['local', 'staging', 'prod'] as const)('the app, stage %s', (stage) => {
  let s: SynthesizedStage;
  beforeAll(async () => {
    s = await synthesizeStage(stage);
  });

  it(`keeps every template under ${MAX_RESOURCES_PER_TEMPLATE} resources`, () => {
    const sizes = Object.fromEntries(
      Object.entries(s.templates).map(([name, t]) => [name, Object.keys(t.Resources).length]),
    );
    for (const [name, size] of Object.entries(sizes))
      expect(size, name).toBeLessThanOrEqual(MAX_RESOURCES_PER_TEMPLATE);
    expect(Object.keys(sizes)).toEqual(
      expect.arrayContaining([`store-${stage}-stateful`, `store-${stage}-platform`, `store-${stage}-api`]),
    );
  });

  it('declares every route of the manifests once, in the templates and the OpenAPI document alike', () => {
    const declared = routesOf(stage)
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    const deployed = [...apiRoutes(s).keys()].filter((r) => !r.startsWith('OPTIONS ')).sort();
    expect(deployed).toEqual(declared);
    const doc = buildOpenApiDocument({ stage }) as unknown as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(doc.paths)
      .flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(declared);
    // And a preflight on every route path.
    const preflights = [...apiRoutes(s).keys()]
      .filter((r) => r.startsWith('OPTIONS '))
      .map((r) => r.slice(8));
    expect(preflights).toEqual(expect.arrayContaining([...new Set(routesOf(stage).map((r) => r.path))]));
  });

  it('deploys every function of the manifests exactly once, with the defaults and explicit log groups', () => {
    const deployed = new Map<string, Record<string, unknown>>();
    for (const [, t] of Object.entries(s.templates)) {
      for (const [logicalId, fn] of resourcesOf(t, 'AWS::Lambda::Function')) {
        const id = logicalId.replace(/[0-9A-F]{8}$/, '');
        expect(deployed.has(id), id).toBe(false);
        deployed.set(id, fn.Properties);
      }
    }
    // Beyond the manifests: the FGAC role mapping in a domain, the user pool's trigger.
    const extra = stage === 'local' ? [] : ['SearchRoleMapping', 'PreTokenGeneration'];
    const serviceOf = (id: string) =>
      ({ SearchRoleMapping: 'search', PreTokenGeneration: identity.service })[id] ??
      functionsOf(stage).get(id);
    expect([...deployed.keys()].sort()).toEqual([...functionsOf(stage).keys(), ...extra].sort());
    for (const [id, fn] of deployed) {
      expect(fn, id).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        FunctionName: expect.stringMatching(new RegExp(`^store-${stage}-`)),
        LoggingConfig: { LogGroup: { Ref: expect.stringMatching(new RegExp(`^${id}Logs`)) } },
      });
      const env = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env, id).toMatchObject({
        NODE_OPTIONS: '--enable-source-maps',
        STAGE: stage,
        POWERTOOLS_SERVICE_NAME: serviceOf(id),
        POWERTOOLS_LOG_LEVEL: stage === 'local' ? 'DEBUG' : 'INFO',
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      });
      // The role-mapping custom resource runs as the FGAC master role, which it must not alter.
      if (id !== 'SearchRoleMapping') expect(fn.TracingConfig, id).toEqual({ Mode: 'Active' });
      // The tracer loads only where there is a trace to join: no X-Ray daemon in the local cloud.
      const untraced = stage === 'local' || id === 'SearchRoleMapping';
      expect(env.POWERTOOLS_TRACE_ENABLED, id).toBe(untraced ? 'false' : undefined);
    }
  });

  it('reserves concurrency for exactly the functions the stage config names, and no others', () => {
    const { reservedConcurrency } = stageConfig(stage).lambda;
    const reserved: Record<string, unknown> = {};
    for (const t of Object.values(s.templates)) {
      for (const [, fn] of resourcesOf(t, 'AWS::Lambda::Function')) {
        const name = String(fn.Properties.FunctionName).replace(`store-${stage}-`, '');
        if (fn.Properties.ReservedConcurrentExecutions !== undefined)
          reserved[name] = fn.Properties.ReservedConcurrentExecutions;
      }
    }
    expect(reserved).toEqual(reservedConcurrency);
    if (stage !== 'local') {
      // The critical path and search are all there.
      expect(Object.keys(reserved)).toEqual(
        expect.arrayContaining([
          'authorizer',
          'optional-authorizer',
          'add-cart-item',
          'place-order',
          'search',
        ]),
      );
    }
  });

  it('keeps /dev out of every deployed stage', () => {
    const devRoutes = [...apiRoutes(s).keys()].filter((r) => r.includes(' /dev'));
    if (stage === 'local') {
      expect(devRoutes.sort()).toEqual(
        [
          'POST /dev/token',
          'OPTIONS /dev/token',
          'GET /dev/psp/charges',
          'OPTIONS /dev/psp/charges',
          'POST /dev/faults',
          'DELETE /dev/faults',
          'OPTIONS /dev/faults',
          'GET /dev/outbox',
          'OPTIONS /dev/outbox',
        ].sort(),
      );
    } else {
      expect(devRoutes).toEqual([]);
      expect(JSON.stringify(s.templates)).not.toMatch(
        /dev\/token|DevToken|DEV_ISSUER_PRIVATE_JWK|dev\/psp|DevPspCharges|dev\/faults|DevFaults|LOCAL_CONTROL_URL|dev\/outbox|DevOutbox|notifications-outbox/,
      );
    }
  });
});
