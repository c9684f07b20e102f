import { describe, expect, it } from 'vitest';
import { apiUrl } from '../../../local/seed/store-client.ts';

describe('store client URLs', () => {
  it('keeps the stage path of a deployed API and works with or without slashes', () => {
    expect(apiUrl('https://abc.execute-api.localhost.localstack.cloud:4566/local/', '/search?q=x')).toBe(
      'https://abc.execute-api.localhost.localstack.cloud:4566/local/search?q=x',
    );
    expect(apiUrl('http://127.0.0.1:3000', 'products/p1')).toBe('http://127.0.0.1:3000/products/p1');
    expect(apiUrl('http://127.0.0.1:3000/', '/dev/token')).toBe('http://127.0.0.1:3000/dev/token');
  });
});
