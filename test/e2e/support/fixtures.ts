import { inject } from 'vitest';
import type { SeedProduct } from '../../../local/seed/catalog-generator.ts';
import { StoreClient } from '../../../local/seed/store-client.ts';

export const client = new StoreClient(inject('baseUrl'));

/** A made-up word unique to this run, so assertions never collide with the demo catalog. */
export function uniqueWord(length = 9): string {
  const letters = 'bcdfghjklmnpqrstvwxz';
  const vowels = 'aeiou';
  let word = '';
  for (let i = 0; i < length; i++) {
    const alphabet = i % 2 === 0 ? letters : vowels;
    word += alphabet[Math.floor(Math.random() * alphabet.length)];
  }
  return word;
}

export function uniqueSku(prefix = 'E2E'): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`.toUpperCase();
}

export function productBody(overrides: Partial<SeedProduct> = {}): SeedProduct {
  return {
    name: `Test Product ${uniqueWord()}`,
    description: 'A product written by the end-to-end suite.',
    brand: 'Testbrand',
    category: 'testing',
    images: ['https://images.example.com/test.jpg'],
    attributes: { material: 'steel' },
    variants: [{ sku: uniqueSku(), attributes: { size: 'M' }, price: { amount: 1999, currency: 'USD' } }],
    ...overrides,
  };
}

export async function adminToken(): Promise<string> {
  return client.token({ sub: 'e2e-admin', groups: ['admin'] });
}

export async function shopperToken(sub = 'e2e-shopper'): Promise<string> {
  return client.token({ sub });
}

/** Polls `probe` until it returns true; resolves with the seconds it took, or throws after `timeoutMs`. */
export async function eventually(
  probe: () => Promise<boolean>,
  timeoutMs = 5000,
  intervalMs = 50,
): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (await probe()) return (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}
