import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { cliHarness } from '../helpers/cli-harness';
import { seedCommand } from '../../apps/cli/src/commands/seed';
import { exportCommand } from '../../apps/cli/src/commands/export';
import { verifyCommand } from '../../apps/cli/src/commands/verify';
import { writeExport } from '../../libs/application/src/audit/export';
import { canonicalJson } from '../../libs/event-store/src/canonical-json';
import { sealEvents } from '../../libs/event-store/src/hashing';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { EventStore, EventToAppend, ReadAllOptions } from '../../libs/event-store/src/port';
import { RecordedEvent } from '../../libs/domain/src/shared';
import { handleCommand } from '../../libs/application/src/handle-command';
import { CommandRegistry } from '../../libs/application/src/command-registry';

/**
 * Edge cases of the audit tooling and the core write path, from the adversarial review
 * (test/review/cli-core-review.int.spec.ts): export and verify (a missing ledger, awkward values,
 * every kind of tamper, a store whose positions are not contiguous), canonical JSON (sparse
 * arrays), and the event stores (concurrency, recordedAt, idempotency).
 * Commands run in process against a temp LEDGER_SQLITE_PATH.
 */

const { root, out, err, run, freshLedger } = cliHarness('ledger-export-verify-');

describe('ledger export / verify', () => {
  it('export of a ledger path that does not exist refuses (like verify) instead of creating an empty ledger', async () => {
    const dir = join(root, 'no-ledger');
    process.env.LEDGER_SQLITE_PATH = join(dir, 'nothing-here.sqlite');
    process.env.LEDGER_JWT_SECRET = 'review-secret-of-at-least-32-bytes';
    const verifyCode = await run(verifyCommand, ['verify']);
    expect(verifyCode).toBe(2);
    const code = await run(exportCommand, ['export', '--to', join(root, 'no-ledger-export')]);
    expect({ exitedNonZero: code !== 0, createdLedgerFile: existsSync(join(dir, 'nothing-here.sqlite')) }).toEqual({ exitedNonZero: true, createdLedgerFile: false });
  });

  /** A log written through a real SQLite store, with awkward values in the data. */
  const awkwardLedger = async (path: string) => {
    let t = Date.parse('2014-01-01T00:00:00.000Z');
    const store = new SqliteEventStore({ path, clock: () => new Date((t += 1000)) });
    const meta = { actorId: 'a', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null };
    const values: unknown[] = [
      { s: 'e\u0301 é ø 😀 \u2028 \u2029 \u0000 "q" \\' },
      { n: -0, big: 1e21, small: 5e-324, max: Number.MAX_SAFE_INTEGER, neg: -1.5 },
      { nested: [[1, [2, [3]]], [], {}], '10': 1, '9': 2, b: null, a: [null] },
      { ['\uFF01']: 1, ['\u{1F600}']: 2, z: { y: { x: true } } },
    ];
    for (let i = 0; i < 12; i++) {
      await store.append(`s-${i % 3}`, [{ eventId: randomUUID(), type: 'T', schemaVersion: 1, data: values[i % values.length] as any, metadata: meta }], 'any');
    }
    await store.close();
  };

  it('an untampered ledger with unicode, -0, large numbers, integer-like keys and nested arrays verifies live and from its export', async () => {
    const path = freshLedger('awkward');
    await awkwardLedger(path);
    expect(await run(verifyCommand, ['verify'])).toBe(0);
    const exp = join(root, 'awkward-export');
    expect(await run(exportCommand, ['export', '--to', exp])).toBe(0);
    const d = JSON.parse(readFileSync(join(exp, 'digest.json'), 'utf8'));
    expect(await run(verifyCommand, ['verify', '--from-export', exp, '--digest', d.digest, '--position', String(d.position)])).toBe(0);
  });

  it('every kind of tamper in an export is caught against the kept digest, naming the right position', async () => {
    const path = freshLedger('tamper');
    await awkwardLedger(path);
    const exp = join(root, 'tamper-export');
    expect(await run(exportCommand, ['export', '--to', exp])).toBe(0);
    const d = JSON.parse(readFileSync(join(exp, 'digest.json'), 'utf8'));
    const file = join(exp, 'events.jsonl');
    const original = readFileSync(file, 'utf8').trim().split('\n');
    const ev = (i: number) => JSON.parse(original[i]);
    const set = (i: number, f: (e: any) => void): string[] => {
      const lines = [...original];
      const e = ev(i);
      f(e);
      lines[i] = JSON.stringify(e);
      return lines;
    };
    const cases: Record<string, string[]> = {
      data: set(4, (e) => (e.data.s = e.data.s.normalize('NFC'))),
      metadata: set(4, (e) => (e.metadata.actorRole = 'auditor')),
      type: set(4, (e) => (e.type = 'U')),
      stream: set(4, (e) => (e.streamId = 's-9')),
      revision: set(4, (e) => (e.revision += 1)),
      schemaVersion: set(4, (e) => (e.schemaVersion = 2)),
      recordedAt: set(4, (e) => (e.recordedAt = e.recordedAt.replace('Z', '+00:00'))),
      eventId: set(4, (e) => (e.eventId = randomUUID())),
      deleted: original.filter((_, i) => i !== 4),
      reordered: [...original.slice(0, 4), original[5], original[4], ...original.slice(6)],
      duplicated: [...original.slice(0, 5), original[4], ...original.slice(5)],
      truncatedLine: [...original.slice(0, 11), original[11].slice(0, 40)],
      lastRemoved: original.slice(0, 11),
    };
    const missed: string[] = [];
    for (const [name, lines] of Object.entries(cases)) {
      writeFileSync(file, lines.join('\n') + '\n');
      const code = await run(verifyCommand, ['verify', '--from-export', exp, '--digest', d.digest, '--position', String(d.position), '--json']);
      const report = JSON.parse(out.join('\n'));
      const expectedFirst = name === 'lastRemoved' || name === 'truncatedLine' ? 12 : 5;
      if (code !== 1 || report.firstBadPosition !== expectedFirst) missed.push(`${name}: exit ${code}, first bad ${report.firstBadPosition}`);
    }
    writeFileSync(file, original.join('\n') + '\n');
    expect(missed).toEqual([]);
  });

  it('verify accepts an untampered export of a store whose positions are not contiguous (EventStoreDB: hashCoversPosition=false)', async () => {
    // A stand-in for the EventStoreDB adapter: commit positions increase but are not contiguous, hashes leave the position out.
    const meta = { actorId: 'a', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null };
    const log: RecordedEvent[] = [];
    const heads = new Map<string, RecordedEvent>();
    let pos = 0;
    for (let i = 0; i < 6; i++) {
      const streamId = `s-${i % 2}`;
      const prev = heads.get(streamId);
      pos += 137 + i; // commit positions
      const [e] = sealEvents(streamId, [{ eventId: randomUUID(), type: 'T', schemaVersion: 1, data: { i }, metadata: meta }], prev ? prev.revision + 1 : 0, pos, prev?.hash ?? null, new Date(Date.UTC(2014, 0, 1, 0, 0, i)).toISOString(), false);
      log.push(e);
      heads.set(streamId, e);
    }
    const fake: EventStore = {
      kind: 'eventstoredb',
      hashCoversPosition: false,
      append: async () => {
        throw new Error('read only');
      },
      readStream: async () => [],
      readAll: async (o: ReadAllOptions = {}) => log.filter((e) => e.position > (o.after ?? 0) && e.position <= (o.upTo ?? Infinity)).slice(0, o.maxCount ?? 1000),
      subscribe: () => ({ unsubscribe: () => {} }),
      headPosition: async () => log[log.length - 1].position,
      positionAt: async () => 0,
      findIdempotency: async () => null,
      close: async () => {},
    };
    const exp = join(root, 'esdb-export');
    const r = await writeExport(fake, exp);
    const code = await run(verifyCommand, ['verify', '--from-export', exp, '--digest', r.digest, '--position', String(r.position), '--json']);
    const report = JSON.parse(out.join('\n'));
    expect({ code, logProblems: report.logProblems }).toEqual({ code: 0, logProblems: [] });
  });
});

