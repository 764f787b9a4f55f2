import { inLanguage, StoredTranslation, TranslationMethod } from './translations';
import { passageParts } from './passage';

describe('inLanguage', () => {
  const record = {
    language: 'en',
    headline: 'Over 100 men abducted',
    description: 'Reported in April.',
    translations: [
      { language: 'ru', headline: 'Более 100 мужчин похищены', translator: 'T', method: TranslationMethod.MACHINE },
      { language: 'pt-BR', headline: 'Mais de 100 homens', description: 'Relatado em abril.', translator: 'P', method: TranslationMethod.HUMAN },
    ] as StoredTranslation[],
  };
  const fields = ['headline', 'description'];

  it('takes the first preferred language the record has, exact tags before primary subtags', () => {
    expect(inLanguage(record, fields, ['de', 'ru'])).toMatchObject({ language: 'ru', isTranslation: true, translator: 'T', untranslated: ['description'] });
    expect(inLanguage(record, fields, ['pt'])).toMatchObject({ language: 'pt-BR', description: 'Relatado em abril.', untranslated: [] });
    expect(inLanguage(record, fields, ['en-GB', 'ru'])).toMatchObject({ language: 'en', isTranslation: false, headline: 'Over 100 men abducted' });
  });

  it('falls back to the original, and keeps it for fields the translation leaves out', () => {
    expect(inLanguage(record, fields, [])).toMatchObject({ language: 'en', isTranslation: false, translator: null, method: null });
    expect(inLanguage(record, fields, ['ru']).description).toBe('Reported in April.');
    expect(inLanguage({ language: 'fr', translations: null }, fields, ['fr'])).toMatchObject({ language: 'fr', headline: null });
  });
});

describe('passageParts', () => {
  it('splits ts_headline marks into parts and joins fragments', () => {
    expect(passageParts('men \u0001abducted\u0002 in \u0001Chechnya\u0002\u0003later \u0001abducted\u0002')).toEqual([
      { text: 'men ', matched: false },
      { text: 'abducted', matched: true },
      { text: ' in ', matched: false },
      { text: 'Chechnya', matched: true },
      { text: ' … later ', matched: false },
      { text: 'abducted', matched: true },
    ]);
    expect(passageParts('no match here')).toEqual([{ text: 'no match here', matched: false }]);
    expect(passageParts('')).toEqual([]);
  });
});
