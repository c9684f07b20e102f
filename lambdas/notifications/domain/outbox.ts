/**
 * The local cloud's outbox (stage local only): every message the local cloud would have sent,
 * as GET /dev/outbox?to= shows it, newest first. The shapes serve the handler and the OpenAPI
 * document.
 */
import * as z from 'zod';
import { CHANNELS, KINDS } from './preferences.ts';

/** The most recent messages a read returns: tests look at the last few. */
export const OUTBOX_PAGE = 100;

/** At most this many characters (code points, as JSON Schema counts them) in `to`. */
export const MAX_ADDRESS = 320;

export const OutboxQuerySchema = z.strictObject({
  to: z
    .string({ error: 'to: an email address or an E.164 phone number is required.' })
    .min(1, `to: 1 to ${MAX_ADDRESS} characters.`)
    .refine((value) => [...value].length <= MAX_ADDRESS, `to: 1 to ${MAX_ADDRESS} characters.`)
    .meta({ description: 'An email address or an E.164 phone number.', maxLength: MAX_ADDRESS }),
});

export const OutboxEntrySchema = z
  .object({
    to: z.string(),
    channel: z.enum(CHANNELS),
    kind: z.enum(KINDS),
    subject: z.string().optional().meta({ description: 'Email only.' }),
    body: z.string(),
    orderId: z.string(),
    eventId: z.string(),
    sentAt: z.iso.datetime(),
  })
  .meta({ id: 'OutboxEntry' });
export type OutboxEntry = z.output<typeof OutboxEntrySchema>;

export const OutboxPageSchema = z.object({ items: z.array(OutboxEntrySchema) }).meta({
  id: 'Outbox',
  description: `Messages the local cloud would have sent to the address, newest first (at most ${OUTBOX_PAGE}).`,
});
