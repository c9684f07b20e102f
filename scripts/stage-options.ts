/**
 * The options every stage script takes: `--stage local|staging|prod`, `--region` for a deployed
 * stage (else the AWS SDK's own resolution), and `--moto` for the local cloud's moto endpoint.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';

export const STAGE_OPTIONS = {
  stage: { type: 'string' },
  region: { type: 'string', default: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION },
  moto: {
    type: 'string',
    default: process.env.LOCAL_MOTO_URL ?? `http://127.0.0.1:${process.env.LOCAL_MOTO_PORT ?? 4566}`,
  },
} as const satisfies ParseArgsConfig['options'];

/** Parses the stage options plus the script's own; a missing or unknown stage is an error. */
export function parseStageArgs(own: NonNullable<ParseArgsConfig['options']>) {
  // Every option here is a string option.
  const values = parseArgs({ options: { ...STAGE_OPTIONS, ...own } }).values as Record<
    string,
    string | undefined
  >;
  const stage = values.stage;
  if (stage !== 'local' && stage !== 'staging' && stage !== 'prod') {
    throw new Error('Pass the stage: --stage local|staging|prod');
  }
  const options: Record<string, string | undefined> & { stage: 'local' | 'staging' | 'prod' } = {
    ...values,
    stage,
  };
  return options;
}
