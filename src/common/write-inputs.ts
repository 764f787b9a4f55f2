import { Field, InputType, Int } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateBy, ValidateIf, ValidationArguments } from 'class-validator';
import { DateFields, DatePrecision, isoDate } from '../dates/date-precision';
import { EdtfError, parseEdtf } from '../dates/edtf';
import { CountBasis } from './count-estimate';
import { isCalendarDate } from './validators';

/** Bounds on free text, so that one request cannot store megabytes in a field. */
export const TEXT = {
  /** Names, titles, headlines, pseudonyms, publishers. */
  SHORT: 500,
  /** Descriptions, excerpts, notes. */
  LONG: 20_000,
  /** Words as reported ("late December", "over 100 men"), claims, locators. */
  PHRASE: 200,
  /** Reasons given for a change. */
  REASON: 2_000,
} as const;

/** The largest count PostgreSQL's int holds. */
const MAX_COUNT = 2_147_483_647;

const FORMS: Record<DatePrecision, { pattern: RegExp; example: string }> = {
  [DatePrecision.YEAR]: { pattern: /^\d{4}$/, example: '2017' },
  [DatePrecision.MONTH]: { pattern: /^\d{4}-\d{2}$/, example: '2017-04' },
  [DatePrecision.DAY]: { pattern: /^\d{4}-\d{2}-\d{2}$/, example: '2017-04-02' },
};

/** `value` as the first day of its period at `precision` (YYYY-MM-DD), or an error message. The
 * short form ("2017-04" for MONTH) and the first day of the period ("2017-04-01", as the API
 * returns it) are accepted; another day with MONTH precision is not: the precision must match. */
export function dateAtPrecision(value: unknown, precision: DatePrecision): { date: string } | { error: string } {
  const form = FORMS[precision];
  if (typeof value !== 'string') return { error: `must be a date written ${form.example}` };
  let full = value;
  if (precision !== DatePrecision.DAY && form.pattern.test(value)) {
    full = precision === DatePrecision.YEAR ? `${value}-01-01` : `${value}-01`;
  }
  if (!isCalendarDate(full)) {
    return { error: form.pattern.test(value) ? 'is not a date that exists' : `must be a date written ${form.example} (precision ${precision})` };
  }
  const [y, m, d] = full.split('-').map(Number);
  const first = precision === DatePrecision.YEAR ? isoDate(y, 1, 1) : precision === DatePrecision.MONTH ? isoDate(y, m, 1) : full;
  if (full !== first) return { error: `does not match precision ${precision}: write ${first.slice(0, FORMS[precision].example.length)}` };
  return { date: full };
}

/** A rule that reads the whole object; `check` answers the problem, or null. */
export function objectRule<T>(name: string, check: (value: unknown, object: T) => string | null): PropertyDecorator {
  return ValidateBy({
    name,
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => check(value, args!.object as T) === null,
      defaultMessage: (args?: ValidationArguments) => check(args!.value, args!.object as T) ?? '',
    },
  });
}

const dateRule = (name: string, check: (value: unknown, date: DateInput) => string | null) => objectRule<DateInput>(name, check);

const usesEdtf = (d: DateInput) => d.edtf !== undefined && d.edtf !== null;

/** A date as an editor writes it: either EDTF (`2017-04/..`, `2018-12~`), or its parts. */
@InputType({
  description:
    'A date with its precision. Give either `edtf` (e.g. 2017-06-02, 2018-12~, 2017-04/2017-06, 2017-04/..) or ' +
    '`start` and `precision` (with `end`, `openEnd`, `approximate`, `uncertain` as needed). Dates are written at their ' +
    'precision: 2017 (YEAR), 2017-04 (MONTH), 2017-04-02 (DAY).',
})
export class DateInput {
  @Field(() => String, { nullable: true, description: 'The whole date in EDTF (ISO 8601-2).' })
  @ValidateIf((d: DateInput) => usesEdtf(d))
  @IsString()
  @MaxLength(100)
  @dateRule('edtf', (value, d) => {
    if (d.start != null || d.end != null || d.precision != null || d.openEnd != null) {
      return 'give either edtf or start/end/precision/openEnd, not both';
    }
    try {
      // The EDTF grammar takes 29 February of any year; PostgreSQL would refuse 2017-02-29.
      const { start, end } = parseEdtf(String(value));
      return isCalendarDate(start) && (end === null || isCalendarDate(end)) ? null : 'is not a date that exists';
    } catch (e) {
      return e instanceof EdtfError ? e.message : 'is not a valid EDTF date';
    }
  })
  edtf?: string | null;

  @Field(() => String, { nullable: true, description: 'First period: 2017, 2017-04 or 2017-04-02 as the precision says.' })
  @ValidateIf((d: DateInput) => !usesEdtf(d))
  @dateRule('start', (value, d) => {
    if (value === undefined || value === null) return 'is required (or give edtf)';
    if (!d.precision || !FORMS[d.precision]) return null; // reported on precision
    const r = dateAtPrecision(value, d.precision);
    return 'error' in r ? r.error : null;
  })
  start?: string | null;

