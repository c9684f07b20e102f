/** GET /openapi.json (public): the document, built once per container. */
import { httpHandler } from '#shared/http.ts';
import { buildOpenApiDocument } from '../openapi.ts';

const document = buildOpenApiDocument({ stage: process.env.STAGE });

export const handler = httpHandler(async () => ({
  status: 200,
  body: document,
  headers: { 'cache-control': 'public, max-age=300' },
}));
