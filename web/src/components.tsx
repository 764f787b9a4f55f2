import type { ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { type Clearance, PUBLIC } from './viewer';
import { type DateValue, formatDate } from './format';

export const ClearanceContext = createContext<Clearance>(PUBLIC);
export const useClearance = (): Clearance => useContext(ClearanceContext);

export function DateText({ date }: { date: DateValue }) {
  const text = formatDate(date);
  return (
    <span class="date">
      <time dateTime={date.start}>{text}</time>
      {date.asReported && date.asReported !== text ? <span class="as-reported"> (“{date.asReported}”)</span> : null}
    </span>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="status" role="status">
      Loading {what}…
    </p>
  );
}

export function Failure({ error }: { error: string }) {
  return (
    <p class="error" role="alert">
      {error}
    </p>
  );
}

export function Section({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

/** An external link, as text: opens in a new tab without handing it this page. */
export function External({ href, children }: { href: string; children: ComponentChildren }) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}

/** Only http(s) URLs become links (a stored `javascript:` URL must never run). */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}
