/**
 * A realistic ledger of any size, from a seed: the same size and seed always give the same log
 * (same ids, same amounts, same recorded times, same hashes).
 *
 *   node dist/bench/src/generate.js --events 1000000 --seed 42 --out bench/data/ledger-1000000-42.sqlite
 *
 * It writes SqliteEventStore-compatible rows straight into a SQLite file (same schema via
 * `migrate`, same envelopes and hash chain via `sealEvents`), in big transactions, so a million
 * events take well under a minute. Event names and fields follow docs/event-catalogue.md.
 *
 * Shape: the 19 counties of 2014, their parties (county authority, NAV county office, NAV local
 * offices, municipalities, a union), Vox; centres (scaled with the size, about 125 per 100,000
 * events, so that about 20 years fill the log and no stream grows unrealistically long), owner agreements (a third shared 50/50 with NAV), boards with members for half the centres
 * (the others governed along the county line), guidance partnerships and coordinating functions;
 * then year after year from 2010: Vox's grant scheme, every kind of money (operating grants,
 * earmarked funds, tenders, other income, in-kind), reversals with corrections, staff positions
 * started/changed/ended, board proposals with votes (budget, accounts, annual report, action plan),
 * county-line decisions, evidence for the base grant, base-grant allocations and stimulus grants.
 * Now and then, as the ledger's own commands would record them: parties renamed from a date (the
 * county authorities and NAV county offices of the 2018 and 2020 county reforms, the county
 * authorities split again in 2024, a few municipalities with their NAV local offices), premises
 * records corrected or withdrawn (a wrong date re-entered), and stimulus-grant decisions corrected
 * (an amount, a rejection turned into an award on appeal, an award withdrawn).
 *
 * GENERATOR_VERSION is written in the summary (and so in the ledger's .json beside it): npm run
 * bench regenerates a ledger whose version differs, and the profiler refuses one.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { COUNTIES_2014 } from '../../libs/application/src/seed/counties-2014';
import { canonicalJson } from '../../libs/event-store/src/canonical-json';
import { sealEvents } from '../../libs/event-store/src/hashing';
import { EventToAppend } from '../../libs/event-store/src/port';
import { migrate } from '../../libs/event-store/src/sqlite-schema';
import { CRITERIA_2014, resolveWindows } from '../../libs/domain/src/grants/criteria';
import { organisationNumberCheckDigit } from '../../libs/domain/src/parties';
import { prng } from './lib/stats';

/**
 * Bumped whenever the same size and seed would give another log (new event kinds, other rates or
 * payloads), so that a ledger written by an older generator is not reused as if it were current.
 * 1: (unrecorded) before versions were written; 2: dated party renames, premises corrections and
 * withdrawals, stimulus-grant decision corrections, awards at most the amount asked, development
 * applications naming their centre; 3: organisation numbers with a valid mod-11 check digit.
 */
export const GENERATOR_VERSION = 3;

export interface GenerateOptions {
  events: number;
  seed: number;
  out: string;
  /** Print progress to stderr. */
  verbose?: boolean;
}

export interface GenerateResult {
  /** GENERATOR_VERSION of the code that wrote the ledger. */
  generatorVersion: number;
  seed: number;
  events: number;
  streams: number;
  centres: number;
  years: number[];
  firstRecordedAt: string;
  lastRecordedAt: string;
  seconds: number;
  countsByType: Record<string, number>;
}

type Data = Record<string, unknown>;
interface Pending {
  day: number; // day of year (0-based) the event happens on
  seq: number; // stable order within the year
  stream: string;
  type: string;
  data: Data;
  actorId: string;
  actorRole: string;
}

/**
 * The county reforms, from 1 January of the year: each county's authority (and NAV county office,
 * when named) carries the region's name; the ids stay, and the years before keep the old names.
 * 2024 split Viken, Vestfold og Telemark and Troms og Finnmark again (their NAV offices kept the
 * regional names).
 */
const REFORMS: Record<number, Record<string, { authority: string; nav: string | null }>> = {
  2018: {
    'sor-trondelag': { authority: 'Trøndelag fylkeskommune', nav: 'NAV Trøndelag' },
    'nord-trondelag': { authority: 'Trøndelag fylkeskommune', nav: 'NAV Trøndelag' },
  },
  2020: {
    ostfold: { authority: 'Viken fylkeskommune', nav: 'NAV Øst-Viken' },
    akershus: { authority: 'Viken fylkeskommune', nav: 'NAV Øst-Viken' },
    buskerud: { authority: 'Viken fylkeskommune', nav: 'NAV Vest-Viken' },
    hedmark: { authority: 'Innlandet fylkeskommune', nav: 'NAV Innlandet' },
    oppland: { authority: 'Innlandet fylkeskommune', nav: 'NAV Innlandet' },
    vestfold: { authority: 'Vestfold og Telemark fylkeskommune', nav: 'NAV Vestfold og Telemark' },
    telemark: { authority: 'Vestfold og Telemark fylkeskommune', nav: 'NAV Vestfold og Telemark' },
    'aust-agder': { authority: 'Agder fylkeskommune', nav: 'NAV Agder' },
    'vest-agder': { authority: 'Agder fylkeskommune', nav: 'NAV Agder' },
    hordaland: { authority: 'Vestland fylkeskommune', nav: 'NAV Vestland' },
    'sogn-og-fjordane': { authority: 'Vestland fylkeskommune', nav: 'NAV Vestland' },
    troms: { authority: 'Troms og Finnmark fylkeskommune', nav: 'NAV Troms og Finnmark' },
    finnmark: { authority: 'Troms og Finnmark fylkeskommune', nav: 'NAV Troms og Finnmark' },
  },
  2024: {
    ostfold: { authority: 'Østfold fylkeskommune', nav: null },
    akershus: { authority: 'Akershus fylkeskommune', nav: null },
    buskerud: { authority: 'Buskerud fylkeskommune', nav: null },
    vestfold: { authority: 'Vestfold fylkeskommune', nav: null },
    telemark: { authority: 'Telemark fylkeskommune', nav: null },
    troms: { authority: 'Troms fylkeskommune', nav: null },
    finnmark: { authority: 'Finnmark fylkeskommune', nav: null },
  },
};
/** The municipal reform's year: municipalities merged then (and their NAV offices) take new names, far more often than in other years. */
const MUNICIPAL_REFORM_YEAR = 2020;
/** A renamed municipality's new name, by its index in the county (distinct within a county). */
const MERGED_PREFIX = ['Indre', 'Ytre', 'Nordre'];

