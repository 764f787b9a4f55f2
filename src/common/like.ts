/** A `%text%` ILIKE pattern that matches `text` literally (its %, _ and \ escaped). */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}
