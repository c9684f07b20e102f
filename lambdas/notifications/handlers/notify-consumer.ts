/**
 * The Notify consumer over its ports: each catalogue event it takes becomes one notice, sent
 * to the contact the event carries, as the owner's preferences allow, once per channel. The
 * handler module binds it to the real adapters; tests bind it to in-memory ones.
 */
import { eventConsumer } from '#events/consumer.ts';
import { type NotifyDeps, notify } from '../domain/use-cases.ts';
import { KIND_OF_EVENT } from '../events.ts';

export interface NotifyObserver {
  /** Called with what happened per channel (the handler logs it). */
  onOutcome?: (what: { type: string; orderId: string; outcomes: Awaited<ReturnType<typeof notify>> }) => void;
}

/**
 * Runs tasks of the same key one after another. The batch processor handles a batch's records
 * in parallel, and a duplicate delivered in the same batch would otherwise find the original's
 * lease held and fail, to be retried only after the visibility timeout; in turn it finds the
 * original's SENT mark and is done.
 */
export function keyedQueue() {
  const tails = new Map<string, Promise<unknown>>();
  return async <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}

export function notifyConsumer(deps: NotifyDeps, observer: NotifyObserver = {}) {
  const serial = keyedQueue();
  const run = async (type: string, delivery: Parameters<typeof notify>[1]) => {
    const { notice } = delivery;
    const fact = `${notice.kind}#${notice.orderId}#${'shipmentId' in notice ? notice.shipmentId : ''}`;
    const outcomes = await serial(fact, () => notify(deps, delivery));
    observer.onOutcome?.({ type, orderId: notice.orderId, outcomes });
  };
  return eventConsumer({
    OrderPlaced: (d, e) =>
      run(e['detail-type'], {
        notice: {
          kind: KIND_OF_EVENT.OrderPlaced,
          orderId: d.orderId,
          total: d.total,
          itemCount: d.lines.reduce((n, line) => n + line.quantity, 0),
        },
        contact: d.contact,
        userId: d.userId,
        eventId: e.id,
      }),
    ShipmentShipped: (d, e) =>
      run(e['detail-type'], {
        notice: {
          kind: KIND_OF_EVENT.ShipmentShipped,
          orderId: d.orderId,
          shipmentId: d.shipmentId,
          trackingNumber: d.trackingNumber,
        },
        contact: d.contact,
        eventId: e.id,
      }),
    ShipmentDelivered: (d, e) =>
      run(e['detail-type'], {
        notice: { kind: KIND_OF_EVENT.ShipmentDelivered, orderId: d.orderId, shipmentId: d.shipmentId },
        contact: d.contact,
        eventId: e.id,
      }),
    OrderCancelled: (d, e) =>
      run(e['detail-type'], {
        notice: { kind: KIND_OF_EVENT.OrderCancelled, orderId: d.orderId, refund: d.refund },
        contact: d.contact,
        userId: d.userId,
        eventId: e.id,
      }),
  });
}
