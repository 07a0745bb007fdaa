import { centreOpenInYear } from '../../../domain/src/counties/centre';
import { MoneyKind } from '../../../domain/src/funding/money-entry';
import { EMPLOYER_KINDS, EmployerKind } from '../../../domain/src/funding/staff-position';
import { formatOre } from '../../../domain/src/shared/money';
import { csvField, csvText, csvVerbatim } from './csv-field';
import { daysInYear, formatStaffYears } from './exact';
import { get } from '../governance/evidence';
import { FundingView, moneyOf } from './funding-view';
import { memoPiece } from './memo';
import { addYearAgg, emptyYearAgg, personsOnDecember31, staffOfYear, StaffYearAgg } from './staff-years';

/** `Ja` when every centre of the county has it, `Varierer` when some do, `-` when none does. */
export type Indicator = 'Ja' | 'Varierer' | '-';
export const indicatorOf = (withIt: number, centres: number): Indicator => (withIt === 0 || centres === 0 ? '-' : withIt === centres ? 'Ja' : 'Varierer');

export interface MoneyFigure {
  indicator: Indicator;
  centresWith: number;
  /** The county's total in NOK (decimal string); null when no amount was reported at all. */
  amount: string | null;
  amountOre: number;
  entries: number;
  unreportedEntries: number;
}

export interface StaffPaidFigure {
  indicator: Indicator;
  centresWith: number;
  staffYears: string | null;
  fteDays: number;
}

export interface CountyKeyFigures {
  countyId: string;
  name: string;
  countyNumber: string;
  centres: number;
  centreIds: string[];
  personsByEmployer: Record<EmployerKind, number>;
  fullTime: number;
  staffYears: string;
  staffYearsExact: { fteDays: number; denominator: number };
  money: Record<string, MoneyFigure>;
  staffPaidDirectly: Record<string, StaffPaidFigure>;
}

/** One money row: a kind from parties of one kind (null = any party). */
interface MoneyRowSpec {
  key: string;
  kind: MoneyKind;
  partyKind: string | null;
  label: string;
  labelEn: string;
}

export const MONEY_ROWS: MoneyRowSpec[] = [
  { key: 'operatingGrant.countyAuthority', kind: 'operating-grant', partyKind: 'county-authority', label: 'Driftsmidler fra fylkeskommunen', labelEn: 'Operating grant, county authority' },
  { key: 'operatingGrant.navCountyOffice', kind: 'operating-grant', partyKind: 'nav-county-office', label: 'Driftsmidler fra NAV fylke', labelEn: 'Operating grant, NAV county office' },
  { key: 'operatingGrant.navLocalOffice', kind: 'operating-grant', partyKind: 'nav-local-office', label: 'Driftsmidler fra NAV lokal', labelEn: 'Operating grant, NAV local office' },
  { key: 'operatingGrant.municipalities', kind: 'operating-grant', partyKind: 'municipality', label: 'Driftsmidler fra kommuner', labelEn: 'Operating grant, municipalities' },
  { key: 'earmarked.countyAuthority', kind: 'earmarked', partyKind: 'county-authority', label: 'Øremerkede midler fra fylkeskommunen', labelEn: 'Earmarked funds, county authority' },
  { key: 'earmarked.navCountyOffice', kind: 'earmarked', partyKind: 'nav-county-office', label: 'Øremerkede midler fra NAV fylke', labelEn: 'Earmarked funds, NAV county office' },
  { key: 'tender.navCountyOffice', kind: 'tender', partyKind: 'nav-county-office', label: 'Anbud vunnet fra NAV fylke', labelEn: 'Tenders won from NAV county office' },
  { key: 'otherIncome', kind: 'other-income', partyKind: null, label: 'Andre inntekter', labelEn: 'Other income' },
];

export const STAFF_PAID_ROWS: { key: string; partyKind: string; label: string; labelEn: string }[] = [
  { key: 'staffPaidDirectly.countyAuthority', partyKind: 'county-authority', label: 'Årsverk lønnet direkte av fylkeskommunen', labelEn: 'Staff-years paid directly by county authority' },
  { key: 'staffPaidDirectly.navLocalOffice', partyKind: 'nav-local-office', label: 'Årsverk lønnet direkte av NAV lokal', labelEn: 'Staff-years paid directly by NAV local office' },
  { key: 'staffPaidDirectly.navCountyOffice', partyKind: 'nav-county-office', label: 'Årsverk lønnet direkte av NAV fylke', labelEn: 'Staff-years paid directly by NAV county office' },
  { key: 'staffPaidDirectly.municipalities', partyKind: 'municipality', label: 'Årsverk lønnet direkte av kommuner', labelEn: 'Staff-years paid directly by municipalities' },
];

