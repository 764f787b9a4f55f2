/* Deterministic randomness for the data generator. Every table draws from its own stream, named
 * after the table, so a change to one table's rows leaves the others as they were; ids are a pure
 * function of (seed, table, row number), so a child row can name its parent without reading it. */

/** MurmurHash3's 32-bit finalizer: a bijection on 32-bit integers that mixes every bit. */
export function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a of a string, finalized. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** Mixes a (possibly 53-bit) seed and a stream name into one 32-bit key. */
export function streamKey(seed: number, stream: string): number {
  const low = seed >>> 0;
  const high = Math.floor(seed / 0x100000000) >>> 0;
  return fmix32(fmix32(low ^ 0x9e3779b9) ^ fmix32(high + 0x7f4a7c15) ^ hashString(stream));
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): fast, 128 bits of state, good
 * statistical quality, and exactly reproducible in any JavaScript engine. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream: string) {
    const key = streamKey(seed, stream);
    this.a = fmix32(key ^ 0xa511e9b3);
    this.b = fmix32(key + 0x63d83595);
    this.c = fmix32(key ^ 0x1b873593);
    this.d = 1;
    for (let i = 0; i < 16; i++) this.next();
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 0x100000000;
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)];
  }

  /** An index in [0, n) biased towards 0: the larger `skew`, the more the first items dominate. */
  skewed(n: number, skew: number): number {
    return Math.min(n - 1, Math.floor(n * Math.pow(this.float(), skew)));
  }

  /** Roughly normal, mean 0, standard deviation about 1 (sum of three uniforms, bounded by ±3). */
  normal(): number {
    return (this.float() + this.float() + this.float() - 1.5) * 2;
  }

  /** A heavy-tailed whole number >= min: most draws near min, a few orders of magnitude larger. */
  heavyTail(min: number, max: number, exponent = 1.6): number {
    const u = Math.max(this.float(), 1e-9);
    return Math.min(max, Math.floor(min * Math.pow(u, -1 / exponent)));
  }
}

/** A fixed table of choices with weights, picked in O(log n). */
export class WeightedChoice<T> {
  private readonly items: T[];
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    if (entries.length === 0) throw new Error('WeightedChoice needs at least one entry');
    this.items = entries.map(([item]) => item);
    this.cumulative = new Float64Array(entries.length);
    let sum = 0;
    entries.forEach(([, weight], i) => {
      sum += weight;
      this.cumulative[i] = sum;
    });
    this.total = sum;
  }

  pick(random: Random): T {
    const target = random.float() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo];
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex32 = (v: number) => HEX[v >>> 24] + HEX[(v >>> 16) & 0xff] + HEX[(v >>> 8) & 0xff] + HEX[v & 0xff];
const hex16 = (v: number) => HEX[(v >>> 8) & 0xff] + HEX[v & 0xff];

/** The ids of one table: row `i` always gets the same UUID (version 4 layout) for a given seed.
 * The first 32 bits are a bijection of `i`, so ids are distinct within a table by construction. */
export class IdSpace {
  private readonly keys: [number, number, number, number];

  constructor(seed: number, table: string) {
    const key = streamKey(seed, `id:${table}`);
    this.keys = [fmix32(key ^ 0x2545f491), fmix32(key + 0x9e3779b9), fmix32(key ^ 0x85ebca6b), fmix32(key + 0xc2b2ae35)];
  }

  id(index: number): string {
    const [k0, k1, k2, k3] = this.keys;
    const h0 = fmix32(index ^ k0);
    const h1 = fmix32(h0 ^ k1);
    const h2 = fmix32(h1 + k2);
    const h3 = fmix32(h2 ^ k3);
    return (
      `${hex32(h0)}-${hex16(h1 >>> 16)}-${hex16(0x4000 | (h1 & 0x0fff))}-` +
      `${hex16(0x8000 | ((h2 >>> 16) & 0x3fff))}-${hex16(h2)}${hex32(h3)}`
    );
  }

  /** 64 hex digits derived from row `index`, for content hashes. */
  digest(index: number): string {
    let out = '';
    let h = fmix32(index ^ this.keys[3]);
    for (let i = 0; i < 8; i++) {
      h = fmix32(h + this.keys[i & 3] + i);
      out += hex32(h);
    }
    return out;
  }
}
