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

/** A value published by `owner` under `parameterName`. */
export interface Handoff {
  owner: Stack;
  parameterName: string;
  /** The value as the owner's own template refers to it. */
  value: string;
}

export function publish(
  scope: Construct,
  id: string,
  parameterName: string,
  value: string,
  description: string,
): Handoff {
  new ssm.StringParameter(scope, id, { parameterName, stringValue: value, description });
  return { owner: Stack.of(scope), parameterName, value };
}

/** The value as `scope`'s stack reads it: a direct reference inside the owner, the parameter elsewhere. */
export function receive(scope: IConstruct, handoff: Handoff): string {
  const stack = Stack.of(scope);
  if (stack === handoff.owner) return handoff.value;
  // The parameter must exist before the reader's deploy resolves it.
  stack.addDependency(handoff.owner, `reads ${handoff.parameterName}`);
  return ssm.StringParameter.valueForStringParameter(stack, handoff.parameterName);
}
