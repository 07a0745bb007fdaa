/**
 * Cross-checks the funding answers against each other on random ledgers (fast-check).
 *
 * The histories are built by a copy of test/audit/history-generator.ts extended for funding
 * variety, driven by fast-check ops (so a failure shrinks to a short list of ops, not a seed):
 * every money kind (in-kind with and without an estimated value), amounts not reported,
 * reversals, corrections (amount, fiscal year, party), staff positions with changes and ends
 * (paid by the centre or directly by a party, with and without an annual cost), centres opening
 * and closing mid-year and renamed, county-line budgets and owner agreements, and ids the ledger
 * accepts but a plain object treats specially ("constructor", "toString", "2013"). Every centre,
 * money and staff command goes through the real deciders, so those events are exactly what the
 * command path would append (a refused command records nothing); budgets and owner agreements are
 * written in the catalogue's shape. The shared generator is not used as is: its reversals
 * lack the reversed entry's kind, party and amount, so the funding view skips them.
 *
 * Properties, for every county and every year the history touches:
 *  P1 county total = Σ parts = Σ centre mixes of the centres it counts
 *  P2 country total = Σ county mixes; its parts = the county totals
 *  P3 key figures' money rows and staff-years = the county mix's lines (indicator, "ikke oppgitt")
 *  P4 byParty / byKind shares add up to exactly 100.0 when anything is reported; null where nothing is
 *  P5 in-kind never in money totals (and the money equals an independent sum over live entries)
 *  P6 folding in one go = in chunks with engine restarts = a live engine = as-of (byte-identical)
 */
import fc from 'fast-check';
import { ProjectionEngine } from '../../libs/application/src/projection-engine';
import { MemorySnapshotStore } from '../../libs/application/src/snapshot-store';
import { centreDecider, CentreRecord } from '../../libs/domain/src/counties/centre';
import { MONEY_KINDS, MoneyEntryCommand, moneyEntryDecider, MoneyEntryState, MoneyKind, rootEntryId, entryStream } from '../../libs/domain/src/funding/money-entry';
import { EMPLOYER_KINDS, EmployerKind, positionStream, StaffPositionCommand, staffPositionDecider, StaffPositionState } from '../../libs/domain/src/funding/staff-position';
import { PartyState } from '../../libs/domain/src/parties/party';
import { addDays, DomainError, formatOre, RecordedEvent } from '../../libs/domain/src/shared';
import { testContext } from '../../libs/domain/src/shared/decider-spec';
import { canonicalJson } from '../../libs/event-store/src/canonical-json';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { ALL_PROJECTIONS } from '../../libs/projections/src';
import {
  CASH_KINDS,
  centreFundingMix,
  centreStaffPositions,
  costShareCompliance,
  countryFundingMix,
  countyFundingMix,
  formatStaffYears,
  FundingMix,
  FundingView,
  fundingProjection,
  FUNDING_VIEW,
  indicatorOf,
  keyFigures,
  keyFiguresCsv,
  MONEY_ROWS,
  moneyTotalText,
  NOT_REPORTED_NB,
  STAFF_PAID_ROWS,
} from '../../libs/projections/src/funding';
import { foldEvents } from '../../libs/projections/src/projection';
import { steppingClock } from '../audit/fixtures';

// ---------------------------------------------------------------------------------------------
// The generator (a copy of test/audit/history-generator.ts, extended; driven by fast-check ops)
// ---------------------------------------------------------------------------------------------

/** County numbers out of registration order, so "county-number order" is tested. */
const COUNTIES = [
  { id: 'telemark', number: '08' },
  { id: 'troms', number: '19' },
  { id: 'ostfold', number: '01' },
];
/** Per county, one party of each kind the key figures have a row for, plus one they have none for. */
const PARTY_SPECS = [
  { prefix: 'fk', kind: 'county-authority' },
  { prefix: 'nav', kind: 'nav-county-office' },
  { prefix: 'navlok', kind: 'nav-local-office' },
  { prefix: 'kom', kind: 'municipality' },
  { prefix: 'uni', kind: 'university' },
] as const;
/** Ids the ledger accepts (ID_PATTERN) but a plain object treats specially: Object.prototype members, integer-like keys. */
const ODD_PARTY_IDS: Record<string, string> = { 'uni-telemark': 'toString', 'kom-troms': '1234', 'navlok-ostfold': 'constructor' };
const partyIdOf = (county: string, i: number) => {
  const plain = `${PARTY_SPECS[i % PARTY_SPECS.length].prefix}-${county}`;
  return ODD_PARTY_IDS[plain] ?? plain;
};
const PARTIES = new Map<string, Extract<PartyState, { status: 'registered' }>>(
  COUNTIES.flatMap((c) => PARTY_SPECS.map((spec, i) => [partyIdOf(c.id, i), { status: 'registered' as const, partyId: partyIdOf(c.id, i), name: `${spec.prefix} ${c.id}`, kind: spec.kind, countyId: c.id, organisationNumber: null }] as const)),
);
const partyState = (partyId: string): PartyState => PARTIES.get(partyId)!;
/** An id for the n-th thing of a kind: mostly plain, sometimes an odd one (see ODD_PARTY_IDS); always unique. */
const ODD_IDS = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '2013', '7', '12'];
const idOf = (prefix: string, n: number, odd: number | null, used: Set<string>): string => {
  let id = odd === null ? `${prefix}${n}` : ODD_IDS[odd % ODD_IDS.length];
  if (used.has(id)) id = `${prefix}${n}`;
  while (used.has(id)) id = `${id}x`;
  used.add(id);
  return id;
};

