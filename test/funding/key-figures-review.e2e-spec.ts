import { unzip } from '../../libs/application/src/audit/xlsx';
import { startTestApp, TestApp } from '../helpers/test-app';
import { csvRows } from './csv-reader';

/**
 * Adversarial review of the key-figures table and the staff computations, through HTTP only.
 *
 * What test/funding/key-figures-2013.e2e-spec.ts (the four published columns) and
 * test/funding/money-review.e2e-spec.ts (seeded random ledgers against a BigInt oracle) already
 * check is not repeated; this file probes the boundaries by hand: FTE exactly 0.81 / 0.809 / 0.80 /
 * 1.0 on 31 December, positions starting or ending on 1 January, 31 December and 29 February, changes
 * that take effect on 31 December or 1 January, changes recorded out of date order or on the same
 * date, a position ended and a new one started for the same person, employed by one party and paid by
 * another, centres opened on 31 December or closed from 1 or 2 January, a county with no centre,
 * reversals and corrections that move money between rows and years or take the `Ja` away, rounding
 * once per county and once for the country, the report forms, and "what did the ledger say at T"
 * after later corrections, on the live path and across the funding view's history snapshot (every
 * 5,000 positions).
 *
 * Expected values come from a tiny oracle in this file: staff integrated day by day, rounded once
 * (halves away from zero), persons and full time (FTE ≥ 0.81) read on 31 December, the
 * Ja/Varierer/- indicator from the live entries this file recorded. Tests marked `// FAILS:` failed
 * when this review was written.
 */

// ------------------------------------------------------------------------------------------ dates

