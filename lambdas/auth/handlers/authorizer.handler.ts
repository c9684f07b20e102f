/**
 * TOKEN authorizer (identity source: Authorization). Valid token: Allow on the whole API with the
 * caller in the context ({ sub, groups (a JSON list), email }). Any token that does not verify,
 * whatever the reason: the `Unauthorized` error that API Gateway turns into a 401.
 */
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { callerContext } from '#shared/auth.ts';
import { logger } from '#shared/logger.ts';
import { traced } from '#shared/tracer.ts';
import { apiWildcardArn, bearerToken, InvalidTokenError } from '../token-verifier.ts';
import { verifierFromEnv } from '../verifier-from-env.ts';

const verify = verifierFromEnv();

const authorize = async (event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
  const token = bearerToken(event.authorizationToken);
  if (!token) throw new Error('Unauthorized');
  let identity: Awaited<ReturnType<typeof verify>>;
  try {
    identity = await verify(token);
  } catch (error) {
    if (error instanceof InvalidTokenError) {
      logger.info('token rejected', { reason: error.message });
      throw new Error('Unauthorized');
    }
    throw error;
  }
  return {
    principalId: identity.sub,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: apiWildcardArn(event.methodArn) },
      ],
    },
    context: callerContext(identity),
  };
};

export const handler = traced(authorize);
