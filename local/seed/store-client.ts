/**
 * A small HTTP client for the store API, shared by the seed command, the end-to-end suite and the
 * benchmarks. It speaks only the public contract (API.md), so it works against the local cloud
 * and a deployed stage alike.
 */

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface TokenRequest {
  sub: string;
  groups?: string[];
  email?: string;
  /** E.164, e.g. `+15555550100`. */
  phone?: string;
}

export class StoreClient {
  constructor(
    readonly baseUrl: string,
    private readonly mintToken: (claims: TokenRequest) => Promise<string> = (claims) =>
      devToken(baseUrl, claims),
  ) {}

  token(claims: TokenRequest): Promise<string> {
    return this.mintToken(claims);
  }

  async request<T = unknown>(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) body = JSON.stringify(opts.body);
    // The API takes JSON bodies only; a caller sending another type says so in `headers`.
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(apiUrl(this.baseUrl, path), { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    if (text.length > 0 && /json/.test(res.headers.get('content-type') ?? '')) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T };
  }
}

/** Mints a token from the local issuer (`POST /dev/token`, stage local only). */
export async function devToken(baseUrl: string, claims: TokenRequest): Promise<string> {
  const res = await fetch(apiUrl(baseUrl, '/dev/token'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(claims),
  });
  if (res.status !== 200) throw new Error(`POST /dev/token answered ${res.status}: ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  return token;
}

/** Runs `task` over `items` with at most `concurrency` in flight. */
export async function mapLimit<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i] as T, i);
    }
  });
  await Promise.all(workers);
  return results;
}

/**
 * `path` under the API's base URL, keeping the base's own path: a deployed stage's URL ends in
 * `/<stage>/`, which `new URL('/x', base)` would drop.
 */
export function apiUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
