/**
 * Deterministic synthetic catalog: the same seed and count always give the same products, so
 * benchmarks and demos are comparable between machines and runs.
 */
import { prng } from '../../lambdas/shared/prng.ts';

export interface Money {
  amount: number;
  currency: 'USD';
}

export interface SeedProduct {
  name: string;
  description: string;
  brand: string;
  category: string;
  images: string[];
  attributes: Record<string, string>;
  variants: { sku: string; attributes: Record<string, string>; price: Money }[];
}

interface CategorySpec {
  category: string;
  nouns: string[];
  brands: string[];
  /** Price range of the base variant in minor units. */
  price: [number, number];
  variantAxis: { name: string; values: string[] };
  features: string[];
}

const CATEGORIES: CategorySpec[] = [
  {
    category: 'electronics',
    nouns: [
      'Headphones',
      'Speaker',
      'Charger',
      'Keyboard',
      'Mouse',
      'Webcam',
      'Monitor',
      'Router',
      'Earbuds',
    ],
    brands: ['Acme', 'Voltra', 'Sonique', 'Northwind', 'Lumen'],
    price: [1_499, 39_999],
    variantAxis: { name: 'color', values: ['black', 'white', 'silver', 'blue'] },
    features: ['noise cancelling', 'wireless', 'USB-C', 'bluetooth 5.3', 'long battery life', 'low latency'],
  },
  {
    category: 'books',
    nouns: ['Cookbook', 'Novel', 'Field Guide', 'Atlas', 'Anthology', 'Handbook', 'Memoir'],
    brands: ['Penfold Press', 'Harbor House', 'Quill & Co', 'Blue Owl'],
    price: [799, 4_999],
    variantAxis: { name: 'format', values: ['hardcover', 'paperback', 'ebook'] },
    features: ['illustrated', 'bestselling', 'annotated', 'first edition', 'large print'],
  },
  {
    category: 'kitchen',
    nouns: ['Skillet', 'Kettle', 'Blender', 'Knife Set', 'Coffee Grinder', 'Toaster', 'Dutch Oven'],
    brands: ['Cuisina', 'Ironside', 'Brewmaster', 'Acme'],
    price: [1_999, 29_999],
    variantAxis: { name: 'size', values: ['small', 'medium', 'large'] },
    features: ['stainless steel', 'cast iron', 'dishwasher safe', 'non-stick', 'induction ready'],
  },
  {
    category: 'outdoors',
    nouns: ['Tent', 'Backpack', 'Sleeping Bag', 'Headlamp', 'Water Bottle', 'Trekking Poles', 'Camp Stove'],
    brands: ['Summit', 'Trailhead', 'Northwind', 'Ridgeback'],
    price: [1_299, 49_999],
    variantAxis: { name: 'color', values: ['green', 'orange', 'grey'] },
    features: ['waterproof', 'ultralight', 'insulated', 'packable', 'four season'],
  },
  {
    category: 'apparel',
    nouns: ['Jacket', 'Hoodie', 'Sneakers', 'T-Shirt', 'Jeans', 'Raincoat', 'Wool Socks'],
    brands: ['Threadline', 'Urban Fox', 'Summit', 'Loomwell'],
    price: [999, 24_999],
    variantAxis: { name: 'size', values: ['XS', 'S', 'M', 'L', 'XL'] },
    features: ['organic cotton', 'breathable', 'recycled materials', 'slim fit', 'water resistant'],
  },
  {
    category: 'toys',
    nouns: ['Puzzle', 'Building Set', 'Board Game', 'Plush Bear', 'Robot Kit', 'Kite'],
    brands: ['Playwell', 'Tinker Lab', 'Blue Owl'],
    price: [599, 14_999],
    variantAxis: { name: 'edition', values: ['standard', 'deluxe'] },
    features: ['ages 8+', 'educational', 'family friendly', 'STEM', 'award winning'],
  },
];

const ADJECTIVES = [
  'Classic',
  'Pro',
  'Compact',
  'Deluxe',
  'Essential',
  'Premium',
  'Everyday',
  'Smart',
  'Ultra',
  'Eco',
  'Heritage',
  'Nimbus',
  'Vivid',
  'Rugged',
  'Signature',
];

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** Generates product number `index` of the catalog for `seed`; independent of any other index. */
export function generateProduct(index: number, seed = 42): SeedProduct {
  const random = prng(seed * 1_000_003 + index);
  const spec = pick(random, CATEGORIES);
  const noun = pick(random, spec.nouns);
  const adjective = pick(random, ADJECTIVES);
  const brand = pick(random, spec.brands);
  const model = `${String.fromCharCode(65 + Math.floor(random() * 26))}${100 + Math.floor(random() * 900)}`;
  const name = `${brand} ${adjective} ${noun} ${model}`;
  const features = [pick(random, spec.features), pick(random, spec.features)].filter(
    (feature, i, all) => all.indexOf(feature) === i,
  );
  const [low, high] = spec.price;
  // Prices end in 99 like a shelf price.
  const base = Math.floor((low + random() * (high - low)) / 100) * 100 + 99;
  const variantCount = 1 + Math.floor(random() * Math.min(3, spec.variantAxis.values.length));
  const start = Math.floor(random() * spec.variantAxis.values.length);
  const variants = Array.from({ length: variantCount }, (_, v) => {
    const value = spec.variantAxis.values[(start + v) % spec.variantAxis.values.length] ?? 'standard';
    return {
      sku: `SKU-${seed}-${index.toString(36).toUpperCase().padStart(5, '0')}-${v}`,
      attributes: { [spec.variantAxis.name]: value },
      price: { amount: base + v * 500, currency: 'USD' as const },
    };
  });
  return {
    name,
    description: `The ${adjective.toLowerCase()} ${noun.toLowerCase()} from ${brand}: ${features.join(', ')}. Model ${model}.`,
    brand,
    category: spec.category,
    images: [`https://images.example.com/products/${seed}/${index}.jpg`],
    attributes: { model, material: features[0] ?? 'mixed' },
    variants,
  };
}

export function* generateCatalog(count: number, seed = 42): Generator<SeedProduct> {
  for (let i = 0; i < count; i++) yield generateProduct(i, seed);
}
