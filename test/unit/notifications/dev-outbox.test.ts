import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { OutboxEntry } from '../../../lambdas/notifications/domain/outbox.ts';
import { apiEvent, lambdaContext } from '../support.ts';

describe('GET /dev/outbox', () => {
  let handler: typeof import('../../../lambdas/notifications/handlers/dev-outbox.handler.ts').handler;
  const asked: string[] = [];
  const entry: OutboxEntry = {
    to: '+15550100123',
    channel: 'sms',
    kind: 'orderShipped',
    body: 'Serverless Store: order o-1 has shipped.',
    orderId: 'o-1',
    eventId: 'evt-1',
    sentAt: '2030-01-01T00:00:00.000Z',
  };

  beforeAll(async () => {
    process.env.OUTBOX_TABLE = 'outbox-test';
    const wiring = await import('../../../lambdas/notifications/adapters/outbox-wiring.ts');
    vi.spyOn(wiring.outbox, 'sentTo').mockImplementation(async (to) => {
      asked.push(to);
      return [entry];
    });
    handler = (await import('../../../lambdas/notifications/handlers/dev-outbox.handler.ts')).handler;
  });

  const as = (groups: string[]) => ({
    requestContext: {
      requestId: 'r-1',
      authorizer: { sub: 'admin-1', groups: JSON.stringify(groups) },
    } as never,
  });

  it('answers the messages to an address for an admin; 401 and 403 otherwise', async () => {
    const query = { queryStringParameters: { to: '+15550100123' } };
    const ok = await handler(apiEvent({ ...as(['admin']), ...query }), lambdaContext);
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ items: [entry] });
    expect((await handler(apiEvent(query), lambdaContext)).statusCode).toBe(401);
    expect((await handler(apiEvent({ ...as([]), ...query }), lambdaContext)).statusCode).toBe(403);
  });

  it('requires `to`, takes nothing else, and restores the `+` a form-decoded query turned into a space', async () => {
    expect((await handler(apiEvent(as(['admin'])), lambdaContext)).statusCode).toBe(400);
    expect(
      (
        await handler(
          apiEvent({ ...as(['admin']), queryStringParameters: { to: 'a@b.c', limit: '5' } }),
          lambdaContext,
        )
      ).statusCode,
    ).toBe(400);
    asked.length = 0;
    await handler(
      apiEvent({ ...as(['admin']), queryStringParameters: { to: ' 15550100123' } }),
      lambdaContext,
    );
    expect(asked).toEqual(['+15550100123']);
  });
});
