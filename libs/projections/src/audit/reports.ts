import { PartyKind } from '../../../domain/src/parties';
import { own } from '../../../domain/src/shared';
import { csvField, csvVerbatim } from '../funding/csv-field';
import { FundingMix } from '../funding/funding-mix';
import { EMPLOYER_LABELS, KeyFigures, moneyTotalText, MONEY_ROWS, NOT_REPORTED_NB, STAFF_PAID_ROWS } from '../funding/key-figures';

/**
 * Reports for people who live in spreadsheets: key figures and funding mix as tables with
 * Norwegian labels, rendered to CSV here (semicolon-separated, decimal comma, UTF-8 with BOM, as
 * a spreadsheet set to Norwegian reads it) and to XLSX by the application layer (real numbers
 * with number formats, so a Norwegian spreadsheet shows `2 363 000,00`). Pure functions of the
 * query answers, so an "as of" answer gives an "as of" report.
 */

export type ReportFormat = 'nok' | 'int' | 'tenths' | 'percent' | 'text' | 'bold';
/** A number cell carries its value in the unit shown: NOK (not øre), staff-years, or percent as a fraction (0.613). */
/**
 * `exact`: the decimal string a number cell came from (NOK, tenths), which CSV writes as it is; a
 * float keeps ~15 digits, so a large total would lose its øre on the way (XLSX cells are numbers, as
 * a spreadsheet keeps them).
 */
export type ReportCell = string | number | null | { v: string | number | null; f: ReportFormat; exact?: string };

export interface ReportTable {
  /** Sheet name (≤ 31 characters). */
  name: string;
  rows: ReportCell[][];
  widths: number[];
  freezeRows: number;
}

export const MONEY_KIND_NB: Record<string, string> = {
  'operating-grant': 'Driftsmidler',
  earmarked: 'Øremerkede midler',
  tender: 'Anbud',
  'other-income': 'Andre inntekter',
  'in-kind': 'Tjenester og naturalytelser',
};

/** Every party kind's Norwegian label: typed by PartyKind, so a new kind without a label does not compile. */
export const PARTY_KIND_NB: Record<PartyKind, string> = {
  'county-authority': 'Fylkeskommune',
  'nav-county-office': 'NAV fylke',
  'nav-local-office': 'NAV lokal',
  municipality: 'Kommune',
  vox: 'Vox',
  'county-governor': 'Statsforvalter',
  union: 'Fagforening',
  'employers-organisation': 'Arbeidsgiverorganisasjon',
  university: 'Universitet/høgskole',
  'regional-council': 'Regionråd',
  'business-park': 'Næringshage',
  other: 'Annen',
};

/** A party's kind in Norwegian; a kind the view knows but this code does not (an event written by another tool) shows as recorded. */
const partyKindNb = (kind: string | null): string => (kind === null ? '' : (own<string>(PARTY_KIND_NB, kind) ?? kind));

const bold = (v: string): ReportCell => ({ v, f: 'bold' });
const nok = (s: string | null): ReportCell => (s === null ? null : { v: Number(s), f: 'nok', exact: s });
const tenths = (s: string | null): ReportCell => (s === null ? null : { v: Number(s), f: 'tenths', exact: s });
const percent = (s: string | null): ReportCell => (s === null ? null : { v: Math.round(Number(s) * 10) / 1000, f: 'percent' });
const count = (n: number): ReportCell => ({ v: n, f: 'int' });

/** A decimal string (`2363000.00`) as a Norwegian spreadsheet writes it, exactly (no detour through a float). */
const decimalComma = (decimal: string): string => decimal.replace('.', ',');

/**
 * The key-figures table: one column per county, the rows and labels of the evaluation's appendix.
 * `scopeLine`, when given, comes first (a workbook for one centre: "Fylket til <centre>: <county>").
 * A county's NOK total that leaves out unreported amounts must say so (README, *Unreported
 * amounts*). A CSV cell can: it reads `<sum> + ikke oppgitt`, as /key-figures?format=csv does. An
 * XLSX cell stays a number a spreadsheet can add up, so the workbook says it in a row of its own
 * after the NOK row: how many of each county's entries have no amount.
 */
