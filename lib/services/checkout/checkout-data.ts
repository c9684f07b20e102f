/**
 * The checkout saga's dead-letter queue: where the state of an execution lands when a
 * compensation (or a step after the pivot) gave up after its retries. It lives on the stateful
 * side: its messages are the record of orders a person must settle, and outlive any redeploy.
 */
import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { StageConfig } from '../../config/stage-config.ts';
import { acknowledge } from '../../nag.ts';

export function checkoutQueues(scope: Construct, config: StageConfig): { checkoutDlq: Queue } {
  const checkoutDlq = new Queue(scope, 'CheckoutDlq', {
    queueName: `${config.prefix}-checkout-dlq`,
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    // The longest SQS keeps a message: an order waiting for a person.
    retentionPeriod: Duration.days(14),
    removalPolicy: config.removalPolicy,
  });
  acknowledge(checkoutDlq, {
    id: 'AwsSolutions-SQS3',
    reason:
      'This queue is itself the dead-letter destination of the checkout saga (its state machine sends failed compensations here), not a queue with consumers that would need a redrive target.',
  });
  return { checkoutDlq };
}
