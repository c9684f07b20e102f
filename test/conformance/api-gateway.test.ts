/**
 * The local API Gateway (REST, v1) against the rules of API Gateway: Lambda authorizer policies
 * evaluated against the request's real method ARN, authorizer result caching by TTL and identity
 * sources, authorizer context values, the Lambda proxy event, and what the gateway answers when
 * the integration fails, returns a malformed result or runs past the integration timeout. Each
 * rule names the AWS documentation page (or AWS-recorded sample) it comes from.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../local/deploy.ts';
import { type CfnResource, Resolver } from '../../local/template.ts';
import {
  API_ID,
  ApigwHarness,
  ARN_PREFIX,
  allowAll,
  type Gateway,
  policyToken,
  STAGE,
} from './support/apigw-harness.ts';

let harness: ApigwHarness;

beforeAll(() => {
  harness = new ApigwHarness();
});
afterAll(() => harness.close());

function expectGatewayResponse(reply: { status: number; headers: Record<string, unknown> }, type: string) {
  expect(reply.headers['x-amzn-errortype']).toBe(type);
}

describe('Lambda authorizer policies', () => {
  let gateway: Gateway;

  beforeAll(async () => {
    const token = harness.authorizer('policy-token', 'TOKEN', ['method.request.header.Authorization'], 0);
    const echo = harness.fn('echo', 'echo');
    gateway = await harness.gateway({
      routes: [
        harness.lambdaRoute('GET', '/carts/{cartId}/items', echo, token),
        harness.lambdaRoute('GET', '/', echo, token),
      ],
    });
  });

  const get = (path: string, token: string) =>
    gateway.send('GET', path, { headers: { authorization: token } });

  // "Input to an API Gateway Lambda authorizer": methodArn is
  // arn:aws:execute-api:{regionId}:{accountId}:{apiId}/{stage}/{httpVerb}/[{resource}/[{child-resources}]],
  // the path the client called; "Output from an Amazon API Gateway Lambda authorizer" shows the
  // root as .../{stage}/GET/.
  it('hands the authorizer the method ARN of the path called, path parameters filled in', async () => {
    const exact = policyToken({
      statements: [{ effect: 'Allow', resource: `${ARN_PREFIX}/GET/carts/g-abc/items` }],
    });
    const event = await gateway.event('GET', '/carts/g-abc/items', { headers: { authorization: exact } });
    const authorizer = (event.requestContext as { authorizer: Record<string, unknown> }).authorizer;
    expect(authorizer.methodArn).toBe(`${ARN_PREFIX}/GET/carts/g-abc/items`);
    const root = await gateway.event('GET', '/', { headers: { authorization: allowAll('root') } });
    expect((root.requestContext as { authorizer: Record<string, unknown> }).authorizer.methodArn).toBe(
      `${ARN_PREFIX}/GET/`,
    );
  });

  // "Output from an Amazon API Gateway Lambda authorizer": the policy's statements decide, and a
  // resource may use wildcards: * in "Statement reference of IAM policies for executing API in API
  // Gateway", * and ? in IAM's "IAM JSON policy elements: Resource". "Gateway response types":
  // ACCESS_DENIED, 403.
  it('allows what a resource-scoped policy covers and answers 403 ACCESS_DENIED for the rest', async () => {
    const scoped = policyToken({
      statements: [{ effect: 'Allow', resource: `${ARN_PREFIX}/GET/carts/g-abc/*` }],
    });
    expect((await get('/carts/g-abc/items', scoped)).status).toBe(200);
    const other = await get('/carts/g-xyz/items', scoped);
    expect(other.status).toBe(403);
    expectGatewayResponse(other, 'ACCESS_DENIED');
    expect(other.json()).toEqual({ message: 'User is not authorized to access this resource' });

    const single = policyToken({
      statements: [{ effect: 'Allow', resource: `${ARN_PREFIX}/GET/carts/g-ab?/items` }],
    });
    expect((await get('/carts/g-abc/items', single)).status).toBe(200);
    expect((await get('/carts/g-abcd/items', single)).status).toBe(403);
  });

  // IAM's "Policy evaluation logic", which API Gateway applies to authorizer policies: an explicit
  // Deny overrides any Allow. "Statement reference of IAM policies for executing API in API
  // Gateway": the actions are execute-api:Invoke, InvalidateCache or *; a statement for another
  // action grants nothing.
  it('lets a matching Deny win over an Allow, and ignores statements for other actions', async () => {
    const denyOne = policyToken({
      statements: [
        { effect: 'Allow', resource: `${ARN_PREFIX}/*` },
        { effect: 'Deny', resource: `${ARN_PREFIX}/GET/carts/g-abc/items` },
      ],
    });
    expect((await get('/carts/g-abc/items', denyOne)).status).toBe(403);
    expect((await get('/carts/g-xyz/items', denyOne)).status).toBe(200);

    const otherAction = policyToken({
      statements: [{ effect: 'Allow', resource: `${ARN_PREFIX}/*`, action: 'execute-api:ManageConnections' }],
    });
    expectGatewayResponse(await get('/carts/g-abc/items', otherAction), 'ACCESS_DENIED');
    const anyAction = policyToken({
      statements: [{ effect: 'Allow', resource: `${ARN_PREFIX}/*`, action: 'execute-api:*' }],
    });
    expect((await get('/carts/g-abc/items', anyAction)).status).toBe(200);
  });
});

describe('authorizer result caching', () => {
  // "Configure a Lambda authorizer using the API Gateway console": with caching on, the token
  // source (TOKEN) or all identity sources (REQUEST) are the cache key, TTL 0 turns caching off,
  // and a cached policy must cover every method it will be applied to. "Authorizer" (API
  // reference): authorizerResultTtlInSeconds defaults to 300 when not set.
  let gateway: Gateway;

  beforeAll(async () => {
    const echo = harness.fn('echo', 'echo');
    const header = ['method.request.header.Authorization'];
    gateway = await harness.gateway({
      routes: [
        harness.lambdaRoute(
          'GET',
          '/cached/{id}',
          echo,
          harness.authorizer('cache-300', 'TOKEN', header, 300),
        ),
        harness.lambdaRoute('GET', '/uncached', echo, harness.authorizer('cache-0', 'TOKEN', header, 0)),
        harness.lambdaRoute('GET', '/short', echo, harness.authorizer('cache-1', 'TOKEN', header, 1)),
        harness.lambdaRoute(
          'GET',
          '/request',
          echo,
          harness.authorizer(
            'cache-request',
            'REQUEST',
            ['method.request.header.x-policy', 'method.request.querystring.tenant'],
            300,
          ),
        ),
        harness.lambdaRoute('GET', '/anonymous', echo, harness.authorizer('cache-none', 'REQUEST', [], 300)),
      ],
    });
  });

  const get = (path: string, headers: Record<string, string>) => gateway.send('GET', path, { headers });

  it('invokes a TOKEN authorizer once per token for its TTL, and on every request with TTL 0', async () => {
    const token = allowAll('ttl-300');
    for (let i = 0; i < 3; i++) expect((await get('/cached/a', { authorization: token })).status).toBe(200);
    expect(harness.invocations('cache-300')).toBe(1);
    expect((await get('/cached/a', { authorization: allowAll('ttl-300-other') })).status).toBe(200);
    expect(harness.invocations('cache-300')).toBe(2);

    const uncached = allowAll('ttl-0');
    for (let i = 0; i < 3; i++)
      expect((await get('/uncached', { authorization: uncached })).status).toBe(200);
    expect(harness.invocations('cache-0')).toBe(3);
  });

  it('evaluates a cached policy against each new method ARN', async () => {
    const before = harness.invocations('cache-300');
    const firstOnly = policyToken({
      statements: [{ effect: 'Allow', resource: '{methodArn}' }],
      nonce: 'first',
    });
    expect((await get('/cached/a', { authorization: firstOnly })).status).toBe(200);
    const elsewhere = await get('/cached/b', { authorization: firstOnly });
    expect(elsewhere.status).toBe(403);
    expectGatewayResponse(elsewhere, 'ACCESS_DENIED');
    expect((await get('/cached/a', { authorization: firstOnly })).status).toBe(200);
    expect(harness.invocations('cache-300')).toBe(before + 1);
  });

  it('asks the authorizer again once the TTL has passed', async () => {
    const token = allowAll('ttl-1');
    await get('/short', { authorization: token });
    await get('/short', { authorization: token });
    expect(harness.invocations('cache-1')).toBe(1);
    await sleep(1_100);
    await get('/short', { authorization: token });
    expect(harness.invocations('cache-1')).toBe(2);
  });

  it('keys a REQUEST authorizer on all its identity sources, and caches nothing without any', async () => {
    const policy = allowAll('request');
    for (let i = 0; i < 2; i++)
      expect((await get('/request?tenant=t1', { 'x-policy': policy })).status).toBe(200);
    expect(harness.invocations('cache-request')).toBe(1);
    expect((await get('/request?tenant=t2', { 'x-policy': policy })).status).toBe(200);
    expect(harness.invocations('cache-request')).toBe(2);

    for (let i = 0; i < 3; i++) expect((await get('/anonymous', { 'x-policy': policy })).status).toBe(200);
    expect(harness.invocations('cache-none')).toBe(3);
  });
});

describe('authorizer context', () => {
  let gateway: Gateway;

  beforeAll(async () => {
    const token = harness.authorizer('context-token', 'TOKEN', ['method.request.header.Authorization'], 0);
    gateway = await harness.gateway({
      routes: [harness.lambdaRoute('GET', '/me', harness.fn('context-echo', 'echo'), token)],
    });
  });

  // "Output from an Amazon API Gateway Lambda authorizer": context values are passed on
  // stringified, and a JSON object or array is not a valid context value.
  it('passes numbers and booleans on as strings, beside principalId', async () => {
    const token = allowAll('ctx', { sub: 'alice', count: 3, ratio: 0.5, admin: true, off: false });
    const event = await gateway.event('GET', '/me', { headers: { authorization: token } });
    expect((event.requestContext as { authorizer: unknown }).authorizer).toMatchObject({
      principalId: 'user-1',
      sub: 'alice',
      count: '3',
      ratio: '0.5',
      admin: 'true',
      off: 'false',
    });
  });

  // The same page; what API Gateway answers (the docs are silent) as checked against it in
  // serverless-offline pull request #1376, "Validate authorizer context response to better mimic
  // API Gateway": 500 with x-amzn-ErrorType AuthorizerConfigurationException, a value that is not a
  // string, number or boolean (null included) being enough; "Gateway response types":
  // AUTHORIZER_CONFIGURATION_ERROR is that 500.
  it.each([
    ['an object', { groups: { admin: true } }],
    ['an array', { groups: ['admin'] }],
    ['null', { groups: null }],
  ])(
    'answers 500 AUTHORIZER_CONFIGURATION_ERROR for %s in the context, without calling the integration',
    async (_, context) => {
      const before = harness.invocations('context-echo');
      const reply = await gateway.send('GET', '/me', {
        headers: { authorization: allowAll('bad', context) },
      });
      expect(reply.status).toBe(500);
      expectGatewayResponse(reply, 'AUTHORIZER_CONFIGURATION_ERROR');
      expect(harness.invocations('context-echo')).toBe(before);
    },
  );
});

describe('the Lambda proxy event', () => {
  let gateway: Gateway;

  beforeAll(async () => {
    const echo = harness.fn('echo', 'echo');
    gateway = await harness.gateway({
      routes: [
        harness.lambdaRoute('GET', '/carts/{cartId}/items/{sku}', echo),
        harness.lambdaRoute('ANY', '/files/{path+}', echo),
        harness.lambdaRoute('POST', '/upload', echo),
      ],
    });
  });

  // AWS-recorded proxy events (LocalStack's test_lambda_aws_proxy_integration snapshot, recorded
  // against AWS): /test-path/api/user/test%2Balias@gmail.com arrives with the path parameter
  // and `path` still percent-encoded.
  it('passes path parameters and the path as sent, percent-encoding kept', async () => {
    const event = await gateway.event('GET', '/carts/test%2Balias/items/A%2DB');
    expect(event.pathParameters).toEqual({ cartId: 'test%2Balias', sku: 'A%2DB' });
    expect(event.path).toBe('/carts/test%2Balias/items/A%2DB');
    const greedy = await gateway.event('GET', '/files/a%2Fb/caf%C3%A9');
    expect(greedy.pathParameters).toEqual({ path: 'a%2Fb/caf%C3%A9' });
  });

  // "Input format of a Lambda function for proxy integration": headers and queryStringParameters
  // hold one value per name, multiValueHeaders and multiValueQueryStringParameters all of them; the
  // recorded sample (?category=electronics&category=books) shows the last value as the single one.
  it('gives the last of repeated headers and query parameters as the single value, all as the multi value', async () => {
    const event = await gateway.event('GET', '/files/x?q=1&q=2&one=only', {
      headers: { 'x-multi': ['first', 'second'], 'x-single': 'v' },
    });
    expect(event.headers).toMatchObject({ 'x-multi': 'second', 'x-single': 'v' });
    expect(event.multiValueHeaders).toMatchObject({ 'x-multi': ['first', 'second'], 'x-single': ['v'] });
    expect(event.queryStringParameters).toEqual({ q: '2', one: 'only' });
    expect(event.multiValueQueryStringParameters).toEqual({ q: ['1', '2'], one: ['only'] });
  });

  // "Input format of a Lambda function for proxy integration" (the sample's requestContext, with
  // requestTime "04/Mar/2020:19:15:17 +0000") and the recorded AWS events: identity carries every
  // field, null when the request has no such caller data.
  it('fills requestContext as API Gateway does', async () => {
    const started = Date.now();
    const event = await gateway.event('GET', '/carts/c1/items/S1', {
      headers: { 'user-agent': 'conformance/1', host: `${API_ID}.execute-api.us-east-1.amazonaws.com` },
    });
    const context = event.requestContext as Record<string, unknown>;
    expect(context).toMatchObject({
      accountId: '123456789012',
      apiId: API_ID,
      domainName: `${API_ID}.execute-api.us-east-1.amazonaws.com`,
      domainPrefix: API_ID,
      httpMethod: 'GET',
      path: `/${STAGE}/carts/c1/items/S1`,
      protocol: 'HTTP/1.1',
      resourcePath: '/carts/{cartId}/items/{sku}',
      stage: STAGE,
    });
    expect(context.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(context.extendedRequestId).toMatch(/^\S{8,}$/);
    expect(context.extendedRequestId).not.toBe(context.requestId);
    expect(context.resourceId).toMatch(/^[a-z0-9]{6,10}$/);
    const epoch = context.requestTimeEpoch as number;
    expect(epoch).toBeGreaterThanOrEqual(started - 1000);
    expect(epoch).toBeLessThanOrEqual(Date.now());
    const at = new Date(epoch);
    const month = at.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
    const two = (n: number) => String(n).padStart(2, '0');
    expect(context.requestTime).toBe(
      `${two(at.getUTCDate())}/${month}/${at.getUTCFullYear()}:${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())} +0000`,
    );
    expect(context.identity).toEqual({
      accessKey: null,
      accountId: null,
      caller: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: '127.0.0.1',
      user: null,
      userAgent: 'conformance/1',
      userArn: null,
    });
  });

  // "Content type conversions in API Gateway": with binaryMediaTypes undefined, a request payload
  // of any content type reaches the integration as a UTF-8 string.
  it('passes every body as text when the API has no binary media types', async () => {
    for (const contentType of ['application/octet-stream', 'image/png', 'text/csv', 'application/json']) {
      const event = await gateway.event('POST', '/upload', {
        headers: { 'content-type': contentType },
        body: 'plain,text',
      });
      expect(event, contentType).toMatchObject({ body: 'plain,text', isBase64Encoded: false });
    }
  });

  // "Working with binary media types for REST APIs" (wildcards such as */* cover several types)
  // and "Content type conversions in API Gateway": a body whose Content-Type matches
  // binaryMediaTypes reaches a Lambda proxy integration base64-encoded.
  it('base64-encodes the bodies whose content type matches the binary media types', async () => {
    const binary = await harness.gateway({
      routes: [harness.lambdaRoute('POST', '/upload', harness.fn('echo', 'echo'))],
      binaryMediaTypes: ['image/*', 'text/csv'],
    });
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    const png = await binary.event('POST', '/upload', {
      headers: { 'content-type': 'image/png' },
      body: bytes,
    });
    expect(png.isBase64Encoded).toBe(true);
    expect(Buffer.from(png.body as string, 'base64')).toEqual(bytes);
    const csv = await binary.event('POST', '/upload', {
      headers: { 'content-type': 'text/csv; charset=utf-8' },
      body: 'a,b',
    });
    expect(csv).toMatchObject({ body: Buffer.from('a,b').toString('base64'), isBase64Encoded: true });
    const json = await binary.event('POST', '/upload', {
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(json).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
  });
});

