/**
 * The cursor of GET /products: where the previous page of a listing stopped. A listing is ordered
 * by (createdAt, productId), newest first, so that pair is the whole position; the storage adapter
 * turns it back into its own start key, so the client never supplies a key, only a position.
 */
import * as z from 'zod';
import {
  encodeCursor,
  IsoInstantSchema,
  parseCursor,
  queryBinding,
  wrongQueryCursor,
} from '#shared/cursor.ts';
import { PRODUCT_ID_PATTERN } from './ids.ts';

export interface ListPosition {
  /** The last listed product's createdAt, as stored (Date.toISOString()). */
  createdAt: string;
  productId: string;
}

/** `{ h: <binding to the category, or to "all">, t: <createdAt>, id: <productId> }`, nothing else. */
const ListCursorSchema = z.strictObject({
  h: z.string(),
  t: IsoInstantSchema,
  id: z.string().regex(PRODUCT_ID_PATTERN),
});

const bindingFor = (category: string | undefined) => queryBinding(['products', category ?? null]);

export function encodeListCursor(category: string | undefined, position: ListPosition): string {
  return encodeCursor({ h: bindingFor(category), t: position.createdAt, id: position.productId });
}

/** The position a cursor issued for this listing (same category, or none) names; 400 otherwise. */
export function decodeListCursor(cursor: string, category: string | undefined): ListPosition {
  const { h, t, id } = parseCursor(cursor, ListCursorSchema);
  if (h !== bindingFor(category)) throw wrongQueryCursor();
  return { createdAt: t, productId: id };
}
