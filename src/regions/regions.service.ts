import { likePattern } from '../common/like';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PageArgs } from '../common/connection';
import { UserInputError } from '../common/errors';
import { paginate } from '../common/keyset';
import { Region, RegionKind } from './region.entity';
import { RegionListArgs } from './dto/region-list.args';
import { regionNamings, regionPoints } from './region-names';

// iso-3166 is an ES module; Node 20.19+ loads it with require() (see database/embedded-postgres.ts).
type Iso3166 = typeof import('iso-3166', { with: { 'resolution-mode': 'import' } });

/** Regions come from the maintained `iso-3166` package (ISO 3166-1 and 3166-2), upserted at start
 * so that a package update brings new or renamed codes. Every SQL statement of the module is here. */
@Injectable()
export class RegionsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  static fromIso3166(): Region[] {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { iso31661, iso31662 } = require('iso-3166') as Iso3166;
    const parentOf = new Map<string, string>(iso31662.map((s) => [s.code, s.parent]));
    const pathOf = (code: string): string[] => {
      const path = [code];
      for (let p = parentOf.get(code); p; p = parentOf.get(p)) path.unshift(p);
      return path;
    };
    const countries = iso31661.map((c) =>
      Object.assign(new Region(), { code: c.alpha2, isoName: c.name, kind: RegionKind.COUNTRY, parentCode: null, countryCode: c.alpha2, path: [c.alpha2] }),
    );
    const subdivisions = iso31662.map((s) =>
      Object.assign(new Region(), { code: s.code, isoName: s.name, kind: RegionKind.SUBDIVISION, parentCode: s.parent, countryCode: s.code.slice(0, 2), path: pathOf(s.code) }),
    );
    return [...countries, ...subdivisions];
  }

  /** Inserts or updates every region in one statement, with its names (region-names.ts) and its
   * representative point: its own, or else its nearest enclosing region's. */
  static async sync(dataSource: DataSource): Promise<number> {
    const regions = RegionsService.fromIso3166();
    const namings = regionNamings(regions);
    const points = regionPoints();
    const pointOf = (r: Region) => [...r.path].reverse().find((code) => points.has(code));
    await dataSource.query(
      `INSERT INTO region (code, name, kind, parent_code, country_code, path, names, aliases, latitude, longitude, point_code)
       SELECT r.code, r.name, r.kind::region_kind, r.parent_code, r.country_code, string_to_array(r.path, '/'),
         r.names::jsonb, r.aliases::text[], r.latitude, r.longitude, r.point_code
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::float8[], $10::float8[], $11::text[])
         AS r(code, name, kind, parent_code, country_code, path, names, aliases, latitude, longitude, point_code)
       ORDER BY array_length(string_to_array(r.path, '/'), 1)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,
         parent_code = EXCLUDED.parent_code, country_code = EXCLUDED.country_code, path = EXCLUDED.path,
         names = EXCLUDED.names, aliases = EXCLUDED.aliases, latitude = EXCLUDED.latitude,
         longitude = EXCLUDED.longitude, point_code = EXCLUDED.point_code`,
      [
        regions.map((r) => r.code),
        regions.map((r) => r.isoName),
        regions.map((r) => r.kind),
        regions.map((r) => r.parentCode),
        regions.map((r) => r.countryCode),
        regions.map((r) => r.path.join('/')),
        regions.map((r) => JSON.stringify(namings.get(r.code)!.names)),
        // A text[] literal per row: unnest cannot take an array of arrays of different lengths.
        regions.map((r) => `{${namings.get(r.code)!.aliases.map((a) => `"${a.replace(/["\\]/g, '\\$&')}"`).join(',')}}`),
        regions.map((r) => points.get(pointOf(r) ?? '')?.latitude ?? null),
        regions.map((r) => points.get(pointOf(r) ?? '')?.longitude ?? null),
        regions.map((r) => pointOf(r) ?? null),
      ],
    );
    return regions.length;
  }

  /** Every region code with the codes inside it (itself included), and every name (lower case)
   * with the codes it names, read once: regions change only when RegionsService.sync runs, before
   * the service starts. Saves a list or aggregate filtered by region two statements per request. */
  private inside?: Promise<{ tree: Map<string, string[]>; named: Map<string, string[]> }>;

  private regionTree(): Promise<{ tree: Map<string, string[]>; named: Map<string, string[]> }> {
    this.inside ??= this.dataSource
      .query<{ code: string; path: string[]; names: Record<string, string>; aliases: string[]; name: string }[]>(`SELECT code, path, name, names, aliases FROM region`)
      .then((rows) => {
        const tree = new Map<string, string[]>();
        const named = new Map<string, string[]>();
        for (const { code, path, name, names, aliases } of rows) {
          for (const ancestor of path) (tree.get(ancestor) ?? tree.set(ancestor, []).get(ancestor)!).push(code);
          for (const n of new Set([name, ...Object.values(names), ...aliases].map((n) => n.toLowerCase()))) (named.get(n) ?? named.set(n, []).get(n)!).push(code);
        }
        return { tree, named };
      });
    // A failed read (the database is down) is not kept: the next request tries again.
    this.inside.catch(() => (this.inside = undefined));
    return this.inside;
  }

  /** The given regions and every region inside them ("RU" includes "RU-CE"). Each is an ISO 3166
   * code in any case, or a region's name in any supported language, or an alias ("Chechnya",
   * "Чечня"). Throws naming `argument` when one is unknown or names several regions (quoting the
   * caller's own words back, so the mistake is plain). */
  async expand(codes: string[], argument: string): Promise<string[]> {
    const { tree, named } = await this.regionTree();
    const unknown: string[] = [];
    const ambiguous: string[] = [];
    const wanted = new Set<string>();
    // Only a code-shaped value is quoted back: an error never echoes free text (it could be anything).
    const quoted = (given: string, k: number) => (/^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$/.test(given.trim()) ? JSON.stringify(given) : `item ${k + 1}`);
    for (const [k, given] of codes.entries()) {
      const code = given.trim().toUpperCase();
      const byName = named.get(given.trim().toLowerCase()) ?? [];
      if (tree.has(code)) wanted.add(code);
      else if (byName.length === 1) wanted.add(byName[0]);
      else if (byName.length > 1) ambiguous.push(`${quoted(given, k)} (${byName.slice(0, 5).join(', ')})`);
      else unknown.push(quoted(given, k));
    }
    if (unknown.length > 0) {
      throw UserInputError.of(argument, `unknown region code ${unknown.join(', ')} (use an ISO 3166 code such as RU or RU-CE, or a region's name; regions(search:) finds them)`);
    }
    if (ambiguous.length > 0) throw UserInputError.of(argument, `${ambiguous.join(', ')} names several regions: use one of their ISO 3166 codes`);
    return [...new Set([...wanted].flatMap((code) => tree.get(code)!))];
  }

  list(args: RegionListArgs, page: PageArgs) {
    const qb = this.dataSource.getRepository(Region).createQueryBuilder('r');
    if (args.kind) qb.andWhere('r.kind = :kind', { kind: args.kind });
    if (args.countryCode) qb.andWhere('r.country_code = :country', { country: args.countryCode.toUpperCase() });
    if (args.parentCode) qb.andWhere('r.parent_code = :parent', { parent: args.parentCode.toUpperCase() });
    if (args.search) {
      // Any display name, alias, the ISO name or the code: "Chechnya", "Чечня" and "RU-CE" all find RU-CE.
      qb.andWhere(
        `(r.code ILIKE :search OR r.name ILIKE :search OR EXISTS (SELECT 1 FROM jsonb_each_text(r.names) n WHERE n.value ILIKE :search) ` +
          `OR EXISTS (SELECT 1 FROM unnest(r.aliases) a WHERE a ILIKE :search))`,
        { search: likePattern(args.search) },
      );
    }
    return paginate(qb, 'r', [], page, { tiebreaker: 'r.code' });
  }
}