export const keyFiguresTable = (kf: KeyFigures, form: 'csv' | 'xlsx', scopeLine?: string): ReportTable => {
  const rows: ReportCell[][] = [];
  // A report filtered to one centre shows its county's column, and says so first ("Fylket til …").
  if (scopeLine !== undefined) rows.push([bold(scopeLine)]);
  rows.push([bold(`Nøkkeltall ${kf.year}`), ...kf.counties.map((c) => bold(c.name))]);
  rows.push(['Antall karrieresentre', ...kf.counties.map((c) => count(c.centres))]);
  for (const k of Object.keys(EMPLOYER_LABELS) as (keyof typeof EMPLOYER_LABELS)[]) {
    rows.push([EMPLOYER_LABELS[k].label, ...kf.counties.map((c) => (c.personsByEmployer[k] ? count(c.personsByEmployer[k]) : '-'))]);
  }
  rows.push(['Ansatte i hel stilling (81–100 %) per 31.12', ...kf.counties.map((c) => (c.fullTime ? count(c.fullTime) : '-'))]);
  rows.push(['Årsverk', ...kf.counties.map((c) => tenths(c.staffYears))]);
  for (const row of MONEY_ROWS) {
    const figures = kf.counties.map((c) => c.money[row.key]);
    rows.push([row.label, ...figures.map((f) => f.indicator)]);
    rows.push([
      `${row.label}, kr`,
      ...figures.map((f): ReportCell => {
        if (f.entries === 0) return null;
        if (form === 'csv' && f.unreportedEntries > 0) return moneyTotalText(f, decimalComma);
        return f.amount === null ? NOT_REPORTED_NB : nok(f.amount);
      }),
    ]);
    if (form === 'xlsx' && figures.some((f) => f.unreportedEntries > 0)) {
      rows.push([`${row.label}: poster uten oppgitt beløp`, ...figures.map((f) => count(f.unreportedEntries))]);
    }
  }
  for (const row of STAFF_PAID_ROWS) {
    rows.push([row.label, ...kf.counties.map((c) => c.staffPaidDirectly[row.key].indicator)]);
    rows.push([`${row.label}, årsverk`, ...kf.counties.map((c) => tenths(c.staffPaidDirectly[row.key].staffYears))]);
  }
  rows.push([]);
  rows.push([
    `«Ja»: alle sentrene i fylket har denne typen midler; «Varierer»: noen har det; «-»: ingen. Beløp er fylkets sum av oppgitte beløp${
      form === 'csv' ? ' («+ ikke oppgitt»: noen poster er uten beløp).' : '; raden «poster uten oppgitt beløp» teller postene som ikke er med i summen.'
    }`,
  ]);
  return { name: `Nøkkeltall ${kf.year}`, rows, widths: [58, ...kf.counties.map(() => 16)], freezeRows: scopeLine === undefined ? 1 : 2 };
};

/**
 * The funding mix: totals by party and by kind with shares, unreported entries, in-kind beside, staff
 * paid directly. A total that leaves out unreported amounts says so in a CSV cell (`<sum> + ikke
 * oppgitt`, as the key figures do); an XLSX cell stays a number, beside its "Poster uten beløp" count.
 */