const dateOf = (year: number, day: number): string => new Date(Date.UTC(year, 0, 1 + day)).toISOString().slice(0, 10);

export const generateLedger = (o: GenerateOptions): GenerateResult => {
  const t0 = process.hrtime.bigint();
  const rnd = prng(o.seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const chance = (p: number): boolean => rnd() < p;
  const hex8 = (): string => (Math.floor(rnd() * 0x100000000) >>> 0).toString(16).padStart(8, '0');
  const uuid = (): string => {
    const a = hex8() + hex8() + hex8() + hex8();
    return `${a.slice(0, 8)}-${a.slice(8, 12)}-4${a.slice(13, 16)}-a${a.slice(17, 20)}-${a.slice(20, 32)}`;
  };
  /** A UUIDv7-style id (48 bits of milliseconds first), as time-ordered ids keep the unique index append-only. */
  const timeOrderedId = (ms: number): string => {
    const t = ms.toString(16).padStart(12, '0');
    const r = hex8() + hex8() + hex8();
    return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${r.slice(0, 3)}-${((parseInt(r[3], 16) & 3) | 8).toString(16)}${r.slice(4, 7)}-${r.slice(7, 19)}`;
  };
  /** Money in whole kroner times 100, with a few øre now and then. */
  const nok = (lo: number, hi: number): number => int(lo, hi) * 100 + (chance(0.1) ? int(1, 99) : 0);

  if (existsSync(o.out)) rmSync(o.out);
  for (const suffix of ['-wal', '-shm']) if (existsSync(o.out + suffix)) rmSync(o.out + suffix);
  mkdirSync(dirname(o.out), { recursive: true });
  const db = new Database(o.out);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -200000');
  migrate(db);
  const insert = db.prepare(
    'INSERT INTO events (position, event_id, stream_id, revision, type, schema_version, data, metadata, recorded_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );

  // ---- the writer: revisions, hash chain, recorded time, big transactions ----
  const heads = new Map<string, { revision: number; hash: string }>();
  const countsByType: Record<string, number> = {};
  let position = 0;
  let lastRecordedMs = 0;
  let firstRecordedAt = '';
  let lastRecordedAt = '';
  let buffer: unknown[][] = [];
  const flushRows = db.transaction((rows: unknown[][]) => {
    for (const r of rows) insert.run(...r);
  });
  const flush = (): void => {
    if (buffer.length) flushRows(buffer);
    buffer = [];
  };
  const full = (): boolean => position >= o.events;

  /**
   * Seals one event exactly as `sealEvents` does, but serialises each part once: the data's
   * canonical JSON is both the stored `data` column (valid JSON, keys sorted) and the hashed
   * part, and the rest of the hashed envelope is laid out in canonical (sorted-key) order by
   * hand. Every 101st event (and the first 1,000) is sealed again with `sealEvents` itself and
   * the generator stops if the two hashes ever differ.
   */
  const write = (e: Pending, recordedMs: number): void => {
    if (full()) return;
    const ms = Math.max(recordedMs, lastRecordedMs + 1);
    lastRecordedMs = ms;
    const recordedAt = new Date(ms).toISOString();
    const head = heads.get(e.stream);
    const revision = head ? head.revision + 1 : 0;
    const prevHash = head?.hash ?? null;
    const pos = position + 1;
    const eventId = timeOrderedId(ms);
    const correlationId = uuid();
    const dataJson = canonicalJson(e.data);
    const metaJson = `{"actorId":${JSON.stringify(e.actorId)},"actorRole":${JSON.stringify(e.actorRole)},"causationId":null,"correlationId":"${correlationId}","idempotencyKey":null}`;
    const hashed =
      `{"data":${dataJson},"eventId":"${eventId}","metadata":${metaJson},"position":${pos},"prevHash":${prevHash === null ? 'null' : `"${prevHash}"`},` +
      `"recordedAt":"${recordedAt}","revision":${revision},"schemaVersion":1,"streamId":${JSON.stringify(e.stream)},"type":${JSON.stringify(e.type)},"v":1}`;
    const hash = createHash('sha256').update(hashed).digest('hex');
    if (pos <= 1000 || pos % 101 === 0) {
      const toAppend: EventToAppend = { eventId, type: e.type, schemaVersion: 1, data: e.data, metadata: { actorId: e.actorId, actorRole: e.actorRole, correlationId, causationId: null, idempotencyKey: null } };
      const [sealed] = sealEvents(e.stream, [toAppend], revision, pos, prevHash, recordedAt, true);
      if (sealed.hash !== hash) throw new Error(`generator hash differs from sealEvents at position ${pos}`);
    }
    position = pos;
    heads.set(e.stream, { revision, hash });
    buffer.push([pos, eventId, e.stream, revision, e.type, 1, dataJson, metaJson, recordedAt, prevHash, hash]);
    countsByType[e.type] = (countsByType[e.type] ?? 0) + 1;
    if (!firstRecordedAt) firstRecordedAt = recordedAt;
    lastRecordedAt = recordedAt;
    if (buffer.length >= 20_000) {
      flush();
      if (o.verbose) process.stderr.write(`\r  generated ${position.toLocaleString('en')} / ${o.events.toLocaleString('en')} events`);
    }
  };

  /** A year's events, sorted by business day (stable), recorded that day between 08:00 and 16:00. */
  let pending: Pending[] = [];
  let seq = 0;
  const add = (day: number, stream: string, type: string, data: Data, actorId: string, actorRole: string): void => {
    pending.push({ day: Math.max(0, Math.min(364, day)), seq: seq++, stream, type, data, actorId, actorRole });
  };
  const writeYear = (year: number): void => {
    pending.sort((a, b) => a.day - b.day || a.seq - b.seq);
    let i = 0;
    while (i < pending.length && !full()) {
      let j = i;
      while (j < pending.length && pending[j].day === pending[i].day) j++;
      const dayStart = Date.UTC(year, 0, 1 + pending[i].day, 8);
      const step = Math.max(1, Math.floor((8 * 3600_000) / (j - i)));
      for (let k = i; k < j; k++) write(pending[k], dayStart + (k - i) * step);
      i = j;
    }
    pending = [];
  };

  // ---- the world ----
  const FO = (countyId: string): string => `fo-${countyId}`;
  const counties = COUNTIES_2014.map((c) => ({ ...c }));
  interface Party { partyId: string; kind: string; countyId: string | null; name: string }
  const parties: Party[] = [{ partyId: 'vox', kind: 'vox', countyId: null, name: 'Vox' }];
  interface CountyParties { ca: Party; navc: Party; navLocal: Party[]; munis: Party[]; union: Party; other: Party }
  const byCounty = new Map<string, CountyParties>();
  for (const c of counties) {
    const ca = { partyId: `${c.countyId}-fylkeskommune`, kind: 'county-authority', countyId: c.countyId, name: `${c.name} fylkeskommune` };
    const navc = { partyId: `nav-${c.countyId}`, kind: 'nav-county-office', countyId: c.countyId, name: `NAV ${c.name}` };
    const navLocal = Array.from({ length: 3 }, (_, i) => ({ partyId: `nav-${c.countyId}-lokal-${i + 1}`, kind: 'nav-local-office', countyId: c.countyId, name: `NAV ${c.name} lokal ${i + 1}` }));
    const munis = Array.from({ length: 3 }, (_, i) => ({ partyId: `${c.countyId}-kommune-${i + 1}`, kind: 'municipality', countyId: c.countyId, name: `${c.name} kommune ${i + 1}` }));
    const union = { partyId: `${c.countyId}-utdanningsforbundet`, kind: 'union', countyId: c.countyId, name: `Utdanningsforbundet ${c.name}` };
    const other = { partyId: `${c.countyId}-andre`, kind: 'other', countyId: c.countyId, name: `Andre i ${c.name} (kursdeltakere, kjøpere)` };
    byCounty.set(c.countyId, { ca, navc, navLocal, munis, union, other });
    parties.push(ca, navc, ...navLocal, ...munis, union, other);
  }

  // About 40 events per centre and year: choose the number of centres so ~20 years fill the log.
  const nCentres = Math.max(3, Math.ceil(o.events / (20 * 40)));
  interface Position { positionId: string; fteMilli: number; payer: Data; annualCostOre: number | null; active: boolean }
  interface Member { personId: string; partyId: string | null; role: string }
  interface Entry { entryId: string; type: string; kind: string; partyId: string; amountOre: number | null; extra: Data; corrections: number; reversed: boolean }
  /** A centre's premises record standing (what CoLocationRecorded, then each correction, says), as the co-location decider folds it. */
  interface Premises { from: string; place: string; street: number; sharedWith: Data[] }
  interface Centre { centreId: string; countyId: string; name: string; ownerNav: boolean; agreementId: string; boardId: string | null; members: Member[]; positions: Position[]; premises: Premises | null }
  const centres: Centre[] = [];
  for (let i = 0; i < nCentres; i++) {
    const c = counties[i % counties.length];
    const k = Math.floor(i / counties.length) + 1;
    const centreId = `kc-${c.countyId}-${k}`;
    centres.push({ centreId, countyId: c.countyId, name: `Karrieresenter ${c.name} ${k}`, ownerNav: i % 3 === 0, agreementId: `oa-${centreId}`, boardId: i % 2 === 0 ? `styre-${centreId}` : null, members: [], positions: [], premises: null });
  }
  /**
   * A valid organisation number (mod-11 check digit, as the ledger requires) from one draw: its first
   * eight digits, the next eight-digit start that has a check digit when they have none. One draw as
   * before, so only the numbers differ from version 2's log. The search ends by 99999999 (check digit 9).
   */
  const organisationNumber = (draw: number): string => {
    for (let first = Math.floor(draw / 10); ; first++) {
      const check = organisationNumberCheckDigit(String(first));
      if (check !== null) return `${first}${check}`;
    }
  };
  const premisesOf = (p: Premises): string => `${p.place}, Storgata ${p.street}`;
  const KIND_OF: Record<string, string> = { OperatingGrantRecorded: 'operating-grant', EarmarkedFundsRecorded: 'earmarked', TenderAwardRecorded: 'tender', OtherIncomeRecorded: 'other-income', InKindContributionRecorded: 'in-kind' };

  // ---- prelude: registrations, agreements and boards in the first days of 2009 ----
  const admin = ['admin-1', 'admin'] as const;
  for (const c of counties) add(0, `county-${c.countyId}`, 'CountyRegistered', { countyId: c.countyId, name: c.name, countyNumber: c.countyNumber }, ...admin);
  for (const p of parties) add(1, `party-${p.partyId}`, 'PartyRegistered', { partyId: p.partyId, name: p.name, kind: p.kind, countyId: p.countyId, organisationNumber: organisationNumber(int(800000000, 999999999)) }, ...admin);
  for (const ce of centres) {
    const fo = FO(ce.countyId);
    const pc = byCounty.get(ce.countyId)!;
    add(2, `centre-${ce.centreId}`, 'CentreRegistered', { centreId: ce.centreId, countyId: ce.countyId, name: ce.name, municipality: pick(pc.munis).name.replace(' kommune', ''), openedOn: '2009-01-05' }, fo, 'finance-officer');
    const owners = ce.ownerNav ? [{ partyId: pc.ca.partyId, shareBp: 5000 }, { partyId: pc.navc.partyId, shareBp: 5000 }] : [{ partyId: pc.ca.partyId, shareBp: 10000 }];
    add(3, `owner-agreements-${ce.centreId}`, 'OwnerAgreementRegistered', { agreementId: ce.agreementId, centreId: ce.centreId, countyId: ce.countyId, parties: owners, period: { from: '2009-01-05', to: null }, signedOn: '2009-01-02' }, fo, 'finance-officer');
    if (chance(0.3)) {
      const nav = chance(0.5);
      ce.premises = { from: '2009-01-05', place: ce.name, street: int(1, 90), sharedWith: [nav ? { kind: 'nav-local-office', partyId: pc.navLocal[0].partyId, name: null } : { kind: 'upper-secondary-school', partyId: null, name: 'Videregående skole' }] };
      add(3, `co-location-${ce.centreId}`, 'CoLocationRecorded', { centreId: ce.centreId, countyId: ce.countyId, from: ce.premises.from, premises: premisesOf(ce.premises), sharedWith: ce.premises.sharedWith }, fo, 'finance-officer');
    }
    if (ce.boardId) {
      const b = `board-${ce.boardId}`;
      const seats: { partyId: string | null; role: string }[] = [
        { partyId: pc.ca.partyId, role: 'chair' }, { partyId: pc.navc.partyId, role: 'deputy-chair' }, { partyId: pc.munis[0].partyId, role: 'member' },
        { partyId: pc.union.partyId, role: 'member' }, { partyId: null, role: 'staff-representative' },
      ];
      add(4, b, 'BoardEstablished', { boardId: ce.boardId, countyId: ce.countyId, centreIds: [ce.centreId], name: `Styret for ${ce.name}`, bodyKind: 'board', establishedOn: '2009-01-05', rules: { quorum: { kind: 'more-than-half' }, tieBreak: 'rejected' } }, fo, 'finance-officer');
      seats.forEach((s, k) => {
        const personId = `p-${ce.centreId}-${k + 1}`;
        ce.members.push({ personId, ...s });
        add(5, b, 'BoardMemberAppointed', { boardId: ce.boardId, countyId: ce.countyId, personId, name: `Medlem ${k + 1} ${ce.name}`, partyId: s.partyId, role: s.role, term: { from: '2009-01-05', to: null } }, fo, 'finance-officer');
      });
    }
  }
  for (const c of counties) {
    const pc = byCounty.get(c.countyId)!;
    const fo = FO(c.countyId);
    if (c.countyId === 'finnmark') continue; // one county without a partnership: it never qualifies
    add(6, `partnership-${c.countyId}`, 'PartnershipAgreementSigned', { partnershipId: `partnerskap-${c.countyId}`, countyId: c.countyId, parties: [pc.ca.partyId, pc.navc.partyId, pc.munis[0].partyId], signedOn: '2009-01-06', period: { from: '2009-01-07', to: null } }, fo, 'finance-officer');
    add(6, `partnership-${c.countyId}`, 'CoordinatingFunctionAssigned', { countyId: c.countyId, holderPartyId: pc.ca.partyId, description: 'Koordinerer veiledningsaktørene i fylket', from: '2009-01-07', to: null }, fo, 'finance-officer');
  }
  writeYear(2009);

  // ---- year after year ----
  const years: number[] = [];
  const GROUPS = ['primary-lower-secondary-counsellors', 'upper-secondary-counsellors', 'nav-staff'];
  const vox = ['vox-officer', 'vox'] as const;
  for (let year = 2010; !full(); year++) {
    years.push(year);
    const y = String(year);
    const judgingDate = `${y}-12-01`;
    add(int(5, 20), `grant-scheme-${y}`, 'GrantSchemePublished', {
      year, schemeVersion: 1, baseGrantOre: 1_400_000_00 * 19, criteriaSetId: CRITERIA_2014.id, judgingDate,
      windows: resolveWindows(CRITERIA_2014, year, judgingDate, {}), windowOverrides: {}, note: null,
    }, ...vox);

    // Parties renamed from 1 January (recorded in the first weeks): the county reforms, merged municipalities.
    // As RenameParty records it: previousName is the name in force on effectiveFrom, and a name already in force records nothing.
    const renameParty = (p: Party, name: string, effectiveFrom: string, day: number): void => {
      if (p.name === name) return;
      add(day, `party-${p.partyId}`, 'PartyRenamed', { partyId: p.partyId, name, previousName: p.name, effectiveFrom }, FO(p.countyId!), 'finance-officer');
      p.name = name;
    };
    for (const c of counties) {
      const pc = byCounty.get(c.countyId)!;
      const reform = REFORMS[year]?.[c.countyId];
      if (reform) {
        renameParty(pc.ca, reform.authority, `${y}-01-01`, int(0, 14));
        if (reform.nav) renameParty(pc.navc, reform.nav, `${y}-01-01`, int(0, 14));
      }
      pc.munis.forEach((m, i) => {
        if (m.name.startsWith(`${MERGED_PREFIX[i]} `) || !chance(year === MUNICIPAL_REFORM_YEAR ? 0.15 : 0.003)) return;
        const day = int(0, 30);
        renameParty(m, `${MERGED_PREFIX[i]} ${c.name} kommune`, `${y}-01-01`, day);
        renameParty(pc.navLocal[i], `NAV ${MERGED_PREFIX[i]} ${c.name}`, `${y}-01-01`, day);
      });
    }

    for (const ce of centres) {
      const fo = FO(ce.countyId);
      const pc = byCounty.get(ce.countyId)!;
      const base = { centreId: ce.centreId, countyId: ce.countyId, fiscalYear: year };
      const entries: Entry[] = [];
      const money = (day: number, type: string, partyId: string, amountOre: number | null, extra: Data = {}): void => {
        const entryId = uuid();
        add(day, `funding-entry-${entryId}`, type, { entryId, ...base, partyId, amountOre, decidedOn: dateOf(year, Math.max(0, day - int(1, 10))), reference: chance(0.8) ? `${y}/${int(100, 999)}` : null, note: null, correctsEntryId: null, ...extra }, fo, 'finance-officer');
        entries.push({ entryId, type, kind: KIND_OF[type], partyId, amountOre, extra, corrections: 0, reversed: false });
      };
      const period = { from: `${y}-01-01`, to: `${y}-12-31` };
      // Operating grants
      money(int(10, 40), 'OperatingGrantRecorded', pc.ca.partyId, nok(600_000, 2_500_000));
      if (ce.ownerNav) money(int(10, 60), 'OperatingGrantRecorded', pc.navc.partyId, chance(0.9) ? nok(300_000, 1_400_000) : null);
      if (chance(0.2)) money(int(30, 120), 'OperatingGrantRecorded', pick(pc.munis).partyId, nok(50_000, 300_000));
      if (chance(0.1)) money(int(30, 120), 'OperatingGrantRecorded', pick(pc.navLocal).partyId, nok(50_000, 200_000));
      // Earmarked funds, tenders, other income, in-kind
      for (let k = int(0, 2); k > 0; k--) money(int(20, 300), 'EarmarkedFundsRecorded', pick([pc.ca, pc.navc]).partyId, chance(0.9) ? nok(50_000, 1_000_000) : null, { purpose: pick(['Oppstartsveiledning', 'Karriereveiledning for innvandrere', 'Realkompetansevurdering', 'Ungdom utenfor skole og arbeid']), period });
      if (chance(0.35)) money(int(60, 250), 'TenderAwardRecorded', pc.navc.partyId, nok(200_000, 3_000_000), { contractReference: `NAV-${y}-${int(1000, 9999)}`, period: { from: dateOf(year, int(60, 200)), to: `${year + 1}-06-30` } });
      for (let k = int(6, 14); k > 0; k--) money(int(15, 350), 'OtherIncomeRecorded', pc.other.partyId, nok(2_000, 60_000), { incomeKind: pick(['course-fees', 'course-fees', 'sales', 'other']) });
      if (chance(0.6)) money(int(5, 30), 'InKindContributionRecorded', pick([pc.munis[0], pc.ca]).partyId, null, { inKindKind: pick(['premises', 'payroll-services', 'it', 'other']), estimatedValueOre: chance(0.7) ? nok(50_000, 400_000) : null });
      // About 5 % of the year's entries reversed; most of those corrected (reversal + corrected entry together)
      for (const e of entries.slice()) {
        if (!chance(0.05)) continue;
        const day = int(300, 340);
        const stream = `funding-entry-${e.entryId}`;
        const correct = chance(0.8);
        const correctedBy = correct ? `${e.entryId}.c${++e.corrections}` : null;
        const estimated = (e.extra.estimatedValueOre as number | null | undefined) ?? null;
        add(day, stream, 'EntryReversed', { entryId: `${e.entryId}.reversal`, reversedEntryId: e.entryId, ...base, reason: correct ? 'Feil beløp registrert' : 'Registrert to ganger', entryKind: e.kind, partyId: e.partyId, amountOre: e.amountOre, estimatedValueOre: estimated, correctedByEntryId: correctedBy }, fo, 'finance-officer');
        e.reversed = true;
        if (correctedBy) {
          const amountOre = e.type === 'InKindContributionRecorded' ? null : e.amountOre === null ? nok(10_000, 100_000) : Math.max(100, Math.round(e.amountOre * (0.9 + rnd() * 0.2)));
          add(day, stream, e.type, { entryId: correctedBy, ...base, partyId: e.partyId, amountOre, decidedOn: dateOf(year, day - 1), reference: null, note: 'Korrigert', correctsEntryId: e.entryId, ...e.extra }, fo, 'finance-officer');
        }
      }

      // Staff positions
      const staffEvent = (day: number, p: Position, type: string, data: Data): void =>
        add(day, `position-${p.positionId}`, type, { positionId: p.positionId, centreId: ce.centreId, countyId: ce.countyId, ...data }, fo, 'finance-officer');
      if (year === 2010) {
        for (let k = int(2, 6); k > 0; k--) {
          const employer = pick([{ kind: 'county-authority', party: pc.ca.partyId }, { kind: 'county-authority', party: pc.ca.partyId }, { kind: 'nav-county-office', party: pc.navc.partyId }, { kind: 'centre', party: null }]);
          const p: Position = { positionId: uuid(), fteMilli: pick([1000, 1000, 800, 500, 600]), payer: employer.kind === 'nav-county-office' ? { kind: 'party', partyId: pc.navc.partyId } : { kind: 'centre' }, annualCostOre: chance(0.8) ? nok(500_000, 800_000) : null, active: true };
          ce.positions.push(p);
          const d = int(0, 20);
          staffEvent(d, p, 'StaffPositionStarted', { title: pick(['leder', 'karriereveileder', 'rådgiver']), employerKind: employer.kind, employerPartyId: employer.party, fteMilli: p.fteMilli, payer: p.payer, annualCostOre: p.annualCostOre, startedOn: dateOf(year, d) });
        }
      } else {
        for (const p of ce.positions) {
          if (chance(0.15)) {
            p.fteMilli = pick([1000, 800, 600, 500, 200]);
            const d = int(30, 200);
            staffEvent(d, p, 'StaffPositionChanged', { effectiveFrom: dateOf(year, d), fteMilli: p.fteMilli, payer: p.payer, annualCostOre: p.annualCostOre });
          } else if (chance(0.08)) {
            p.active = false;
            const d = int(200, 330);
            staffEvent(d, p, 'StaffPositionEnded', { endedOn: dateOf(year, d) });
          }
        }
        if (chance(0.35)) {
          const p: Position = { positionId: uuid(), fteMilli: pick([1000, 500]), payer: { kind: 'centre' }, annualCostOre: nok(500_000, 800_000), active: true };
          ce.positions.push(p);
          const d = int(100, 250);
          staffEvent(d, p, 'StaffPositionStarted', { title: 'karriereveileder', employerKind: 'county-authority', employerPartyId: pc.ca.partyId, fteMilli: p.fteMilli, payer: p.payer, annualCostOre: p.annualCostOre, startedOn: dateOf(year, d) });
        }
        ce.positions = ce.positions.filter((p) => p.active);
      }

      // Evidence for the base grant
      const ev = `grant-evidence-${ce.centreId}`;
      if (year === 2010 || chance(0.05)) {
        const d = int(0, 30);
        add(d, ev, 'ServiceDeclared', { declarationId: uuid(), centreId: ce.centreId, countyId: ce.countyId, effectiveFrom: dateOf(year, d), freeOfCharge: chance(0.95), openToAllAdults: true, fromAge: chance(0.9) ? 19 : 25, note: null }, fo, 'finance-officer');
      }
      for (let k = int(2, 4); k > 0; k--) {
        const d = int(40, 320);
        const groups = GROUPS.filter(() => chance(0.6));
        if (k === 1) groups.push(GROUPS[year % 3]);
        add(d, ev, 'CompetenceDevelopmentDelivered', { activityId: uuid(), centreId: ce.centreId, countyId: ce.countyId, deliveredOn: dateOf(year, d), kind: pick(['lecture', 'course', 'triangle-conversation', 'network-meeting']), targetGroups: [...new Set(groups)], participants: int(5, 60), description: 'Kompetanseheving for rådgivere' }, fo, 'finance-officer');
      }
      if (chance(0.9)) add(int(250, 330), ev, 'UserSurveyParticipationRecorded', { participationId: uuid(), centreId: ce.centreId, countyId: ce.countyId, period, note: null }, fo, 'finance-officer');
      {
        const d = int(40, 100);
        add(d, ev, 'AnnualReportSubmitted', { reportId: uuid(), centreId: ce.centreId, countyId: ce.countyId, year: year - 1, submittedOn: dateOf(year, d) }, fo, 'finance-officer');
      }

      // Governance: four decisions a year, by board vote or along the county line
      const kinds = ['budget', 'accounts', 'annual-report', 'action-plan'] as const;
      const contentOf = (kind: string): Data =>
        kind === 'budget'
          ? { inputFromPartyIds: ce.ownerNav ? [pc.navc.partyId] : [], summary: null, lines: [{ partyId: pc.ca.partyId, moneyKind: 'operating-grant', amountOre: nok(600_000, 2_500_000) }, ...(ce.ownerNav ? [{ partyId: pc.navc.partyId, moneyKind: 'operating-grant', amountOre: nok(300_000, 1_400_000) }] : []), { partyId: pc.other.partyId, moneyKind: 'other-income', amountOre: nok(20_000, 200_000) }] }
          : kind === 'action-plan'
            ? { inputFromPartyIds: ce.ownerNav ? [pc.navc.partyId] : [], summary: null, goals: ['Gratis karriereveiledning for alle over 19 år', 'Kompetanseheving for rådgivere'], targetGroups: ['voksne', 'ungdom'] }
            : { inputFromPartyIds: [], summary: `${kind} ${y}` };
      kinds.forEach((kind, k) => {
        const day = 40 + k * 70 + int(0, 30);
        const content = contentOf(kind);
        const decisionYear = kind === 'accounts' || kind === 'annual-report' ? year - 1 : kind === 'budget' ? year + 1 : year;
        const title = `${kind} ${decisionYear} for ${ce.name}`;
        if (ce.boardId) {
          const b = `board-${ce.boardId}`;
          const proposalId = uuid();
          const chair = ce.members[0];
          const ids = { boardId: ce.boardId, countyId: ce.countyId };
          add(day, b, 'ProposalTabled', { ...ids, proposalId, centreIds: [ce.centreId], kind, year: decisionYear, title, content, tabledBy: chair.personId, tabledOn: dateOf(year, day) }, chair.personId, 'board-member');
          const tally = { for: 0, against: 0, abstain: 0 };
          const voteDay = day + 1 + int(0, 5);
          for (const m of ce.members) {
            if (chance(0.15)) continue; // absent
            const vote = chance(0.85) ? 'for' : chance(0.5) ? 'against' : 'abstain';
            tally[vote as keyof typeof tally]++;
            add(voteDay, b, 'VoteCast', { ...ids, proposalId, personId: m.personId, vote, standingInFor: null, castOn: dateOf(year, voteDay) }, m.personId, 'board-member');
          }
          const seats = ce.members.length;
          const quorumRequired = Math.floor(seats / 2) + 1;
          const takingPart = tally.for + tally.against + tally.abstain;
          const quorumMet = takingPart >= quorumRequired;
          const adopted = quorumMet && tally.for > tally.against;
          const reason = !quorumMet ? 'NO_QUORUM' : tally.for === 0 ? 'NO_VOTES_FOR' : adopted ? 'MAJORITY_FOR' : tally.for === tally.against ? 'TIE_REJECTED' : 'MAJORITY_AGAINST';
          add(voteDay + 1, b, 'ProposalClosed', { ...ids, proposalId, centreIds: [ce.centreId], kind, year: decisionYear, title, outcome: adopted ? 'adopted' : 'rejected', reason, tally: { ...tally, takingPart, seats, quorumRequired }, quorumMet, content, closedBy: chair.personId, closedOn: dateOf(year, voteDay + 1), governedBy: 'board' }, chair.personId, 'board-member');
        } else {
          add(day, `county-line-${ce.countyId}`, 'CountyLineDecisionRecorded', { decisionId: uuid(), countyId: ce.countyId, centreIds: [ce.centreId], kind, year: decisionYear, title, content, decidedOn: dateOf(year, day), decidedBy: fo, outcome: 'adopted', governedBy: 'county-line' }, fo, 'finance-officer');
        }
      });
      // Now and then: an amended owner agreement, a renamed centre, a new board member
      if (chance(0.03)) {
        const share = int(30, 70) * 100;
        add(int(150, 200), `owner-agreements-${ce.centreId}`, 'OwnerAgreementAmended', { agreementId: ce.agreementId, centreId: ce.centreId, countyId: ce.countyId, effectiveFrom: `${y}-07-01`, parties: [{ partyId: pc.ca.partyId, shareBp: share }, { partyId: pc.navc.partyId, shareBp: 10000 - share }], period: { from: '2009-01-05', to: null }, note: 'Ny fordeling' }, fo, 'finance-officer');
        ce.ownerNav = true;
      }
      if (chance(0.01)) {
        const name = `${ce.name} (${y})`;
        add(int(100, 300), `centre-${ce.centreId}`, 'CentreRenamed', { centreId: ce.centreId, name, previousName: ce.name, effectiveFrom: `${y}-08-01` }, fo, 'finance-officer');
        ce.name = name;
      }
      if (ce.boardId && chance(0.1)) {
        const k = int(2, ce.members.length - 1);
        const old = ce.members[k];
        const personId = `p-${ce.centreId}-${y}-${k}`;
        const b = `board-${ce.boardId}`;
        add(355, b, 'BoardMemberEnded', { boardId: ce.boardId, countyId: ce.countyId, personId: old.personId, endedOn: `${y}-12-31`, reason: 'Valgperioden er over' }, fo, 'finance-officer');
        add(355, b, 'BoardMemberAppointed', { boardId: ce.boardId, countyId: ce.countyId, personId, name: `Medlem ${y}-${k}`, partyId: old.partyId, role: old.role, term: { from: `${year + 1}-01-01`, to: null } }, fo, 'finance-officer');
        ce.members[k] = { personId, partyId: old.partyId, role: old.role };
      }
      // Now and then a premises record is found wrong: corrected (its full new contents), or withdrawn as entered
      // by mistake, and then, when only its date was wrong, entered again from the right date.
      const pr = ce.premises;
      if (pr && chance(0.015)) {
        const day = int(30, 330);
        const shared = pr.sharedWith[0];
        const navIndex = shared?.kind === 'nav-local-office' ? pc.navLocal.findIndex((p) => p.partyId === shared.partyId) : -1;
        const next: Premises = { ...pr };
        let reason: string;
        if (navIndex >= 0 && chance(0.5)) {
          next.sharedWith = [{ kind: 'nav-local-office', partyId: pc.navLocal[(navIndex + int(1, 2)) % 3].partyId, name: null }];
          reason = 'Feil NAV-kontor oppgitt';
        } else {
          next.street = ((pr.street - 1 + int(1, 89)) % 90) + 1;
          reason = 'Feil adresse oppgitt';
        }
        add(day, `co-location-${ce.centreId}`, 'CoLocationCorrected', { centreId: ce.centreId, countyId: ce.countyId, from: pr.from, premises: premisesOf(next), sharedWith: next.sharedWith, reason, previous: { premises: premisesOf(pr), sharedWith: pr.sharedWith } }, fo, 'finance-officer');
        ce.premises = next;
      } else if (pr && chance(0.004)) {
        const day = int(30, 330);
        const wrongDate = chance(0.6);
        add(day, `co-location-${ce.centreId}`, 'CoLocationWithdrawn', { centreId: ce.centreId, countyId: ce.countyId, from: pr.from, reason: wrongDate ? 'Ført med feil dato' : 'Registrert ved en feil: senteret deler ikke lokaler med andre' }, fo, 'finance-officer');
        ce.premises = null;
        if (wrongDate) {
          // The right date: the start of a school year since the centre opened, always before today and never the withdrawn one.
          let from = `${int(2009, year - 1)}-08-01`;
          if (from === pr.from) from = `${year - 1}-01-02`;
          ce.premises = { ...pr, from };
          add(day, `co-location-${ce.centreId}`, 'CoLocationRecorded', { centreId: ce.centreId, countyId: ce.countyId, from, premises: premisesOf(ce.premises), sharedWith: pr.sharedWith }, fo, 'finance-officer');
        }
      }
    }

    // Vox: stimulus grants and the base-grant allocation
    for (const c of counties) {
      if (!chance(0.25)) continue;
      const applicationId = uuid();
      // Development work is done within one of the county's centres (STIMULUS_GRANT.CENTRE_REQUIRED); a county without one applies to establish one.
      const own = centres.filter((ce) => ce.countyId === c.countyId);
      const purpose = chance(0.3) || own.length === 0 ? 'establish-centre' : 'development';
      const centreId = purpose === 'development' ? pick(own).centreId : null;
      const st = `stimulus-grant-${applicationId}`;
      const applied = int(30, 90);
      const amountAskedOre = nok(100_000, 800_000);
      add(applied, st, 'StimulusGrantApplied', { applicationId, countyId: c.countyId, year, purpose, amountAskedOre, description: purpose === 'establish-centre' ? 'Etablering av karrieresenter' : 'Utviklingsarbeid', centreId, appliedOn: dateOf(year, applied) }, FO(c.countyId), 'finance-officer');
      const decided = int(120, 160);
      const ids = { applicationId, countyId: c.countyId, year };
      // An award is at most the amount asked (STIMULUS_GRANT.AWARD_ABOVE_ASKED).
      const awarded = chance(0.7) ? Math.min(amountAskedOre, nok(100_000, 500_000)) : null;
      const rejection = 'Søknaden oppfyller ikke kriteriene';
      if (awarded !== null) add(decided, st, 'StimulusGrantAwarded', { ...ids, amountOre: awarded, decidedOn: dateOf(year, decided), note: null }, ...vox);
      else add(decided, st, 'StimulusGrantRejected', { ...ids, reason: rejection, decidedOn: dateOf(year, decided) }, ...vox);
      // Now and then the decision is corrected weeks later, whole, as CorrectStimulusGrantDecision records it (correctedOn: the day recorded).
      if (chance(0.08)) {
        const day = decided + int(14, 90);
        const previous = awarded !== null ? { outcome: 'awarded', amountOre: awarded, note: null, reason: null } : { outcome: 'rejected', amountOre: null, note: null, reason: rejection };
        const [next, correctionReason] =
          awarded === null
            ? [{ outcome: 'awarded', amountOre: Math.min(amountAskedOre, nok(100_000, 500_000)), note: 'Klage tatt til følge', reason: null }, 'Klage tatt til følge: søknaden oppfyller kriteriene']
            : chance(0.25)
              ? [{ outcome: 'rejected', amountOre: null, note: null, reason: rejection }, 'Vedtaket bygde på feil opplysninger om partnerskapet i fylket']
              : [{ outcome: 'awarded', amountOre: Math.max(50_000_00, awarded - int(1, 10) * 5_000_00), note: 'Beløpet er rettet', reason: null }, 'Feil beløp i vedtaket'];
        add(day, st, 'StimulusGrantDecisionCorrected', { ...ids, ...next, correctionReason, correctedOn: dateOf(year, day), previous }, ...vox);
      }
    }
    const total = 1_400_000_00 * 19;
    const eligible = counties.filter((c) => c.countyId !== 'finnmark');
    const each = Math.floor(total / eligible.length);
    const rest = total - each * eligible.length;
    add(345, `grant-scheme-${y}`, 'BaseGrantAllocated', {
      year, schemeVersion: 1, criteriaSetId: CRITERIA_2014.id, judgingDate, baseGrantOre: total, basedOnPosition: position,
      verdicts: counties.map((c) => ({ countyId: c.countyId, countyNumber: c.countyNumber, name: c.name, eligible: c.countyId !== 'finnmark', failedCriteria: c.countyId === 'finnmark' ? ['partnership-agreement', 'coordinating-function'] : [], qualifyingCentreIds: centres.filter((ce) => ce.countyId === c.countyId).slice(0, 1).map((ce) => ce.centreId), override: null })),
      parts: eligible.map((c, i) => ({ countyId: c.countyId, countyNumber: c.countyNumber, amountOre: each + (i < rest ? 1 : 0), remainderOre: i < rest ? 1 : 0 })),
      remainderRule: 'one øre each to the eligible counties in ascending county number', note: null,
    }, ...vox);
    writeYear(year);
  }
  flush();
  if (o.verbose) process.stderr.write('\n');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return {
    generatorVersion: GENERATOR_VERSION,
    seed: o.seed,
    events: position,
    streams: heads.size,
    centres: centres.length,
    years,
    firstRecordedAt,
    lastRecordedAt,
    seconds: Number(process.hrtime.bigint() - t0) / 1e9,
    countsByType,
  };
};

const arg = (name: string, fallback?: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

if (require.main === module) {
  const events = Number(arg('events', '1000000'));
  const seed = Number(arg('seed', '42'));
  const out = arg('out', `bench/data/ledger-${events}-${seed}.sqlite`)!;
  if (!Number.isSafeInteger(events) || events < 1 || !Number.isSafeInteger(seed)) {
    console.error('usage: node dist/bench/src/generate.js --events N --seed S --out FILE');
    process.exit(2);
  }
  const r = generateLedger({ events, seed, out, verbose: true });
  const summary = JSON.stringify({ out, ...r, seconds: Math.round(r.seconds * 10) / 10 });
  // Beside the ledger, as npm run bench keeps it: the profiler reads the centres and years from it.
  writeFileSync(`${out}.json`, summary);
  console.log(summary);
  console.log(Object.entries(r.countsByType).sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${n}`).join('\n'));
}
