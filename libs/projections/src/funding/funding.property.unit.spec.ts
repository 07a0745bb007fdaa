import fc from 'fast-check';
import { CentreState } from '../../../domain/src/counties/centre';
import { EntryInput, MONEY_KINDS, MoneyEntryCommand, moneyEntryDecider, MoneyEntryEvent, MoneyEntryState, MoneyKind, rootEntryId } from '../../../domain/src/funding/money-entry';
import { PositionTerms } from '../../../domain/src/funding/staff-position';
import { DomainError } from '../../../domain/src/shared';
import { addDays, dayNumber } from '../../../domain/src/shared/dates';
import { testContext } from '../../../domain/src/shared/decider-spec';
import { foldEvents } from '../projection';
import { CASH_KINDS, countyFundingMix, fundingMixOf } from './funding-mix';
import { fundingProjection } from './funding-view';
import { keyFigures } from './key-figures';
import { personsOnDecember31, staffOfYear } from './staff-years';
import { recorded } from './test-events';

const COUNTIES = { a: ['a1', 'a2', 'a3'], b: ['b1'] } as const;
const CENTRES = ['a1', 'a2', 'a3', 'b1'];
const PARTIES = [
  { partyId: 'fk', kind: 'county-authority' },
  { partyId: 'nav', kind: 'nav-county-office' },
  { partyId: 'kom', kind: 'municipality' },
];
const countyOf = (c: string) => (c.startsWith('a') ? 'a' : 'b');
const centreState = (centreId: string): CentreState => ({ status: 'open', centreId, countyId: countyOf(centreId), name: centreId, municipality: 'm', openedOn: '2000-01-01' });

const directory = [
  { type: 'CountyRegistered', data: { countyId: 'a', name: 'A', countyNumber: '01' } },
  { type: 'CountyRegistered', data: { countyId: 'b', name: 'B', countyNumber: '02' } },
  ...CENTRES.map((c) => ({ type: 'CentreRegistered', data: { centreId: c, countyId: countyOf(c), name: c, municipality: 'm', openedOn: '2000-01-01' } })),
  ...PARTIES.map((p) => ({ type: 'PartyRegistered', data: { ...p, name: p.partyId, countyId: null, organisationNumber: null } })),
];

type Op =
  | { op: 'record'; centre: string; year: number; party: number; kind: MoneyKind; amount: number | null }
  | { op: 'reverse'; pick: number }
  | { op: 'correct'; pick: number; amount: number | null; year: number };

const amountArb = fc.option(fc.integer({ min: 1, max: 5_000_000_00 }), { freq: 5 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('record' as const), centre: fc.constantFrom(...CENTRES), year: fc.integer({ min: 2012, max: 2014 }), party: fc.nat(2), kind: fc.constantFrom(...MONEY_KINDS), amount: amountArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('reverse' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('correct' as const), pick: fc.nat(), amount: amountArb, year: fc.integer({ min: 2012, max: 2014 }) }) },
);

const ore = (n: number | null) => (n === null ? null : `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`);

