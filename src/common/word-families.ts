import { DataSource } from 'typeorm';

/**
 * Word families: forms of one root that a language's stemmer does not join ("detention" stems to
 * detent, "detained" to detain), so that a search for one finds the others. Each family is read
 * by the configuration of its language; every stem it gives is rewritten, in a query, to the OR
 * of them all (ts_rewrite in vigil_search_query). Curated for the acts and responses Vigil
 * records; see docs/research.md ("Search") to add one.
 */
export const WORD_FAMILIES: Record<'english' | 'russian' | 'french' | 'spanish' | 'arabic', string[][]> = {
  english: [
    ['detention', 'detained', 'detain', 'detainee', 'detainees', 'detaining'],
    ['arrest', 'arrested', 'arrests', 'arresting'],
    ['abduction', 'abducted', 'abduct', 'abductions', 'kidnapping', 'kidnapped'],
    ['disappearance', 'disappeared', 'disappearances'],
    ['killing', 'killed', 'kill', 'killings', 'murder', 'murdered'],
    ['execution', 'executed', 'executions'],
    ['imprisonment', 'imprisoned', 'prison', 'prisoner', 'prisoners'],
    ['beating', 'beaten', 'beat'],
    ['harassment', 'harassed', 'harass'],
    ['threat', 'threatened', 'threats', 'threatening'],
    ['persecution', 'persecuted'],
    ['protest', 'protesters', 'protesting', 'protested', 'rally', 'rallies'],
    ['petition', 'petitions', 'petitioned', 'signatures'],
  ],
  russian: [
    ['задержание', 'задержан', 'задержаны', 'задержанные', 'задержали', 'задержания'],
    ['арест', 'арестован', 'арестованы', 'арестовали'],
    ['похищение', 'похищен', 'похищены', 'похитили', 'похищения'],
    ['исчезновение', 'исчезли', 'исчез', 'исчезновения'],
    ['убийство', 'убит', 'убиты', 'убили', 'убийства'],
    ['пытки', 'пытка', 'пытали', 'пыткам'],
    ['тюрьма', 'тюрьме', 'заключение', 'заключены'],
    ['преследование', 'преследуют', 'преследования'],
  ],
  french: [
    ['détention', 'détenu', 'détenus', 'détenir', 'détenues'],
    ['arrestation', 'arrêté', 'arrêtés', 'arrestations'],
    ['enlèvement', 'enlevé', 'enlevés', 'enlèvements'],
    ['disparition', 'disparu', 'disparus', 'disparitions'],
    ['meurtre', 'tué', 'tués', 'meurtres', 'assassinat', 'assassiné'],
    ['torture', 'torturé', 'torturés'],
  ],
  spanish: [
    ['detención', 'detenido', 'detenidos', 'detener', 'detenciones'],
    ['arresto', 'arrestado', 'arrestados'],
    ['secuestro', 'secuestrado', 'secuestrados', 'secuestros'],
    ['desaparición', 'desaparecido', 'desaparecidos', 'desapariciones'],
    ['asesinato', 'asesinado', 'asesinados', 'asesinatos'],
    ['tortura', 'torturado', 'torturados'],
  ],
  arabic: [
    ['اعتقال', 'معتقل', 'معتقلين', 'اعتقل', 'المعتقلين'],
    ['اختطاف', 'مختطف', 'اختطف', 'المختطفين'],
    ['اختفاء', 'مختفي', 'المختفين'],
    ['قتل', 'مقتل', 'قتلى', 'قتلوا'],
    ['تعذيب', 'عذب', 'التعذيب'],
  ],
};

/**
 * Writes the rewrite rules of every family into `search_word_family`, as the database's own
 * stemmers read them (so they match the documents): for each stem of a family, the OR of all its
 * stems. Run at start, like the regions; the table is replaced whole, in one transaction.
 */
export async function syncWordFamilies(dataSource: DataSource): Promise<number> {
  const configs: string[] = [];
  const families: string[] = [];
  for (const [config, list] of Object.entries(WORD_FAMILIES)) {
    for (const family of list) {
      configs.push(config);
      families.push(family.join(' '));
    }
  }
  return dataSource.transaction(async (manager) => {
    await manager.query('DELETE FROM search_word_family');
    const inserted: unknown[] = await manager.query(
      `WITH family AS (
         SELECT f.config::regconfig AS config, k AS family, (SELECT array_agg(DISTINCT lexeme) FROM unnest(to_tsvector(f.config::regconfig, f.words))) AS stems
           FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS f(config, words, k))
       INSERT INTO search_word_family (config, target, substitute)
       SELECT DISTINCT ON (family.config, stem) family.config, quote_literal(stem)::tsquery,
              array_to_string(ARRAY(SELECT quote_literal(s) FROM unnest(family.stems) s ORDER BY s), ' | ')::tsquery
         FROM family, unnest(family.stems) AS stem
        WHERE array_length(family.stems, 1) > 1
        ORDER BY family.config, stem, family.family
       RETURNING 1`,
      [configs, families],
    );
    return inserted.length;
  });
}
