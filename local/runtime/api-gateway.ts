/**
 * Plays API Gateway (REST API, v1): routes from the template's resources and methods, Lambda
 * proxy events, TOKEN and REQUEST Lambda authorizers (policies evaluated against the request's
 * method ARN, results cached by their TTL), MOCK integrations (CORS preflight), the template's
 * gateway responses, the checks API Gateway makes before routing (request head quota,
 * percent-encoding, path segments), and the integration timeout and proxy result checks after.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { Duplex } from 'node:stream';
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
  /** AuthorizerResultTtlInSeconds; API Gateway's default when the template sets none is 300. */
  resultTtlSeconds?: number;
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
  /** The RestApi's BinaryMediaTypes (e.g. `image/*`): request bodies of these types reach functions base64-encoded. */
  binaryMediaTypes?: string[];
}

/** API Gateway's own payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** The region and account of every ARN the local cloud makes (moto's default account). */
const REGION = 'us-east-1';
const ACCOUNT_ID = '123456789012';

/** REST API quotas: the integration timeout is 50 ms to 29 s, 29 s unless lowered. */
export const DEFAULT_INTEGRATION_TIMEOUT_MS = 29_000;

/** Authorizer result TTL when the template sets none, and its ceiling (API reference, "Authorizer"). */
const DEFAULT_AUTHORIZER_TTL_SECONDS = 300;
const MAX_AUTHORIZER_TTL_SECONDS = 3600;
/** Distinct cached identities kept; the oldest go first. */
const MAX_CACHED_AUTHORIZATIONS = 10_000;

/** API Gateway's limit on the request line plus all header values (REST API quotas). */
export const MAX_REQUEST_HEAD_BYTES = 10_240;

/**
 * Node's own parser limit (16 KB by default), set well above API Gateway's so that the gateway,
 * not Node, answers most oversized requests; beyond it the `clientError` handler answers.
 */
const NODE_MAX_HEADER_BYTES = 64 * 1024;

/**
 * Rejections API Gateway has no gateway response type for. The template does not list them, so
 * they are answered with DEFAULT_4XX's headers and body, under their own status.
 */
export const HEADERS_TOO_LARGE = 'REQUEST_HEADER_FIELDS_TOO_LARGE';
const REQUEST_TIMEOUT = 'REQUEST_TIMEOUT';

const DEFAULT_STATUS: Record<string, number> = {
  DEFAULT_4XX: 400,
  DEFAULT_5XX: 500,
  [HEADERS_TOO_LARGE]: 431,
  [REQUEST_TIMEOUT]: 408,
  UNAUTHORIZED: 401,
  ACCESS_DENIED: 403,
  MISSING_AUTHENTICATION_TOKEN: 403,
  AUTHORIZER_FAILURE: 500,
  AUTHORIZER_CONFIGURATION_ERROR: 500,
  REQUEST_TOO_LARGE: 413,
  BAD_REQUEST_BODY: 400,
  INTEGRATION_FAILURE: 502,
  INTEGRATION_TIMEOUT: 504,
};

const DEFAULT_MESSAGE: Record<string, string> = {
  UNAUTHORIZED: 'Unauthorized',
  ACCESS_DENIED: 'User is not authorized to access this resource',
  MISSING_AUTHENTICATION_TOKEN: 'Missing Authentication Token',
  AUTHORIZER_FAILURE: 'Internal server error',
  AUTHORIZER_CONFIGURATION_ERROR: 'Internal server error',
  REQUEST_TOO_LARGE: 'Request Too Long',
  INTEGRATION_FAILURE: 'Internal server error',
  INTEGRATION_TIMEOUT: 'Endpoint request timed out',
  [HEADERS_TOO_LARGE]: `The request line and headers exceed ${MAX_REQUEST_HEAD_BYTES} bytes.`,
  [REQUEST_TIMEOUT]: 'The request was not received in time.',
};

