/**
 * DynamoDB stream batches -> index changes, with partial batch failures: a failed record is
 * reported alone (and retried alone) instead of failing the whole batch. After each batch the
 * index lag is recorded: now minus the newest record's change time.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { invocation, noKeys } from '#shared/invocation.ts';
import { withLogKeys } from '#shared/log-context.ts';
import { logger } from '#shared/logger.ts';
import type { BusinessMetrics } from '#shared/metrics-port.ts';
import { applyChange, type ProductStreamChange, type SearchIndexPort } from '../domain/indexing.ts';

const image = (value: unknown) => (value ? unmarshall(value as Record<string, AttributeValue>) : undefined);

export function changeOf(record: DynamoDBRecord): ProductStreamChange {
  return {
    eventName: record.eventName,
    newImage: image(record.dynamodb?.NewImage),
    oldImage: image(record.dynamodb?.OldImage),
  };
}

/**
 * Milliseconds from the newest change in the batch (the stream stamps it to the second) to `now`;
 * undefined for records without a stamp.
 */
export function indexLagMs(records: readonly DynamoDBRecord[], now: number): number | undefined {
  const stamps = records.map((r) => r.dynamodb?.ApproximateCreationDateTime).filter((s) => s !== undefined);
  if (stamps.length === 0) return undefined;
  return Math.max(0, now - Math.max(...stamps) * 1000);
}

export function streamBatchHandler(options: {
  index: () => Promise<SearchIndexPort>;
  /** Runs before each batch (creating the index on a cold start). */
  prepare?: () => Promise<void>;
  /** Where the index lag goes (IndexLagMs). */
  metrics?: BusinessMetrics;
  now?: () => number;
}): (event: DynamoDBStreamEvent, context?: Context) => Promise<DynamoDBBatchResponse> {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  const now = options.now ?? Date.now;
  const recordHandler = (record: DynamoDBRecord) =>
    withLogKeys({ eventId: record.eventID }, async () => {
      const outcome = await applyChange(changeOf(record), await options.index());
      logger.debug('stream record applied', { outcome });
      return outcome;
    });
  return invocation(noKeys, async (event: DynamoDBStreamEvent, context?: Context) => {
    await options.prepare?.();
    // An invocation without records (e.g. `{}` from a deploy-time trigger) only prepares the index.
    if (!event?.Records?.length) return { batchItemFailures: [] };
    const response = await processPartialResponse(
      event,
      recordHandler,
      processor,
      context ? { context } : undefined,
    );
    const lag = indexLagMs(event.Records, now());
    if (lag !== undefined) options.metrics?.record('IndexLagMs', lag);
    return response;
  });
}
