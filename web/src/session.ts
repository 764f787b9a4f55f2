/** Sign-in is pasting a token. It is kept in sessionStorage (gone when the tab closes) and sent
 * only in the Authorization header: never in a URL, so it never reaches a log, a history entry or
 * a Referer. */
const KEY = 'vigil.token';

export function token(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null; // storage refused (a sandboxed frame): a public visitor
  }
}

export function signIn(value: string): void {
  sessionStorage.setItem(KEY, value.trim());
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
}