export interface GatewayOptions {
  port: number;
  api: ApiDefinition;
  runtime: LambdaRuntime;
  log: (line: string) => void;
  /** Lets the local cloud add its own parts to the /health answer. */
  decorate?: (route: Route, status: number, body: string) => Promise<string>;
  /** How long the gateway waits for a Lambda integration before answering 504. Default 29,000 ms. */
  integrationTimeoutMs?: number;
}

/** An authorizer's answer, kept for its TTL and evaluated again for every method ARN it meets. */
interface AuthorizerDecision {
  principalId: unknown;
  statements: PolicyStatement[];
  /** Already stringified, as the integration receives it. */
  context: Record<string, string>;
}

interface PolicyStatement {
  effect: 'Allow' | 'Deny';
  actions: string[];
  resources: string[];
}

type AuthorizeOutcome =
  | { kind: 'allow'; context: Record<string, unknown> }
  | { kind: 'UNAUTHORIZED' | 'ACCESS_DENIED' | 'AUTHORIZER_FAILURE' | 'AUTHORIZER_CONFIGURATION_ERROR' };

interface RequestIds {
  requestId: string;
  extendedRequestId: string;
}

export class ApiGateway {
  private server?: Server;
  private readonly rejected = new WeakSet<Duplex>();
  private readonly inFlight = new WeakMap<Duplex, ServerResponse>();
  private readonly authorizations = new Map<string, { decision: AuthorizerDecision; expiresAt: number }>();
  private readonly deploymentId = randomBytes(3).toString('hex');
  requests = 0;

  constructor(private readonly options: GatewayOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  async start(): Promise<void> {
    // A missing Host header is answered by the gateway (as problem+json), not by Node's bare 400.
    this.server = createServer(
      { maxHeaderSize: NODE_MAX_HEADER_BYTES, requireHostHeader: false },
      (req, res) => {
        this.inFlight.set(req.socket, res);
        res.once('close', () => {
          if (this.inFlight.get(req.socket) === res) this.inFlight.delete(req.socket);
        });
        this.handle(req, res).catch((error: unknown) => {
          // The client went away mid-request: nobody to answer, and the socket must not linger.
          if (req.destroyed || (error as NodeJS.ErrnoException).code === 'ECONNRESET') {
            req.socket.destroy();
            return;
          }
          this.options.log(`gateway error: ${error instanceof Error ? error.stack : String(error)}`);
          if (!res.headersSent)
            this.gatewayResponse(res, 'DEFAULT_5XX', randomUUID(), 'Internal server error', 500);
        });
      },
    );
    this.server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) =>
      this.clientError(error, socket),
    );
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

