import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ESM_REQUIRE_BANNER } from '../../lib/constructs/service-function.ts';
import { functionsOf } from '../../lib/services/registry.ts';
import { LOCAL_JWT_AUDIENCE, LOCAL_JWT_ISSUER } from '../../lib/stacks/platform-stack.ts';
import { apiRoutes, resourcesOf, type SynthesizedStage, synthesizeStage } from './support/stage.ts';

/** The stage the local cloud runs (and LocalStack deploys): plain templates, code as assets. */
describe('stage local', () => {
  let s: SynthesizedStage;
  beforeAll(async () => {
    s = await synthesizeStage('local');
  });

  const fn = (id: string) => {
    const found = resourcesOf(s.statelessJson, 'AWS::Lambda::Function').find(([logicalId]) =>
      new RegExp(`^${id}[0-9A-F]{8}$`).test(logicalId),
    );
    if (!found) throw new Error(`no function ${id}`);
    return found[1];
  };
  const env = (id: string) =>
    (fn(id).Properties.Environment as { Variables: Record<string, string> }).Variables;

  it('has every function of docs/architecture.md, DevToken included, each bundled as an ESM asset', () => {
    for (const id of functionsOf('local').keys()) {
      const { Properties, Metadata } = fn(id);
      expect(Properties.Handler, id).toBe('index.handler');
      const assetPath = Metadata['aws:asset:path'];
      expect(typeof assetPath, id).toBe('string');
      const dir = join(s.outdir, String(assetPath));
      expect(readdirSync(dir).sort(), id).toEqual(['index.mjs', 'index.mjs.map']);
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      // CommonJS dependencies bundled into ESM get their `require`; the SDK stays external.
      expect(code.startsWith(ESM_REQUIRE_BANNER), id).toBe(true);
      // Minified: long lines, not one statement per line (assertions on booleans keep output short).
      expect(code.length / code.split('\n').length > 300, id).toBe(true);
    }
  });

  it('serves POST /dev/token from DevToken, signed by the local issuer', () => {
    const route = apiRoutes(s).get('POST /dev/token');
    expect(route).toMatchObject({ AuthorizationType: 'NONE' });
    expect(JSON.stringify(route?.Integration)).toContain('"DevToken');

    const keyFile = JSON.parse(readFileSync(s.issuerKeyFile, 'utf8')) as {
      kid: string;
      publicJwk: { x: string };
    };
    const jwks = JSON.parse(env('Authorizer').JWKS_JSON ?? '') as { keys: Record<string, string>[] };
    expect(jwks.keys).toEqual([
      expect.objectContaining({
        kid: keyFile.kid,
        kty: 'EC',
        crv: 'P-256',
        alg: 'ES256',
        use: 'sig',
        x: keyFile.publicJwk.x,
      }),
    ]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const privateJwk = JSON.parse(env('DevToken').DEV_ISSUER_PRIVATE_JWK ?? '') as Record<string, string>;
    expect(privateJwk).toMatchObject({ kid: keyFile.kid, kty: 'EC', crv: 'P-256', d: expect.any(String) });
    expect(env('OptionalAuthorizer')).toEqual(env('Authorizer'));
    for (const id of ['Authorizer', 'DevToken']) {
      expect(env(id), id).toMatchObject({ JWT_ISSUER: LOCAL_JWT_ISSUER, JWT_AUDIENCE: LOCAL_JWT_AUDIENCE });
    }
    expect(env('Authorizer')).toMatchObject({ AUTH_MODE: 'issuer' });
    expect(env('Authorizer')).not.toHaveProperty('JWKS_URI');
    expect(env('Authorizer')).not.toHaveProperty('DEV_ISSUER_PRIVATE_JWK');
  });

  it('lets any origin read answers: functions, preflights and gateway responses', () => {
    for (const [id, fn] of resourcesOf(s.statelessJson, 'AWS::Lambda::Function')) {
      const vars = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(vars.CORS_ALLOW_ORIGINS, id).toBe('*');
    }
    const preflights = [...apiRoutes(s)].filter(([route]) => route.startsWith('OPTIONS '));
    expect(preflights.length).toBeGreaterThan(5);
    for (const [route, method] of preflights) {
      const params = (
        method.Integration as { IntegrationResponses: { ResponseParameters: Record<string, string> }[] }
      ).IntegrationResponses[0]?.ResponseParameters;
      expect(params?.['method.response.header.Access-Control-Allow-Origin'], route).toBe("'*'");
      expect(params?.['method.response.header.x-request-id'], route).toBe('context.requestId');
    }
    for (const [id, response] of resourcesOf(s.statelessJson, 'AWS::ApiGateway::GatewayResponse')) {
      expect(response.Properties.ResponseParameters, id).toMatchObject({
        'gatewayresponse.header.access-control-allow-origin': "'*'",
        'gatewayresponse.header.access-control-expose-headers': "'etag, location, x-request-id'",
      });
    }
  });

  it('does not cache authorizer results (tokens come and go with the tests)', () => {
    // Both: the JWT authorizer and the optional one of the cart routes.
    s.stateless.resourceCountIs('AWS::ApiGateway::Authorizer', 2);
    s.stateless.allResourcesProperties('AWS::ApiGateway::Authorizer', { AuthorizerResultTtlInSeconds: 0 });
  });

  it('reaches the local OpenSearch without signing, and has no domain, user pool or WAF', () => {
    for (const id of ['Search', 'Suggest', 'Indexer', 'Health']) {
      expect(env(id), id).toMatchObject({ SEARCH_ENDPOINT: 'http://127.0.0.1:9200', SEARCH_AUTH: 'none' });
    }
    for (const type of [
      'AWS::OpenSearchService::Domain',
      'AWS::Cognito::UserPool',
      'AWS::WAFv2::WebACL',
      'AWS::ApiGateway::Account',
      'Custom::SearchRoleMapping',
    ]) {
      expect(resourcesOf(s.statefulJson, type).length + resourcesOf(s.statelessJson, type).length, type).toBe(
        0,
      );
    }
    // Plain HTTP locally; LocalStack's REST API predates the enhanced TLS policies.
    const [[, api] = []] = resourcesOf(s.statelessJson, 'AWS::ApiGateway::RestApi');
    expect(api?.Properties).not.toHaveProperty('SecurityPolicy');
    expect(api?.Properties).not.toHaveProperty('EndpointAccessMode');
  });

  it('keeps physical names explicit, so the local cloud and LocalStack see stable names', () => {
    s.stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'store-local-products',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
    });
    s.stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'store-local-carts',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
    });
    s.stateful.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'store-local-indexer-dlq' });
    s.stateful.hasResourceProperties('AWS::Events::EventBus', { Name: 'store-local-bus' });
    s.stateless.hasResourceProperties('AWS::ApiGateway::RestApi', { Name: 'store-local-api' });
    s.stateless.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'local' });
    s.stateless.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'store-local-checkout',
    });
    for (const [id, f] of resourcesOf(s.statelessJson, 'AWS::Lambda::Function')) {
      expect(f.Properties.FunctionName, id).toMatch(/^store-local-/);
    }
    // Nothing the local cloud cannot run: the only custom resource is the Lambda-backed index setup.
    const types = new Set(
      Object.values({ ...s.statefulJson.Resources, ...s.statelessJson.Resources }).map((r) => r.Type),
    );
    expect(
      [...types].filter((t) => t.startsWith('Custom::') || t === 'AWS::CloudFormation::CustomResource'),
    ).toEqual(['Custom::SearchIndex']);
  });

  it('keeps the issuer key outside the repository state it was told to use', () => {
    expect(existsSync(s.issuerKeyFile)).toBe(true);
  });
});
