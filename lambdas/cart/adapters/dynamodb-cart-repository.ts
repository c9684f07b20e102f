/**
 * Carts table adapter (docs/architecture.md, "Carts table"). One item per cart. Quantities live in
 * the map `qty` and line snapshots in the map `lines`, both keyed by SKU: an add is then a single
 * UpdateItem, `qty.<sku> = if_not_exists(qty.<sku>, 0) + n`, whatever the line's state, and two
 * adds at once both count. The condition expression carries every rule of `decide`; when it fails
 * the old item comes back with the error (ReturnValuesOnConditionCheckFailure), and `decide` on it
 * names the rule, so a rejected write costs no extra read. The checkout saga's clear is read, then
 * one UpdateItem conditional on the version read (`clearUpdateFor`), since it depends on the lines.
 */
import { createRequire } from 'node:module';
import type * as LibModule from '@aws-sdk/lib-dynamodb';
import type * as UtilModule from '@aws-sdk/util-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
} from '#shared/dynamodb.ts';
import { type Cart, type CartLine, epochSeconds, MAX_LINES, MAX_QUANTITY } from '../domain/cart.ts';
import { CartBusyError } from '../domain/errors.ts';
import type { CartRepository } from '../domain/ports.ts';
import { type CartWrite, changedSku, decide } from '../domain/writes.ts';

// #shared/dynamodb.ts exports the commands the catalog needs; carts also put and update. Same
// modules, loaded the same way (require: no ESM interop pass over the SDK), so nothing loads twice.
const require = createRequire(import.meta.url);
const { PutCommand, UpdateCommand } = require('@aws-sdk/lib-dynamodb') as typeof LibModule;
const { unmarshall } = require('@aws-sdk/util-dynamodb') as typeof UtilModule;

type Item = Record<string, unknown>;

export const cartKey = (cartId: string) => ({ pk: `CART#${cartId}`, sk: 'CART' });

interface StoredLine {
  productId: string;
  name: string;
  unitPrice: CartLine['unitPrice'];
  addedAt: string;
}

export function toCartItem(cart: Cart): Item {
  const qty: Record<string, number> = {};
  const lines: Record<string, StoredLine> = {};
  for (const line of cart.lines) {
    qty[line.sku] = line.quantity;
    lines[line.sku] = snapshot(line);
  }
  const item: Item = {
    ...cartKey(cart.cartId),
    cartId: cart.cartId,
    qty,
    lines,
    version: cart.version,
    createdAt: cart.createdAt,
    updatedAt: cart.updatedAt,
  };
  // Absent, not null: conditions test attribute_not_exists(ownerId), and TTL reads expiresAt.
  if (cart.ownerId !== undefined) item.ownerId = cart.ownerId;
  if (cart.expiresAt !== undefined) item.expiresAt = cart.expiresAt;
  // Kept through every Put (a merge into this cart), or a retried clear would subtract again.
  if (cart.clearedOrders?.length) item.clearedOrders = cart.clearedOrders;
  return item;
}

export function fromCartItem(item: Item): Cart {
  const qty = (item.qty ?? {}) as Record<string, unknown>;
  const stored = (item.lines ?? {}) as Record<string, StoredLine | undefined>;
  const lines: CartLine[] = [];
  for (const [sku, quantity] of Object.entries(qty)) {
    const line = stored[sku];
    // Both maps change in the same expression; a quantity without a snapshot cannot be shown.
    if (line) lines.push({ sku, quantity: Number(quantity), ...line });
  }
  const cart: Cart = {
    cartId: String(item.cartId),
    lines,
    version: Number(item.version),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
  };
  if (typeof item.ownerId === 'string') cart.ownerId = item.ownerId;
  if (item.expiresAt !== undefined) cart.expiresAt = Number(item.expiresAt);
  if (Array.isArray(item.clearedOrders)) cart.clearedOrders = item.clearedOrders.map(String);
  return cart;
}