export const EMPLOYER_LABELS: Record<EmployerKind, { label: string; labelEn: string }> = {
  centre: { label: 'Ansatte per 31.12 i karrieresenteret', labelEn: 'Persons on 31 Dec employed by the centre' },
  'county-authority': { label: 'Ansatte per 31.12 i fylkeskommunen', labelEn: 'Persons on 31 Dec employed by the county authority' },
  'nav-county-office': { label: 'Ansatte per 31.12 i NAV fylke', labelEn: 'Persons on 31 Dec employed by the NAV county office' },
  'nav-local-office': { label: 'Ansatte per 31.12 i NAV lokal', labelEn: 'Persons on 31 Dec employed by a NAV local office' },
  municipality: { label: 'Ansatte per 31.12 i kommune', labelEn: 'Persons on 31 Dec employed by a municipality' },
  other: { label: 'Ansatte per 31.12 hos andre', labelEn: 'Persons on 31 Dec employed by others' },
};

interface CentreFigures {
  money: Record<string, { ore: number; n: number; u: number }>;
  staff: StaffYearAgg;
  /** FTE-days paid directly per staff-paid row (only rows with some). */
  paid: Record<string, number>;
}

/** One centre's part of its county's key figures for a year (cached per centre revision). */
const centreFigures = (view: FundingView, centreId: string, year: number): CentreFigures => {
  const m = moneyOf(view, year, centreId);
  const parties = view.parties;
  const money: CentreFigures['money'] = {};
  if (m) {
    for (const row of MONEY_ROWS) {
      const byParty = m.k[row.kind];
      if (!byParty) continue;
      const t = { ore: 0, n: 0, u: 0 };
      for (const partyId in byParty) {
        if (row.partyKind !== null && parties[partyId]?.kind !== row.partyKind) continue;
        const c = byParty[partyId];
        t.ore += c.ore;
        t.n += c.n;
        t.u += c.u;
      }
      if (t.n > 0) money[row.key] = t;
    }
  }
  const staff = staffOfYear(get(view.staff, centreId), year);
  const paid: Record<string, number> = {};
  for (const row of STAFF_PAID_ROWS) {
    let fteDays = 0;
    for (const partyId in staff.paid) if (parties[partyId]?.kind === row.partyKind) fteDays += staff.paid[partyId].fteDays;
    if (fteDays > 0) paid[row.key] = fteDays;
  }
  return { money, staff, paid };
};

const countyFigures = (view: FundingView, countyId: string, year: number): CountyKeyFigures | null => {
  // countyId may be a client's (?counties=): own entries only.
  const county = get(view.counties, countyId);
  if (!county) return null;
  const centreIds: string[] = [];
  for (const id of county.centreIds) {
    const c = view.centres[id];
    if (c && centreOpenInYear(c, year)) centreIds.push(id);
  }
  const staff = emptyYearAgg();
  const money: Record<string, MoneyFigure> = {};
  for (const row of MONEY_ROWS) money[row.key] = { indicator: '-', centresWith: 0, amount: null, amountOre: 0, entries: 0, unreportedEntries: 0 };
  const staffPaid: Record<string, StaffPaidFigure> = {};
  for (const row of STAFF_PAID_ROWS) staffPaid[row.key] = { indicator: '-', centresWith: 0, staffYears: null, fteDays: 0 };

  for (const centreId of centreIds) {
    const piece = memoPiece(view, `kf:${centreId}:${year}`, get(view.centreRev, centreId) ?? 0, () => centreFigures(view, centreId, year));
    for (const key in piece.money) {
      const p = piece.money[key];
      const f = money[key];
      f.amountOre += p.ore;
      f.entries += p.n;
      f.unreportedEntries += p.u;
      if (p.n > 0) f.centresWith += 1;
    }
    addYearAgg(staff, piece.staff);
    for (const key in piece.paid) {
      staffPaid[key].centresWith += 1;
      staffPaid[key].fteDays += piece.paid[key];
    }
  }
  for (const key in money) {
    const f = money[key];
    f.indicator = indicatorOf(f.centresWith, centreIds.length);
    f.amount = f.entries === 0 || f.unreportedEntries === f.entries ? null : formatOre(f.amountOre);
  }
  for (const key in staffPaid) {
    const f = staffPaid[key];
    f.indicator = indicatorOf(f.centresWith, centreIds.length);
    f.staffYears = f.centresWith === 0 ? null : formatStaffYears(f.fteDays, year);
  }
  // Persons are the county's: one person in posts at two of its centres is one person here (staff-years.ts).
  const onDec31 = personsOnDecember31(staff);
  const personsByEmployer = {} as Record<EmployerKind, number>;
  for (const k of EMPLOYER_KINDS) personsByEmployer[k] = onDec31.persons[k] ?? 0;
  return {
    countyId,
    name: county.name,
    countyNumber: county.countyNumber,
    centres: centreIds.length,
    centreIds,
    personsByEmployer,
    fullTime: onDec31.fullTime,
    staffYears: formatStaffYears(staff.fteDays, year),
    staffYearsExact: { fteDays: staff.fteDays, denominator: daysInYear(year) * 1000 },
    money,
    staffPaidDirectly: staffPaid,
  };
};

export interface KeyFigures {
  year: number;
  counties: CountyKeyFigures[];
  /** Every row of the table, in order, with its Norwegian and English label. */
  rows: { key: string; label: string; labelEn: string }[];
  indicatorRule: string;
}

export const INDICATOR_RULE = '"Ja" when every centre of the county has that kind of money (an entry with the amount not reported counts), "Varierer" when some but not all do, "-" when none does; the NOK figure is the county\'s total of reported amounts (null when no amount was reported).';

