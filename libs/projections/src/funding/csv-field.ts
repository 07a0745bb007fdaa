/**
 * One CSV field, shared by every CSV the ledger writes (the key figures and the reports), so
 * quoting and formula defusing are decided once.
 */

/**
 * Text a spreadsheet would run as a formula, after OWASP's CSV-injection advice: a leading `=`,
 * `+`, `-`, `@`, tab or CR. `-` followed by a digit counts too (`-2+3+cmd|…` runs). The bare
 * indicator `-` ("none") is not a formula and stays as it is.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Text prefixed with `'` when a spreadsheet would otherwise read it as a formula. Call only for text cells, never for numbers. */
export const defuseFormula = (text: string): string => (text !== '-' && FORMULA_START.test(text) ? `'${text}` : text);

/**
 * A separator of either kind followed by what FORMULA_START defuses: a spreadsheet set to split on
 * that separator (Norwegian Excel splits on `;`, others on `,`) would start a cell there (`…,=1+1`).
 */
const FORMULA_AFTER_A_SEPARATOR = /[,;][=+\-@\t\r]/;

/**
 * RFC 4180: a field holding the separator, a quote or a line break is quoted, quotes doubled; so is
 * one holding the other separator before a formula (see above), which the defusing of its start misses.
 */
export const csvField = (text: string, separator: ',' | ';'): string =>
  text.includes(separator) || /["\n\r]/.test(text) || FORMULA_AFTER_A_SEPARATOR.test(text) ? `"${text.replace(/"/g, '""')}"` : text;

/** A text cell as a CSV field: defused, then quoted if needed. */
export const csvText = (text: string, separator: ',' | ';'): string => csvField(defuseFormula(text), separator);
