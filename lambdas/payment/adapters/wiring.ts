/**
 * Composition root for the payment steps: config validated and clients made once per container.
 * The provider is the sandbox on the ledger table; the steps' idempotency records live in their
 * own table (Powertools' DynamoDB persistence layer, on the same low-level client).
 */
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import * as z from 'zod';
import { loadEnv, required } from '#shared/config.ts';
import { documentClient } from '#shared/dynamodb.ts';
import { dynamoDbClient } from '#shared/dynamodb-client.ts';
import type { ReversalDeps } from '../domain/use-cases.ts';
import { DynamoDbLedgerStore } from './dynamodb-ledger-store.ts';
import { SandboxProvider } from './sandbox-provider.ts';

// The idempotency table is the steps' only: the refund consumer has none (its provider keys are enough).
const env = loadEnv(
  z.object({ PAYMENTS_TABLE: required(), PAYMENT_IDEMPOTENCY_TABLE: z.string().min(1).optional() }),
);

export const deps: ReversalDeps = {
  provider: new SandboxProvider(new DynamoDbLedgerStore(documentClient(), env.PAYMENTS_TABLE)),
};

/**
 * A persistence layer for one step: Powertools configures a layer with its step's key and prefix
 * on first use and keeps them, so steps never share one (they share the client).
 */
export function idempotencyStore(): DynamoDBPersistenceLayer {
  if (!env.PAYMENT_IDEMPOTENCY_TABLE)
    throw new Error('Invalid environment: PAYMENT_IDEMPOTENCY_TABLE: required');
  return new DynamoDBPersistenceLayer({
    tableName: env.PAYMENT_IDEMPOTENCY_TABLE,
    awsSdkV3Client: dynamoDbClient(),
  });
}
