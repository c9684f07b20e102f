/**
 * The local cloud's own routes: the local issuer's token endpoint, the sandbox payment
 * provider's ledger and fault injection into saga steps. Stage local only, never in a deployed
 * template.
 */
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { LocalIssuer } from '../../config/local-issuer.ts';
import { defineService } from '../manifest.ts';
import { DEV_OUTBOX_ENTRY } from '../notifications/notifications-stack.ts';
import { ServiceStack, type ServiceStackProps } from '../service-stack.ts';

export const dev = defineService({
  service: 'dev',
  stages: ['local'],
  functions: {
    DevToken: { entry: 'lambdas/dev/handlers/token.handler.ts', name: 'dev-token' },
    DevPspCharges: { entry: 'lambdas/dev/handlers/psp-charges.handler.ts', name: 'dev-psp-charges' },
    // The notifications outbox's reader: the notifications service's module, served under /dev.
    DevOutbox: { entry: DEV_OUTBOX_ENTRY, name: 'dev-outbox' },
    // Reaches the local cloud's control endpoint (LOCAL_CONTROL_URL, set by the local cloud).
    DevFaults: { entry: 'lambdas/dev/handlers/faults.handler.ts', name: 'dev-faults' },
  },
  routes: [
    {
      method: 'POST',
      path: '/dev/token',
      fn: 'DevToken',
      access: {
        public:
          'Stage local only: mints tokens from the local issuer for tests and demos; never deployed to AWS.',
      },
    },
    { method: 'GET', path: '/dev/psp/charges', fn: 'DevPspCharges', access: { admin: true } },
    { method: 'GET', path: '/dev/outbox', fn: 'DevOutbox', access: { admin: true } },
    { method: 'POST', path: '/dev/faults', fn: 'DevFaults', access: { admin: true } },
    { method: 'DELETE', path: '/dev/faults', fn: 'DevFaults', access: { admin: true } },
  ],
});

export interface DevStackProps extends ServiceStackProps {
  issuer: LocalIssuer;
  jwtIssuer: string;
  jwtAudience: string;
  /** The sandbox provider's ledger, read through the payment service's read module. */
  paymentsTable: ITable;
  paymentsIndexNames: readonly string[];
  /** What the local cloud would have sent: the notifications outbox (stage local only). */
  outboxTable: ITable;
}

export class DevStack extends ServiceStack<keyof typeof dev.functions> {
  constructor(scope: Construct, id: string, props: DevStackProps) {
    if (props.config.stage !== 'local') throw new Error('the dev service exists in stage local only');
    super(scope, id, dev, props);
    this.functions.DevToken.addEnvironment('JWT_ISSUER', props.jwtIssuer)
      .addEnvironment('JWT_AUDIENCE', props.jwtAudience)
      .addEnvironment('DEV_ISSUER_PRIVATE_JWK', JSON.stringify(props.issuer.privateJwk));
    this.functions.DevOutbox.bindTable(props.outboxTable, 'OUTBOX_TABLE', { actions: ['dynamodb:Query'] });
    // One Query on the by-order index; nothing else of the ledger.
    this.functions.DevPspCharges.bindTable(
      props.paymentsTable,
      'PAYMENTS_TABLE',
      { actions: ['dynamodb:Query'] },
      props.paymentsIndexNames,
    );
  }
}