const DAY0 = '2011-01-01';
const dateOf = (day: number) => addDays(DAY0, day);
const YEARS = [2010, 2011, 2012, 2013, 2014, 2015, 2016];
const ore = (n: number | null) => (n === null ? null : formatOre(n));

type Op =
  | { t: 'open'; county: number; on: number; odd: number | null }
  | { t: 'close'; c: number; after: number }
  | { t: 'rename'; c: number; after: number }
  | { t: 'record'; c: number; year: number; kind: MoneyKind; party: number; amount: number | null; odd: number | null }
  | { t: 'reverse'; e: number }
  | { t: 'correct'; e: number; amount: number | null | undefined; year: number | undefined; party: number | undefined }
  | { t: 'start'; c: number; on: number; fte: number; employer: EmployerKind; payer: number | null; cost: number | null; odd: number | null }
  | { t: 'change'; p: number; after: number; fte: number; payer: number | null; cost: number | null }
  | { t: 'end'; p: number; after: number }
  | { t: 'budget'; county: number; year: number; mask: number; amount: number | null; party: number; kind: MoneyKind; on: number }
  | { t: 'agreement'; c: number; shareBp: number; on: number };

const oddArb = fc.option(fc.nat(ODD_IDS.length - 1), { freq: 6 });
const dayArb = fc.integer({ min: 0, max: 5 * 365 - 1 }); // 2011-01-01 .. 2015-12-31
// Mostly random amounts; some tiny or equal ones, so the share rule meets ties and 0.0 shares.
const amountArb = fc.option(fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 300_000_000 }) }, { weight: 1, arbitrary: fc.constantFrom(1, 2, 100_000_00, 333_333_33) }), { freq: 5 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constant('open' as const), county: fc.nat(2), on: dayArb, odd: oddArb }) },
  // Closing and renaming from a day after the opening (mid-year mostly: a centre open part of a year).
  { weight: 1, arbitrary: fc.record({ t: fc.constant('close' as const), c: fc.nat(), after: fc.integer({ min: 0, max: 1200 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('rename' as const), c: fc.nat(), after: fc.integer({ min: 0, max: 1200 }) }) },
  { weight: 10, arbitrary: fc.record({ t: fc.constant('record' as const), c: fc.nat(), year: fc.integer({ min: 2012, max: 2014 }), kind: fc.constantFrom(...MONEY_KINDS), party: fc.nat(4), amount: amountArb, odd: oddArb }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('reverse' as const), e: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant('correct' as const), e: fc.nat(), amount: fc.option(amountArb, { nil: undefined }), year: fc.option(fc.integer({ min: 2012, max: 2014 }), { nil: undefined }), party: fc.option(fc.nat(4), { nil: undefined }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ t: fc.constant('start' as const), c: fc.nat(), on: dayArb, fte: fc.integer({ min: 1, max: 1000 }), employer: fc.constantFrom(...EMPLOYER_KINDS), payer: fc.option(fc.nat(4)), cost: fc.option(fc.integer({ min: 1, max: 90_000_000 })), odd: oddArb }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('change' as const), p: fc.nat(), after: fc.integer({ min: 0, max: 800 }), fte: fc.integer({ min: 1, max: 1000 }), payer: fc.option(fc.nat(4)), cost: fc.option(fc.integer({ min: 1, max: 90_000_000 })) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('end' as const), p: fc.nat(), after: fc.integer({ min: 0, max: 900 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('budget' as const), county: fc.nat(2), year: fc.integer({ min: 2012, max: 2014 }), mask: fc.nat(15), amount: fc.option(fc.integer({ min: 1, max: 300_000_000 }), { freq: 5 }), party: fc.nat(4), kind: fc.constantFrom(...MONEY_KINDS), on: dayArb }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('agreement' as const), c: fc.nat(), shareBp: fc.integer({ min: 0, max: 10_000 }), on: dayArb }) },
);
const opsArb = fc.array(opArb, { minLength: 1, maxLength: 100, size: 'max' });

interface Step {
  stream: string;
  events: { eventId: string; type: string; data: Record<string, unknown> }[];
}

/** Runs the ops through the real deciders; refused commands record nothing. */
const generate = (ops: Op[]): Step[] => {
  const out: Step[] = [];
  let n = 0;
  const push = (stream: string, events: { type: string; data: object }[]) => {
    if (events.length) out.push({ stream, events: events.map((e) => ({ eventId: `e-${n++}`, type: e.type, data: e.data as Record<string, unknown> })) });
  };
  for (const c of COUNTIES) {
    push(`county-${c.id}`, [{ type: 'CountyRegistered', data: { countyId: c.id, name: c.id, countyNumber: c.number } }]);
    for (let i = 0; i < PARTY_SPECS.length; i++) {
      const p = PARTIES.get(partyIdOf(c.id, i))!;
      push(`party-${p.partyId}`, [{ type: 'PartyRegistered', data: { partyId: p.partyId, name: p.name, kind: p.kind, countyId: p.countyId, organisationNumber: null } }]);
    }
  }
  const centres: { id: string; county: string; state: CentreRecord }[] = [];
  const entries = new Map<string, MoneyEntryState>(); // by root id
  const entryIds: string[] = [];
  const positions: { id: string; centre: string; state: StaffPositionState }[] = [];
  let budgets = 0;
  const usedIds = { centres: new Set<string>(), entries: new Set<string>(), positions: new Set<string>() };
  let agreements = 0;
  const ctx = testContext();
  const tryDecide = <T>(f: () => T): T | null => {
    try {
      return f();
    } catch (e) {
      if (e instanceof DomainError) return null;
      throw e;
    }
  };
  const centreAt = (i: number) => (centres.length ? centres[i % centres.length] : undefined);
  const moneyDecide = (entryId: string, cmd: MoneyEntryCommand) => {
    const root = rootEntryId(entryId);
    const state = entries.get(root) ?? moneyEntryDecider.initialState();
    const evs = tryDecide(() => moneyEntryDecider.decide(cmd, state, ctx));
    if (!evs) return;
    entries.set(root, evs.reduce(moneyEntryDecider.evolve, state));
    for (const e of evs) if (e.type !== 'EntryReversed') entryIds.push((e.data as { entryId: string }).entryId);
    push(entryStream(root), evs);
  };
  const positionDecide = (p: { id: string; state: StaffPositionState }, cmd: StaffPositionCommand) => {
    const evs = tryDecide(() => staffPositionDecider.decide(cmd, p.state, ctx));
    if (!evs) return;
    p.state = evs.reduce(staffPositionDecider.evolve, p.state);
    push(positionStream(p.id), evs);
  };
  for (const o of ops) {
    switch (o.t) {
      case 'open': {
        const county = COUNTIES[o.county].id;
        const id = idOf('kc', centres.length, o.odd, usedIds.centres);
        const state = centreDecider.initialState();
        const evs = centreDecider.decide({ type: 'RegisterCentre', data: { centreId: id, countyId: county, name: `Karrieresenter ${id}`, municipality: 'Skien', openedOn: dateOf(o.on) }, county: { status: 'registered' } as never }, state, ctx);
        centres.push({ id, county, state: evs.reduce(centreDecider.evolve, state) });
        push(`centre-${id}`, evs);
        break;
      }
      case 'close':
      case 'rename': {
        const c = centreAt(o.c);
        if (!c) break;
        if (c.state.status === 'unregistered') break;
        const on = addDays(c.state.openedOn, o.after);
        const cmd = o.t === 'close' ? { type: 'CloseCentre' as const, data: { centreId: c.id, closedOn: on, reason: 'nedlagt' } } : { type: 'RenameCentre' as const, data: { centreId: c.id, name: `Nytt navn ${n}`, effectiveFrom: on } };
        const evs = tryDecide(() => centreDecider.decide(cmd, c.state, ctx));
        if (!evs) break;
        c.state = evs.reduce(centreDecider.evolve, c.state);
        push(`centre-${c.id}`, evs);
        break;
      }
      case 'record': {
        const c = centreAt(o.c);
        if (!c) break;
        const entryId = idOf('en', n++, o.odd, usedIds.entries);
        const partyId = partyIdOf(c.county, o.party);
        const inKind = o.kind === 'in-kind';
        moneyDecide(entryId, {
          type: 'RecordEntry',
          kind: o.kind,
          centre: c.state as never,
          party: partyState(partyId),
          input: {
            entryId,
            centreId: c.id,
            fiscalYear: o.year,
            partyId,
            amount: inKind ? undefined : ore(o.amount),
            estimatedValue: inKind ? ore(o.amount) : undefined,
            decidedOn: `${o.year}-02-0${(n % 9) + 1}`,
            reference: 'vedtak',
            note: 'æøå',
            purpose: 'prosjekt',
            contractReference: 'NAV-1',
            period: { from: `${o.year}-01-01`, to: null },
            incomeKind: 'course-fees',
            inKindKind: 'premises',
          },
        });
        break;
      }
      case 'reverse':
      case 'correct': {
        if (!entryIds.length) break;
        const entryId = entryIds[o.e % entryIds.length];
        const state = entries.get(rootEntryId(entryId))! as Extract<MoneyEntryState, { status: 'recorded' }>;
        const entry = state.entries[entryId];
        const c = centres.find((x) => x.id === entry.data.centreId)!;
        if (o.t === 'reverse') {
          moneyDecide(entryId, { type: 'ReverseEntry', data: { entryId, centreId: c.id, reason: 'feilføring' }, centre: c.state as never });
        } else {
          const partyId = o.party === undefined ? undefined : partyIdOf(c.county, o.party);
          const amount = o.amount === undefined ? undefined : ore(o.amount);
          const changes = entry.kind === 'in-kind' ? { estimatedValue: amount, fiscalYear: o.year, partyId } : { amount, fiscalYear: o.year, partyId };
          moneyDecide(entryId, { type: 'CorrectEntry', data: { entryId, centreId: c.id, reason: 'feil beløp', changes }, centre: c.state as never, party: partyId === undefined ? null : partyState(partyId) });
        }
        break;
      }
      case 'start': {
        const c = centreAt(o.c);
        if (!c) break;
        const p = { id: idOf('pos', positions.length, o.odd, usedIds.positions), centre: c.id, state: staffPositionDecider.initialState() };
        const payerId = o.payer === null ? null : partyIdOf(c.county, o.payer);
        const before = p.state;
        positionDecide(p, {
          type: 'StartStaffPosition',
          data: { positionId: p.id, centreId: c.id, title: 'Rådgiver', employerKind: o.employer, employerPartyId: null, fte: (o.fte / 1000).toFixed(3), payer: payerId === null ? { kind: 'centre' } : { kind: 'party', partyId: payerId }, annualCost: ore(o.cost), startedOn: dateOf(o.on) },
          centre: c.state as never,
          employerParty: null,
          payerParty: payerId === null ? null : partyState(payerId),
        });
        if (p.state !== before) positions.push(p);
        break;
      }
      case 'change':
      case 'end': {
        if (!positions.length) break;
        const p = positions[o.p % positions.length];
        const c = centres.find((x) => x.id === p.centre)!;
        const s = p.state as Extract<StaffPositionState, { status: 'active' | 'ended' }>;
        const from = addDays(s.terms[s.terms.length - 1].from, o.after);
        if (o.t === 'end') {
          positionDecide(p, { type: 'EndStaffPosition', data: { positionId: p.id, centreId: c.id, endedOn: from }, centre: c.state as never });
        } else {
          const payerId = o.payer === null ? null : partyIdOf(c.county, o.payer);
          positionDecide(p, {
            type: 'ChangeStaffPosition',
            data: { positionId: p.id, centreId: c.id, effectiveFrom: from, fte: (o.fte / 1000).toFixed(3), payer: payerId === null ? { kind: 'centre' } : { kind: 'party', partyId: payerId }, annualCost: ore(o.cost) },
            centre: c.state as never,
            payerParty: payerId === null ? null : partyState(payerId),
          });
        }
        break;
      }
      case 'budget': {
        const county = COUNTIES[o.county].id;
        const mine = centres.filter((c) => c.county === county);
        if (!mine.length) break;
        const picked = mine.filter((_, i) => (o.mask >> i) & 1);
        const chosen = picked.length ? picked : mine;
        push(`county-line-${county}`, [
          {
            type: 'CountyLineDecisionRecorded',
            data: { decisionId: `d${budgets++}`, countyId: county, centreIds: chosen.map((c) => c.id), kind: 'budget', year: o.year, title: 'Budsjett', content: { lines: [{ partyId: partyIdOf(county, o.party), moneyKind: o.kind, amountOre: o.amount }] }, decidedOn: dateOf(o.on), decidedBy: 'fylkestinget', outcome: 'adopted', governedBy: 'county-line' },
          },
        ]);
        break;
      }
      case 'agreement': {
        const c = centreAt(o.c);
        if (!c || c.state.status !== 'open') break;
        const parties = [{ partyId: partyIdOf(c.county, 0), shareBp: o.shareBp }, { partyId: partyIdOf(c.county, 3), shareBp: 10_000 - o.shareBp }];
        push(`owner-agreement-${c.id}-a${agreements}`, [{ type: 'OwnerAgreementRegistered', data: { agreementId: `a${agreements++}`, centreId: c.id, countyId: c.county, parties, period: { from: dateOf(o.on), to: null }, signedOn: dateOf(o.on) } }]);
        break;
      }
    }
  }
  return out;
};

/** The steps as recorded events (positions 1, 2, …), for a pure fold. */
const asRecorded = (steps: Step[]): RecordedEvent[] => {
  const out: RecordedEvent[] = [];
  for (const s of steps)
    for (const e of s.events)
      out.push({ eventId: e.eventId, streamId: s.stream, revision: 0, position: out.length + 1, type: e.type, schemaVersion: 1, data: e.data, metadata: { actorId: 't', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null }, recordedAt: '2026-01-01T00:00:00.000Z', prevHash: null, hash: '' });
  return out;
};

const viewOf = (ops: Op[]): { view: FundingView; events: RecordedEvent[] } => {
  const events = asRecorded(generate(ops));
  return { view: foldEvents(fundingProjection, events), events };
};

// ---------------------------------------------------------------------------------------------
// Helpers over the answers
// ---------------------------------------------------------------------------------------------

const amountFields = (a: { amount: string | null; amountOre: number; entries: number; unreportedEntries: number }) => ({ amount: a.amount, amountOre: a.amountOre, entries: a.entries, unreportedEntries: a.unreportedEntries });
const sumAmounts = (list: { amountOre: number; entries: number; unreportedEntries: number }[]) => {
  const t = { amountOre: 0, entries: 0, unreportedEntries: 0 };
  for (const a of list) {
    t.amountOre += a.amountOre;
    t.entries += a.entries;
    t.unreportedEntries += a.unreportedEntries;
  }
  return { amount: t.entries > 0 && t.unreportedEntries === t.entries ? null : formatOre(t.amountOre), ...t };
};
const tenths = (s: string | null) => (s === null ? 0 : Math.round(Number(s) * 10));

/** Every funding answer the ledger gives, for every year. */
const allAnswerObjects = (view: FundingView): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const y of YEARS) {
    out[`country/${y}`] = countryFundingMix(view, y);
    for (const c of COUNTIES) out[`county/${c.id}/${y}`] = countyFundingMix(view, c.id, y);
    for (const id of Object.keys(view.centres)) {
      out[`centre/${id}/${y}`] = centreFundingMix(view, id, y);
      out[`positions/${id}/${y}`] = centreStaffPositions(view, id, y);
    }
    out[`kf/${y}`] = keyFigures(view, y);
    out[`kfcsv/${y}`] = keyFiguresCsv(keyFigures(view, y));
    out[`cost-share/${y}`] = costShareCompliance(view, y);
  }
  return out;
};

