import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectionEngine } from '../../libs/application/src/projection-engine';
import { centreDecider, countyDecider } from '../../libs/domain/src/counties';
import { coLocationDecider } from '../../libs/domain/src/governance/co-location';
import { stimulusGrantDecider } from '../../libs/domain/src/grants/stimulus';
import { partyDecider, PartyNamedAlike, partyNameOn, partyNamesAfter, SINCE_REGISTRATION } from '../../libs/domain/src/parties';
import { DomainError, DomainEvent, fold, RecordedEvent } from '../../libs/domain/src/shared';
import { testContext } from '../../libs/domain/src/shared/decider-spec';
import { hashEvent } from '../../libs/event-store/src/hashing';
import { EVENT_COLUMNS, EventArray, eventOfRow, SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { ALL_PROJECTIONS } from '../../libs/projections/src';
import { centreFundingMix } from '../../libs/projections/src/funding/funding-mix';
import { FUNDING_VIEW, FundingView } from '../../libs/projections/src/funding/funding-view';
import { OWNER_AGREEMENTS, OwnerAgreementsView } from '../../libs/projections/src/governance/agreements-view';
import { PARTY_DIRECTORY, PartyDirectoryView } from '../../libs/projections/src/governance/party-directory';
import { CO_LOCATIONS, CoLocationsView } from '../../libs/projections/src/governance/places-and-lines';
import { coLocationOn, ownersOn } from '../../libs/projections/src/governance/queries';
import { GRANTS_VIEW, GrantsView } from '../../libs/projections/src/grants/grants-view';
import { stimulusOne } from '../../libs/projections/src/grants/queries';
import { GENERATOR_VERSION, generateLedger } from '../../bench/src/generate';
import { regenerateCommand, staleLedgerReason } from '../../bench/src/lib/ledger-meta';
import { median, percentile, spread } from '../../bench/src/lib/stats';

const rowsOf = (file: string): Record<string, unknown>[] => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT * FROM events ORDER BY position').all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
};

/** The file's events as the SQLite store reads them, in position order. */
const eventsOf = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`SELECT ${EVENT_COLUMNS} FROM events ORDER BY position`).raw(true).all() as EventArray[]).map(eventOfRow);
  } finally {
    db.close();
  }
};

/** Folding only the event types a projection declares gives the view folding every event gives. */
const expectDeclaredTypesSuffice = (events: RecordedEvent[]): void => {
  const declared = ALL_PROJECTIONS.filter((p) => p.eventTypes);
  expect(declared.length).toBeGreaterThan(0);
  for (const p of declared) {
    const types = new Set(p.eventTypes);
    const all = events.reduce((v, e) => p.evolve(v, e), p.initial());
    const only = events.filter((e) => types.has(e.type)).reduce((v, e) => p.evolve(v, e), p.initial());
    expect({ name: p.name, view: only }).toEqual({ name: p.name, view: JSON.parse(JSON.stringify(all)) });
  }
};

