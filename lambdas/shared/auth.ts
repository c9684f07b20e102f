/**
 * The caller as the Lambda authorizer described it (`requestContext.authorizer`), and the admin
 * check every admin route makes before it reads the body. Authorizer context values are strings,
 * so groups travel as a JSON array: group names may contain commas or spaces, and are compared
 * exactly, never split or trimmed.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ForbiddenError, UnauthorizedError } from './errors.ts';

export interface Caller {
  sub: string;
  groups: string[];
  email?: string;
  phone?: string;
}

export const ADMIN_GROUP = 'admin';

/** What the authorizers put in the context for a verified caller. */
export function callerContext(caller: Caller): Record<string, string> {
  return {
    sub: caller.sub,
    groups: JSON.stringify(caller.groups),
    email: caller.email ?? '',
    phone: caller.phone ?? '',
  };
}

function parseGroups(value: unknown): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed) && parsed.every((g) => typeof g === 'string')) return parsed;
  } catch {
    // Not a context this API's authorizers wrote.
  }
  return undefined;
}

/**
 * The authenticated caller, or undefined when the route was called without a caller in the
 * authorizer context. A caller whose groups are not the authorizers' JSON list cannot be trusted
 * with any identity, anonymous included: 401.
 */
export function callerOf(event: Pick<APIGatewayProxyEvent, 'requestContext'>): Caller | undefined {
  const context = event.requestContext?.authorizer as Record<string, unknown> | null | undefined;
  const sub = context?.sub;
  if (typeof sub !== 'string' || sub.length === 0) return undefined;
  const groups = parseGroups(context?.groups);
  if (!groups) throw new UnauthorizedError('The caller could not be authenticated.');
  const email = typeof context?.email === 'string' && context.email.length > 0 ? context.email : undefined;
  const phone = typeof context?.phone === 'string' && context.phone.length > 0 ? context.phone : undefined;
  return { sub, groups, ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
}

export function requireCaller(event: Pick<APIGatewayProxyEvent, 'requestContext'>): Caller {
  const caller = callerOf(event);
  if (!caller) throw new UnauthorizedError('Sign in: this route needs a bearer token.');
  return caller;
}

/** 401 without a caller, 403 unless one of the caller's groups is exactly `admin`. */
export function requireAdmin(event: Pick<APIGatewayProxyEvent, 'requestContext'>): Caller {
  const caller = requireCaller(event);
  if (!caller.groups.some((g) => g === ADMIN_GROUP)) {
    throw new ForbiddenError('This route is for administrators.');
  }
  return caller;
}
