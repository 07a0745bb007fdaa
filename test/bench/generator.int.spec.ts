import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectionEngine } from '../../libs/application/src/projection-engine';
import { hashEvent } from '../../libs/event-store/src/hashing';
import { EVENT_COLUMNS, EventArray, eventOfRow, SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { ALL_PROJECTIONS } from '../../libs/projections/src';
import { generateLedger } from '../../bench/src/generate';
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
    const events = eventsOf(a);
    const declared = ALL_PROJECTIONS.filter((p) => p.eventTypes);
    expect(declared.length).toBeGreaterThan(0);
    for (const p of declared) {
      const types = new Set(p.eventTypes);
      const all = events.reduce((v, e) => p.evolve(v, e), p.initial());
      const only = events.filter((e) => types.has(e.type)).reduce((v, e) => p.evolve(v, e), p.initial());
      expect({ name: p.name, view: only }).toEqual({ name: p.name, view: JSON.parse(JSON.stringify(all)) });
    }
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

