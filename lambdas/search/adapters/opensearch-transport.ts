/**
 * The OpenSearch connection, made once per container. It uses the official client's transport
 * (connection pool, retries, SigV4 signing) without the generated API surface, which is most of
 * the client's size, and a serializer of its own (json-serializer.ts); the few endpoints the
 * search service calls are plain paths.
 *
 * SEARCH_AUTH=sigv4 signs with the Lambda role (AwsSigv4Signer + the SDK's default credential
 * chain, both loaded only then); SEARCH_AUTH=none talks plain HTTP to the local OpenSearch.
 *
 * Requests go through node's http/https, which the tracer patches when it loads: imported first,
 * so every connection made here sends its requests through an X-Ray subsegment.
 */
import './cjs-require.ts';
import '#shared/tracer.ts';
import ConnectionModule from '@opensearch-project/opensearch/lib/Connection.js';
import { ConnectionPool } from '@opensearch-project/opensearch/lib/pool/index.js';
import TransportModule from '@opensearch-project/opensearch/lib/Transport.js';
import * as z from 'zod';
import { loadEnv } from '#shared/config.ts';
import { JsonSerializer } from './json-serializer.ts';

// These files are CommonJS (`module.exports = Class`) but typed as ES default exports, which under
// NodeNext types the default import as the module object; restate the runtime value.
const Connection = ConnectionModule as unknown as typeof ConnectionModule.default;
const Transport = TransportModule as unknown as typeof TransportModule.default;
export type Transport = InstanceType<typeof Transport>;

export const SearchConnectionEnv = z.object({
  SEARCH_ENDPOINT: z.url(),
  SEARCH_AUTH: z.enum(['none', 'sigv4']),
  AWS_REGION: z.string().min(1).default('us-east-1'),
});

export type SearchConnectionConfig = z.output<typeof SearchConnectionEnv>;

/**
 * Per-request limits. `requestTimeout` bounds one attempt: how long it waits for the domain to
 * answer. A timed-out attempt, a refused connection or a 502/503/504 is retried at once, up to
 * `maxRetries` more times; a request takes at most (1 + maxRetries) x requestTimeout.
 */
export interface RequestLimits {
  requestTimeout: number;
  maxRetries: number;
}

/**
 * Search and suggest, and the transport's default, so a request nobody sized is bounded too. The
 * faceted queries take 8 ms (p50) and 19 ms (p99) of server time: an attempt still unanswered
 * after 1 s is a domain in trouble, not a slow query. One retry rides out a node lost mid-request;
 * at most 2 s in all, far below the functions' 10 s timeout and API Gateway's 29 s, so a slow
 * domain cannot hold search functions (and their reserved concurrency) for long.
 */
export const QUERY_LIMITS: RequestLimits = { requestTimeout: 1000, maxRetries: 1 };

/**
 * The indexer's writes and the index setup: a busy cluster (a merge, a blue/green move) may take
 * seconds to take a write, and nobody waits on the answer. At most 9 s a request, inside the
 * indexer's 60 s and the setup's 2 minutes; a record that still fails is retried by the stream.
 */
export const WRITE_LIMITS: RequestLimits = { requestTimeout: 3000, maxRetries: 2 };

export function searchConnectionConfig(env: NodeJS.ProcessEnv = process.env): SearchConnectionConfig {
  return loadEnv(SearchConnectionEnv, env);
}

async function classesFor(
  config: SearchConnectionConfig,
): Promise<{ Connection: typeof Connection; Transport: typeof Transport }> {
  if (config.SEARCH_AUTH === 'none') return { Connection, Transport };
  const [{ AwsSigv4Signer }, { defaultProvider }] = await Promise.all([
    import('@opensearch-project/opensearch/aws'),
    import('@aws-sdk/credential-provider-node'),
  ]);
  const provider = defaultProvider();
  const signer = AwsSigv4Signer({
    region: config.AWS_REGION,
    service: 'es',
    getCredentials: () => provider(),
  });
  return signer as unknown as { Connection: typeof Connection; Transport: typeof Transport };
}

/** Builds a transport; callers keep the promise at module scope so it is made once. */
export async function createTransport(config: SearchConnectionConfig): Promise<Transport> {
  const classes = await classesFor(config);
  const emit = () => false;
  // One endpoint is used whether marked dead or alive, so reviving it by ping ('ping', the
  // default) would only add a background request without a timeout.
  const connectionPool = new ConnectionPool({
    Connection: classes.Connection,
    emit,
    resurrectStrategy: 'none',
  } as never);
  connectionPool.addConnection(config.SEARCH_ENDPOINT);
  return new classes.Transport({
    emit,
    connectionPool,
    serializer: new JsonSerializer() as never,
    maxRetries: QUERY_LIMITS.maxRetries,
    requestTimeout: QUERY_LIMITS.requestTimeout,
    sniffEndpoint: '_nodes/_all/http',
    sniffOnStart: false,
    sniffOnConnectionFault: false,
    nodeSelector: 'round-robin',
    name: 'serverless-store',
  });
}

/** The HTTP status of a transport error (ResponseError), if it has one. */
export function statusOf(error: unknown): number | undefined {
  const meta = (error as { meta?: { statusCode?: number } }).meta;
  return typeof meta?.statusCode === 'number' ? meta.statusCode : undefined;
}

/** The OpenSearch error type (e.g. `index_not_found_exception`) of a transport error or response body. */
export function errorTypeOf(errorOrBody: unknown): string | undefined {
  const body =
    (errorOrBody as { meta?: { body?: unknown } }).meta?.body ??
    (errorOrBody as { body?: unknown }).body ??
    errorOrBody;
  const type = (body as { error?: { type?: unknown } } | undefined)?.error?.type;
  return typeof type === 'string' ? type : undefined;
}
