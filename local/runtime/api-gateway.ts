/**
 * Plays API Gateway (REST API, v1): routes from the template's resources and methods, Lambda
 * proxy events, TOKEN and REQUEST Lambda authorizers, MOCK integrations (CORS preflight) and the
 * template's gateway responses.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { LambdaRuntime } from './lambda-runtime.ts';

export interface Route {
  method: string;
  /** e.g. `/products/{productId}` */
  resourcePath: string;
  integration:
    | { type: 'lambda'; functionArn: string }
    | { type: 'mock'; statusCode: number; headers: Record<string, string> };
  authorizer?: AuthorizerDefinition;
}

export interface AuthorizerDefinition {
  name: string;
  type: 'TOKEN' | 'REQUEST';
  functionArn: string;
  /** e.g. `method.request.header.Authorization`; empty for REQUEST authorizers that take every request. */
  identitySources: string[];
  validationExpression?: string;
}

export interface GatewayResponse {
  statusCode?: number;
  headers: Record<string, string>;
  template?: string;
}

export interface ApiDefinition {
  apiId: string;
  stageName: string;
  routes: Route[];
  gatewayResponses: Record<string, GatewayResponse>;
}

/** API Gateway's own payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

const DEFAULT_STATUS: Record<string, number> = {
  UNAUTHORIZED: 401,
  ACCESS_DENIED: 403,
  MISSING_AUTHENTICATION_TOKEN: 403,
  AUTHORIZER_FAILURE: 500,
  AUTHORIZER_CONFIGURATION_ERROR: 500,
  REQUEST_TOO_LARGE: 413,
  BAD_REQUEST_BODY: 400,
  INTEGRATION_FAILURE: 502,
};

const DEFAULT_MESSAGE: Record<string, string> = {
  UNAUTHORIZED: 'Unauthorized',
  ACCESS_DENIED: 'User is not authorized to access this resource',
  MISSING_AUTHENTICATION_TOKEN: 'Missing Authentication Token',
  AUTHORIZER_FAILURE: 'Internal server error',
  REQUEST_TOO_LARGE: 'Request Too Long',
  INTEGRATION_FAILURE: 'Internal server error',
};

export interface GatewayOptions {
  port: number;
  api: ApiDefinition;
  runtime: LambdaRuntime;
  log: (line: string) => void;
  /** Lets the local cloud add its own parts to the /health answer. */
  decorate?: (route: Route, status: number, body: string) => Promise<string>;
}

export class ApiGateway {
  private server?: Server;
  requests = 0;

