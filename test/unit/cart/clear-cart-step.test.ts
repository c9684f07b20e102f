/**
 * The ClearCart step's edges: its input schema, the error names the state machine sees, and the
 * adapter's conditional UpdateItem (its behaviour against DynamoDB is the e2e suite's concern).
 */
import { describe, expect, it, vi } from 'vitest';
import { clearUpdateFor, fromCartItem, toCartItem } from '#cart/adapters/dynamodb-cart-repository.ts';
import { type Cart, type CartLine, userCartId } from '#cart/domain/cart.ts';
import { clearPurchased } from '#cart/domain/clear-purchased.ts';
import { CartBusyError, InvalidStepInputError } from '#cart/domain/errors.ts';
import { ClearCartInputSchema } from '#cart/domain/steps.ts';
import { cartStep } from '../../../lambdas/cart/handlers/cart-step.ts';

const GUEST_ID = 'g-AAAAAAAAAAAAAAAAAAAAAA';
const valid = {
  orderId: 'o-2026-0001',
  cartId: GUEST_ID,
  userId: 'alice',
  lines: [{ sku: 'A-1', quantity: 2 }],
};

/** The field paths of an InvalidStepInput, or [] when the input passes. */
async function refused(input: unknown): Promise<string[]> {
  const step = cartStep('ClearCart', ClearCartInputSchema, async () => 'ran');
  try {
    await step(input);
    return [];
  } catch (error) {
    if (!(error instanceof InvalidStepInputError)) throw error;
    expect(error).toMatchObject({ name: 'InvalidStepInput', retryable: false });
    return error.issues.map((i) => i.path);
  }
}

describe('ClearCart input', () => {
  it('strips fields it does not read, on the input and on its lines', () => {
    const parsed = ClearCartInputSchema.parse({
      ...valid,
      total: { amount: 1200, currency: 'USD' },
      lines: [{ sku: 'A-1', quantity: 2, unitPrice: { amount: 600, currency: 'USD' }, name: 'Mug' }],
    });
    expect(parsed).toEqual(valid);
  });

  it("takes a guest's order without a user id, absent or null", () => {
    const { userId: _, ...guest } = valid;
    expect(ClearCartInputSchema.parse(guest).userId).toBeUndefined();
    expect(ClearCartInputSchema.parse({ ...guest, userId: null }).userId).toBeUndefined();
  });

  it('refuses input outside the schema with InvalidStepInput, naming the fields', async () => {
    expect(await refused(valid)).toEqual([]);
    expect(await refused(undefined)).toEqual(['']);
    expect(await refused({ ...valid, orderId: undefined })).toEqual(['orderId']);
    expect(await refused({ ...valid, orderId: 'has space' })).toEqual(['orderId']);
    // A string no cart can have came from no cart service: a bug upstream, not an unknown cart.
    for (const cartId of ['', 'CART#x', 'g-short', 7]) {
      expect(await refused({ ...valid, cartId }), String(cartId)).toEqual(['cartId']);
    }
    expect(await refused({ ...valid, cartId: userCartId('alice') })).toEqual([]);
    expect(await refused({ ...valid, userId: '' })).toEqual(['userId']);
    expect(await refused({ ...valid, lines: [] })).toEqual(['lines']);
    expect(await refused({ ...valid, lines: 'A-1' })).toEqual(['lines']);
    for (const quantity of [0, -1, 1.5, '2']) {
      expect(await refused({ ...valid, lines: [{ sku: 'A-1', quantity }] }), String(quantity)).toEqual([
        'lines.0.quantity',
      ]);
    }
    expect(await refused({ ...valid, lines: [{ sku: 'lower', quantity: 1 }] })).toEqual(['lines.0.sku']);
  });
});

