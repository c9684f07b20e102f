/**
 * Values one stack hands to another through SSM parameters rather than CloudFormation exports.
 * An export cannot change while another stack imports it, so an exported id of a resource that a
 * deploy replaces (the user pool, the search domain, the products stream) would block that deploy.
 * A reader's template instead has a parameter of type `AWS::SSM::Parameter::Value<String>`, which
 * CloudFormation resolves on every update of the stack (and the CDK CLI never skips a stack that
 * has one), so the next deploy of the reader picks up the new value.
 */
import { Stack } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct, IConstruct } from 'constructs';
import type { StageConfig } from '../config/stage-config.ts';

/** A value published by `owner` under `parameterName` (none: handed over as a plain reference). */
export interface Handoff {
  owner: Stack;
  parameterName?: string;
  /** The value as the owner's own template refers to it. */
  value: string;
}

/**
 * Publishes `value` as `/<prefix>/<path>`. A stage whose config says `handoffs: 'references'` (the
 * local cloud resolves no SSM parameters) hands it over as a plain cross-stack reference instead.
 */
export function publish(
  scope: Construct,
  config: StageConfig,
  id: string,
  path: string,
  value: string,
  description: string,
): Handoff {
  const owner = Stack.of(scope);
  if (config.handoffs === 'references') return { owner, value };
  const parameterName = `/${config.prefix}/${path}`;
  new ssm.StringParameter(scope, id, { parameterName, stringValue: value, description });
  return { owner, parameterName, value };
}

/** The value as `scope`'s stack reads it: a direct reference inside the owner, the parameter elsewhere. */
export function receive(scope: IConstruct, handoff: Handoff): string {
  const stack = Stack.of(scope);
  if (stack === handoff.owner || handoff.parameterName === undefined) return handoff.value;
  // The parameter must exist before the reader's deploy resolves it.
  stack.addDependency(handoff.owner, `reads ${handoff.parameterName}`);
  return ssm.StringParameter.valueForStringParameter(stack, handoff.parameterName);
}