/** Runs the ops through the real decider; returns every event and an independent list of live entries. */
const run = (ops: Op[]) => {
  const streams = new Map<string, MoneyEntryState>();
  const events: MoneyEntryEvent[] = [];
  const ids: string[] = [];
  const live = new Map<string, { centre: string; year: number; party: string; kind: MoneyKind; amount: number | null }>();
  const known = new Map<string, { centre: string; year: number; party: string; kind: MoneyKind; amount: number | null }>();
  let n = 0;
  const decide = (id: string, cmd: MoneyEntryCommand): MoneyEntryEvent[] => {
    const root = rootEntryId(id);
    const state = streams.get(root) ?? moneyEntryDecider.initialState();
    const out = moneyEntryDecider.decide(cmd, state, testContext());
    streams.set(root, out.reduce(moneyEntryDecider.evolve, state));
    events.push(...out);
    return out;
  };
  for (const o of ops) {
    try {
      if (o.op === 'record') {
        const id = `e${++n}`;
        const party = PARTIES[o.party].partyId;
        const input: EntryInput = { entryId: id, centreId: o.centre, fiscalYear: o.year, partyId: party, amount: o.kind === 'in-kind' ? undefined : ore(o.amount), decidedOn: `${o.year}-01-15`, purpose: 'p', contractReference: 'c', period: { from: `${o.year}-01-01`, to: null }, incomeKind: 'sales', inKindKind: 'it', estimatedValue: o.kind === 'in-kind' ? ore(o.amount) : undefined };
        decide(id, { type: 'RecordEntry', kind: o.kind, input, centre: centreState(o.centre), party: { status: 'registered', partyId: party, name: party, kind: PARTIES[o.party].kind as any, countyId: null, organisationNumber: null } });
        ids.push(id);
        live.set(id, { centre: o.centre, year: o.year, party, kind: o.kind, amount: o.amount });
        known.set(id, live.get(id)!);
      } else if (ids.length) {
        const id = ids[o.pick % ids.length];
        const entry = known.get(id)!;
        const centre = entry.centre;
        if (o.op === 'reverse') {
          decide(id, { type: 'ReverseEntry', data: { entryId: id, centreId: centre, reason: 'r' }, centre: centreState(centre) });
          live.delete(id);
        } else {
          const changes = entry.kind === 'in-kind' ? { estimatedValue: ore(o.amount), fiscalYear: o.year } : { amount: ore(o.amount), fiscalYear: o.year };
          const out = decide(id, { type: 'CorrectEntry', data: { entryId: id, centreId: centre, reason: 'r', changes }, centre: centreState(centre), party: null });
          const newId = (out[1].data as { entryId: string }).entryId;
          live.delete(id);
          ids.push(newId);
          live.set(newId, { ...entry, amount: o.amount, year: o.year });
          known.set(newId, live.get(newId)!);
        }
      }
    } catch (e) {
      // Refusals (already reversed, correction that changes nothing) record nothing; the model agrees.
      if (!(e instanceof DomainError)) throw e;
      if (!['ENTRY.ALREADY_REVERSED', 'ENTRY.CORRECTION_CHANGES_NOTHING'].includes(e.code)) throw e;
    }
  }
  return { events, live };
};

const shareTenths = (s: string | null) => (s === null ? 0 : Math.round(Number(s) * 10));

describe('funding mix properties (fast-check)', () => {
  it('for random entries, reversals and corrections: the mix equals an independent sum over live entries; shares add to exactly 100.0 %; a county is the sum of its centres', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 60 }), (ops) => {
        const { events, live } = run(ops);
        const view = foldEvents(fundingProjection, recorded([...directory, ...events]));
        for (const year of [2012, 2013, 2014]) {
          for (const centre of CENTRES) {
            const mix = fundingMixOf(view, year, [centre], { level: 'centre', id: centre, name: centre });
            const mine = [...live.entries()].filter(([, e]) => e.centre === centre && e.year === year);
            // independent: Σ by party and kind over live entries
            for (const kind of MONEY_KINDS) {
              for (const p of PARTIES) {
                const es = mine.filter(([, e]) => e.kind === kind && e.party === p.partyId);
                const sum = es.reduce((s, [, e]) => s + (e.amount ?? 0), 0);
                const unreported = es.filter(([, e]) => e.amount === null).length;
                if (kind === 'in-kind') {
                  const line = mix.inKind.find((l) => l.partyId === p.partyId);
                  expect(line ? [line.estimatedValueOre, line.entries, line.unvaluedEntries] : [0, 0, 0]).toEqual([sum, es.length, unreported]);
                } else {
                  const line = mix.byPartyAndKind.find((l) => l.partyId === p.partyId && l.kind === kind);
                  expect(line ? [line.amountOre, line.entries, line.unreportedEntries] : [0, 0, 0]).toEqual([sum, es.length, unreported]);
                  if (line) expect(line.amount).toBe(es.length === unreported ? null : ore(sum));
                }
              }
            }
            const cash = mine.filter(([, e]) => CASH_KINDS.includes(e.kind));
            expect(mix.total.amountOre).toBe(cash.reduce((s, [, e]) => s + (e.amount ?? 0), 0));
            expect(mix.unreported.map((u) => u.entryId).sort()).toEqual(cash.filter(([, e]) => e.amount === null).map(([id]) => id).sort());
            if (mix.total.amountOre > 0) {
              expect(mix.byParty.reduce((s, p) => s + shareTenths(p.sharePercent), 0)).toBe(1000);
              expect(mix.byKind.reduce((s, k) => s + shareTenths(k.sharePercent), 0)).toBe(1000);
            } else {
              expect(mix.byParty.every((p) => p.sharePercent === null)).toBe(true);
            }
          }
          for (const [county, centres] of Object.entries(COUNTIES)) {
            const cm = countyFundingMix(view, county, year)!;
            const parts = centres.map((c) => fundingMixOf(view, year, [c], { level: 'centre', id: c, name: c }));
            expect(cm.total.amountOre).toBe(parts.reduce((s, m) => s + m.total.amountOre, 0));
            expect(cm.total.entries).toBe(parts.reduce((s, m) => s + m.total.entries, 0));
            expect(cm.parts!.map((p) => p.total.amountOre)).toEqual(parts.map((m) => m.total.amountOre));
            if (cm.total.amountOre > 0) expect(cm.byParty.reduce((s, p) => s + shareTenths(p.sharePercent), 0)).toBe(1000);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('key figures answered between writes (from cached per-centre pieces) equal those of a fresh copy of the view', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 30 }), (ops) => {
        const { events } = run(ops);
        const view = foldEvents(fundingProjection, recorded(directory));
        recorded(events, 100).forEach((e) => {
          fundingProjection.evolve(view, e);
          const year = 2012 + (e.position % 3);
          expect(JSON.stringify(keyFigures(view, year))).toBe(JSON.stringify(keyFigures(JSON.parse(JSON.stringify(view)), year)));
        });
      }),
      { numRuns: 40 },
    );
  });

  it('rebuilding the view from the same events gives the same view (a pure fold)', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 40 }), (ops) => {
        const { events } = run(ops);
        const all = recorded([...directory, ...events]);
        const once = foldEvents(fundingProjection, all);
        const split = foldEvents(fundingProjection, all.slice(5), JSON.parse(JSON.stringify(foldEvents(fundingProjection, all.slice(0, 5)))));
        expect(JSON.stringify(split)).toBe(JSON.stringify(once));
      }),
      { numRuns: 50 },
    );
  });
});

