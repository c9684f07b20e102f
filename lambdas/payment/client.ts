/**
 * The payment service's published read module: the sandbox provider's ledger, read-only (one
 * Query on the ledger's by-order index). The local cloud's `GET /dev/psp/charges` reads it.
 *
 *   import { chargesOfOrder } from '#payment/client.ts';
 *   const { items } = await chargesOfOrder('order-1');
 */

import * as z from 'zod';
import { loadEnv, required } from '#shared/config.ts';
import { documentClient } from '#shared/dynamodb.ts';
import { DynamoDbLedgerStore } from './adapters/dynamodb-ledger-store.ts';
import type { ChargeStatus } from './domain/provider.ts';

export interface LedgerEntry {
  chargeId: string;
  orderId: string;
  amount: number;
  capturedAmount: number;
  refundedAmount: number;
  status: ChargeStatus;
}

let store: DynamoDbLedgerStore | undefined;

export async function chargesOfOrder(orderId: string): Promise<{ items: LedgerEntry[] }> {
  store ??= new DynamoDbLedgerStore(
    documentClient(),
    loadEnv(z.object({ PAYMENTS_TABLE: required() })).PAYMENTS_TABLE,
  );
  const charges = await store.listByOrder(orderId);
  return {
    items: charges.map(({ chargeId, amount, capturedAmount, refundedAmount, status }) => ({
      chargeId,
      orderId,
      amount,
      capturedAmount,
      refundedAmount,
      status,
    })),
  };
}
