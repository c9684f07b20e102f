/**
 * Types of the Serverless Store API, from its OpenAPI document (stage local, which adds /dev/*).
 * generated, do not edit; npm run client:generate
 */
export interface paths {
  '/admin/products': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Create a product (admin) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['ProductWrite'];
        };
      };
      responses: {
        /** @description Created */
        201: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            /** @description The product: `/products/{productId}`. */
            location?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Product'];
          };
        };
        /** @description Invalid input; `errors` lists each field. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No or invalid bearer token. */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Not an administrator. */
        403: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A SKU belongs to another product, or a concurrent write. */
        409: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The body is not JSON: send it with Content-Type: application/json. */
        415: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Two variants share a SKU. */
        422: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/products/{productId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Replace a product (admin) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description The product id (a lowercase UUIDv7, as the catalog assigns). Longer than 128 characters: 400; any other value that is no product's id: 404. */
          productId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['ProductWrite'];
        };
      };
      responses: {
        /** @description Replaced */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Product'];
          };
        };
        /** @description Invalid body (`errors` lists each field), or a product id past 128 characters. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No or invalid bearer token. */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Not an administrator. */
        403: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such product (an id that is not a UUIDv7 is no product). */
        404: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A SKU belongs to another product, or a concurrent write. */
        409: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The body is not JSON: send it with Content-Type: application/json. */
        415: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Too many SKU changes in one write, or two variants share a SKU. */
        422: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    post?: never;
    /** Delete a product (admin); it leaves search too */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description The product id (a lowercase UUIDv7, as the catalog assigns). Longer than 128 characters: 400; any other value that is no product's id: 404. */
          productId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Deleted */
        204: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description The product id is longer than 128 characters. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No or invalid bearer token. */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Not an administrator. */
        403: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such product (an id that is not a UUIDv7 is no product). */
        404: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The product changed between the read and the delete; retry. */
        409: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/products/{productId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read a product */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description The product id (a lowercase UUIDv7, as the catalog assigns). Longer than 128 characters: 400; any other value that is no product's id: 404. */
          productId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The product */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Product'];
          };
        };
        /** @description The product id is longer than 128 characters. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such product (an id that is not a UUIDv7 is no product). */
        404: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/products': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List products, newest first, optionally within a category */
    get: {
      parameters: {
        query?: {
          /** @description Only this category (a lowercase slug). */
          category?: string;
          /** @description Products per page, 1..100 (default 20). */
          limit?: number;
          /** @description An opaque token: nextCursor of the previous page, passed back unchanged with the same category (limit may change). Cursors are bound to the listing that issued them: a cursor from another listing, or one that was altered, is a 400 with a field error on `cursor`. */
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of products */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ProductPage'];
          };
        };
        /** @description Invalid parameters, or a cursor not issued for this category; `errors` names each. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/search': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Full-text search with filters, facets, sorts and cursor pages */
    get: {
      parameters: {
        query?: {
          /** @description Free text; one-edit typos still match. */
          q?: string;
          /** @description category: the parameter repeated, one value each, at most 20 values (empty ones ignored); matches any of them, case-insensitively. */
          category?: string[];
          /** @description brand: the parameter repeated, one value each, at most 20 values (empty ones ignored); matches any of them, case-insensitively. */
          brand?: string[];
          /** @description minPrice in minor units (cents). */
          minPrice?: number;
          /** @description maxPrice in minor units (cents). */
          maxPrice?: number;
          /** @description Lowest average rating, 0..5. */
          minRating?: number;
          sort?: 'relevance' | 'price_asc' | 'price_desc' | 'rating' | 'newest';
          /** @description An opaque token: nextCursor of the previous page, passed back unchanged with the same q, filters and sort (limit may change). Cursors are bound to the search that issued them: a cursor from another search, or one that was altered, is a 400 with a field error on `cursor`. */
          cursor?: string;
          /** @description Results per page, 1..100 (default 20). */
          limit?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Results and facets */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SearchResult'];
          };
        };
        /** @description Invalid parameters, or a cursor not issued for this very search (text, filters and sort); `errors` names each. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description minPrice is above maxPrice: no price is in that range. */
        422: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/search/suggest': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Prefix autocomplete (at most 10) */
    get: {
      parameters: {
        query: {
          /** @description The prefix typed so far (surrounding spaces are ignored). */
          q: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Suggestions */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SuggestResult'];
          };
        };
        /** @description Invalid input; `errors` lists each field. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Health of every part */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Every probed part is ok */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Health'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Some probed part is down */
        503: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Health'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/openapi.json': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** This document */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OpenAPI 3 document */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              openapi: string;
              info: {
                title: string;
                version: string;
              } & {
                [key: string]: unknown;
              };
              paths: {
                [key: string]: {
                  [key: string]: unknown;
                };
              };
            } & {
              [key: string]: unknown;
            };
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/carts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Create a guest cart (its id is the key to it) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: {
        content: {
          'application/json': components['schemas']['CreateCart'];
        };
      };
      responses: {
        /** @description The new cart */
        201: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            /** @description The cart version, quoted: send it back as If-Match. */
            etag?: string;
            /** @description The cart: `/carts/{cartId}`. */
            location?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Cart'];
          };
        };
        /** @description Invalid input; `errors` lists each field. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A token was sent but is not valid; on /me, no token. */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The body is not JSON: send it with Content-Type: application/json. */
        415: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/carts/{cartId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read a cart, re-priced against the catalog */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description The cart's id (a guest cart's is its key). Any value that is not a cart of yours, or not a guest cart, is a 404. */
          cartId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The cart */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            /** @description The cart version, quoted: send it back as If-Match. */
            etag?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Cart'];
          };
        };
        /** @description A token was sent but is not valid; on /me, no token. */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such cart, or not yours (a guest cart: whoever holds its id; a user cart: its owner). */
        404: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/carts/{cartId}/items': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Add to a SKU's line at the catalog's current name and price */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Write only if the cart is still at this version: the ETag ("3"), also bare (3) or weak (W/"3"); `*` or no header: no condition. Another version: 412. */
          'If-Match'?: string;
        };
        path: {
          /** @description The cart's id (a guest cart's is its key). Any value that is not a cart of yours, or not a guest cart, is a 404. */
          cartId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['AddCartItem'];
        };
      };
      responses: {
        /** @description The cart as written */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            /** @description The cart version, quoted: send it back as If-Match. */
            etag?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Cart'];
          };
        };
        /** @description Invalid input; `errors` lists each field. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A token was sent but is not valid; on /me, no token. */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such cart, or not yours (a guest cart: whoever holds its id; a user cart: its owner). */
        404: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Concurrent writes to the cart kept winning; retry. */
        409: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description If-Match names another version; the ETag header carries the current one. */
        412: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            /** @description The current cart version, quoted. */
            etag?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The body is not JSON: send it with Content-Type: application/json. */
        415: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Unknown SKU, more than 99 of a SKU, or more than 50 lines. */
        422: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/carts/{cartId}/items/{sku}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Remove a line (a line that is not there: the cart, unchanged) */
    delete: {
      parameters: {
        query?: never;
        header?: {
          /** @description Write only if the cart is still at this version: the ETag ("3"), also bare (3) or weak (W/"3"); `*` or no header: no condition. Another version: 412. */
          'If-Match'?: string;
        };
        path: {
          /** @description The cart's id (a guest cart's is its key). Any value that is not a cart of yours, or not a guest cart, is a 404. */
          cartId: string;
          /** @description A SKU in the catalog format: 1-64 of A-Z, 0-9, "-" and "_". */
          sku: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The cart */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            /** @description The cart version, quoted: send it back as If-Match. */
            etag?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Cart'];
          };
        };
        /** @description A SKU outside the catalog format, or a malformed If-Match; `errors` names it. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A token was sent but is not valid; on /me, no token. */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such cart, or not yours (a guest cart: whoever holds its id; a user cart: its owner). */
        404: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Concurrent writes to the cart kept winning; retry. */
        409: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description If-Match names another version; the ETag header carries the current one. */
        412: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            /** @description The current cart version, quoted. */
            etag?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    /** Set a line's quantity (0 removes the line) */
    patch: {
      parameters: {
        query?: never;
        header?: {
          /** @description Write only if the cart is still at this version: the ETag ("3"), also bare (3) or weak (W/"3"); `*` or no header: no condition. Another version: 412. */
          'If-Match'?: string;
        };
        path: {
          /** @description The cart's id (a guest cart's is its key). Any value that is not a cart of yours, or not a guest cart, is a 404. */
          cartId: string;
          /** @description A SKU in the catalog format: 1-64 of A-Z, 0-9, "-" and "_". */
          sku: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['SetCartItem'];
        };
      };
      responses: {
        /** @description The cart as written */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            /** @description The cart version, quoted: send it back as If-Match. */
            etag?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Cart'];
          };
        };
        /** @description Invalid input: a SKU outside the catalog format (`sku`), a malformed If-Match (`If-Match`) or body; `errors` lists each field. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A token was sent but is not valid; on /me, no token. */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such cart, or no line for the SKU. */
        404: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Concurrent writes to the cart kept winning; retry. */
        409: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description If-Match names another version; the ETag header carries the current one. */
        412: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            /** @description The current cart version, quoted. */
            etag?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The body is not JSON: send it with Content-Type: application/json. */
        415: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description More than 99 of the SKU. */
        422: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    trace?: never;
  };
  '/me/cart': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The signed-in user's cart (created on first use), re-priced */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The user's cart */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            /** @description The cart version, quoted: send it back as If-Match. */
            etag?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Cart'];
          };
        };
        /** @description No bearer token, or one that is not valid. */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Two first reads at once could not settle who creates the cart; retry. */
        409: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/me/cart/merge': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Merge a guest cart into the user's cart, then delete the guest cart
     * @description Quantities of a SKU in both carts are summed, capped at 99; guest lines that would make more than 50 lines are left out. A repeat finds no guest cart and answers 404: the lines count once.
     */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Write only if the cart is still at this version: the ETag ("3"), also bare (3) or weak (W/"3"); `*` or no header: no condition. Another version: 412. */
          'If-Match'?: string;
        };
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['MergeCart'];
        };
      };
      responses: {
        /** @description The user's cart */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            /** @description The cart version, quoted: send it back as If-Match. */
            etag?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Cart'];
          };
        };
        /** @description Invalid input; `errors` lists each field. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No bearer token, or one that is not valid. */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such guest cart: already merged, expired, or never there. */
        404: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Concurrent writes to the cart kept winning; retry. */
        409: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description If-Match names another version; the ETag header carries the current one. */
        412: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            /** @description The current cart version, quoted. */
            etag?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The body is not JSON: send it with Content-Type: application/json. */
        415: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/inventory/{sku}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A SKU's stock: available, reserved, sold (admin) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description A SKU in the catalog format: 1-64 of A-Z, 0-9, "-" and "_". */
          sku: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The counts */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Stock'];
          };
        };
        /** @description The SKU is not in the catalog format. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No or invalid bearer token. */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Not an administrator. */
        403: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No stock was ever received for this SKU. */
        404: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/inventory/{sku}/receive': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Add received stock to a SKU (admin)
     * @description The units become available at once; the first receipt of a SKU creates its record.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description A SKU in the catalog format: 1-64 of A-Z, 0-9, "-" and "_". */
          sku: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['ReceiveStock'];
        };
      };
      responses: {
        /** @description The counts after the receipt */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Stock'];
          };
        };
        /** @description Invalid SKU or body; `errors` lists each field. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No or invalid bearer token. */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Not an administrator. */
        403: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Concurrent writes kept conflicting; retry. */
        409: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The body is not JSON: send it with Content-Type: application/json. */
        415: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The SKU would pass the most units a SKU may receive. */
        422: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/checkout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Place an order from a cart; its saga settles it
     * @description Prices the cart against the catalog, records a PENDING order with that snapshot and starts its checkout saga. Poll GET /orders/{orderId} for CONFIRMED or FAILED (with failureReason). A repeat with the same Idempotency-Key and body answers the same order, and never charges twice.
     */
    post: {
      parameters: {
        query?: never;
        header: {
          /** @description One key per checkout attempt (a UUID): a retry with the same key and body is answered with the same order; the same key with another body is a 422. Kept 24 hours. */
          'idempotency-key': string;
        };
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['CheckoutRequest'];
        };
      };
      responses: {
        /** @description The order is placed (or, for a repeat, where it got to) */
        202: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            /** @description The order: `/orders/{orderId}`. */
            location?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CheckoutAccepted'];
          };
        };
        /** @description No Idempotency-Key header or a malformed one, no body or one that is not JSON, or a body the CheckoutRequest schema refuses (an unknown field included); `errors` lists each field. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No bearer token, or one that is not valid (expired, wrong issuer). */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such cart, it expired, or it is not one the caller may check out. */
        404: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A request with this Idempotency-Key is in progress; retry shortly for its answer. */
        409: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The body is not JSON: send it with Content-Type: application/json. */
        415: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The cart is empty or holds SKUs no longer sold, or the Idempotency-Key was used with another body. */
        422: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/orders/{orderId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An order: status, items, totals, payment, shipments, timeline (its owner or an admin) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description An order id as POST /checkout returned it (`ord_` and 32 of A-Z, a-z, 0-9, `_`, `-`). */
          orderId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The order */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Order'];
          };
        };
        /** @description The order id is not one checkout issues (`ord_` and 32 of A-Z, a-z, 0-9, `_`, `-`); `errors` names `orderId`. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No bearer token, or one that is not valid (expired, wrong issuer). */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No order with this id, or it is not yours (and you are not an admin). */
        404: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/orders': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller's orders, newest first */
    get: {
      parameters: {
        query?: {
          /** @description Orders per page, 1..100 (default 20). */
          limit?: number;
          /** @description An opaque token: nextCursor of the previous page, passed back unchanged with the same user (limit may change). Cursors are bound to the listing that issued them: a cursor from another listing, or one that was altered, is a 400 with a field error on `cursor`. */
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of orders */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['OrderPage'];
          };
        };
        /** @description A limit that is not a whole number from 1 to 100, a cursor that is not one this listing issued to the caller (altered, or another user’s), or a query parameter other than `limit` and `cursor`; `errors` names it. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No bearer token, or one that is not valid (expired, wrong issuer). */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/orders/{orderId}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Cancel an order before anything ships (its owner or an admin)
     * @description Takes no body. Cancels the shipments, then the order; the capture is refunded and the stock returned within seconds (the order shows payment REFUND_PENDING, then REFUNDED). A repeat answers 202 again.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description An order id as POST /checkout returned it (`ord_` and 32 of A-Z, a-z, 0-9, `_`, `-`). */
          orderId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Cancelled (now, or by an earlier request) */
        202: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CancelAccepted'];
          };
        };
        /** @description The order id is not one checkout issues (`ord_` and 32 of A-Z, a-z, 0-9, `_`, `-`); `errors` names `orderId`. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No bearer token, or one that is not valid (expired, wrong issuer). */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No order with this id, or it is not yours (and you are not an admin). */
        404: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The order cannot be cancelled: a shipment has shipped, it is SHIPPED or DELIVERED, it is still being placed (PENDING) or it FAILED; or concurrent writes kept changing it (retry). */
        409: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/shipments/{shipmentId}/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * A carrier's tracking event for a shipment (admin)
     * @description SHIPPED (tracking number required) moves a CREATED shipment to SHIPPED and publishes ShipmentShipped; DELIVERED moves a SHIPPED one to DELIVERED and publishes ShipmentDelivered. The same event again (same status, same tracking number) answers 200 and publishes nothing.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description A shipment id, as ShipmentCreated and the order state it. */
          shipmentId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['CarrierEvent'];
        };
      };
      responses: {
        /** @description The shipment after the event (or as it was, for a repeat) */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Shipment'];
          };
        };
        /** @description A shipment id not of the form `shp_` and 24 hex digits, no body or one that is not JSON, or a body the CarrierEvent schema refuses (a status other than SHIPPED or DELIVERED, SHIPPED without a tracking number, a malformed tracking number, an unknown field); `errors` lists each field. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No bearer token, or one that is not valid (expired, wrong issuer). */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Not an administrator. */
        403: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such shipment. */
        404: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Not a move the shipment can make: DELIVERED before SHIPPED, any event on a CANCELLED shipment, another tracking number than the one it shipped with; or concurrent writes kept conflicting (retry). */
        409: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The body is not JSON: send it with Content-Type: application/json. */
        415: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/shipments/{shipmentId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A shipment (admin) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description A shipment id, as ShipmentCreated and the order state it. */
          shipmentId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The shipment */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Shipment'];
          };
        };
        /** @description A shipment id not of the form `shp_` and 24 hex digits; `errors` names `shipmentId`. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No bearer token, or one that is not valid (expired, wrong issuer). */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Not an administrator. */
        403: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such shipment. */
        404: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/warehouses/{warehouseId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /**
     * Create or replace a warehouse (admin)
     * @description Its coordinates are what routing measures distances from.
     */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description A warehouse id, e.g. `us-east`. */
          warehouseId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['WarehouseWrite'];
        };
      };
      responses: {
        /** @description The warehouse as stored (created or replaced) */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Warehouse'];
          };
        };
        /** @description A warehouse id not 1-64 of a-z, 0-9 and `-`, no body or one that is not JSON, or a body the WarehouseWrite schema refuses (a blank or over-long name or region, a country not two upper-case letters, lat or lon out of range, a missing field, an unknown field); `errors` lists each field. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No bearer token, or one that is not valid (expired, wrong issuer). */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Not an administrator. */
        403: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The body is not JSON: send it with Content-Type: application/json. */
        415: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/warehouses/{warehouseId}/allocations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Add units of a SKU the warehouse can ship (admin)
     * @description Every unit received into inventory should be allocated to some warehouse: routing refuses an order the allocations cannot cover.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description A warehouse id, e.g. `us-east`. */
          warehouseId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['AddAllocation'];
        };
      };
      responses: {
        /** @description The allocation after the addition */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Allocation'];
          };
        };
        /** @description A warehouse id not 1-64 of a-z, 0-9 and `-`, no body or one that is not JSON, or a body the AddAllocation schema refuses (a SKU not of the catalog’s form, a quantity not a whole number from 1 to 1000000, an unknown field); `errors` lists each field. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No bearer token, or one that is not valid (expired, wrong issuer). */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Not an administrator. */
        403: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such warehouse: PUT /admin/warehouses/{warehouseId} creates it. */
        404: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Concurrent writes (a routing transaction on this allocation) kept conflicting; retry. */
        409: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The body is not JSON: send it with Content-Type: application/json. */
        415: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/me/notification-preferences': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The caller's notification preferences
     * @description Per kind of message, email and SMS on or off; a user who never chose gets the defaults (email on, SMS off).
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The preferences */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NotificationPreferences'];
          };
        };
        /** @description No bearer token, or one that is not valid (expired, wrong issuer). */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    /**
     * Replace the caller's notification preferences
     * @description Full replacement: the body states every kind of message, each with `email` and `sms`.
     */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['NotificationPreferences'];
        };
      };
      responses: {
        /** @description The preferences as stored */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NotificationPreferences'];
          };
        };
        /** @description No body or one that is not JSON, or a body that is not the whole set of preferences (a kind or channel missing, a value not a boolean, an unknown field); `errors` lists each field. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No bearer token, or one that is not valid (expired, wrong issuer). */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The body is not JSON: send it with Content-Type: application/json. */
        415: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/products/{productId}/reviews': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A product's visible reviews and their summary
     * @description Newest first, or by rating (highest first, newest first within). The summary counts visible reviews only: hidden ones are out of both.
     */
    get: {
      parameters: {
        query?: {
          /** @description `newest` first (default), or by `rating`: highest first, newest first within. */
          sort?: 'newest' | 'rating';
          /** @description Reviews per page, 1..100 (default 20). */
          limit?: number;
          /** @description An opaque token: nextCursor of the previous page, passed back unchanged with the same product and sort (limit may change). Cursors are bound to the listing that issued them: a cursor from another listing, or one that was altered, is a 400 with a field error on `cursor`. */
          cursor?: string;
        };
        header?: never;
        path: {
          /** @description The product, as the catalog names it. */
          productId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of reviews, and the summary */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ReviewPage'];
          };
        };
        /** @description A product id no product can have (see `productId`), a sort other than `newest` or `rating`, a limit that is not a whole number from 1 to 100, a cursor this listing did not issue for this product and sort (altered, or from another product or sort), or a query parameter other than `sort`, `limit` and `cursor`; `errors` names it. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such product. */
        404: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    /**
     * Review a product you bought
     * @description A buyer is a caller with a confirmed, not cancelled order holding one of the product’s SKUs. One review per buyer and product: edit it with PUT.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description The product, as the catalog names it. */
          productId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['ReviewWrite'];
        };
      };
      responses: {
        /** @description The review */
        201: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            /** @description The review: `/products/{productId}/reviews/{reviewId}`. */
            location?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Review'];
          };
        };
        /** @description A product id no product can have, no body or one that is not JSON, or a body the ReviewWrite schema refuses (rating not a whole number 1..5, title over 120 or body over 4000 characters or all white space, an unknown field); `errors` lists each field. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No bearer token, or one that is not valid (expired, wrong issuer). */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description You have not bought this product (or its order was cancelled). */
        403: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such product. */
        404: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description You already reviewed this product (edit that review instead), or the product’s reviews are changing too fast right now (retry). */
        409: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The body is not JSON: send it with Content-Type: application/json. */
        415: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/products/{productId}/reviews/{reviewId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Edit your review */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description The product, as the catalog names it. */
          productId: string;
          /** @description A review id as POST returned it (`r_` and 22 of A-Z, a-z, 0-9, `_`, `-`). */
          reviewId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['ReviewWrite'];
        };
      };
      responses: {
        /** @description The review as edited */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Review'];
          };
        };
        /** @description A product id no product can have or a review id not of the form POST issues, no body or one that is not JSON, or a body the ReviewWrite schema refuses (rating not a whole number 1..5, title over 120 or body over 4000 characters or all white space, an unknown field); `errors` lists each field. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No bearer token, or one that is not valid (expired, wrong issuer). */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Someone else's review. */
        403: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such review of this product (none with this id, or it reviews another product). */
        404: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Conflict: the product’s reviews are changing too fast right now (retry). */
        409: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The body is not JSON: send it with Content-Type: application/json. */
        415: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    post?: never;
    /** Delete your review (you may then review the product again) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description The product, as the catalog names it. */
          productId: string;
          /** @description A review id as POST returned it (`r_` and 22 of A-Z, a-z, 0-9, `_`, `-`). */
          reviewId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Deleted */
        204: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description A product id no product can have or a review id not of the form POST issues; `errors` names it. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No bearer token, or one that is not valid (expired, wrong issuer). */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Someone else's review. */
        403: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such review of this product (none with this id, or it reviews another product). */
        404: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Conflict: the product’s reviews are changing too fast right now (retry). */
        409: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/reviews/{reviewId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Hide a review (admin): out of the list and the summary
     * @description Hiding a hidden review answers 204 again. The author can still delete it.
     */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description A review id as POST returned it (`r_` and 22 of A-Z, a-z, 0-9, `_`, `-`). */
          reviewId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Hidden (now, or already) */
        204: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description A review id not of the form POST issues; `errors` names `reviewId`. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No bearer token, or one that is not valid (expired, wrong issuer). */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Not an administrator. */
        403: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such review. */
        404: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Conflict: the product’s reviews are changing too fast right now (retry). */
        409: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/products/{productId}/recommendations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Products bought together with this one
     * @description Up to 10 products, most similar first: cosine similarity over the orders that hold both (co(a, b) / sqrt(n(a) * n(b))), so best-sellers do not win by volume alone. Never the product itself or a deleted product. A product nobody bought with anything yet gets the best-rated products of its category (score: rating average / 5). Cancelled orders do not count.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description The product, as the catalog names it. */
          productId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The recommendations (possibly none) */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Recommendations'];
          };
        };
        /** @description A product id no product can have (see `productId`); `errors` names `productId`. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such product (or it was deleted). */
        404: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/dev/outbox': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Notifications the local cloud would have sent to an address (stage local only, admin) */
    get: {
      parameters: {
        query: {
          /** @description An email address or an E.164 phone number. */
          to: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The messages, newest first */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Outbox'];
          };
        };
        /** @description No `to`, an empty one or one over 320 characters, or a query parameter other than `to`; `errors` names it. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No bearer token, or one that is not valid (expired, wrong issuer). */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Not an administrator. */
        403: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/dev/token': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Mint a token from the local issuer (stage local only) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['DevTokenRequest'];
        };
      };
      responses: {
        /** @description A signed JWT */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['DevTokenResponse'];
          };
        };
        /** @description Invalid input; `errors` lists each field. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The body is not JSON: send it with Content-Type: application/json. */
        415: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/dev/psp/charges': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The sandbox payment provider's ledger for an order (stage local only, admin) */
    get: {
      parameters: {
        query: {
          orderId: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The charges of the order, oldest first */
        200: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['PspCharges'];
          };
        };
        /** @description Invalid input; `errors` lists each field. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No or invalid bearer token. */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Not an administrator. */
        403: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/dev/faults': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Arm a fault in a saga step's function (stage local only, admin)
     * @description The step names a Lambda Task state of a deployed state machine, else a function. The next `count` invocations of that function fail as `mode` says.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['FaultRequest'];
        };
      };
      responses: {
        /** @description Armed */
        201: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ArmedFault'];
          };
        };
        /** @description Invalid input; `errors` lists each field. */
        400: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No or invalid bearer token. */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Not an administrator. */
        403: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No saga step or function of that name; or fault injection is not served here (a LocalStack deploy). */
        404: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The name matches several functions. */
        409: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The body is not JSON: send it with Content-Type: application/json. */
        415: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    /** Clear every armed fault (stage local only, admin) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Cleared */
        204: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description No or invalid bearer token. */
        401: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Not an administrator. */
        403: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Fault injection is served by the local cloud only (not by a LocalStack deploy). */
        404: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route. */
        413: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff. */
        429: {
          headers: {
            /** @description Correlates the response with logs. */
            'x-request-id'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    Product: {
      productId: string;
      name: string;
      /** @default  */
      description?: string;
      brand: string;
      category: string;
      /** @default [] */
      images?: string[];
      /**
       * @description Free-form string attributes, e.g. { "color": "black" }: at most 50, values up to 500 characters. Keys: 1-64 characters: a letter, then ASCII letters, digits, "_" and "-", words separated by single spaces; not a name reserved by JavaScript objects (__proto__, __defineGetter__, __defineSetter__, __lookupGetter__, __lookupSetter__, constructor, hasOwnProperty, isPrototypeOf, propertyIsEnumerable, prototype, toLocaleString, toString, valueOf). A key outside the rule is a 400 whose field error names it (`attributes.<key>`, `variants.<i>.attributes.<key>`).
       * @default {}
       */
      attributes?: {
        [key: string]: string;
      };
      variants: components['schemas']['Variant'][];
      rating: components['schemas']['Rating'];
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    Variant: {
      sku: string;
      /**
       * @description Free-form string attributes, e.g. { "color": "black" }: at most 50, values up to 500 characters. Keys: 1-64 characters: a letter, then ASCII letters, digits, "_" and "-", words separated by single spaces; not a name reserved by JavaScript objects (__proto__, __defineGetter__, __defineSetter__, __lookupGetter__, __lookupSetter__, constructor, hasOwnProperty, isPrototypeOf, propertyIsEnumerable, prototype, toLocaleString, toString, valueOf). A key outside the rule is a 400 whose field error names it (`attributes.<key>`, `variants.<i>.attributes.<key>`).
       * @default {}
       */
      attributes?: {
        [key: string]: string;
      };
      price: components['schemas']['Price'];
    };
    Price: {
      /** @description Integer minor units (cents), at most 1000000000. */
      amount: number;
      /**
       * @description ISO 4217 code; the store sells in USD.
       * @enum {string}
       */
      currency: 'USD';
    };
    Rating: {
      average: number;
      count: number;
    };
    /** @description RFC 9457 problem details (application/problem+json). */
    Problem: {
      /** @description A URI naming the kind of problem; `about:blank` from the gateway. */
      type: string;
      title: string;
      status: number;
      detail: string;
      /** @description On a 400 from validation: one entry per invalid field. */
      errors?: {
        /**
         * @description The field, dot-joined (`variants.0.price.amount`, `cursor`, `If-Match`).
         * @example variants.0.price.amount
         */
        path: string;
        message: string;
      }[];
      /** @description On the gateway's own answers (authorizer, throttling, size, WAF): its request id. */
      requestId?: string;
    };
    ProductWrite: {
      name: string;
      /** @default  */
      description?: string;
      brand: string;
      category: string;
      /** @default [] */
      images?: string[];
      /**
       * @description Free-form string attributes, e.g. { "color": "black" }: at most 50, values up to 500 characters. Keys: 1-64 characters: a letter, then ASCII letters, digits, "_" and "-", words separated by single spaces; not a name reserved by JavaScript objects (__proto__, __defineGetter__, __defineSetter__, __lookupGetter__, __lookupSetter__, constructor, hasOwnProperty, isPrototypeOf, propertyIsEnumerable, prototype, toLocaleString, toString, valueOf). A key outside the rule is a 400 whose field error names it (`attributes.<key>`, `variants.<i>.attributes.<key>`).
       * @default {}
       */
      attributes?: {
        [key: string]: string;
      };
      variants: components['schemas']['Variant'][];
    };
    ProductPage: {
      items: components['schemas']['Product'][];
      nextCursor?: string;
    };
    SearchResult: {
      items: {
        productId: string;
        name: string;
        brand: string;
        category: string;
        /** @description The lowest variant price. */
        price: {
          amount: number;
          currency: string;
        };
        rating: {
          average: number;
          count: number;
        };
        image?: string;
      }[];
      total: number;
      facets: {
        category: {
          value: string;
          count: number;
        }[];
        brand: {
          value: string;
          count: number;
        }[];
        price: {
          /** @description Inclusive, minor units. */
          from?: number;
          /** @description Exclusive, minor units. */
          to?: number;
          count: number;
        }[];
        rating: {
          min: number;
          count: number;
        }[];
      };
      nextCursor?: string;
    };
    SuggestResult: {
      suggestions: {
        text: string;
        productId: string;
      }[];
    };
    Health: {
      /**
       * @description `degraded` as soon as a probed part is down.
       * @enum {string}
       */
      status: 'ok' | 'degraded';
      parts: {
        dynamodb: components['schemas']['PartHealth'];
        search: components['schemas']['PartHealth'];
      } & {
        [key: string]: components['schemas']['LocalPartHealth'];
      };
    };
    PartHealth: {
      /** @enum {string} */
      status: 'ok' | 'down';
      /** @description How long the probe took (it gives up after 1.5 s). */
      latencyMs: number;
    };
    /** @description A local cloud part: its state, then diagnostics of that part. */
    LocalPartHealth: {
      /** @enum {string} */
      status: 'ok' | 'down' | 'degraded';
    } & {
      [key: string]: unknown;
    };
    /** @description GET re-prices every line against the catalog; write responses show the prices stored with the lines. */
    Cart: {
      /** @description Opaque. A guest cart id is 128 random bits: whoever holds it may use the cart. */
      cartId: string;
      /** @description A signed-in user's cart: the user id. */
      ownerId?: string;
      /** @description Newest first. */
      items: components['schemas']['CartItem'][];
      subtotal: components['schemas']['Money'];
      itemCount: number;
      /** @description Send it as If-Match to write only this version. */
      version: number;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      /**
       * Format: date-time
       * @description Guest carts: gone after 7 days without a write.
       */
      expiresAt?: string;
    };
    CartItem: {
      sku: string;
      productId: string;
      name: string;
      quantity: number;
      unitPrice: components['schemas']['Money'];
      lineTotal: components['schemas']['Money'];
      /**
       * @description Re-priced reads: the catalog price differs from the one seen when adding.
       * @enum {boolean}
       */
      priceChanged?: true;
      /** @description With priceChanged: the price seen. */
      previousUnitPrice?: {
        /** @description Integer minor units (cents). */
        amount: number;
        /**
         * @description ISO 4217 code; the store sells in USD.
         * @enum {string}
         */
        currency: 'USD';
      };
      /**
       * @description The SKU left the catalog; the line stays, outside the subtotal.
       * @enum {boolean}
       */
      unavailable?: true;
    };
    Money: {
      /** @description Integer minor units (cents). */
      amount: number;
      /**
       * @description ISO 4217 code; the store sells in USD.
       * @enum {string}
       */
      currency: 'USD';
    };
    CreateCart: Record<string, unknown>;
    /** @description Adds to the SKU line (creating it). */
    AddCartItem: {
      sku: string;
      /** @description 1..99; above 99 is refused with 422. */
      quantity: number;
    };
    /** @description The new quantity; 0 removes the line. */
    SetCartItem: {
      /** @description 0..99; above 99 is refused with 422. */
      quantity: number;
    };
    /** @description The guest cart to merge into the signed-in user's cart. */
    MergeCart: {
      cartId: string;
    };
    /** @description available + reserved + sold is every unit ever received for the SKU. */
    Stock: {
      sku: string;
      /** @description Units that can be reserved now. */
      available: number;
      /** @description Units held for orders in checkout (released if the checkout does not complete). */
      reserved: number;
      /** @description Units of confirmed orders. */
      sold: number;
      /** @description +1 per change of the counts. */
      version: number;
    };
    /** @description Adds received units to the SKU (creating its record). */
    ReceiveStock: {
      /** @description Units received, 1..1000000; they become available at once. */
      quantity: number;
    };
    /** @description The order was placed; its saga settles it (poll GET /orders/{orderId}). */
    CheckoutAccepted: {
      /** @example ord_Jx2d3mZ4kq9V1bQe0sR7tY5uW8aC6fGh */
      orderId: string;
      /**
       * @description PENDING when placed; a repeat of a settled checkout says where it got to.
       * @enum {string}
       */
      status: 'PENDING' | 'CONFIRMED' | 'FULFILLING' | 'SHIPPED' | 'DELIVERED' | 'FAILED' | 'CANCELLED';
    };
    CheckoutRequest: {
      cartId: string;
      shippingAddress: components['schemas']['Address'];
      payment: {
        /** @example tok_visa */
        token: string;
      };
    };
    Address: {
      name: string;
      line1: string;
      line2?: string;
      city: string;
      region?: string;
      postalCode: string;
      /** @example US */
      country: string;
    };
    Order: {
      /** @example ord_Jx2d3mZ4kq9V1bQe0sR7tY5uW8aC6fGh */
      orderId: string;
      userId: string;
      /** @enum {string} */
      status: 'PENDING' | 'CONFIRMED' | 'FULFILLING' | 'SHIPPED' | 'DELIVERED' | 'FAILED' | 'CANCELLED';
      /** @description The price snapshot taken at checkout. */
      items: {
        sku: string;
        productId: string;
        name: string;
        quantity: number;
        unitPrice: components['schemas']['Money'];
        lineTotal: components['schemas']['Money'];
      }[];
      subtotal: components['schemas']['Money'];
      shipping: components['schemas']['Money'];
      total: components['schemas']['Money'];
      shippingAddress: components['schemas']['Address'];
      payment: {
        /** @enum {string} */
        status: 'NONE' | 'CAPTURED' | 'VOIDED' | 'REFUNDED' | 'DECLINED' | 'REFUND_PENDING';
        /** @description The order total: what is (or was) charged. */
        amount: {
          /** @description Integer minor units (cents). */
          amount: number;
          /**
           * @description ISO 4217 code; the store sells in USD.
           * @enum {string}
           */
          currency: 'USD';
        };
      };
      /** @enum {string} */
      failureReason?: 'OUT_OF_STOCK' | 'PAYMENT_DECLINED' | 'PRICE_CHANGED' | 'EMPTY_CART' | 'INTERNAL';
      failureMessage?: string;
      shipments: {
        shipmentId: string;
        warehouseId: string;
        items: {
          sku: string;
          quantity: number;
        }[];
        /** @enum {string} */
        status: 'CREATED' | 'SHIPPED' | 'DELIVERED' | 'CANCELLED';
        /** @description Once the shipment has shipped. */
        trackingNumber?: string;
      }[];
      timeline: {
        /** @enum {string} */
        status: 'PENDING' | 'CONFIRMED' | 'FULFILLING' | 'SHIPPED' | 'DELIVERED' | 'FAILED' | 'CANCELLED';
        /** Format: date-time */
        at: string;
        /** @enum {string} */
        reason?: 'OUT_OF_STOCK' | 'PAYMENT_DECLINED' | 'PRICE_CHANGED' | 'EMPTY_CART' | 'INTERNAL';
        /** @description The shipment this step came from. */
        shipmentId?: string;
        /** @enum {string} */
        shipmentStatus?: 'CREATED' | 'SHIPPED' | 'DELIVERED' | 'CANCELLED';
      }[];
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    OrderPage: {
      /** @description Newest first. */
      items: components['schemas']['Order'][];
      /** @description Absent on the last page. */
      nextCursor?: string;
    };
    /** @description Cancelled: the refund and the return of the stock follow within seconds (see the order). */
    CancelAccepted: {
      /** @example ord_Jx2d3mZ4kq9V1bQe0sR7tY5uW8aC6fGh */
      orderId: string;
      /** @enum {string} */
      status: 'CANCELLED';
    };
    /** @description CREATED -> SHIPPED -> DELIVERED, or CREATED -> CANCELLED with its order. */
    Shipment: {
      shipmentId: string;
      orderId: string;
      warehouseId: string;
      items: {
        sku: string;
        quantity: number;
      }[];
      /** @enum {string} */
      status: 'CREATED' | 'SHIPPED' | 'DELIVERED' | 'CANCELLED';
      trackingNumber?: string;
      contact: {
        email?: string;
        phone?: string;
      };
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      history: {
        /** @enum {string} */
        status: 'CREATED' | 'SHIPPED' | 'DELIVERED' | 'CANCELLED';
        /** Format: date-time */
        at: string;
      }[];
    };
    /** @description SHIPPED (with the tracking number) moves a CREATED shipment to SHIPPED; DELIVERED moves a SHIPPED one to DELIVERED. */
    CarrierEvent:
      | {
          /** @enum {string} */
          status: 'SHIPPED';
          /** @description The carrier's tracking number. */
          trackingNumber: string;
        }
      | {
          /** @enum {string} */
          status: 'DELIVERED';
          /** @description The carrier's tracking number. */
          trackingNumber?: string;
        };
    Warehouse: {
      warehouseId: string;
      name: string;
      country: string;
      region: string;
      lat: number;
      lon: number;
    };
    /** @description A warehouse, created or replaced whole. */
    WarehouseWrite: {
      name: string;
      /** @description ISO 3166-1 alpha-2 country code. */
      country: string;
      /** @description State or region code, e.g. `NJ`. */
      region: string;
      lat: number;
      lon: number;
    };
    /** @description Units of the SKU this warehouse can ship. */
    Allocation: {
      warehouseId: string;
      sku: string;
      available: number;
    };
    /** @description Adds units of a SKU to the warehouse's allocation. */
    AddAllocation: {
      sku: string;
      quantity: number;
    };
    /** @description Per kind of message, the channels it is sent on. Defaults: email on, SMS off. */
    NotificationPreferences: {
      /** @description The order is confirmed (paid). */
      orderConfirmed: {
        /** @description Send this kind of message by email. */
        email: boolean;
        /** @description Send this kind of message by SMS. */
        sms: boolean;
      };
      /** @description A shipment of the order left the warehouse. */
      orderShipped: {
        /** @description Send this kind of message by email. */
        email: boolean;
        /** @description Send this kind of message by SMS. */
        sms: boolean;
      };
      /** @description A shipment of the order was delivered. */
      orderDelivered: {
        /** @description Send this kind of message by email. */
        email: boolean;
        /** @description Send this kind of message by SMS. */
        sms: boolean;
      };
      /** @description The order was cancelled and refunded. */
      orderCancelled: {
        /** @description Send this kind of message by email. */
        email: boolean;
        /** @description Send this kind of message by SMS. */
        sms: boolean;
      };
    };
    ReviewPage: {
      items: components['schemas']['Review'][];
      nextCursor?: string;
      summary: components['schemas']['ReviewSummary'];
    };
    Review: {
      reviewId: string;
      productId: string;
      rating: number;
      title: string;
      body: string;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    ReviewSummary: {
      average: number;
      count: number;
      histogram: {
        1: number;
        2: number;
        3: number;
        4: number;
        5: number;
      };
    };
    ReviewWrite: {
      rating: number;
      title: string;
      body: string;
    };
    Recommendations: {
      items: components['schemas']['Recommendation'][];
    };
    Recommendation: {
      productId: string;
      name: string;
      /** @description Cosine similarity over buyer counts, co(a, b) / sqrt(n(a) * n(b)); for a product without co-purchases, the rating average / 5 of the best-rated products of its category. */
      score: number;
    };
    /** @description Messages the local cloud would have sent to the address, newest first (at most 100). */
    Outbox: {
      items: components['schemas']['OutboxEntry'][];
    };
    OutboxEntry: {
      to: string;
      /** @enum {string} */
      channel: 'email' | 'sms';
      /** @enum {string} */
      kind: 'orderConfirmed' | 'orderShipped' | 'orderDelivered' | 'orderCancelled';
      /** @description Email only. */
      subject?: string;
      body: string;
      orderId: string;
      eventId: string;
      /** Format: date-time */
      sentAt: string;
    };
    DevTokenResponse: {
      token: string;
    };
    DevTokenRequest: {
      sub: string;
      groups?: string[];
      /** Format: email */
      email?: string;
      /** @description Becomes the `phone_number` claim: where SMS notifications go. */
      phone?: string;
    };
    /** @description The sandbox provider's ledger for one order, oldest first. */
    PspCharges: {
      items: {
        chargeId: string;
        orderId: string;
        amount: number;
        capturedAmount: number;
        refundedAmount: number;
        /** @enum {string} */
        status: 'AUTHORIZED' | 'CAPTURED' | 'VOIDED' | 'REFUNDED' | 'DECLINED';
      }[];
    };
    /** @description The fault armed. */
    ArmedFault: {
      step: string;
      /** @description The function's physical name. */
      function: string;
      /**
       * @description `error`: the handler does not run, the invocation fails with InjectedFault; `timeout`: it does not run, the invocation times out after the function timeout; `crash-after-success`: it runs and succeeds, then its runtime crashes (Runtime.ExitError).
       * @enum {string}
       */
      mode: 'error' | 'timeout' | 'crash-after-success';
      count: number;
      orderId?: string;
    };
    /** @description A fault to arm in a saga step's function. */
    FaultRequest: {
      /**
       * @description A Lambda Task state's name in a deployed state machine, else a function's physical name or logical-id prefix.
       * @example AuthorizePayment
       */
      step: string;
      /**
       * @description `error`: the handler does not run, the invocation fails with InjectedFault; `timeout`: it does not run, the invocation times out after the function timeout; `crash-after-success`: it runs and succeeds, then its runtime crashes (Runtime.ExitError).
       * @enum {string}
       */
      mode: 'error' | 'timeout' | 'crash-after-success';
      /**
       * @description How many of the function's next invocations fail.
       * @default 1
       */
      count?: number;
      /** @description Only invocations whose input is this order's (a saga step's `orderId`): one order's step fails while other orders pass. */
      orderId?: string;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