/**
 * The naive definition: walk every day of the year and add the FTE in force that day; on 31 December a
 * position is a person, or with a personId part of that person (the employer of the largest FTE, then
 * the earliest start, then the lowest position id; full time on the FTEs added up).
 */
const naiveYear = (positions: { positionId?: string; personId?: string; centreId: string; employerKind: string; startedOn: string; endedOn: string | null; terms: PositionTerms[] }[], year: number, closedOn: string | null = null) => {
  let fteDays = 0;
  let fullTime = 0;
  const persons: Record<string, number> = {};
  const paid: Record<string, { fteDays: number; costNum: number }> = {};
  const people = new Map<string, { fte: number; posts: { fte: number; employerKind: string; startedOn: string; positionId: string }[] }>();
  for (const p of positions) {
    for (let d = `${year}-01-01`; d <= `${year}-12-31`; d = addDays(d, 1)) {
      if (d < p.startedOn || (p.endedOn !== null && d > p.endedOn) || (closedOn !== null && d >= closedOn)) continue;
      const t = [...p.terms].reverse().find((x) => x.from <= d)!;
      fteDays += t.fteMilli;
      if (t.payer.kind === 'party') {
        const c = (paid[t.payer.partyId] ??= { fteDays: 0, costNum: 0 });
        c.fteDays += t.fteMilli;
        c.costNum += t.annualCostOre ?? 0;
      }
      if (d === `${year}-12-31` && p.personId !== undefined) {
        const person = people.get(p.personId) ?? { fte: 0, posts: [] };
        person.fte += t.fteMilli;
        person.posts.push({ fte: t.fteMilli, employerKind: p.employerKind, startedOn: p.startedOn, positionId: p.positionId! });
        people.set(p.personId, person);
      } else if (d === `${year}-12-31`) {
        persons[p.employerKind] = (persons[p.employerKind] ?? 0) + 1;
        if (t.fteMilli >= 810) fullTime++;
      }
    }
  }
  for (const { fte, posts } of people.values()) {
    const main = [...posts].sort((a, b) => b.fte - a.fte || (a.startedOn < b.startedOn ? -1 : a.startedOn > b.startedOn ? 1 : a.positionId < b.positionId ? -1 : 1))[0];
    persons[main.employerKind] = (persons[main.employerKind] ?? 0) + 1;
    if (fte >= 810) fullTime++;
  }
  return { fteDays, fullTime, persons, paid };
};

