/**
 * Inventory: stock per SKU and reservations per order. The admin routes read and receive stock;
 * the checkout saga's steps reserve, commit and release (functions the state machine invokes, no
 * routes); the reaper releases expired holds every minute. Each function gets exactly the item
 * actions it issues, on exactly its tables (and the reaper its one index).
 */
import { Duration } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { HELD_INDEX } from '../../../lambdas/inventory/adapters/table-layout.ts';
import { Subscription } from '../events.ts';
import { defineService } from '../manifest.ts';
import { ServiceStack, type ServiceStackProps } from '../service-stack.ts';

const handlers = 'lambdas/inventory/handlers';
const admin = { admin: true } as const;

/** How long a checkout's hold lasts: every stage alike (the stage config has no setting for it). */
const RESERVATION_TTL_SECONDS = 900;

export const inventory = defineService({
  service: 'inventory',
  functions: {
    GetStock: { entry: `${handlers}/get-stock.handler.ts`, name: 'get-stock' },
    ReceiveStock: { entry: `${handlers}/receive-stock.handler.ts`, name: 'receive-stock' },
    // The saga's steps (no routes): a read and a transaction or two each, well inside the default 10 s.
    ReserveInventory: {
      entry: `${handlers}/reserve-inventory.handler.ts`,
      name: 'reserve-inventory',
      description: "Checkout saga: holds the order's units (all lines or none)",
    },
    CommitReservation: {
      entry: `${handlers}/commit-reservation.handler.ts`,
      name: 'commit-reservation',
      description: "Checkout saga: moves the order's held units to sold",
    },
    ReleaseInventory: {
      entry: `${handlers}/release-inventory.handler.ts`,
      name: 'release-inventory',
      description: "Checkout saga compensation: returns the order's held units",
    },
    ReturnStock: {
      entry: `${handlers}/return-stock.handler.ts`,
      name: 'return-stock',
      description: "On OrderCancelled: the order's sold units back on sale",
    },
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
  bus: IEventBus;
  alarmAction?: IAlarmAction;
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
    // A reservation is one TransactWriteItems, authorized per item: PutItem of the reservation
    // (only if the order has none), UpdateItem per SKU; GetItem reads the reservation back when
    // the transaction's token was already used (a repeat with another expiry).
    f.ReserveInventory.bindTable(stock, 'INVENTORY_TABLE', items('UpdateItem'))
      .bindTable(reservations, 'RESERVATIONS_TABLE', items('GetItem', 'PutItem'))
      .addEnvironment('RESERVATION_TTL_SECONDS', String(RESERVATION_TTL_SECONDS));
    // A commit or release reads the reservation, then settles it in one TransactWriteItems:
    // UpdateItem on the reservation and on each SKU.
    for (const step of [f.CommitReservation, f.ReleaseInventory, f.ReturnStock]) {
      step
        .bindTable(stock, 'INVENTORY_TABLE', items('UpdateItem'))
        .bindTable(reservations, 'RESERVATIONS_TABLE', items('GetItem', 'UpdateItem'));
    }
    // A return is the same shape (read, then one transaction), and publishes StockReturned.
    f.ReturnStock.addEnvironment('EVENT_BUS_NAME', props.bus.eventBusName);
    props.bus.grantPutEventsTo(f.ReturnStock.fn);
    new Subscription(this, 'ReturnStockSubscription', {
      config,
      bus: props.bus,
      consumer: f.ReturnStock,
      name: 'inventory-return-stock',
      events: ['OrderCancelled'],
      alarmAction: props.alarmAction,
    });
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
