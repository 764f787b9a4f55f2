import { useEffect, useState } from 'preact/hooks';

/** The location the pages render, kept in step with the history (back and forward included). */
export function useLocation(): { path: string; search: string } {
  const [location, setLocation] = useState({ path: window.location.pathname, search: window.location.search });
  useEffect(() => {
    const update = () => setLocation({ path: window.location.pathname, search: window.location.search });
    window.addEventListener('popstate', update);
    window.addEventListener('vigil:navigate', update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener('vigil:navigate', update);
    };
  }, []);
  return location;
}

export function navigate(url: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  window.dispatchEvent(new Event('vigil:navigate'));
}

/** Same-site links move within the page (no reload): every <a href="/..."> is a real link that
 * works on its own, opened in a new tab or shared. */
export function interceptLinks(): void {
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = (event.target as Element | null)?.closest?.('a');
    if (!link || link.target || link.hasAttribute('download')) return;
    const url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin || url.pathname.startsWith('/exports/') || url.pathname.startsWith('/graphiql')) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
    window.scrollTo(0, 0);
  });
}
