/**
 * The HTTP layer every API handler shares: a middy stack that gives each response an
 * `x-request-id`, a content type and its CORS headers, and turns every thrown error into a
 * problem+json response. Handlers stay thin: parse, validate, call the use case, return a `Reply`.
 */
import { randomUUID } from 'node:crypto';
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { corsHeaders, corsPolicy } from './cors.ts';
import { UnsupportedMediaTypeError, ValidationError } from './errors.ts';
import { withLogKeys } from './log-context.ts';
import { toProblem } from './problem.ts';
import { tracingMiddleware } from './tracer.ts';
import { LONE_SURROGATE } from './unicode.ts';

export const MAX_BODY_BYTES = 64 * 1024;

export interface Reply {
  status: number;
  /** Serialized as JSON; omitted for 204. */
  body?: unknown;
  headers?: Record<string, string>;
}

export function header(event: Pick<APIGatewayProxyEvent, 'headers'>, name: string): string | undefined {
  const headers = event.headers ?? {};
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

// Remembered per event so the response and the log line of one request carry the same id.
const requestIds = new WeakMap<object, string>();

/** The gateway's request id, else a caller-supplied one (bounded, printable), else a fresh one. */
export function requestIdOf(
  event: Partial<Pick<APIGatewayProxyEvent, 'headers' | 'requestContext'>>,
): string {
  const known = requestIds.get(event);
  if (known) return known;
  const fromHeader = event.headers ? header({ headers: event.headers }, 'x-request-id') : undefined;
  const id =
    event.requestContext?.requestId ||
    (fromHeader && /^[\w.:-]{1,128}$/.test(fromHeader) ? fromHeader : undefined) ||
    randomUUID();
  requestIds.set(event, id);
  return id;
}

/** `application/json`, or any `application/<type>+json`, with or without parameters. */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;.*)?$/i;

/**
 * The JSON body, or a 400 for a body that is too large or not JSON, or a 415 for a body sent as
 * another media type. Browsers send text/plain and form bodies cross-origin without a preflight;
 * taking JSON only means every cross-origin write passes the CORS check first.
 */
export function jsonBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded' | 'headers'>): unknown {
  if (event.body === null || event.body === undefined || event.body === '') {
    throw new ValidationError('A JSON request body is required.');
  }
  if (!JSON_MEDIA_TYPE.test(header(event, 'content-type') ?? '')) {
    throw new UnsupportedMediaTypeError('Send the body as JSON, with Content-Type: application/json.');
  }
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES) {
    throw new ValidationError(`The request body exceeds ${MAX_BODY_BYTES / 1024} KB.`);
  }
  let loneSurrogate = false;
  let parsed: unknown;
  try {
    // JSON escapes can spell lone UTF-16 surrogates (`"\ud800"`), which no store or index holds as
    // text: refused here, once, for every key and string of every body.
    parsed = JSON.parse(raw, (key, value: unknown) => {
      if (LONE_SURROGATE.test(key) || (typeof value === 'string' && LONE_SURROGATE.test(value))) {
        loneSurrogate = true;
      }
      return value;
    });
  } catch {
    throw new ValidationError('The request body is not valid JSON.');
  }
  if (loneSurrogate) {
    throw new ValidationError('The request body has a string that is not valid Unicode (a lone surrogate).');
  }
  return parsed;
}

/** Query string parameters with repeated keys joined by commas, so a list param reads one way. */
export function queryParams(
  event: Pick<APIGatewayProxyEvent, 'queryStringParameters' | 'multiValueQueryStringParameters'>,
): Record<string, string> {
  // Keys are the client's: no prototype, so `__proto__` is a key like any other.
  const out: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined) out[key] = value;
  }
  for (const [key, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
    if (values && values.length > 1) out[key] = values.join(',');
  }
  return out;
}

// Read once per cold start; a malformed value fails the init, naming the variable.
const cors = corsPolicy(process.env.CORS_ALLOW_ORIGINS);

function result(
  event: Pick<APIGatewayProxyEvent, 'headers'>,
  reply: Reply,
  requestId: string,
  contentType = 'application/json',
): APIGatewayProxyResult {
  const hasBody = reply.body !== undefined && reply.status !== 204;
  return {
    statusCode: reply.status,
    headers: {
      ...(hasBody ? { 'content-type': contentType } : {}),
      ...reply.headers,
      ...corsHeaders(cors, header(event, 'origin')),
      'x-request-id': requestId,
    },
    body: hasBody ? JSON.stringify(reply.body) : '',
  };
}

/** The logger is loaded on the first unexpected error: a request that succeeds never pays for it. */
async function logUnexpected(requestId: string, error: unknown): Promise<void> {
  const { logger } = await import('./logger.ts');
  logger.error('unhandled error', { requestId, error: error as Error });
}

function problemResponses(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    onError: async (request) => {
      const requestId = requestIdOf(request.event);
      const { problem, internal } = toProblem(request.error);
      if (internal)
        await withLogKeys(logKeysOf(request.event), () => logUnexpected(requestId, request.error));
      request.response = result(
        request.event,
        { status: problem.status, body: problem },
        requestId,
        'application/problem+json',
      );
    },
  };
}

export type HttpFunction = (event: APIGatewayProxyEvent, context: Context) => Promise<Reply>;

/** What every log line of a request carries: its request id, and the order a route names. */
function logKeysOf(event: APIGatewayProxyEvent) {
  return { requestId: requestIdOf(event), orderId: event.pathParameters?.orderId };
}

// A problem answered with a 4xx is the caller's, not a fault of the function.
const tracing = tracingMiddleware<APIGatewayProxyEvent, APIGatewayProxyResult>({
  isFault: (error) => toProblem(error).internal,
});

/** Wraps a handler function in the shared middy stack (traced where tracing is on). */
export function httpHandler(fn: HttpFunction) {
  const stack = middy<APIGatewayProxyEvent, APIGatewayProxyResult>();
  if (tracing) stack.use(tracing);
  return stack.use(problemResponses()).handler((event, context) =>
    withLogKeys(logKeysOf(event), async () => {
      const reply = await fn(event, context);
      return result(event, reply, requestIdOf(event));
    }),
  );
}
