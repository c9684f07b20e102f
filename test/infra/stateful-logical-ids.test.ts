/**
 * CloudFormation replaces a resource whose logical id, stack or type changes (a new one is
 * created, the old one deleted or, in prod, orphaned), and so it does when certain properties
 * change. For a table, the search domain or the user pool that is data lost or stranded. The
 * committed snapshot (stateful-logical-ids.json) records every such resource of staging and prod
 * with those properties; a synthesized app that drops or changes one fails here. New resources
 * pass. To change one deliberately (with a migration plan), run `npm run snapshot:stateful` and
 * commit the file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizeStage } from './support/stage.ts';

const SNAPSHOT = join(import.meta.dirname, 'stateful-logical-ids.json');
const UPDATE = process.env.UPDATE_STATEFUL_SNAPSHOT === '1';

/**
 * The stateful types, each with the properties whose change replaces it (the CloudFormation
 * reference's "Update requires: Replacement"). Queues hold messages in flight or waiting for a
 * person; log groups are retained in prod, and a replacement under the same name fails the deploy;
 * the state machine holds running sagas; the REST API's id is in every client's URL.
 */
const STATEFUL_TYPES: Record<string, readonly string[]> = {
  'AWS::DynamoDB::Table': ['TableName', 'KeySchema', 'LocalSecondaryIndexes'],
  'AWS::OpenSearchService::Domain': ['DomainName'],
  'AWS::Cognito::UserPool': ['UsernameAttributes', 'AliasAttributes', 'UsernameConfiguration', 'Schema'],
  'AWS::Cognito::UserPoolGroup': ['GroupName'],
  'AWS::Cognito::UserPoolClient': ['GenerateSecret'],
  'AWS::SQS::Queue': ['QueueName', 'FifoQueue'],
  'AWS::S3::Bucket': ['BucketName'],
  'AWS::Logs::LogGroup': ['LogGroupName'],
  'AWS::StepFunctions::StateMachine': ['StateMachineName', 'StateMachineType'],
  'AWS::ApiGateway::RestApi': [],
};

interface StatefulEntry {
  stack: string;
  logicalId: string;
  type: string;
  properties: Record<string, unknown>;
}

const STAGES = ['staging', 'prod'] as const;
type Snapshot = { stages: Record<(typeof STAGES)[number], StatefulEntry[]> };

function entriesOf(
  templates: Record<
    string,
    { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> }
  >,
) {
  const entries: StatefulEntry[] = [];
  for (const [stack, t] of Object.entries(templates).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [logicalId, r] of Object.entries(t.Resources).sort(([a], [b]) => a.localeCompare(b))) {
      const keys = STATEFUL_TYPES[r.Type];
      if (!keys) continue;
      const properties = Object.fromEntries(
        keys.filter((k) => r.Properties?.[k] !== undefined).map((k) => [k, r.Properties?.[k]]),
      );
      entries.push({ stack, logicalId, type: r.Type, properties });
    }
  }
  return entries;
}

const key = (e: Pick<StatefulEntry, 'stack' | 'logicalId'>) => `${e.stack}/${e.logicalId}`;

const HOW_TO_UPDATE =
  'If the replacement is intended (its data migrated or disposable), run `npm run snapshot:stateful` and commit test/infra/stateful-logical-ids.json.';

