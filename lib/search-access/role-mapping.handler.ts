/**
 * CloudFormation custom resource (staging and prod only): maps the api stack's function roles to
 * OpenSearch roles through the fine-grained access control security API. Runs as the domain's
 * master user role, the only principal FGAC trusts before any mapping exists.
 *
 * Infrastructure code, not a service handler: it lives with the stacks that deploy it.
 */
import { Client } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws-v3';

interface Properties {
  Endpoint: string;
  IndexPattern: string;
  WriterRoleArns: string[];
  ReaderRoleArns: string[];
}

interface CustomResourceEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceProperties: Properties & { ServiceToken: string };
}

export const WRITER_ROLE = 'store_writer';
export const READER_ROLE = 'store_reader';

/** OpenSearch roles: the writer owns the index pattern; the reader searches it and reads cluster health. */
export function securityRoles(indexPattern: string): Record<string, Record<string, unknown>> {
  return {
    [WRITER_ROLE]: {
      cluster_permissions: ['cluster_composite_ops', 'cluster_monitor'],
      index_permissions: [{ index_patterns: [indexPattern], allowed_actions: ['indices_all'] }],
    },
    [READER_ROLE]: {
      cluster_permissions: ['cluster_composite_ops_ro', 'cluster_monitor'],
      index_permissions: [{ index_patterns: [indexPattern], allowed_actions: ['read'] }],
    },
  };
}

function client(endpoint: string): Client {
  return new Client({
    node: endpoint,
    ...AwsSigv4Signer({
      region: process.env.AWS_REGION ?? 'us-east-1',
      service: 'es',
      // Lambda hands the role's credentials over in the environment.
      getCredentials: async () => ({
        accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '',
        secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '',
        sessionToken: process.env.AWS_SESSION_TOKEN,
      }),
    }),
  });
}

/**
 * The security plugin's audit logging. Publishing audit logs to CloudWatch (the domain's log
 * settings) is only the destination: the plugin logs nothing until this is enabled. Left out:
 * AUTHENTICATED and GRANTED_PRIVILEGES, one line per ordinary search, which would cost more than
 * they tell; what is kept is every refused or failed authentication, privilege denial, bad header
 * and security-config change. Bodies are not logged (request bodies of bulk writes are products,
 * of searches shoppers' queries), and sensitive headers are dropped.
 */
export function auditConfig(): Record<string, unknown> {
  const quiet = ['AUTHENTICATED', 'GRANTED_PRIVILEGES'];
  return {
    enabled: true,
    audit: {
      enable_rest: true,
      disabled_rest_categories: quiet,
      enable_transport: true,
      disabled_transport_categories: quiet,
      resolve_bulk_requests: false,
      log_request_body: false,
      resolve_indices: true,
      exclude_sensitive_headers: true,
      ignore_users: [],
      ignore_requests: [],
    },
    compliance: {
      enabled: true,
      // Changes to the security configuration itself, without the documents' contents.
      internal_config: true,
      external_config: false,
      read_metadata_only: true,
      read_watched_fields: {},
      read_ignore_users: [],
      write_metadata_only: true,
      write_log_diffs: false,
      write_watched_indices: [],
      write_ignore_users: [],
    },
  };
}

type Request = (request: {
  method: string;
  path: string;
  body?: Record<string, unknown>;
}) => Promise<unknown>;

export async function apply(props: Properties, request: Request = requestTo(props.Endpoint)): Promise<void> {
  for (const [name, body] of Object.entries(securityRoles(props.IndexPattern))) {
    await request({ method: 'PUT', path: `/_plugins/_security/api/roles/${name}`, body });
  }
  const mappings = { [WRITER_ROLE]: props.WriterRoleArns, [READER_ROLE]: props.ReaderRoleArns };
  for (const [name, backendRoles] of Object.entries(mappings)) {
    await request({
      method: 'PUT',
      path: `/_plugins/_security/api/rolesmapping/${name}`,
      body: { backend_roles: backendRoles },
    });
  }
  await request({ method: 'PUT', path: '/_plugins/_security/api/audit/config', body: auditConfig() });
}

function requestTo(endpoint: string): Request {
  const os = client(endpoint);
  return (request) => os.transport.request(request);
}

async function remove(props: Properties): Promise<void> {
  const os = client(props.Endpoint);
  for (const name of [WRITER_ROLE, READER_ROLE]) {
    for (const kind of ['rolesmapping', 'roles']) {
      // Already gone (or the domain with it) is what a delete wants.
      await os.transport
        .request({ method: 'DELETE', path: `/_plugins/_security/api/${kind}/${name}` })
        .catch((error: unknown) => console.warn(`delete ${kind}/${name}: ${String(error)}`));
    }
  }
}

async function respond(event: CustomResourceEvent, status: 'SUCCESS' | 'FAILED', reason?: string) {
  const body = JSON.stringify({
    Status: status,
    Reason: reason ?? 'see the function log',
    PhysicalResourceId: event.PhysicalResourceId ?? `${event.LogicalResourceId}-role-mapping`,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  });
  // The pre-signed S3 URL rejects a content type it was not signed with.
  const res = await fetch(event.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
  if (!res.ok) throw new Error(`CloudFormation response rejected: ${res.status}`);
}

export const handler = async (event: CustomResourceEvent): Promise<void> => {
  try {
    if (event.RequestType === 'Delete') await remove(event.ResourceProperties);
    else await apply(event.ResourceProperties);
    await respond(event, 'SUCCESS');
  } catch (error) {
    console.error(error);
    // Always answer: a custom resource that never responds holds the stack for an hour.
    await respond(event, event.RequestType === 'Delete' ? 'SUCCESS' : 'FAILED', String(error).slice(0, 500));
  }
};