export const fundingMixTable = (mix: FundingMix, form: 'csv' | 'xlsx'): ReportTable => {
  const money = (a: { amount: string | null; entries: number; unreportedEntries: number }): ReportCell => (form === 'csv' && a.unreportedEntries > 0 ? moneyTotalText(a, decimalComma) : nok(a.amount));
  const scope = mix.scope.level === 'country' ? 'hele landet' : mix.scope.level === 'county' ? `fylke: ${mix.scope.name ?? mix.scope.id}` : `karrieresenter: ${mix.scope.name ?? mix.scope.id}`;
  const rows: ReportCell[][] = [];
  rows.push([bold(`Finansieringsmiks ${mix.year}, ${scope}`)]);
  rows.push([]);
  rows.push([bold('Finansiør'), bold('Type part'), bold('Beløp, kr'), bold('Andel'), bold('Poster'), bold('Poster uten beløp')]);
  for (const p of mix.byParty) rows.push([p.partyName ?? p.partyId, partyKindNb(p.partyKind), money(p), percent(p.sharePercent), count(p.entries), count(p.unreportedEntries)]);
  // The shares above add up to 100,0 % when there are any; over a mix with no reported amount there are none to add up.
  const anyShare = mix.byParty.some((p) => p.sharePercent !== null);
  rows.push([bold('Sum'), '', money(mix.total), anyShare ? { v: 1, f: 'percent' } : null, count(mix.total.entries), count(mix.total.unreportedEntries)]);
  rows.push([]);
  rows.push([bold('Type midler'), '', bold('Beløp, kr'), bold('Andel'), bold('Poster'), bold('Poster uten beløp')]);
  for (const k of mix.byKind) rows.push([MONEY_KIND_NB[k.kind] ?? k.kind, '', money(k), percent(k.sharePercent), count(k.entries), count(k.unreportedEntries)]);
  rows.push([]);
  rows.push([bold('Finansiør'), bold('Type midler'), bold('Beløp, kr'), '', bold('Poster'), bold('Poster uten beløp')]);
  const names = new Map(mix.byParty.map((p) => [p.partyId, p.partyName ?? p.partyId]));
  for (const l of mix.byPartyAndKind) rows.push([names.get(l.partyId) ?? l.partyId, MONEY_KIND_NB[l.kind] ?? l.kind, money(l), null, count(l.entries), count(l.unreportedEntries)]);
  if (mix.unreported.length) {
    rows.push([]);
    rows.push([bold('Poster der beløpet ikke er oppgitt (ikke med i summene)')]);
    rows.push([bold('Finansiør'), bold('Type midler'), bold('Vedtatt'), bold('Referanse'), bold('Senter'), bold('Post-id')]);
    for (const u of mix.unreported) rows.push([u.partyName ?? u.partyId, MONEY_KIND_NB[u.kind] ?? u.kind, u.decidedOn, u.reference ?? '', u.centreId, u.entryId]);
  }
  if (mix.inKind.length) {
    rows.push([]);
    rows.push([bold('Tjenester og naturalytelser (ved siden av, ikke med i summene)')]);
    rows.push([bold('Part'), '', bold('Anslått verdi, kr'), '', bold('Poster'), bold('Poster uten verdi')]);
    for (const i of mix.inKind) rows.push([i.partyName ?? i.partyId, '', money({ amount: i.estimatedValue, entries: i.entries, unreportedEntries: i.unvaluedEntries }), null, count(i.entries), count(i.unvaluedEntries)]);
  }
  rows.push([]);
  rows.push([bold('Årsverk i alt'), '', tenths(mix.staff.staffYears)]);
  if (mix.staff.paidDirectly.length) {
    // A value that leaves out positions without an annual cost says so, as a money total does: in the CSV
    // cell (`<sum> + ikke oppgitt`); the XLSX keeps the number and says it in the next column.
    const partial = mix.staff.paidDirectly.some((p) => !p.valueComplete);
    rows.push([bold('Årsverk lønnet direkte av'), bold('Type part'), bold('Årsverk'), bold('Verdi, kr'), ...(form === 'xlsx' && partial ? [bold('Merknad')] : [])]);
    for (const p of mix.staff.paidDirectly) {
      // Written as a money total with unreported entries is (one entry, its value partly unreported).
      const value: ReportCell = form === 'csv' && !p.valueComplete ? moneyTotalText({ amount: p.value, entries: 1, unreportedEntries: 1 }, decimalComma) : nok(p.value);
      const note: ReportCell[] = form === 'xlsx' && !p.valueComplete ? ['årlig kostnad ikke oppgitt for noen stillinger (ikke med i verdien)'] : [];
      rows.push([p.partyName ?? p.partyId, partyKindNb(p.partyKind), tenths(p.staffYears), value, ...note]);
    }
  }
  if (mix.parts?.length) {
    rows.push([]);
    rows.push([bold(mix.scope.level === 'country' ? 'Per fylke' : 'Per karrieresenter'), '', bold('Beløp, kr'), '', bold('Poster'), bold('Poster uten beløp')]);
    for (const p of mix.parts) rows.push([p.name, '', money(p.total), null, count(p.total.entries), count(p.total.unreportedEntries)]);
  }
  rows.push([]);
  rows.push(['Andeler er regnet eksakt og avrundet én gang til én desimal slik at de summerer til 100,0 % (største rest).']);
  return { name: `Finansieringsmiks ${mix.year}`, rows, widths: [44, 26, 18, 10, 10, 18], freezeRows: 0 };
};

/** Norwegian CSV number: decimal comma, no thousands separator (so a spreadsheet reads it as a number). */
export const nbNumber = (v: number, f: ReportFormat): string => {
  if (f === 'percent') return (v * 100).toFixed(1).replace('.', ',');
  if (f === 'nok') return v.toFixed(2).replace('.', ',');
  if (f === 'tenths') return v.toFixed(1).replace('.', ',');
  return String(v);
};

const csvCell = (c: ReportCell): string => {
  if (c === null || c === undefined) return '';
  const { v, f } = typeof c === 'object' ? c : { v: c, f: (typeof c === 'number' ? 'int' : 'text') as ReportFormat };
  if (v === null) return '';
  if (typeof c === 'object' && c.exact !== undefined && typeof v === 'number') return csvField(decimalComma(c.exact), ';');
  // A number is a number cell (a negative one must stay negative); text cells never hold numbers here, so all are kept as text (an id "00042" or a reference "1/2" as written).
  return typeof v === 'number' ? csvField(nbNumber(v, f), ';') : csvVerbatim(v, ';');
};

/** CSV for a Norwegian spreadsheet: `;` between fields, decimal comma, CRLF, UTF-8 with BOM. */
export const tableCsv = (t: ReportTable): string => `\uFEFF${t.rows.map((r) => r.map(csvCell).join(';')).join('\r\n')}\r\n`;