function snapshot(line: CartLine): StoredLine {
  return { productId: line.productId, name: line.name, unitPrice: line.unitPrice, addedAt: line.addedAt };
}

/** Builds an expression's name and value maps from what the expression actually uses. */
class Expression {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};
  private counter = 0;

  name(attribute: string): string {
    const found = Object.entries(this.names).find(([, a]) => a === attribute)?.[0];
    if (found) return found;
    const placeholder = `#n${this.counter++}`;
    this.names[placeholder] = attribute;
    return placeholder;
  }

  value(v: unknown): string {
    const placeholder = `:v${this.counter++}`;
    this.values[placeholder] = v;
    return placeholder;
  }
}

/** The UpdateItem for one line write: `decide`'s rules as a condition. */
export function updateFor(request: CartWrite, tableName: string) {
  const x = new Expression();
  // Placeholders are made where used: DynamoDB refuses names or values an expression leaves unused.
  const version = x.name('version');
  const qty = () => x.name('qty');
  const sku = () => x.name(changedSku(request.change));
  const path = (map: string) => `${x.name(map)}.${sku()}`;
  const conditions = ['attribute_exists(pk)'];
  const sets = [
    `${version} = ${version} + ${x.value(1)}`,
    `${x.name('updatedAt')} = ${x.value(request.now.toISOString())}`,
  ];
  const removes: string[] = [];

  if (request.access.kind === 'guest') {
    const expires = x.name('expiresAt');
    conditions.push(
      `attribute_not_exists(${x.name('ownerId')})`,
      `(attribute_not_exists(${expires}) OR ${expires} > ${x.value(epochSeconds(request.now))})`,
    );
    sets.push(`${expires} = ${x.value(request.access.expiresAt)}`);
  } else {
    conditions.push(`${x.name('ownerId')} = ${x.value(request.access.ownerId)}`);
  }
  if (request.expectedVersion !== undefined) {
    conditions.push(`${version} = ${x.value(request.expectedVersion)}`);
  }

  const change = request.change;
  const line = path('qty');
  switch (change.kind) {
    case 'add':
      sets.push(
        `${line} = if_not_exists(${line}, ${x.value(0)}) + ${x.value(change.line.quantity)}`,
        `${path('lines')} = ${x.value(snapshot(change.line))}`,
      );
      conditions.push(
        `((attribute_exists(${line}) AND ${line} <= ${x.value(MAX_QUANTITY - change.line.quantity)})` +
          ` OR (attribute_not_exists(${line}) AND size(${qty()}) < ${x.value(MAX_LINES)}))`,
      );
      break;
    case 'set':
      sets.push(`${line} = ${x.value(change.quantity)}`);
      conditions.push(`attribute_exists(${line})`);
      break;
    case 'remove':
      removes.push(line, path('lines'));
      conditions.push(`attribute_exists(${line})`);
      break;
  }

  return {
    TableName: tableName,
    Key: cartKey(request.cartId),
    UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: x.names,
    ExpressionAttributeValues: x.values,
    ReturnValues: 'ALL_NEW' as const,
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  };
}

/**
 * The UpdateItem that turns `previous` (the cart as read) into `next` (`clearPurchased`): only the
 * purchased lines change, conditional on the version and owner read, so any write in between fails it.
 */