/** Every answer as its own canonical JSON text, keyed by what it answers (an answer that throws says which view it was asked of). */
const answersOf = (view: FundingView, label = 'view'): Record<string, string> => {
  try {
    return Object.fromEntries(Object.entries(allAnswerObjects(view)).map(([k, v]) => [k, canonicalJson(v)]));
  } catch (e) {
    throw new Error(`answering from the ${label} threw: ${String(e)}`);
  }
};
/** Byte-identical answers; on a difference, the first answer that differs is shown as a diff. */
const expectSameAnswers = (label: string, got: Record<string, string>, want: Record<string, string>) => {
  expect({ label, keys: Object.keys(got) }).toEqual({ label, keys: Object.keys(want) });
  const key = Object.keys(want).find((k) => got[k] !== want[k]);
  if (key !== undefined) expect({ label, key, answer: JSON.parse(got[key]) }).toEqual({ label, key, answer: JSON.parse(want[key]) });
  if (key !== undefined) expect({ label, key, text: got[key] }).toEqual({ label, key, text: want[key] });
};

/** P6: the same events folded in one go, in chunks across engine restarts, by a live engine, and as of a position. */
const checkFoldedInChunks = async (ops: Op[], cutFractions: number[], historyEvery: number, asOfFraction: number): Promise<void> => {
  const steps = generate(ops);
  const clock = steppingClock('2013-01-01T00:00:00.000Z');
  const store = new MemoryEventStore(clock.clock);
  const snapshots = new MemorySnapshotStore();
  const live = new ProjectionEngine(store, ALL_PROJECTIONS, null, { historyEvery });
  await live.start();
  const cuts = [...new Set(cutFractions.map((f) => Math.floor(f * steps.length)))].sort((a, b) => a - b);
  cuts.push(steps.length);
  let from = 0;
  let restarted: ProjectionEngine | null = null;
  let meta = 0;
  const append = (stream: string, events: Step['events']) => {
    clock.advance(3_600_000);
    return store.append(stream, events.map((e) => ({ ...e, schemaVersion: 1, metadata: { actorId: 'a', actorRole: 'finance-officer', correlationId: `c${meta++}`, causationId: null, idempotencyKey: null } })), 'any');
  };
  try {
    for (const to of cuts) {
      for (const s of steps.slice(from, to)) await append(s.stream, s.events);
      from = to;
      const head = await store.headPosition();
      // The live engine answers between chunks (its per-centre pieces are cached across writes).
      await live.caughtUp(head);
      answersOf(live.view<FundingView>(FUNDING_VIEW), 'live engine');
      // A restart from the stored checkpoint, then the new chunk folded on top.
      await restarted?.stop();
      restarted = new ProjectionEngine(store, ALL_PROJECTIONS, snapshots, { historyEvery });
      await restarted.start();
      await restarted.caughtUp(head);
      answersOf(restarted.view<FundingView>(FUNDING_VIEW), 'restarted engine');
    }
    const all = await store.readAll({ maxCount: 100_000 });
    const head = await store.headPosition();
    const once = answersOf(foldEvents(fundingProjection, all));
    expectSameAnswers('restarted engine', answersOf(restarted!.view<FundingView>(FUNDING_VIEW), 'restarted engine'), once);
    expectSameAnswers('live engine', answersOf(live.view<FundingView>(FUNDING_VIEW), 'live engine'), once);
    // As of a position: from the nearest history snapshot, folded forward.
    const at = Math.floor(asOfFraction * head);
    expectSameAnswers(`as of ${at}`, answersOf(await restarted!.viewAt<FundingView>(FUNDING_VIEW, at), `as-of view at position ${at}`), answersOf(foldEvents(fundingProjection, all.filter((e) => e.position <= at))));
    // As of the last position, once the log has moved on (one event no view folds), from a fresh engine.
    await restarted!.stop();
    await append('noise', [{ eventId: 'noise-1', type: 'NoiseRecorded', data: {} }]);
    restarted = new ProjectionEngine(store, ALL_PROJECTIONS, snapshots, { historyEvery });
    await restarted.start();
    await restarted.caughtUp(head + 1);
    expectSameAnswers(`as of ${head} (last)`, answersOf(await restarted.viewAt<FundingView>(FUNDING_VIEW, head), `as-of view at the last position ${head}`), once);
  } finally {
    await live.stop();
    await restarted?.stop();
  }
};