  constructor(private readonly options: GatewayOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.options.log(`gateway error: ${error instanceof Error ? error.stack : String(error)}`);
        if (!res.headersSent)
          this.gatewayResponse(res, 'DEFAULT_5XX', randomUUID(), 'Internal server error', 500);
      });
    });
    // Keep-alive sockets from test clients must not hold the process open at shutdown.
    this.server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(this.options.port, '127.0.0.1', () => resolve());
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests++;
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();

    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return this.gatewayResponse(res, 'REQUEST_TOO_LARGE', requestId);
      chunks.push(chunk);
    }
    const rawBody = Buffer.concat(chunks);

    const match = this.match(method, url.pathname);
    if (!match) return this.gatewayResponse(res, 'MISSING_AUTHENTICATION_TOKEN', requestId);
    const { route, pathParameters } = match;

    if (route.integration.type === 'mock') {
      res.writeHead(route.integration.statusCode, {
        ...route.integration.headers,
        'x-amzn-requestid': requestId,
      });
      res.end();
      return;
    }

    const headers: Record<string, string> = {};
    const multiValueHeaders: Record<string, string[]> = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i] as string;
      const value = req.rawHeaders[i + 1] as string;
      headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
      multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
    }
    const query: Record<string, string> = {};
    const multiQuery: Record<string, string[]> = {};
    for (const [key, value] of url.searchParams) {
      query[key] = value;
      multiQuery[key] = [...(multiQuery[key] ?? []), value];
    }
    const isBinary =
      rawBody.length > 0 &&
      !/^(application\/(json|.*\+json|x-www-form-urlencoded)|text\/)/i.test(
        header(headers, 'content-type') ?? 'application/json',
      );
    const methodArn = `arn:aws:execute-api:us-east-1:123456789012:${this.options.api.apiId}/${this.options.api.stageName}/${method}${route.resourcePath.replace(/\{[^}]+\}/g, '*')}`;
    const requestContext: Record<string, unknown> = {
      accountId: '123456789012',
      apiId: this.options.api.apiId,
      stage: this.options.api.stageName,
      requestId,
      extendedRequestId: requestId,
      httpMethod: method,
      resourcePath: route.resourcePath,
      resourceId: route.resourcePath,
      path: `/${this.options.api.stageName}${url.pathname}`,
      protocol: `HTTP/${req.httpVersion}`,
      requestTime: new Date().toUTCString(),
      requestTimeEpoch: Date.now(),
      domainName: header(headers, 'host') ?? '127.0.0.1',
      identity: {
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: header(headers, 'user-agent') ?? null,
      },
    };
    const event: Record<string, unknown> = {
      resource: route.resourcePath,
      path: url.pathname,
      httpMethod: method,
      headers,
      multiValueHeaders,
      queryStringParameters: Object.keys(query).length ? query : null,
      multiValueQueryStringParameters: Object.keys(multiQuery).length ? multiQuery : null,
      pathParameters: Object.keys(pathParameters).length ? pathParameters : null,
      stageVariables: null,
      requestContext,
      body: rawBody.length ? rawBody.toString(isBinary ? 'base64' : 'utf8') : null,
      isBase64Encoded: isBinary,
    };

    if (route.authorizer) {
      const outcome = await this.authorize(route.authorizer, event, methodArn);
      if (outcome.kind !== 'allow') return this.gatewayResponse(res, outcome.kind, requestId);
      requestContext.authorizer = outcome.context;
    }

    const invoked = await this.options.runtime.invoke(route.integration.functionArn, event);
    if (!invoked.ok) {
      this.options.log(
        `${method} ${url.pathname}: ${invoked.error.errorType}: ${invoked.error.errorMessage}`,
      );
      return this.gatewayResponse(res, 'INTEGRATION_FAILURE', requestId, 'Internal server error', 502);
    }
    const result = invoked.result as {
      statusCode?: number;
      headers?: Record<string, string | number | boolean>;
      multiValueHeaders?: Record<string, (string | number | boolean)[]>;
      body?: string;
      isBase64Encoded?: boolean;
    } | null;
    if (!result || typeof result !== 'object' || typeof result.statusCode !== 'number') {
      this.options.log(`${method} ${url.pathname}: malformed Lambda proxy response`);
      return this.gatewayResponse(res, 'INTEGRATION_FAILURE', requestId, 'Internal server error', 502);
    }
    const outHeaders: Record<string, string | string[]> = { 'x-amzn-requestid': requestId };
    for (const [k, v] of Object.entries(result.multiValueHeaders ?? {}))
      outHeaders[k.toLowerCase()] = v.map(String);
    for (const [k, v] of Object.entries(result.headers ?? {})) outHeaders[k.toLowerCase()] = String(v);
    let body =
      result.body === undefined
        ? ''
        : result.isBase64Encoded
          ? Buffer.from(result.body, 'base64')
          : result.body;
    if (this.options.decorate && typeof body === 'string')
      body = await this.options.decorate(route, result.statusCode, body);
    res.writeHead(result.statusCode, outHeaders);
    res.end(body);
  }

  private match(
    method: string,
    path: string,
  ): { route: Route; pathParameters: Record<string, string> } | undefined {
    const segments = path.split('/').filter(Boolean);
    let best: { route: Route; pathParameters: Record<string, string>; score: number } | undefined;
    for (const route of this.options.api.routes) {
      if (route.method !== method && route.method !== 'ANY') continue;
      const pattern = route.resourcePath.split('/').filter(Boolean);
      const params: Record<string, string> = {};
      let score = 0;
      let ok = true;
      for (let i = 0; i < pattern.length; i++) {
        const part = pattern[i] as string;
        const greedy = /^\{(.+)\+\}$/.exec(part);
        if (greedy) {
          if (i >= segments.length) ok = false;
          else params[greedy[1] as string] = segments.slice(i).map(decodeURIComponent).join('/');
          score -= 1000;
          break;
        }
        const segment = segments[i];
        if (segment === undefined) {
          ok = false;
          break;
        }
        const param = /^\{(.+)\}$/.exec(part);
        if (param) params[param[1] as string] = decodeURIComponent(segment);
        else if (part === segment) score += 10;
        else {
          ok = false;
          break;
        }
        if (i === pattern.length - 1 && segments.length !== pattern.length) ok = false;
      }
      if (pattern.length === 0 && segments.length !== 0) ok = false;
      if (!ok) continue;
      if (route.method === method) score += 1;
      if (!best || score > best.score) best = { route, pathParameters: params, score };
    }
    return best;
  }

  private async authorize(
    authorizer: AuthorizerDefinition,
    event: Record<string, unknown>,
    methodArn: string,
  ): Promise<
    | { kind: 'allow'; context: Record<string, unknown> }
    | { kind: 'UNAUTHORIZED' | 'ACCESS_DENIED' | 'AUTHORIZER_FAILURE' }
  > {
    const headers = event.headers as Record<string, string>;
    const query = (event.queryStringParameters ?? {}) as Record<string, string>;
    const identities: string[] = [];
    for (const source of authorizer.identitySources) {
      const headerName = /^method\.request\.header\.(.+)$/.exec(source)?.[1];
      const queryName = /^method\.request\.querystring\.(.+)$/.exec(source)?.[1];
      const value = headerName ? header(headers, headerName) : queryName ? query[queryName] : undefined;
      // A missing identity source never reaches the authorizer: API Gateway answers 401 itself.
      if (value === undefined || value === '') return { kind: 'UNAUTHORIZED' };
      identities.push(value);
    }
    let authEvent: Record<string, unknown>;
    if (authorizer.type === 'TOKEN') {
      const token = identities[0] ?? '';
      if (
        authorizer.validationExpression &&
        !new RegExp(`^${authorizer.validationExpression}$`).test(token)
      ) {
        return { kind: 'UNAUTHORIZED' };
      }
      authEvent = { type: 'TOKEN', authorizationToken: token, methodArn };
    } else {
      authEvent = { ...event, type: 'REQUEST', methodArn, body: undefined, isBase64Encoded: undefined };
    }
    const invoked = await this.options.runtime.invoke(authorizer.functionArn, authEvent);
    if (!invoked.ok) {
      if (invoked.error.errorMessage === 'Unauthorized') return { kind: 'UNAUTHORIZED' };
      this.options.log(
        `authorizer ${authorizer.name}: ${invoked.error.errorType}: ${invoked.error.errorMessage}`,
      );
      return { kind: 'AUTHORIZER_FAILURE' };
    }
    const result = invoked.result as {
      principalId?: string;
      policyDocument?: {
        Statement?: { Effect: string; Action: string | string[]; Resource: string | string[] }[];
      };
      context?: Record<string, unknown>;
    };
    if (!result?.policyDocument?.Statement) return { kind: 'AUTHORIZER_FAILURE' };
    let allowed = false;
    for (const statement of result.policyDocument.Statement) {
      const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
      if (!resources.some((r) => arnMatches(r, methodArn))) continue;
      if (statement.Effect === 'Deny') return { kind: 'ACCESS_DENIED' };
      if (statement.Effect === 'Allow') allowed = true;
    }
    if (!allowed) return { kind: 'ACCESS_DENIED' };
    // API Gateway passes context values on as strings, numbers or booleans only.
    const context: Record<string, unknown> = { principalId: result.principalId };
    for (const [k, v] of Object.entries(result.context ?? {})) {
      if (['string', 'number', 'boolean'].includes(typeof v)) context[k] = v;
    }
    return { kind: 'allow', context };
  }

  private gatewayResponse(
    res: ServerResponse,
    type: string,
    requestId: string,
    text?: string,
    status?: number,
  ): void {
    const family = (status ?? DEFAULT_STATUS[type] ?? 500) >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
    const configured = this.options.api.gatewayResponses[type] ?? this.options.api.gatewayResponses[family];
    const statusCode =
      this.options.api.gatewayResponses[type]?.statusCode ?? status ?? DEFAULT_STATUS[type] ?? 500;
    const message = text ?? DEFAULT_MESSAGE[type] ?? 'Error';
    const substitute = (value: string) =>
      value
        .replaceAll('$context.error.messageString', JSON.stringify(message))
        .replaceAll('$context.error.message', message)
        .replaceAll('$context.error.responseType', type)
        .replaceAll('$context.requestId', requestId)
        .replaceAll('$context.extendedRequestId', requestId);
    const headers: Record<string, string> = { 'x-amzn-requestid': requestId, 'x-amzn-errortype': type };
    // Header names are case-insensitive; the template's spelling must not add a second content-type.
    for (const [name, value] of Object.entries(configured?.headers ?? {})) {
      headers[name.toLowerCase()] = substitute(value);
    }
    const body =
      configured?.template === undefined ? JSON.stringify({ message }) : substitute(configured.template);
    headers['content-type'] ??= 'application/json';
    res.writeHead(statusCode, headers);
    res.end(body);
  }
}

function header(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** IAM-style wildcard match of an execute-api ARN. */
function arnMatches(pattern: string, arn: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*')}$`,
  );
  return regex.test(arn);
}
