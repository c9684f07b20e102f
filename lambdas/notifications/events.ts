/**
 * The catalogue events Notify takes, and the kind of message each one is: read by the consumer
 * and by the stack's subscription, so the rule matches exactly what the code handles.
 */
import type { EventName } from '#events/catalog.ts';
import type { NotificationKind } from './domain/preferences.ts';

export const KIND_OF_EVENT = {
  OrderPlaced: 'orderConfirmed',
  ShipmentShipped: 'orderShipped',
  ShipmentDelivered: 'orderDelivered',
  OrderCancelled: 'orderCancelled',
} as const satisfies Partial<Record<EventName, NotificationKind>>;

export const NOTIFY_EVENTS = Object.keys(KIND_OF_EVENT) as (keyof typeof KIND_OF_EVENT)[];
