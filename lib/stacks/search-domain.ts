/**
 * The search domain of a deployed stage: OpenSearch with fine-grained access control, its master
 * role, log groups and access policy (docs/architecture.md, "Search index"). Made in the stateful
 * stack's scope, so its logical ids are the stateful stack's.
 */
import { ArnFormat, CfnOutput, type Stack } from 'aws-cdk-lib';
import { EbsDeviceVolumeType } from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnResourcePolicy, LogGroup } from 'aws-cdk-lib/aws-logs';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import type { DomainSearchConfig, StageConfig } from '../config/stage-config.ts';
import { type Acknowledgment, acknowledge, wildcardResourceFinding } from '../nag.ts';
import { type Handoff, publish } from './handoff.ts';

/** Where and how the search functions reach OpenSearch. */
export type SearchTarget =
  | { kind: 'local'; endpoint: string; auth: 'none' }
  | {
      kind: 'domain';
      /** `https://<domain endpoint>`, for this (the stateful) stack only. */
      endpoint: string;
      /**
       * The same URL for other stacks (bindSearch), through SSM rather than an export, which would
       * block replacing the domain (lib/stacks/handoff.ts).
       */
      endpointHandoff: Handoff;
      auth: 'sigv4';
      domain: opensearch.Domain;
      domainName: string;
      /** FGAC master user; the api stack's role-mapping function runs as it. */
      adminRole: iam.Role;
      /** Physical name of that function (its log group is granted here, by name). */
      adminFunctionName: string;
    };

/**
 * The off-peak window: 10 hours from 06:00 UTC (the length is fixed). The store sells in US
 * dollars to US addresses, and 06:00-16:00 UTC is 23:00-09:00 on the US west coast (02:00-12:00
 * on the east coast, summer time): it starts after the evening peak in every continental US zone
 * and ends before the east coast's lunchtime. Service software updates (on) and Auto-Tune's
 * blue/green changes wait for it.
 */
export const OFF_PEAK_WINDOW_START = { hours: 6, minutes: 0 } as const;

