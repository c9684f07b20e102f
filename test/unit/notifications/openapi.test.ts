import { OpenAPIRegistry, OpenApiGeneratorV3 } from '@asteasolutions/zod-to-openapi';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { registerNotificationsPaths, registerOutboxPath } from '../../../lambdas/notifications/openapi.ts';

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
