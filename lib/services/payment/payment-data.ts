/**
 * The payment service's tables (docs/architecture.md, "Payments"): the sandbox provider's ledger,
 * one item per charge plus an index of charges by order, and the saga steps' Powertools
 * idempotency records (key `id`, TTL `expiration`, the persistence layer's defaults).
 */
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { StageConfig } from '../../config/stage-config.ts';
import { serviceTable } from '../data.ts';

/** The ledger's index of charges by order: `GET /dev/psp/charges` queries it. */
export const PAYMENTS_INDEX_NAMES = ['byOrder'] as const;

export function paymentTables(
  scope: Construct,
  config: StageConfig,
): { paymentsTable: dynamodb.Table; paymentIdempotencyTable: dynamodb.Table } {
  const paymentsTable = serviceTable(scope, 'PaymentsTable', config, {
    tableName: `${config.prefix}-payments`,
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    disposable: 'sandbox charges of test runs',
  });
  paymentsTable.addGlobalSecondaryIndex({
    indexName: 'byOrder',
    partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'createdAt', type: dynamodb.AttributeType.STRING },
    // Charges are small and read whole: every attribute, so a listed charge is the charge.
    projectionType: dynamodb.ProjectionType.ALL,
  });
  const paymentIdempotencyTable = serviceTable(scope, 'PaymentIdempotencyTable', config, {
    tableName: `${config.prefix}-payment-idempotency`,
    partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
    timeToLiveAttribute: 'expiration',
    disposable: 'idempotency records that expire within days anyway',
  });
  return { paymentsTable, paymentIdempotencyTable };
}