export const KEY_FIGURE_ROWS: KeyFigures['rows'] = [
  { key: 'centres', label: 'Antall karrieresentre', labelEn: 'Centres' },
  ...EMPLOYER_KINDS.map((k) => ({ key: `persons.${k}`, ...EMPLOYER_LABELS[k] })),
  { key: 'fullTime', label: 'Ansatte i hel stilling (81–100 %) per 31.12', labelEn: 'Persons working full time (81–100 %) on 31 Dec' },
  { key: 'staffYears', label: 'Årsverk', labelEn: 'Staff-years' },
  ...MONEY_ROWS.map((r) => ({ key: r.key, label: r.label, labelEn: r.labelEn })),
  ...STAFF_PAID_ROWS.map((r) => ({ key: r.key, label: r.label, labelEn: r.labelEn })),
];

/**
 * Key figures for a year, one column per county that has at least one centre in that year (or
 * the given counties), in county-number order. Pure: the auditor gets "as of" by passing an older view.
 */
export const keyFigures = (view: FundingView, year: number, countyIds?: string[]): KeyFigures => {
  const ids = countyIds ?? Object.keys(view.counties);
  const counties = ids
    .map((id) => countyFigures(view, id, year))
    .filter((c): c is CountyKeyFigures => c !== null && (countyIds !== undefined || c.centres > 0))
    .sort((a, b) => (a.countyNumber < b.countyNumber ? -1 : a.countyNumber > b.countyNumber ? 1 : 0));
  return { year, counties, rows: KEY_FIGURE_ROWS, indicatorRule: INDICATOR_RULE };
};

// Numbers are written as they are; only text can carry a formula.
const csvCell = (v: string | number): string => (typeof v === 'number' ? csvField(String(v), ',') : csvText(v, ','));

export const NOT_REPORTED_NB = 'ikke oppgitt';

/**
 * A county's NOK total of one money row as spreadsheet text: '' when it has no such entries,
 * "ikke oppgitt" when none of them has an amount, "<sum> + ikke oppgitt" when only some do, so a
 * reader never takes a partial sum for the whole. `amount` writes the sum (decimal point or comma).
 */
export const moneyTotalText = (f: Pick<MoneyFigure, 'amount' | 'entries' | 'unreportedEntries'>, amount: (decimal: string) => string = (d) => d): string => {
  if (f.entries === 0) return '';
  if (f.amount === null) return NOT_REPORTED_NB;
  return f.unreportedEntries > 0 ? `${amount(f.amount)} + ${NOT_REPORTED_NB}` : amount(f.amount);
};

/**
 * The table as CSV for a spreadsheet: UTF-8 with BOM, comma-separated, one column per county, the
 * Norwegian row labels, numbers with a decimal point. A money row is two lines: the indicator
 * (`Ja`/`Varierer`/`-`) and the NOK total ("…, kr"; empty when none, "ikke oppgitt" when the money
 * came but no amount was reported, "<sum> + ikke oppgitt" when only part of it was). Persons rows
 * show "-" for none, as the published table does. Text a spreadsheet would run as a formula (a
 * county registered as `=HYPERLINK(…)`) is defused, as in the reports (csv-field.ts).
 */
export const keyFiguresCsv = (kf: KeyFigures): string => {
  const lines: (string | number)[][] = [];
  lines.push([`Nøkkeltall ${kf.year}`, ...kf.counties.map((c) => c.name)]);
  lines.push(['Antall karrieresentre', ...kf.counties.map((c) => c.centres)]);
  for (const k of EMPLOYER_KINDS) lines.push([EMPLOYER_LABELS[k].label, ...kf.counties.map((c) => (c.personsByEmployer[k] === 0 ? '-' : c.personsByEmployer[k]))]);
  lines.push(['Ansatte i hel stilling (81–100 %) per 31.12', ...kf.counties.map((c) => (c.fullTime === 0 ? '-' : c.fullTime))]);
  lines.push(['Årsverk', ...kf.counties.map((c) => c.staffYears)]);
  for (const row of MONEY_ROWS) {
    lines.push([row.label, ...kf.counties.map((c) => c.money[row.key].indicator)]);
    lines.push([`${row.label}, kr`, ...kf.counties.map((c) => moneyTotalText(c.money[row.key]))]);
  }
  for (const row of STAFF_PAID_ROWS) {
    lines.push([row.label, ...kf.counties.map((c) => c.staffPaidDirectly[row.key].indicator)]);
    lines.push([`${row.label}, årsverk`, ...kf.counties.map((c) => c.staffPaidDirectly[row.key].staffYears ?? '')]);
  }
  // The county names (the first line) are kept as written; the other text cells are the ledger's own, the NOK totals among them meant to be read as numbers.
  const [names, ...rest] = lines;
  const header = [csvText(String(names[0]), ','), ...names.slice(1).map((n) => csvVerbatim(String(n), ','))].join(',');
  return `\uFEFF${[header, ...rest.map((l) => l.map(csvCell).join(','))].join('\r\n')}\r\n`;
};
