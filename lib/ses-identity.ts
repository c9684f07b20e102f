/**
 * The verified SES identity a sender address belongs to: its domain, and the identity's ARN in the
 * stack's region (the stacks are environment-agnostic, so the region is the stack's token). The
 * notifications and the user pool send from the same `emailFrom`.
 */
import type { Stack } from 'aws-cdk-lib';

export function sesIdentity(stack: Stack, from: string): { domain: string; identityArn: string } {
  const domain = /^[^@\s]+@([^@\s]+\.[^@\s]+)$/.exec(from)?.[1];
  if (!domain) throw new Error(`emailFrom must be a plain address (name@domain), not ${from}`);
  return {
    domain,
    identityArn: stack.formatArn({ service: 'ses', resource: 'identity', resourceName: domain }),
  };
}
