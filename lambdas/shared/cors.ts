/**
 * CORS for the answers the functions give (the gateway's own answers and preflights are declared
 * in the API stack from the same stage setting). Bearer tokens, not cookies, authenticate callers,
 * so credentials are never allowed.
 */

/** Who may read answers from a browser on another origin: any origin, or exactly these. */
export type CorsPolicy = { anyOrigin: true } | { anyOrigin: false; origins: ReadonlySet<string> };

/** Response headers a browser script may read besides the CORS-safelisted ones. */
export const EXPOSED_HEADERS = 'etag, location, x-request-id';

/** A browser origin as browsers serialize it: scheme, lower-case host, optional port; no path. */
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/;

/** Comma-separated exact origins; an entry that is not an origin is an error naming it. */
export function parseOrigins(value: string): string[] {
  const origins = value
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of origins) {
    if (!ORIGIN.test(origin)) {
      throw new Error(
        `${JSON.stringify(origin)} is not an origin like https://shop.example.com (no path, no wildcard)`,
      );
    }
  }
  return origins;
}

/**
 * CORS_ALLOW_ORIGINS, set per stage: `*` (stage local), or comma-separated origins such as
 * `https://shop.example.com`. Unset or empty: same-origin only.
 */
export function corsPolicy(value: string | undefined): CorsPolicy {
  if (value?.trim() === '*') return { anyOrigin: true };
  try {
    return { anyOrigin: false, origins: new Set(parseOrigins(value ?? '')) };
  } catch (error) {
    throw new Error(`Invalid environment: CORS_ALLOW_ORIGINS: ${(error as Error).message}`);
  }
}

/** The CORS headers of an answer to a request from `origin` (its Origin header, if any). */
export function corsHeaders(policy: CorsPolicy, origin: string | undefined): Record<string, string> {
  if (policy.anyOrigin) {
    return { 'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSED_HEADERS };
  }
  // The answer depends on Origin: shared caches must keep one copy per origin.
  if (origin === undefined || !policy.origins.has(origin)) return { vary: 'origin' };
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': EXPOSED_HEADERS,
    vary: 'origin',
  };
}
