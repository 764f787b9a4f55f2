import { Random } from './random';
import {
  AFTERMATH,
  COMMON_WORDS,
  FIRST_NAMES,
  LAST_NAMES,
  PERPETRATORS,
  PLACES,
  REPORTERS,
  SAYING,
  TIMES,
  VERBS_PAST,
  VICTIM_GROUPS,
} from './vocabulary';

/* Invented English text: report-like sentences mixed with sentences of ordinary words, so that
 * full-text search finds both domain terms and a long tail of vocabulary. */

const SMALL = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

export const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The singular of a plural noun phrase from the vocabulary ("gay men" -> "gay man"). */
export function singular(noun: string): string {
  if (noun.endsWith('men')) return `${noun.slice(0, -3)}man`;
  if (noun.endsWith('children')) return `${noun.slice(0, -8)}child`;
  if (noun.endsWith('people')) return `${noun.slice(0, -6)}person`;
  return noun.endsWith('s') ? noun.slice(0, -1) : noun;
}

/** "three", "12", "1,200": how reports write numbers. */
export function numberWords(n: number): string {
  if (n >= 1 && n <= SMALL.length) return SMALL[n - 1];
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function commonWords(random: Random, min: number, max: number): string {
  const count = random.int(min, max);
  let text = '';
  for (let i = 0; i < count; i++) {
    // A Zipf-like bias: some words recur often, most rarely, as in real text.
    const word = COMMON_WORDS[random.skewed(COMMON_WORDS.length, 1.7)];
    text += i === 0 ? word : ` ${word}`;
  }
  return text;
}

/** One sentence, ending with a full stop. */
export function sentence(random: Random, place?: string): string {
  const where = place ? `in ${place}` : random.pick(PLACES);
  switch (random.int(0, 5)) {
    case 0:
    case 1:
      return `${random.pick(REPORTERS)} ${random.pick(SAYING)} that ${random.pick(PERPETRATORS)} ${random.pick(VERBS_PAST)} ${numberWords(random.heavyTail(2, 300))} ${random.pick(VICTIM_GROUPS)} ${where} ${random.pick(TIMES)}.`;
    case 2:
      return `The ${random.pick(VICTIM_GROUPS)} were ${random.pick(VERBS_PAST)} ${random.pick(PLACES)} and ${random.pick(VERBS_PAST)} ${random.pick(TIMES)}.`;
    case 3:
      return random.pick(AFTERMATH);
    default:
      return `${capitalize(commonWords(random, 6, 14))}.`;
  }
}

/** `min` to `max` sentences. */
export function sentences(random: Random, min: number, max: number, place?: string): string {
  const count = random.int(min, max);
  let text = sentence(random, place);
  for (let i = 1; i < count; i++) text += ` ${sentence(random, place)}`;
  return text;
}

export function personName(random: Random): string {
  return `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
}

/** A URL path segment from a few words. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}
