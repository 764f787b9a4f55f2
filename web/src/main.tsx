import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './style.css';
import { ClearanceContext } from './components';
import { ExplorePage } from './pages/explore';
import { IncidentPage, OrganizationPage, ResponsePage, SituationPage } from './pages/records';
import { MapPage } from './pages/map';
import { TimelineEmbed, TimelinePage } from './pages/timeline';
import { interceptLinks, useLocation } from './router';
import { signIn, signOut } from './session';
import { type Clearance, loadClearance, PUBLIC } from './viewer';

function SignIn({ clearance, onChange }: { clearance: Clearance; onChange: () => void }) {
  const [value, setValue] = useState('');
  if (clearance.signedIn) {
    return (
      <div class="sign-in">
        <span>
          Signed in as {clearance.email} ({clearance.role.toLowerCase()})
        </span>
        <button
          type="button"
          onClick={() => {
            signOut();
            onChange();
          }}
        >
          Sign out
        </button>
      </div>
    );
  }
  return (
    <form
      class="sign-in"
      onSubmit={(e) => {
        e.preventDefault();
        if (!value.trim()) return;
        signIn(value);
        setValue('');
        onChange();
      }}
    >
      <label for="token">API token</label>
      <input id="token" type="password" autoComplete="off" placeholder="vigil_…" value={value} onInput={(e) => setValue(e.currentTarget.value)} />
      <button type="submit">Sign in</button>
    </form>
  );
}

function Page({ path }: { path: string }) {
  const record = /^\/(incidents|responses|situations|organizations)\/([^/]+)$/.exec(path);
  if (path === '/' || path === '') return <ExplorePage />;
  if (path === '/timeline') return <TimelinePage />;
  if (path === '/map') return <MapPage />;
  if (record) {
    const id = decodeURIComponent(record[2]);
    if (record[1] === 'incidents') return <IncidentPage id={id} />;
    if (record[1] === 'responses') return <ResponsePage id={id} />;
    if (record[1] === 'situations') return <SituationPage id={id} />;
    return <OrganizationPage id={id} />;
  }
  return (
    <main id="main">
      <h1>Not found</h1>
      <p>
        No page here. <a href="/">Explore the incidents</a>.
      </p>
    </main>
  );
}

function App() {
  const { path } = useLocation();
  const [clearance, setClearance] = useState<Clearance | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    loadClearance().then(
      (c) => {
        setClearance(c);
        setError(null);
      },
      (e: unknown) => {
        // A token the service refuses (expired, revoked): forget it and read as the public.
        signOut();
        setClearance(PUBLIC);
        setError(`Your token was not accepted (${e instanceof Error ? e.message : String(e)}); you are reading as the public.`);
      },
    );
  }, [generation]);
  const refresh = () => setGeneration((g) => g + 1);
  return (
    <ClearanceContext.Provider value={clearance ?? PUBLIC}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="site">
        <a class="brand" href="/">
          Vigil
        </a>
        <nav aria-label="Pages">
          <a href="/" aria-current={path === '/' ? 'page' : undefined}>
            Explore
          </a>
          <a href="/timeline" aria-current={path === '/timeline' ? 'page' : undefined}>
            Timeline
          </a>
          <a href="/map" aria-current={path === '/map' ? 'page' : undefined}>
            Map
          </a>
          <a href="/graphiql">GraphiQL</a>
        </nav>
        {clearance ? <SignIn clearance={clearance} onChange={refresh} /> : null}
      </header>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {/* A new viewer reads every page anew, with what their role may see. */}
      {clearance ? <Page key={`${path}:${clearance.role}:${clearance.email ?? ''}`} path={path} /> : null}
      <footer class="site">
        Vigil: sourced reports of human-rights abuses and the advocacy responses they provoked. Data: <a href="/exports/incidents.csv">incidents.csv</a>,{' '}
        <a href="/exports/responses.csv">responses.csv</a>, <a href="/exports/sources.csv">sources.csv</a> (public records).
      </footer>
    </ClearanceContext.Provider>
  );
}

/** The embeddable timeline stands alone: it reads public data only, so it never asks who the
 * viewer is (the framing tab may hold a token in this origin's sessionStorage). */
function Root() {
  const { path } = useLocation();
  return path === '/timeline/embed' ? <TimelineEmbed /> : <App />;
}

interceptLinks();
render(<Root />, document.getElementById('app')!);