describe('integration responses and failures', () => {
  let gateway: Gateway;

  beforeAll(async () => {
    gateway = await harness.gateway({
      routes: [
        harness.lambdaRoute('POST', '/mirror', harness.fn('mirror', 'mirror')),
        harness.lambdaRoute('GET', '/fail', harness.fn('fail', 'fail')),
        harness.lambdaRoute('GET', '/function-timeout', harness.fn('short-timeout', 'slow', 1)),
        harness.lambdaRoute('GET', '/throttled', harness.fn('throttled', 'echo')),
      ],
    });
  });

  const mirror = (result: unknown) =>
    gateway.send('POST', '/mirror', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(result),
      timeoutMs: 5_000,
    });

  // "Output format of a Lambda function for proxy integration": if the function output is of a
  // different format, API Gateway returns 502; AWS-recorded (LocalStack's
  // test_aws_proxy_response_payload_format_validation): an unknown key, a multiValueHeaders value
  // that is not a list, a non-numeric statusCode and a bare string are 502 too.
  it('answers every malformed proxy result with 502 INTEGRATION_FAILURE, never hanging', async () => {
    const malformed: [string, unknown][] = [
      ['a body object', { statusCode: 200, body: { message: 'hi' } }],
      ['a number body', { statusCode: 200, body: 42 }],
      ['a bare string', 'justAString'],
      ['null', null],
      ['an unknown key', { statusCode: 200, wrongValue: 'value' }],
      ['a multiValueHeaders value that is not a list', { statusCode: 200, multiValueHeaders: { a: 'b' } }],
      ['a statusCode that is not a number', { statusCode: 'test' }],
      ['headers that are not an object', { statusCode: 200, headers: ['a'] }],
      ['a header value that is an object', { statusCode: 200, headers: { a: { b: 1 } } }],
    ];
    for (const [what, result] of malformed) {
      const reply = await mirror(result);
      expect(reply.status, what).toBe(502);
      expectGatewayResponse(reply, 'INTEGRATION_FAILURE');
      expect(reply.json(), what).toEqual({ message: 'Internal server error' });
    }
  });

  // The same recorded test: a result without statusCode is a 200, a numeric string is the status,
  // and "Output format...": where headers and multiValueHeaders name the same header, only the
  // multiValueHeaders values are sent.
  it('accepts the loose shapes AWS accepts', async () => {
    const onlyHeaders = await mirror({ headers: { 'test-header': 'value' } });
    expect(onlyHeaders.status).toBe(200);
    expect(onlyHeaders.headers['test-header']).toBe('value');
    expect(onlyHeaders.body).toBe('');
    expect((await mirror({ statusCode: '201', body: 'made' })).status).toBe(201);
    const overlap = await mirror({
      statusCode: 200,
      headers: { 'x-both': 'solo', 'x-flag': true },
      multiValueHeaders: { 'X-Both': ['multi-1', 'multi-2'] },
    });
    expect(overlap.headers['x-both']).toBe('multi-1, multi-2');
    expect(overlap.headers['x-flag']).toBe('true');
  });

  // "Handling Lambda errors with an API Gateway API" (Lambda developer guide): if the function
  // runs but returns an error (a Lambda timeout is one), API Gateway returns 502; if the Lambda
  // API rejects the invocation (throttling included), 500; the body is
  // {"message": "Internal server error"} either way. A StatusCode the template gives
  // INTEGRATION_FAILURE replaces both.
  it('answers a function error or timeout with 502 and an invocation Lambda refuses with 500', async () => {
    for (const path of ['/fail', '/function-timeout?ms=3000']) {
      const reply = await gateway.send('GET', path);
      expect(reply.status, path).toBe(502);
      expectGatewayResponse(reply, 'INTEGRATION_FAILURE');
      expect(reply.json()).toEqual({ message: 'Internal server error' });
    }

    const throttledFn = harness.fn('throttled', 'echo');
    harness.runtime.injectServiceError(throttledFn, { errorType: 'TooManyRequestsException' });
    const throttled = await gateway.send('GET', '/throttled');
    expect(throttled.status).toBe(500);
    expectGatewayResponse(throttled, 'INTEGRATION_FAILURE');
    expect(throttled.json()).toEqual({ message: 'Internal server error' });

    const mapped = await harness.gateway({
      routes: [harness.lambdaRoute('GET', '/throttled', throttledFn)],
      gatewayResponses: { INTEGRATION_FAILURE: { statusCode: 502, headers: {} } },
    });
    harness.runtime.injectServiceError(throttledFn, { errorType: 'TooManyRequestsException' });
    expect((await mapped.send('GET', '/throttled')).status).toBe(502);
    expect((await mapped.send('GET', '/throttled')).status).toBe(200);
  });

  // "Amazon API Gateway quotas": the REST API integration timeout is 50 ms to 29 s; past it the
  // gateway answers 504 INTEGRATION_TIMEOUT ("Gateway response types"), however long the
  // function goes on running.
  it('answers 504 INTEGRATION_TIMEOUT once the integration timeout passes', async () => {
    const slow = await harness.gateway(
      { routes: [harness.lambdaRoute('GET', '/slow', harness.fn('slow', 'slow', 10))] },
      { integrationTimeoutMs: 1_000 },
    );
    const started = Date.now();
    const reply = await slow.send('GET', '/slow?ms=4000', { timeoutMs: 3_500 });
    expect(reply.status).toBe(504);
    expectGatewayResponse(reply, 'INTEGRATION_TIMEOUT');
    expect(reply.json()).toEqual({ message: 'Endpoint request timed out' });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect((await slow.send('GET', '/slow?ms=10')).status).toBe(200);
  });
});

