/** Composition root of GET /dev/outbox (stage local only): the outbox table, read only. */
import * as z from 'zod';
import { loadEnv, required } from '#shared/config.ts';
import { documentClient } from '#shared/dynamodb.ts';
import { DynamoDbOutbox } from './dynamodb-outbox.ts';

const env = loadEnv(z.object({ OUTBOX_TABLE: required(), STAGE: z.string().default('local') }));

export const stage = env.STAGE;
export const outbox = new DynamoDbOutbox(documentClient(), env.OUTBOX_TABLE);
