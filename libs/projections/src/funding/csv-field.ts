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
 * names in session twenty-one's reviews in LibreOffice Calc (nb-NO and en-US; it converts these even
 * in quotes, and Excel always reads dates): a number in any usual spelling ("00123" loses its zeros,
 * "1E5" becomes 100000, "1,50", "123.450", "(123)", "1 000", "kr 100", "50 %"), a date or time ("1/2",
 * "12.05.2013", "1-2", "12/2013", "12:30", "mai 2013", "12. mai 2013", "March 2013", a date with a
 * time), a truth value (TRUE, SANN).
 */
/** A month's name in Norwegian or English, in full or short (a word that only starts like one, "Marked", is not). */
const MONTH = '(?:januar[y]?|jan|februar[y]?|feb|mars|march|mar|april|apr|mai|may|juni|june|jun|juli|july|jul|august|aug|september|sept|sep|oktober|october|okt|oct|november|nov|desember|december|des|dec)\\.?';
const SHOWN_OTHERWISE = [
  // The lookahead finds a digit once, so the class after it cannot backtrack quadratically.
  /^\(?[+-]?(?:(?:kr\.?|nok)\s*)?(?=[\d\s\u00a0\u202f.,]*\d)[\d\s\u00a0\u202f.,]+(?:[eE][+-]?\d+)?\s*(?:%|kr\.?|nok|,-)?\)?$/i,
  /^\d{1,4}[-./]\d{1,2}(?:[-./]\d{1,4})?(?:[ T]\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i,
  /^\d{1,2}[-./]\d{4}$/,
  /^\d{1,2}:\d{2}(?::\d{2})?$/,
  new RegExp(`^\\d{1,2}\\.?[\\s-]*${MONTH}(?:[\\s-]*\\d{2,4})?$`, 'i'),
  new RegExp(`^${MONTH}[\\s-]*\\d{1,4}(?:,?\\s*\\d{2,4})?$`, 'i'),
  /^(?:true|false|sann|usann)$/i,
];
/**
 * What a spreadsheet shows as written, or as the same date: a whole number of at most 11 digits (Excel
 * shows 12 or more in exponent form) and an ISO date; only the cell's type changes.
 */
const SHOWN_AS_WRITTEN = /^(?:0|[1-9]\d{0,10}|\d{4}-\d{2}-\d{2})$/;
/** Texts longer than any number or date a spreadsheet reads are left alone (and the patterns stay cheap). */
const LONGEST_VALUE = 64;
const shownOtherwise = (text: string): boolean => text.length <= LONGEST_VALUE && !SHOWN_AS_WRITTEN.test(text) && SHOWN_OTHERWISE.some((re) => re.test(text));

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
