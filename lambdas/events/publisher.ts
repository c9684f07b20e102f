/**
 * Publishing catalogue events from a function: the detail is validated against its schema first
 * (a producer never puts an event its consumers cannot read), then put on the bus named by
 * EVENT_BUS_NAME. The client is made once per container; the SDK is loaded with `require`, as
 * every adapter here does.
 */
import { createRequire } from 'node:module';
import type * as EventBridgeModule from '@aws-sdk/client-eventbridge';
import { captureClient } from '#shared/tracer.ts';
import { EVENTS, type EventDetail, type EventName } from './catalog.ts';

const require = createRequire(import.meta.url);
let sdk: typeof EventBridgeModule | undefined;
let client: EventBridgeModule.EventBridgeClient | undefined;

export interface Publisher {
  publish<E extends EventName>(name: E, detail: EventDetail<E>): Promise<void>;
}

export function busPublisher(busName = process.env.EVENT_BUS_NAME): Publisher {
  return {
    async publish(name, detail) {
      if (!busName) throw new Error('Invalid environment: EVENT_BUS_NAME: required');
      const event = EVENTS[name];
      const checked = event.schema.parse(detail);
      sdk ??= require('@aws-sdk/client-eventbridge') as typeof EventBridgeModule;
      client ??= captureClient(new sdk.EventBridgeClient({}));
      const out = await client.send(
        new sdk.PutEventsCommand({
          Entries: [
            {
              EventBusName: busName,
              Source: event.source,
              DetailType: name,
              Detail: JSON.stringify(checked),
            },
          ],
        }),
      );
      // PutEvents answers 200 with per-entry failures: one not taken must fail the caller, who retries.
      if ((out.FailedEntryCount ?? 0) > 0) {
        const entry = out.Entries?.[0];
        throw new Error(`PutEvents refused ${name}: ${entry?.ErrorCode ?? ''} ${entry?.ErrorMessage ?? ''}`);
      }
    },
  };
}
