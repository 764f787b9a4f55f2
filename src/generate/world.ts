import { fmix32, hashString, Random, WeightedChoice } from './random';
import { HOTSPOTS, OTHER_COUNTRY_WEIGHT, PLACE_SUFFIXES, SYLLABLES } from './vocabulary';

/** A row of the region table, as the generator reads it. */
export interface RegionRow {
  code: string;
  name: string;
  kind: 'COUNTRY' | 'SUBDIVISION';
  country_code: string;
}

export interface Locality {
  name: string;
  /** Null where the generator has no idea where the country is. */
  latitude: number | null;
  longitude: number | null;
}

interface Centre {
  lat: number;
  lon: number;
  spread: number;
}

const LOCALITIES_PER_REGION = 8;

/** Deterministic offset in [-1, 1] from a hash. */
const unit = (h: number) => (h / 0xffffffff) * 2 - 1;

/** The countries and subdivisions incidents happen in: reports cluster in some countries and, within
 * a country, in some provinces and towns. Built from the region table, so codes are always valid. */
export class World {
  readonly regions: RegionRow[];
  private readonly countryIndex = new Map<string, number>();
  private readonly subdivisions = new Map<number, number[]>();
  private readonly countryChoice: WeightedChoice<number>;
  private readonly centres = new Map<number, Centre>();
  private readonly localityCache = new Map<number, Locality[]>();
  /** Countries with a known centre, for organizations and publishers. */
  readonly hotspotCountries: number[];

  /** `regions` must come in a stable order (by code) for the output to be reproducible. */
  constructor(regions: RegionRow[], private readonly seed: number) {
    if (regions.length === 0) throw new Error('The region table is empty');
    if (regions.length > 65535) throw new Error('Too many regions for the generator\'s 16-bit region index');
    this.regions = regions;
    regions.forEach((r, i) => {
      if (r.kind === 'COUNTRY') this.countryIndex.set(r.code, i);
    });
    regions.forEach((r, i) => {
      if (r.kind !== 'SUBDIVISION') return;
      const country = this.countryIndex.get(r.country_code);
      if (country === undefined) return;
      const list = this.subdivisions.get(country) ?? [];
      list.push(i);
      this.subdivisions.set(country, list);
    });
    // Within a country, some subdivisions see far more incidents than others: order each list by a
    // seeded hash, and pick from it with a bias to the front.
    for (const list of this.subdivisions.values()) {
      list.sort((a, b) => this.rank(a) - this.rank(b) || a - b);
    }
    const weights = new Map<number, number>();
    for (const index of this.countryIndex.values()) weights.set(index, OTHER_COUNTRY_WEIGHT);
    const hotspots: number[] = [];
    for (const [code, weight, lat, lon, spread] of HOTSPOTS) {
      const index = this.countryIndex.get(code);
      if (index === undefined) continue;
      weights.set(index, weight);
      this.centres.set(index, { lat, lon, spread });
      hotspots.push(index);
    }
    this.hotspotCountries = hotspots;
    this.countryChoice = new WeightedChoice([...weights.entries()].sort((a, b) => a[0] - b[0]));
  }

  private rank(regionIndex: number): number {
    return fmix32(hashString(this.regions[regionIndex].code) ^ this.seed);
  }

  code(index: number): string {
    return this.regions[index].code;
  }

  name(index: number): string {
    return this.regions[index].name;
  }

  /** The region index of a region's country (itself for a country). */
  countryOf(index: number): number {
    const region = this.regions[index];
    return region.kind === 'COUNTRY' ? index : (this.countryIndex.get(region.country_code) ?? index);
  }

  /** The region index of the country with ISO code `code`, if the region table has it. */
  countryByCode(code: string): number | undefined {
    return this.countryIndex.get(code);
  }

  isCountry(index: number): boolean {
    return this.regions[index].kind === 'COUNTRY';
  }

  pickCountry(random: Random): number {
    return this.countryChoice.pick(random);
  }

  /** A subdivision of the country (with probability `subdivision`, when it has any), else the country. */
  pickRegionIn(random: Random, country: number, subdivision: number): number {
    const list = this.subdivisions.get(country);
    if (!list || !random.chance(subdivision)) return country;
    return list[random.skewed(list.length, 2.2)];
  }

  /** "Grozny, Chechen Republic" style label of a region: the name, with its country for a subdivision. */
  label(index: number): string {
    const region = this.regions[index];
    if (region.kind === 'COUNTRY') return region.name;
    return `${region.name}, ${this.regions[this.countryOf(index)].name}`;
  }

  /** Towns of a region, the first ones the busiest; with coordinates where the country is a hotspot. */
  localities(index: number): Locality[] {
    let list = this.localityCache.get(index);
    if (list) return list;
    const centre = this.centres.get(this.countryOf(index));
    const base = hashString(`${this.seed}:${this.regions[index].code}`);
    // A subdivision sits somewhere inside its country's spread; its towns close around it.
    const regionLat = centre ? centre.lat + (this.isCountry(index) ? 0 : unit(fmix32(base ^ 0x51)) * centre.spread * 0.8) : 0;
    const regionLon = centre ? centre.lon + (this.isCountry(index) ? 0 : unit(fmix32(base ^ 0x77)) * centre.spread * 0.8) : 0;
    const townSpread = centre ? (this.isCountry(index) ? centre.spread : Math.min(1, centre.spread * 0.25)) : 0;
    list = [];
    for (let k = 0; k < LOCALITIES_PER_REGION; k++) {
      const h = fmix32(base + k * 0x9e3779b9);
      list.push({
        name: placeName(h),
        latitude: centre ? clampLatitude(regionLat + unit(fmix32(h ^ 0x1234)) * townSpread) : null,
        longitude: centre ? wrapLongitude(regionLon + unit(fmix32(h ^ 0x4321)) * townSpread) : null,
      });
    }
    this.localityCache.set(index, list);
    return list;
  }
}

function clampLatitude(lat: number): number {
  return Math.max(-89.9, Math.min(89.9, lat));
}

function wrapLongitude(lon: number): number {
  return lon > 180 ? lon - 360 : lon < -180 ? lon + 360 : lon;
}

/** An invented place name ("Korovisk", "Talabad") from a hash. */
export function placeName(hash: number): string {
  let h = hash;
  const syllables = 2 + (h % 2);
  let name = '';
  for (let i = 0; i < syllables; i++) {
    h = fmix32(h + i);
    name += SYLLABLES[h % SYLLABLES.length];
  }
  h = fmix32(h ^ 0xabcdef);
  name += PLACE_SUFFIXES[h % PLACE_SUFFIXES.length];
  return name.charAt(0).toUpperCase() + name.slice(1);
}
