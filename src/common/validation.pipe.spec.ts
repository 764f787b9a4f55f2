import { DataSource } from 'typeorm';
import { IncidentFilter } from '../incidents/dto/incident-filter.input';
import { UserInputError } from './errors';
import { validateWrite } from './validation.pipe';

// No RefersTo rule in IncidentFilter: the database is never asked.
const noDatabase = {} as DataSource;

async function outcome(value: unknown, rememberForm: boolean): Promise<unknown> {
  try {
    const instance = await validateWrite(IncidentFilter, value, 'filter', noDatabase, { rememberForm });
    return { instance };
  } catch (error) {
    if (error instanceof UserInputError) return { problems: error.extensions.problems };
    throw error;
  }
}

describe('validateWrite remembering the form check (GraphQL arguments)', () => {
  const values: unknown[] = [
    { regions: ['RU'], dateFrom: '2017', dateTo: '2017' },
    { perpetrator: 'x', kinds: ['NOT_A_KIND'], situationId: 'nope' },
    { perpetrator: 'a\u0000b' },
    { victims: { min: -1 } },
    {},
  ];

  it.each(values.map((v) => [JSON.stringify(v), v]))('answers %s as the unremembered check does, every time', async (_, value) => {
    const expected = await outcome(value, false);
    for (let i = 0; i < 3; i++) expect(await outcome(value, true)).toStrictEqual(expected);
  });

  it('gives each caller its own problems and instance', async () => {
    const bad = { perpetrator: 'x' };
    const first = (await outcome(bad, true)) as { problems: { path: string; message: string }[] };
    first.problems[0].message = 'changed by the first caller';
    first.problems.push({ path: 'more', message: 'added by the first caller' });
    expect(await outcome(bad, true)).toStrictEqual(await outcome(bad, false));

    const good = { perpetrator: 'kadyrov' };
    const a = (await outcome(good, true)) as { instance: IncidentFilter };
    const b = (await outcome(good, true)) as { instance: IncidentFilter };
    expect(a.instance).not.toBe(b.instance);
    expect(a.instance).toBeInstanceOf(IncidentFilter);
  });

  it('checks the same value under another argument name with that name', async () => {
    const value = { perpetrator: 'x' };
    await validateWrite(IncidentFilter, value, 'filter', noDatabase, { rememberForm: true }).catch(() => undefined);
    await expect(validateWrite(IncidentFilter, value, 'other', noDatabase, { rememberForm: true })).rejects.toMatchObject({
      extensions: { problems: [expect.objectContaining({ path: 'other.perpetrator' })] },
    });
  });

  it('checks a value too large to remember every time, with the same answer', async () => {
    const large = { perpetrator: 'x'.repeat(10_000) };
    const expected = await outcome(large, false);
    expect(expected).toHaveProperty('problems');
    for (let i = 0; i < 2; i++) expect(await outcome(large, true)).toStrictEqual(expected);
  });
});
