/** GET /orders?limit=&cursor= (signed in): the caller's orders, newest first. One Query. */
import { requireCaller } from '#shared/auth.ts';
import { httpHandler, queryParams } from '#shared/http.ts';
import { validate } from '#shared/validation.ts';
import { deps } from '../adapters/wiring.ts';
import { decodeOrdersCursor, encodeOrdersCursor } from '../domain/list-cursor.ts';
import { ListOrdersQuerySchema } from '../domain/schemas.ts';
import { listOrders } from '../domain/use-cases.ts';

export const handler = httpHandler(async (event) => {
  const caller = requireCaller(event);
  const query = validate(ListOrdersQuerySchema, queryParams(event), 'query');
  const after = query.cursor === undefined ? undefined : decodeOrdersCursor(query.cursor, caller.sub);
  const page = await listOrders(deps, caller, query.limit, after);
  return {
    status: 200,
    body: {
      items: page.items,
      ...(page.last ? { nextCursor: encodeOrdersCursor(caller.sub, page.last) } : {}),
    },
  };
});
