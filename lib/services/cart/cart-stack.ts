/**
 * Carts: guest and signed-in carts on the carts table. Each function gets exactly the item
 * actions it issues there, and reads names and prices through the catalog's read module
 * (BatchGetItem on SKU claims, GetItem), so its products table grant is those two reads only.
 * ClearCart is the checkout saga's step (invoked, no route).
 */
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { defineService } from '../manifest.ts';
import { ServiceStack, type ServiceStackProps } from '../service-stack.ts';

const handlers = 'lambdas/cart/handlers';
const optional = { optional: true } as const;

export const cart = defineService({
  service: 'cart',
  functions: {
    CreateCart: { entry: `${handlers}/create-cart.handler.ts`, name: 'create-cart' },
    GetCart: { entry: `${handlers}/get-cart.handler.ts`, name: 'get-cart' },
    AddCartItem: { entry: `${handlers}/add-item.handler.ts`, name: 'add-cart-item' },
    UpdateCartItem: { entry: `${handlers}/update-item.handler.ts`, name: 'update-cart-item' },
    RemoveCartItem: { entry: `${handlers}/remove-item.handler.ts`, name: 'remove-cart-item' },
    GetMyCart: { entry: `${handlers}/get-my-cart.handler.ts`, name: 'get-my-cart' },
    MergeCart: { entry: `${handlers}/merge-cart.handler.ts`, name: 'merge-cart' },
    ClearCart: {
      entry: `${handlers}/clear-cart.handler.ts`,
      name: 'clear-cart',
      timeout: Duration.seconds(10),
    },
  },
  routes: [
    { method: 'POST', path: '/carts', fn: 'CreateCart', access: optional },
    { method: 'GET', path: '/carts/{cartId}', fn: 'GetCart', access: optional },
    { method: 'POST', path: '/carts/{cartId}/items', fn: 'AddCartItem', access: optional },
    { method: 'PATCH', path: '/carts/{cartId}/items/{sku}', fn: 'UpdateCartItem', access: optional },
    { method: 'DELETE', path: '/carts/{cartId}/items/{sku}', fn: 'RemoveCartItem', access: optional },
    { method: 'GET', path: '/me/cart', fn: 'GetMyCart', access: optional },
    { method: 'POST', path: '/me/cart/merge', fn: 'MergeCart', access: optional },
  ],
});

export interface CartStackProps extends ServiceStackProps {
  cartsTable: ITable;
  productsTable: ITable;
}

export class CartStack extends ServiceStack<keyof typeof cart.functions> {
  constructor(scope: Construct, id: string, props: CartStackProps) {
    super(scope, id, cart, props);
    const { cartsTable: carts, productsTable: products } = props;
    const f = this.functions;
    const items = (...actions: string[]) => ({ actions: actions.map((a) => `dynamodb:${a}`) });
    const catalogRead = items('BatchGetItem', 'GetItem');
    f.CreateCart.bindTable(carts, 'CARTS_TABLE', items('PutItem'));
    f.GetCart.bindTable(carts, 'CARTS_TABLE', items('GetItem')).bindTable(
      products,
      'PRODUCTS_TABLE',
      catalogRead,
    );
    f.AddCartItem.bindTable(carts, 'CARTS_TABLE', items('UpdateItem')).bindTable(
      products,
      'PRODUCTS_TABLE',
      catalogRead,
    );
    f.UpdateCartItem.bindTable(carts, 'CARTS_TABLE', items('UpdateItem'));
    f.RemoveCartItem.bindTable(carts, 'CARTS_TABLE', items('UpdateItem'));
    // Creates the user's cart on first use.
    f.GetMyCart.bindTable(carts, 'CARTS_TABLE', items('GetItem', 'PutItem')).bindTable(
      products,
      'PRODUCTS_TABLE',
      catalogRead,
    );
    // Reads both carts in one BatchGetItem; TransactWriteItems is authorized per item (Put, Delete).
    f.MergeCart.bindTable(carts, 'CARTS_TABLE', items('BatchGetItem', 'PutItem', 'DeleteItem'));
    // Reads the cart, then one UpdateItem conditional on the version read.
    f.ClearCart.bindTable(carts, 'CARTS_TABLE', items('GetItem', 'UpdateItem'));
  }
}