  /**
   * Node's parser gave up on the request (head over its limit, malformed syntax, timeout): there is
   * no request object, so the gateway response is written to the socket itself.
   */
  private clientError(error: NodeJS.ErrnoException, socket: Duplex): void {
    // The parser reports again for every later chunk of a request it has already rejected.
    if (this.rejected.has(socket)) return;
    this.rejected.add(socket);
    if (error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    // Bytes after a request on the same connection (a body sent without framing, say): the
    // answer already under way is the only one, and the connection closes once it is out.
    const pending = this.inFlight.get(socket);
    if (pending && !pending.writableFinished) {
      // A body the parser cannot frame (bad chunking): the request it belongs to gets the 400.
      if (!pending.headersSent) {
        this.gatewayResponse(pending, 'DEFAULT_4XX', randomUUID(), 'The request body is not valid HTTP.');
      }
      pending.once('finish', () => socket.end());
      return;
    }
    if (!socket.writable) return;
    const requestId = randomUUID();
    const rendered =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? this.render(HEADERS_TOO_LARGE, requestId)
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? this.render(REQUEST_TIMEOUT, requestId)
          : this.render('DEFAULT_4XX', requestId, 'The request is not valid HTTP.');
    this.options.log(
      `request rejected by the HTTP parser (${error.code ?? error.message}): ${rendered.statusCode}`,
    );
    socket.end(serializeResponse(rendered));
    // A client that keeps its end open after the answer is not waited for.
    setTimeout(() => socket.destroy(), 1000).unref();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests++;
    const requestId = randomUUID();
    const ids: RequestIds = { requestId, extendedRequestId: extendedRequestIdOf() };
    const method = (req.method ?? 'GET').toUpperCase();

    const requestLine = `${req.method ?? ''} ${req.url ?? ''} HTTP/${req.httpVersion}`;
    if (requestHeadBytes(requestLine, req.rawHeaders) > MAX_REQUEST_HEAD_BYTES)
      return this.gatewayResponse(res, HEADERS_TOO_LARGE, ids);
    if (req.httpVersion === '1.1' && req.headers.host === undefined)
      return this.gatewayResponse(res, 'DEFAULT_4XX', ids, 'An HTTP/1.1 request needs a Host header.');
    const parsed = parseRequestTarget(req.url ?? '/');
    if (!parsed.ok) return this.gatewayResponse(res, 'DEFAULT_4XX', ids, parsed.reason);
    const target = parsed.target;

    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return this.gatewayResponse(res, 'REQUEST_TOO_LARGE', ids);
      chunks.push(chunk);
    }
    const rawBody = Buffer.concat(chunks);

    const match = matchRoute(this.options.api.routes, method, target.segments);
    if (!match) return this.gatewayResponse(res, 'MISSING_AUTHENTICATION_TOKEN', ids);
    const { route } = match;

    if (route.integration.type === 'mock') {
      // Mapped values are literals or context variables, as in gateway responses.
      const headers = Object.fromEntries(
        Object.entries(route.integration.headers).map(([name, value]) => [
          name,
          value.replaceAll('$context.requestId', requestId),
        ]),
      );
      res.writeHead(route.integration.statusCode, { ...headers, 'x-amzn-requestid': requestId });
      res.end();
      return;
    }

    // One entry per header name (names are case-insensitive; the first spelling names it): the
    // single-value map keeps the last value sent, as API Gateway's does. Names and query keys are
    // the client's: maps without a prototype, so `__proto__` or `constructor` are plain keys.
    const headers: Record<string, string> = Object.create(null);
    const multiValueHeaders: Record<string, string[]> = Object.create(null);
    const spelling = new Map<string, string>();
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const sent = req.rawHeaders[i] as string;
      const value = req.rawHeaders[i + 1] as string;
      const name = spelling.get(sent.toLowerCase()) ?? sent;
      spelling.set(sent.toLowerCase(), name);
      headers[name] = value;
      multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
    }
    const query: Record<string, string> = Object.create(null);
    const multiQuery: Record<string, string[]> = Object.create(null);
    for (const [key, value] of target.query) {
      query[key] = value;
      multiQuery[key] = [...(multiQuery[key] ?? []), value];
    }
    // Without binary media types every body is text; with them, a matching Content-Type (none
    // reads as application/json) makes the body base64.
    const isBinary =
      rawBody.length > 0 &&
      matchesMediaType(
        header(headers, 'content-type') ?? 'application/json',
        this.options.api.binaryMediaTypes,
      );
    // API Gateway REST passes path parameters as sent, percent-encoding kept.
    const pathParameters = rawPathParameters(route.resourcePath, target.segments);
    const { apiId, stageName } = this.options.api;
    const methodArn = `arn:aws:execute-api:${REGION}:${ACCOUNT_ID}:${apiId}/${stageName}/${method}${target.path}`;
    const now = new Date();
    const domainName = header(headers, 'host') ?? '127.0.0.1';
    const requestContext: Record<string, unknown> = {
      accountId: ACCOUNT_ID,
      apiId,
      deploymentId: this.deploymentId,
      domainName,
      domainPrefix: domainName.replace(/:\d+$/, '').split('.')[0],
      extendedRequestId: ids.extendedRequestId,
      httpMethod: method,
      identity: {
        accessKey: null,
        accountId: null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        user: null,
        userAgent: header(headers, 'user-agent') ?? null,
        userArn: null,
      },
      // As sent, extra slashes included (the event's `path` below has them collapsed).
      path: `/${stageName}${target.rawPath}`,
      protocol: `HTTP/${req.httpVersion}`,
      requestId,
      requestTime: requestTimeOf(now),
      requestTimeEpoch: now.getTime(),
      resourceId: resourceIdOf(apiId, route.resourcePath),
      resourcePath: route.resourcePath,
      stage: stageName,
    };
    const event: Record<string, unknown> = {
      resource: route.resourcePath,
      path: target.path,
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
      if (outcome.kind !== 'allow') return this.gatewayResponse(res, outcome.kind, ids);
      requestContext.authorizer = outcome.context;
    }

