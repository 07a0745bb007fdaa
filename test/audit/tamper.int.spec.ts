import Database from 'better-sqlite3';
import { canonicalJson } from '../../libs/event-store/src/canonical-json';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { digestOfHeads, digestOfSource, sqliteDigest, sqliteSource, verifySqliteSync, VerifyReport } from '../../libs/application/src/audit/integrity';
import { fillLedger, intBetween, pick, prng, steppingClock } from './fixtures';

/**
 * Tamper trials on copies of a real SQLite ledger file: each trial changes one byte of one stored
 * event, deletes an event row, swaps two rows' contents, or deletes a whole stream; `verify`
 * (with the digest taken before the damage) must fail and name the first bad event.
 */

type Row = Record<string, any> & { position: number; stream_id: string; revision: number };

const COLUMNS = ['data', 'metadata', 'hash', 'prev_hash', 'event_id', 'type', 'recorded_at', 'stream_id'] as const;
const CONTENT = ['event_id', 'stream_id', 'revision', 'type', 'schema_version', 'data', 'metadata', 'recorded_at', 'prev_hash', 'hash'];

let image: Buffer;
let head: number;
let digest: string;
let rows: Row[];

beforeAll(async () => {
  const { clock, tick } = steppingClock();
  const store = new SqliteEventStore({ path: ':memory:', clock: () => (tick(), clock()) });
  await fillLedger(store, 42, 240);
  image = store.db.serialize();
  rows = store.db.prepare('SELECT * FROM events ORDER BY position').all() as Row[];
  head = rows[rows.length - 1].position;
  // The digest an auditor took earlier and kept outside the ledger.
  const heads = new Map<string, { revision: number; hash: string }>();
  for (const r of rows) heads.set(r.stream_id, { revision: r.revision, hash: r.hash });
  digest = digestOfHeads(head, heads);
  await store.close();
});

const open = (): Database.Database => new Database(image);

const verify = (db: Database.Database, withDigest = true): VerifyReport =>
  verifySqliteSync(db, withDigest ? { hashCoversPosition: true, expectedDigest: digest, digestPosition: head } : { hashCoversPosition: true });

const replaceChar = (s: string, rnd: () => number): string => {
  const i = Math.floor(rnd() * s.length);
  let c = s.charCodeAt(i);
  while (c === s.charCodeAt(i)) c = intBetween(rnd, 0x20, 0x7e);
  return s.slice(0, i) + String.fromCharCode(c) + s.slice(i + 1);
};

const sameJson = (a: string, b: string): boolean => {
  try {
    return canonicalJson(JSON.parse(a)) === canonicalJson(JSON.parse(b));
  } catch {
    return false;
  }
};

