import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ProjectionEngine } from '../../libs/application/src/projection-engine';
import { SqliteSnapshotStore } from '../../libs/application/src/snapshot-store';
import { RecordedEvent } from '../../libs/domain/src/shared';
import { canonicalJson } from '../../libs/event-store/src/canonical-json';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { verifyChains } from '../../libs/event-store/src/verify-chain';
import { centreDirectory } from '../../libs/projections/src/directory/centre-directory';
import { AnyProjection, foldEvents } from '../../libs/projections/src/projection';
import { streamStats } from './kill/kill-projection';

const ROOT = resolve(__dirname, '../..');
const KILLS = 20;
const SEED = 20140509;
const PROJECTIONS: AnyProjection[] = [centreDirectory, streamStats];

/** Seeded PRNG (mulberry32), so the kill moments are the same on every run. */
const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

interface Ack {
  key: string;
  eventIds: string[];
  position: number;
}

/** Starts the child, kills it with SIGKILL `delayMs` after it is ready (or during start-up when `duringStartup`), returns what it acknowledged. */
const runAndKill = (path: string, run: number, delayMs: number, duringStartup: boolean): Promise<{ acks: Ack[]; ready: boolean; stderr: string; signal: NodeJS.Signals | null }> =>
  new Promise((done, fail) => {
    const child = spawn(process.execPath, ['-r', join(ROOT, 'test/helpers/swc-register.js'), join(ROOT, 'test/core/kill/append-loop.ts')], {
      cwd: ROOT,
      env: { ...process.env, LEDGER_SQLITE_PATH: path, KILL_RUN: String(run) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: Ack[] = [];
    let buf = '';
    let stderr = '';
    let ready = false;
    const kill = () => child.kill('SIGKILL');
    if (duringStartup) setTimeout(kill, delayMs);
    child.stdout.on('data', (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        // Only complete lines count: an acknowledgement cut off by the kill was never made.
        if (line.startsWith('ACK ')) acks.push(JSON.parse(line.slice(4)));
        else if (line.startsWith('READY ') && !ready) {
          ready = true;
          if (!duringStartup) setTimeout(kill, delayMs);
        }
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const guard = setTimeout(kill, 15_000);
    child.on('error', fail);
    child.on('exit', (_code, signal) => {
      clearTimeout(guard);
      done({ acks, ready, stderr, signal });
    });
  });

const readEverything = async (store: SqliteEventStore): Promise<RecordedEvent[]> => {
  const out: RecordedEvent[] = [];
  for (let after = 0; ; ) {
    const page = await store.readAll({ after, maxCount: 5000 });
    if (!page.length) return out;
    out.push(...page);
    after = page[page.length - 1].position;
  }
};

describe('kill test: a child appending in a loop is killed with SIGKILL at 20 random moments', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-kill-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('after every restart each acknowledged event is present exactly once, every hash chain verifies, and a rebuilt projection equals the persisted one', async () => {
    const path = join(dir, 'ledger.sqlite');
    const random = rng(SEED);
    const acked = new Map<string, Ack>();
    let snapshotsCompared = 0;
    let killedMidWrite = 0;
    const started = Date.now();
    for (let run = 1; run <= KILLS; run++) {
      // Most kills land while appending; every fifth during start-up (migrations, restoring the views).
      const duringStartup = run % 5 === 0;
      const delay = duringStartup ? 40 + Math.floor(random() * 400) : Math.floor(random() * 350);
      const { acks, stderr, signal } = await runAndKill(path, run, delay, duringStartup);
      expect(stderr).toBe('');
      expect(signal).toBe('SIGKILL');
      for (const a of acks) acked.set(a.key, a);

      // "Restart": open the file as the next process would.
      const store = new SqliteEventStore({ path });
      const events = await readEverything(store);
      const count = new Map<string, number>();
      for (const e of events) count.set(e.eventId, (count.get(e.eventId) ?? 0) + 1);
      for (const a of acked.values()) for (const id of a.eventIds) expect([a.key, id, count.get(id) ?? 0]).toEqual([a.key, id, 1]);
      expect(count.size).toBe(events.length); // no event id twice
      expect(verifyChains(events, store.hashCoversPosition)).toEqual([]);
      expect(events.map((e) => e.position)).toEqual(events.map((_, i) => i + 1));
      const head = events.length;
      if (head > 0 && head > Math.max(0, ...[...acked.values()].map((a) => a.position))) killedMidWrite++;

      // The persisted checkpoint (if the child saved one) equals a rebuild from 0 up to its position.
      const snaps = new SqliteSnapshotStore(store.db);
      for (const p of PROJECTIONS) {
        const s = snaps.latest(p.name);
        if (!s) continue;
        const rebuilt = foldEvents(p, events.filter((e) => e.position <= s.position));
        expect(canonicalJson(JSON.parse(s.state))).toBe(canonicalJson(rebuilt));
        snapshotsCompared++;
      }
      // And an engine restarted from that checkpoint, caught up to the head, equals a rebuild from 0.
      const engine = new ProjectionEngine(store, PROJECTIONS, snaps);
      await engine.start();
      await engine.caughtUp(head);
      const { views } = await engine.rebuild(head);
      for (const p of PROJECTIONS) expect(canonicalJson(engine.view(p.name))).toBe(canonicalJson(views.get(p.name)));
      expect(engine.view<{ total: number }>(streamStats.name).total).toBe(head);
      // The views list every acknowledged centre.
      const dirView = engine.view<{ centres: Record<string, unknown> }>(centreDirectory.name);
      for (const a of acked.values()) if (a.key.startsWith('reg-')) expect(dirView.centres[`kc-${a.key.slice(4)}`]).toBeDefined();
      // Stop without saving, so the next child restores the checkpoint the killed one left.
      (engine as unknown as { saveCheckpoint: () => void }).saveCheckpoint = () => undefined;
      await engine.stop();
      await store.close();
    }
    const totalEvents = [...acked.values()].reduce((n, a) => n + a.eventIds.length, 0);
    console.log(
      `[kill test] ${KILLS} SIGKILLs (seed ${SEED}) in ${((Date.now() - started) / 1000).toFixed(1)} s: ${acked.size} acknowledged commands (${totalEvents} events) all present exactly once; ` +
        `hash chains verified after every kill; ${snapshotsCompared} persisted projection checkpoints equal their rebuild; ${killedMidWrite} kills left an unacknowledged but committed append`,
    );
    expect(acked.size).toBeGreaterThan(KILLS); // the child really did work between kills
    expect(snapshotsCompared).toBeGreaterThan(0);
  }, 240_000);
});
