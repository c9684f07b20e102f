/**
 * What the API Gateway conformance tests run on: the real Lambda runtime with tiny ESM functions
 * written to a temporary directory, gateways started on free ports from hand-built API
 * definitions, and a raw HTTP client that can repeat headers and gives up instead of hanging.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ApiDefinition,
  ApiGateway,
  type AuthorizerDefinition,
  type GatewayOptions,
  type Route,
} from '../../../local/runtime/api-gateway.ts';
import { type FunctionDefinition, LambdaRuntime } from '../../../local/runtime/lambda-runtime.ts';
import { freePort } from '../../../local/support.ts';

export const API_ID = 'apigwconf1';
export const STAGE = 'test';
export const ARN_PREFIX = `arn:aws:execute-api:us-east-1:123456789012:${API_ID}/${STAGE}`;

/** Function name -> source. Each answers from what the request carries, so one copy serves every test. */
const HANDLERS: Record<string, string> = {
  // The event it got, as a JSON body.
  echo: `export const handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(event),
});`,
  // Whatever the request body says the proxy result is (JSON), verbatim.
  mirror: `export const handler = async (event) => {
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString() : event.body;
  return JSON.parse(text);
};`,
  fail: `export const handler = async () => { throw new TypeError('the function failed'); };`,
  // Sleeps ?ms= milliseconds, then answers 200.
  slow: `import { setTimeout as sleep } from 'node:timers/promises';
export const handler = async (event) => {
  await sleep(Number(event.queryStringParameters?.ms ?? 0));
  return { statusCode: 200, body: 'done' };
};`,
  // The policy and context to return travel base64url-encoded JSON in the token (TOKEN) or in the
  // x-policy header (REQUEST); "{methodArn}" in a resource stands for the event's methodArn.
  authorizer: `export const handler = async (event) => {
  const raw = event.type === 'TOKEN'
    ? event.authorizationToken
    : Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === 'x-policy')?.[1];
  if (!raw || raw === 'unauthorized') throw new Error('Unauthorized');
  const spec = JSON.parse(Buffer.from(raw, 'base64url').toString());
  const fill = (r) => r.replaceAll('{methodArn}', event.methodArn);
  return {
    principalId: 'user-1',
    policyDocument: {
      Version: '2012-10-17',
      Statement: spec.statements.map((s) => ({
        Action: s.action ?? 'execute-api:Invoke',
        Effect: s.effect,
        Resource: Array.isArray(s.resource) ? s.resource.map(fill) : fill(s.resource),
      })),
    },
    context: { methodArn: event.methodArn, ...spec.context },
  };
};`,
};

export interface PolicySpec {
  statements: { effect: string; resource: string | string[]; action?: string }[];
  context?: Record<string, unknown>;
  /** Makes an otherwise equal token distinct, so no two tests share a cached policy. */
  nonce?: string;
}

/** The token (or x-policy header value) that makes the test authorizer return `spec`. */
export function policyToken(spec: PolicySpec): string {
  return Buffer.from(JSON.stringify(spec)).toString('base64url');
}

export const allowAll = (nonce: string, context?: Record<string, unknown>): string =>
  policyToken({ statements: [{ effect: 'Allow', resource: `${ARN_PREFIX}/*` }], context, nonce });

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): Record<string, unknown>;
}

export interface SendOptions {
  /** An array value sends the header once per element. */
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /** A request the gateway never answers fails the test after this long. Default 10 s. */
  timeoutMs?: number;
}

export class ApigwHarness {
  readonly runtime: LambdaRuntime;
  private readonly dir: string;
  private readonly gateways: ApiGateway[] = [];
  private readonly functions = new Map<string, FunctionDefinition>();

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'apigw-conformance-'));
    this.runtime = new LambdaRuntime(join(this.dir, 'logs'), undefined);
    for (const [name, source] of Object.entries(HANDLERS)) {
      const codeDir = join(this.dir, name);
      mkdirSync(codeDir, { recursive: true });
      writeFileSync(join(codeDir, 'index.mjs'), source);
    }
  }

  /** Registers `name` running `handler`'s code (one of HANDLERS) and returns its ARN. */
  fn(name: string, handler: keyof typeof HANDLERS & string, timeoutSeconds = 10): string {
    const existing = this.functions.get(name);
    if (existing) return existing.arn;
    const definition: FunctionDefinition = {
      logicalId: name,
      name,
      arn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
      codeDir: join(this.dir, handler),
      handler: 'index.handler',
      env: {},
      timeoutSeconds,
      memoryMb: 128,
    };
    this.runtime.register(definition);
    this.functions.set(name, definition);
    return definition.arn;
  }

  lambdaRoute(method: string, resourcePath: string, fn: string, authorizer?: AuthorizerDefinition): Route {
    return { method, resourcePath, integration: { type: 'lambda', functionArn: fn }, authorizer };
  }

  authorizer(
    name: string,
    type: 'TOKEN' | 'REQUEST',
    identitySources: string[],
    resultTtlSeconds: number,
  ): AuthorizerDefinition {
    return { name, type, functionArn: this.fn(name, 'authorizer'), identitySources, resultTtlSeconds };
  }

  /** Invocations of `name` that reached a handler so far. */
  invocations(name: string): number {
    return this.runtime.invocations.get(name)?.count ?? 0;
  }

  async gateway(
    api: Partial<ApiDefinition> & Pick<ApiDefinition, 'routes'>,
    options: Partial<Omit<GatewayOptions, 'api' | 'runtime' | 'port'>> = {},
  ): Promise<Gateway> {
    const gateway = new ApiGateway({
      port: await freePort(),
      api: { apiId: API_ID, stageName: STAGE, gatewayResponses: {}, ...api },
      runtime: this.runtime,
      log: () => {},
      ...options,
    });
    await gateway.start();
    this.gateways.push(gateway);
    return new Gateway(gateway.url);
  }

  async close(): Promise<void> {
    await Promise.all(this.gateways.map((g) => g.stop()));
    await this.runtime.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export class Gateway {
  constructor(readonly url: string) {}

  send(method: string, path: string, options: SendOptions = {}): Promise<Reply> {
    const { hostname, port } = new URL(this.url);
    return new Promise((resolve, reject) => {
      const req = request(
        // The local gateway serves its one stage at the root: no /{stage} prefix in the URL.
        { hostname, port, method, path, headers: options.headers, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body,
              json: () => JSON.parse(body) as Record<string, unknown>,
            });
          });
        },
      );
      req.setTimeout(options.timeoutMs ?? 10_000, () =>
        req.destroy(new Error(`${method} ${path}: no answer within ${options.timeoutMs ?? 10_000} ms`)),
      );
      req.on('error', reject);
      req.end(options.body);
    });
  }

  /** The proxy event the echo function received for this request. */
  async event(method: string, path: string, options: SendOptions = {}): Promise<Record<string, unknown>> {
    const reply = await this.send(method, path, options);
    if (reply.status !== 200) throw new Error(`${method} ${path}: ${reply.status} ${reply.body}`);
    return reply.json();
  }
}
