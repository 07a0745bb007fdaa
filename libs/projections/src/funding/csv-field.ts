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
 * Text a spreadsheet opening a CSV would show as something else, seen with ids, references and
 * names in session twenty-one's spreadsheet review (LibreOffice Calc converts these even in quotes,
 * and Excel always reads dates): leading zeros dropped ("00123", a county number "01"), an exponent
 * read ("1E5" becomes 100000), a day and month read as a date ("1/2", "12.05.2013", "1-2"), a time
 * ("12:30"), a number with spaces ("1 000"), more digits than a spreadsheet keeps (16 or more), a
 * truth value (TRUE, SANN). An ISO date ("2012-12-12") is left to become the same date, and a whole
 * number the same number, which only changes the cell's type.
 */
const SHOWN_OTHERWISE = [
  /^[+-]?0\d/,
  /^[+-]?\d*[.,]?\d+[eE][+-]?\d+$/,
  /^\d{1,4}[-./]\d{1,2}(?:[-./]\d{1,4})?$/,
  /^\d{1,2}:\d{2}(?::\d{2})?$/,
  /^\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?$/,
  /^\d{16,}$/,
  /^(?:true|false|sann|usann)$/i,
];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const shownOtherwise = (text: string): boolean => !ISO_DATE.test(text) && SHOWN_OTHERWISE.some((re) => re.test(text));

/**
 * A text cell that must read as written (a name, id, reference, a count such as "1/2"): defused as a
 * formula, and prefixed with `'` too when a spreadsheet would show it otherwise (SHOWN_OTHERWISE).
 * Never for a cell meant to be read as a number.
 */
export const keepAsText = (text: string): string => (text !== '-' && (FORMULA_START.test(text) || shownOtherwise(text)) ? `'${text}` : text);

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

/** A text cell that must read as written (see keepAsText) as a CSV field. */
export const csvVerbatim = (text: string, separator: ',' | ';'): string => csvField(keepAsText(text), separator);