describe('the API definition read from the template', () => {
  // "AWS::ApiGateway::Authorizer": AuthorizerResultTtlInSeconds, 300 when not set;
  // "AWS::ApiGateway::RestApi": BinaryMediaTypes.
  it('takes each authorizer TTL and the binary media types from the template', () => {
    const uri = (fn: string) =>
      `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${fn}/invocations`;
    const authorizer = (ttl?: number): CfnResource => ({
      Type: 'AWS::ApiGateway::Authorizer',
      Properties: {
        Name: 'auth',
        Type: 'TOKEN',
        IdentitySource: 'method.request.header.Authorization',
        AuthorizerUri: uri('auth'),
        RestApiId: { Ref: 'Api' },
        ...(ttl === undefined ? {} : { AuthorizerResultTtlInSeconds: ttl }),
      },
    });
    const method = (httpMethod: string, authorizerId: string): CfnResource => ({
      Type: 'AWS::ApiGateway::Method',
      Properties: {
        HttpMethod: httpMethod,
        ResourceId: { Ref: 'Items' },
        RestApiId: { Ref: 'Api' },
        AuthorizationType: 'CUSTOM',
        AuthorizerId: { Ref: authorizerId },
        Integration: { Type: 'AWS_PROXY', Uri: uri('items') },
      },
    });
    const resources: Record<string, CfnResource> = {
      Api: {
        Type: 'AWS::ApiGateway::RestApi',
        Properties: { Name: 'api', BinaryMediaTypes: ['image/png', 'application~1pdf'] },
      },
      Items: {
        Type: 'AWS::ApiGateway::Resource',
        Properties: {
          ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
          PathPart: 'items',
          RestApiId: { Ref: 'Api' },
        },
      },
      Uncached: authorizer(0),
      Cached: authorizer(60),
      Unset: authorizer(),
      GetItems: method('GET', 'Uncached'),
      PostItems: method('POST', 'Cached'),
      PutItems: method('PUT', 'Unset'),
    };
    const r = new Resolver('stack', new Map());
    r.set('Api', 'api123', { RootResourceId: 'api123-root' });
    for (const id of Object.keys(resources)) if (id !== 'Api') r.set(id, id);

    const api = buildApi(resources, r);
    const ttlOf = (m: string) =>
      api?.routes.find((route) => route.method === m)?.authorizer?.resultTtlSeconds;
    expect([ttlOf('GET'), ttlOf('POST'), ttlOf('PUT')]).toEqual([0, 60, 300]);
    expect(api?.binaryMediaTypes).toEqual(['image/png', 'application/pdf']);
  });
});
