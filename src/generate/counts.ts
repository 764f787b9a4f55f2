import { Cell } from './copy';
import { Random } from './random';
import { numberWords, singular } from './text';

/* Counts as reports give them (docs/dates-and-counts.md): documented figures, floors ("over 100"),
 * best guesses ("nearly 100"), ranges and ceilings, or nothing known. Always at least <= best <= at
 * most, never negative, as the CHECKs require. */

export const COUNT_COLUMNS = ['at_least', 'best', 'at_most', 'basis', 'as_reported'] as const;

export function countColumns(prefix: string): string[] {
  return COUNT_COLUMNS.map((c) => `${prefix}_${c}`);
}

/** Every field null: not known (not zero). */
export const UNKNOWN_COUNT: readonly Cell[] = [null, null, null, null, null];

/** How reports round large numbers. */
function roundish(n: number): number {
  if (n < 20) return Math.max(1, n);
  if (n < 200) return Math.round(n / 10) * 10;
  if (n < 2000) return Math.round(n / 50) * 50;
  if (n < 20000) return Math.round(n / 500) * 500;
  return Math.round(n / 1000) * 1000;
}

export function documented(n: number, noun: string): Cell[] {
  return [n, n, n, 'DOCUMENTED', `${numberWords(n)} ${n === 1 ? singular(noun) : noun}`];
}

/** An estimate around `n`: a floor, a best guess, a range or a ceiling. */
export function estimated(random: Random, n: number, noun: string): Cell[] {
  const figure = roundish(n);
  switch (random.int(0, 4)) {
    case 0:
    case 1:
      return [figure, null, null, 'ESTIMATED', `${random.pick(['over', 'more than', 'at least'])} ${numberWords(figure)} ${noun}`];
    case 2:
      return [null, figure, null, 'ESTIMATED', `${random.pick(['nearly', 'about', 'some', 'around', 'an estimated'])} ${numberWords(figure)} ${noun}`];
    case 3: {
      const low = Math.floor(figure * 0.6);
      const high = Math.ceil(figure * 1.5) + 1;
      return [low, random.chance(0.5) ? figure : null, high, 'ESTIMATED', `between ${numberWords(low)} and ${numberWords(high)} ${noun}`];
    }
    default:
      return [null, null, figure, 'ESTIMATED', `up to ${numberWords(figure)} ${noun}`];
  }
}

/** People harmed in an incident. */
export function victimsCount(random: Random, noun: string): Cell[] {
  const u = random.float();
  if (u < 0.15) return [...UNKNOWN_COUNT];
  if (u < 0.2) return [null, null, null, 'ESTIMATED', `${random.pick(['an unknown number of', 'several', 'many', 'dozens of'])} ${noun}`];
  if (u < 0.6) return documented(random.heavyTail(1, 5000, 1.3), noun);
  return estimated(random, random.heavyTail(2, 20000, 1.1), noun);
}

/** People killed in an incident of `kind`. */
export function deathsCount(random: Random, kind: string): Cell[] {
  const u = random.float();
  if (kind === 'KILLING') {
    if (u < 0.1) return [null, null, null, 'ESTIMATED', 'killed (number not stated)'];
    if (u < 0.7) return documented(random.heavyTail(1, 500, 1.5), 'killed');
    return estimated(random, random.heavyTail(2, 3000, 1.2), 'dead');
  }
  if (kind === 'TORTURE_OR_ILL_TREATMENT' || kind === 'ENFORCED_DISAPPEARANCE') {
    if (u < 0.05) return documented(random.heavyTail(1, 10, 2), 'died');
  }
  if (u < 0.02) return [0, 0, 0, 'DOCUMENTED', 'no one was killed'];
  return [...UNKNOWN_COUNT];
}

/** Signatures of a petition or campaign. */
export function signaturesCount(random: Random): Cell[] {
  const u = random.float();
  if (u < 0.1) return [...UNKNOWN_COUNT];
  if (u < 0.55) return documented(random.heavyTail(50, 2_000_000, 0.9), 'signatures');
  return estimated(random, random.heavyTail(100, 2_000_000, 0.9), 'signatures');
}

/** Participants of a protest. */
export function participantsCount(random: Random): Cell[] {
  const u = random.float();
  if (u < 0.1) return [...UNKNOWN_COUNT];
  if (u < 0.3) return documented(random.heavyTail(3, 100_000, 1.1), 'people');
  return estimated(random, random.heavyTail(10, 500_000, 1.1), 'protesters');
}
