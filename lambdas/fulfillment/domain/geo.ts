/**
 * Where a shipping address is, roughly, and how far a warehouse is from it. The store keeps no
 * geocoder: a small built-in table of centroids (US states by their two-letter code, and a few
 * countries by ISO 3166-1 alpha-2 code) is enough to tell a New Jersey warehouse from a Texas one
 * for a New York address. Lookup order: the region's centroid (`US` + `NY`), else the country's
 * centroid, else nothing, in which case routing ranks warehouses in the address's country first,
 * then any (see `routing.ts`).
 */

export interface Coordinates {
  lat: number;
  lon: number;
}

/** US states and DC: approximate geographic centroids. */
const US_STATES: Record<string, readonly [number, number]> = {
  AL: [32.8, -86.8],
  AK: [64.7, -152.4],
  AZ: [34.3, -111.7],
  AR: [34.9, -92.4],
  CA: [37.2, -119.5],
  CO: [39.0, -105.5],
  CT: [41.6, -72.7],
  DE: [39.0, -75.5],
  DC: [38.9, -77.0],
  FL: [28.6, -82.4],
  GA: [32.7, -83.4],
  HI: [20.8, -156.3],
  ID: [44.4, -114.6],
  IL: [40.0, -89.2],
  IN: [39.9, -86.3],
  IA: [42.1, -93.5],
  KS: [38.5, -98.4],
  KY: [37.5, -85.3],
  LA: [31.1, -92.0],
  ME: [45.4, -69.2],
  MD: [39.0, -76.8],
  MA: [42.3, -71.8],
  MI: [44.3, -85.4],
  MN: [46.3, -94.3],
  MS: [32.7, -89.7],
  MO: [38.4, -92.5],
  MT: [47.0, -109.6],
  NE: [41.5, -99.8],
  NV: [39.3, -116.6],
  NH: [43.7, -71.6],
  NJ: [40.2, -74.7],
  NM: [34.4, -106.1],
  NY: [42.9, -75.5],
  NC: [35.6, -79.4],
  ND: [47.5, -100.5],
  OH: [40.3, -82.8],
  OK: [35.6, -97.5],
  OR: [43.9, -120.6],
  PA: [40.9, -77.8],
  RI: [41.7, -71.5],
  SC: [33.9, -80.9],
  SD: [44.4, -100.2],
  TN: [35.9, -86.4],
  TX: [31.5, -99.3],
  UT: [39.3, -111.7],
  VT: [44.1, -72.7],
  VA: [37.5, -78.9],
  WA: [47.4, -120.5],
  WV: [38.6, -80.6],
  WI: [44.6, -89.9],
  WY: [43.0, -107.6],
};

/** Countries: approximate centroids (the US one is the contiguous states'). */
const COUNTRIES: Record<string, readonly [number, number]> = {
  US: [39.8, -98.6],
  CA: [56.1, -106.3],
  MX: [23.6, -102.6],
  GB: [54.0, -2.0],
  IE: [53.4, -8.2],
  DE: [51.2, 10.4],
  FR: [46.6, 2.2],
  NL: [52.1, 5.3],
  BE: [50.6, 4.6],
  LU: [49.8, 6.1],
  ES: [40.0, -3.7],
  PT: [39.6, -8.0],
  IT: [42.8, 12.6],
  AT: [47.6, 14.1],
  CH: [46.8, 8.2],
  PL: [52.1, 19.4],
  CZ: [49.8, 15.5],
  DK: [56.0, 10.0],
  SE: [62.0, 15.0],
  NO: [61.0, 8.0],
  FI: [64.0, 26.0],
  JP: [36.2, 138.3],
  AU: [-25.3, 133.8],
  BR: [-14.2, -51.9],
};

const REGIONS: Record<string, Record<string, readonly [number, number]>> = { US: US_STATES };

const norm = (code: string | undefined) => (code ?? '').trim().toUpperCase();
const point = ([lat, lon]: readonly [number, number]): Coordinates => ({ lat, lon });

export interface Locatable {
  country: string;
  region?: string;
}

/** The address's region centroid, else its country's, else undefined (unknown country). */
export function locate(address: Locatable): Coordinates | undefined {
  const country = norm(address.country);
  const region = REGIONS[country]?.[norm(address.region)];
  if (region) return point(region);
  const centroid = COUNTRIES[country];
  return centroid ? point(centroid) : undefined;
}

export const sameCountry = (a: string, b: string) => norm(a) === norm(b);

const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance (haversine), in km. */
export function greatCircleKm(a: Coordinates, b: Coordinates): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}
