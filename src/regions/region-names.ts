/**
 * Region names and representative points, from maintained data packages (no hand-written lists):
 * - `iso3166-2-db` (OpenStreetMap and GeoNames names of ISO 3166-1 countries and 3166-2
 *   subdivisions, in many languages): the common name ("Chechnya", "Чечня").
 * - `i18n-iso-countries` (CLDR-based country names): a country's name where the first has none,
 *   and every official and alternative name ("Russian Federation", "South Korea") for search.
 * - `country-state-city`: the representative point (latitude, longitude) of a country or
 *   subdivision, for maps of data whose exact coordinates are protected.
 * A region the packages name in no language keeps its ISO 3166 name in every language.
 */

/** The languages every region has a display name in (ISO 639-1, as BCP 47 primary subtags). */
export const REGION_LANGUAGES = ['en', 'ru', 'fr', 'es', 'ar'] as const;
export type RegionLanguage = (typeof REGION_LANGUAGES)[number];

/** The default display language. */
export const DEFAULT_REGION_LANGUAGE: RegionLanguage = 'en';

export interface RegionNaming {
  /** A display name in every REGION_LANGUAGES language. */
  names: Record<RegionLanguage, string>;
  /** Other names that find the region in a search (official names, other spellings). */
  aliases: string[];
}

export interface RegionPoint {
  latitude: number;
  longitude: number;
}

interface Iso3166DbRegion {
  iso: string;
  names?: Record<string, string>;
}
type Iso3166Db = Record<string, { names?: Record<string, string>; regions?: Iso3166DbRegion[] | Record<string, Iso3166DbRegion> }>;

/* eslint-disable @typescript-eslint/no-require-imports -- JSON data and CommonJS packages, read once at start */
function loadIso3166Db(): Map<string, Record<string, string>> {
  const data = require('iso3166-2-db/data/iso3166-2.json') as Iso3166Db;
  const names = new Map<string, Record<string, string>>();
  for (const [country, entry] of Object.entries(data)) {
    if (entry.names) names.set(country, entry.names);
    for (const region of Object.values(entry.regions ?? {})) if (region.names) names.set(`${country}-${region.iso}`, region.names);
  }
  return names;
}

function loadCountryNames(): Map<string, Map<RegionLanguage, string[]>> {
  const byCode = new Map<string, Map<RegionLanguage, string[]>>();
  for (const language of REGION_LANGUAGES) {
    const { countries } = require(`i18n-iso-countries/langs/${language}.json`) as { countries: Record<string, string | string[]> };
    for (const [code, written] of Object.entries(countries)) {
      const all = (Array.isArray(written) ? written : [written]).flat().filter((n): n is string => typeof n === 'string' && n.length > 0);
      (byCode.get(code) ?? byCode.set(code, new Map()).get(code)!).set(language, all);
    }
  }
  return byCode;
}

/** Names of every region in `regions` (code and ISO 3166 name), in every supported language. */
export function regionNamings(regions: readonly { code: string; isoName: string }[]): Map<string, RegionNaming> {
  const common = loadIso3166Db();
  const countries = loadCountryNames();
  const out = new Map<string, RegionNaming>();
  for (const { code, isoName } of regions) {
    const known = common.get(code) ?? {};
    const official = countries.get(code);
    const nameIn = (language: RegionLanguage): string | undefined => known[language]?.trim() || official?.get(language)?.[0];
    const english = nameIn('en') ?? isoName;
    const names = Object.fromEntries(REGION_LANGUAGES.map((l) => [l, nameIn(l) ?? english])) as Record<RegionLanguage, string>;
    const shown = new Set(Object.values(names).map((n) => n.toLowerCase()));
    const aliases = [isoName, known.geonames, ...[...(official?.values() ?? [])].flat()]
      .filter((n): n is string => !!n && !shown.has(n.toLowerCase()))
      .filter((n, k, all) => all.findIndex((m) => m.toLowerCase() === n.toLowerCase()) === k);
    out.set(code, { names, aliases });
  }
  return out;
}

interface CscPlace {
  isoCode: string;
  countryCode?: string;
  latitude?: string | null;
  longitude?: string | null;
}

/** The package's representative point of each country and subdivision it knows, by ISO code. */
export function regionPoints(): Map<string, RegionPoint> {
  const points = new Map<string, RegionPoint>();
  const add = (code: string, place: CscPlace) => {
    const latitude = Number(place.latitude);
    const longitude = Number(place.longitude);
    if (place.latitude && place.longitude && Number.isFinite(latitude) && Number.isFinite(longitude) && Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180) {
      points.set(code, { latitude, longitude });
    }
  };
  const countries = require('country-state-city/lib/assets/country.json') as CscPlace[];
  const states = require('country-state-city/lib/assets/state.json') as CscPlace[];
  for (const c of countries) add(c.isoCode, c);
  for (const s of states) if (s.countryCode) add(`${s.countryCode}-${s.isoCode}`, s);
  return points;
}
/* eslint-enable @typescript-eslint/no-require-imports */
