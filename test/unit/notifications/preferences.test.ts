import { beforeAll, describe, expect, it } from 'vitest';
import {
  defaultPreferences,
  PreferencesSchema,
  withDefaults,
} from '../../../lambdas/notifications/domain/preferences.ts';
import type { PreferencesDeps } from '../../../lambdas/notifications/domain/use-cases.ts';
import { apiEvent, lambdaContext } from '../support.ts';
import { InMemoryNotifications } from './memory.ts';

const all = (email: boolean, sms: boolean) => ({
  orderConfirmed: { email, sms },
  orderShipped: { email, sms },
  orderDelivered: { email, sms },
  orderCancelled: { email, sms },
});

describe('notification preferences', () => {
  it('defaults to email on and SMS off for every kind', () => {
    expect(defaultPreferences()).toEqual(all(true, false));
    expect(withDefaults(undefined)).toEqual(all(true, false));
  });

  it('completes stored preferences with the defaults, ignoring what is not a boolean', () => {
    expect(
      withDefaults({ orderShipped: { email: false, sms: true }, orderDelivered: { sms: 'yes' }, extra: {} }),
    ).toEqual({ ...all(true, false), orderShipped: { email: false, sms: true } });
  });

  it('takes the whole set only: every kind, both channels, booleans, nothing else', () => {
    expect(PreferencesSchema.safeParse(all(false, true)).success).toBe(true);
    const { orderCancelled: _, ...missingKind } = all(true, false);
    expect(PreferencesSchema.safeParse(missingKind).success).toBe(false);
    expect(PreferencesSchema.safeParse({ ...all(true, false), orderShipped: { email: true } }).success).toBe(
      false,
    );
    expect(
      PreferencesSchema.safeParse({ ...all(true, false), orderShipped: { email: 1, sms: 0 } }).success,
    ).toBe(false);
    expect(
      PreferencesSchema.safeParse({ ...all(true, false), marketing: { email: true, sms: true } }).success,
    ).toBe(false);
    expect(
      PreferencesSchema.safeParse({
        ...all(true, false),
        orderShipped: { email: true, sms: false, push: true },
      }).success,
    ).toBe(false);
  });
});

describe('preference routes', () => {
  let get: typeof import('../../../lambdas/notifications/handlers/get-preferences.handler.ts').handler;
  let put: typeof import('../../../lambdas/notifications/handlers/put-preferences.handler.ts').handler;
  let store: InMemoryNotifications;

  beforeAll(async () => {
    process.env.NOTIFICATIONS_TABLE = 'notifications-test';
    const wiring = (await import('../../../lambdas/notifications/adapters/wiring.ts')) as {
      deps: PreferencesDeps;
    };
    store = new InMemoryNotifications();
    wiring.deps.preferences = store;
    get = (await import('../../../lambdas/notifications/handlers/get-preferences.handler.ts')).handler;
    put = (await import('../../../lambdas/notifications/handlers/put-preferences.handler.ts')).handler;
  });

  const as = (sub: string) => ({
    requestContext: { requestId: 'r-1', authorizer: { sub, groups: '[]' } } as never,
  });

  it('answers the defaults to a user who never chose, and 401 without a caller', async () => {
    const res = await get(apiEvent(as('u-new')), lambdaContext);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual(all(true, false));
    expect((await get(apiEvent(), lambdaContext)).statusCode).toBe(401);
  });

  it('replaces the preferences with a whole set and answers them; GET reads them back', async () => {
    const body = { ...all(true, false), orderShipped: { email: false, sms: true } };
    const res = await put(
      apiEvent({ ...as('u-1'), httpMethod: 'PUT', body: JSON.stringify(body) }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual(body);
    expect(JSON.parse((await get(apiEvent(as('u-1')), lambdaContext)).body)).toEqual(body);
    // Another user is untouched.
    expect(JSON.parse((await get(apiEvent(as('u-2')), lambdaContext)).body)).toEqual(all(true, false));
  });

  it('answers 400 with the fields for a partial body, and stores nothing', async () => {
    const res = await put(
      apiEvent({
        ...as('u-3'),
        httpMethod: 'PUT',
        body: JSON.stringify({ orderShipped: { email: false, sms: true } }),
      }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(400);
    const problem = JSON.parse(res.body) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path).sort()).toEqual([
      'orderCancelled',
      'orderConfirmed',
      'orderDelivered',
    ]);
    expect(store.preferences.has('u-3')).toBe(false);
  });

  it('answers 415 for a body that is not JSON, and 401 without a caller', async () => {
    const body = JSON.stringify(all(true, true));
    expect(
      (
        await put(
          apiEvent({ ...as('u-4'), httpMethod: 'PUT', body, headers: { 'content-type': 'text/plain' } }),
          lambdaContext,
        )
      ).statusCode,
    ).toBe(415);
    expect((await put(apiEvent({ httpMethod: 'PUT', body }), lambdaContext)).statusCode).toBe(401);
  });
});
