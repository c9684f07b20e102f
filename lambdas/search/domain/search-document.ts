/**
 * Product -> search document. The indexer reads products from the catalog's stream (the item
 * format in docs/architecture.md), so this module declares only the fields it relies on.
 */

export interface CatalogProduct {
  productId: string;
  name: string;
  description?: string;
  brand: string;
  category: string;
  images?: string[];
  variants: { sku: string; price: { amount: number; currency: string } }[];
  rating?: { average: number; count: number };
  createdAt: string;
  updatedAt?: string;
}

export interface SearchDocument {
  productId: string;
  name: string;
  description: string;
  brand: string;
  category: string;
  /** Lowest variant price in minor units: what a listing shows and what price filters and sorts use. */
  minPrice: number;
  maxPrice: number;
  currency: string;
  skus: string[];
  image?: string;
  rating: { average: number; count: number };
  createdAt: string;
  updatedAt: string;
  /** Autocomplete input (a search_as_you_type field). */
  suggest: string;
}

export function toSearchDocument(product: CatalogProduct): SearchDocument {
  if (product.variants.length === 0) throw new Error(`product ${product.productId} has no variants`);
  const amounts = product.variants.map((v) => v.price.amount);
  const cheapest = product.variants.reduce((low, v) => (v.price.amount < low.price.amount ? v : low));
  const doc: SearchDocument = {
    productId: product.productId,
    name: product.name,
    description: product.description ?? '',
    brand: product.brand,
    category: product.category,
    minPrice: Math.min(...amounts),
    maxPrice: Math.max(...amounts),
    currency: cheapest.price.currency,
    skus: product.variants.map((v) => v.sku),
    rating: { average: product.rating?.average ?? 0, count: product.rating?.count ?? 0 },
    createdAt: product.createdAt,
    updatedAt: product.updatedAt ?? product.createdAt,
    suggest: product.name,
  };
  const image = product.images?.[0];
  if (image) doc.image = image;
  return doc;
}

/** The product fields a search hit shows (API.md, Search). */
export interface SearchItem {
  productId: string;
  name: string;
  brand: string;
  category: string;
  price: { amount: number; currency: string };
  rating: { average: number; count: number };
  image?: string;
}

export const ITEM_SOURCE_FIELDS = [
  'productId',
  'name',
  'brand',
  'category',
  'minPrice',
  'currency',
  'rating',
  'image',
];

export function toSearchItem(doc: Partial<SearchDocument>): SearchItem {
  const item: SearchItem = {
    productId: doc.productId ?? '',
    name: doc.name ?? '',
    brand: doc.brand ?? '',
    category: doc.category ?? '',
    price: { amount: doc.minPrice ?? 0, currency: doc.currency ?? 'USD' },
    rating: { average: doc.rating?.average ?? 0, count: doc.rating?.count ?? 0 },
  };
  if (doc.image) item.image = doc.image;
  return item;
}
