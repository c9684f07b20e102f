/**
 * What each kind of message says, per channel: an email (subject and plain-text body) or an SMS
 * (one segment). Only what the buyer needs to recognise the order and act: ids, the tracking
 * number, amounts; never the address, the name or the lines' contents, so a message read over
 * someone's shoulder or left in a provider's logs gives away little.
 */
import type { Channel } from './preferences.ts';

export const BRAND = 'Serverless Store';

/** One GSM-7 segment: longer messages are split and billed per part. */
export const SMS_MAX_CHARS = 160;

export interface Money {
  /** Minor units. */
  amount: number;
  currency: 'USD';
}

/** The facts of one notification, by kind, taken from the event. */
export type Notice =
  | { kind: 'orderConfirmed'; orderId: string; total: Money; itemCount: number }
  | { kind: 'orderShipped'; orderId: string; shipmentId: string; trackingNumber: string }
  | { kind: 'orderDelivered'; orderId: string; shipmentId: string }
  | { kind: 'orderCancelled'; orderId: string; refund: Money };

export interface Rendered {
  /** Email only. */
  subject?: string;
  body: string;
}

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** Minor units as dollars: 123456 -> `$1,234.56`. */
export function formatUsd(money: Money): string {
  return usd.format(money.amount / 100);
}

/**
 * Text that is safe in one GSM-7 segment: any character outside a conservative ASCII subset
 * (one an SMS encodes in one septet) becomes `-`, since a single other character switches the
 * message to UCS-2 and its limit to 70 characters.
 */
export function gsmSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9 .,:;!?'"()#%&*+/=<>@_$-]/g, '-');
}

/** The last characters of a long id: enough to tell orders apart in an SMS. */
const shortRef = (id: string) => (id.length > 12 ? `...${id.slice(-12)}` : id);

/** The first text that fits one segment: the full one, then the one with shortened ids, then cut. */
function fitSms(...candidates: string[]): string {
  const safe = candidates.map(gsmSafe);
  const fits = safe.find((text) => text.length <= SMS_MAX_CHARS);
  return fits ?? (safe[safe.length - 1] ?? '').slice(0, SMS_MAX_CHARS);
}

const FOOTER = [
  '',
  `${BRAND}`,
  'You get this message because of your notification preferences; change them in your account.',
].join('\n');

function email(notice: Notice): Rendered {
  const { orderId } = notice;
  switch (notice.kind) {
    case 'orderConfirmed':
      return {
        subject: `Your order ${orderId} is confirmed`,
        body: [
          'Thank you for your order.',
          '',
          `Order ${orderId} is confirmed: ${notice.itemCount} ${notice.itemCount === 1 ? 'item' : 'items'}, ${formatUsd(notice.total)} charged.`,
          'We will write again when it ships.',
          FOOTER,
        ].join('\n'),
      };
    case 'orderShipped':
      return {
        subject: `Your order ${orderId} has shipped`,
        body: [
          `A shipment of your order ${orderId} is on its way.`,
          '',
          `Tracking number: ${notice.trackingNumber}`,
          FOOTER,
        ].join('\n'),
      };
    case 'orderDelivered':
      return {
        subject: `Your order ${orderId} was delivered`,
        body: [`A shipment of your order ${orderId} was delivered.`, FOOTER].join('\n'),
      };
    case 'orderCancelled':
      return {
        subject: `Your order ${orderId} is cancelled`,
        body: [
          `Order ${orderId} is cancelled.`,
          '',
          `A refund of ${formatUsd(notice.refund)} goes back to your payment method; banks take a few days to show it.`,
          FOOTER,
        ].join('\n'),
      };
  }
}

function sms(notice: Notice): Rendered {
  const { orderId } = notice;
  const both = (text: (ref: string) => string) => fitSms(text(orderId), text(shortRef(orderId)));
  switch (notice.kind) {
    case 'orderConfirmed':
      return {
        body: both((ref) => `${BRAND}: order ${ref} is confirmed, ${formatUsd(notice.total)} charged.`),
      };
    case 'orderShipped':
      return {
        body: both((ref) => `${BRAND}: order ${ref} has shipped. Tracking number ${notice.trackingNumber}.`),
      };
    case 'orderDelivered':
      return { body: both((ref) => `${BRAND}: a shipment of order ${ref} was delivered.`) };
    case 'orderCancelled':
      return {
        body: both((ref) => `${BRAND}: order ${ref} is cancelled; ${formatUsd(notice.refund)} is refunded.`),
      };
  }
}

export function render(notice: Notice, channel: Channel): Rendered {
  return channel === 'email' ? email(notice) : sms(notice);
}
