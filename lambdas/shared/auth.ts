/**
 * The caller as the Lambda authorizer described it (`requestContext.authorizer`), and the admin
 * check every admin route makes before it reads the body.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ForbiddenError, UnauthorizedError } from './errors.ts';

export interface Caller {
  sub: string;
  groups: string[];
  email?: string;
}

/** The authenticated caller, or undefined when the route was called without an authorizer context. */
export function callerOf(event: Pick<APIGatewayProxyEvent, 'requestContext'>): Caller | undefined {
  const context = event.requestContext?.authorizer as Record<string, unknown> | null | undefined;
  const sub = context?.sub;
  if (typeof sub !== 'string' || sub.length === 0) return undefined;
  const groups =
    typeof context?.groups === 'string'
      ? context.groups
          .split(',')
          .map((g) => g.trim())
          .filter(Boolean)
      : [];
  const email = typeof context?.email === 'string' && context.email.length > 0 ? context.email : undefined;
  return email ? { sub, groups, email } : { sub, groups };
}

export function requireCaller(event: Pick<APIGatewayProxyEvent, 'requestContext'>): Caller {
  const caller = callerOf(event);
  if (!caller) throw new UnauthorizedError('Sign in: this route needs a bearer token.');
  return caller;
}

/** 401 without a caller, 403 when the caller is not in the `admin` group. */
export function requireAdmin(event: Pick<APIGatewayProxyEvent, 'requestContext'>): Caller {
  const caller = requireCaller(event);
  if (!caller.groups.includes('admin')) throw new ForbiddenError('This route is for administrators.');
  return caller;
}
