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
  const connectionPool = new ConnectionPool({ Connection: classes.Connection, emit } as never);
  connectionPool.addConnection(config.SEARCH_ENDPOINT);
  return new classes.Transport({
    emit,
    connectionPool,
    serializer: new JsonSerializer() as never,
    maxRetries: 2,
    requestTimeout: 3000,
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
