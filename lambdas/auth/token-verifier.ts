/**
 * Bearer token verification for the API authorizers, on aws-jwt-verify. Deployed stages accept
 * only access tokens of the user pool's declared app clients (Cognito verifier: `token_use` and
 * `client_id` checked); the local cloud verifies its own issuer's tokens (issuer and audience).
 * Every token that cannot be verified, for whatever reason, is an InvalidTokenError: the caller
 * gets a 401, never a 500.
 */
import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleFetcher } from 'aws-jwt-verify/https';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { LONE_SURROGATE } from '#shared/unicode.ts';

export type VerifierConfig =
  | {
      kind: 'cognito';
      userPoolId: string;
      /** The app clients whose access tokens are accepted; at least one. */
      clientIds: string[];
      /** Pre-cached keys (tests); deployed functions fetch the pool's JWKS. */
      jwks?: Jwks;
    }
  | {
      kind: 'issuer';
      issuer: string;
      audience: string;
      jwksUri?: string;
      /** An inline JWKS (the local issuer): with no jwksUri, verifying never touches the network. */
      jwks?: Jwks;
    };

export interface VerifierOptions {
  /** Told when the JWKS cannot be fetched (logged and alarmed by the caller); the token is still a 401. */
  onJwksFetchFailure?: (jwksUri: string, error: unknown) => void;
  /** Minimum time between two JWKS fetches, so unknown `kid`s cannot be used to hammer the issuer. */
  minFetchIntervalMs?: number;
  now?: () => number;
  /** The HTTP client for the JWKS (tests). */
  fetcher?: Fetcher;
}

export interface Identity {
  sub: string;
  groups: string[];
  email?: string;
  /** The OIDC `phone_number` claim, when it is an E.164 number. */
  phone?: string;
}

const E164 = /^\+[1-9]\d{6,14}$/;

/** The token was presented but is not acceptable: the authorizer answers 401. */
export class InvalidTokenError extends Error {
  constructor(reason: string, options?: ErrorOptions) {
    super(reason, options);
    this.name = 'InvalidTokenError';
  }
}

export const DEFAULT_MIN_FETCH_INTERVAL_MS = 10_000;

/** The longest a token may still be valid: Cognito's access tokens last at most a day. */
export const MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;
const CLOCK_SKEW_SECONDS = 60;

/** The log message of a failed JWKS fetch: the API stack's alarm counts these lines. */
export const JWKS_FETCH_FAILED = 'JWKS fetch failed';

/**
 * At most one JWKS fetch per interval, whatever its outcome: a flood of tokens with made-up key
 * ids costs the issuer one request per interval per container, not one per token.
 */
export class RateLimitedFetcher implements Fetcher {
  private nextFetchAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly inner: Fetcher,
    private readonly minIntervalMs: number,
    private readonly now: () => number,
    private readonly onFailure?: (uri: string, error: unknown) => void,
  ) {}

  async fetch(...args: Parameters<Fetcher['fetch']>): Promise<ArrayBuffer> {
    const [uri] = args;
    const now = this.now();
    if (now < this.nextFetchAt) throw new Error(`JWKS refetch of ${uri} is rate limited`);
    this.nextFetchAt = now + this.minIntervalMs;
    try {
      return await this.inner.fetch(...args);
    } catch (error) {
      this.onFailure?.(uri, error);
      throw error;
    }
  }
}

/** Stands in for the network when the keys are inline: an unknown key id is just a bad token. */
const NO_NETWORK: Fetcher = {
  fetch: async (uri) => {
    throw new Error(`no JWKS endpoint to fetch (${uri}): the issuer's keys are inline`);
  },
};

function groupsOf(payload: Record<string, unknown>, claim: string): string[] {
  const raw = payload[claim];
  if (raw === undefined) return [];
  // Group names are compared exactly: a list of strings as issued, never split or trimmed.
  if (!Array.isArray(raw) || !raw.every((g): g is string => typeof g === 'string')) {
    throw new InvalidTokenError(`${claim} is not a list of group names`);
  }
  return raw;
}