const DAY_MS = 86_400_000;
const dnum = (d: string): number => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)) / DAY_MS;
const iso = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);
const daysIn = (y: number): number => dnum(`${y + 1}-01-01`) - dnum(`${y}-01-01`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** fteDays / (days × 1000) to tenths, halves away from zero (all values here are ≥ 0). */
const tenths = (fteDays: number, year: number): string => {
  const den = BigInt(daysIn(year)) * 1000n;
  const t = (2n * BigInt(fteDays) * 10n + den) / (2n * den);
  return `${t / 10n}.${t % 10n}`;
};
const milli = (fte: string): number => Math.round(Number(fte) * 1000);
/** øre → "123.45". */
const nok = (ore: bigint): string => `${ore / 100n}.${(ore % 100n).toString().padStart(2, '0')}`;
/** "1000.00" → 100000n (every amount in this file has two decimals). */
const ore = (amount: string): bigint => BigInt(amount.replace('.', ''));

// ----------------------------------------------------------------------------------------- oracle

const EMPLOYERS = ['centre', 'county-authority', 'nav-county-office', 'nav-local-office', 'municipality', 'other'] as const;
type Kind = 'operating-grant' | 'earmarked' | 'tender' | 'other-income' | 'in-kind';
const ROUTE: Record<Kind, string> = { 'operating-grant': 'operating-grants', earmarked: 'earmarked-funds', tender: 'tender-awards', 'other-income': 'other-income', 'in-kind': 'in-kind-contributions' };
const MONEY_ROWS: { key: string; kind: Kind; partyKind: string | null; label: string }[] = [
  { key: 'operatingGrant.countyAuthority', kind: 'operating-grant', partyKind: 'county-authority', label: 'Driftsmidler fra fylkeskommunen' },
  { key: 'operatingGrant.navCountyOffice', kind: 'operating-grant', partyKind: 'nav-county-office', label: 'Driftsmidler fra NAV fylke' },
  { key: 'operatingGrant.navLocalOffice', kind: 'operating-grant', partyKind: 'nav-local-office', label: 'Driftsmidler fra NAV lokal' },
  { key: 'operatingGrant.municipalities', kind: 'operating-grant', partyKind: 'municipality', label: 'Driftsmidler fra kommuner' },
  { key: 'earmarked.countyAuthority', kind: 'earmarked', partyKind: 'county-authority', label: 'Øremerkede midler fra fylkeskommunen' },
  { key: 'earmarked.navCountyOffice', kind: 'earmarked', partyKind: 'nav-county-office', label: 'Øremerkede midler fra NAV fylke' },
  { key: 'tender.navCountyOffice', kind: 'tender', partyKind: 'nav-county-office', label: 'Anbud vunnet fra NAV fylke' },
  { key: 'otherIncome', kind: 'other-income', partyKind: null, label: 'Andre inntekter' },
];
const PAID_ROWS = [
  { key: 'staffPaidDirectly.countyAuthority', partyKind: 'county-authority' },
  { key: 'staffPaidDirectly.navLocalOffice', partyKind: 'nav-local-office' },
  { key: 'staffPaidDirectly.navCountyOffice', partyKind: 'nav-county-office' },
  { key: 'staffPaidDirectly.municipalities', partyKind: 'municipality' },
];
const PARTY_SUFFIX: [string, string][] = [['fk', 'county-authority'], ['nav', 'nav-county-office'], ['navlok', 'nav-local-office'], ['kom', 'municipality'], ['uni', 'university']];

interface OTerm { from: string; milli: number; payer: string | null }
interface OPos { id: string; centre: string; employerKind: string; startedOn: string; endedOn: string | null; terms: OTerm[] }
interface OEntry { id: string; centre: string; year: number; kind: Kind; party: string; amount: bigint | null; live: boolean; chain: string }
interface OCentre { county: string; openedOn: string; closedOn: string | null }

class Oracle {
  centres = new Map<string, OCentre>();
  positions = new Map<string, OPos>();
  entries = new Map<string, OEntry>();
  chainCount = new Map<string, number>();
  partyKind = new Map<string, string>();

  clone(): Oracle {
    const o = new Oracle();
    o.centres = structuredClone(this.centres);
    o.positions = structuredClone(this.positions);
    o.entries = structuredClone(this.entries);
    o.chainCount = structuredClone(this.chainCount);
    o.partyKind = structuredClone(this.partyKind);
    return o;
  }

  openInYear(c: OCentre, y: number): boolean {
    return c.openedOn <= `${y}-12-31` && (c.closedOn === null || c.closedOn > `${y}-01-01`);
  }
  centresOf(county: string, y: number): string[] {
    return [...this.centres].filter(([, c]) => c.county === county && this.openInYear(c, y)).map(([id]) => id);
  }
  termOn(p: OPos, day: string): OTerm | null {
    if (day < p.startedOn || (p.endedOn !== null && day > p.endedOn)) return null;
    let t: OTerm | null = null;
    for (const x of [...p.terms].sort((a, b) => (a.from < b.from ? -1 : 1))) if (x.from <= day) t = x;
    return t;
  }
  /** Day by day over the year. */
  staff(centreIds: string[], y: number) {
    let fteDays = 0;
    const persons: Record<string, number> = Object.fromEntries(EMPLOYERS.map((k) => [k, 0]));
    let fullTime = 0;
    const paidByParty = new Map<string, number>();
    for (const p of this.positions.values()) {
      if (!centreIds.includes(p.centre)) continue;
      for (let d = dnum(`${y}-01-01`); d <= dnum(`${y}-12-31`); d++) {
        const t = this.termOn(p, iso(d));
        if (!t) continue;
        fteDays += t.milli;
        if (t.payer !== null) paidByParty.set(t.payer, (paidByParty.get(t.payer) ?? 0) + t.milli);
      }
      const dec31 = this.termOn(p, `${y}-12-31`);
      if (dec31) {
        persons[p.employerKind] += 1;
        if (dec31.milli >= 810) fullTime += 1;
      }
    }
    return { fteDays, persons, fullTime, paidByParty };
  }
  /** One key-figures column as the README and DOMAIN.md describe it. */
  column(county: string, y: number) {
    const centreIds = this.centresOf(county, y);
    const s = this.staff(centreIds, y);
    const money: Record<string, { indicator: string; centresWith: number; amount: string | null; entries: number; unreportedEntries: number }> = {};
    for (const row of MONEY_ROWS) {
      let withIt = 0;
      let sum = 0n;
      let n = 0;
      let u = 0;
      for (const c of centreIds) {
        const list = [...this.entries.values()].filter((e) => e.live && e.centre === c && e.year === y && e.kind === row.kind && (row.partyKind === null || this.partyKind.get(e.party) === row.partyKind));
        if (list.length) withIt++;
        n += list.length;
        u += list.filter((e) => e.amount === null).length;
        sum += list.reduce((a, e) => a + (e.amount ?? 0n), 0n);
      }
      money[row.key] = { indicator: indicator(withIt, centreIds.length), centresWith: withIt, amount: n === 0 || u === n ? null : nok(sum), entries: n, unreportedEntries: u };
    }
    const paid: Record<string, { indicator: string; centresWith: number; staffYears: string | null; fteDays: number }> = {};
    for (const row of PAID_ROWS) {
      let withIt = 0;
      let f = 0;
      for (const c of centreIds) {
        let mine = 0;
        for (const [party, days] of this.staff([c], y).paidByParty) if (this.partyKind.get(party) === row.partyKind) mine += days;
        if (mine > 0) withIt++;
        f += mine;
      }
      paid[row.key] = { indicator: indicator(withIt, centreIds.length), centresWith: withIt, staffYears: withIt === 0 ? null : tenths(f, y), fteDays: f };
    }
    return { centres: centreIds.length, personsByEmployer: s.persons, fullTime: s.fullTime, staffYears: tenths(s.fteDays, y), staffYearsExact: { fteDays: s.fteDays, denominator: daysIn(y) * 1000 }, money, staffPaidDirectly: paid };
  }
}
const indicator = (withIt: number, centres: number): string => (withIt === 0 ? '-' : withIt === centres ? 'Ja' : 'Varierer');

/** The product's column reduced to the fields the oracle gives. */
const shape = (c: any) => ({
  centres: c.centres,
  personsByEmployer: c.personsByEmployer,
  fullTime: c.fullTime,
  staffYears: c.staffYears,
  staffYearsExact: c.staffYearsExact,
  money: Object.fromEntries(MONEY_ROWS.map((r) => [r.key, { indicator: c.money[r.key].indicator, centresWith: c.money[r.key].centresWith, amount: c.money[r.key].amount, entries: c.money[r.key].entries, unreportedEntries: c.money[r.key].unreportedEntries }])),
  staffPaidDirectly: Object.fromEntries(PAID_ROWS.map((r) => [r.key, { indicator: c.staffPaidDirectly[r.key].indicator, centresWith: c.staffPaidDirectly[r.key].centresWith, staffYears: c.staffPaidDirectly[r.key].staffYears, fteDays: c.staffPaidDirectly[r.key].fteDays }])),
});

// ---------------------------------------------------------------------------------------- client

/** Sends commands as admin and keeps the oracle in step with what the ledger accepted. */
class Ledger {
  o = new Oracle();
  lastRecordedAt = '';
  constructor(public t: TestApp, public admin: { Authorization: string }) {}

  async post(path: string, body: object): Promise<any> {
    const res = await this.t.http().post(path).set(this.admin).send(body);
    if (typeof res.body?.recordedAt === 'string') this.lastRecordedAt = res.body.recordedAt;
    return res;
  }
  async ok(path: string, body: object): Promise<any> {
    const res = await this.post(path, body);
    if (res.status < 200 || res.status >= 300) throw new Error(`${path} ${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  }
  async parties(county: string): Promise<void> {
    for (const [suffix, kind] of PARTY_SUFFIX) {
      await this.ok('/parties', { partyId: `${county}-${suffix}`, name: `${suffix} ${county}`, kind, countyId: county });
      this.o.partyKind.set(`${county}-${suffix}`, kind);
    }
  }
  async centre(id: string, county: string, openedOn = '2005-01-01'): Promise<void> {
    await this.ok('/centres', { centreId: id, countyId: county, name: `Karrieresenter ${id}`, municipality: 'X', openedOn });
    this.o.centres.set(id, { county, openedOn, closedOn: null });
  }
  async close(id: string, closedOn: string): Promise<void> {
    await this.ok(`/centres/${id}/close`, { closedOn, reason: 'Lagt ned' });
    this.o.centres.get(id)!.closedOn = closedOn;
  }
  async start(centre: string, id: string, p: { employerKind?: string; employerPartyId?: string | null; fte: string; startedOn: string; payer?: string | null; annualCost?: string }): Promise<any> {
    const employerKind = p.employerKind ?? 'county-authority';
    const res = await this.post(`/centres/${centre}/staff-positions`, {
      positionId: id,
      title: 'Karriereveileder',
      employerKind,
      employerPartyId: p.employerPartyId ?? null,
      fte: p.fte,
      payer: p.payer ? { kind: 'party', partyId: p.payer } : { kind: 'centre' },
      ...(p.annualCost ? { annualCost: p.annualCost } : {}),
      startedOn: p.startedOn,
    });
    if (res.status === 201) this.o.positions.set(id, { id, centre, employerKind, startedOn: p.startedOn, endedOn: null, terms: [{ from: p.startedOn, milli: milli(p.fte), payer: p.payer ?? null }] });
    return res;
  }
  async mustStart(centre: string, id: string, p: Parameters<Ledger['start']>[2]): Promise<void> {
    const res = await this.start(centre, id, p);
    if (res.status !== 201) throw new Error(`start ${id} → ${res.status} ${JSON.stringify(res.body)}`);
  }
  async change(centre: string, id: string, effectiveFrom: string, c: { fte?: string; payer?: string | null }): Promise<any> {
    const body: any = { effectiveFrom };
    if (c.fte !== undefined) body.fte = c.fte;
    if (c.payer !== undefined) body.payer = c.payer === null ? { kind: 'centre' } : { kind: 'party', partyId: c.payer };
    const res = await this.post(`/centres/${centre}/staff-positions/${id}/changes`, body);
    if (res.status === 201 || res.status === 200) {
      const p = this.o.positions.get(id)!;
      const current = this.o.termOn({ ...p, endedOn: null }, effectiveFrom)!;
      const term = { from: effectiveFrom, milli: c.fte === undefined ? current.milli : milli(c.fte), payer: c.payer === undefined ? current.payer : c.payer };
      p.terms = [...p.terms.filter((x) => x.from !== effectiveFrom), term];
    }
    return res;
  }
  async end(centre: string, id: string, endedOn: string): Promise<any> {
    const res = await this.post(`/centres/${centre}/staff-positions/${id}/end`, { endedOn });
    if (res.status === 200 || res.status === 201) this.o.positions.get(id)!.endedOn = endedOn;
    return res;
  }
  async money(centre: string, kind: Kind, id: string, year: number, party: string, amount: string | null): Promise<any> {
    const extra: Record<Kind, object> = {
      'operating-grant': {},
      earmarked: { purpose: 'Prosjekt', period: { from: `${year}-01-01`, to: `${year}-12-31` } },
      tender: { contractReference: 'NAV-1', period: { from: `${year}-01-01`, to: null } },
      'other-income': { incomeKind: 'course-fees' },
      'in-kind': { inKindKind: 'premises' },
    };
    const body = kind === 'in-kind'
      ? { entryId: id, fiscalYear: year, partyId: party, decidedOn: `${year}-01-15`, estimatedValue: amount, ...extra[kind] }
      : { entryId: id, fiscalYear: year, partyId: party, amount, decidedOn: `${year}-01-15`, reference: 'sak 1', ...extra[kind] };
    const res = await this.post(`/centres/${centre}/funding/${ROUTE[kind]}`, body);
    if (res.status === 201) {
      this.o.entries.set(id, { id, centre, year, kind, party, amount: amount === null ? null : ore(amount), live: true, chain: id });
      this.o.chainCount.set(id, 1);
    }
    return res;
  }
  async mustMoney(...args: Parameters<Ledger['money']>): Promise<void> {
    const res = await this.money(...args);
    if (res.status !== 201) throw new Error(`money ${args[2]} → ${res.status} ${JSON.stringify(res.body)}`);
  }
  async reverse(centre: string, id: string): Promise<void> {
    await this.ok(`/centres/${centre}/funding/entries/${id}/reversal`, { reason: 'Feilført' });
    this.o.entries.get(id)!.live = false;
  }
  /** Returns the new entry's id (`<root>.c<n>`). */
  async correct(centre: string, id: string, changes: { amount?: string | null; partyId?: string; fiscalYear?: number }): Promise<string> {
    await this.ok(`/centres/${centre}/funding/entries/${id}/correction`, { reason: 'Rettet', ...changes });
    const old = this.o.entries.get(id)!;
    old.live = false;
    const n = this.o.chainCount.get(old.chain)!;
    this.o.chainCount.set(old.chain, n + 1);
    const newId = `${old.chain}.c${n}`;
    this.o.entries.set(newId, {
      ...old,
      id: newId,
      live: true,
      amount: changes.amount === undefined ? old.amount : changes.amount === null ? null : ore(changes.amount),
      party: changes.partyId ?? old.party,
      year: changes.fiscalYear ?? old.year,
    });
    return newId;
  }

  async kf(county: string, year: number, asOf?: string): Promise<any> {
    const res = await this.t.http().get(`/key-figures/${year}`).query({ counties: county, ...(asOf ? { asOf } : {}) }).set(this.admin);
    expect(res.status).toBe(200);
    expect(res.body.counties).toHaveLength(1);
    return res.body.counties[0];
  }
  async all(year: number, asOf?: string): Promise<any[]> {
    const res = await this.t.http().get(`/key-figures/${year}`).query(asOf ? { asOf } : {}).set(this.admin);
    expect(res.status).toBe(200);
    return res.body.counties;
  }
  async text(path: string): Promise<string> {
    const res = await this.t.http().get(path).set(this.admin).buffer(true).parse((r, cb) => {
      let data = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (data += c));
      r.on('end', () => cb(null, data));
    });
    expect(res.status).toBe(200);
    return res.body as string;
  }
  async binary(path: string): Promise<Buffer> {
    const res = await this.t.http().get(path).set(this.admin).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    return res.body as Buffer;
  }
}

// ================================================================================================

describe('key figures and staff computations: an adversarial review by hand (e2e)', () => {
  let t: TestApp;
  let L: Ledger;

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    L = new Ledger(t, await t.auth('admin'));
  });
  afterAll(() => t.close());

  it('full time on 31.12 is FTE ≥ 0.81: 1, 0.81 and 0.810 count, 0.809 and 0.80 do not; persons by formal employer; the same through an open-ended position\'s later years', async () => {
    await L.parties('ostfold');
    await L.centre('of-1', 'ostfold');
    await L.mustStart('of-1', 'of-a', { fte: '1', startedOn: '2013-01-01', employerPartyId: 'ostfold-fk' });
    await L.mustStart('of-1', 'of-b', { fte: '0.81', startedOn: '2013-01-01', employerPartyId: 'ostfold-fk' });
    await L.mustStart('of-1', 'of-c', { fte: '0.809', startedOn: '2013-01-01', employerPartyId: 'ostfold-fk' });
    await L.mustStart('of-1', 'of-d', { fte: '0.8', startedOn: '2013-01-01', employerKind: 'nav-county-office', employerPartyId: 'ostfold-nav' });
    await L.mustStart('of-1', 'of-e', { fte: '0.810', startedOn: '2012-06-01', employerKind: 'centre' });
    await L.mustStart('of-1', 'of-f', { fte: '1.000', startedOn: '2011-01-01', employerKind: 'other' });
    for (const y of [2013, 2014, 2030]) {
      const c = await L.kf('ostfold', y);
      expect({ y, ...shape(c) }).toEqual({ y, ...L.o.column('ostfold', y) });
      expect({ y, fullTime: c.fullTime, persons: c.personsByEmployer }).toEqual({
        y,
        fullTime: 4,
        persons: { centre: 1, 'county-authority': 3, 'nav-county-office': 1, 'nav-local-office': 0, municipality: 0, other: 1 },
      });
      // (1000 + 810 + 809 + 800 + 810 + 1000) / 1000 = 5.229 staff-years in every full year.
      expect({ y, staffYears: c.staffYears }).toEqual({ y, staffYears: '5.2' });
    }
  });

  it('31 December and 1 January are inclusive days: ended on 31.12 counts on 31.12, ended 30.12 does not, started 31.12 counts one day, started 1.1 belongs to the next year', async () => {
    await L.parties('akershus');
    await L.centre('ak-1', 'akershus');
    await L.mustStart('ak-1', 'ak-a', { fte: '1', startedOn: '2013-01-01', employerPartyId: 'akershus-fk' });
    expect((await L.end('ak-1', 'ak-a', '2013-12-31')).status).toBe(200);
    await L.mustStart('ak-1', 'ak-b', { fte: '1', startedOn: '2013-01-01', employerPartyId: 'akershus-fk' });
    expect((await L.end('ak-1', 'ak-b', '2013-12-30')).status).toBe(200);
    await L.mustStart('ak-1', 'ak-c', { fte: '1', startedOn: '2013-12-31', employerKind: 'nav-local-office', employerPartyId: 'akershus-navlok' });
    await L.mustStart('ak-1', 'ak-d', { fte: '1', startedOn: '2014-01-01', employerKind: 'municipality', employerPartyId: 'akershus-kom' });
    await L.mustStart('ak-1', 'ak-e', { fte: '0.5', startedOn: '2013-01-01', employerKind: 'other' });
    expect((await L.end('ak-1', 'ak-e', '2013-01-01')).status).toBe(200);
    const c13 = await L.kf('akershus', 2013);
    expect(shape(c13)).toEqual(L.o.column('akershus', 2013));
    // 365 000 + 364 000 + 1 000 + 500 FTE-days; on 31.12: ak-a and ak-c.
    expect([c13.staffYearsExact.fteDays, c13.personsByEmployer['county-authority'], c13.personsByEmployer['nav-local-office'], c13.personsByEmployer.municipality, c13.personsByEmployer.other, c13.fullTime]).toEqual([730_500, 1, 1, 0, 0, 2]);
    const c14 = await L.kf('akershus', 2014);
    expect(shape(c14)).toEqual(L.o.column('akershus', 2014));
    expect([c14.staffYearsExact.fteDays, c14.personsByEmployer['county-authority'], c14.personsByEmployer['nav-local-office'], c14.personsByEmployer.municipality, c14.fullTime]).toEqual([730_000, 0, 1, 1, 2]);
    // The per-position listing agrees on 31.12.
    const list = (await t.http().get('/centres/ak-1/staff-positions?year=2013').set(L.admin)).body;
    expect(Object.fromEntries(list.map((p: any) => [p.positionId, [p.year.onDecember31, p.year.fteDays]]))).toEqual({
      'ak-a': [true, 365_000], 'ak-b': [false, 364_000], 'ak-c': [true, 1_000], 'ak-d': [false, 0], 'ak-e': [false, 500],
    });
  });

  it('a change taking effect on 31.12 decides full time on 31.12; one from 1.1 of the next year does not', async () => {
    await L.parties('oslo');
    await L.centre('os-1', 'oslo');
    await L.mustStart('os-1', 'os-a', { fte: '1', startedOn: '2013-01-01' });
    expect((await L.change('os-1', 'os-a', '2013-12-31', { fte: '0.8' })).status).toBe(201);
    await L.mustStart('os-1', 'os-b', { fte: '0.8', startedOn: '2013-01-01' });
    expect((await L.change('os-1', 'os-b', '2013-12-31', { fte: '0.81' })).status).toBe(201);
    await L.mustStart('os-1', 'os-c', { fte: '1', startedOn: '2013-01-01' });
    expect((await L.change('os-1', 'os-c', '2014-01-01', { fte: '0.5' })).status).toBe(201);
    await L.mustStart('os-1', 'os-d', { fte: '0.5', startedOn: '2012-03-01' });
    expect((await L.change('os-1', 'os-d', '2013-07-01', { fte: '1' })).status).toBe(201);
    expect((await L.end('os-1', 'os-d', '2014-06-30')).status).toBe(200);
    const c13 = await L.kf('oslo', 2013);
    const c14 = await L.kf('oslo', 2014);
    expect(shape(c13)).toEqual(L.o.column('oslo', 2013));
    expect(shape(c14)).toEqual(L.o.column('oslo', 2014));
    expect([c13.fullTime, c14.fullTime, c13.personsByEmployer['county-authority'], c14.personsByEmployer['county-authority']]).toEqual([3, 1, 4, 3]);
  });

  it('leap years divide by 366 (2000 and 2012), 2100 by 365: 0.609 FTE for 30 days is 0.0 in a leap year and 0.1 in 2100', async () => {
    await L.parties('hedmark');
    await L.centre('he-1', 'hedmark', '1995-01-01');
    await L.mustStart('he-1', 'he-2000', { fte: '0.609', startedOn: '2000-02-01' });
    expect((await L.end('he-1', 'he-2000', '2000-03-01')).status).toBe(200);
    await L.mustStart('he-1', 'he-2012', { fte: '0.609', startedOn: '2012-02-01' });
    expect((await L.end('he-1', 'he-2012', '2012-03-01')).status).toBe(200);
    await L.mustStart('he-1', 'he-2100', { fte: '0.609', startedOn: '2100-02-01' });
    expect((await L.end('he-1', 'he-2100', '2100-03-02')).status).toBe(200);
    const got = [];
    for (const y of [2000, 2012, 2100]) {
      const c = await L.kf('hedmark', y);
      expect(shape(c)).toEqual(L.o.column('hedmark', y));
      got.push([y, c.staffYearsExact.fteDays, c.staffYearsExact.denominator, c.staffYears]);
    }
    // 30 days × 609 = 18 270 FTE-days: / 366 000 = 0.0499 → 0.0; / 365 000 = 0.05005 → 0.1.
    expect(got).toEqual([[2000, 18_270, 366_000, '0.0'], [2012, 18_270, 366_000, '0.0'], [2100, 18_270, 365_000, '0.1']]);
  });

  it('29 February: a position of that one day, one starting on it (307 days of 2012), one ending on it (60 days); the next year is whole', async () => {
    await L.parties('troms');
    await L.centre('tr-1', 'troms', '2010-01-01');
    await L.mustStart('tr-1', 'tr-a', { fte: '1', startedOn: '2012-02-29' });
    await L.mustStart('tr-1', 'tr-b', { fte: '1', startedOn: '2012-01-01' });
    expect((await L.end('tr-1', 'tr-b', '2012-02-29')).status).toBe(200);
    await L.mustStart('tr-1', 'tr-c', { fte: '1', startedOn: '2016-02-29' });
    expect((await L.end('tr-1', 'tr-c', '2016-02-29')).status).toBe(200);
    const c12 = await L.kf('troms', 2012);
    const c13 = await L.kf('troms', 2013);
    const c16 = await L.kf('troms', 2016);
    for (const [y, c] of [[2012, c12], [2013, c13], [2016, c16]] as const) expect({ y, ...shape(c) }).toEqual({ y, ...L.o.column('troms', y) });
    expect([c12.staffYearsExact.fteDays, c12.staffYears, c13.staffYearsExact.fteDays, c13.staffYears, c16.staffYearsExact.fteDays, c16.fullTime]).toEqual([367_000, '1.0', 365_000, '1.0', 366_000 + 1_000, 1]);
    // A change dated 29 February in a year that has none is refused; 2012-02-30 too.
    for (const d of ['2013-02-29', '2012-02-30']) {
      const res = await L.change('tr-1', 'tr-a', d, { fte: '0.5' });
      expect([d, res.status]).toEqual([d, 400]);
    }
  });

  it('employed by one party, paid directly by another from 1 July: persons count under the employer, staff-years under the payer, Varierer across two centres, then Ja', async () => {
    await L.parties('oppland');
    await L.centre('op-a', 'oppland');
    await L.centre('op-b', 'oppland');
    await L.mustStart('op-a', 'op-1', { fte: '1', startedOn: '2013-01-01', employerKind: 'nav-county-office', employerPartyId: 'oppland-nav' });
    expect((await L.change('op-a', 'op-1', '2013-07-01', { payer: 'oppland-fk' })).status).toBe(201);
    await L.mustStart('op-b', 'op-2', { fte: '0.5', startedOn: '2013-01-01', payer: 'oppland-kom' });
    let c = await L.kf('oppland', 2013);
    expect(shape(c)).toEqual(L.o.column('oppland', 2013));
    expect([c.personsByEmployer['nav-county-office'], c.personsByEmployer['county-authority']]).toEqual([1, 1]);
    const cells = (x: any) => PAID_ROWS.map((r) => [r.key, x.staffPaidDirectly[r.key].indicator, x.staffPaidDirectly[r.key].staffYears]);
    // 184 days of 1.0 FTE paid by the county authority (0.504 → 0.5); 365 days of 0.5 paid by the municipality.
    expect(cells(c)).toEqual([
      ['staffPaidDirectly.countyAuthority', 'Varierer', '0.5'],
      ['staffPaidDirectly.navLocalOffice', '-', null],
      ['staffPaidDirectly.navCountyOffice', '-', null],
      ['staffPaidDirectly.municipalities', 'Varierer', '0.5'],
    ]);
    // 2012: nobody was paid directly.
    expect(cells(await L.kf('oppland', 2012)).every(([, i]) => i === '-')).toBe(true);
    // One day (31.12) paid by the county authority at op-b makes it Ja; 185 000 FTE-days is still 0.5.
    await L.mustStart('op-b', 'op-3', { fte: '1', startedOn: '2013-12-31', payer: 'oppland-fk' });
    c = await L.kf('oppland', 2013);
    expect(shape(c)).toEqual(L.o.column('oppland', 2013));
    expect([c.staffPaidDirectly['staffPaidDirectly.countyAuthority'].indicator, c.staffPaidDirectly['staffPaidDirectly.countyAuthority'].fteDays]).toEqual(['Ja', 185_000]);
    // Paid back from the centre's budget from the start: the payer term of the start is replaced, nothing is paid directly by the municipality.
    expect((await L.change('op-b', 'op-2', '2013-01-01', { payer: null })).status).toBe(201);
    c = await L.kf('oppland', 2013);
    expect(shape(c)).toEqual(L.o.column('oppland', 2013));
    expect(c.staffPaidDirectly['staffPaidDirectly.municipalities']).toMatchObject({ indicator: '-', staffYears: null });
  });

  it('staff-years paid directly are summed over the county\'s centres and rounded once (0.04 + 0.04 = 0.1, not 0.0 + 0.0), as the county\'s staff-years are', async () => {
    await L.parties('buskerud');
    await L.centre('bu-a', 'buskerud');
    await L.centre('bu-b', 'buskerud');
    await L.mustStart('bu-a', 'bu-1', { fte: '0.04', startedOn: '2013-01-01', payer: 'buskerud-nav', employerKind: 'nav-county-office', employerPartyId: 'buskerud-nav' });
    await L.mustStart('bu-b', 'bu-2', { fte: '0.04', startedOn: '2013-01-01', payer: 'buskerud-nav', employerKind: 'nav-county-office', employerPartyId: 'buskerud-nav' });
    const c = await L.kf('buskerud', 2013);
    expect(shape(c)).toEqual(L.o.column('buskerud', 2013));
    expect([c.staffYears, c.staffPaidDirectly['staffPaidDirectly.navCountyOffice'].indicator, c.staffPaidDirectly['staffPaidDirectly.navCountyOffice'].staffYears]).toEqual(['0.1', 'Ja', '0.1']);
    for (const id of ['bu-a', 'bu-b']) {
      const mix = (await t.http().get(`/centres/${id}/funding-mix/2013`).set(L.admin)).body;
      expect([id, mix.staff.staffYears, mix.staff.paidDirectly.map((p: any) => p.staffYears)]).toEqual([id, '0.0', ['0.0']]);
    }
    const county = (await t.http().get('/counties/buskerud/funding-mix/2013').set(L.admin)).body;
    expect([county.staff.staffYears, county.staff.paidDirectly.map((p: any) => [p.partyId, p.staffYears])]).toEqual(['0.1', [['buskerud-nav', '0.1']]]);
  });

  it('the indicator and the NOK total follow every record, reversal and correction over three centres (Varierer with an unreported entry, Ja, Varierer again, complete, then -)', async () => {
    await L.parties('vestfold');
    for (const id of ['vf-1', 'vf-2', 'vf-3']) await L.centre(id, 'vestfold');
    const row = 'operatingGrant.countyAuthority';
    const check = async (step: string, expected: [string, string | null, number, number]) => {
      const c = await L.kf('vestfold', 2013);
      expect({ step, ...shape(c) }).toEqual({ step, ...L.o.column('vestfold', 2013) });
      const f = c.money[row];
      expect({ step, got: [f.indicator, f.amount, f.entries, f.unreportedEntries] }).toEqual({ step, got: expected });
      const csv = csvRows(await L.text('/key-figures/2013?format=csv&counties=vestfold'), ',');
      const cell = f.entries === 0 ? '' : f.amount === null ? 'ikke oppgitt' : f.unreportedEntries > 0 ? `${f.amount} + ikke oppgitt` : f.amount;
      expect({ step, csv: [csv.get('Driftsmidler fra fylkeskommunen')![0], csv.get('Driftsmidler fra fylkeskommunen, kr')![0]] }).toEqual({ step, csv: [expected[0], cell] });
    };
    await L.mustMoney('vf-1', 'operating-grant', 'vf-e1', 2013, 'vestfold-fk', '1000.00');
    await L.mustMoney('vf-2', 'operating-grant', 'vf-e2', 2013, 'vestfold-fk', null);
    await check('one reported, one not, one centre without', ['Varierer', '1000.00', 2, 1]);
    await L.mustMoney('vf-3', 'operating-grant', 'vf-e3', 2013, 'vestfold-fk', '250.50');
    await check('every centre', ['Ja', '1250.50', 3, 1]);
    await L.reverse('vf-1', 'vf-e1');
    await check('vf-1 reversed', ['Varierer', '250.50', 2, 1]);
    const c2 = await L.correct('vf-2', 'vf-e2', { amount: '99.99' });
    expect(c2).toBe('vf-e2.c1');
    await check('the unreported amount corrected', ['Varierer', '350.49', 2, 0]);
    await L.reverse('vf-2', c2);
    await L.reverse('vf-3', 'vf-e3');
    await check('all reversed', ['-', null, 0, 0]);
  });

  it('a correction that changes the party moves the money to another row; one that changes the fiscal year moves it to another year; a reversed "Ja (no sum)" is "-"', async () => {
    await L.parties('telemark');
    await L.centre('tm-1', 'telemark');
    await L.mustMoney('tm-1', 'operating-grant', 'tm-e1', 2013, 'telemark-fk', '5000.00');
    await L.mustMoney('tm-1', 'earmarked', 'tm-e2', 2013, 'telemark-nav', null);
    let c = await L.kf('telemark', 2013);
    expect(shape(c)).toEqual(L.o.column('telemark', 2013));
    expect([c.money['earmarked.navCountyOffice'].indicator, c.money['earmarked.navCountyOffice'].amount]).toEqual(['Ja', null]);
    const moved = await L.correct('tm-1', 'tm-e1', { partyId: 'telemark-nav' });
    c = await L.kf('telemark', 2013);
    expect(shape(c)).toEqual(L.o.column('telemark', 2013));
    expect([c.money['operatingGrant.countyAuthority'].indicator, c.money['operatingGrant.navCountyOffice'].indicator, c.money['operatingGrant.navCountyOffice'].amount]).toEqual(['-', 'Ja', '5000.00']);
    await L.correct('tm-1', moved, { fiscalYear: 2014 });
    await L.reverse('tm-1', 'tm-e2');
    c = await L.kf('telemark', 2013);
    const c14 = await L.kf('telemark', 2014);
    expect(shape(c)).toEqual(L.o.column('telemark', 2013));
    expect(shape(c14)).toEqual(L.o.column('telemark', 2014));
    expect([c.money['operatingGrant.navCountyOffice'].indicator, c.money['earmarked.navCountyOffice'].indicator, c.money['earmarked.navCountyOffice'].entries]).toEqual(['-', '-', 0]);
    expect([c14.money['operatingGrant.navCountyOffice'].indicator, c14.money['operatingGrant.navCountyOffice'].amount]).toEqual(['Ja', '5000.00']);
    const csv = csvRows(await L.text('/reports/key-figures/2013/csv?county=telemark'), ';');
    expect([csv.get('Øremerkede midler fra NAV fylke')![0], csv.get('Øremerkede midler fra NAV fylke, kr')![0]]).toEqual(['-', '']);
  });

  it('only the row\'s party kind counts: money from a university, in-kind from the county authority, a tender from NAV local and earmarked funds from a municipality fill no row but other income', async () => {
    await L.parties('aust-agder');
    await L.centre('aa-1', 'aust-agder');
    await L.mustMoney('aa-1', 'operating-grant', 'aa-e1', 2013, 'aust-agder-uni', '100.00');
    await L.mustMoney('aa-1', 'other-income', 'aa-e2', 2013, 'aust-agder-uni', '200.00');
    await L.mustMoney('aa-1', 'in-kind', 'aa-e3', 2013, 'aust-agder-fk', '300.00');
    await L.mustMoney('aa-1', 'tender', 'aa-e4', 2013, 'aust-agder-navlok', '400.00');
    await L.mustMoney('aa-1', 'earmarked', 'aa-e5', 2013, 'aust-agder-kom', '500.00');
    await L.mustStart('aa-1', 'aa-p1', { fte: '1', startedOn: '2013-01-01', payer: 'aust-agder-uni', employerKind: 'other' });
    await L.mustStart('aa-1', 'aa-p2', { fte: '0.5', startedOn: '2013-01-01', payer: 'aust-agder-navlok', employerKind: 'nav-local-office', employerPartyId: 'aust-agder-navlok' });
    const c = await L.kf('aust-agder', 2013);
    expect(shape(c)).toEqual(L.o.column('aust-agder', 2013));
    expect(MONEY_ROWS.map((r) => [r.key, c.money[r.key].indicator, c.money[r.key].amount])).toEqual(MONEY_ROWS.map((r) => [r.key, r.key === 'otherIncome' ? 'Ja' : '-', r.key === 'otherIncome' ? '200.00' : null]));
    expect(PAID_ROWS.map((r) => [r.key, c.staffPaidDirectly[r.key].indicator])).toEqual(PAID_ROWS.map((r) => [r.key, r.key === 'staffPaidDirectly.navLocalOffice' ? 'Ja' : '-']));
  });

  it('the centres of a year are those open on some day of it: opened 31.12 counts, closed from 1.1 does not, closed from 2.1 does; a county whose only centre closed from 1.1 has no column', async () => {
    await L.parties('vest-agder');
    await L.centre('va-old', 'vest-agder');
    await L.centre('va-jan2', 'vest-agder');
    await L.mustMoney('va-old', 'operating-grant', 'va-e0', 2012, 'vest-agder-fk', '10.00');
    await L.mustMoney('va-jan2', 'operating-grant', 'va-e1', 2013, 'vest-agder-fk', '20.00');
    await L.close('va-old', '2013-01-01');
    await L.close('va-jan2', '2013-01-02');
    await L.centre('va-new', 'vest-agder', '2013-12-31');
    await L.mustMoney('va-new', 'operating-grant', 'va-e2', 2013, 'vest-agder-fk', '30.00');
    await L.centre('va-2014', 'vest-agder', '2014-01-01');
    const c13 = await L.kf('vest-agder', 2013);
    expect(shape(c13)).toEqual(L.o.column('vest-agder', 2013));
    expect([c13.centres, c13.centreIds, c13.money['operatingGrant.countyAuthority'].indicator, c13.money['operatingGrant.countyAuthority'].amount]).toEqual([2, ['va-jan2', 'va-new'], 'Ja', '50.00']);
    const c12 = await L.kf('vest-agder', 2012);
    expect([c12.centres, c12.money['operatingGrant.countyAuthority'].indicator]).toEqual([2, 'Varierer']);
    // Money for 2013 at a centre closed from 1.1.2013 is refused: it is open on no day of 2013.
    const refused = await L.money('va-old', 'operating-grant', 'va-e9', 2013, 'vest-agder-fk', '1.00');
    expect([refused.status, refused.body.code]).toEqual([422, 'CENTRE.CLOSED']);
    // A correction moving the closed centre's 2012 money into 2013 is refused too, and leaves 2012 as it was.
    const moved = await L.post('/centres/va-old/funding/entries/va-e0/correction', { reason: 'Feil år', fiscalYear: 2013 });
    expect([moved.status, moved.body.code]).toEqual([422, 'CENTRE.CLOSED']);
    expect(shape(await L.kf('vest-agder', 2012))).toEqual(L.o.column('vest-agder', 2012));
    // A reversal is never refused for a closed centre; the 2012 row then has no centre with the money.
    await L.reverse('va-old', 'va-e0');
    const after = await L.kf('vest-agder', 2012);
    expect(shape(after)).toEqual(L.o.column('vest-agder', 2012));
    expect([after.centres, after.money['operatingGrant.countyAuthority'].indicator, after.money['operatingGrant.countyAuthority'].entries]).toEqual([2, '-', 0]);

    await L.parties('rogaland');
    await L.centre('ro-1', 'rogaland');
    await L.mustMoney('ro-1', 'operating-grant', 'ro-e1', 2012, 'rogaland-fk', '10.00');
    await L.close('ro-1', '2013-01-01');
    expect((await L.all(2013)).map((c: any) => c.countyId)).not.toContain('rogaland');
    expect((await L.all(2012)).map((c: any) => c.countyId)).toContain('rogaland');
    const asked = await L.kf('rogaland', 2013);
    expect(shape(asked)).toEqual(L.o.column('rogaland', 2013));
    expect(asked.centres).toBe(0);
  });

  it('a centre closed from 1 July: its open position can be ended with a last day before the closing and the year\'s staff-years are then put right; nobody is counted on 31.12', async () => {
    await L.parties('hordaland');
    await L.centre('ho-1', 'hordaland');
    await L.mustStart('ho-1', 'ho-p', { fte: '1', startedOn: '2012-01-01', employerPartyId: 'hordaland-fk' });
    await L.close('ho-1', '2013-07-01');
    const late = await L.end('ho-1', 'ho-p', '2013-07-01');
    expect([late.status, late.body.code]).toEqual([422, 'CENTRE.CLOSED']);
    const change = await L.change('ho-1', 'ho-p', '2013-07-01', { fte: '0.5' });
    expect([change.status, change.body.code]).toEqual([422, 'CENTRE.CLOSED']);
    expect((await L.end('ho-1', 'ho-p', '2013-06-30')).status).toBe(200);
    const c = await L.kf('hordaland', 2013);
    expect(shape(c)).toEqual(L.o.column('hordaland', 2013));
    // 181 days of 2013: 0.496 → 0.5.
    expect([c.centres, c.staffYearsExact.fteDays, c.staffYears, c.personsByEmployer['county-authority'], c.fullTime]).toEqual([1, 181_000, '0.5', 0, 0]);
    expect((await L.all(2014)).map((x: any) => x.countyId)).not.toContain('hordaland');
  });

  it('a county with no centre: no column unfiltered; asked for by ?counties=, every row empty (JSON, CSV, report CSV, XLSX)', async () => {
    expect((await L.all(2013)).map((c: any) => c.countyId)).not.toContain('finnmark');
    const c = await L.kf('finnmark', 2013);
    expect(shape(c)).toEqual(L.o.column('finnmark', 2013));
    expect([c.centres, c.fullTime, c.staffYears, Object.values(c.personsByEmployer).every((n) => n === 0)]).toEqual([0, 0, '0.0', true]);
    const csv = csvRows(await L.text('/key-figures/2013?format=csv&counties=finnmark'), ',');
    expect([csv.get('Nøkkeltall 2013'), csv.get('Antall karrieresentre'), csv.get('Årsverk'), csv.get('Driftsmidler fra fylkeskommunen'), csv.get('Driftsmidler fra fylkeskommunen, kr')]).toEqual([['Finnmark'], ['0'], ['0.0'], ['-'], ['']]);
    const rep = csvRows(await L.text('/reports/key-figures/2013/csv?county=finnmark'), ';');
    expect([rep.get('Nøkkeltall 2013'), rep.get('Antall karrieresentre'), rep.get('Årsverk'), rep.get('Ansatte i hel stilling (81–100 %) per 31.12')]).toEqual([['Finnmark'], ['0'], ['0,0'], ['-']]);
  });

  it('changes recorded out of date order and on the same date: the timeline is by date, the later record of one date replaces the earlier, a change on the start date replaces the start terms, an end on the last change\'s day', async () => {
    await L.parties('sogn-og-fjordane');
    await L.centre('sf-1', 'sogn-og-fjordane');
    await L.mustStart('sf-1', 'sf-a', { fte: '1', startedOn: '2013-01-01' });
    expect((await L.change('sf-1', 'sf-a', '2013-10-01', { fte: '0.5' })).status).toBe(201);
    expect((await L.change('sf-1', 'sf-a', '2013-04-01', { fte: '0.8' })).status).toBe(201);
    let c = await L.kf('sogn-og-fjordane', 2013);
    expect(shape(c)).toEqual(L.o.column('sogn-og-fjordane', 2013));
    // 90 × 1000 + 183 × 800 + 92 × 500.
    expect([c.staffYearsExact.fteDays, c.staffYears, c.fullTime]).toEqual([282_400, '0.8', 0]);
    expect((await L.change('sf-1', 'sf-a', '2013-10-01', { fte: '0.9' })).status).toBe(201);
    await L.mustStart('sf-1', 'sf-b', { fte: '1', startedOn: '2013-01-01' });
    expect((await L.change('sf-1', 'sf-b', '2013-01-01', { fte: '0.5' })).status).toBe(201);
    await L.mustStart('sf-1', 'sf-c', { fte: '1', startedOn: '2013-01-01' });
    expect((await L.change('sf-1', 'sf-c', '2013-12-31', { fte: '0.6' })).status).toBe(201);
    expect((await L.end('sf-1', 'sf-c', '2013-12-31')).status).toBe(200);
    c = await L.kf('sogn-og-fjordane', 2013);
    expect(shape(c)).toEqual(L.o.column('sogn-og-fjordane', 2013));
    expect([c.staffYearsExact.fteDays, c.fullTime, c.personsByEmployer['county-authority']]).toEqual([319_200 + 182_500 + 364_600, 1, 3]);
    const c14 = await L.kf('sogn-og-fjordane', 2014);
    expect(shape(c14)).toEqual(L.o.column('sogn-og-fjordane', 2014));
    const list = (await t.http().get('/centres/sf-1/staff-positions?year=2013').set(L.admin)).body;
    expect(list.find((p: any) => p.positionId === 'sf-a').terms.map((x: any) => [x.from, Number(x.fte)])).toEqual([['2013-01-01', 1], ['2013-04-01', 0.8], ['2013-10-01', 0.9]]);
  });

  it('ended and a new position started for the same person: one person on 31.12 and the days of both; the ended position cannot be restarted or ended again on its last day', async () => {
    await L.parties('more-og-romsdal');
    await L.centre('mr-1', 'more-og-romsdal');
    await L.mustStart('mr-1', 'mr-k1', { fte: '1', startedOn: '2013-01-01' });
    expect((await L.end('mr-1', 'mr-k1', '2013-06-30')).status).toBe(200);
    await L.mustStart('mr-1', 'mr-k2', { fte: '1', startedOn: '2013-09-01' });
    const again = await L.start('mr-1', 'mr-k1', { fte: '1', startedOn: '2013-09-01' });
    expect([again.status, again.body.code]).toEqual([409, 'STAFF.ALREADY_STARTED']);
    // The same last day again changes nothing (another day, earlier or later, would correct the end).
    const endAgain = await L.end('mr-1', 'mr-k1', '2013-06-30');
    expect([endAgain.status, endAgain.body.code]).toEqual([409, 'STAFF.ALREADY_ENDED']);
    const c = await L.kf('more-og-romsdal', 2013);
    expect(shape(c)).toEqual(L.o.column('more-og-romsdal', 2013));
    // 181 + 122 days: 0.830 → 0.8.
    expect([c.staffYearsExact.fteDays, c.staffYears, c.personsByEmployer['county-authority'], c.fullTime]).toEqual([303_000, '0.8', 1, 1]);
  });

  it('a position cannot add staff-years for days before its centre opened: it is refused, nothing recorded', async () => {
    await L.parties('sor-trondelag');
    await L.centre('st-1', 'sor-trondelag', '2013-07-01');
    const head = await t.store.headPosition();
    const res = await L.start('st-1', 'st-p', { fte: '1', startedOn: '2013-01-01' });
    expect([res.status, res.body.code]).toEqual([422, 'STAFF.BEFORE_OPENING']);
    expect(await t.store.headPosition()).toBe(head);
    const c = await L.kf('sor-trondelag', 2013);
    expect(c.staffYears).toBe('0.0');
    // And nothing for 2012, when the centre did not exist: 2012 has no column for the county.
    expect((await L.all(2012)).map((x: any) => x.countyId)).not.toContain('sor-trondelag');
    // From the opening day it is recorded: 1 July to 31 December, 184 days → 0.5.
    await L.mustStart('st-1', 'st-p', { fte: '1', startedOn: '2013-07-01' });
    const after = await L.kf('sor-trondelag', 2013);
    expect([after.staffYearsExact.fteDays, after.staffYears]).toEqual([184_000, '0.5']);
  });

  it('a position started the year before its centre opened is refused, nothing recorded', async () => {
    await L.centre('st-2', 'sor-trondelag', '2013-07-01');
    const head = await t.store.headPosition();
    const res = await L.start('st-2', 'st-q', { fte: '0.5', startedOn: '2012-01-01', employerKind: 'municipality' });
    expect([res.status, res.body.code]).toEqual([422, 'STAFF.BEFORE_OPENING']);
    expect(await t.store.headPosition()).toBe(head);
    const list = (await t.http().get('/centres/st-2/staff-positions?year=2013').set(L.admin)).body;
    expect(list).toEqual([]);
  });

  it('money for a fiscal year that ends before the centre opened is refused (new entry and correction), never accepted and left out of every total', async () => {
    await L.parties('nord-trondelag');
    await L.centre('nt-1', 'nord-trondelag', '2013-07-01');
    const head = await t.store.headPosition();
    const res = await L.money('nt-1', 'operating-grant', 'nt-e1', 2012, 'nord-trondelag-fk', '1000.00');
    expect([res.status, res.body.code]).toEqual([422, 'ENTRY.BEFORE_OPENING']);
    expect(await t.store.headPosition()).toBe(head);
    // The opening year is open on some day: its money is recorded and counted.
    await L.mustMoney('nt-1', 'operating-grant', 'nt-e2', 2013, 'nord-trondelag-fk', '1000.00');
    const c = await L.kf('nord-trondelag', 2013);
    expect([c.money['operatingGrant.countyAuthority'].indicator, c.money['operatingGrant.countyAuthority'].amount]).toEqual(['Ja', '1000.00']);
    // A correction moving it to 2012 is refused as well; the entry stands.
    const before = await t.store.headPosition();
    const moved = await L.post('/centres/nt-1/funding/entries/nt-e2/correction', { reason: 'Rettet', fiscalYear: 2012 });
    expect([moved.status, moved.body.code]).toEqual([422, 'ENTRY.BEFORE_OPENING']);
    expect(await t.store.headPosition()).toBe(before);
    expect((await L.kf('nord-trondelag', 2013)).money['operatingGrant.countyAuthority'].amount).toBe('1000.00');
  });

  it('as of a recorded instant, after later corrections: the table says what it said then (money corrected and reversed, a position changed and ended), in JSON and both CSVs', async () => {
    await L.parties('nordland');
    await L.centre('no-1', 'nordland');
    await L.mustMoney('no-1', 'operating-grant', 'no-e1', 2013, 'nordland-fk', '1000.00');
    await L.mustStart('no-1', 'no-p', { fte: '1', startedOn: '2013-01-01', employerPartyId: 'nordland-fk' });
    const snaps: { at: string; o: Oracle }[] = [{ at: L.lastRecordedAt, o: L.o.clone() }];
    await sleep(5);
    const c1 = await L.correct('no-1', 'no-e1', { amount: '2000.00' });
    expect((await L.change('no-1', 'no-p', '2013-07-01', { fte: '0.5' })).status).toBe(201);
    snaps.push({ at: L.lastRecordedAt, o: L.o.clone() });
    await sleep(5);
    await L.reverse('no-1', c1);
    expect((await L.end('no-1', 'no-p', '2013-09-30')).status).toBe(200);
    snaps.push({ at: L.lastRecordedAt, o: L.o.clone() });
    // Asked newest first, then oldest, then again (the as-of cache must not mix them up).
    for (const s of [snaps[2], snaps[0], snaps[1], snaps[0], snaps[2]]) {
      for (const y of [2013, 2014]) {
        const c = await L.kf('nordland', y, s.at);
        expect({ at: s.at, y, ...shape(c) }).toEqual({ at: s.at, y, ...s.o.column('nordland', y) });
      }
    }
    const first = snaps[0].o.column('nordland', 2013);
    expect([first.money['operatingGrant.countyAuthority'].amount, first.staffYears, first.fullTime]).toEqual(['1000.00', '1.0', 1]);
    const json = csvRows(await L.text(`/key-figures/2013?format=csv&counties=nordland&asOf=${encodeURIComponent(snaps[1].at)}`), ',');
    expect([json.get('Driftsmidler fra fylkeskommunen, kr'), json.get('Årsverk'), json.get('Ansatte i hel stilling (81–100 %) per 31.12')]).toEqual([['2000.00'], [snaps[1].o.column('nordland', 2013).staffYears], ['-']]);
    const rep = csvRows(await L.text(`/reports/key-figures/2013/csv?county=nordland&asOf=${encodeURIComponent(snaps[0].at)}`), ';');
    expect([rep.get('Driftsmidler fra fylkeskommunen, kr'), rep.get('Årsverk'), rep.get('Ansatte i hel stilling (81–100 %) per 31.12')]).toEqual([['1000,00'], ['1,0'], ['1']]);
  });

  it('a county id that is not registered is 404 COUNTY.NOT_FOUND in the key figures, as in the report CSV and the county funding mix, not a table without that column', async () => {
    const report = await t.http().get('/reports/key-figures/2013/csv?county=ostfol').set(L.admin);
    const mix = await t.http().get('/counties/ostfol/funding-mix/2013').set(L.admin);
    expect([report.status, report.body.code, mix.status, mix.body.code]).toEqual([404, 'COUNTY.NOT_FOUND', 404, 'COUNTY.NOT_FOUND']);
    // A misspelt id beside a right one: the table silently lacks the column asked for.
    const json = await t.http().get('/key-figures/2013?counties=ostfol,akershus').set(L.admin);
    expect({ status: json.status, code: json.body.code, columns: json.body.counties?.map((c: any) => c.countyId) }).toEqual({ status: 404, code: 'COUNTY.NOT_FOUND', columns: undefined });
    const csv = await t.http().get('/key-figures/2013?format=csv&counties=ostfol').set(L.admin);
    expect(csv.status).toBe(404);
  });

  it('a centre renamed from 31.12 is named so in that year\'s reports, one renamed from 1.1 only from the next year; the figures do not change', async () => {
    const before = shape(await L.kf('ostfold', 2013));
    await L.ok('/centres/of-1/rename', { name: 'Karriere Østfold', effectiveFrom: '2013-12-31' });
    await L.ok('/centres/of-1/rename', { name: 'Karriere Viken', effectiveFrom: '2014-01-01' });
    expect(shape(await L.kf('ostfold', 2013))).toEqual(before);
    const firstLine = async (y: number) => {
      const files = unzip(await L.binary(`/reports/${y}/xlsx?centre=of-1`));
      const xml = files.get('xl/worksheets/sheet1.xml')!.toString('utf8');
      return xml.match(/<t[^>]*>(Fylket til [^<]*)<\/t>/)?.[1];
    };
    expect([await firstLine(2012), await firstLine(2013), await firstLine(2014)]).toEqual(['Fylket til Karrieresenter of-1: Østfold', 'Fylket til Karriere Østfold: Østfold', 'Fylket til Karriere Viken: Østfold']);
    const parts = (await t.http().get('/counties/ostfold/funding-mix/2013').set(L.admin)).body.parts;
    expect(parts.map((p: any) => [p.id, p.name])).toEqual([['of-1', 'Karriere Østfold']]);
  });

  it('the report forms carry the boundary figures: key-figures CSV, report CSV and the XLSX «Nøkkeltall» sheet (numbers, not text)', async () => {
    const o = L.o.column('ostfold', 2013);
    const csv = csvRows(await L.text('/key-figures/2013?format=csv&counties=ostfold'), ',');
    expect([csv.get('Ansatte i hel stilling (81–100 %) per 31.12'), csv.get('Årsverk'), csv.get('Ansatte per 31.12 i fylkeskommunen'), csv.get('Ansatte per 31.12 i NAV lokal'), csv.get('Ansatte per 31.12 i karrieresenteret'), csv.get('Ansatte per 31.12 hos andre')]).toEqual([
      [String(o.fullTime)], [o.staffYears], ['3'], ['-'], ['1'], ['1'],
    ]);
    const rep = csvRows(await L.text('/reports/key-figures/2013/csv?county=ostfold'), ';');
    expect([rep.get('Ansatte i hel stilling (81–100 %) per 31.12'), rep.get('Årsverk'), rep.get('Ansatte per 31.12 i NAV fylke')]).toEqual([['4'], ['5,2'], ['1']]);
    const files = unzip(await L.binary('/reports/2013/xlsx?county=ostfold'));
    const sheetName = [...files.keys()].find((k) => /xl\/worksheets\/sheet1\.xml$/.test(k))!;
    const xml = files.get(sheetName)!.toString('utf8');
    const rows = xml.split('<row ').slice(1);
    const numberIn = (label: string): number | null => {
      const labelRow = rows.find((r) => r.includes(`>${label}<`));
      if (!labelRow) return null;
      const m = labelRow.match(/<c r="B\d+"[^>]*><v>([^<]*)<\/v><\/c>/);
      return m ? Number(m[1]) : null;
    };
    expect([numberIn('Årsverk'), numberIn('Ansatte i hel stilling (81–100 %) per 31.12'), numberIn('Ansatte per 31.12 i fylkeskommunen')]).toEqual([5.2, 4, 3]);
  });
});

// ================================================================================================

describe('the country\'s staff-years over 12 counties: rounded once (e2e)', () => {
  let t: TestApp;
  let L: Ledger;
  const TWELVE = ['ostfold', 'oslo', 'hedmark', 'oppland', 'buskerud', 'vestfold', 'telemark', 'aust-agder', 'vest-agder', 'rogaland', 'hordaland', 'troms'];

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    L = new Ledger(t, await t.auth('admin'));
    for (const c of TWELVE) {
      await L.parties(c);
      await L.centre(`${c}-kc`, c);
      // 0.05 FTE all year: 18 250 FTE-days, exactly 0.05 staff-years, 0.1 to one decimal (half away from zero).
      await L.mustStart(`${c}-kc`, `${c}-p`, { fte: '0.05', startedOn: '2013-01-01' });
    }
  });
  afterAll(() => t.close());

  it('each county column is 0.1, yet the country\'s staff-years are Σ FTE-days rounded once (12 × 0.05 = 0.6), not the sum of the rounded columns (1.2); the exact figures add up', async () => {
    const cols = await L.all(2013);
    expect(cols.map((c: any) => c.countyId)).toEqual(TWELVE);
    for (const c of cols) expect({ county: c.countyId, ...shape(c) }).toEqual({ county: c.countyId, ...L.o.column(c.countyId, 2013) });
    expect(cols.map((c: any) => c.staffYears)).toEqual(TWELVE.map(() => '0.1'));
    const exactSum = cols.reduce((s: number, c: any) => s + c.staffYearsExact.fteDays, 0);
    expect(exactSum).toBe(12 * 18_250);
    const country = (await t.http().get('/funding-mix/2013').set(L.admin)).body;
    expect([country.staff.staffYearsExact.fteDays, country.staff.staffYears]).toEqual([exactSum, tenths(exactSum, 2013)]);
    expect(country.staff.staffYears).toBe('0.6');
    const rep = csvRows(await L.text('/reports/funding-mix/2013/csv'), ';');
    expect(rep.get('Årsverk i alt')).toEqual(['', '0,6']);
  });
});

// ================================================================================================

describe('as of an instant across the funding view\'s history snapshot (every 5,000 positions) (e2e)', () => {
  let t: TestApp;
  let L: Ledger;
  const snaps: { label: string; at: string; o: Oracle }[] = [];

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    L = new Ledger(t, await t.auth('admin'));
    await L.parties('troms');
    await L.parties('finnmark');
    await L.centre('tr-a', 'troms');
    await L.centre('tr-b', 'troms');
    await L.centre('fi-filler', 'finnmark');
    await L.mustMoney('tr-a', 'operating-grant', 'tr-e1', 2013, 'troms-fk', '1000.00');
    await L.mustMoney('tr-b', 'earmarked', 'tr-e2', 2013, 'troms-nav', null);
    await L.mustMoney('tr-b', 'operating-grant', 'tr-e3', 2013, 'troms-fk', '10.00');
    await L.mustStart('tr-a', 'tr-p1', { fte: '1', startedOn: '2012-01-01', employerPartyId: 'troms-fk' });
    await L.mustStart('tr-b', 'tr-p2', { fte: '0.6', startedOn: '2013-03-01', payer: 'troms-nav', employerKind: 'nav-county-office', employerPartyId: 'troms-nav' });
    await sleep(3);
    snaps.push({ label: 'before the snapshot', at: L.lastRecordedAt, o: L.o.clone() });
    // Filler past position 5,000 (money of another county and year, which the funding view folds).
    const head = await t.store.headPosition();
    for (let i = 0; head + i <= 5_100; i++) {
      const res = await t.http().post('/centres/fi-filler/funding/operating-grants').set(L.admin).send({ entryId: `fill-${i}`, fiscalYear: 2015, partyId: 'finnmark-fk', amount: '1.00', decidedOn: '2015-01-02' });
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
      L.lastRecordedAt = res.body.recordedAt;
    }
    await sleep(3);
    snaps.push({ label: 'after the filler', at: L.lastRecordedAt, o: L.o.clone() });
    await sleep(3);
    await L.reverse('tr-b', 'tr-e2');
    await sleep(3);
    snaps.push({ label: 'unreported entry reversed', at: L.lastRecordedAt, o: L.o.clone() });
    await sleep(3);
    await L.correct('tr-a', 'tr-e1', { amount: '1500.00' });
    expect((await L.end('tr-a', 'tr-p1', '2013-10-31')).status).toBe(200);
    await sleep(3);
    snaps.push({ label: 'corrected, position ended', at: L.lastRecordedAt, o: L.o.clone() });
    await sleep(3);
    expect((await L.change('tr-b', 'tr-p2', '2013-06-01', { fte: '1', payer: 'troms-fk' })).status).toBe(201);
    await L.mustStart('tr-a', 'tr-p3', { fte: '0.81', startedOn: '2013-12-31', employerKind: 'municipality', employerPartyId: 'troms-kom' });
    await L.correct('tr-b', 'tr-e3', { fiscalYear: 2014 });
    await sleep(3);
    snaps.push({ label: 'changed, started, moved to 2014', at: L.lastRecordedAt, o: L.o.clone() });
  }, 120_000);
  afterAll(() => t.close());

  it('the log crossed position 5,000 between the first and the later instants', async () => {
    expect(await t.store.headPosition()).toBeGreaterThan(5_000);
  });

  it('every instant, asked in any order, gives the oracle\'s table then for 2013 and 2014 (money, indicators, persons, full time, staff-years, paid directly)', async () => {
    const order = [4, 0, 2, 1, 3, 0, 4, 2];
    for (const i of order) {
      const s = snaps[i];
      for (const y of [2013, 2014]) {
        const c = await L.kf('troms', y, s.at);
        expect({ label: s.label, y, ...shape(c) }).toEqual({ label: s.label, y, ...s.o.column('troms', y) });
      }
    }
  });

  it('the live table equals the last instant, and the report CSV as of each instant says the same as the JSON then', async () => {
    const live = await L.kf('troms', 2013);
    expect(shape(live)).toEqual(snaps[4].o.column('troms', 2013));
    for (const s of snaps) {
      const o = s.o.column('troms', 2013);
      const rep = csvRows(await L.text(`/reports/key-figures/2013/csv?county=troms&asOf=${encodeURIComponent(s.at)}`), ';');
      const money = o.money['operatingGrant.countyAuthority'];
      const cell = money.entries === 0 ? '' : money.amount === null ? 'ikke oppgitt' : money.amount.replace('.', ',') + (money.unreportedEntries > 0 ? ' + ikke oppgitt' : '');
      expect({ label: s.label, got: [rep.get('Årsverk'), rep.get('Driftsmidler fra fylkeskommunen'), rep.get('Driftsmidler fra fylkeskommunen, kr'), rep.get('Øremerkede midler fra NAV fylke')] }).toEqual({
        label: s.label,
        got: [[o.staffYears.replace('.', ',')], [money.indicator], [cell], [o.money['earmarked.navCountyOffice'].indicator]],
      });
    }
  });
});