describe('verify: tamper trials on copies of a SQLite ledger', () => {
  it('an untouched ledger verifies, with and without its digest', () => {
    const db = open();
    const report = verify(db);
    expect(report.ok).toBe(true);
    expect(report.eventsChecked).toBe(rows.length);
    expect(report.brokenStreams).toEqual([]);
    expect(report.logProblems).toEqual([]);
    expect(report.digest).toEqual({ position: head, expected: digest, actual: digest, matches: true });
    expect(verify(db, false).ok).toBe(true);
    expect(report.headDigest).toEqual({ position: head, digest });
  });

  it('computes the same digest from raw columns, from the parsed log, and at an earlier position', async () => {
    const db = open();
    expect(sqliteDigest(db, head)).toEqual({ position: head, digest, streams: new Set(rows.map((r) => r.stream_id)).size, events: rows.length });
    expect((await digestOfSource(sqliteSource(db, head), head)).digest).toBe(digest);
    expect(sqliteDigest(db, 100).digest).toBe((await digestOfSource(sqliteSource(db, 100), 100)).digest);
    expect(sqliteDigest(db, 100).digest).not.toBe(digest);
  });

  it('a wrong digest or a digest position beyond the log fails', () => {
    const db = open();
    const wrong = verifySqliteSync(db, { hashCoversPosition: true, expectedDigest: 'f'.repeat(64), digestPosition: head });
    expect(wrong.ok).toBe(false);
    expect(wrong.digest?.matches).toBe(false);
    // A digest taken earlier, at a lower position, still matches the longer log.
    const heads = new Map<string, { revision: number; hash: string }>();
    for (const r of rows.filter((x) => x.position <= 100)) heads.set(r.stream_id, { revision: r.revision, hash: r.hash });
    const early = verifySqliteSync(db, { hashCoversPosition: true, expectedDigest: digestOfHeads(100, heads), digestPosition: 100 });
    expect(early.ok).toBe(true);
  });

  it('1,000 seeded trials: every tamper is detected and the first bad event is named', () => {
    const counts = { byte: 0, delete: 0, swap: 0, 'delete-stream': 0 };
    const failures: string[] = [];
    for (let trial = 0; trial < 1000; trial++) {
      const rnd = prng(1000 + trial);
      const db = open();
      const kind = (['byte', 'delete', 'swap', 'delete-stream'] as const)[trial % 4];
      counts[kind]++;
      let expectedFirst: number;
      let expectedStream: { streamId: string; revision: number } | null = null;
      let what = '';
      if (kind === 'byte') {
        const row = pick(rnd, rows);
        for (;;) {
          const col = pick(rnd, COLUMNS);
          const old = row[col] as string | null;
          if (old === null) continue;
          const next = replaceChar(old, rnd);
          if ((col === 'data' || col === 'metadata') && sameJson(old, next)) continue;
          try {
            db.prepare(`UPDATE events SET ${col} = ? WHERE position = ?`).run(next, row.position);
          } catch {
            continue; // e.g. a UNIQUE(stream_id, revision) clash: pick again
          }
          what = `byte in ${col} at position ${row.position}`;
          if (col !== 'stream_id') expectedStream = { streamId: row.stream_id, revision: row.revision };
          break;
        }
        expectedFirst = row.position;
      } else if (kind === 'delete') {
        const row = pick(rnd, rows);
        db.prepare('DELETE FROM events WHERE position = ?').run(row.position);
        expectedFirst = row.position;
        what = `delete position ${row.position}`;
      } else if (kind === 'swap') {
        const a = pick(rnd, rows);
        let b = pick(rnd, rows);
        while (b.position === a.position) b = pick(rnd, rows);
        const [lo, hi] = a.position < b.position ? [a, b] : [b, a];
        const set = CONTENT.map((c) => `${c} = @${c}`).join(', ');
        const upd = db.prepare(`UPDATE events SET ${set} WHERE position = @position`);
        db.transaction(() => {
          upd.run({ ...lo, event_id: 'tmp', stream_id: 'tmp', revision: -1 });
          upd.run({ ...lo, position: hi.position });
          upd.run({ ...hi, position: lo.position });
        })();
        expectedFirst = lo.position;
        what = `swap ${lo.position} and ${hi.position}`;
      } else {
        const streamIds = [...new Set(rows.map((r) => r.stream_id))];
        const s = pick(rnd, streamIds);
        db.prepare('DELETE FROM events WHERE stream_id = ?').run(s);
        expectedFirst = Math.min(...rows.filter((r) => r.stream_id === s).map((r) => r.position));
        what = `delete stream ${s}`;
      }
      const report = verify(db);
      const problems: string[] = [];
      if (report.ok) problems.push('verified OK');
      if (report.firstBadPosition !== expectedFirst) problems.push(`first bad position ${report.firstBadPosition}, expected ${expectedFirst}`);
      if (expectedStream) {
        const named = report.brokenStreams.find((b) => b.position === expectedFirst);
        if (!named || named.streamId !== expectedStream.streamId || named.revision !== expectedStream.revision) problems.push(`did not name ${expectedStream.streamId}@${expectedStream.revision}`);
      }
      if (kind === 'byte' || kind === 'swap') {
        // A change in place is found by the chains alone, without the digest.
        if (verify(db, false).ok) problems.push('verified OK without the digest');
      }
      if (problems.length) failures.push(`trial ${trial} (${what}): ${problems.join('; ')}`);
      db.close();
    }
    expect(failures).toEqual([]);
    expect(counts).toEqual({ byte: 250, delete: 250, swap: 250, 'delete-stream': 250 });
  });
});
