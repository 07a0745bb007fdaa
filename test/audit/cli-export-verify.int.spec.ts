import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { cliHarness } from '../helpers/cli-harness';
import { exportCommand } from '../../apps/cli/src/commands/export';
import { verifyCommand } from '../../apps/cli/src/commands/verify';
import { fillLedger, steppingClock } from './fixtures';

/** The auditor's offline round trip with the CLI: export, verify without the server or the SQLite file, tamper, see it named. */
describe('ledger export and ledger verify (CLI, in process)', () => {
  let dir: string;
  const { root, out, err, run } = cliHarness('ledger-audit-');

  beforeAll(async () => {
    dir = root;
    process.env.LEDGER_SQLITE_PATH = join(dir, 'ledger.sqlite');
    process.env.LEDGER_JWT_SECRET = 'test-secret-of-at-least-32-bytes!';
    delete process.env.EVENTSTORE_CONNECTION_STRING;
    delete process.env.LEDGER_STORE;
    const { clock, tick } = steppingClock();
    const store = new SqliteEventStore({ path: process.env.LEDGER_SQLITE_PATH, clock: () => (tick(), clock()) });
    await fillLedger(store, 7, 150);
    await store.close();
  });

  it('exports events, digest with position, schema versions and a README; verifies the live ledger and the export offline', async () => {
    const exp = join(dir, 'export');
    expect(await run(exportCommand, ['export', '--to', exp])).toBe(0);
    const digest = JSON.parse(readFileSync(join(exp, 'digest.json'), 'utf8'));
    expect(digest).toMatchObject({ position: 150, events: 150, hashCoversPosition: true, store: 'sqlite' });
    expect(out.join('\n')).toContain(digest.digest);
    const lines = readFileSync(join(exp, 'events.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(150);
    expect(lines.map((l) => JSON.parse(l).position)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    const schema = JSON.parse(readFileSync(join(exp, 'schema-versions.json'), 'utf8'));
    expect(Object.keys(schema.eventTypes)).toEqual(expect.arrayContaining(['CountyRegistered', 'CentreRegistered', 'OperatingGrantRecorded']));
    expect(Object.values(schema.eventTypes).reduce((n: number, v: any) => n + (Object.values(v) as number[]).reduce((a, b) => a + b, 0), 0)).toBe(150);
    const readme = readFileSync(join(exp, 'README.md'), 'utf8');
    expect(readme).toContain(`ledger verify --from-export <this folder> --digest ${digest.digest} --position 150`);

    // The live ledger verifies, and its digest equals the export's.
    expect(await run(verifyCommand, ['verify', '--digest', digest.digest, '--position', '150'])).toBe(0);
    expect(out[0]).toMatch(/^OK: 150 events/);

    // Offline: without the SQLite file at all.
    renameSync(process.env.LEDGER_SQLITE_PATH!, join(dir, 'moved-away.sqlite'));
    for (const suffix of ['-wal', '-shm']) if (existsSync(process.env.LEDGER_SQLITE_PATH + suffix)) rmSync(process.env.LEDGER_SQLITE_PATH + suffix);
    expect(await run(verifyCommand, ['verify', '--from-export', exp, '--digest', digest.digest, '--position', '150'])).toBe(0);
    expect(out[0]).toBe('OK: 150 events in ' + digest.streams + ' streams checked up to position 150');
    expect(await run(verifyCommand, ['verify', '--from-export', exp, '--json'])).toBe(0);
    expect(JSON.parse(out.join('\n')).digest).toEqual({ position: 150, expected: digest.digest, actual: digest.digest, matches: true });
    renameSync(join(dir, 'moved-away.sqlite'), process.env.LEDGER_SQLITE_PATH!);
  });

  it('names the first bad event in a tampered export, and a removed tail through the digest', async () => {
    const exp = join(dir, 'export2');
    expect(await run(exportCommand, ['export', '--to', exp])).toBe(0);
    const digest = JSON.parse(readFileSync(join(exp, 'digest.json'), 'utf8'));
    const file = join(exp, 'events.jsonl');
    const original = readFileSync(file, 'utf8').trim().split('\n');

    const changed = [...original];
    const e = JSON.parse(changed[59]);
    e.data = { ...e.data, note: 'endret i ettertid' };
    changed[59] = JSON.stringify(e);
    writeFileSync(file, changed.join('\n') + '\n');
    expect(await run(verifyCommand, ['verify', '--from-export', exp, '--json'])).toBe(1);
    const report = JSON.parse(out.join('\n'));
    expect(report.firstBadPosition).toBe(60);
    expect(report.brokenStreams[0]).toMatchObject({ streamId: e.streamId, revision: e.revision, position: 60, reasons: ['content-altered'] });

    writeFileSync(file, original.slice(0, 149).join('\n') + '\n');
    // The chains alone cannot see a removed tail; the digest (here the auditor's own copy) does.
    expect(await run(verifyCommand, ['verify', '--from-export', exp, '--digest', digest.digest, '--position', '150'])).toBe(1);
    expect(out.join('\n')).toContain('the log ends at position 149, but the digest was taken at position 150');

    writeFileSync(file, original.slice(0, 20).join('\n') + '\n{"not":"an event"}\n' + original.slice(21).join('\n') + '\n');
    expect(await run(verifyCommand, ['verify', '--from-export', exp, '--json'])).toBe(1);
    expect(JSON.parse(out.join('\n')).firstBadPosition).toBe(21);
  });

  it('refuses bad usage with exit code 2 and a non-empty export folder with 1', async () => {
    expect(await run(verifyCommand, ['verify', '--digest', 'abc', '--position', '3'])).toBe(2);
    expect(await run(verifyCommand, ['verify', '--digest', 'a'.repeat(64)])).toBe(2);
    expect(await run(exportCommand, ['export'])).toBe(2);
    expect(await run(exportCommand, ['export', '--to', join(dir, 'export')])).toBe(1);
    expect(err.join('\n')).toContain('not empty');
  });
});