describe('ClearCart errors', () => {
  it('turns persistent contention into CartBusy (retryable) and rethrows anything else as it is', async () => {
    const busy = new CartBusyError(GUEST_ID);
    const failing = (error: Error) =>
      cartStep('ClearCart', ClearCartInputSchema, () => Promise.reject(error));
    await expect(failing(busy)(valid)).rejects.toMatchObject({
      name: 'CartBusy',
      retryable: true,
      message: busy.message,
      cause: busy,
    });
    const unexpected = Object.assign(new Error('throttled'), {
      name: 'ProvisionedThroughputExceededException',
    });
    await expect(failing(unexpected)(valid)).rejects.toBe(unexpected);
  });

  it('passes the parsed input to the use case and answers its result', async () => {
    const step = cartStep('ClearCart', ClearCartInputSchema, async (input) => input.lines);
    expect(await step({ ...valid, extra: true })).toEqual(valid.lines);
  });

  it('the handler refuses bad input before touching DynamoDB', async () => {
    // The wiring validates its environment when first imported.
    vi.stubEnv('CARTS_TABLE', 'carts');
    try {
      const { handler } = await import('../../../lambdas/cart/handlers/clear-cart.handler.ts');
      await expect(handler({ ...valid, lines: [] })).rejects.toMatchObject({ name: 'InvalidStepInput' });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('ClearCart UpdateItem', () => {
  const usd = (amount: number) => ({ amount, currency: 'USD' as const });
  const line = (sku: string, quantity: number): CartLine => ({
    sku,
    productId: `p-${sku}`,
    name: sku,
    quantity,
    unitPrice: usd(100),
    addedAt: '2026-01-01T00:00:00.000Z',
  });
  const now = new Date('2026-02-01T10:00:00.000Z');
  const guest: Cart = {
    cartId: GUEST_ID,
    lines: [line('A-1', 5), line('B-2', 1), line('KEEP', 3)],
    version: 7,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    expiresAt: 1_900_000_000,
    clearedOrders: ['o-0'],
  };
  const user: Cart = { ...guest, cartId: userCartId('alice'), ownerId: 'alice', expiresAt: undefined };
  const purchased = [
    { sku: 'A-1', quantity: 2 },
    { sku: 'B-2', quantity: 1 },
  ];
  const updateOf = (cart: Cart) => {
    const decision = clearPurchased(cart, purchased, 'o-1', now);
    if (decision.kind !== 'clear') throw new Error('expected a clear');
    return clearUpdateFor(cart, decision.next, 'carts');
  };
  /** The expression with its placeholders filled in, values as JSON. */
  const spelled = (input: ReturnType<typeof clearUpdateFor>) => {
    const fill = (text: string) =>
      text
        .replace(/#n\d+/g, (p) => input.ExpressionAttributeNames[p] ?? '?')
        .replace(/:v\d+/g, (p) => JSON.stringify(input.ExpressionAttributeValues[p]));
    return { update: fill(input.UpdateExpression), condition: fill(input.ConditionExpression) };
  };

  it('conditions on the version and owner read, so any write in between fails it', () => {
    expect(spelled(updateOf(guest)).condition).toBe('version = 7 AND attribute_not_exists(ownerId)');
    expect(spelled(updateOf(user)).condition).toBe('version = 7 AND ownerId = "alice"');
    expect(updateOf(user)).toMatchObject({
      TableName: 'carts',
      Key: { pk: `CART#${user.cartId}`, sk: 'CART' },
    });
  });

  it('bumps the version, records the order, lowers or removes the purchased lines and touches no other', () => {
    expect(spelled(updateOf(guest)).update).toBe(
      'SET version = 8, updatedAt = "2026-02-01T10:00:00.000Z", clearedOrders = ["o-0","o-1"], qty.A-1 = 3' +
        ' REMOVE qty.B-2, lines.B-2',
    );
    // The guest expiry is not the saga's to refresh.
    expect(Object.values(updateOf(guest).ExpressionAttributeNames)).not.toContain('expiresAt');
  });

  it('uses every name and value it declares (DynamoDB refuses unused ones), SKUs only as placeholders', () => {
    for (const cart of [guest, user, { ...guest, lines: [line('KEEP', 1)] }]) {
      const input = updateOf(cart);
      const text = `${input.UpdateExpression} ${input.ConditionExpression}`;
      for (const placeholder of [
        ...Object.keys(input.ExpressionAttributeNames),
        ...Object.keys(input.ExpressionAttributeValues),
      ]) {
        expect(text).toMatch(new RegExp(`${placeholder}(?![0-9])`));
      }
      expect(text).not.toContain('A-1');
      expect(text).not.toContain('KEEP');
    }
  });

  it('stores the cleared orders with the cart, so a Put of it (a merge) keeps them', () => {
    const item = toCartItem(user);
    expect(item.clearedOrders).toEqual(['o-0']);
    expect(fromCartItem(item)).toEqual({ ...user, expiresAt: undefined });
    const { clearedOrders: _, ...none } = user;
    expect(toCartItem(none)).not.toHaveProperty('clearedOrders');
    expect(fromCartItem(toCartItem(none))).not.toHaveProperty('clearedOrders');
  });
});