/**
 * P6's smallest counterexample: centre "constructor" (an id ID_PATTERN accepts) with a position from
 * 2011-01-01, centre kc1 with one from 2012-01-01; as of a position after both (from a snapshot),
 * "constructor"'s staff for 2012 is Object.prototype.constructor instead of nothing, and every
 * answer that added its staff threw (NaN staff-years), until lazy-parts read year parts by own
 * property only. Kept as a pinned example.
 */
const CONSTRUCTOR_CENTRE_AS_OF: Op[] = [
  { t: 'open', county: 0, on: 0, odd: 0 },
  { t: 'start', c: 0, on: 0, fte: 1, employer: 'centre', payer: null, cost: null, odd: null },
  { t: 'open', county: 0, on: 0, odd: null },
  { t: 'start', c: 1, on: 365, fte: 1, employer: 'centre', payer: null, cost: null, odd: null },
];

// Fixed seed (fast-check prints seed and path on failure). FC_SEED / FC_RUNS_SCALE explore further without editing.
const SCALE = Number(process.env.FC_RUNS_SCALE ?? 1);
const RUNS = { p1p2: Math.round(150 * SCALE), p3: Math.round(150 * SCALE), p4p5: Math.round(150 * SCALE), p6: Math.round(60 * SCALE) };
const SEED = Number(process.env.FC_SEED ?? 20140509);

