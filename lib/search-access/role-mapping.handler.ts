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

async function apply(props: Properties): Promise<void> {
  const os = client(props.Endpoint);
  for (const [name, body] of Object.entries(securityRoles(props.IndexPattern))) {
    await os.transport.request({ method: 'PUT', path: `/_plugins/_security/api/roles/${name}`, body });
  }
  const mappings = { [WRITER_ROLE]: props.WriterRoleArns, [READER_ROLE]: props.ReaderRoleArns };
  for (const [name, backendRoles] of Object.entries(mappings)) {
    await os.transport.request({
      method: 'PUT',
      path: `/_plugins/_security/api/rolesmapping/${name}`,
      body: { backend_roles: backendRoles },
    });
  }
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