  @Field(() => String, { nullable: true, description: 'Last period of an interval, at the same precision; not before start.' })
  @ValidateIf((d: DateInput) => !usesEdtf(d) && d.end !== undefined && d.end !== null)
  @dateRule('end', (value, d) => {
    if (d.openEnd) return 'must be empty when openEnd is true';
    if (!d.precision || !FORMS[d.precision]) return null;
    const end = dateAtPrecision(value, d.precision);
    if ('error' in end) return end.error;
    const start = dateAtPrecision(d.start, d.precision);
    if ('date' in start && end.date < start.date) return 'is before start';
    return null;
  })
  end?: string | null;

  @Field(() => DatePrecision, { nullable: true })
  @ValidateIf((d: DateInput) => !usesEdtf(d))
  @IsEnum(DatePrecision, { message: 'is required (YEAR, MONTH or DAY) unless edtf is given' })
  precision?: DatePrecision | null;

  @Field(() => Boolean, { nullable: true, description: 'The span continues with no known end ("since April 2017").' })
  @IsOptional()
  @IsBoolean()
  openEnd?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'The date is given roughly (EDTF ~).' })
  @IsOptional()
  @IsBoolean()
  approximate?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'The sources are unsure of it (EDTF ?).' })
  @IsOptional()
  @IsBoolean()
  uncertain?: boolean | null;

  @Field(() => String, { nullable: true, description: 'The date in the source\'s own words ("late December").' })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT.PHRASE)
  asReported?: string | null;
}

/** The stored form of a validated DateInput. */
export function dateFieldsOf(input: DateInput): DateFields & { asReported: string | null } {
  const asReported = input.asReported ?? null;
  if (usesEdtf(input)) {
    const parsed = parseEdtf(input.edtf!);
    return {
      ...parsed,
      approximate: parsed.approximate || input.approximate === true,
      uncertain: parsed.uncertain || input.uncertain === true,
      asReported,
    };
  }
  const precision = input.precision!;
  const start = (dateAtPrecision(input.start, precision) as { date: string }).date;
  const end = input.end ? (dateAtPrecision(input.end, precision) as { date: string }).date : null;
  return {
    start,
    // "2017-04 to 2017-04" is the single month: stored without an end, as EDTF input is.
    end: end === start ? null : end,
    precision,
    approximate: input.approximate === true,
    uncertain: input.uncertain === true,
    openEnd: input.openEnd === true,
    asReported,
  };
}

function countOrder(value: unknown, c: CountInput): string | null {
  const figures: [string, number | null | undefined][] = [
    ['atLeast', c.atLeast],
    ['best', c.best],
    ['atMost', c.atMost],
  ];
  const given = figures.filter(([, v]) => typeof v === 'number') as [string, number][];
  for (let i = 0; i < given.length; i++) {
    for (let j = i + 1; j < given.length; j++) {
      if (given[i][1] > given[j][1] && given[j][1] === value) return `is below ${given[i][0]} (${given[i][1]})`;
    }
  }
  return null;
}

const CountOrder = () => objectRule<CountInput>('countOrder', countOrder);

/** A count as reports give it: "over 100 men" is atLeast 100, ESTIMATED, asReported "over 100 men". */
@InputType({ description: 'A count as a range. Figures are whole numbers, not negative, and atLeast <= best <= atMost.' })
export class CountInput {
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_COUNT)
  atLeast?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_COUNT)
  @CountOrder()
  best?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_COUNT)
  @CountOrder()
  atMost?: number | null;

  @Field(() => CountBasis, { nullable: true })
  @IsOptional()
  @IsEnum(CountBasis)
  basis?: CountBasis | null;

  @Field(() => String, { nullable: true, description: 'The count in the source\'s own words ("over 100 men").' })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT.PHRASE)
  asReported?: string | null;
}

/** The stored form of a CountInput: a part not given is unknown (null). */
export function countFieldsOf(input: CountInput | null | undefined) {
  return {
    atLeast: input?.atLeast ?? null,
    best: input?.best ?? null,
    atMost: input?.atMost ?? null,
    basis: input?.basis ?? null,
    asReported: input?.asReported ?? null,
  };
}

/** Exactly one of `properties` is given (e.g. an existing source's id or a new source). Reported
 * on the property it decorates. */
export function OneOf(...properties: string[]): PropertyDecorator {
  return objectRule<Record<string, unknown>>('oneOf', (_value, object) => {
    const given = properties.filter((p) => object[p] !== undefined && object[p] !== null);
    return given.length === 1 ? null : `give exactly one of ${properties.join(', ')}`;
  });
}

/** A reason for a change, kept in the revision and the audit log. */
export const REASON_DESCRIPTION = 'Why, in your words ("second source confirms the date"); kept in the history and the audit log.';
