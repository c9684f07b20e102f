/**
 * A realistic order history for the demo's recommendations: OrderPlaced details generated over the
 * seeded products (lambdas/recommendations/seed.ts: categories, complements, skewed popularity),
 * delivered straight to the recommendations consumer's queue as the bus's rule would deliver them.
 * Only recommendations count them: they are not orders anyone placed, so fulfillment, reviews and
 * notifications never see them.
 */
import { GetQueueUrlCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  generateOrderHistory,
  type HistoryProduct,
  publishHistory,
} from '../../lambdas/recommendations/seed.ts';
import { LOCAL_CREDENTIALS, REGION } from '../template.ts';

export const HISTORY_QUEUE = 'store-local-recommendations-count';

export async function seedOrderHistory(options: {
  motoUrl: string;
  products: readonly HistoryProduct[];
  orders: number;
  seed?: number;
}): Promise<number> {
  const history = generateOrderHistory(options.products, {
    orders: options.orders,
    seed: options.seed ?? 42,
  });
  if (history.length === 0) return 0;
  const sqs = new SQSClient({ endpoint: options.motoUrl, region: REGION, credentials: LOCAL_CREDENTIALS });
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: HISTORY_QUEUE }));
  let pending: string[] = [];
  const flush = async () => {
    const entries = pending.map((body, i) => ({ Id: String(i), MessageBody: body }));
    pending = [];
    if (entries.length > 0) await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries }));
  };
  let n = 0;
  const count = await publishHistory(
    history,
    async (detail) => {
      pending.push(
        JSON.stringify({
          id: `seed-${options.seed ?? 42}-${n++}`,
          source: 'store.orders',
          'detail-type': 'OrderPlaced',
          time: detail.placedAt,
          detail,
        }),
      );
      if (pending.length >= 10) await flush();
    },
    { concurrency: 1 },
  );
  await flush();
  return count;
}
