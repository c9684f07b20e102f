/**
 * Inventory: stock per SKU and reservations per order. The admin routes read and receive stock;
 * the reaper releases expired holds every minute. Each function gets exactly the item actions it
 * issues, on exactly its tables (and the reaper its one index). The checkout saga's reserve,
 * commit and release steps get theirs where those steps are deployed.
 */
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { HELD_INDEX } from '../../../lambdas/inventory/adapters/table-layout.ts';
import { defineService } from '../manifest.ts';
import { ServiceStack, type ServiceStackProps } from '../service-stack.ts';

const handlers = 'lambdas/inventory/handlers';
const admin = { admin: true } as const;

export const inventory = defineService({
  service: 'inventory',
  functions: {
    GetStock: { entry: `${handlers}/get-stock.handler.ts`, name: 'get-stock' },
    ReceiveStock: { entry: `${handlers}/receive-stock.handler.ts`, name: 'receive-stock' },
    ReapReservations: {
      entry: `${handlers}/reaper.handler.ts`,
      name: 'reap-reservations',
      // Up to 500 releases a run, a few milliseconds each; a minute is the schedule's period.
      timeout: Duration.seconds(60),
      description: 'Releases HELD reservations past their expiry (every minute)',
    },
  },
  routes: [
    { method: 'GET', path: '/admin/inventory/{sku}', fn: 'GetStock', access: admin },
    { method: 'POST', path: '/admin/inventory/{sku}/receive', fn: 'ReceiveStock', access: admin },
  ],
});

export interface InventoryStackProps extends ServiceStackProps {
  inventoryTable: ITable;
  reservationsTable: ITable;
}

export class InventoryStack extends ServiceStack<keyof typeof inventory.functions> {
  readonly reaperRule: events.Rule;

  constructor(scope: Construct, id: string, props: InventoryStackProps) {
    super(scope, id, inventory, props);
    const { inventoryTable: stock, reservationsTable: reservations, config } = props;
    const f = this.functions;
    const items = (...actions: string[]) => ({ actions: actions.map((a) => `dynamodb:${a}`) });

    f.GetStock.bindTable(stock, 'INVENTORY_TABLE', items('GetItem'));
    // Receiving is one UpdateItem that creates the record when missing.
    f.ReceiveStock.bindTable(stock, 'INVENTORY_TABLE', items('UpdateItem'));
    // The reaper lists expired holds on the index (Query there only), reads each reservation, then
    // releases it in one TransactWriteItems, authorized per item: UpdateItem on both tables.
    f.ReapReservations.bindTable(stock, 'INVENTORY_TABLE', items('UpdateItem')).bindTable(
      reservations,
      'RESERVATIONS_TABLE',
      items('GetItem', 'UpdateItem'),
    );
    iam.Grant.addToPrincipal({
      grantee: f.ReapReservations.fn,
      actions: ['dynamodb:Query'],
      resourceArns: [`${reservations.tableArn}/index/${HELD_INDEX}`],
    });

    this.reaperRule = new events.Rule(this, 'ReaperSchedule', {
      ruleName: `${config.prefix}-reap-reservations`,
      description: 'Releases expired inventory holds',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      // A missed tick is harmless: the next one a minute later finds the same holds.
      targets: [
        new targets.LambdaFunction(f.ReapReservations.fn, {
          retryAttempts: 0,
          maxEventAge: Duration.minutes(1),
        }),
      ],
    });
  }
}
