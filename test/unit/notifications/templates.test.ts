import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../lambdas/notifications/domain/preferences.ts';
import {
  formatUsd,
  gsmSafe,
  type Notice,
  render,
  SMS_MAX_CHARS,
} from '../../../lambdas/notifications/domain/templates.ts';

const notices: Notice[] = [
  { kind: 'orderConfirmed', orderId: 'ord-1', total: { amount: 123456, currency: 'USD' }, itemCount: 3 },
  { kind: 'orderShipped', orderId: 'ord-1', shipmentId: 'shp-1', trackingNumber: '1Z999AA10123456784' },
  { kind: 'orderDelivered', orderId: 'ord-1', shipmentId: 'shp-1' },
  { kind: 'orderCancelled', orderId: 'ord-1', refund: { amount: 4999, currency: 'USD' } },
];

describe('notification templates', () => {
  it('formats minor units as US dollars', () => {
    expect(formatUsd({ amount: 123456, currency: 'USD' })).toBe('$1,234.56');
    expect(formatUsd({ amount: 5, currency: 'USD' })).toBe('$0.05');
    expect(formatUsd({ amount: 0, currency: 'USD' })).toBe('$0.00');
  });

  it('gives every kind an email with a subject and a text body naming the order', () => {
    for (const notice of notices) {
      const mail = render(notice, 'email');
      expect(mail.subject, notice.kind).toContain('ord-1');
      expect(mail.body, notice.kind).toContain('ord-1');
    }
    expect(render(notices[0] as Notice, 'email')).toMatchObject({
      subject: 'Your order ord-1 is confirmed',
      body: expect.stringContaining('3 items, $1,234.56 charged'),
    });
    expect(render(notices[1] as Notice, 'email').body).toContain('Tracking number: 1Z999AA10123456784');
    expect(render(notices[3] as Notice, 'email').body).toContain('A refund of $49.99');
  });

  it('gives every kind an SMS of one segment, without a subject', () => {
    for (const notice of notices) {
      const sms = render(notice, 'sms');
      expect(sms.subject).toBeUndefined();
      expect(sms.body.length).toBeLessThanOrEqual(SMS_MAX_CHARS);
      expect(sms.body).toContain('ord-1');
    }
    expect(render(notices[1] as Notice, 'sms').body).toContain('1Z999AA10123456784');
    expect(render(notices[3] as Notice, 'sms').body).toContain('$49.99 is refunded');
  });

  it('keeps an SMS within 160 GSM-7 characters however long the ids', () => {
    const longId = `o-${'x'.repeat(126)}`;
    const tracking = 'T'.repeat(64);
    const long: Notice[] = [
      {
        kind: 'orderConfirmed',
        orderId: longId,
        total: { amount: 99_999_999, currency: 'USD' },
        itemCount: 1,
      },
      { kind: 'orderShipped', orderId: longId, shipmentId: longId, trackingNumber: tracking },
      { kind: 'orderDelivered', orderId: longId, shipmentId: longId },
      { kind: 'orderCancelled', orderId: longId, refund: { amount: 1, currency: 'USD' } },
    ];
    for (const notice of long) {
      const { body } = render(notice, 'sms');
      expect(body.length, notice.kind).toBeLessThanOrEqual(SMS_MAX_CHARS);
      // The tail of the order id tells orders apart.
      expect(body, notice.kind).toContain(longId.slice(-12));
      expect(gsmSafe(body)).toBe(body);
    }
    expect(render(long[1] as Notice, 'sms').body).toContain(tracking);
  });

  it('replaces characters that would force UCS-2 in an SMS', () => {
    const { body } = render(
      { kind: 'orderShipped', orderId: 'o-1', shipmentId: 's-1', trackingNumber: 'ÄB–12€' },
      'sms',
    );
    expect(body).toContain('-B-12-');
    expect(gsmSafe('ok 1.2:3')).toBe('ok 1.2:3');
  });

  it('states no address, name or lines in any message', () => {
    for (const notice of notices) {
      for (const channel of CHANNELS) {
        const { subject = '', body } = render(notice, channel);
        expect(`${subject}${body}`).not.toMatch(/street|address|sku/i);
      }
    }
  });
});
