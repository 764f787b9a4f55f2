/**
 * Formula injection (CSV injection): a spreadsheet runs a cell that starts with `=`, `+`, `-`,
 * `@`, a tab or a carriage return as a formula, so a headline such as `=HYPERLINK(...)` could act
 * on the analyst's machine. Following OWASP, such a text cell is prefixed with a single quote,
 * which spreadsheets show as text.
 *
 * To keep the rule reversible (an import strips it again), a text that already starts with quotes
 * followed by one of those characters gets one more quote: the exported cell starts with quotes
 * then a trigger character exactly when one quote was added. Text that starts with a quote and
 * anything else is left as it is.
 */

/** Characters that make a spreadsheet read a cell as a formula. */
export const FORMULA_TRIGGERS = ['=', '+', '-', '@', '\t', '\r'] as const;

const NEEDS_QUOTE = /^'*[=+\-@\t\r]/;

/** The text as it is written in an export cell. */
export function neutraliseFormula(text: string): string {
  return NEEDS_QUOTE.test(text) ? `'${text}` : text;
}

/** The stored text from an export cell (for imports): the inverse of neutraliseFormula. */
export function restoreFormula(cell: string): string {
  return /^'+[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

/** The same rule in SQL, over a text expression (null stays null), for exports that PostgreSQL
 * writes itself. The pattern is a constant: nothing of the caller's reaches it. */
export function neutraliseFormulaSql(expression: string): string {
  return `(CASE WHEN (${expression}) ~ '^''*[-=+@\\t\\r]' THEN '''' || (${expression}) ELSE (${expression}) END)`;
}
