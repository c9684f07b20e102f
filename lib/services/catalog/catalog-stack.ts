/**
 * Catalog: product writes for admins, reads for everyone, on the products table, and the rating
 * reviews publish (ProductRatingChanged), applied to the product so search follows.
 */
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { Subscription } from '../events.ts';
import { defineService } from '../manifest.ts';
import { ServiceStack, type ServiceStackProps } from '../service-stack.ts';

const handlers = 'lambdas/catalog/handlers';
const catalogRoute = 'Public catalog read route: anyone may browse products (API.md, who: public).';

export const catalog = defineService({
  service: 'catalog',
  functions: {
    CreateProduct: { entry: `${handlers}/create-product.handler.ts`, name: 'create-product' },
    ReplaceProduct: { entry: `${handlers}/replace-product.handler.ts`, name: 'replace-product' },
    DeleteProduct: { entry: `${handlers}/delete-product.handler.ts`, name: 'delete-product' },
    GetProduct: { entry: `${handlers}/get-product.handler.ts`, name: 'get-product' },
    ListProducts: { entry: `${handlers}/list-products.handler.ts`, name: 'list-products' },
    ApplyRating: {
      entry: `${handlers}/apply-rating.handler.ts`,
      name: 'apply-rating',
      description: "Sets a product's rating from reviews' ProductRatingChanged",
    },
  },
  routes: [
    { method: 'POST', path: '/admin/products', fn: 'CreateProduct', access: { admin: true } },
    { method: 'PUT', path: '/admin/products/{productId}', fn: 'ReplaceProduct', access: { admin: true } },
    { method: 'DELETE', path: '/admin/products/{productId}', fn: 'DeleteProduct', access: { admin: true } },
    { method: 'GET', path: '/products/{productId}', fn: 'GetProduct', access: { public: catalogRoute } },
    { method: 'GET', path: '/products', fn: 'ListProducts', access: { public: catalogRoute } },
  ],
});

export interface CatalogStackProps extends ServiceStackProps {
  productsTable: ITable;
  /** The products table's GSIs: grants name them instead of `index/*`. */
  productsIndexNames: readonly string[];
  bus: IEventBus;
  alarmAction?: IAlarmAction;
}

export class CatalogStack extends ServiceStack<keyof typeof catalog.functions> {
  constructor(scope: Construct, id: string, props: CatalogStackProps) {
    super(scope, id, catalog, props);
    const { productsTable: table, productsIndexNames: indexes } = props;
    const f = this.functions;
    // Writers read-write, readers read-only.
    for (const writer of [f.CreateProduct, f.ReplaceProduct, f.DeleteProduct]) {
      writer.bindTable(table, 'PRODUCTS_TABLE', 'read-write', indexes);
    }
    for (const reader of [f.GetProduct, f.ListProducts])
      reader.bindTable(table, 'PRODUCTS_TABLE', 'read', indexes);
    // One conditional UpdateItem (newer rating version only); the old item answers a refusal.
    f.ApplyRating.bindTable(table, 'PRODUCTS_TABLE', { actions: ['dynamodb:UpdateItem'] });
    new Subscription(this, 'ApplyRatingSubscription', {
      config: props.config,
      bus: props.bus,
      consumer: f.ApplyRating,
      name: 'catalog-apply-rating',
      events: ['ProductRatingChanged'],
      alarmAction: props.alarmAction,
    });
  }
}
