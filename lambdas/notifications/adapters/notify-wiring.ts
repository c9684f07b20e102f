/** Composition root of the Notify consumer: config validated and clients made once per container. */
import { randomUUID } from 'node:crypto';
import { loadEnv } from '#shared/config.ts';
import { documentClient } from '#shared/dynamodb.ts';
import type { NotifyDeps } from '../domain/use-cases.ts';
import { DynamoDbNotificationsStore } from './dynamodb-notifications-store.ts';
import { NotifyEnvSchema, senderFor } from './senders.ts';

const env = loadEnv(NotifyEnvSchema);
const store = new DynamoDbNotificationsStore(documentClient(), env.NOTIFICATIONS_TABLE);

export const deps: NotifyDeps = {
  preferences: store,
  owners: store,
  ledger: store,
  sender: senderFor(env),
  now: () => new Date(),
  newToken: randomUUID,
};