const dateArb = fc.integer({ min: dayNumber('2011-06-01'), max: dayNumber('2014-12-31') }).map((n) => new Date(n * 86_400_000).toISOString().slice(0, 10));

describe('staff-years: FTE integrated day by day (fast-check)', () => {
  it('the projection\'s exact sums equal a day-by-day loop for random starts, changes, ends and payers, in every year', () => {
    const positionArb = fc.record({
      startedOn: dateArb,
      fte: fc.integer({ min: 1, max: 1000 }),
      changes: fc.array(fc.record({ offset: fc.integer({ min: 0, max: 900 }), fte: fc.integer({ min: 1, max: 1000 }), payer: fc.constantFrom('centre', 'fk', 'nav'), cost: fc.option(fc.integer({ min: 1, max: 90_000_000 })) }), { maxLength: 3 }),
      endAfter: fc.option(fc.integer({ min: 0, max: 1200 })),
      employer: fc.constantFrom('centre', 'county-authority', 'nav-county-office'),
      // Some positions of one person (same start date too, for the tie rule), most of none.
      person: fc.option(fc.constantFrom('kari', 'ola'), { freq: 2 }),
    });
    fc.assert(
      // The centre may be closed, the closing recorded anywhere among the positions' events.
      fc.property(fc.array(positionArb, { minLength: 1, maxLength: 5 }), fc.option(fc.record({ on: dateArb, at: fc.nat() })), (specs, closing) => {
        const events: { type: string; data: object }[] = [];
        const model: Parameters<typeof naiveYear>[0] = [];
        specs.forEach((s, i) => {
          const positionId = `p${i}`;
          let terms: PositionTerms[] = [{ from: s.startedOn, fteMilli: s.fte, payer: { kind: 'centre' }, annualCostOre: null }];
          const person = s.person === null ? {} : { personId: s.person };
          events.push({ type: 'StaffPositionStarted', data: { positionId, centreId: 'a1', countyId: 'a', title: 't', employerKind: s.employer, employerPartyId: null, fteMilli: s.fte, payer: { kind: 'centre' }, annualCostOre: null, startedOn: s.startedOn, ...person } });
          let last = s.startedOn;
          for (const c of s.changes) {
            const from = addDays(s.startedOn, c.offset);
            const payer = c.payer === 'centre' ? { kind: 'centre' as const } : { kind: 'party' as const, partyId: c.payer };
            events.push({ type: 'StaffPositionChanged', data: { positionId, centreId: 'a1', countyId: 'a', effectiveFrom: from, fteMilli: c.fte, payer, annualCostOre: c.cost } });
            terms = [...terms.filter((x) => x.from !== from), { from, fteMilli: c.fte, payer, annualCostOre: c.cost }].sort((a, b) => (a.from < b.from ? -1 : 1));
            if (from > last) last = from;
          }
          let endedOn: string | null = null;
          if (s.endAfter !== null) {
            endedOn = addDays(last, s.endAfter);
            events.push({ type: 'StaffPositionEnded', data: { positionId, centreId: 'a1', countyId: 'a', endedOn } });
          }
          model.push({ positionId, ...person, centreId: 'a1', employerKind: s.employer, startedOn: s.startedOn, endedOn, terms });
        });
        if (closing) events.splice(closing.at % (events.length + 1), 0, { type: 'CentreClosed', data: { centreId: 'a1', closedOn: closing.on, reason: 'r' } });
        const view = foldEvents(fundingProjection, recorded([...directory, ...events]));
        for (let year = 2011; year <= 2019; year++) {
          const got = staffOfYear(view.staff.a1, year);
          const onDec31 = personsOnDecember31(got);
          const want = naiveYear(model, year, closing?.on ?? null);
          expect({ year, fteDays: got.fteDays, fullTime: onDec31.fullTime, persons: onDec31.persons }).toEqual({ year, fteDays: want.fteDays, fullTime: want.fullTime, persons: want.persons });
          expect(Object.fromEntries(Object.entries(got.paid).map(([k, v]) => [k, { fteDays: v.fteDays, costNum: v.costNum }]))).toEqual(want.paid);
        }
      }),
      { numRuns: 120 },
    );
  });
});
