/**
 * What each service's `openapi.ts` gets from the document builder (lambdas/ops/openapi.ts). Only
 * the OpenApi function imports these modules, so zod-to-openapi stays out of every other bundle.
 */
import type { ResponseConfig } from '@asteasolutions/zod-to-openapi';

export interface ServiceDocOptions {
  /** The bearer security scheme's name. */
  bearer: string;
  /** A problem+json response with the given description. */
  problem: (description: string) => ResponseConfig;
}

/** A documented response header holding a string. */
export const stringHeader = (description: string) => ({ description, schema: { type: 'string' as const } });
