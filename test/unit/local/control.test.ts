import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ControlServer, resolveStep } from '../../../local/runtime/control.ts';
import { type FunctionDefinition, LambdaRuntime } from '../../../local/runtime/lambda-runtime.ts';
import type { StateMachineDefinition } from '../../../local/runtime/step-functions.ts';
import { apiEvent, lambdaContext } from '../support.ts';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:';

// Never invoked: resolution and arming only need the registrations.
function definition(logicalId: string, name: string): FunctionDefinition {
  return {
    logicalId,
    name,
    arn: ARN + name,
    codeDir: '/nonexistent',
    handler: 'index.handler',
    env: {},
    timeoutSeconds: 3,
    memoryMb: 128,
  };
}

const machines: StateMachineDefinition[] = [
  {
    arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:checkout',
    name: 'checkout',
    type: 'STANDARD',
    definition: {
      StartAt: 'ValidateCart',
      States: {
        ValidateCart: { Type: 'Task', Resource: `${ARN}store-local-validate-cart`, Next: 'Parallel' },
        Parallel: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'AuthorizePayment',
              States: {
                AuthorizePayment: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::lambda:invoke',
                  // The state name differs from the function's logical id on purpose.
                  Parameters: { FunctionName: `${ARN}store-local-charge`, 'Payload.$': '$' },
                  End: true,
                },
              },
            },
          ],
          Next: 'Dynamic',
        },
        Dynamic: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { 'FunctionName.$': '$.fn' },
          End: true,
        },
      },
    },
  },
];

