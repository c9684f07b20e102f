/**
 * Fulfillment: routes placed orders to warehouses (RouteOrder on OrderPlaced), returns the units of
 * cancelled shipments (ReleaseShipments on OrderCancelled), takes carrier callbacks and the
 * admin's warehouse data. Each consumer reads its own queue (rule -> queue -> DLQ + alarm). Each
 * function gets exactly the item actions it issues, on exactly its tables; TransactWriteItems is
 * authorized per item, so no transaction action appears. The orders service's cancel call
 * (lambdas/fulfillment/client.ts) runs in the orders stack, with the grant it documents.
 */
import { Duration } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import {
  SHIPMENTS_TABLE_ENV,
  WAREHOUSES_TABLE_ENV,
} from '../../../lambdas/fulfillment/adapters/table-layout.ts';
import type { ServiceFunction } from '../../constructs/service-function.ts';
import { Subscription } from '../events.ts';
import { defineService } from '../manifest.ts';
import { ServiceStack, type ServiceStackProps } from '../service-stack.ts';

const handlers = 'lambdas/fulfillment/handlers';
const admin = { admin: true } as const;

export const fulfillment = defineService({
  service: 'fulfillment',
  functions: {
    RouteOrder: {
      entry: `${handlers}/route-order.handler.ts`,
      name: 'route-order',
      // A batch of 10 orders, each a few Queries and one transaction: well inside 30 s.
      timeout: Duration.seconds(30),
      description: 'OrderPlaced: routes the order to warehouses, publishes ShipmentCreated',
    },
    ReleaseShipments: {
      entry: `${handlers}/release-shipments.handler.ts`,
      name: 'release-shipments',
      timeout: Duration.seconds(30),
      description: "OrderCancelled: returns the units of the order's cancelled shipments",
    },
    ShipmentEvent: { entry: `${handlers}/shipment-event.handler.ts`, name: 'shipment-event' },
    GetShipment: { entry: `${handlers}/get-shipment.handler.ts`, name: 'get-shipment' },
    PutWarehouse: { entry: `${handlers}/put-warehouse.handler.ts`, name: 'put-warehouse' },
    AddAllocation: { entry: `${handlers}/add-allocation.handler.ts`, name: 'add-allocation' },
  },
  routes: [
    { method: 'POST', path: '/admin/shipments/{shipmentId}/events', fn: 'ShipmentEvent', access: admin },
    { method: 'GET', path: '/admin/shipments/{shipmentId}', fn: 'GetShipment', access: admin },
    { method: 'PUT', path: '/admin/warehouses/{warehouseId}', fn: 'PutWarehouse', access: admin },
    {
      method: 'POST',
      path: '/admin/warehouses/{warehouseId}/allocations',
      fn: 'AddAllocation',
      access: admin,
    },
  ],
});

export interface FulfillmentStackProps extends ServiceStackProps {
  bus: IEventBus;
  alarmAction?: IAlarmAction;
  warehousesTable: ITable;
  shipmentsTable: ITable;
}

export class FulfillmentStack extends ServiceStack<keyof typeof fulfillment.functions> {
  readonly routeOrder: Subscription;
  readonly releaseShipments: Subscription;

  constructor(scope: Construct, id: string, props: FulfillmentStackProps) {
    super(scope, id, fulfillment, props);
    const { warehousesTable: warehouses, shipmentsTable: shipments, bus, config } = props;
    const f = this.functions;
    const items = (...actions: string[]) => ({ actions: actions.map((a) => `dynamodb:${a}`) });
    const publishes = (fn: ServiceFunction) => {
      fn.addEnvironment('EVENT_BUS_NAME', bus.eventBusName);
      bus.grantPutEventsTo(fn.fn);
    };

    // Reads the routing record, the warehouses and each SKU's allocations (Query); one
    // transaction: PutItem of the record and the shipments, UpdateItem per allocation taken.
    f.RouteOrder.bindTable(warehouses, WAREHOUSES_TABLE_ENV, items('Query', 'UpdateItem')).bindTable(
      shipments,
      SHIPMENTS_TABLE_ENV,
      items('GetItem', 'PutItem'),
    );
    publishes(f.RouteOrder);
    // Reads the routing record and the shipments; one transaction per shipment: UpdateItem of the
    // shipment (released) and of each allocation it returns to.
    f.ReleaseShipments.bindTable(warehouses, WAREHOUSES_TABLE_ENV, items('UpdateItem')).bindTable(
      shipments,
      SHIPMENTS_TABLE_ENV,
      items('GetItem', 'BatchGetItem', 'UpdateItem'),
    );
    // Reads the shipment, writes the transition conditionally, clears the outbox marker.
    f.ShipmentEvent.bindTable(shipments, SHIPMENTS_TABLE_ENV, items('GetItem', 'UpdateItem'));
    publishes(f.ShipmentEvent);
    f.GetShipment.bindTable(shipments, SHIPMENTS_TABLE_ENV, items('GetItem'));
    f.PutWarehouse.bindTable(warehouses, WAREHOUSES_TABLE_ENV, items('PutItem'));
    // Reads the warehouse (404 when unknown), then adds to the allocation.
    f.AddAllocation.bindTable(warehouses, WAREHOUSES_TABLE_ENV, items('GetItem', 'UpdateItem'));

    this.routeOrder = new Subscription(this, 'RouteOrderSubscription', {
      config,
      bus,
      consumer: f.RouteOrder,
      name: 'fulfillment-route-order',
      events: ['OrderPlaced'],
      alarmAction: props.alarmAction,
    });
    this.releaseShipments = new Subscription(this, 'ReleaseShipmentsSubscription', {
      config,
      bus,
      consumer: f.ReleaseShipments,
      name: 'fulfillment-release-shipments',
      events: ['OrderCancelled'],
      alarmAction: props.alarmAction,
    });
  }
}
