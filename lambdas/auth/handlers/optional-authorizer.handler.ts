/**
 * REQUEST authorizer for routes where signing in is optional (carts). No Authorization header:
 * Allow, with no caller in the context (the handler sees an anonymous request). A header that is
 * not a valid bearer token: `Unauthorized` (401), never silently anonymous, so a client with an
 * expired token learns it instead of writing to the wrong cart. Valid token: Allow with
 * the caller's context as the TOKEN authorizer gives it. Runs uncached (TTL 0, no identity
 * source: API Gateway invokes it on every request), so each decision covers only its own method.
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { callerContext } from '#shared/auth.ts';
import { logger } from '#shared/logger.ts';
import { traced } from '#shared/tracer.ts';
import { bearerToken, InvalidTokenError } from '../token-verifier.ts';
import { verifierFromEnv } from '../verifier-from-env.ts';

const verify = verifierFromEnv();

export const ANONYMOUS = 'anonymous';

function authorizationHeader(event: APIGatewayRequestAuthorizerEvent): string | undefined {
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (name.toLowerCase() === 'authorization') return value;
  }
  return undefined;
}

function allow(
  event: APIGatewayRequestAuthorizerEvent,
  principalId: string,
  context: Record<string, string>,
): APIGatewayAuthorizerResult {
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
    },
    context,
  };
}

const authorize = async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
  const header = authorizationHeader(event);
  if (header === undefined || header.trim() === '') return allow(event, ANONYMOUS, {});
  const token = bearerToken(header);
  if (!token) throw new Error('Unauthorized');
  try {
    const identity = await verify(token);
    return allow(event, identity.sub, callerContext(identity));
  } catch (error) {
    if (error instanceof InvalidTokenError) {
      logger.info('token rejected', { reason: error.message });
      throw new Error('Unauthorized');
    }
    throw error;
  }
};

export const handler = traced(authorize);
