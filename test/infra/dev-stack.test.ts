import { describe, expect, it } from 'vitest';
import { DevStack, dev } from '../../lib/services/dev/dev-stack.ts';
import { LOCAL_JWT_AUDIENCE, LOCAL_JWT_ISSUER } from '../../lib/stacks/platform-stack.ts';
import { envOf, functionsById, routesOf, synthAlone } from './support/alone.ts';

describe('dev stack alone', () => {
  it('serves POST /dev/token from DevToken with the local issuer key, in stage local', () => {
    const s = synthAlone('local', ({ app, config, platform, issuer }) => {
      return new DevStack(app, 'Dev', {
        config,
        platform,
        issuer,
        jwtIssuer: LOCAL_JWT_ISSUER,
        jwtAudience: LOCAL_JWT_AUDIENCE,
      });
    });
    expect(routesOf(s.json).get('POST /dev/token')).toMatchObject({ AuthorizationType: 'NONE' });
    const env = envOf(functionsById(s.json).get('DevToken'));
    expect(env).toMatchObject({ JWT_ISSUER: LOCAL_JWT_ISSUER, JWT_AUDIENCE: LOCAL_JWT_AUDIENCE });
    expect(JSON.parse(String(env.DEV_ISSUER_PRIVATE_JWK))).toHaveProperty('d');
    expect(s.nag).toEqual([]);
    expect(dev.stages).toEqual(['local']);
  });

  it.each(['staging', 'prod'] as const)('refuses to exist in stage %s', (stage) => {
    expect(() =>
      synthAlone(stage, ({ app, config, platform, issuer }) => {
        return new DevStack(app, 'Dev', { config, platform, issuer, jwtIssuer: 'x', jwtAudience: 'y' });
      }),
    ).toThrow(/stage local only/);
  });
});
