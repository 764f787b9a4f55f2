import { useEffect, useState } from 'preact/hooks';
import { request } from './api';
import { graphql } from './graphql';
import { token } from './session';

const ME = graphql(`query Me { me { email role } }`);

/** What the viewer's role may read, as the variables the pages' documents take: a protected field
 * is asked for (`@include(if: $restricted)`) only when the role reads it, so nobody gets a
 * FORBIDDEN error for a field they could not see anyway. The service still decides. */
export interface Clearance {
  signedIn: boolean;
  email: string | null;
  role: string;
  restricted: boolean;
  confidential: boolean;
}

export const PUBLIC: Clearance = { signedIn: false, email: null, role: 'PUBLIC', restricted: false, confidential: false };

export async function loadClearance(): Promise<Clearance> {
  if (!token()) return PUBLIC;
  const { me } = await request(ME, {});
  if (!me) return PUBLIC;
  return {
    signedIn: true,
    email: me.email,
    role: me.role,
    restricted: true, // every account role reads RESTRICTED (docs/access.md)
    confidential: me.role === 'EDITOR' || me.role === 'ADMIN',
  };
}

export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: string | null; loading: boolean } {
  const [state, setState] = useState<{ data: T | null; error: string | null; loading: boolean }>({ data: null, error: null, loading: true });
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: unknown) => live && setState({ data: null, error: error instanceof Error ? error.message : String(error), loading: false }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}