/** What would be replaced, one sentence each; empty when every recorded resource is intact. */
function replacements(recorded: readonly StatefulEntry[], synthesized: readonly StatefulEntry[]): string[] {
  const now = new Map(synthesized.map((e) => [key(e), e]));
  const problems: string[] = [];
  for (const was of recorded) {
    const is = now.get(key(was));
    if (!is) {
      const moved = synthesized.find(
        (e) => e.type === was.type && JSON.stringify(e.properties) === JSON.stringify(was.properties),
      );
      problems.push(
        `${was.type} ${key(was)} is gone${moved ? ` (the same resource is now ${key(moved)})` : ''}: CloudFormation would delete or orphan it and create a new one. ${HOW_TO_UPDATE}`,
      );
      continue;
    }
    if (is.type !== was.type) {
      problems.push(
        `${key(was)} changed type ${was.type} -> ${is.type}: it would be replaced. ${HOW_TO_UPDATE}`,
      );
      continue;
    }
    for (const prop of new Set([...Object.keys(was.properties), ...Object.keys(is.properties)])) {
      const before = JSON.stringify(was.properties[prop]);
      const after = JSON.stringify(is.properties[prop]);
      if (before !== after) {
        problems.push(`${was.type} ${key(was)}: ${prop} ${before} -> ${after} replaces it. ${HOW_TO_UPDATE}`);
      }
    }
  }
  return problems;
}

const readSnapshot = (): Snapshot => JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as Snapshot;

describe.each(STAGES)('stateful resources of stage %s keep their logical ids and key properties', (stage) => {
  let synthesized: StatefulEntry[];
  beforeAll(async () => {
    synthesized = entriesOf((await synthesizeStage(stage)).templates);
    if (UPDATE) {
      const snapshot = readSnapshot();
      snapshot.stages[stage] = synthesized;
      writeFileSync(SNAPSHOT, `${JSON.stringify(snapshot, null, 2)}\n`);
    }
  });

  it('every recorded resource is still there, unchanged', () => {
    const recorded = readSnapshot().stages[stage];
    expect(recorded.length).toBeGreaterThan(0);
    expect(replacements(recorded, synthesized)).toEqual([]);
  });

  it('records the tables, the domain, the user pool and the queues', () => {
    const recorded = readSnapshot().stages[stage];
    const types = recorded.map((e) => e.type);
    expect(types.filter((t) => t === 'AWS::DynamoDB::Table').length).toBeGreaterThanOrEqual(13);
    expect(types).toEqual(
      expect.arrayContaining(['AWS::OpenSearchService::Domain', 'AWS::Cognito::UserPool', 'AWS::SQS::Queue']),
    );
    const products = recorded.find((e) => e.properties.TableName === `store-${stage}-products`);
    expect(products).toMatchObject({ stack: `store-${stage}-stateful`, type: 'AWS::DynamoDB::Table' });
  });
});

describe('the comparison', () => {
  it('fails on a dropped, renamed, moved or re-keyed resource, and not on a new one', () => {
    const table: StatefulEntry = {
      stack: 'store-prod-stateful',
      logicalId: 'ProductsTable1A2B3C4D',
      type: 'AWS::DynamoDB::Table',
      properties: { TableName: 'store-prod-products', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] },
    };
    const added: StatefulEntry = {
      ...table,
      logicalId: 'NewTable',
      properties: { TableName: 'store-prod-new' },
    };
    expect(replacements([table], [table, added])).toEqual([]);
    expect(replacements([table], [])).toEqual([
      expect.stringMatching(/ProductsTable1A2B3C4D is gone: .*snapshot:stateful/),
    ]);
    expect(replacements([table], [{ ...table, logicalId: 'ProductsTableFFFF' }])).toEqual([
      expect.stringMatching(/is gone \(the same resource is now store-prod-stateful\/ProductsTableFFFF\)/),
    ]);
    expect(replacements([table], [{ ...table, stack: 'store-prod-catalog' }])).toEqual([
      expect.stringMatching(/is gone \(the same resource is now store-prod-catalog\/ProductsTable1A2B3C4D\)/),
    ]);
    expect(
      replacements(
        [table],
        [
          {
            ...table,
            properties: { ...table.properties, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] },
          },
        ],
      ),
    ).toEqual([
      expect.stringMatching(/KeySchema .*"pk".* -> .*"id".* replaces it\. If the replacement is intended/),
    ]);
    expect(
      replacements([table], [{ ...table, properties: { KeySchema: table.properties.KeySchema } }]),
    ).toEqual([expect.stringMatching(/TableName "store-prod-products" -> undefined replaces it/)]);
  });
});
