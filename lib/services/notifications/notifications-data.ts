/**
 * The notifications service's tables (table layout: lambdas/notifications/adapters/table-layout.ts):
 * one table of preferences, order owners and the send ledger; and, in stage local only, the
 * outbox the local cloud writes messages to instead of sending them (GET /dev/outbox reads it).
 * TTL (`purgeAt`) removes owner and ledger records a year on, long after any redelivery.
 */
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { PURGE_AT } from '../../../lambdas/notifications/adapters/table-layout.ts';
import type { StageConfig } from '../../config/stage-config.ts';
import { serviceTable } from '../data.ts';

export interface NotificationsTables {
  notificationsTable: dynamodb.Table;
  /** Stage local only. */
  outboxTable?: dynamodb.Table;
}

export function notificationsTables(scope: Construct, config: StageConfig): NotificationsTables {
  const keys = {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
  };
  const notificationsTable = serviceTable(scope, 'NotificationsTable', config, {
    tableName: `${config.prefix}-notifications`,
    ...keys,
    timeToLiveAttribute: PURGE_AT,
    disposable: 'preferences and send records of test users',
  });
  // Never deployed: a deployed stage sends through SES and SNS.
  const outboxTable =
    config.stage === 'local'
      ? serviceTable(scope, 'OutboxTable', config, {
          tableName: `${config.prefix}-notifications-outbox`,
          ...keys,
          disposable: 'messages the local cloud would have sent',
        })
      : undefined;
  return outboxTable ? { notificationsTable, outboxTable } : { notificationsTable };
}
