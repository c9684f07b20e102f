import { OpenAPIRegistry, OpenApiGeneratorV3 } from '@asteasolutions/zod-to-openapi';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import type { OutboxEntry } from '../../../lambdas/notifications/domain/outbox.ts';
import type { PreferencesDeps } from '../../../lambdas/notifications/domain/use-cases.ts';
import { registerNotificationsPaths, registerOutboxPath } from '../../../lambdas/notifications/openapi.ts';
import {
  awkwardText,
  documentAllowsBody,
  documentAllowsParam,
  expectDocumented,
  ownStatuses,
  produced,
} from '../openapi-support.ts';
import { apiEvent, lambdaContext } from '../support.ts';
import { InMemoryNotifications } from './memory.ts';

function document(withOutbox: boolean) {
  const registry = new OpenAPIRegistry();
  const problem = (description: string) => ({
    description,
    content: { 'application/problem+json': { schema: z.object({ title: z.string() }) } },
  });
  registerNotificationsPaths(registry, { bearer: 'bearer', problem });
  if (withOutbox) registerOutboxPath(registry, { bearer: 'bearer', problem });
  return new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: { title: 't', version: '1' },
  });
}

describe('OpenAPI document: notifications', () => {
  it('documents both preference routes, bearer-only, with every status they answer', () => {
    const doc = document(false);
    const item = doc.paths['/me/notification-preferences'];
    expect(item?.get?.security).toEqual([{ bearer: [] }]);
    expect(item?.put?.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(item?.get?.responses ?? {}).sort()).toEqual(['200', '401']);
    // 415 is added for every body by the ops document (withUnsupportedMediaType).
    expect(Object.keys(item?.put?.responses ?? {}).sort()).toEqual(['200', '400', '401']);
    expect(doc.paths['/dev/outbox']).toBeUndefined();
  });

  it('describes the preferences from the validation schema: every kind required, strict', () => {
    const schemas = document(false).components?.schemas ?? {};
    expect(schemas.NotificationPreferences).toMatchObject({
      additionalProperties: false,
      required: ['orderConfirmed', 'orderShipped', 'orderDelivered', 'orderCancelled'],
    });
    const properties = (schemas.NotificationPreferences as { properties: Record<string, unknown> })
      .properties;
    expect(properties.orderShipped).toMatchObject({
      additionalProperties: false,
      required: ['email', 'sms'],
      properties: { email: { type: 'boolean' }, sms: { type: 'boolean' } },
    });
  });

  it('documents the outbox route (local stage) with its required `to`', () => {
    const doc = document(true);
    const get = doc.paths['/dev/outbox']?.get;
    expect(Object.keys(get?.responses ?? {}).sort()).toEqual(['200', '400', '401', '403']);
    expect(get?.parameters).toEqual([expect.objectContaining({ name: 'to', in: 'query', required: true })]);
    expect(doc.components?.schemas?.Outbox).toBeDefined();
  });
});

