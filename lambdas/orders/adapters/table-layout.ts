/**
 * The orders table's layout, shared by the adapter and the table's declaration (docs/architecture.md,
 * "Orders table"). One item per order. `byUser` lists a user's orders newest first. `pending` is
 * sparse: only PENDING orders carry its keys, spread over shards so checkout writes at scale do not
 * funnel into one index partition; the sweeper reads every shard.
 */
export const BY_USER_INDEX = 'byUser';
export const BY_USER_KEYS = { partition: 'userKey', sort: 'createdKey' } as const;
export const PENDING_INDEX = 'pending';
export const PENDING_KEYS = { partition: 'pendingShard', sort: 'pendingSince' } as const;
export const PENDING_SHARDS = 16;
