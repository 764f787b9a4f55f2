import { createHash } from 'node:crypto';
import { ROLE_ORDER, Role, CLEARANCE } from '../../src/access/role';
import { AccessLevel } from '../../src/access/access-level';
import { generateData } from '../../src/generate/generator';
import { startTestApp, TestApp } from '../support/test-app';
import { download } from './support';

/** The timeline.json export of generated data (every level, soft-deleted records, sources cited by
 * hidden citations), for every role and a few filters: the digest of each body is a snapshot taken
 * before the export's statement was rewritten for speed (issue 18), so any change in what a slide
 * says, names or leaves out fails here. */
const INCIDENTS = 1500;
const SEED = 11;

const PATHS = [
  '/exports/timeline.json',
  '/exports/timeline.json?regions=RU&dateFrom=2017-01-01&dateTo=2017-12-31',
  '/exports/timeline.json?orderBy=DATE_DESC&entryKinds=RESPONSE&title=Responses',
  '/exports/timeline.json?includeDeleted=true&responsesToIncidents=false&regions=UA',
];

describe('timeline.json on generated data', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ demo: false });
    await generateData(t.dataSource, { incidents: INCIDENTS, seed: SEED });
  });
  afterAll(() => t.close());

  it.each(ROLE_ORDER)('is the same, byte for byte, as before (%s)', async (role) => {
    const found: Record<string, { status: number; events?: number; sha256?: string }> = {};
    for (const path of PATHS) {
      const d = await download(t, path, role);
      found[path] = d.status === 200 ? { status: 200, events: (JSON.parse(d.text) as { events: unknown[] }).events.length, sha256: createHash('sha256').update(d.bytes).digest('hex') } : { status: d.status };
    }
    expect(found).toMatchSnapshot();
  });

  it.each(ROLE_ORDER)('never names a source the viewer may not see (%s)', async (role) => {
    const below = (Object.values(AccessLevel) as AccessLevel[]).slice(0, (Object.values(AccessLevel) as AccessLevel[]).indexOf(CLEARANCE[role]) + 1);
    // URLs only hidden sources have (soft-deleted, or above the viewer's clearance).
    const hidden: { url: string }[] = await t.dataSource.query(
      `SELECT DISTINCT url FROM source WHERE url IS NOT NULL AND (deleted_at IS NOT NULL OR confidentiality::text <> ALL ($1))
       EXCEPT SELECT url FROM source WHERE deleted_at IS NULL AND confidentiality::text = ANY ($1)`,
      [below],
    );
    expect(hidden.length).toBeGreaterThan(0);
    const text = (await download(t, PATHS[0], role)).text;
    expect(text).toContain('Sources: ');
    for (const { url } of hidden) expect(text).not.toContain(`"${url}"`.replace(/"/g, '\\"'));
  });
});
