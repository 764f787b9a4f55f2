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

/** The reader's languages, most preferred first, as the browser states them (BCP 47 tags). */
export function readerLanguages(): string[] {
  const stated = navigator.languages?.length ? navigator.languages : [navigator.language];
  // Chromium under a POSIX locale says "en-US@posix": the tag is what comes before the "@".
  return stated.map((tag) => tag.split('@')[0]).filter((tag) => /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(tag)).slice(0, 10);
}

/** A language's name in the reader's own language ("Russian" for ru), or the tag. */
export function languageName(tag: string): string {
  try {
    return new Intl.DisplayNames(readerLanguages(), { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

const METHODS: Record<string, string> = { HUMAN: 'translated by a person', MACHINE: 'machine translation, not checked', MACHINE_REVIEWED: 'machine translation, checked' };

/** Says that text is a translation, from which language, by whom and how. */
export function TranslationNote({ from, to, translator, method }: { from: string; to: string; translator: string | null; method: string | null }) {
  return (
    <p class="translation-note">
      Translation from {languageName(from)} into {languageName(to)}
      {translator ? ` by ${translator}` : ''}
      {method ? ` (${METHODS[method] ?? method})` : ''}; the original follows.
    </p>
  );
}

/** Where a search matched: the passage, matched words marked (text only, never HTML). */
export function Passage({ passage }: { passage: { parts: readonly { text: string; matched: boolean }[]; language: string; isTranslation: boolean; recordType: string } }) {
  const from = passage.recordType === 'Citation' ? 'a source' : passage.isTranslation ? `the ${languageName(passage.language)} translation` : 'the text';
  return (
    <p class="passage">
      <span class="passage-from">Matched in {from}: </span>
      <span lang={passage.language}>
        {passage.parts.map((part, i) => (part.matched ? <mark key={i}>{part.text}</mark> : part.text))}
      </span>
    </p>
  );
}