describe('benchmark ledger generator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-gen-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const a = join(dir, 'a.sqlite');
  const b = join(dir, 'b.sqlite');
  const c = join(dir, 'c.sqlite');
  const result = generateLedger({ events: 3_000, seed: 7, out: a });

  it('writes exactly the number of events asked for, of every kind the catalogue lists', () => {
    expect(result.events).toBe(3_000);
    expect(rowsOf(a)).toHaveLength(3_000);
    for (const type of ['CountyRegistered', 'PartyRegistered', 'CentreRegistered', 'OwnerAgreementRegistered', 'BoardEstablished', 'BoardMemberAppointed', 'ProposalTabled', 'VoteCast', 'ProposalClosed',
      'CountyLineDecisionRecorded', 'PartnershipAgreementSigned', 'CoordinatingFunctionAssigned', 'OperatingGrantRecorded', 'EarmarkedFundsRecorded', 'OtherIncomeRecorded', 'InKindContributionRecorded',
      'StaffPositionStarted', 'GrantSchemePublished', 'ServiceDeclared', 'CompetenceDevelopmentDelivered', 'AnnualReportSubmitted', 'UserSurveyParticipationRecorded']) {
      expect(result.countsByType[type]).toBeGreaterThan(0);
    }
  });

  it('gives the same log for the same size and seed, and another log for another seed', () => {
    generateLedger({ events: 3_000, seed: 7, out: b });
    generateLedger({ events: 3_000, seed: 8, out: c });
    const ra = rowsOf(a);
    expect(rowsOf(b)).toEqual(ra);
    const rc = rowsOf(c);
    expect(rc.map((r) => r.hash)).not.toEqual(ra.map((r) => r.hash));
  });

  it('stores envelopes the SQLite store reads back with valid hash chains, contiguous revisions and non-decreasing recorded times', () => {
    const events = eventsOf(a);
    const heads = new Map<string, { revision: number; hash: string }>();
    let lastRecordedAt = '';
    events.forEach((e, i) => {
      expect(e.position).toBe(i + 1);
      const head = heads.get(e.streamId);
      expect(e.revision).toBe(head ? head.revision + 1 : 0);
      expect(e.prevHash).toBe(head ? head.hash : null);
      const { hash, ...body } = e;
      expect(hashEvent(body, true)).toBe(hash);
      expect(e.recordedAt >= lastRecordedAt).toBe(true);
      lastRecordedAt = e.recordedAt;
      heads.set(e.streamId, { revision: e.revision, hash });
    });
  });

  it('records each base-grant allocation on or after its judging date, as the command path requires (BASE_GRANT.BEFORE_JUDGING_DATE)', () => {
    const allocations = eventsOf(a).filter((e) => e.type === 'BaseGrantAllocated');
    expect(allocations.length).toBeGreaterThan(0);
    const early = allocations.filter((e) => e.recordedAt.slice(0, 10) < (e.data as { judgingDate: string }).judgingDate);
    expect(early.map((e) => [e.recordedAt, (e.data as { judgingDate: string }).judgingDate])).toEqual([]);
  });

  it('is folded by every projection of the ledger (ProjectionEngine.rebuild) without an error', async () => {
    const store = new SqliteEventStore({ path: a });
    try {
      const { position, views } = await new ProjectionEngine(store, ALL_PROJECTIONS, null).rebuild();
      expect(position).toBe(3_000);
      expect(views.size).toBe(ALL_PROJECTIONS.length);
      const directory = views.get('centre-directory') as { counties: Record<string, unknown>; centres: Record<string, unknown> };
      expect(Object.keys(directory.counties)).toHaveLength(19);
      expect(Object.keys(directory.centres)).toHaveLength(result.centres);
    } finally {
      await store.close();
    }
  });

  it('holds every event type a projection reads in its eventTypes: folding only those gives the same view', () => {
    expectDeclaredTypesSuffice(eventsOf(a));
  });
});

/**
 * Every event of a party (registered or renamed), of a centre's premises and of a stimulus grant, replayed through
 * the product's own decider: the command the event records, decided on the stream as it stood just
 * before (and the county, centre and parties it names as they stood then), on the day it was recorded,
 * must give exactly that event. Returns what differs or was refused (empty: every payload is one the
 * ledger would have recorded).
 */