describe('the notifications routes against the published document', () => {
  type Handler = (
    event: APIGatewayProxyEvent,
    context: typeof lambdaContext,
  ) => Promise<APIGatewayProxyResult>;
  let get: Handler;
  let put: Handler;
  let outbox: Handler;
  const GET = 'GET /me/notification-preferences';
  const PUT = 'PUT /me/notification-preferences';
  const OUTBOX = 'GET /dev/outbox';
  const all = (email: boolean, sms: boolean) => ({
    orderConfirmed: { email, sms },
    orderShipped: { email, sms },
    orderDelivered: { email, sms },
    orderCancelled: { email, sms },
  });
  const entry: OutboxEntry = {
    to: 'ann@example.com',
    channel: 'email',
    kind: 'orderShipped',
    subject: 'Your order has shipped',
    body: 'Order o-1 has shipped.',
    orderId: 'o-1',
    eventId: 'evt-1',
    sentAt: '2030-01-01T00:00:00.000Z',
  };

  beforeAll(async () => {
    process.env.NOTIFICATIONS_TABLE = 'notifications-test';
    process.env.OUTBOX_TABLE = 'outbox-test';
    const wiring = (await import('../../../lambdas/notifications/adapters/wiring.ts')) as {
      deps: PreferencesDeps;
    };
    wiring.deps.preferences = new InMemoryNotifications();
    const outboxWiring = await import('../../../lambdas/notifications/adapters/outbox-wiring.ts');
    vi.spyOn(outboxWiring.outbox, 'sentTo').mockImplementation(async (to) =>
      to === entry.to ? [entry] : [],
    );
    get = (await import('../../../lambdas/notifications/handlers/get-preferences.handler.ts')).handler;
    put = (await import('../../../lambdas/notifications/handlers/put-preferences.handler.ts')).handler;
    outbox = (await import('../../../lambdas/notifications/handlers/dev-outbox.handler.ts')).handler;
  });

  const as = (sub: string | null, groups: string[] = []) =>
    ({
      requestId: 'r-1',
      authorizer: sub === null ? null : { sub, groups: JSON.stringify(groups) },
    }) as unknown as APIGatewayProxyEvent['requestContext'];

  const putBody = (body: unknown, opts: { sub?: string | null; contentType?: string } = {}) =>
    put(
      apiEvent({
        httpMethod: 'PUT',
        headers: { 'content-type': opts.contentType ?? 'application/json' },
        body: JSON.stringify(body),
        requestContext: as(opts.sub === undefined ? 'u-1' : opts.sub),
      }),
      lambdaContext,
    );

  it('PUT: a body is a 400 exactly where the NotificationPreferences schema refuses it', async () => {
    const { orderCancelled: _, ...missingKind } = all(true, false);
    for (const body of [
      all(true, false),
      all(false, true),
      missingKind,
      { ...all(true, false), orderShipped: { email: true } },
      { ...all(true, false), orderShipped: { email: 1, sms: 0 } },
      { ...all(true, false), marketing: { email: true, sms: true } },
      { ...all(true, false), orderShipped: { email: true, sms: false, push: true } },
      [],
      null,
    ]) {
      const res = await putBody(body);
      expect(res.statusCode === 400, JSON.stringify(body)).toBe(!documentAllowsBody(PUT, body));
      expectDocumented(PUT, res);
    }
  });

  it('GET and PUT answer 200 with the preferences, 401 without a caller, 415 for a body not JSON', async () => {
    for (const res of [
      await get(apiEvent({ requestContext: as('u-2') }), lambdaContext),
      await get(apiEvent({ requestContext: as(null) }), lambdaContext),
    ]) {
      expectDocumented(GET, res);
    }
    for (const res of [
      await putBody(all(false, false), { sub: null }),
      await putBody(all(false, false), { contentType: 'text/plain' }),
      await putBody(all(false, true), { sub: 'u-2' }),
    ]) {
      expectDocumented(PUT, res);
    }
    const stored = await get(apiEvent({ requestContext: as('u-2') }), lambdaContext);
    expect(JSON.parse(stored.body)).toEqual(all(false, true));
    expectDocumented(GET, stored);
  });

  it('GET /dev/outbox: `to` is a 400 exactly where the document refuses it; 200, 401, 403 as listed', async () => {
    const ask = (query: Record<string, string> | null, sub: string | null = 'admin-1', groups = ['admin']) =>
      outbox(apiEvent({ queryStringParameters: query, requestContext: as(sub, groups) }), lambdaContext);
    for (const to of [...awkwardText(320), entry.to, '+15550100123', undefined]) {
      const res = await ask(to === undefined ? null : { to });
      const allowed = documentAllowsParam(OUTBOX, 'query', 'to', to);
      expect(res.statusCode, String(to).slice(0, 40)).toBe(allowed ? 200 : 400);
      expectDocumented(OUTBOX, res);
    }
    const found = await ask({ to: entry.to });
    expect(JSON.parse(found.body)).toEqual({ items: [entry] });
    for (const res of [
      await ask({ to: entry.to }, null),
      await ask({ to: entry.to }, 'ann', []),
      await ask({ to: 'a', x: '1' }),
    ]) {
      expectDocumented(OUTBOX, res);
    }
  });

  afterAll(() => {
    expect(produced(GET)).toEqual(ownStatuses(registerNotificationsPaths, GET));
    expect(produced(PUT)).toEqual([...ownStatuses(registerNotificationsPaths, PUT), '415'].sort());
    expect(produced(OUTBOX)).toEqual(ownStatuses(registerOutboxPath, OUTBOX));
  });
});
