import { describe, expect, it } from 'vitest';
import {
  apply,
  auditConfig,
  READER_ROLE,
  WRITER_ROLE,
} from '../../../lib/search-access/role-mapping.handler.ts';

describe('search role mapping', () => {
  it('defines both roles, maps the function roles, then turns audit logging on', async () => {
    const sent: { method: string; path: string; body?: unknown }[] = [];
    await apply(
      {
        Endpoint: 'https://search.example',
        IndexPattern: 'products*',
        WriterRoleArns: ['arn:aws:iam::1:role/indexer'],
        ReaderRoleArns: ['arn:aws:iam::1:role/search', 'arn:aws:iam::1:role/health'],
      },
      async (request) => {
        sent.push(request);
        return {};
      },
    );
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      `PUT /_plugins/_security/api/roles/${WRITER_ROLE}`,
      `PUT /_plugins/_security/api/roles/${READER_ROLE}`,
      `PUT /_plugins/_security/api/rolesmapping/${WRITER_ROLE}`,
      `PUT /_plugins/_security/api/rolesmapping/${READER_ROLE}`,
      'PUT /_plugins/_security/api/audit/config',
    ]);
    expect(sent[3]?.body).toEqual({
      backend_roles: ['arn:aws:iam::1:role/search', 'arn:aws:iam::1:role/health'],
    });
    expect(sent[4]?.body).toEqual(auditConfig());
  });

  it('audits refusals and security changes, not every granted search, and never bodies', () => {
    const config = auditConfig() as {
      enabled: boolean;
      audit: Record<string, unknown>;
      compliance: Record<string, unknown>;
    };
    expect(config.enabled).toBe(true);
    expect(config.audit).toMatchObject({
      enable_rest: true,
      enable_transport: true,
      disabled_rest_categories: ['AUTHENTICATED', 'GRANTED_PRIVILEGES'],
      disabled_transport_categories: ['AUTHENTICATED', 'GRANTED_PRIVILEGES'],
      log_request_body: false,
      exclude_sensitive_headers: true,
    });
    expect(config.compliance).toMatchObject({ enabled: true, internal_config: true, write_log_diffs: false });
  });

  it('stops at the first refused call, so a failed mapping never reports success', async () => {
    const sent: string[] = [];
    await expect(
      apply(
        {
          Endpoint: 'https://search.example',
          IndexPattern: 'products*',
          WriterRoleArns: [],
          ReaderRoleArns: [],
        },
        async (request) => {
          sent.push(request.path);
          if (request.path.includes('rolesmapping')) throw new Error('403 security_exception');
          return {};
        },
      ),
    ).rejects.toThrow('security_exception');
    expect(sent.at(-1)).toContain('rolesmapping');
    expect(sent.some((p) => p.includes('audit'))).toBe(false);
  });
});