const replayThroughDeciders = (events: RecordedEvent[]): string[] => {
  const byStream = new Map<string, RecordedEvent[]>();
  const before = (streamId: string): DomainEvent[] => byStream.get(streamId) ?? [];
  const centre = (centreId: string) => fold(centreDecider, before(`centre-${centreId}`) as never);
  const parties = (sharedWith: { partyId: string | null }[]) =>
    Object.fromEntries(sharedWith.filter((s) => s.partyId !== null).map((s) => [s.partyId!, fold(partyDecider, before(`party-${s.partyId}`) as never)]));
  // Every party registered so far, with its names by date: what the duplicate-name rule weighs (the decider picks those alike).
  const named = new Map<string, PartyNamedAlike>();
  const problems: string[] = [];
  const check = <S>(e: RecordedEvent, decider: { initialState: () => S; evolve: (s: S, e: never) => S; decide: (c: never, s: S, ctx: ReturnType<typeof testContext>) => DomainEvent[] }, command: unknown): void => {
    try {
      const state = before(e.streamId).reduce((st, x) => decider.evolve(st, x as never), decider.initialState());
      const decided = decider.decide(command as never, state, testContext({ now: e.recordedAt }));
      if (JSON.stringify(decided.map((x) => x.type)) !== JSON.stringify([e.type])) problems.push(`${e.position} ${e.type}: the decider records ${JSON.stringify(decided)}`);
      else expect({ position: e.position, data: decided[0].data }).toEqual({ position: e.position, data: e.data });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      problems.push(`${e.position} ${e.type}: refused ${err.code}: ${err.message}`);
    }
  };
  for (const e of events) {
    const d = e.data as any;
    switch (e.type) {
      case 'PartyRegistered':
        // The organisation number's check digit and the name are judged as the registration would be.
        check(e, partyDecider, { type: 'RegisterParty', data: { partyId: d.partyId, name: d.name, kind: d.kind, countyId: d.countyId, organisationNumber: d.organisationNumber }, countyRegistered: true, namedAlike: [...named.values()] });
        named.set(d.partyId, { partyId: d.partyId, kind: d.kind, countyId: d.countyId, names: [{ name: d.name, from: SINCE_REGISTRATION }] });
        break;
      case 'PartyRenamed':
        check(e, partyDecider, { type: 'RenameParty', data: { partyId: d.partyId, name: d.name, effectiveFrom: d.effectiveFrom }, namedAlike: [...named.values()] });
        if (named.has(d.partyId)) named.set(d.partyId, { ...named.get(d.partyId)!, names: partyNamesAfter(named.get(d.partyId)!.names, d) });
        break;
      case 'CoLocationRecorded':
        check(e, coLocationDecider, { type: 'RecordCoLocation', data: { centreId: d.centreId, from: d.from, premises: d.premises, sharedWith: d.sharedWith }, centre: centre(d.centreId), parties: parties(d.sharedWith) });
        break;
      case 'CoLocationCorrected':
        check(e, coLocationDecider, { type: 'CorrectCoLocation', data: { centreId: d.centreId, from: d.from, premises: d.premises, sharedWith: d.sharedWith, reason: d.reason }, centre: centre(d.centreId), parties: parties(d.sharedWith) });
        if (!(d.from < e.recordedAt.slice(0, 10))) problems.push(`${e.position} ${e.type}: corrects a record from ${d.from} on ${e.recordedAt}`);
        break;
      case 'CoLocationWithdrawn':
        check(e, coLocationDecider, { type: 'WithdrawCoLocation', data: { centreId: d.centreId, from: d.from, reason: d.reason }, centre: centre(d.centreId) });
        break;
      case 'StimulusGrantApplied':
        check(e, stimulusGrantDecider, {
          type: 'ApplyForStimulusGrant',
          data: { applicationId: d.applicationId, countyId: d.countyId, year: d.year, purpose: d.purpose, amountAskedOre: d.amountAskedOre, description: d.description, centreId: d.centreId, appliedOn: d.appliedOn },
          county: fold(countyDecider, before(`county-${d.countyId}`) as never),
          centre: d.centreId === null ? { status: 'unregistered' } : centre(d.centreId),
        });
        break;
      case 'StimulusGrantAwarded':
        check(e, stimulusGrantDecider, { type: 'AwardStimulusGrant', data: { applicationId: d.applicationId, amountOre: d.amountOre, note: d.note } });
        break;
      case 'StimulusGrantRejected':
        check(e, stimulusGrantDecider, { type: 'RejectStimulusGrant', data: { applicationId: d.applicationId, reason: d.reason } });
        break;
      case 'StimulusGrantDecisionCorrected': {
        check(e, stimulusGrantDecider, { type: 'CorrectStimulusGrantDecision', data: { applicationId: d.applicationId, outcome: d.outcome, amountOre: d.amountOre, note: d.note, reason: d.reason, correctionReason: d.correctionReason } });
        const decided = before(e.streamId).map((x) => (x.data as any).decidedOn ?? (x.data as any).correctedOn).filter(Boolean);
        if (!(d.correctedOn > decided[decided.length - 1])) problems.push(`${e.position} ${e.type}: corrected on ${d.correctedOn}, not after the decision of ${decided[decided.length - 1]}`);
        break;
      }
    }
    byStream.set(e.streamId, [...before(e.streamId), e] as RecordedEvent[]);
  }
  return problems;
};

