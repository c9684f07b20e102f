/**
 * DynamoDB stream batches -> index changes, with partial batch failures: a failed record is
 * reported alone (and retried alone) instead of failing the whole batch.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '#shared/logger.ts';
import { applyChange, type ProductStreamChange, type SearchIndexPort } from '../domain/indexing.ts';

const image = (value: unknown) => (value ? unmarshall(value as Record<string, AttributeValue>) : undefined);

export function changeOf(record: DynamoDBRecord): ProductStreamChange {
  return {
    eventName: record.eventName,
    newImage: image(record.dynamodb?.NewImage),
    oldImage: image(record.dynamodb?.OldImage),
  };
}

export function streamBatchHandler(options: {
  index: () => Promise<SearchIndexPort>;
  /** Runs before each batch (creating the index on a cold start). */
  prepare?: () => Promise<void>;
}): (event: DynamoDBStreamEvent, context?: Context) => Promise<DynamoDBBatchResponse> {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  const recordHandler = async (record: DynamoDBRecord) => {
    const outcome = await applyChange(changeOf(record), await options.index());
    logger.debug('stream record applied', { eventID: record.eventID, outcome });
    return outcome;
  };
  return async (event, context) => {
    await options.prepare?.();
    // An invocation without records (e.g. `{}` from a deploy-time trigger) only prepares the index.
    if (!event?.Records?.length) return { batchItemFailures: [] };
    return processPartialResponse(event, recordHandler, processor, context ? { context } : undefined);
  };
}
