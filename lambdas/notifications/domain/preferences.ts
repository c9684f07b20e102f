/**
 * Notification preferences (API.md, "Notifications"): per kind of message, whether it goes by
 * email and by SMS. A user who never chose gets the defaults: email on, SMS off (SMS costs per
 * message and needs an explicit opt-in in many countries).
 */
import * as z from 'zod';

export const KINDS = ['orderConfirmed', 'orderShipped', 'orderDelivered', 'orderCancelled'] as const;
export type NotificationKind = (typeof KINDS)[number];

export const CHANNELS = ['email', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

export const ChannelChoiceSchema = z.strictObject({
  email: z.boolean().meta({ description: 'Send this kind of message by email.' }),
  sms: z.boolean().meta({ description: 'Send this kind of message by SMS.' }),
});
export type ChannelChoice = z.output<typeof ChannelChoiceSchema>;

/**
 * The whole set, every kind required: a PUT replaces the stored preferences, so a client always
 * states every choice and never has to guess what a partial update merges with.
 */
export const PreferencesSchema = z
  .strictObject({
    orderConfirmed: ChannelChoiceSchema.meta({ description: 'The order is confirmed (paid).' }),
    orderShipped: ChannelChoiceSchema.meta({ description: 'A shipment of the order left the warehouse.' }),
    orderDelivered: ChannelChoiceSchema.meta({ description: 'A shipment of the order was delivered.' }),
    orderCancelled: ChannelChoiceSchema.meta({ description: 'The order was cancelled and refunded.' }),
  })
  .meta({
    id: 'NotificationPreferences',
    description: 'Per kind of message, the channels it is sent on. Defaults: email on, SMS off.',
  });
export type Preferences = z.output<typeof PreferencesSchema>;

export const DEFAULT_CHOICE: Readonly<ChannelChoice> = Object.freeze({ email: true, sms: false });

export function defaultPreferences(): Preferences {
  return Object.fromEntries(KINDS.map((k) => [k, { ...DEFAULT_CHOICE }])) as Preferences;
}

/**
 * Stored preferences completed with the defaults: a kind added after the user saved theirs, or a
 * value that is not a boolean, reads as the default rather than failing the read.
 */
export function withDefaults(stored: unknown): Preferences {
  const out = defaultPreferences();
  if (typeof stored !== 'object' || stored === null) return out;
  for (const kind of KINDS) {
    const choice = (stored as Record<string, unknown>)[kind];
    if (typeof choice !== 'object' || choice === null) continue;
    for (const channel of CHANNELS) {
      const on = (choice as Record<string, unknown>)[channel];
      if (typeof on === 'boolean') out[kind][channel] = on;
    }
  }
  return out;
}

export const allows = (preferences: Preferences, kind: NotificationKind, channel: Channel): boolean =>
  preferences[kind][channel];
