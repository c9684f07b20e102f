/**
 * Products table stream -> search index. Each record is applied on its own and reported as a
 * partial batch failure if it fails, so one bad record never blocks or replays the others.
 * Versions make the order of records irrelevant (see domain/indexing.ts).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '#shared/logger.ts';
import { indexSettingsFor } from '../adapters/index-definition.ts';
import { ensureIndex } from '../adapters/opensearch-index.ts';
import { env, productIndex, transport } from '../adapters/wiring.ts';
import { applyChange } from '../domain/indexing.ts';

const processor = new BatchProcessor(EventType.DynamoDBStreams);
const settings = indexSettingsFor();

// Once per container; a failure is forgotten so the next batch tries again.
let ready: Promise<void> | undefined;
function indexReady(): Promise<void> {
  ready ??= transport
    .then((t) => ensureIndex(t, env.SEARCH_INDEX, settings))
    .catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
  return ready;
}

type StreamImage = Record<string, AttributeValue>;

async function recordHandler(record: DynamoDBRecord): Promise<void> {
  const image = (value: unknown) => (value ? unmarshall(value as StreamImage) : undefined);
  const outcome = await applyChange(
    {
      eventName: record.eventName,
      newImage: image(record.dynamodb?.NewImage),
      oldImage: image(record.dynamodb?.OldImage),
    },
    await productIndex(),
  );
  logger.debug('stream record applied', { eventID: record.eventID, outcome });
}

export const handler = async (event: DynamoDBStreamEvent, context: Context) => {
  await indexReady();
  return processPartialResponse(event, recordHandler, processor, { context });
};