// ---------------------------------------------------------------------------------------------

describe('funding answers agree with each other on random ledgers (fast-check)', () => {
  it('P1/P2: a county mix is the sum of its centres; the country mix is the sum of its counties', () => {
    fc.assert(
      fc.property(opsArb, (ops) => {
        const { view } = viewOf(ops);
        for (const year of YEARS) {
          const country = countryFundingMix(view, year);
          const countyMixes = [...COUNTIES].sort((a, b) => (a.number < b.number ? -1 : 1)).map((c) => countyFundingMix(view, c.id, year)!);
          for (const mix of countyMixes) {
            const parts = mix.parts!;
            expect({ year, county: mix.scope.id, ids: parts.map((p) => p.id) }).toEqual({ year, county: mix.scope.id, ids: mix.centreIds });
            // P1: total = Σ parts = Σ centre mixes of the centres it counts
            expect({ year, county: mix.scope.id, total: amountFields(mix.total) }).toEqual({ year, county: mix.scope.id, total: sumAmounts(parts.map((p) => p.total)) });
            const centreMixes = mix.centreIds.map((id) => centreFundingMix(view, id, year)!);
            expect({ year, county: mix.scope.id, total: amountFields(mix.total) }).toEqual({ year, county: mix.scope.id, total: sumAmounts(centreMixes.map((m) => m.total)) });
            parts.forEach((p, i) => expect({ year, centre: p.id, total: amountFields(p.total) }).toEqual({ year, centre: p.id, total: amountFields(centreMixes[i].total) }));
            expect(mix.total.complete).toBe(mix.total.unreportedEntries === 0);
            expect(mix.unreported.length).toBe(mix.total.unreportedEntries);
            // the staff of a county is the staff of its centres, summed exactly
            expect(mix.staff.staffYearsExact.fteDays).toBe(centreMixes.reduce((s, m) => s + m.staff.staffYearsExact.fteDays, 0));
          }
          // P2: country total = Σ county mixes; parts = the county totals (county-number order)
          expect({ year, ids: country.parts!.map((p) => p.id) }).toEqual({ year, ids: countyMixes.map((m) => m.scope.id) });
          expect({ year, total: amountFields(country.total) }).toEqual({ year, total: sumAmounts(countyMixes.map((m) => m.total)) });
          expect({ year, total: amountFields(country.total) }).toEqual({ year, total: sumAmounts(country.parts!.map((p) => p.total)) });
          country.parts!.forEach((p, i) => expect({ year, county: p.id, total: amountFields(p.total) }).toEqual({ year, county: p.id, total: amountFields(countyMixes[i].total) }));
          expect(country.centreIds).toEqual(countyMixes.flatMap((m) => m.centreIds));
          expect(country.staff.staffYearsExact.fteDays).toBe(countyMixes.reduce((s, m) => s + m.staff.staffYearsExact.fteDays, 0));
        }
      }),
      { numRuns: RUNS.p1p2, seed: SEED },
    );
  });

  it('P3: key figures (money rows, indicators, "ikke oppgitt", staff-years, staff paid directly) equal the county mix', () => {
    fc.assert(
      fc.property(opsArb, (ops) => {
        const { view } = viewOf(ops);
        for (const year of YEARS) {
          const kf = keyFigures(view, year);
          for (const c of COUNTIES) {
            const mix = countyFundingMix(view, c.id, year)!;
            const col = kf.counties.find((x) => x.countyId === c.id);
            // a column for every county with a centre that year, and only those
            expect({ year, county: c.id, hasColumn: col !== undefined }).toEqual({ year, county: c.id, hasColumn: mix.centreIds.length > 0 });
            if (!col) continue;
            expect(col.centreIds).toEqual(mix.centreIds);
            const centreMixes = mix.centreIds.map((id) => centreFundingMix(view, id, year)!);
            const kindOfParty = (m: FundingMix) => new Map(m.byParty.map((p) => [p.partyId, p.partyKind]));
            for (const row of MONEY_ROWS) {
              const linesOf = (m: FundingMix) => {
                const kinds = kindOfParty(m);
                return m.byPartyAndKind.filter((l) => l.kind === row.kind && (row.partyKind === null || kinds.get(l.partyId) === row.partyKind));
              };
              const sum = sumAmounts(linesOf(mix));
              // The key figures say null when no amount was reported at all, none of that money included (key-figures.ts MoneyFigure.amount).
              const want = { ...sum, amount: sum.entries === 0 ? null : sum.amount };
              const withIt = centreMixes.filter((m) => linesOf(m).some((l) => l.entries > 0)).length;
              const f = col.money[row.key];
              const got = { year, county: c.id, row: row.key, indicator: f.indicator, centresWith: f.centresWith, ...amountFields(f) };
              expect(got).toEqual({ year, county: c.id, row: row.key, indicator: indicatorOf(withIt, mix.centreIds.length), centresWith: withIt, ...want });
              expect(f.indicator).toBe(want.entries === 0 ? '-' : withIt === mix.centreIds.length ? 'Ja' : 'Varierer');
              const text = want.entries === 0 ? '' : want.amount === null ? NOT_REPORTED_NB : want.unreportedEntries > 0 ? `${want.amount} + ${NOT_REPORTED_NB}` : want.amount;
              expect({ year, county: c.id, row: row.key, text: moneyTotalText(f) }).toEqual({ year, county: c.id, row: row.key, text });
            }
            expect({ year, county: c.id, staffYears: col.staffYears, exact: col.staffYearsExact }).toEqual({ year, county: c.id, staffYears: mix.staff.staffYears, exact: mix.staff.staffYearsExact });
            for (const row of STAFF_PAID_ROWS) {
              const paid = (m: FundingMix) => m.staff.paidDirectly.filter((p) => p.partyKind === row.partyKind);
              const fteDays = paid(mix).reduce((s, p) => s + p.staffYearsExact.fteDays, 0);
              const withIt = centreMixes.filter((m) => paid(m).length > 0).length;
              const f = col.staffPaidDirectly[row.key];
              expect({ year, county: c.id, row: row.key, ...f }).toEqual({ year, county: c.id, row: row.key, indicator: indicatorOf(withIt, mix.centreIds.length), centresWith: withIt, staffYears: withIt === 0 ? null : formatStaffYears(fteDays, year), fteDays });
            }
          }
        }
      }),
      { numRuns: RUNS.p3, seed: SEED },
    );
  });

  it('P4/P5: shares add up to exactly 100.0 and are null where nothing is reported; in-kind never counts as money', () => {
    fc.assert(
      fc.property(opsArb, (ops) => {
        const { view, events } = viewOf(ops);
        // An independent model: the live entries, by applying entries and reversals as they come.
        const live = new Map<string, { centreId: string; year: number; kind: MoneyKind; value: number | null }>();
        for (const e of events) {
          const d = e.data as any;
          if (e.type === 'EntryReversed') live.delete(d.reversedEntryId);
          else if (e.type.endsWith('Recorded') && e.type !== 'CountyLineDecisionRecorded') {
            const kind = MONEY_KINDS.find((k) => ({ 'operating-grant': 'OperatingGrantRecorded', earmarked: 'EarmarkedFundsRecorded', tender: 'TenderAwardRecorded', 'other-income': 'OtherIncomeRecorded', 'in-kind': 'InKindContributionRecorded' })[k] === e.type)!;
            live.set(d.entryId, { centreId: d.centreId, year: d.fiscalYear, kind, value: kind === 'in-kind' ? d.estimatedValueOre : d.amountOre });
          }
        }
        for (const year of YEARS) {
          const mixes: FundingMix[] = [countryFundingMix(view, year), ...COUNTIES.map((c) => countyFundingMix(view, c.id, year)!), ...Object.keys(view.centres).map((id) => centreFundingMix(view, id, year)!)];
          for (const mix of mixes) {
            const where = { year, scope: `${mix.scope.level}:${mix.scope.id}` };
            // P4
            const reported = mix.byParty.reduce((s, p) => s + p.amountOre, 0);
            expect({ ...where, reported }).toEqual({ ...where, reported: mix.total.amountOre });
            if (mix.total.amountOre > 0) {
              expect({ ...where, byParty: mix.byParty.reduce((s, p) => s + tenths(p.sharePercent), 0) }).toEqual({ ...where, byParty: 1000 });
              expect({ ...where, byKind: mix.byKind.reduce((s, k) => s + tenths(k.sharePercent), 0) }).toEqual({ ...where, byKind: 1000 });
            }
            for (const line of [...mix.byParty.map((p) => ({ id: p.partyId, ...p })), ...mix.byKind.map((k) => ({ id: k.kind, ...k }))]) {
              expect({ ...where, line: line.id, hasShare: line.sharePercent !== null }).toEqual({ ...where, line: line.id, hasShare: line.amountOre > 0 });
              expect({ ...where, line: line.id, amount: line.amount === null }).toEqual({ ...where, line: line.id, amount: line.entries > 0 && line.unreportedEntries === line.entries });
            }
            // P5: in-kind is listed apart, never in money
            expect(mix.byKind.some((k) => k.kind === 'in-kind')).toBe(false);
            expect(mix.byPartyAndKind.some((k) => k.kind === 'in-kind')).toBe(false);
            expect(mix.unreported.some((u) => u.kind === 'in-kind')).toBe(false);
            expect(amountFields(mix.total)).toEqual(sumAmounts(mix.byKind));
            expect(amountFields(mix.total)).toEqual(sumAmounts(mix.byPartyAndKind));
            const counted = new Set(mix.centreIds);
            const mine = [...live.values()].filter((e) => e.year === year && counted.has(e.centreId));
            const cash = mine.filter((e) => CASH_KINDS.includes(e.kind));
            const inKind = mine.filter((e) => e.kind === 'in-kind');
            expect({ ...where, ore: mix.total.amountOre, n: mix.total.entries, u: mix.total.unreportedEntries }).toEqual({ ...where, ore: cash.reduce((s, e) => s + (e.value ?? 0), 0), n: cash.length, u: cash.filter((e) => e.value === null).length });
            expect({ ...where, ore: mix.inKind.reduce((s, l) => s + l.estimatedValueOre, 0), n: mix.inKind.reduce((s, l) => s + l.entries, 0), u: mix.inKind.reduce((s, l) => s + l.unvaluedEntries, 0) }).toEqual({
              ...where,
              ore: inKind.reduce((s, e) => s + (e.value ?? 0), 0),
              n: inKind.length,
              u: inKind.filter((e) => e.value === null).length,
            });
          }
          // cost shares: money excludes in-kind too
          for (const a of costShareCompliance(view, year)) {
            for (const p of a.parties) {
              const m = centreFundingMix(view, a.centreId, year)!;
              const line = m.byParty.find((l) => l.partyId === p.partyId);
              expect({ year, agreement: a.agreementId, party: p.partyId, money: p.money }).toEqual({ year, agreement: a.agreementId, party: p.partyId, money: formatOre(line?.amountOre ?? 0) });
            }
            if (a.parties.some((p) => p.actualSharePercent !== null)) expect(a.parties.reduce((s, p) => s + tenths(p.actualSharePercent), 0)).toBe(1000);
          }
        }
      }),
      { numRuns: RUNS.p4p5, seed: SEED },
    );
  });

  it('P6: one fold = chunks with engine restarts = a live engine = as-of, byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(opsArb, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 2, max: 9 }), fc.double({ min: 0, max: 1, noNaN: true }), checkFoldedInChunks),
      // The smallest counterexample fast-check found (seeds 1 and 2, 5 × the runs), run first: see CONSTRUCTOR_CENTRE_AS_OF.
      { numRuns: RUNS.p6, seed: SEED, examples: [[CONSTRUCTOR_CENTRE_AS_OF, [1], 2, 0.96]] },
    );
  });
});
