import { likePattern } from '../common/like';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PageArgs } from '../common/connection';
import { UserInputError } from '../common/errors';
import { paginate } from '../common/keyset';
import { Region, RegionKind } from './region.entity';
import { RegionListArgs } from './dto/region-list.args';

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
      Object.assign(new Region(), { code: c.alpha2, name: c.name, kind: RegionKind.COUNTRY, parentCode: null, countryCode: c.alpha2, path: [c.alpha2] }),
    );
    const subdivisions = iso31662.map((s) =>
      Object.assign(new Region(), { code: s.code, name: s.name, kind: RegionKind.SUBDIVISION, parentCode: s.parent, countryCode: s.code.slice(0, 2), path: pathOf(s.code) }),
    );
    return [...countries, ...subdivisions];
  }

  /** Inserts or updates every region in one statement. */
  static async sync(dataSource: DataSource): Promise<number> {
    const regions = RegionsService.fromIso3166();
    await dataSource.query(
      `INSERT INTO region (code, name, kind, parent_code, country_code, path)
       SELECT r.code, r.name, r.kind::region_kind, r.parent_code, r.country_code, string_to_array(r.path, '/')
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
         AS r(code, name, kind, parent_code, country_code, path)
       ORDER BY array_length(string_to_array(r.path, '/'), 1)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,
         parent_code = EXCLUDED.parent_code, country_code = EXCLUDED.country_code, path = EXCLUDED.path`,
      [
        regions.map((r) => r.code),
        regions.map((r) => r.name),
        regions.map((r) => r.kind),
        regions.map((r) => r.parentCode),
        regions.map((r) => r.countryCode),
        regions.map((r) => r.path.join('/')),
      ],
    );
    return regions.length;
  }

  /** Every region code with the codes inside it (itself included), read once: regions change only
   * when RegionsService.sync runs, before the service starts. Saves a list or aggregate filtered
   * by region two statements per request. */
  private inside?: Promise<Map<string, string[]>>;

  private regionTree(): Promise<Map<string, string[]>> {
    this.inside ??= this.dataSource.query<{ code: string; path: string[] }[]>(`SELECT code, path FROM region`).then((rows) => {
      const tree = new Map<string, string[]>();
      for (const { code, path } of rows) for (const ancestor of path) (tree.get(ancestor) ?? tree.set(ancestor, []).get(ancestor)!).push(code);
      return tree;
    });
    // A failed read (the database is down) is not kept: the next request tries again.
    this.inside.catch(() => (this.inside = undefined));
    return this.inside;
  }

  /** The given codes and every region inside them ("RU" includes "RU-CE"). Throws naming `argument`
   * when a code is unknown (quoting the caller's own codes back, so the mistake is plain). */
  async expand(codes: string[], argument: string): Promise<string[]> {
    const tree = await this.regionTree();
    const wanted = [...new Set(codes.map((c) => c.trim().toUpperCase()))];
    const unknown = wanted.filter((c) => !tree.has(c));
    if (unknown.length > 0) {
      throw UserInputError.of(argument, `unknown region code ${unknown.map((c) => JSON.stringify(c)).join(', ')} (use ISO 3166 codes such as RU or RU-CE)`);
    }
    return [...new Set(wanted.flatMap((code) => tree.get(code)!))];
  }

  list(args: RegionListArgs, page: PageArgs) {
    const qb = this.dataSource.getRepository(Region).createQueryBuilder('r');
    if (args.kind) qb.andWhere('r.kind = :kind', { kind: args.kind });
    if (args.countryCode) qb.andWhere('r.country_code = :country', { country: args.countryCode.toUpperCase() });
    if (args.parentCode) qb.andWhere('r.parent_code = :parent', { parent: args.parentCode.toUpperCase() });
    if (args.search) qb.andWhere('(r.name ILIKE :search OR r.code ILIKE :search)', { search: likePattern(args.search) });
    return paginate(qb, 'r', [], page, 'r.code');
  }
}
