import { expect, inject } from 'vitest';
import {
  type components,
  createStoreClient,
  type Problem,
  type StoreClient as TypedStoreClient,
} from '../../../client/index.ts';
import { type ApiResponse, StoreClient } from '../../../local/seed/store-client.ts';
import { tokenSourceFromEnv } from './token-source.ts';

export type { Problem };
export type Schemas = components['schemas'];

/**
 * Raw HTTP. Requests go through the typed client (`api`) wherever the document can say them;
 * deliberately malformed ones (bad input, wrong types, raw bodies) stay on this one, since the
 * typed client rightly refuses to express them.
 */
// Tokens from the local issuer, or from a deployed stage's user pool (E2E_TOKEN_SOURCE=cognito).
export const client = new StoreClient(inject('baseUrl'), tokenSourceFromEnv());

const typedClients = new Map<string, TypedStoreClient>();

/** The typed client generated from the OpenAPI document, sending `token` (or no token). */
export function api(token?: string): TypedStoreClient {
  const cacheKey = token ?? '';
  let typed = typedClients.get(cacheKey);
  if (!typed) {
    typed = createStoreClient({ baseUrl: inject('baseUrl'), ...(token ? { token } : {}) });
    typedClients.set(cacheKey, typed);
  }
  return typed;
}

/** What the typed client answers: `data` for a 2xx, `error` (the problem) otherwise. */
export interface Answer<D = unknown, E = unknown> {
  data?: D;
  error?: E;
  response: Response;
}

/** A typed answer as a raw response (status, headers, body), or a raw response as it is. */
export function asResponse(res: ApiResponse<unknown> | Answer): ApiResponse<unknown> {
  if ('body' in res) return res;
  return { status: res.response.status, headers: res.response.headers, body: res.data ?? res.error };
}

/**
 * The data of a successful answer, asserting its status (`expected`, else any 2xx); a failed
 * expectation shows the problem the API answered.
 */
export function ok<A extends Answer>(answer: A, expected?: number): NonNullable<A['data']> {
  const { status } = answer.response;
  const why = `${answer.response.url} answered ${status}: ${JSON.stringify(answer.error ?? answer.data)}`;
  if (expected === undefined) expect(status >= 200 && status < 300, why).toBe(true);
  else expect(status, why).toBe(expected);
  return answer.data as NonNullable<A['data']>;
}

/** The problem of a failed answer, asserting its status and problem+json. */
export function problemOf<A extends Answer>(answer: A, expected: number): Problem {
  const why = `${answer.response.url}: ${JSON.stringify(answer.error ?? answer.data)}`;
  expect(answer.response.status, why).toBe(expected);
  expect(answer.response.headers.get('content-type'), why).toContain('application/problem+json');
  return answer.error as Problem;
}

/** A made-up word unique to this run, so assertions never collide with the demo catalog. */
export function uniqueWord(length = 9): string {
  const letters = 'bcdfghjklmnpqrstvwxz';
  const vowels = 'aeiou';
  let word = '';
  for (let i = 0; i < length; i++) {
    const alphabet = i % 2 === 0 ? letters : vowels;
    word += alphabet[Math.floor(Math.random() * alphabet.length)];
  }
  return word;
}

export function uniqueSku(prefix = 'E2E'): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`.toUpperCase();
}

export function productBody(overrides: Partial<Schemas['ProductWrite']> = {}): Schemas['ProductWrite'] {
  return {
    name: `Test Product ${uniqueWord()}`,
    description: 'A product written by the end-to-end suite.',
    brand: 'Testbrand',
    category: 'testing',
    images: ['https://images.example.com/test.jpg'],
    attributes: { material: 'steel' },
    variants: [{ sku: uniqueSku(), attributes: { size: 'M' }, price: { amount: 1999, currency: 'USD' } }],
    ...overrides,
  };
}

export async function adminToken(): Promise<string> {
  return client.token({ sub: 'e2e-admin', groups: ['admin'] });
}

export async function shopperToken(sub = 'e2e-shopper'): Promise<string> {
  return client.token({ sub });
}

/** Polls `probe` until it returns true; resolves with the seconds it took, or throws after `timeoutMs`. */
export async function eventually(
  probe: () => Promise<boolean>,
  timeoutMs = 5000,
  intervalMs = 50,
): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (await probe()) return (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
