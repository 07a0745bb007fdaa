/**
 * Baseline: raw better-sqlite3 on the ledger's own schema, with the same event rows the
 * command path writes (same columns, same JSON, a SHA-256 per row), and nothing else.
 *   single-full   one event per transaction, WAL, synchronous=FULL
 *   single-normal one event per transaction, WAL, synchronous=NORMAL
 *   batch-100     100 events per transaction, WAL, synchronous=FULL
 *   read-parse    the whole log of a ledger file read back in position order (rows as arrays), JSON.parse of data and metadata
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { EVENT_COLUMNS } from '../../../libs/event-store/src/sqlite-event-store';
import { migrate } from '../../../libs/event-store/src/sqlite-schema';
import { report } from '../lib/child';
import { scratch } from '../lib/paths';
import { metadataOf, operatingGrantData, STREAMS } from '../lib/rows';

interface Args { mode: 'single-full' | 'single-normal' | 'batch-100' | 'read-parse'; seconds?: number; file?: string }
const args = JSON.parse(process.argv[2]) as Args;

const write = (): void => {
  const file = scratch(`raw-${args.mode}-${process.pid}.sqlite`);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(args.mode === 'single-normal' ? 'synchronous = NORMAL' : 'synchronous = FULL');
  migrate(db);
  const insert = db.prepare(
    'INSERT INTO events (position, event_id, stream_id, revision, type, schema_version, data, metadata, recorded_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const revisions = new Int32Array(STREAMS).fill(-1);
  const prev: (string | null)[] = new Array(STREAMS).fill(null);
  let position = 0;
  const one = (): void => {
    const i = position % STREAMS;
    const n = ++position;
    const data = JSON.stringify(operatingGrantData(i, n));
    const metadata = JSON.stringify(metadataOf(n));
    const recordedAt = new Date().toISOString();
    const hash = createHash('sha256').update(data).update(metadata).update(prev[i] ?? '').digest('hex');
    insert.run(n, `event-${n}`, `funding-bench-centre-${i}-2014`, ++revisions[i], 'OperatingGrantRecorded', 1, data, metadata, recordedAt, prev[i], hash);
    prev[i] = hash;
  };
  const perTx = args.mode === 'batch-100' ? 100 : 1;
  const tx = db.transaction(() => {
    for (let k = 0; k < perTx; k++) one();
  });
  const seconds = args.seconds ?? 3;
  // warm-up
  for (let k = 0; k < 20; k++) tx.immediate();
  const start = position;
  const t0 = process.hrtime.bigint();
  const end = t0 + BigInt(Math.round(seconds * 1e9));
  let now = t0;
  while (now < end) {
    tx.immediate();
    now = process.hrtime.bigint();
  }
  const elapsed = Number(now - t0) / 1e9;
  db.close();
  for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
  report({ eventsPerSecond: (position - start) / elapsed, events: position - start, seconds: elapsed });
};

const readParse = (): void => {
  const db = new Database(args.file!, { readonly: true });
  const t0 = process.hrtime.bigint();
  let n = 0;
  let bytes = 0;
  // Rows as arrays (raw mode), the cheapest way better-sqlite3 offers and the way the ledger's own store reads its log.
  const rows = db.prepare(`SELECT ${EVENT_COLUMNS} FROM events ORDER BY position ASC`).raw(true);
  for (const r of rows.iterate() as IterableIterator<unknown[]>) {
    const data = r[6] as string;
    const d = JSON.parse(data);
    const m = JSON.parse(r[7] as string);
    if (d && m) n++;
    bytes += data.length;
  }
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  db.close();
  report({ eventsPerSecond: n / elapsed, events: n, seconds: elapsed, dataBytes: bytes });
};

if (args.mode === 'read-parse') readParse();
else write();