const NEW_KINDS = ['PartyRenamed', 'CoLocationCorrected', 'CoLocationWithdrawn', 'StimulusGrantDecisionCorrected'];

describe('benchmark ledger generator: dated party renames, premises corrections and withdrawals, stimulus-grant decision corrections', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-gen-new-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'ledger.sqlite');
  const result = generateLedger({ events: 20_000, seed: 7, out: file });
  const events = eventsOf(file);
  const renames = events.filter((e) => e.type === 'PartyRenamed');

  it('writes each of them, in countsByType, at low rates (well under 1 % of the log together), and says which generator version wrote it', () => {
    expect(result.generatorVersion).toBe(GENERATOR_VERSION);
    for (const type of NEW_KINDS) expect({ type, written: (result.countsByType[type] ?? 0) > 0 }).toEqual({ type, written: true });
    for (const type of NEW_KINDS) expect(events.filter((e) => e.type === type)).toHaveLength(result.countsByType[type]);
    const added = NEW_KINDS.reduce((n, t) => n + result.countsByType[t], 0);
    expect(added / result.events).toBeLessThan(0.01);
    // The reforms: the county authority and NAV county office of a merged county renamed from 1 January 2020.
    expect(renames.map((e) => e.data)).toEqual(expect.arrayContaining([
      { partyId: 'ostfold-fylkeskommune', name: 'Viken fylkeskommune', previousName: 'Østfold fylkeskommune', effectiveFrom: '2020-01-01' },
      { partyId: 'nav-ostfold', name: 'NAV Øst-Viken', previousName: 'NAV Østfold', effectiveFrom: '2020-01-01' },
      { partyId: 'ostfold-fylkeskommune', name: 'Østfold fylkeskommune', previousName: 'Viken fylkeskommune', effectiveFrom: '2024-01-01' },
    ]));
    expect(renames.some((e) => (e.data as { partyId: string }).partyId.includes('-kommune-'))).toBe(true);
  });

  it('records every one (and the stimulus applications, awards, rejections and premises records before them) as the product\'s deciders would, from the streams as they stood then', () => {
    expect(replayThroughDeciders(events)).toEqual([]);
  });

  it('is folded by every projection without an error, and the answers name a renamed party by its name on the day asked', async () => {
    const store = new SqliteEventStore({ path: file });
    try {
      const { position, views } = await new ProjectionEngine(store, ALL_PROJECTIONS, null).rebuild();
      expect(position).toBe(20_000);
      const funding = views.get(FUNDING_VIEW) as FundingView;
      const parties = views.get(PARTY_DIRECTORY) as PartyDirectoryView;
      const owners = views.get(OWNER_AGREEMENTS) as OwnerAgreementsView;
      const nameIn = (year: number, partyId: string) => centreFundingMix(funding, 'kc-ostfold-1', year)?.byParty.find((l) => l.partyId === partyId)?.partyName;
      // Funding mix: each year names the party as on its 31 December (the 2020 reform does not rename 2019; the 2024 split names it again as before).
      expect([2019, 2020, 2023, 2024].map((y) => nameIn(y, 'ostfold-fylkeskommune'))).toEqual(['Østfold fylkeskommune', 'Viken fylkeskommune', 'Viken fylkeskommune', 'Østfold fylkeskommune']);
      expect([2019, 2020].map((y) => nameIn(y, 'nav-ostfold'))).toEqual(['NAV Østfold', 'NAV Øst-Viken']);
      // Governance: the owners in force on a day, named as on that day.
      const ownersNamed = (day: string) => ownersOn(owners, parties, 'kc-ostfold-1', day)?.parties.map((p) => p.name);
      expect(ownersNamed('2019-12-31')).toEqual(expect.arrayContaining(['Østfold fylkeskommune', 'NAV Østfold']));
      expect(ownersNamed('2020-01-01')).toEqual(expect.arrayContaining(['Viken fylkeskommune', 'NAV Øst-Viken']));
      // Every rename: the day before it takes effect the party has its previous name, from that day the new one.
      for (const e of renames) {
        const d = e.data as { partyId: string; name: string; previousName: string; effectiveFrom: string };
        const dayBefore = new Date(Date.parse(d.effectiveFrom) - 86_400_000).toISOString().slice(0, 10);
        expect({ id: d.partyId, before: partyNameOn(parties[d.partyId], dayBefore), from: partyNameOn(parties[d.partyId], d.effectiveFrom) }).toEqual({ id: d.partyId, before: d.previousName, from: d.name });
      }
      // Premises: a corrected record says what its last correction says; a withdrawn one no longer counts.
      const coLocations = views.get(CO_LOCATIONS) as CoLocationsView;
      for (const e of events.filter((x) => x.type === 'CoLocationCorrected')) {
        const d = e.data as { centreId: string; from: string };
        const last = events.filter((x) => x.type === 'CoLocationCorrected' && (x.data as typeof d).centreId === d.centreId && (x.data as typeof d).from === d.from).at(-1)!.data as { premises: string };
        const withdrawn = events.some((x) => x.type === 'CoLocationWithdrawn' && x.position > e.position && (x.data as typeof d).centreId === d.centreId && (x.data as typeof d).from === d.from);
        if (!withdrawn) expect(coLocationOn(coLocations, d.centreId, d.from)?.premises).toBe(last.premises);
      }
      for (const e of events.filter((x) => x.type === 'CoLocationWithdrawn')) {
        const d = e.data as { centreId: string; from: string };
        expect(coLocations[d.centreId].withdrawn.map((w) => w.from)).toContain(d.from);
        expect(coLocations[d.centreId].records.map((r) => r.from)).not.toContain(d.from);
      }
      // Stimulus grants: the decision in force is the correction's.
      const grants = views.get(GRANTS_VIEW) as GrantsView;
      for (const e of events.filter((x) => x.type === 'StimulusGrantDecisionCorrected')) {
        const d = e.data as { applicationId: string; outcome: string; amountOre: number | null; reason: string | null };
        const one = stimulusOne(grants, d.applicationId) as { status: string; amountAwarded: string | null; decision: { reason: string | null } } | null;
        expect({ status: one?.status, amountAwarded: one?.amountAwarded, reason: one?.decision.reason }).toEqual({ status: d.outcome, amountAwarded: d.amountOre === null ? null : (d.amountOre / 100).toFixed(2), reason: d.reason });
      }
    } finally {
      await store.close();
    }
  });

  it('holds them in the eventTypes of the projections that read them: folding only those gives the same view', () => {
    expectDeclaredTypesSuffice(events);
  });

  it('lets npm run bench and the profiler reuse a ledger only when its .json says the same size and this generator version', () => {
    const meta = (m: object | null): string => {
      if (m === null) rmSync(`${file}.json`, { force: true });
      else writeFileSync(`${file}.json`, JSON.stringify(m));
      return file;
    };
    const { generatorVersion, ...unversioned } = result;
    expect(staleLedgerReason(meta(result), 20_000)).toBeNull();
    expect(staleLedgerReason(meta(result))).toBeNull();
    expect(staleLedgerReason(meta(result), 30_000)).toMatch(/holds 20000 events, not 30000/);
    expect(staleLedgerReason(meta(unversioned), 20_000)).toMatch(/older generator.*no generatorVersion/);
    expect(staleLedgerReason(meta({ ...result, generatorVersion: generatorVersion - 1 }), 20_000)).toMatch(new RegExp(`generator version ${generatorVersion - 1}.*now at version ${GENERATOR_VERSION}`));
    expect(staleLedgerReason(meta(null), 20_000)).toMatch(/missing/);
    expect(staleLedgerReason(join(dir, 'none.sqlite'), 20_000)).toMatch(/does not exist/);
    expect(regenerateCommand('bench/data/ledger-1000000-42.sqlite', 1_000_000)).toBe('npm run build && node dist/bench/src/generate.js --events 1000000 --seed 42 --out bench/data/ledger-1000000-42.sqlite');
    expect(regenerateCommand(file, 20_000, 7)).toContain('--events 20000 --seed 7 --out');
  });
});

describe('benchmark statistics', () => {
  it('takes the median, min and max of the rounds and nearest-rank percentiles', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(spread([5, 9, 7])).toEqual({ median: 7, min: 5, max: 9, runs: [5, 9, 7] });
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile(xs, 100)).toBe(100);
  });

});

