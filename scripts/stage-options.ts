/**
 * The options every stage script takes: `--stage local|staging|prod`, `--region` for a deployed
 * stage (else the AWS SDK's own resolution), and `--moto` for the local cloud's moto endpoint.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { parseStage, STAGES, type Stage, stageConfig } from '../lib/config/stage-config.ts';

export const STAGE_OPTIONS = {
  stage: { type: 'string' },
  region: { type: 'string', default: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION },
  moto: {
    type: 'string',
    default: process.env.LOCAL_MOTO_URL ?? `http://127.0.0.1:${process.env.LOCAL_MOTO_PORT ?? 4566}`,
  },
} as const satisfies ParseArgsConfig['options'];

/** Parses the stage options plus the script's own; a missing or unknown stage is an error. `prefix` names the stage's resources. */
export function parseStageArgs(own: NonNullable<ParseArgsConfig['options']>) {
  // Every option here is a string option.
  const values = parseArgs({ options: { ...STAGE_OPTIONS, ...own } }).values as Record<
    string,
    string | undefined
  >;
  let stage: Stage;
  try {
    stage = parseStage(values.stage);
  } catch {
    // parseStage speaks of CDK's -c; a script takes a flag.
    throw new Error(`Pass the stage: --stage ${STAGES.join('|')}`);
  }
  const options: Record<string, string | undefined> & { stage: Stage; prefix: string } = {
    ...values,
    stage,
    prefix: stageConfig(stage).prefix,
  };
  return options;
}