export function createTokenVerifier(
  config: VerifierConfig,
  options: VerifierOptions = {},
): (token: string) => Promise<Identity> {
  const offline = config.kind === 'issuer' && config.jwks !== undefined && !config.jwksUri;
  const fetcher = offline
    ? NO_NETWORK
    : new RateLimitedFetcher(
        options.fetcher ?? new SimpleFetcher(),
        options.minFetchIntervalMs ?? DEFAULT_MIN_FETCH_INTERVAL_MS,
        options.now ?? Date.now,
        options.onJwksFetchFailure,
      );
  const jwksCache = new SimpleJwksCache({ fetcher });

  let verifyJwt: (token: string) => Promise<Record<string, unknown>>;
  let groupsClaim: string;
  if (config.kind === 'cognito') {
    if (config.clientIds.length === 0) throw new Error('at least one app client id is required');
    const verifier = CognitoJwtVerifier.create(
      { userPoolId: config.userPoolId, tokenUse: 'access', clientId: config.clientIds },
      { jwksCache },
    );
    if (config.jwks) verifier.cacheJwks(config.jwks);
    verifyJwt = (token) => verifier.verify(token) as Promise<Record<string, unknown>>;
    groupsClaim = 'cognito:groups';
  } else {
    if (!config.audience) throw new Error('the issuer verifier needs an audience');
    const verifier = JwtVerifier.create(
      {
        issuer: config.issuer,
        audience: config.audience,
        ...(config.jwksUri ? { jwksUri: config.jwksUri } : {}),
      },
      { jwksCache },
    );
    if (config.jwks) verifier.cacheJwks(config.jwks);
    verifyJwt = (token) => verifier.verify(token) as Promise<Record<string, unknown>>;
    groupsClaim = 'groups';
  }

  return async (token) => {
    let payload: Record<string, unknown>;
    try {
      payload = await verifyJwt(token);
    } catch (error) {
      // Bad signature, unknown kid, unreachable JWKS, malformed JSON: all one answer to the caller.
      throw new InvalidTokenError(error instanceof Error ? error.message : String(error), { cause: error });
    }
    // aws-jwt-verify checks exp only when present; a token that never expires is not accepted,
    // nor one that claims to live longer than any issuer here grants (Cognito: a day at most), nor
    // one issued in the future.
    if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) {
      throw new InvalidTokenError('token has no exp');
    }
    // The same clock aws-jwt-verify checks exp against.
    const nowSeconds = Date.now() / 1000;
    if (payload.exp > nowSeconds + MAX_TOKEN_LIFETIME_SECONDS) {
      throw new InvalidTokenError('token lives longer than a day');
    }
    if (typeof payload.iat === 'number' && payload.iat > nowSeconds + CLOCK_SKEW_SECONDS) {
      throw new InvalidTokenError('token issued in the future');
    }
    const sub = payload.sub;
    if (typeof sub !== 'string' || sub.length === 0) throw new InvalidTokenError('token has no sub');
    if (LONE_SURROGATE.test(sub)) throw new InvalidTokenError('token sub is not valid Unicode');
    const email = typeof payload.email === 'string' && payload.email.length > 0 ? payload.email : undefined;
    // Only a well-formed number: it is where SMS notifications go.
    const phone =
      typeof payload.phone_number === 'string' && E164.test(payload.phone_number)
        ? payload.phone_number
        : undefined;
    return {
      sub,
      groups: groupsOf(payload, groupsClaim),
      ...(email ? { email } : {}),
      ...(phone ? { phone } : {}),
    };
  };
}

/**
 * What an Authorization header must be: `Bearer ` (one space) and a compact JWS. The TOKEN
 * authorizer's identity validation expression is this same pattern, so both authorizers read a
 * header the same way.
 */
export const BEARER_HEADER_PATTERN = '^[Bb]earer ([-0-9A-Za-z_]+\\.[-0-9A-Za-z_]+\\.[-0-9A-Za-z_]+)$';
const BEARER_HEADER = new RegExp(BEARER_HEADER_PATTERN);

/** `Bearer <jwt>` -> the JWT; anything else is not a bearer credential. */
export function bearerToken(header: string | undefined): string | undefined {
  return BEARER_HEADER.exec(header ?? '')?.[1];
}

/**
 * The policy resource for the whole API: `arn:aws:execute-api:<region>:<account>:<api>/<stage>/*`.
 * Allowing the whole API lets API Gateway cache one decision per token across routes.
 */
export function apiWildcardArn(methodArn: string): string {
  const [prefix, stage] = methodArn.split('/');
  if (!prefix || !stage) throw new Error(`unexpected methodArn ${methodArn}`);
  return `${prefix}/${stage}/*`;
}
