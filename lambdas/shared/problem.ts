/**
 * RFC 9457 problem documents, and the one place where domain errors become HTTP statuses.
 */
import { DomainError, type FieldError, ValidationError } from './errors.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
}

const BY_KIND: Record<DomainError['kind'], { status: number; title: string }> = {
  validation: { status: 400, title: 'Bad Request' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not Found' },
  conflict: { status: 409, title: 'Conflict' },
  'precondition-failed': { status: 412, title: 'Precondition Failed' },
  'unsupported-media-type': { status: 415, title: 'Unsupported Media Type' },
  unprocessable: { status: 422, title: 'Unprocessable Content' },
};

const TYPE_BASE = 'https://docs.serverless-store.dev/problems/';

/** Maps any thrown value to a problem; `internal` is true when it was not a domain error (a 500). */
export function toProblem(error: unknown): { problem: Problem; internal: boolean } {
  if (error instanceof DomainError) {
    const { status, title } = BY_KIND[error.kind];
    const problem: Problem = { type: TYPE_BASE + error.kind, title, status, detail: error.message };
    if (error instanceof ValidationError && error.errors.length > 0) problem.errors = error.errors;
    return { problem, internal: false };
  }
  // Unknown errors never leak their message or stack to the client.
  return {
    problem: {
      type: `${TYPE_BASE}internal`,
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred. Quote the x-request-id header when reporting it.',
    },
    internal: true,
  };
}
