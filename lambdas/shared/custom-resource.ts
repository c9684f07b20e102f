/**
 * The CloudFormation custom resource protocol for Lambda-backed resources: run the work, then
 * always PUT an answer to the pre-signed ResponseURL (a resource that never answers holds the stack
 * for an hour).
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { invocation } from './invocation.ts';

/** Its lines carry CloudFormation's request id, which the stack's events show. */
const requestKeys = (event: CloudFormationCustomResourceEvent) => ({
  cloudFormationRequestId: event.RequestId,
});

export function customResource(
  work: (event: CloudFormationCustomResourceEvent) => Promise<{ physicalResourceId: string }>,
): (event: CloudFormationCustomResourceEvent) => Promise<void> {
  return invocation(requestKeys, async (event: CloudFormationCustomResourceEvent) => {
    let status: 'SUCCESS' | 'FAILED' = 'SUCCESS';
    let reason: string | undefined;
    let physicalResourceId =
      'PhysicalResourceId' in event
        ? event.PhysicalResourceId
        : `${event.LogicalResourceId}-${event.RequestId}`;
    try {
      physicalResourceId = (await work(event)).physicalResourceId;
    } catch (error) {
      console.error(error);
      status = 'FAILED';
      reason = String(error).slice(0, 500);
    }
    const body = JSON.stringify({
      Status: status,
      Reason: reason ?? 'See the function log',
      PhysicalResourceId: physicalResourceId,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
    });
    // The pre-signed S3 URL rejects a content type it was not signed with.
    const res = await fetch(event.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
    if (!res.ok) throw new Error(`CloudFormation response rejected: ${res.status}`);
  });
}
