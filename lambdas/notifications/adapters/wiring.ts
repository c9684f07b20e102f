/**
 * Composition root of the preference routes: config validated and clients made once per
 * container. They need the notifications table only.
 */
import * as z from 'zod';
import { loadEnv, required } from '#shared/config.ts';
import { documentClient } from '#shared/dynamodb.ts';
import type { PreferencesDeps } from '../domain/use-cases.ts';
import { DynamoDbNotificationsStore } from './dynamodb-notifications-store.ts';

const env = loadEnv(z.object({ NOTIFICATIONS_TABLE: required() }));

export const deps: PreferencesDeps = {
  preferences: new DynamoDbNotificationsStore(documentClient(), env.NOTIFICATIONS_TABLE),
};
