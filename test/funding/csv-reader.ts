/**
 * A small RFC 4180 reader for reading the ledger's CSV back: any separator, quotes and doubled
 * quotes, CRLF row ends, the BOM dropped. A bare LF is cell text (a CSV written with LF row ends
 * reads as one row) unless `bareLfEndsRow` is set.
 */
export const readCsv = (text: string, sep = ',', opts: { bareLfEndsRow?: boolean } = {}): string[][] => {
  const s = text.replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endRow = () => {
    row.push(cell);
    rows.push(row);
    row = [];
    cell = '';
  };
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && s[i + 1] === '\n') {
      endRow();
      i++;
    } else if (ch === '\n' && opts.bareLfEndsRow) endRow();
    else cell += ch;
  }
  if (cell !== '' || row.length) endRow();
  return rows;
};

/** A CSV (as readCsv reads it) as row label (the first cell) → the cells after it. */
export const csvRows = (text: string, sep: string): Map<string, string[]> => new Map(readCsv(text, sep).map((r) => [r[0], r.slice(1)]));