export function searchDomain(stack: Stack, config: StageConfig, sizing: DomainSearchConfig): SearchTarget {
  const { prefix } = config;
  const domainName = `${prefix}-search`;
  // Built from the name, not the domain's attributes: the access policy and the log resource
  // policy are properties the domain itself depends on.
  const domainArn = stack.formatArn({ service: 'es', resource: 'domain', resourceName: domainName });
  const adminFunctionName = `${prefix}-search-role-mapping`;

  // FGAC master user. Fine-grained access control maps IAM roles to OpenSearch roles; the master
  // user is the one principal mapped from the start (all_access). A dedicated role rather than a
  // person's: the api stack runs a small custom resource as this role, which maps the indexer
  // role to a write role and the search roles to a read role (index pattern products*).
  const adminRole = new iam.Role(stack, 'SearchAdminRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `${domainName} fine-grained access control master user`,
  });
  const securityApi = `${domainArn}/_plugins/_security/api/*`;
  const adminLogStreams = stack.formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: `/aws/lambda/${adminFunctionName}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  adminRole.addToPolicy(
    new iam.PolicyStatement({
      actions: ['es:ESHttpGet', 'es:ESHttpPut', 'es:ESHttpDelete'],
      resources: [securityApi],
    }),
  );
  adminRole.addToPolicy(
    new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [adminLogStreams],
    }),
  );
  acknowledge(
    adminRole,
    {
      id: wildcardResourceFinding(stack, securityApi),
      reason:
        "The security plugin's REST API of this one domain: roles and role mappings are paths below it.",
    },
    {
      id: wildcardResourceFinding(stack, adminLogStreams),
      reason: "Log streams of the role-mapping function's own log group (stream names are made by Lambda).",
    },
  );

  const logGroups = {
    slowSearch: domainLogGroup(stack, 'SearchSlowLogs', `/aws/opensearch/${domainName}/search-slow`, config),
    slowIndex: domainLogGroup(stack, 'IndexSlowLogs', `/aws/opensearch/${domainName}/index-slow`, config),
    app: domainLogGroup(stack, 'SearchAppLogs', `/aws/opensearch/${domainName}/application`, config),
    // Security events of fine-grained access control (failed logins, missing privileges).
    audit: domainLogGroup(stack, 'SearchAuditLogs', `/aws/opensearch/${domainName}/audit`, config),
  };
  // One plain resource policy instead of the custom resource CDK would create for it.
  const logsPolicy = new CfnResourcePolicy(stack, 'SearchLogsResourcePolicy', {
    policyName: `${domainName}-logs`,
    policyDocument: stack.toJsonString({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'es.amazonaws.com' },
          Action: ['logs:PutLogEvents', 'logs:CreateLogStream'],
          Resource: Object.values(logGroups).map((g) => g.logGroupArn),
          Condition: {
            StringEquals: { 'aws:SourceAccount': stack.account },
            ArnLike: { 'aws:SourceArn': domainArn },
          },
        },
      ],
    }),
  });

  const zoneAware = sizing.availabilityZones > 1;
  const domain = new opensearch.Domain(stack, 'SearchDomain', {
    domainName,
    version: opensearch.EngineVersion.OPENSEARCH_2_19,
    capacity: {
      dataNodes: sizing.dataNodes,
      dataNodeInstanceType: sizing.dataNodeInstanceType,
      ...(sizing.masterNodes > 0
        ? { masterNodes: sizing.masterNodes, masterNodeInstanceType: sizing.masterNodeInstanceType }
        : {}),
      // Off in both stages, decided in lib/config/capacity.ts (searchDomainFor): standby would idle
      // a third of the data nodes the capacity model counts as serving.
      multiAzWithStandbyEnabled: sizing.multiAzWithStandby,
    },
    ebs: { volumeSize: sizing.ebsVolumeGiB, volumeType: EbsDeviceVolumeType.GP3 },
    zoneAwareness: zoneAware
      ? { enabled: true, availabilityZoneCount: sizing.availabilityZones }
      : { enabled: false },
    nodeToNodeEncryption: true,
    encryptionAtRest: { enabled: true },
    enforceHttps: true,
    // TLS 1.2 or 1.3, only ciphers with perfect forward secrecy (ECDHE).
    tlsSecurityPolicy: opensearch.TLSSecurityPolicy.TLS_1_2_PFS,
    fineGrainedAccessControl: { masterUserArn: adminRole.roleArn },
    logging: {
      slowSearchLogEnabled: true,
      slowSearchLogGroup: logGroups.slowSearch,
      slowIndexLogEnabled: true,
      slowIndexLogGroup: logGroups.slowIndex,
      appLogEnabled: true,
      appLogGroup: logGroups.app,
      auditLogEnabled: true,
      auditLogGroup: logGroups.audit,
    },
    suppressLogsResourcePolicy: true,
    offPeakWindowEnabled: true,
    offPeakWindowStart: OFF_PEAK_WINDOW_START,
    enableAutoSoftwareUpdate: true,
    removalPolicy: config.removalPolicy,
  });
  domain.node.addDependency(logsPolicy);
  // Resource policy: the account's IAM principals may send signed HTTP requests; which of them
  // actually can is decided by their identity policies (granted in the api stack to exactly the
  // functions that search or index) and, inside the domain, by FGAC role mapping. Naming the
  // function roles here instead would make this stack depend on the api stack (a cycle). Set on
  // the L1 directly: the L2's accessPolicies prop deploys a custom resource to do the same.
  const cfnDomain = domain.node.defaultChild as opensearch.CfnDomain;
  cfnDomain.accessPolicies = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:${stack.partition}:iam::${stack.account}:root` },
        Action: 'es:ESHttp*',
        Resource: `${domainArn}/*`,
      },
    ],
  };

  const suppressions: Acknowledgment[] = [
    {
      id: 'AwsSolutions-OS1',
      reason:
        'Reached by Lambda functions outside any VPC, with SigV4-signed requests: a VPC domain would put every search function in a VPC (NAT cost, ENI cold starts) for no gain over IAM + fine-grained access control.',
    },
    {
      id: 'AwsSolutions-OS3',
      reason:
        'Callers are Lambda functions whose egress IPs are not fixed, so an IP allowlist cannot apply; every request is SigV4-signed and authorized by IAM, then by FGAC role mapping.',
    },
  ];
  // Every deployed stage is zone-aware (AwsSolutions-OS7 holds): staging rehearses prod's layout.
  if (sizing.masterNodes === 0) {
    suppressions.push({
      id: 'AwsSolutions-OS4',
      reason: `Stage ${config.stage} is a test stage on ${sizing.dataNodes} data nodes that elect the master among themselves: three dedicated masters would cost more than the data nodes. Losing the node that holds the master vote leaves no elected master until the service replaces it (searches go on, index writes wait and the indexer retries); prod runs three dedicated masters.`,
    });
  }
  acknowledge(domain, ...suppressions);

  const endpoint = `https://${domain.domainEndpoint}`;
  const endpointHandoff = publish(
    stack,
    config,
    'SearchEndpointParameter',
    'search/endpoint',
    endpoint,
    `Base URL of ${domainName}; the search and ops stacks read it at deploy time`,
  );
  new CfnOutput(stack, 'SearchUrl', { value: endpoint });
  return {
    kind: 'domain',
    endpoint,
    endpointHandoff,
    auth: 'sigv4',
    domain,
    domainName,
    adminRole,
    adminFunctionName,
  };
}

function domainLogGroup(stack: Stack, id: string, name: string, config: StageConfig): LogGroup {
  return new LogGroup(stack, id, {
    logGroupName: name,
    retention: config.logRetention,
    removalPolicy: config.removalPolicy,
  });
}