describe('canonical JSON', () => {
  it('one text per value, whatever the key order, including integer-like and astral keys and nested arrays', () => {
    const a = { b: [1, { d: 2, c: [3, { f: 4, e: 5 }] }], '10': 'x', '9': 'y', '\u{1F600}': 1, '\uFF01': 2, a: null };
    const b = { a: null, '\uFF01': 2, '\u{1F600}': 1, '9': 'y', '10': 'x', b: [1, { c: [3, { e: 5, f: 4 }], d: 2 }] };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(JSON.parse(canonicalJson(a)))).toBe(canonicalJson(a));
  });

  it('different values give different texts (strings vs numbers, NFC vs NFD, nesting)', () => {
    const texts = [{ a: '1' }, { a: 1 }, { a: 'é' }, { a: 'e\u0301' }, { a: [[1]] }, { a: [1] }, { a: [] }, { a: {} }, { a: null }, { a: 'null' }, { a: true }, { a: 'true' }].map(canonicalJson);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('always writes valid JSON (sparse arrays too), so an event holding one still verifies after the SQLite round trip', async () => {
    const v = { list: [, 'x'] };
    const path = freshLedger('sparse');
    const store = new SqliteEventStore({ path });
    await store.append('s', [{ eventId: randomUUID(), type: 'T', schemaVersion: 1, data: v as any, metadata: { actorId: 'a', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null } }], 'no_stream');
    await store.close();
    const code = await run(verifyCommand, ['verify']);
    expect({ code, report: out.slice(0, 2) }).toEqual({ code: 0, report: [expect.stringMatching(/^OK/), expect.anything()] });
    expect(() => JSON.parse(canonicalJson(v))).not.toThrow();
  });
});

describe('event stores: concurrency, recordedAt, idempotency', () => {
  const meta = { actorId: 'a', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null };
  const ev = (): EventToAppend => ({ eventId: randomUUID(), type: 'T', schemaVersion: 1, data: {}, metadata: meta });

  it.each(['memory', 'sqlite'])('%s: a wrong expected revision is refused (ahead, behind, -1 on an existing stream) and appends nothing', async (kind) => {
    const store: EventStore = kind === 'memory' ? new MemoryEventStore() : new SqliteEventStore({ path: join(root, `rev-${randomUUID()}.sqlite`) });
    await store.append('s', [ev(), ev()], 'no_stream');
    for (const bad of [0, 2, 5, -1] as const) {
      await expect(store.append('s', [ev()], bad)).rejects.toMatchObject({ code: 'STREAM.WRONG_EXPECTED_REVISION' });
    }
    await expect(store.append('s', [ev()], 'no_stream')).rejects.toMatchObject({ code: 'STREAM.WRONG_EXPECTED_REVISION' });
    expect(await store.headPosition()).toBe(2);
    await store.close();
  });

  it('two SQLite connections on one file, the second with a clock behind: recordedAt never goes back along the log', async () => {
    const path = join(root, `clock-${randomUUID()}.sqlite`);
    const a = new SqliteEventStore({ path, clock: () => new Date('2014-06-01T12:00:00.000Z') });
    const b = new SqliteEventStore({ path, clock: () => new Date('2014-06-01T11:00:00.000Z') });
    await a.append('x', [ev()], 'any');
    await Promise.all([b.append('y', [ev()], 'any'), b.append('z', [ev(), ev()], 'any')]);
    const all = await b.readAll();
    await a.close();
    await b.close();
    for (let i = 1; i < all.length; i++) expect(all[i].recordedAt >= all[i - 1].recordedAt).toBe(true);
  });

  it('an idempotency key used by one user is never answered with its result for another user, and records nothing', async () => {
    const path = freshLedger('idem');
    expect(await run(seedCommand as any, ['seed'])).toBe(0);
    const store = new SqliteEventStore({ path });
    const { countyCommands } = await import('../../libs/application/src/counties/commands');
    const registry = new CommandRegistry(countyCommands as any);
    const def = registry.get('RegisterCentre');
    const payload = { centreId: 'kc-idem', countyId: 'telemark', name: 'X', municipality: 'X', openedOn: '2014-01-01' };
    const kari = { id: 'kari', name: 'kari', roles: ['finance-officer'], counties: ['telemark'], actingRole: 'finance-officer' } as any;
    const ola = { id: 'ola', name: 'ola', roles: ['finance-officer'], counties: ['telemark'], actingRole: 'finance-officer' } as any;
    const first = await handleCommand({ store }, def, payload, { actor: kari, idempotencyKey: 'k-1' });
    expect(first.replayed).toBe(false);
    const head = await store.headPosition();
    // A key is its sender's: Ola's request is Ola's own write (refused by the rules: the centre exists), never answered from Kari's record.
    await expect(handleCommand({ store }, def, payload, { actor: ola, idempotencyKey: 'k-1' })).rejects.toMatchObject({ code: 'CENTRE.ALREADY_REGISTERED' });
    const again = await handleCommand({ store }, def, payload, { actor: kari, idempotencyKey: 'k-1' });
    expect(again).toMatchObject({ replayed: true, result: first.result });
    expect(await store.headPosition()).toBe(head);
    await store.close();
  });
});

describe('ledger export opens the ledger read-only', () => {
  it('a missing SQLite ledger: exit 2 and the path named, as verify does; no ledger, folder or export created', async () => {
    const dir = join(root, 'missing', 'nested');
    process.env.LEDGER_SQLITE_PATH = join(dir, 'ledger.sqlite');
    const to = join(root, 'missing-export');
    expect(await run(exportCommand, ['export', '--to', to])).toBe(2);
    expect(err.join('\n')).toBe(`no ledger at ${join(dir, 'ledger.sqlite')}`);
    expect({ dir: existsSync(join(root, 'missing')), export: existsSync(to) }).toEqual({ dir: false, export: false });
  });

  it('an existing ledger is exported without a write to it', async () => {
    const path = freshLedger('read-only');
    const store = new SqliteEventStore({ path });
    await store.append('s', [{ eventId: randomUUID(), type: 'T', schemaVersion: 1, data: { a: 1 }, metadata: { actorId: 'a', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null } }], 'no_stream');
    await store.close();
    const before = readFileSync(path);
    expect(await run(exportCommand, ['export', '--to', join(root, 'read-only-export')])).toBe(0);
    expect(readFileSync(path).equals(before)).toBe(true);
    // The store opened read-only refuses appends. Matched by code, not with toThrow: better-sqlite3's
    // native part makes its errors with the Error class of the first test file that loaded it in this
    // jest worker, so in a later file they are not `instanceof Error` there and toThrow sees no error.
    const ro = new SqliteEventStore({ path, readonly: true });
    await expect(ro.append('s', [{ eventId: randomUUID(), type: 'T', schemaVersion: 1, data: {}, metadata: { actorId: 'a', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null } }], 'any')).rejects.toMatchObject({ code: 'SQLITE_READONLY' });
    await ro.close();
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});
