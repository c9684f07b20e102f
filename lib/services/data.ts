/**
 * Table defaults every service's data shares, for the tables each service declares beside its
 * manifest (`lib/services/<service>/<service>-data.ts`) and the stateful stack composes. Tables are
 * made in the stateful stack's own scope, so their logical ids do not depend on where they are
 * declared (a new logical id would replace the table).
 */
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config/stage-config.ts';
import { acknowledge } from '../nag.ts';

export type ServiceTableProps = Omit<
  dynamodb.TableProps,
  'billingMode' | 'pointInTimeRecoverySpecification' | 'encryption' | 'deletionProtection' | 'removalPolicy'
> & {
  /** Why disposable stages may go without PITR: the cdk-nag acknowledgment. */
  disposable: string;
};

/** On-demand, KMS-backed (aws/dynamodb) encryption, PITR, deletion protection per stage. */
export function serviceTable(
  scope: Construct,
  id: string,
  config: StageConfig,
  props: ServiceTableProps,
): dynamodb.Table {
  const { disposable, ...tableProps } = props;
  const table = new dynamodb.Table(scope, id, {
    ...tableProps,
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: config.pointInTimeRecovery },
    // KMS-backed (aws/dynamodb): key use shows in CloudTrail, at no key to manage.
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    deletionProtection: config.deletionProtection,
    removalPolicy: config.removalPolicy,
  });
  if (!config.pointInTimeRecovery) {
    acknowledge(table, {
      id: 'AwsSolutions-DDB3',
      reason: `Stage ${config.stage} holds disposable data (${disposable}); staging and prod enable PITR.`,
    });
  }
  return table;
}
