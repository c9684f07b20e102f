/**
 * How functions reach OpenSearch: the endpoint and signing mode in their environment and, in a
 * domain, IAM on the domain's REST paths. Which indices a role may read or write is decided inside
 * the domain by FGAC role mapping (the search stack's Custom::SearchRoleMapping).
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import type { ServiceFunction } from '../../constructs/service-function.ts';
import { acknowledge, wildcardResourceFinding } from '../../nag.ts';
import { receive } from '../../stacks/handoff.ts';
import type { SearchTarget } from '../../stacks/stateful-stack.ts';

/** The alias the search code reads and writes (docs/architecture.md, "Search index"). */
export const SEARCH_INDEX = 'products';

export const READ_REASON =
  'Paths of this one domain (<domain>/products/_search, <domain>/_cluster/health) with read verbs only; FGAC role store_reader limits the function to reading the products* indices.';

/** The search endpoint as `scope`'s stack sees it: a domain's through SSM (lib/stacks/handoff.ts). */
export function searchEndpoint(scope: IConstruct, search: SearchTarget): string {
  return search.kind === 'domain' ? receive(scope, search.endpointHandoff) : search.endpoint;
}

/** SEARCH_ENDPOINT and SEARCH_AUTH; in a domain, the given HTTP verbs on its paths. */
export function bindSearch(
  fn: ServiceFunction,
  search: SearchTarget,
  actions: string[],
  reason: string,
): void {
  fn.addEnvironment('SEARCH_ENDPOINT', searchEndpoint(fn, search)).addEnvironment('SEARCH_AUTH', search.auth);
  if (search.kind !== 'domain') return;
  // OpenSearch REST paths are the IAM resources. Built from the domain's name so the policy and
  // its acknowledgment name the same string.
  const domainPaths = Stack.of(fn).formatArn({
    service: 'es',
    resource: 'domain',
    resourceName: `${search.domainName}/*`,
  });
  fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [domainPaths] }));
  acknowledge(fn.role, { id: wildcardResourceFinding(Stack.of(fn), domainPaths), reason });
}
