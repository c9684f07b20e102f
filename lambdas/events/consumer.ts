/**
 * An event consumer: an SQS-triggered function whose messages are catalogue events delivered by an
 * EventBridge rule. Each record is parsed (envelope and detail, against the catalogue schema of its
 * detail type) and handled on its own; Powertools batch reports the ones that failed, so SQS
 * retries only those and, past the queue's maxReceiveCount, moves a poison message to its DLQ
 * while the rest of the batch is done. Handlers must be idempotent: SQS and EventBridge deliver at
 * least once. The records of a batch run side by side; each one's log lines carry its event id
 * and order.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { invocation, noKeys } from '#shared/invocation.ts';
import { fieldOf, withLogKeys } from '#shared/log-context.ts';
import { type BusEvent, EVENTS, type EventDetail, type EventName } from './catalog.ts';

export type EventHandlers = {
  [E in EventName]?: (detail: EventDetail<E>, event: BusEvent<E>) => Promise<void>;
};

/** A record that can never be processed: retrying it is pointless, so it goes to the DLQ. */
export class PoisonEventError extends Error {
  override readonly name = 'PoisonEvent';
}

export function parseBusEvent(body: string, accepted: readonly EventName[]): BusEvent {
  let envelope: Partial<BusEvent> & { 'detail-type'?: string };
  try {
    envelope = JSON.parse(body) as typeof envelope;
  } catch {
    throw new PoisonEventError('The message body is not JSON.');
  }
  const type = envelope['detail-type'] as EventName | undefined;
  if (!type || !accepted.includes(type))
    throw new PoisonEventError(`Not an event this consumer takes: ${String(type)}.`);
  const spec = EVENTS[type];
  if (envelope.source !== spec.source)
    throw new PoisonEventError(`${type} from ${String(envelope.source)}, not ${spec.source}.`);
  const detail = spec.schema.safeParse(envelope.detail);
  if (!detail.success) {
    throw new PoisonEventError(
      `${type}: detail does not match the catalogue: ${detail.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return {
    id: String(envelope.id),
    source: spec.source,
    'detail-type': type,
    time: String(envelope.time),
    detail: detail.data,
  } as BusEvent;
}

/** The Lambda handler of a consumer of the events `handlers` names. */
export function eventConsumer(handlers: EventHandlers) {
  const accepted = Object.keys(handlers) as EventName[];
  const processor = new BatchProcessor(EventType.SQS);
  const record = async (r: SQSRecord) => {
    const event = parseBusEvent(r.body, accepted);
    const handle = handlers[event['detail-type']] as (d: unknown, e: BusEvent) => Promise<void>;
    const keys = {
      eventId: event.id,
      eventType: event['detail-type'],
      orderId: fieldOf(event.detail, 'orderId'),
    };
    await withLogKeys(keys, () => handle(event.detail, event));
  };
  return invocation(
    noKeys,
    (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
      processPartialResponse(event, record, processor, { context }),
  );
}
