/**
 * Recipients from an event's contact. The contact is what the buyer's token stated at checkout,
 * unchecked: an address no provider would take is skipped rather than sent, since retrying a
 * rejected address only ends in the DLQ.
 */
import type { Channel } from './preferences.ts';

export interface Contact {
  email?: string;
  phone?: string;
}

export interface Recipient {
  channel: Channel;
  to: string;
}

export type AddressCheck = { kind: 'ok'; recipient: Recipient } | { kind: 'invalid'; channel: Channel };

const EMAIL = /^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[^\s@<>(),;:"[\]\\]+$/;
/** E.164, as SNS takes phone numbers. */
const E164 = /^\+[1-9]\d{6,14}$/;

export function normalisePhone(phone: string): string {
  return phone.replace(/[\s().-]/g, '');
}

/** One entry per channel the contact names (email -> email, phone -> sms), valid or not. */
export function recipientsOf(contact: Contact): AddressCheck[] {
  const out: AddressCheck[] = [];
  const email = contact.email?.trim();
  if (email) {
    out.push(
      email.length <= 254 && EMAIL.test(email)
        ? { kind: 'ok', recipient: { channel: 'email', to: email } }
        : { kind: 'invalid', channel: 'email' },
    );
  }
  const phone = contact.phone ? normalisePhone(contact.phone) : '';
  if (phone) {
    out.push(
      E164.test(phone)
        ? { kind: 'ok', recipient: { channel: 'sms', to: phone } }
        : { kind: 'invalid', channel: 'sms' },
    );
  }
  return out;
}
