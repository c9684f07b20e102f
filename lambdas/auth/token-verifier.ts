/**
 * Bearer token verification for the API authorizer: one JWT path (aws-jwt-verify) whatever the
 * issuer, a Cognito user pool when deployed or the local issuer in the local cloud.
 */
import { JwtVerifier } from 'aws-jwt-verify';
import { FetchError, JwtBaseError } from 'aws-jwt-verify/error';
import type { Jwks } from 'aws-jwt-verify/jwk';

export interface VerifierConfig {
  issuer: string;
  /** Empty or undefined: `aud` is not checked (Cognito access tokens carry `client_id` instead). */
  audience?: string;
  jwksUri?: string;
  /** An inline JWKS: cached at creation, so verifying needs no network (the local issuer). */
  jwks?: Jwks;
}

export interface Identity {
  sub: string;
  groups: string[];
  email?: string;
}

/** The token was presented but is not acceptable: the authorizer answers 401. */
export class InvalidTokenError extends Error {
  constructor(reason: string, options?: ErrorOptions) {
    super(reason, options);
    this.name = 'InvalidTokenError';
  }
}

function groupsOf(payload: Record<string, unknown>): string[] {
  const raw = payload['cognito:groups'] ?? payload.groups;
  if (Array.isArray(raw)) return raw.filter((g): g is string => typeof g === 'string');
  if (typeof raw === 'string') return raw.split(/[,\s]+/).filter(Boolean);
  return [];
}

export function createTokenVerifier(config: VerifierConfig): (token: string) => Promise<Identity> {
  const verifier = JwtVerifier.create({
    issuer: config.issuer,
    audience: config.audience ? config.audience : null,
    ...(config.jwksUri ? { jwksUri: config.jwksUri } : {}),
  });
  if (config.jwks) verifier.cacheJwks(config.jwks);
  // With only an inline JWKS there is nothing to fetch: an unknown key id is just a bad token.
  const offline = config.jwks !== undefined && !config.jwksUri;

  return async (token) => {
    let payload: Record<string, unknown>;
    try {
      payload = await verifier.verify(token);
    } catch (error) {
      if (error instanceof JwtBaseError && (offline || !(error instanceof FetchError))) {
        throw new InvalidTokenError(error.message, { cause: error });
      }
      throw error;
    }
    const sub = payload.sub;
    if (typeof sub !== 'string' || sub.length === 0) throw new InvalidTokenError('token has no sub');
    const email = typeof payload.email === 'string' ? payload.email : undefined;
    return { sub, groups: groupsOf(payload), ...(email ? { email } : {}) };
  };
}

/** `Bearer <token>` -> token; anything else is not a bearer credential. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
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
