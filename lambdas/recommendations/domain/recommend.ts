/**
 * GET /products/{productId}/recommendations: the top RECOMMENDATIONS partners by cosine.
 *
 * Read path: one Query of the by-score index (the CANDIDATES highest stored scores), then one
 * BatchGetItem over the catalog (names; deleted products are absent and dropped; the product
 * itself, for the 404 and its category) and the counts table (n of the product and each
 * candidate). The candidates are re-ranked by the exact cosine from those fresh counts: a stored
 * score is as of the last order holding both products and overstates a pair whose products
 * have sold on their own since, so the window is twice the answer. A pair that went stale far
 * down the index is not seen until an order touches it again: the trade-off for one query.
 *
 * No co-purchases (or only deleted partners): the best-rated products of its category, scored
 * rating average / 5. The catalog offers no by-rating read, so that is the category's newest
 * FALLBACK_WINDOW products (its listing index) sorted in memory: older top-rated products of a
 * large category are missed.
 */
import { cosine } from './counting.ts';
import { RecommendedProductNotFoundError } from './errors.ts';
import type { CatalogProduct, RecommendationReads } from './ports.ts';
import type { Recommendations } from './schemas.ts';

export const RECOMMENDATIONS = 10;
export const CANDIDATES = 2 * RECOMMENDATIONS;
export const FALLBACK_WINDOW = 100;

export interface RecommendDeps {
  reads: RecommendationReads;
}

const round = (score: number) => Math.round(score * 10_000) / 10_000;

interface Ranked {
  productId: string;
  name: string;
  score: number;
  /** Tie-breaker after the score: more evidence first. */
  support: number;
}

/** Score, then support, descending; then product id, so equal candidates keep a stable order. */
function byRank(x: Ranked, y: Ranked): number {
  return (
    y.score - x.score ||
    y.support - x.support ||
    (x.productId < y.productId ? -1 : x.productId > y.productId ? 1 : 0)
  );
}

export async function recommend(deps: RecommendDeps, productId: string): Promise<Recommendations> {
  const partners = (await deps.reads.partners(productId, CANDIDATES)).filter(
    (p) => p.productId !== productId && p.co > 0,
  );
  const { products, counts } = await deps.reads.lookup(
    productId,
    partners.map((p) => p.productId),
  );
  const product = products.get(productId);
  if (!product) throw new RecommendedProductNotFoundError(productId);
  const n = counts.get(productId) ?? 0;
  const ranked = partners.flatMap((p): Ranked[] => {
    const partner = products.get(p.productId);
    const score = cosine(p.co, n, counts.get(p.productId) ?? 0);
    return partner && score > 0 ? [{ productId: p.productId, name: partner.name, score, support: p.co }] : [];
  });
  const chosen = ranked.length > 0 ? ranked : await bestRated(deps, product);
  return {
    items: chosen
      .sort(byRank)
      .slice(0, RECOMMENDATIONS)
      .map(({ productId: id, name, score }) => ({ productId: id, name, score: round(score) })),
  };
}

async function bestRated(deps: RecommendDeps, product: CatalogProduct): Promise<Ranked[]> {
  const others = await deps.reads.ofCategory(product.category, FALLBACK_WINDOW);
  return others
    .filter((p) => p.productId !== product.productId)
    .map((p) => ({
      productId: p.productId,
      name: p.name,
      score: p.rating.average / 5,
      support: p.rating.count,
    }));
}
