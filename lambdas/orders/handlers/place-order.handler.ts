/**
 * POST /checkout (signed in, Idempotency-Key required): places the order and starts its saga; 202
 * with the order id. Powertools idempotency, keyed on (user, key) with the body as the payload to
 * validate, answers a repeat with the first answer, refuses the key with another body (422), and
 * lets one of several concurrent duplicates through (the others get a 409 to retry). Records are
 * kept 24 hours, in DynamoDB.
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import * as z from 'zod';
import { type Caller, requireCaller } from '#shared/auth.ts';
import { loadEnv, required } from '#shared/config.ts';
import { dynamoDbClient } from '#shared/dynamodb-client.ts';
import { header, httpHandler, jsonBody } from '#shared/http.ts';
import { validate } from '#shared/validation.ts';
import { deps } from '../adapters/wiring.ts';
import { CheckoutInProgressError, IdempotencyKeyReusedError } from '../domain/errors.ts';
import { CheckoutHeadersSchema, type CheckoutRequest, CheckoutRequestSchema } from '../domain/schemas.ts';
import { placeOrder } from '../domain/use-cases.ts';

const env = loadEnv(z.object({ ORDERS_IDEMPOTENCY_TABLE: required() }));

/** At least a day: a client retrying a checkout the next morning still gets its order. */
export const CHECKOUT_RECORD_SECONDS = 24 * 3600;

const config = new IdempotencyConfig({
  eventKeyJmesPath: '[userId, key]',
  payloadValidationJmesPath: 'request',
  throwOnNoIdempotencyKey: true,
  expiresAfterSeconds: CHECKOUT_RECORD_SECONDS,
});

interface Attempt {
  userId: string;
  key: string;
  request: CheckoutRequest;
  caller: Caller;
}

const place = makeIdempotent(
  (attempt: Attempt) =>
    placeOrder(deps, { caller: attempt.caller, idempotencyKey: attempt.key, request: attempt.request }),
  {
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName: env.ORDERS_IDEMPOTENCY_TABLE,
      awsSdkV3Client: dynamoDbClient(),
    }),
    config,
    keyPrefix: 'checkout',
  },
);

export const handler = httpHandler(async (event, context) => {
  const caller = requireCaller(event);
  const key = validate(
    CheckoutHeadersSchema,
    { 'idempotency-key': header(event, 'idempotency-key') },
    'Idempotency-Key header',
  )['idempotency-key'];
  const request = validate(CheckoutRequestSchema, jsonBody(event), 'checkout request');
  // A crashed attempt's in-progress record then expires with the time the attempt had left.
  config.registerLambdaContext(context);
  try {
    const placed = await place({ userId: caller.sub, key, request, caller });
    return { status: 202, body: placed, headers: { location: `/orders/${placed.orderId}` } };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'IdempotencyValidationError') throw new IdempotencyKeyReusedError();
    if (name === 'IdempotencyAlreadyInProgressError') throw new CheckoutInProgressError();
    throw error;
  }
});
