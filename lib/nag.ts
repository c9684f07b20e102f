/**
 * cdk-nag v3 is a policy validation plugin; findings are acknowledged through CDK's own
 * `Validations.of(scope).acknowledge()`, one finding id at a time (IAM5 findings carry the
 * offending action or resource: `AwsSolutions-IAM5[Resource::*]`). An acknowledgment covers the
 * construct and everything under it.
 *
 * cdk-nag is CommonJS whose named exports Node's ESM loader cannot detect: imported whole, once.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import cdkNag from 'cdk-nag';
import flatten from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

export const { AwsSolutionsChecks } = cdkNag;
const { flattenCfnReference } = flatten;

export interface Acknowledgment {
  /** Rule id, with the finding for rules that report several: `AwsSolutions-IAM5[Resource::*]`. */
  id: string;
  reason: string;
}

export function acknowledge(scope: IConstruct, ...acknowledgments: Acknowledgment[]): void {
  for (const a of acknowledgments) Validations.of(scope).acknowledge(a);
}

/**
 * The IAM5 finding id cdk-nag reports for a wildcard resource, computed the way cdk-nag flattens
 * it (`arn:<AWS::Partition>:es:...:domain/name/*`), so acknowledgments name exactly one resource.
 */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(resource))}]`;
}
