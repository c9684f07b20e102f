/**
 * Builds a stage's stacks into an App: used by bin/app.ts and by the infrastructure tests, so both
 * synthesize exactly the same thing.
 */
import { type App, Tags, Validations } from 'aws-cdk-lib';
import { parseCorsOrigins, parseStage, type StageConfig, stageConfig } from './config/stage-config.ts';
import { AwsSolutionsChecks } from './nag.ts';
import { ApiStack } from './stacks/api-stack.ts';
import { StatefulStack } from './stacks/stateful-stack.ts';

const CROSS_STACK_REFERENCES = '@aws-cdk/core:defaultCrossStackReferences';

export interface Store {
  config: StageConfig;
  stateful: StatefulStack;
  api: ApiStack;
}

/**
 * Reads context `stage` (required), `searchEndpoint` (stage local), `alarmEmail` and `corsOrigins`
 * (staging, prod) and `issuerKeyFile` (stage local, where the issuer key pair lives) from the app.
 */
export function buildStore(app: App): Store {
  const context = (key: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(key);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  // Exports between the stateful and the api stack are the point of the split: CloudFormation then
  // refuses to remove a table or bus the api stack still uses. Stated here, not left to a default.
  if (app.node.tryGetContext(CROSS_STACK_REFERENCES) === undefined)
    app.node.setContext(CROSS_STACK_REFERENCES, 'strong');
  const config = stageConfig(parseStage(app.node.tryGetContext('stage')), {
    searchEndpoint: context('searchEndpoint'),
    alarmEmail: context('alarmEmail'),
    corsOrigins: parseCorsOrigins(context('corsOrigins')),
  });

  const stateful = new StatefulStack(app, `${config.prefix}-stateful`, {
    stackName: `${config.prefix}-stateful`,
    description: `Serverless store, stage ${config.stage}: tables, bus, queues, search domain, user pool`,
    config,
  });
  const api = new ApiStack(app, `${config.prefix}-api`, {
    stackName: `${config.prefix}-api`,
    description: `Serverless store, stage ${config.stage}: functions, REST API, stream mapping, state machines`,
    config,
    stateful,
    issuerKeyFile: context('issuerKeyFile'),
  });

  for (const stack of [stateful, api]) {
    for (const [key, value] of Object.entries(config.tags)) Tags.of(stack).add(key, value);
  }
  // Every stage, local included: the local templates are the ones LocalStack deploys, and a
  // finding there is usually a finding everywhere.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { config, stateful, api };
}