export function clearUpdateFor(previous: Cart, next: Cart, tableName: string) {
  const x = new Expression();
  const version = x.name('version');
  const owner = x.name('ownerId');
  const sets = [
    `${version} = ${x.value(next.version)}`,
    `${x.name('updatedAt')} = ${x.value(next.updatedAt)}`,
    // The whole list: the version condition makes replacing it as safe as appending to it.
    `${x.name('clearedOrders')} = ${x.value(next.clearedOrders ?? [])}`,
  ];
  const removes: string[] = [];
  const left = new Map(next.lines.map((line) => [line.sku, line.quantity]));
  for (const line of previous.lines) {
    const quantity = left.get(line.sku);
    // Placeholders only for lines that change: DynamoDB refuses names an expression leaves unused.
    const path = (map: string) => `${x.name(map)}.${x.name(line.sku)}`;
    if (quantity === undefined) removes.push(path('qty'), path('lines'));
    else if (quantity !== line.quantity) sets.push(`${path('qty')} = ${x.value(quantity)}`);
  }
  // `version = :read` also fails on a cart deleted meanwhile, so the update never recreates one.
  const conditions = [
    `${version} = ${x.value(previous.version)}`,
    previous.ownerId === undefined
      ? `attribute_not_exists(${owner})`
      : `${owner} = ${x.value(previous.ownerId)}`,
  ];
  return {
    TableName: tableName,
    Key: cartKey(previous.cartId),
    UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: x.names,
    ExpressionAttributeValues: x.values,
  };
}

const errorName = (error: unknown) => (error as { name?: string }).name;

export class DynamoDbCartRepository implements CartRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(cart: Cart): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toCartItem(cart),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (errorName(error) === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async get(cartId: string): Promise<Cart | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: cartKey(cartId), ConsistentRead: true }),
    );
    return Item ? fromCartItem(Item) : undefined;
  }

  async getMany(cartIds: readonly string[]): Promise<Map<string, Cart>> {
    const found = new Map<string, Cart>();
    let keys: Item[] | undefined = [...new Set(cartIds)].map(cartKey);
    for (let attempt = 0; keys && keys.length > 0; attempt++) {
      if (attempt >= 5) throw new Error(`BatchGetItem left ${keys.length} cart keys unprocessed`);
      // Unprocessed keys mean throttling: back off before asking again.
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 2 ** attempt * 25));
      const out: BatchGetCommandOutput = await this.db.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const item of out.Responses?.[this.tableName] ?? []) {
        const cart = fromCartItem(item);
        found.set(cart.cartId, cart);
      }
      keys = out.UnprocessedKeys?.[this.tableName]?.Keys;
    }
    return found;
  }

  async write(request: CartWrite): Promise<Cart> {
    try {
      const { Attributes } = await this.db.send(new UpdateCommand(updateFor(request, this.tableName)));
      return fromCartItem(Attributes ?? {});
    } catch (error) {
      if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
      const old = (error as { Item?: Record<string, never> }).Item;
      const decision = decide(old ? fromCartItem(unmarshall(old)) : undefined, request);
      if (decision.kind === 'reject') throw decision.error;
      if (decision.kind === 'unchanged') return decision.cart;
      // The stored item passes the rules the condition just failed on: not something DynamoDB does.
      throw new CartBusyError(request.cartId);
    }
  }

  async saveMerge(
    next: Cart,
    previousVersion: number | undefined,
    guest: { cartId: string; version: number },
  ): Promise<boolean> {
    const userWrite =
      previousVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: '#version = :previous AND #owner = :owner',
            ExpressionAttributeNames: { '#version': 'version', '#owner': 'ownerId' },
            ExpressionAttributeValues: { ':previous': previousVersion, ':owner': next.ownerId },
          };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: toCartItem(next), ...userWrite } },
            {
              Delete: {
                TableName: this.tableName,
                Key: cartKey(guest.cartId),
                ConditionExpression: '#version = :version AND attribute_not_exists(#owner)',
                ExpressionAttributeNames: { '#version': 'version', '#owner': 'ownerId' },
                ExpressionAttributeValues: { ':version': guest.version },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      // A condition failed or another transaction held an item: the caller reads again and retries.
      if (errorName(error) === 'TransactionCanceledException') return false;
      throw error;
    }
  }

  async saveClear(previous: Cart, next: Cart): Promise<boolean> {
    try {
      await this.db.send(new UpdateCommand(clearUpdateFor(previous, next, this.tableName)));
      return true;
    } catch (error) {
      // The cart changed or went since it was read: the caller reads again and decides anew.
      if (errorName(error) === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
