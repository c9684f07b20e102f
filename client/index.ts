/**
 * The typed client of the store API: openapi-fetch over the types generated from the OpenAPI
 * document (client/openapi.d.ts, `npm run client:generate`). Paths, parameters, bodies and each
 * status's answer are checked by the compiler; a change of the document that breaks a caller fails
 * `tsc --noEmit`.
 *
 *   const api = createStoreClient({ baseUrl: 'http://127.0.0.1:3000', token });
 *   const { data, error } = await api.GET('/products/{productId}', { params: { path: { productId } } });
 */
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './openapi.d.ts';

export type { components, paths } from './openapi.d.ts';

/** An RFC 9457 problem document (`application/problem+json`), the body of every error answer. */
export type Problem = components['schemas']['Problem'];

export type StoreClient = Client<paths>;

export interface StoreClientOptions {
  /** The API's root, e.g. `http://127.0.0.1:3000` or a stage's `https://.../prod/`. */
  baseUrl: string;
  /** A bearer token, or a function answering the current one (called for every request). */
  token?: string | (() => string | undefined | Promise<string | undefined>);
  /** A fetch to use instead of the global one (tests, instrumentation). */
  fetch?: (input: Request) => Promise<Response>;
}

export function createStoreClient(options: StoreClientOptions): StoreClient {
  const client = createClient<paths>({
    // openapi-fetch appends the path to the base: a trailing slash would double up.
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const { token } = options;
  if (token !== undefined) client.use(bearer(token));
  return client;
}

function bearer(token: NonNullable<StoreClientOptions['token']>): Middleware {
  return {
    async onRequest({ request }) {
      const value = typeof token === 'function' ? await token() : token;
      // A header the caller set on this request wins (e.g. another user's token).
      if (value && !request.headers.has('authorization')) {
        request.headers.set('authorization', `Bearer ${value}`);
      }
      return request;
    },
  };
}
