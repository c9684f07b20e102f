import { describe, expect, it } from 'vitest';
import { DevStack, dev } from '../../lib/services/dev/dev-stack.ts';
import { LOCAL_JWT_AUDIENCE, LOCAL_JWT_ISSUER } from '../../lib/stacks/platform-stack.ts';
import {
  actionsOf,
  envOf,
  functionsById,
  routesOf,
  STUB_PLATFORM_IDS,
  statementsOf,
  synthAlone,
} from './support/alone.ts';

/** The dev stack synthesized alone in stage local, with the local issuer and the ledger. */
const devStack = () =>
  synthAlone('local', ({ app, config, platform, issuer, stateful }) => {
    return new DevStack(app, 'Dev', {
      config,
      platform,
      issuer,
      jwtIssuer: LOCAL_JWT_ISSUER,
      jwtAudience: LOCAL_JWT_AUDIENCE,
      paymentsTable: stateful.paymentsTable,
      paymentsIndexNames: stateful.paymentsIndexNames,
      outboxTable: stateful.outboxTable as NonNullable<typeof stateful.outboxTable>,
    });
  });

describe('dev stack alone', () => {
  it('serves POST /dev/token from DevToken with the local issuer key, in stage local', () => {
    const s = devStack();
    expect(routesOf(s.json).get('POST /dev/token')).toMatchObject({ AuthorizationType: 'NONE' });
    const env = envOf(functionsById(s.json).get('DevToken'));
    expect(env).toMatchObject({ JWT_ISSUER: LOCAL_JWT_ISSUER, JWT_AUDIENCE: LOCAL_JWT_AUDIENCE });
    expect(JSON.parse(String(env.DEV_ISSUER_PRIVATE_JWK))).toHaveProperty('d');
    expect(s.nag).toEqual([]);
    expect(dev.stages).toEqual(['local']);
  });

  it("serves GET /dev/psp/charges to admins from DevPspCharges, which may only query the ledger's by-order index", () => {
    const s = devStack();
    expect(routesOf(s.json).get('GET /dev/psp/charges')).toMatchObject({
      AuthorizationType: 'CUSTOM',
      AuthorizerId: STUB_PLATFORM_IDS.tokenAuthorizerId,
    });
    expect(envOf(functionsById(s.json).get('DevPspCharges'))).toHaveProperty('PAYMENTS_TABLE');
    expect(actionsOf(s.json, 'DevPspCharges').filter((a) => a.startsWith('dynamodb:'))).toEqual([
      'dynamodb:Query',
    ]);
    const resources = JSON.stringify(
      statementsOf(s.json, 'DevPspCharges').filter((st) => JSON.stringify(st.Action).includes('dynamodb:')),
    );
    expect(resources).toContain('PaymentsTable');
    expect(resources).toContain('/index/byOrder');
    expect(s.nag).toEqual([]);
  });

  it('serves POST and DELETE /dev/faults to admins from DevFaults, which needs no AWS access', () => {
    const s = devStack();
    const routes = routesOf(s.json);
    expect([...routes.keys()].filter((r) => r.endsWith(' /dev/faults')).sort()).toEqual([
      'DELETE /dev/faults',
      'OPTIONS /dev/faults',
      'POST /dev/faults',
    ]);
    for (const route of ['POST /dev/faults', 'DELETE /dev/faults']) {
      expect(routes.get(route), route).toMatchObject({
        AuthorizationType: 'CUSTOM',
        AuthorizerId: STUB_PLATFORM_IDS.tokenAuthorizerId,
      });
    }
    // It only calls the local cloud's control endpoint, whose URL the local cloud sets.
    expect(
      actionsOf(s.json, 'DevFaults').filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:')),
    ).toEqual([]);
    expect(envOf(functionsById(s.json).get('DevFaults'))).not.toHaveProperty('LOCAL_CONTROL_URL');
    expect(s.nag).toEqual([]);
  });

  it.each(['staging', 'prod'] as const)('refuses to exist in stage %s', (stage) => {
    expect(() =>
      synthAlone(stage, ({ app, config, platform, issuer, stateful }) => {
        return new DevStack(app, 'Dev', {
          config,
          platform,
          issuer,
          jwtIssuer: 'x',
          jwtAudience: 'y',
          paymentsTable: stateful.paymentsTable,
          paymentsIndexNames: stateful.paymentsIndexNames,
          outboxTable: stateful.notificationsTable,
        });
      }),
    ).toThrow(/stage local only/);
  });
});