let dir: string;
let runtime: LambdaRuntime;
let control: ControlServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'control-'));
  runtime = new LambdaRuntime(join(dir, 'logs'), undefined);
  runtime.register(definition('ValidateCart1A2B3C4D', 'store-local-validate-cart'));
  runtime.register(definition('Charge5E6F7A8B', 'store-local-charge'));
  runtime.register(definition('AuthorizePayment9C0D1E2F', 'store-local-authorize-payment'));
  runtime.register(definition('DevToken11223344', 'store-local-dev-token'));
  runtime.register(definition('DevPspCharges55667788', 'store-local-dev-psp-charges'));
  control = new ControlServer({ runtime, stateMachines: () => machines });
  await control.start();
});
afterAll(async () => {
  await control.stop();
  await runtime.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('resolveStep', () => {
  const nameOf = (step: string) => {
    const resolved = resolveStep(step, machines, runtime);
    return resolved.ok ? resolved.function.name : resolved.status;
  };

  it('finds a Lambda Task state first, through Parallel branches and lambda:invoke FunctionName', () => {
    expect(nameOf('ValidateCart')).toBe('store-local-validate-cart');
    // A state name wins over a function of the same logical id.
    expect(nameOf('AuthorizePayment')).toBe('store-local-charge');
  });

  it('else takes a physical name, a logical id or a unique logical-id prefix', () => {
    expect(nameOf('store-local-authorize-payment')).toBe('store-local-authorize-payment');
    expect(nameOf('Charge')).toBe('store-local-charge');
    expect(nameOf('DevPsp')).toBe('store-local-dev-psp-charges');
    expect(nameOf('DevToken11223344')).toBe('store-local-dev-token');
  });

  it('answers 404 for nothing and 409 for several functions', () => {
    expect(nameOf('Dynamic')).toBe(404);
    expect(nameOf('Nothing')).toBe(404);
    expect(nameOf('Dev')).toBe(409);
  });
});

describe('control server', () => {
  const call = async (method: string, body?: unknown, raw?: string) => {
    const res = await fetch(`${control.url}/_local/faults`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  };

  it('arms a fault by step, lists it and clears every fault', async () => {
    expect(await call('POST', { step: 'AuthorizePayment', mode: 'timeout', count: 2 })).toEqual({
      status: 201,
      body: { step: 'AuthorizePayment', function: 'store-local-charge', mode: 'timeout', count: 2 },
    });
    expect((await call('POST', { step: 'ValidateCart', mode: 'error' })).body).toMatchObject({ count: 1 });
    expect(await call('GET')).toEqual({
      status: 200,
      body: {
        faults: [
          { function: 'store-local-charge', mode: 'timeout', remaining: 2 },
          { function: 'store-local-validate-cart', mode: 'error', remaining: 1 },
        ],
      },
    });
    expect(await call('DELETE')).toEqual({ status: 204, body: undefined });
    expect(runtime.armedFaults()).toEqual([]);
  });

  it('answers 404 for an unknown step, 409 for an ambiguous one and 400 for a bad body', async () => {
    expect(await call('POST', { step: 'Nope', mode: 'error' })).toMatchObject({
      status: 404,
      body: { error: expect.stringContaining('Nope') },
    });
    expect((await call('POST', { step: 'Dev', mode: 'error' })).status).toBe(409);
    for (const bad of [
      { step: 'ValidateCart', mode: 'explode' },
      { step: 'ValidateCart', mode: 'error', count: 0 },
      { step: 'ValidateCart', mode: 'error', count: 101 },
      { step: '', mode: 'error' },
      { step: 'ValidateCart', mode: 'error', extra: true },
      [],
    ]) {
      expect((await call('POST', bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect((await call('POST', undefined, '{not json')).status).toBe(400);
    expect((await call('PUT', {})).status).toBe(405);
    expect(runtime.armedFaults()).toEqual([]);
  });
});

describe('POST and DELETE /dev/faults', () => {
  type Handler = (
    event: APIGatewayProxyEvent,
    context: typeof lambdaContext,
  ) => Promise<APIGatewayProxyResult>;
  let handler: Handler;
  const admin = { sub: 'ada', groups: '["admin"]', email: '' };
  const request = (httpMethod: string, body?: unknown, authorizer: unknown = admin) =>
    handler(
      apiEvent({
        httpMethod,
        body: body === undefined ? null : JSON.stringify(body),
        requestContext: { requestId: 'r1', authorizer } as unknown as APIGatewayProxyEvent['requestContext'],
      }),
      lambdaContext,
    );

  beforeAll(async () => {
    vi.stubEnv('STAGE', 'local');
    vi.stubEnv('LOCAL_CONTROL_URL', control.url);
    // The handler reads its configuration at import, as on a cold start.
    handler = (await import('../../../lambdas/dev/handlers/faults.handler.ts')).handler as never;
  });
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('arms through the control endpoint (201) and clears (204)', async () => {
    const armed = await request('POST', { step: 'ValidateCart', mode: 'crash-after-success' });
    expect(armed.statusCode).toBe(201);
    expect(JSON.parse(armed.body)).toEqual({
      step: 'ValidateCart',
      function: 'store-local-validate-cart',
      mode: 'crash-after-success',
      count: 1,
    });
    expect(runtime.armedFaults()).toHaveLength(1);
    const cleared = await request('DELETE');
    expect(cleared.statusCode).toBe(204);
    expect(runtime.armedFaults()).toEqual([]);
  });

  it('answers problems: 404 unknown step, 400 bad body, 401/403 for non-admins', async () => {
    const missing = await request('POST', { step: 'Nope', mode: 'error' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(missing.body)).toMatchObject({ status: 404, detail: expect.stringContaining('Nope') });
    for (const bad of [
      { step: 'Validate Cart', mode: 'error' },
      { step: 'x'.repeat(65), mode: 'error' },
      { step: 'ValidateCart', mode: 'error', count: 101 },
      { step: 'ValidateCart', mode: 'error', other: 1 },
    ]) {
      expect((await request('POST', bad)).statusCode, JSON.stringify(bad)).toBe(400);
    }
    expect((await request('POST', { step: 'ValidateCart', mode: 'error' }, null)).statusCode).toBe(401);
    expect(
      (await request('DELETE', undefined, { sub: 'bob', groups: '["staff"]', email: '' })).statusCode,
    ).toBe(403);
    expect(runtime.armedFaults()).toEqual([]);
  });
});
