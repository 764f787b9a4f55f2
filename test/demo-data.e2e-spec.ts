import { startTestApp, TestApp } from './support/test-app';

/** The foundation's acceptance query, over HTTP on the demo data. */
describe('demo data', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('puts the 2 June 2017 petition and protests beside the Chechnya abductions on the README\'s timeline, each slide with its sources', async () => {
    const res = await t.http().get('/exports/timeline.json?regions=RU-CE&title=Chechnya');
    expect(res.status).toBe(200);
    const events: any[] = JSON.parse(res.text).events;
    const responses = events.filter((e) => e.group === 'Responses');
    const june2 = responses.filter((e) => e.start_date.year === 2017 && e.start_date.month === 6 && e.start_date.day === 2);
    expect(june2.map((e) => e.text.headline).join(' ')).toMatch(/petition/i);
    expect(june2.length).toBeGreaterThan(1);
    expect(events.some((e) => e.group === 'Incidents' && e.start_date.year === 2017 && e.start_date.month === 4)).toBe(true);
    for (const e of events) {
      expect(e.text.text).toMatch(/<p class="vigil-sources">Sources?: (?!none)/);
      expect(e).not.toHaveProperty('media');
    }
  });

  it('answers: incidents in Russia in 2017 with their sources, and the responses that answer them with their organizers', async () => {
    const { status, body } = await t.gql(`{
      incidents(filter: { regions: ["RU"], dateFrom: "2017-01-01", dateTo: "2017-12-31" }) {
        totalCount
        edges { node {
          headline kind region { code name country { code } }
          date { edtf precision approximate asReported }
          victims { atLeast best atMost basis asReported }
          citations { excerpt source { title publisher publisherAttribution } }
          independentSourceCount
          responses { title kind organizers { role organization { name kind } } }
        } }
      }
    }`);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const nodes = body.data!.incidents.edges.map((e: any) => e.node);
    expect(body.data!.incidents.totalCount).toBe(2);
    expect(nodes.every((n: any) => n.region.code === 'RU-CE' && n.region.country.code === 'RU')).toBe(true);

    const abductions = nodes.find((n: any) => n.kind === 'ABDUCTION');
    expect(abductions.victims).toEqual({ atLeast: 100, best: null, atMost: null, basis: 'ESTIMATED', asReported: 'over 100 men' });
    expect(abductions.date).toMatchObject({ edtf: '2017-04~', precision: 'MONTH', approximate: true });
    expect(abductions.independentSourceCount).toBe(2);
    expect(abductions.citations.map((c: any) => c.source.publisher).sort()).toEqual(['Gay Star News', 'Stonewall']);
    expect(abductions.citations.find((c: any) => c.source.publisher === 'Stonewall').source.publisherAttribution).toBe('INFERRED');

    const petition = abductions.responses.find((r: any) => r.kind === 'PETITION');
    expect(petition.organizers.map((o: any) => o.organization.name).sort()).toEqual(['Amnesty International UK', 'Stonewall']);
    // London, Edinburgh and the eight countries of the day of action all answer the April reports.
    expect(abductions.responses.filter((r: any) => r.kind === 'PROTEST')).toHaveLength(10);
  });

  it('records the December wave honestly: month precision, year inferred, the source\'s words kept', async () => {
    const { body } = await t.gql(`{ incidents(filter: { kinds: [DETENTION] }) { edges { node {
      date { edtf precision approximate uncertain asReported earliest latest }
      victims { atLeast best atMost basis } deaths { best basis asReported }
      responses { kind title organizers { role organization { name } } }
    } } } }`);
    const [december] = body.data!.incidents.edges.map((e: any) => e.node);
    expect(december.date).toEqual({
      edtf: '2018-12~', precision: 'MONTH', approximate: true, uncertain: false, asReported: 'late December',
      earliest: '2018-12-01', latest: '2018-12-31',
    });
    expect(december.victims).toEqual({ atLeast: 40, best: 40, atMost: 40, basis: 'DOCUMENTED' });
    expect(december.deaths).toMatchObject({ best: 2, basis: 'DOCUMENTED' });
    const fundraiser = december.responses.find((r: any) => r.kind === 'FUNDRAISER');
    expect(fundraiser.organizers).toEqual(expect.arrayContaining([
      { role: 'ORGANIZER', organization: { name: 'Gay Star News' } },
      { role: 'BENEFICIARY', organization: { name: 'Russian LGBT Network' } },
    ]));
  });

  it('cites at least one source for every incident and every response', async () => {
    const { body } = await t.gql(`{
      incidents(first: 100) { totalCount edges { node { headline citations { id source { id } } } } }
      advocacyResponses(first: 100) { totalCount edges { node { title citations { id source { id } } } } }
    }`);
    const incidents = body.data!.incidents.edges.map((e: any) => e.node);
    const responses = body.data!.advocacyResponses.edges.map((e: any) => e.node);
    expect(incidents).toHaveLength(3);
    expect(responses).toHaveLength(13);
    for (const record of [...incidents, ...responses]) {
      expect(record.citations.length).toBeGreaterThan(0);
      for (const c of record.citations) expect(c.source).not.toBeNull();
    }
  });

  it('links the situation to its incidents and to the responses that answer the whole pattern', async () => {
    const { body } = await t.gql(`{ situations { edges { node {
      name date { edtf openEnd latest asReported } region { code }
      incidents { kind } responses { kind } citations { source { publisher } }
    } } } }`);
    const [purge] = body.data!.situations.edges.map((e: any) => e.node);
    expect(purge.date).toEqual({ edtf: '2017-04/..', openEnd: true, latest: null, asReported: 'since April 2017' });
    expect(purge.region.code).toBe('RU-CE');
    expect(purge.incidents.map((i: any) => i.kind).sort()).toEqual(['ABDUCTION', 'DETENTION', 'TORTURE_OR_ILL_TREATMENT']);
    expect(purge.responses.length).toBe(13);
  });

  it('places the Edinburgh protest in Scotland, inside the United Kingdom', async () => {
    const scotland = await t.gql(`{ advocacyResponses(filter: { regions: ["GB-SCT"] }) { edges { node { venue region { code parent { code } } } } } }`);
    expect(scotland.body.data!.advocacyResponses.edges.map((e: any) => e.node)).toEqual([
      { venue: 'Russian Consulate, central Edinburgh', region: { code: 'GB-SCT', parent: { code: 'GB' } } },
    ]);
    const uk = await t.gql(`{ advocacyResponses(filter: { regions: ["GB"] }) { totalCount } }`);
    expect(uk.body.data!.advocacyResponses.totalCount).toBe(4); // petition, London protest, Edinburgh, 2019 rally
  });
});
