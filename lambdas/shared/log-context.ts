/**
 * The correlation keys of the work in progress (the invocation's request id, the order, the
 * event), which the logger adds to every line it writes. They live in an async-local scope rather
 * than on the logger: a batch's records run side by side, each with its own keys, and a key can
 * never outlive the invocation that set it. This module is small on purpose: a function loads the
 * logger only when it first logs, and that line still carries the keys.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export type LogKeys = Readonly<Record<string, string>>;

const scope = new AsyncLocalStorage<LogKeys>();

/** Runs `fn` with `keys` added to the enclosing scope's (undefined and empty values are left out). */
export function withLogKeys<T>(keys: Record<string, string | undefined>, fn: () => T): T {
  const added = Object.entries(keys).filter((entry): entry is [string, string] => !!entry[1]);
  return scope.run({ ...scope.getStore(), ...Object.fromEntries(added) }, fn);
}

/** The keys in force here; none outside an invocation. */
export function logKeys(): LogKeys {
  return scope.getStore() ?? {};
}

/** A string field of an event, if it has one (step inputs, event details). */
export function fieldOf(event: unknown, name: string): string | undefined {
  const value = (event as Record<string, unknown> | null | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}