    const invoked = await this.invokeWithin(route.integration.functionArn, event);
    if (invoked === 'timeout') {
      this.options.log(`${method} ${target.path}: no answer within the integration timeout`);
      return this.gatewayResponse(res, 'INTEGRATION_TIMEOUT', ids);
    }
    if (!invoked.ok) {
      this.options.log(`${method} ${target.path}: ${invoked.error.errorType}: ${invoked.error.errorMessage}`);
      // A function that ran and failed (a Lambda timeout included) is a 502; an Invoke the Lambda
      // API refused (throttled, say) is a 500.
      const status = invoked.kind === 'service' ? 500 : 502;
      return this.gatewayResponse(res, 'INTEGRATION_FAILURE', ids, 'Internal server error', status);
    }
    const result = proxyResultOf(invoked.result);
    if (!result) {
      this.options.log(`${method} ${target.path}: malformed Lambda proxy response`);
      return this.gatewayResponse(res, 'INTEGRATION_FAILURE', ids, 'Internal server error', 502);
    }
    let body = result.body;
    if (this.options.decorate && typeof body === 'string')
      body = await this.options.decorate(route, result.statusCode, body);
    res.writeHead(result.statusCode, { 'x-amzn-requestid': requestId, ...result.headers });
    res.end(body);
  }

  /** The integration's answer, or 'timeout' once the integration timeout passes (the function runs on). */
  private async invokeWithin(functionArn: string, event: unknown) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(
        () => resolve('timeout'),
        this.options.integrationTimeoutMs ?? DEFAULT_INTEGRATION_TIMEOUT_MS,
      );
    });
    try {
      return await Promise.race([this.options.runtime.invoke(functionArn, event), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async authorize(
    authorizer: AuthorizerDefinition,
    event: Record<string, unknown>,
    methodArn: string,
  ): Promise<AuthorizeOutcome> {
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
    const token = identities[0] ?? '';
    if (
      authorizer.type === 'TOKEN' &&
      authorizer.validationExpression &&
      !new RegExp(`^${authorizer.validationExpression}$`).test(token)
    ) {
      return { kind: 'UNAUTHORIZED' };
    }

    // The identity sources are the cache key; with none (or TTL 0) every request is authorized anew.
    const ttl = Math.min(
      authorizer.resultTtlSeconds ?? DEFAULT_AUTHORIZER_TTL_SECONDS,
      MAX_AUTHORIZER_TTL_SECONDS,
    );
    const cacheKey =
      ttl > 0 && identities.length > 0
        ? JSON.stringify([authorizer.name, authorizer.functionArn, ...identities])
        : undefined;
    let decision = cacheKey === undefined ? undefined : this.cachedDecision(cacheKey);
    let latency = 0;
    if (!decision) {
      const authEvent =
        authorizer.type === 'TOKEN'
          ? { type: 'TOKEN', authorizationToken: token, methodArn }
          : { ...event, type: 'REQUEST', methodArn, body: undefined, isBase64Encoded: undefined };
      const started = Date.now();
      const invoked = await this.options.runtime.invoke(authorizer.functionArn, authEvent);
      latency = Date.now() - started;
      if (!invoked.ok) {
        if (invoked.error.errorMessage === 'Unauthorized') return { kind: 'UNAUTHORIZED' };
        this.options.log(
          `authorizer ${authorizer.name}: ${invoked.error.errorType}: ${invoked.error.errorMessage}`,
        );
        return { kind: 'AUTHORIZER_FAILURE' };
      }
      const read = authorizerDecisionOf(invoked.result);
      if (typeof read === 'string') {
        this.options.log(`authorizer ${authorizer.name}: ${read}`);
        return { kind: 'AUTHORIZER_CONFIGURATION_ERROR' };
      }
      decision = read;
      if (cacheKey !== undefined) this.cacheDecision(cacheKey, decision, ttl);
    }
    if (evaluatePolicy(decision.statements, methodArn) !== 'Allow') return { kind: 'ACCESS_DENIED' };
    return {
      kind: 'allow',
      context: { ...decision.context, principalId: decision.principalId, integrationLatency: latency },
    };
  }

  private cachedDecision(key: string): AuthorizerDecision | undefined {
    const cached = this.authorizations.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.decision;
    this.authorizations.delete(key);
    return undefined;
  }

  private cacheDecision(key: string, decision: AuthorizerDecision, ttlSeconds: number): void {
    this.authorizations.delete(key);
    if (this.authorizations.size >= MAX_CACHED_AUTHORIZATIONS) {
      const oldest = this.authorizations.keys().next().value;
      if (oldest !== undefined) this.authorizations.delete(oldest);
    }
    this.authorizations.set(key, { decision, expiresAt: Date.now() + ttlSeconds * 1000 });
  }

  private gatewayResponse(
    res: ServerResponse,
    type: string,
    ids: RequestIds | string,
    text?: string,
    status?: number,
  ): void {
    const { statusCode, headers, body } = this.render(type, ids, text, status);
    res.writeHead(statusCode, headers);
    res.end(body);
  }

  private render(type: string, ids: RequestIds | string, text?: string, status?: number): RenderedResponse {
    const { requestId, extendedRequestId } =
      typeof ids === 'string' ? { requestId: ids, extendedRequestId: ids } : ids;
    return renderGatewayResponse(
      this.options.api.gatewayResponses,
      type,
      requestId,
      text,
      status,
      extendedRequestId,
    );
  }
}

export interface RenderedResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** A gateway response of `type` as the template configures it, falling back to DEFAULT_4XX/5XX. */
export function renderGatewayResponse(
  responses: Record<string, GatewayResponse>,
  type: string,
  requestId: string,
  text?: string,
  status?: number,
  extendedRequestId = requestId,
): RenderedResponse {
  const family = (status ?? DEFAULT_STATUS[type] ?? 500) >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
  const own = responses[type];
  const configured = own ?? responses[family];
  const statusCode = own?.statusCode ?? status ?? DEFAULT_STATUS[type] ?? 500;
  const message = text ?? DEFAULT_MESSAGE[type] ?? 'Error';
  const substitute = (value: string) =>
    value
      .replaceAll('$context.error.messageString', JSON.stringify(message))
      .replaceAll('$context.error.message', message)
      .replaceAll('$context.error.responseType', type)
      .replaceAll('$context.requestId', requestId)
      .replaceAll('$context.extendedRequestId', extendedRequestId);
  const headers: Record<string, string> = { 'x-amzn-requestid': requestId, 'x-amzn-errortype': type };
  // Header names are case-insensitive; the template's spelling must not add a second content-type.
  for (const [name, value] of Object.entries(configured?.headers ?? {})) {
    headers[name.toLowerCase()] = substitute(value);
  }
  let body =
    configured?.template === undefined ? JSON.stringify({ message }) : substitute(configured.template);
  // A borrowed fallback body must not contradict the status line it is sent under.
  if (!own && configured?.statusCode !== undefined && configured.statusCode !== statusCode)
    body = restateStatus(body, statusCode);
  headers['content-type'] ??= 'application/json';
  return { statusCode, headers, body };
}

/** Puts `status` (and its reason phrase as `title`) into a problem+json body; other bodies pass. */
function restateStatus(body: string, status: number): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (!parsed || typeof parsed !== 'object' || !('status' in parsed)) return body;
    return JSON.stringify({ ...parsed, title: STATUS_CODES[status] ?? 'Error', status });
  } catch {
    return body;
  }
}

