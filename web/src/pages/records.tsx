import { request } from '../api';
import { DateText, External, Failure, Loading, Section, TranslationNote, languageName, readerLanguages, safeHref, useClearance } from '../components';
import { formatCount, words } from '../format';
import { graphql, readFragment, type FragmentOf } from '../graphql';
import { useAsync } from '../viewer';

const DATE = graphql(`fragment DateParts on DateWithPrecision { start end precision approximate uncertain openEnd asReported }`);

const CITATION = graphql(
  `fragment CitationParts on Citation {
    id excerpt claim locator language
    inLanguage(preferred: $languages) { language excerpt isTranslation translator method }
    source { id publisher title url kind reliability published { ...DateParts } }
  }`,
  [DATE],
);

function Citations({ citations }: { citations: readonly FragmentOf<typeof CITATION>[] }) {
  if (citations.length === 0) return <p>No visible source.</p>;
  return (
    <ol class="citations">
      {citations.map((c) => {
        const citation = readFragment(CITATION, c);
        const source = citation.source;
        if (!source) return null;
        const href = safeHref(source.url);
        return (
          <li key={citation.id} class="citation">
            <p class="source-line">
              <strong>{source.publisher}</strong>: {href ? <External href={href}>{source.title}</External> : source.title} (
              <DateText date={readFragment(DATE, source.published)} />; reliability: {words(source.reliability)}; {words(source.kind)})
            </p>
            {citation.excerpt ? <blockquote lang={citation.language}>{citation.excerpt}</blockquote> : null}
            {citation.inLanguage.isTranslation && citation.inLanguage.excerpt ? (
              <div class="excerpt-translation">
                <p class="translation-note">
                  {languageName(citation.inLanguage.language)} translation of the excerpt
                  {citation.inLanguage.translator ? ` by ${citation.inLanguage.translator}` : ''} (not the source's words):
                </p>
                <blockquote lang={citation.inLanguage.language}>{citation.inLanguage.excerpt}</blockquote>
              </div>
            ) : null}
            {citation.claim ? <p>Supports: {citation.claim}</p> : null}
            {citation.locator ? <p class="meta">At: {citation.locator}</p> : null}
          </li>
        );
      })}
    </ol>
  );
}

function Record<T>({ id, what, load, children }: { id: string; what: string; load: () => Promise<T | null>; children: (record: T) => preact.ComponentChildren }) {
  const { data, error, loading } = useAsync(load, [id]);
  if (error) return <main id="main"><Failure error={error} /></main>;
  if (loading) return <main id="main"><Loading what={what} /></main>;
  if (!data) {
    return (
      <main id="main">
        <h1>No such {what}</h1>
        <p>It does not exist, or it is not visible to you. <a href="/">Explore the incidents</a>.</p>
      </main>
    );
  }
  return <main id="main" class="record">{children(data)}</main>;
}

const INCIDENT = graphql(
  `query IncidentPage($id: ID!, $restricted: Boolean!, $confidential: Boolean!, $languages: [String!]!) {
    incident(id: $id) {
      id headline description language kind
      inLanguage(preferred: $languages) { language headline description isTranslation translator method }
      translations { language translator method } verificationStatus locality locationPrecision perpetratorDescription
      latitude @include(if: $restricted)
      longitude @include(if: $restricted)
      internalNotes @include(if: $confidential)
      date { ...DateParts }
      region { code name country { code name } }
      victims { atLeast atMost best basis asReported }
      deaths { atLeast atMost best basis asReported }
      independentSourceCount
      situation { id name }
      citations { ...CitationParts }
      involvements {
        id role
        description @include(if: $restricted)
        person {
          id pseudonym gender birthYear
          fullName @include(if: $restricted)
          otherNames @include(if: $restricted)
          occupation @include(if: $restricted)
          contact @include(if: $confidential)
          notes @include(if: $confidential)
        }
      }
      responses { id title kind date { ...DateParts } organizers { role organization { id name } } }
    }
  }`,
  [DATE, CITATION],
);

export function IncidentPage({ id }: { id: string }) {
  const clearance = useClearance();
  return (
    <Record id={id} what="incident" load={async () => (await request(INCIDENT, { id, restricted: clearance.restricted, confidential: clearance.confidential, languages: readerLanguages() })).incident}>
      {(i) => {
        const victims = formatCount(i.victims);
        const deaths = formatCount(i.deaths);
        return (
          <>
            <p class="kicker">Incident · {words(i.kind)} · {words(i.verificationStatus)}</p>
            <h1 lang={i.inLanguage.language}>{i.inLanguage.headline}</h1>
            {i.inLanguage.isTranslation ? (
              <>
                <TranslationNote from={i.language} to={i.inLanguage.language} translator={i.inLanguage.translator} method={i.inLanguage.method} />
                {i.inLanguage.description ? <p class="description" lang={i.inLanguage.language}>{i.inLanguage.description}</p> : null}
                <p class="original" lang={i.language}>{i.headline}</p>
              </>
            ) : null}
            <dl class="facts">
              <dt>Date</dt>
              <dd><DateText date={readFragment(DATE, i.date)} /></dd>
              <dt>Place</dt>
              <dd>
                {[i.locality, i.region.name, i.region.country.code !== i.region.code ? i.region.country.name : null].filter(Boolean).join(', ')} ({i.region.code}; located to the {words(i.locationPrecision)})
              </dd>
              {i.latitude != null && i.longitude != null ? (
                <>
                  <dt>Coordinates</dt>
                  <dd>{i.latitude}, {i.longitude} <span class="badge">restricted</span></dd>
                </>
              ) : null}
              {victims ? (<><dt>Victims</dt><dd>{victims}</dd></>) : null}
              {deaths ? (<><dt>Deaths</dt><dd>{deaths}</dd></>) : null}
              {i.perpetratorDescription ? (<><dt>Perpetrators</dt><dd>{i.perpetratorDescription}</dd></>) : null}
              <dt>Situation</dt>
              <dd>{i.situation ? <a href={`/situations/${i.situation.id}`}>{i.situation.name}</a> : 'none'}</dd>
              <dt>Independent sources</dt>
              <dd>{i.independentSourceCount}</dd>
              <dt>Language</dt>
              <dd>
                {languageName(i.language)}
                {i.translations.length ? `; translated into ${i.translations.map((t) => `${languageName(t.language)} (by ${t.translator})`).join(', ')}` : ''}
              </dd>
            </dl>
            {i.description ? <p class="description" lang={i.language}>{i.description}</p> : null}
            {i.internalNotes ? (<Section title="Internal notes"><p>{i.internalNotes} <span class="badge">confidential</span></p></Section>) : null}
            <Section title="Sources">
              <Citations citations={i.citations} />
            </Section>
            <Section title="People involved">
              {i.involvements.length === 0 ? <p>No person recorded that you may see.</p> : (
                <ul class="people">
                  {i.involvements.map((v) => (
                    <li key={v.id}>
                      <strong>{v.person?.pseudonym ?? 'A person'}</strong> ({words(v.role)}
                      {v.person?.gender ? `, ${v.person.gender}` : ''}
                      {v.person?.birthYear ? `, born ${v.person.birthYear}` : ''})
                      {v.person?.fullName ? <span> · name: {v.person.fullName} <span class="badge">restricted</span></span> : null}
                      {v.person?.otherNames ? <span> · also: {v.person.otherNames}</span> : null}
                      {v.person?.occupation ? <span> · occupation: {v.person.occupation}</span> : null}
                      {v.description ? <p>{v.description}</p> : null}
                      {v.person?.contact ? <p>Contact: {v.person.contact} <span class="badge">confidential</span></p> : null}
                      {v.person?.notes ? <p>Notes: {v.person.notes}</p> : null}
                    </li>
                  ))}
                </ul>
              )}
            </Section>
            <Section title="Responses that answer it">
              {i.responses.length === 0 ? <p>None recorded yet.</p> : (
                <ul>
                  {i.responses.map((r) => (
                    <li key={r.id}>
                      <a href={`/responses/${r.id}`}>{r.title}</a> · {words(r.kind)} · <DateText date={readFragment(DATE, r.date)} />
                      {r.organizers.length ? ` · by ${r.organizers.map((o) => o.organization?.name).filter(Boolean).join(', ')}` : ''}
                    </li>
                  ))}
                </ul>
              )}
            </Section>
          </>
        );
      }}
    </Record>
  );
}

const RESPONSE = graphql(
  `query ResponsePage($id: ID!, $languages: [String!]!) {
    advocacyResponse(id: $id) {
      id title kind description target venue outcome url organizersDescription
      date { ...DateParts }
      region { code name }
      participants { atLeast atMost best basis asReported }
      signatures { atLeast atMost best basis asReported }
      organizers { id role organization { id name kind } }
      incidents { id headline kind date { ...DateParts } region { name } }
      situations { id name }
      citations { ...CitationParts }
    }
  }`,
  [DATE, CITATION],
);

export function ResponsePage({ id }: { id: string }) {
  return (
    <Record id={id} what="response" load={async () => (await request(RESPONSE, { id, languages: readerLanguages() })).advocacyResponse}>
      {(r) => {
        const href = safeHref(r.url);
        const participants = formatCount(r.participants);
        const signatures = formatCount(r.signatures);
        return (
          <>
            <p class="kicker">Advocacy response · {words(r.kind)}</p>
            <h1>{r.title}</h1>
            <dl class="facts">
              <dt>Date</dt>
              <dd><DateText date={readFragment(DATE, r.date)} /></dd>
              {r.venue || r.region ? (<><dt>Where</dt><dd>{[r.venue, r.region?.name].filter(Boolean).join(', ')}</dd></>) : null}
              {r.target ? (<><dt>Addressed to</dt><dd>{r.target}</dd></>) : null}
              {participants ? (<><dt>Participants</dt><dd>{participants}</dd></>) : null}
              {signatures ? (<><dt>Signatures</dt><dd>{signatures}</dd></>) : null}
              {r.outcome ? (<><dt>Outcome</dt><dd>{r.outcome}</dd></>) : null}
              {href ? (<><dt>Link</dt><dd><External href={href}>{href}</External></dd></>) : null}
            </dl>
            {r.description ? <p class="description">{r.description}</p> : null}
            <Section title="Organizers">
              {r.organizers.length === 0 ? <p>{r.organizersDescription ?? 'None recorded.'}</p> : (
                <ul>
                  {r.organizers.map((o) => (
                    <li key={o.id}>{o.organization ? <a href={`/organizations/${o.organization.id}`}>{o.organization.name}</a> : 'An organization'} ({words(o.role)})</li>
                  ))}
                </ul>
              )}
            </Section>
            <Section title="What it answers">
              <ul>
                {r.incidents.map((i) => (
                  <li key={i.id}><a href={`/incidents/${i.id}`}>{i.headline}</a> · <DateText date={readFragment(DATE, i.date)} /> · {i.region.name}</li>
                ))}
                {r.situations.map((s) => (
                  <li key={s.id}>Situation: <a href={`/situations/${s.id}`}>{s.name}</a></li>
                ))}
              </ul>
            </Section>
            <Section title="Sources">
              <Citations citations={r.citations} />
            </Section>
          </>
        );
      }}
    </Record>
  );
}

const SITUATION = graphql(
  `query SituationPage($id: ID!, $languages: [String!]!) {
    situation(id: $id) {
      id name description
      date { ...DateParts }
      region { code name }
      incidents { id headline kind date { ...DateParts } region { name } }
      responses { id title kind date { ...DateParts } }
      citations { ...CitationParts }
    }
  }`,
  [DATE, CITATION],
);

export function SituationPage({ id }: { id: string }) {
  return (
    <Record id={id} what="situation" load={async () => (await request(SITUATION, { id, languages: readerLanguages() })).situation}>
      {(s) => (
        <>
          <p class="kicker">Situation</p>
          <h1>{s.name}</h1>
          <dl class="facts">
            <dt>Date</dt>
            <dd><DateText date={readFragment(DATE, s.date)} /></dd>
            {s.region ? (<><dt>Region</dt><dd>{s.region.name} ({s.region.code})</dd></>) : null}
          </dl>
          {s.description ? <p class="description">{s.description}</p> : null}
          <p class="actions">
            <a href={`/?situation=${encodeURIComponent(s.id)}`}>Explore its incidents</a> · <a href={`/timeline?situation=${encodeURIComponent(s.id)}`}>Build its timeline</a> ·{' '}
            <a href={`/map?situation=${encodeURIComponent(s.id)}`}>Map</a>
          </p>
          <Section title={`Incidents (${s.incidents.length})`}>
            <ul>
              {s.incidents.map((i) => (
                <li key={i.id}><a href={`/incidents/${i.id}`}>{i.headline}</a> · <DateText date={readFragment(DATE, i.date)} /> · {i.region.name}</li>
              ))}
            </ul>
          </Section>
          <Section title={`Responses (${s.responses.length})`}>
            <ul>
              {s.responses.map((r) => (
                <li key={r.id}><a href={`/responses/${r.id}`}>{r.title}</a> · {words(r.kind)} · <DateText date={readFragment(DATE, r.date)} /></li>
              ))}
            </ul>
          </Section>
          <Section title="Sources">
            <Citations citations={s.citations} />
          </Section>
        </>
      )}
    </Record>
  );
}

const ORGANIZATION = graphql(
  `query OrganizationPage($id: ID!) {
    organization(id: $id) {
      id name kind description website
      region { code name }
      responseRoles { id role response { id title kind date { ...DateParts } } }
      publishedSources { id title url published { ...DateParts } }
    }
  }`,
  [DATE],
);

export function OrganizationPage({ id }: { id: string }) {
  return (
    <Record id={id} what="organization" load={async () => (await request(ORGANIZATION, { id })).organization}>
      {(o) => {
        const website = safeHref(o.website);
        return (
          <>
            <p class="kicker">Organization · {words(o.kind)}</p>
            <h1>{o.name}</h1>
            <dl class="facts">
              {o.region ? (<><dt>Based in</dt><dd>{o.region.name}</dd></>) : null}
              {website ? (<><dt>Website</dt><dd><External href={website}>{website}</External></dd></>) : null}
            </dl>
            {o.description ? <p class="description">{o.description}</p> : null}
            <Section title="Responses">
              {o.responseRoles.length === 0 ? <p>None recorded.</p> : (
                <ul>
                  {o.responseRoles.map((r) => r.response ? (
                    <li key={r.id}><a href={`/responses/${r.response.id}`}>{r.response.title}</a> · {words(r.role)} · <DateText date={readFragment(DATE, r.response.date)} /></li>
                  ) : null)}
                </ul>
              )}
            </Section>
            {o.publishedSources.length ? (
              <Section title="Sources it published">
                <ul>
                  {o.publishedSources.map((s) => {
                    const href = safeHref(s.url);
                    return <li key={s.id}>{href ? <External href={href}>{s.title}</External> : s.title} · <DateText date={readFragment(DATE, s.published)} /></li>;
                  })}
                </ul>
              </Section>
            ) : null}
          </>
        );
      }}
    </Record>
  );
}
