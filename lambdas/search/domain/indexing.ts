/**
 * How a catalog stream record changes the search index. Documents are versioned externally with
 * the product item's `version`, so replayed or out-of-order records can never regress a document:
 * the index refuses anything not newer than what it holds, and that refusal counts as success.
 */
import { type CatalogProduct, type SearchDocument, toSearchDocument } from './search-document.ts';

/** What the indexer needs from the search engine; the OpenSearch adapter implements it. */
export interface SearchIndexPort {
  /** `stale` when the index already holds this version or a newer one. */
  upsert(doc: SearchDocument, version: number): Promise<'applied' | 'stale'>;
  /** `stale` when the index holds a newer version; `absent` when there was nothing to delete. */
  remove(productId: string, version: number): Promise<'applied' | 'stale' | 'absent'>;
}

export type StreamEventName = 'INSERT' | 'MODIFY' | 'REMOVE';

/** A stream record with its images already unmarshalled to plain objects. */
export interface ProductStreamChange {
  eventName?: StreamEventName | string;
  newImage?: Record<string, unknown>;
  oldImage?: Record<string, unknown>;
}

export type IndexAction =
  | { kind: 'upsert'; doc: SearchDocument; version: number }
  | { kind: 'remove'; productId: string; version: number }
  | { kind: 'ignore'; reason: string };

function isProductItem(image: Record<string, unknown> | undefined): image is Record<string, unknown> {
  return typeof image?.pk === 'string' && image.pk.startsWith('PRODUCT#') && image.sk === 'PRODUCT';
}

function versionOf(image: Record<string, unknown>): number {
  const version = Number(image.version);
  if (!Number.isInteger(version) || version < 1) {
    throw new Error(`product item ${String(image.pk)} has no valid version (${String(image.version)})`);
  }
  return version;
}

/** Pure: the index operation a stream record calls for. */
export function planIndexAction(change: ProductStreamChange): IndexAction {
  const image = change.eventName === 'REMOVE' ? change.oldImage : change.newImage;
  if (!isProductItem(image)) return { kind: 'ignore', reason: 'not a product item' };
  switch (change.eventName) {
    case 'INSERT':
    case 'MODIFY':
      return {
        kind: 'upsert',
        doc: toSearchDocument(image as unknown as CatalogProduct),
        version: versionOf(image),
      };
    case 'REMOVE':
      // A delete is one step newer than the last write, so a late replay of that write loses.
      return {
        kind: 'remove',
        productId: String(image.pk).slice('PRODUCT#'.length),
        version: versionOf(image) + 1,
      };
    default:
      return { kind: 'ignore', reason: `unknown event ${String(change.eventName)}` };
  }
}

export type IndexOutcome = 'applied' | 'stale' | 'absent' | 'ignored';

/** Applies one record. Throws only on real failures, so the batch retries just that record. */
export async function applyChange(
  change: ProductStreamChange,
  index: SearchIndexPort,
): Promise<IndexOutcome> {
  const action = planIndexAction(change);
  switch (action.kind) {
    case 'upsert':
      return index.upsert(action.doc, action.version);
    case 'remove':
      return index.remove(action.productId, action.version);
    case 'ignore':
      return 'ignored';
  }
}