/** The raw HTTP/1.1 answer for a socket that has no response object; the connection closes after it. */
function serializeResponse({ statusCode, headers, body }: RenderedResponse): string {
  const lines = [`HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode] ?? ''}`];
  const all = { ...headers, 'content-length': String(Buffer.byteLength(body)), connection: 'close' };
  for (const [name, value] of Object.entries(all)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** Bytes of the request line plus every header value: what API Gateway's head quota counts. */
export function requestHeadBytes(requestLine: string, rawHeaders: readonly string[]): number {
  let bytes = Buffer.byteLength(requestLine, 'latin1');
  // Node decodes the head as latin1: one character per byte on the wire.
  for (let i = 1; i < rawHeaders.length; i += 2) bytes += Buffer.byteLength(rawHeaders[i] ?? '', 'latin1');
  return bytes;
}

export interface RequestTarget {
  /** The path exactly as sent. */
  rawPath: string;
  /** Leading slashes collapsed to one, otherwise as sent (percent-encoding kept). */
  path: string;
  /** Still percent-encoded segments of `path`; one trailing slash is not a segment. */
  segments: string[];
  /** Decoded query string pairs, in order (`+` reads as a space). */
  query: [string, string][];
}

/**
 * Reads a request target the way API Gateway does, without resolving it as a URL
 * (`new URL('//admin/products', base)` would read `admin` as a host). Percent-encoding that does
 * not decode to UTF-8 (a lone or truncated escape, overlong forms such as `%C0%AE`, surrogates),
 * in the path or in the query string, is refused before anything is routed.
 *
 * Extra leading slashes are collapsed: API Gateway routes `/{stage}//orders` to `/orders`, with
 * `path` `/orders` and `requestContext.path` `/{stage}//orders`, and routes a trailing slash to
 * the same resource (recorded against AWS in LocalStack's `test_lambda_aws_proxy_integration`
 * snapshot). Every other empty segment is kept, for `matchRoute` to refuse.
 */
export function parseRequestTarget(
  requestTarget: string,
): { ok: true; target: RequestTarget } | { ok: false; reason: string } {
  let rest = requestTarget;
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  // Absolute form (`GET http://host/path`), as proxies send it: only the path and query count.
  const authority = /^[a-z][a-z\d+.-]*:\/\/[^/?]*/i.exec(rest);
  if (authority) {
    rest = rest.slice(authority[0].length);
    if (!rest.startsWith('/')) rest = `/${rest}`;
  }
  const mark = rest.indexOf('?');
  const rawPath = mark >= 0 ? rest.slice(0, mark) : rest;
  const rawQuery = mark >= 0 ? rest.slice(mark + 1) : '';
  if (!rawPath.startsWith('/')) return { ok: false, reason: 'The request target is not a path.' };
  if (decoded(rawPath) === undefined)
    return { ok: false, reason: 'The request path is not valid percent-encoded UTF-8.' };
  if (decoded(rawQuery) === undefined)
    return { ok: false, reason: 'The query string is not valid percent-encoded UTF-8.' };

  const path = `/${rawPath.replace(/^\/+/, '')}`;
  const inner = path.endsWith('/') ? path.slice(1, -1) : path.slice(1);
  const segments = inner === '' ? [] : inner.split('/');
  // Once every escape is known to decode, URLSearchParams decodes the same way.
  const query = [...new URLSearchParams(rawQuery)];
  return { ok: true, target: { rawPath, path, segments, query } };
}

export interface RouteMatch {
  route: Route;
  /** Decoded; the proxy event carries them as sent instead (see rawPathParameters). */
  pathParameters: Record<string, string>;
}

/**
 * The route for `method` and the still-encoded path `segments`: static parts beat `{param}`s,
 * which beat `{greedy+}`, and an exact method beats ANY.
 *
 * API Gateway's documentation is silent on empty segments outside a greedy tail and on dot
 * segments, so both read as "no route matches": `/admin//products` and `/products//` match
 * nothing, and `.` or `..`, encoded or not, is never resolved (`/products/../admin/products` is
 * not `/admin/products`). Inside a `{greedy+}` tail an empty segment is kept, as API Gateway
 * keeps `a//b` in `{proxy+}`.
 */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  segments: readonly string[],
): RouteMatch | undefined {
  const values: string[] = [];
  for (const segment of segments) {
    const value = decoded(segment);
    if (value === undefined || value === '.' || value === '..') return undefined;
    values.push(value);
  }
  let best: (RouteMatch & { score: number }) | undefined;
  for (const route of routes) {
    if (route.method !== method && route.method !== 'ANY') continue;
    const pattern = route.resourcePath.split('/').filter(Boolean);
    const params: Record<string, string> = {};
    let score = 0;
    let ok = true;
    for (let i = 0; i < pattern.length; i++) {
      const part = pattern[i] as string;
      const greedy = /^\{(.+)\+\}$/.exec(part);
      if (greedy) {
        const tail = values.slice(i).join('/');
        if (tail === '') ok = false;
        else params[greedy[1] as string] = tail;
        score -= 1000;
        break;
      }
      const segment = segments[i];
      if (segment === undefined || segment === '') {
        ok = false;
        break;
      }
      const param = /^\{(.+)\}$/.exec(part);
      if (param) params[param[1] as string] = values[i] as string;
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
  return best && { route: best.route, pathParameters: best.pathParameters };
}

function decoded(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

function header(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** IAM's wildcards: `*` any run of characters (`/` and `:` included), `?` any one character. */
function wildcardMatches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = [...pattern]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

/**
 * How a Lambda authorizer's policy decides a method ARN: a matching Deny wins, else a matching
 * Allow allows, else nothing does (ACCESS_DENIED). Actions compare case-insensitively, resources
 * exactly, both with IAM wildcards.
 */
function evaluatePolicy(
  statements: readonly PolicyStatement[],
  methodArn: string,
): 'Allow' | 'Deny' | undefined {
  let allowed = false;
  for (const statement of statements) {
    if (!statement.actions.some((action) => wildcardMatches(action, 'execute-api:Invoke', true))) continue;
    if (!statement.resources.some((resource) => wildcardMatches(resource, methodArn, false))) continue;
    if (statement.effect === 'Deny') return 'Deny';
    allowed = true;
  }
  return allowed ? 'Allow' : undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const stringList = (value: unknown): string[] | undefined =>
  typeof value === 'string'
    ? [value]
    : Array.isArray(value) && value.every((v) => typeof v === 'string')
      ? value
      : undefined;

/**
 * A Lambda authorizer's output as API Gateway reads it, or why it cannot be used (API Gateway's
 * AUTHORIZER_CONFIGURATION_ERROR): a policy document whose statements name an Effect, Actions and
 * Resources, and a context whose values are strings, numbers or booleans, passed on as strings.
 */
function authorizerDecisionOf(result: unknown): AuthorizerDecision | string {
  if (!isRecord(result) || !isRecord(result.policyDocument))
    return 'the authorizer returned no policy document';
  const raw = result.policyDocument.Statement;
  if (raw === undefined || raw === null) return 'the policy document has no Statement';
  const statements: PolicyStatement[] = [];
  for (const statement of Array.isArray(raw) ? raw : [raw]) {
    if (!isRecord(statement)) return 'a policy statement is not an object';
    const { Effect } = statement;
    const actions = stringList(statement.Action);
    const resources = stringList(statement.Resource);
    if ((Effect !== 'Allow' && Effect !== 'Deny') || !actions || !resources)
      return 'a policy statement needs Effect (Allow or Deny), Action and Resource';
    statements.push({ effect: Effect, actions, resources });
  }
  const context: Record<string, string> = {};
  const given = result.context ?? {};
  if (!isRecord(given)) return 'the context is not an object';
  for (const [key, value] of Object.entries(given)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
      return `context value ${key} is not a string, number or boolean`;
    context[key] = String(value);
  }
  return { principalId: result.principalId, statements, context };
}

interface ProxyResult {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: string | Buffer;
}

const PROXY_RESULT_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

const headerValue = (value: unknown): string | undefined =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;

/**
 * A Lambda proxy result as API Gateway accepts it, or undefined for a malformed one (a 502): an
 * object with only the documented keys, statusCode a status number or numeric string (200 when
 * absent), header values scalars, multiValueHeaders lists, body a string. Where headers and
 * multiValueHeaders both name a header, the multiValueHeaders values are the ones sent.
 */
function proxyResultOf(result: unknown): ProxyResult | undefined {
  if (!isRecord(result) || Object.keys(result).some((key) => !PROXY_RESULT_KEYS.has(key))) return undefined;
  const { statusCode = 200, headers, multiValueHeaders, body, isBase64Encoded } = result;
  const status = typeof statusCode === 'string' && /^\d+$/.test(statusCode) ? Number(statusCode) : statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599)
    return undefined;
  const out: Record<string, string | string[]> = {};
  if (headers !== undefined && headers !== null) {
    if (!isRecord(headers)) return undefined;
    for (const [name, value] of Object.entries(headers)) {
      if (value === null) continue;
      const text = headerValue(value);
      if (text === undefined) return undefined;
      out[name.toLowerCase()] = text;
    }
  }
  if (multiValueHeaders !== undefined && multiValueHeaders !== null) {
    if (!isRecord(multiValueHeaders)) return undefined;
    for (const [name, values] of Object.entries(multiValueHeaders)) {
      if (values === null) continue;
      if (!Array.isArray(values)) return undefined;
      const texts = values.map(headerValue);
      if (texts.some((t) => t === undefined)) return undefined;
      out[name.toLowerCase()] = texts as string[];
    }
  }
  if (body !== undefined && body !== null && typeof body !== 'string') return undefined;
  if (isBase64Encoded !== undefined && isBase64Encoded !== null && typeof isBase64Encoded !== 'boolean')
    return undefined;
  const text = body ?? '';
  return { statusCode: status, headers: out, body: isBase64Encoded ? Buffer.from(text, 'base64') : text };
}

/** The route's path parameters from the still-encoded segments; a greedy one takes the rest of the path. */
function rawPathParameters(resourcePath: string, segments: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  const pattern = resourcePath.split('/').filter(Boolean);
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i] as string;
    const greedy = /^\{(.+)\+\}$/.exec(part);
    if (greedy) {
      params[greedy[1] as string] = segments.slice(i).join('/');
      break;
    }
    const param = /^\{(.+)\}$/.exec(part);
    if (param) params[param[1] as string] = segments[i] ?? '';
  }
  return params;
}

/** Whether a Content-Type is one of the binary media types (`*` a wildcard, as in `image/*` or `*\/*`). */
function matchesMediaType(contentType: string, binaryMediaTypes: readonly string[] = []): boolean {
  const type = (contentType.split(';')[0] ?? '').trim();
  return binaryMediaTypes.some((pattern) => wildcardMatches(pattern.trim(), type, true));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `$context.requestTime`, in the CLF form API Gateway uses: `09/Apr/2015:12:34:56 +0000`. */
function requestTimeOf(at: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(at.getUTCDate())}/${MONTHS[at.getUTCMonth()]}/${at.getUTCFullYear()}:${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())} +0000`;
}

/** A resource's id: opaque and stable, like the ids API Gateway gives resources (`6wpa7g`). */
function resourceIdOf(apiId: string, resourcePath: string): string {
  return createHash('sha1').update(`${apiId}${resourcePath}`).digest('hex').slice(0, 6);
}

/** `$context.extendedRequestId`: API Gateway's own id for the request, unlike requestId not a UUID. */
function extendedRequestIdOf(): string {
  return randomBytes(11).toString('base64');
}
