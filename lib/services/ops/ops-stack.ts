/** Operations: the health report and the published OpenAPI document. */
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { SearchTarget } from '../../stacks/stateful-stack.ts';
import { defineService } from '../manifest.ts';
import { bindSearch, READ_REASON } from '../search/search-access.ts';
import { ServiceStack, type ServiceStackProps } from '../service-stack.ts';

export const ops = defineService({
  service: 'ops',
  functions: {
    Health: { entry: 'lambdas/ops/handlers/health.handler.ts', name: 'health' },
    OpenApi: { entry: 'lambdas/ops/handlers/openapi.handler.ts', name: 'openapi' },
  },
  routes: [
    {
      method: 'GET',
      path: '/health',
      fn: 'Health',
      access: { public: 'Health check for load balancers and monitors; reveals no data.' },
    },
    {
      method: 'GET',
      path: '/openapi.json',
      fn: 'OpenApi',
      access: { public: 'The published API contract, public by design.' },
    },
  ],
});

export interface OpsStackProps extends ServiceStackProps {
  productsTable: ITable;
  search: SearchTarget;
}

export class OpsStack extends ServiceStack<keyof typeof ops.functions> {
  constructor(scope: Construct, id: string, props: OpsStackProps) {
    super(scope, id, ops, props);
    // Health probes the table (DescribeTable), reads one item, and asks the cluster its health.
    bindSearch(this.functions.Health, props.search, ['es:ESHttpGet', 'es:ESHttpHead'], READ_REASON);
    this.functions.Health.bindTable(props.productsTable, 'PRODUCTS_TABLE', {
      actions: ['dynamodb:DescribeTable', 'dynamodb:GetItem'],
    });
  }
}
