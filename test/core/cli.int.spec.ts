import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenService } from '../../apps/api/src/auth/token.service';
import { loadConfig } from '../../apps/api/src/config';
import { optionsOf } from '../../apps/cli/src/args';
import { exportHelp } from '../../apps/cli/src/commands/export';
import { verifyHelp } from '../../apps/cli/src/commands/verify';
import Database from 'better-sqlite3';
import { toLayoutBeforeSenders } from '../../libs/event-store/src/legacy-idempotency.fixture';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { ledgerChild } from '../helpers/ledger-child';


/** Runs `ledger ARGS` as a child process against `env`. */
const ledger = (args: string[], env: Record<string, string>) => ledgerChild(args, env);

const head = async (path: string): Promise<number> => {
  const s = new SqliteEventStore({ path });
  try {
    return await s.headPosition();
  } finally {
    await s.close();
  }
};

describe('the ledger CLI (child process, temp LEDGER_SQLITE_PATH)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-cli-'));
  const path = join(dir, 'data', 'ledger.sqlite');
  const env = { LEDGER_SQLITE_PATH: path };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('token: prints a JWT that the server (same data folder) verifies, with the role and counties asked for', async () => {
    const out = await ledger(['token', '--role', 'finance-officer', '--county', 'telemark', '--county', 'vestfold', '--sub', 'kari'], env);
    expect(out.code).toBe(0);
    const token = out.stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    const actor = await new TokenService(loadConfig({ LEDGER_SQLITE_PATH: path } as NodeJS.ProcessEnv)).verify(token);
    expect(actor).toEqual({ id: 'kari', name: 'kari', roles: ['finance-officer'], counties: ['telemark', 'vestfold'] });
    // A server with another secret refuses it.
    await expect(new TokenService({ jwtSecret: 'other', jwksUrl: null, jwtIssuer: null, jwtAudience: null }).verify(token)).rejects.toMatchObject({ code: 'AUTH.TOKEN_INVALID' });
  });

  it('token: refuses an unknown or missing role with exit code 2', async () => {
    const bad = await ledger(['token', '--role', 'king'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown: king');
    expect((await ledger(['token'], env)).code).toBe(2);
    const ttl = await ledger(['token', '--role', 'admin', '--ttl', 'forever'], env);
    expect(ttl.code).toBe(2);
    expect(ttl.stderr).toContain('--ttl');
  });

  it('seed: the first run records the 19 counties, the second records nothing', async () => {
    const first = await ledger(['seed'], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('19 new event(s) recorded');
    expect(await head(path)).toBe(19);
    const second = await ledger(['seed'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('0 new event(s) recorded');
    expect(await head(path)).toBe(19);
  });

  it('seed: counties registered earlier by someone else count as present', async () => {
    const other = join(dir, 'other', 'ledger.sqlite');
    const file = join(dir, 'one-county.jsonl');
    writeFileSync(file, JSON.stringify({ command: 'RegisterCounty', payload: { countyId: 'oslo', name: 'Oslo', countyNumber: '03' } }));
    expect((await ledger(['import', file], { LEDGER_SQLITE_PATH: other })).code).toBe(0);
    const out = await ledger(['seed'], { LEDGER_SQLITE_PATH: other });
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('18 new event(s) recorded');
    expect(await head(other)).toBe(19);
  });

  it('import: a good file applies every line; running it again applies nothing', async () => {
    const file = join(dir, 'good.jsonl');
    writeFileSync(
      file,
      [
        '# centres of Telemark',
        JSON.stringify({ command: 'RegisterCentre', payload: { centreId: 'kc-skien', countyId: 'telemark', name: 'Skien', municipality: 'Skien', openedOn: '2014-03-01' }, idempotencyKey: 'imp-1' }),
        JSON.stringify({ command: 'RegisterCentre', payload: { centreId: 'kc-notodden', countyId: 'telemark', name: 'Notodden', municipality: 'Notodden', openedOn: '2015-01-05' } }),
        '',
        JSON.stringify({ command: 'RenameCentre', payload: { centreId: 'kc-skien', name: 'Karriere Telemark', effectiveFrom: '2016-01-01' } }),
      ].join('\n'),
    );
    const before = await head(path);
    const first = await ledger(['import', file], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('3 line(s): 3 applied (3 events), 0 already applied earlier');
    expect(await head(path)).toBe(before + 3);
    const second = await ledger(['import', file], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('3 line(s): 0 applied (0 events), 3 already applied earlier');
    expect(await head(path)).toBe(before + 3);
    const store = new SqliteEventStore({ path });
    const events = await store.readStream('centre-kc-skien');
    await store.close();
    expect(events.map((e) => e.type)).toEqual(['CentreRegistered', 'CentreRenamed']);
    expect(events[0].metadata).toMatchObject({ actorId: 'ledger-cli', actorRole: 'admin', idempotencyKey: 'imp-1' });
  });

  it('import: a file with bad lines is rejected whole, naming each bad line, and nothing is recorded', async () => {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ command: 'RegisterCentre', payload: { centreId: 'kc-bo', countyId: 'telemark', name: 'Bø', municipality: 'Bø', openedOn: '2016-01-01' } }),
        '{"command": "RegisterCentre", "payload": ',
        JSON.stringify({ command: 'RegisterCentre', payload: { centreId: 'kc-x', countyId: 'telemark', name: 'X', municipality: 'X', openedOn: '2016-01-01', budget: 5 } }),
        JSON.stringify({ command: 'LaunchRocket', payload: {} }),
        JSON.stringify({ command: 'RenameCentre', payload: { centreId: 'kc-skien', name: 42, effectiveFrom: '2016-01-01' } }),
      ].join('\n'),
    );
    const before = await head(path);
    const out = await ledger(['import', file], env);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('rejected, nothing applied. 4 problem(s)');
    expect(out.stderr).toMatch(/line 2: IMPORT.INVALID_JSON/);
    expect(out.stderr).toMatch(/line 3: VALIDATION.UNKNOWN_FIELD/);
    expect(out.stderr).toMatch(/line 4: COMMAND.UNKNOWN/);
    expect(out.stderr).toMatch(/line 5: VALIDATION.FAILED/);
    expect(out.stderr).not.toMatch(/line 1:/);
    expect(await head(path)).toBe(before);
  });

  it('import --token: lines run as that user, with the same object-level access as HTTP; a line for another county rejects the file whole', async () => {
    const token = (await ledger(['token', '--role', 'finance-officer', '--county', 'telemark', '--sub', 'kari'], env)).stdout.trim();
    const porsgrunn = JSON.stringify({ command: 'RegisterCentre', payload: { centreId: 'kc-porsgrunn', countyId: 'telemark', name: 'Porsgrunn', municipality: 'Porsgrunn', openedOn: '2016-01-01' } });
    const file = join(dir, 'as-kari.jsonl');
    writeFileSync(file, [porsgrunn, JSON.stringify({ command: 'RegisterCentre', payload: { centreId: 'kc-larvik', countyId: 'vestfold', name: 'Larvik', municipality: 'Larvik', openedOn: '2016-01-01' } })].join('\n'));
    const before = await head(path);
    const out = await ledger(['import', file, '--token', token], env);
    expect(out.code).toBe(1);
    // Found by the dry run: line 1 (which kari may record) is not applied either.
    expect(out.stderr).toContain('rejected, nothing applied. 1 problem(s)');
    expect(out.stderr).toMatch(/line 2: ACCESS.OTHER_COUNTY/);
    expect(out.stderr).not.toMatch(/line 1:/);
    expect(await head(path)).toBe(before);
    // Without the other county's line the file applies, as kari.
    writeFileSync(file, porsgrunn);
    const ok = await ledger(['import', file, '--token', token], env);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(await head(path)).toBe(before + 1);
    const store = new SqliteEventStore({ path });
    const [e] = await store.readStream('centre-kc-porsgrunn');
    await store.close();
    expect(e.metadata).toMatchObject({ actorId: 'kari', actorRole: 'finance-officer' });
  });

  it('import writes as one sender (ledger-cli, or the subject of --token): run again as that sender, a file applies nothing twice, also on a ledger whose receipts were stored before keys were per sender, and with a token of another role of the same subject', async () => {
    const oldPath = join(dir, 'old-layout', 'ledger.sqlite');
    const oldEnv = { LEDGER_SQLITE_PATH: oldPath };
    const file = join(dir, 'before-senders.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ command: 'RegisterCounty', payload: { countyId: 'telemark', name: 'Telemark', countyNumber: '08' } }),
        JSON.stringify({ command: 'RegisterCentre', payload: { centreId: 'kc-skien', countyId: 'telemark', name: 'Skien', municipality: 'Skien', openedOn: '2014-03-01' }, idempotencyKey: 'old-1' }),
        JSON.stringify({ command: 'RenameCentre', payload: { centreId: 'kc-skien', name: 'Karriere Skien', effectiveFrom: '2016-01-01' } }),
      ].join('\n'),
    );
    expect((await ledger(['import', file], oldEnv)).stdout).toContain('3 line(s): 3 applied (3 events), 0 already applied earlier');
    // The ledger's receipts as they were stored before keys were per sender (the key alone).
    const raw = new Database(oldPath);
    toLayoutBeforeSenders(raw);
    raw.close();
    const again = await ledger(['import', file], oldEnv);
    expect([again.code, again.stderr]).toEqual([0, '']);
    expect(again.stdout).toContain('3 line(s): 0 applied (0 events), 3 already applied earlier');
    expect(await head(oldPath)).toBe(3);
    // As the subject of --token: again as the same subject, with a token of another of their roles, nothing twice.
    const kariFile = join(dir, 'as-kari-twice.jsonl');
    writeFileSync(kariFile, JSON.stringify({ command: 'RegisterCentre', payload: { centreId: 'kc-bo', countyId: 'telemark', name: 'Bø', municipality: 'Bø', openedOn: '2016-01-01' } }));
    const asOfficer = (await ledger(['token', '--role', 'finance-officer', '--county', 'telemark', '--sub', 'kari'], oldEnv)).stdout.trim();
    const asAdmin = (await ledger(['token', '--role', 'admin', '--sub', 'kari'], oldEnv)).stdout.trim();
    expect((await ledger(['import', kariFile, '--token', asOfficer], oldEnv)).stdout).toContain('1 line(s): 1 applied (1 events)');
    const adminRun = await ledger(['import', kariFile, '--token', asAdmin], oldEnv);
    expect([adminRun.stderr, adminRun.stdout]).toEqual(['', expect.stringContaining('1 line(s): 0 applied (0 events), 1 already applied earlier')]);
    expect((await ledger(['import', kariFile], oldEnv)).stderr).toMatch(/line 1: CENTRE.ALREADY_REGISTERED/); // as ledger-cli: its own write, refused by the rules
    expect(await head(oldPath)).toBe(4);
  });

  it('replay: rebuilds every projection from 0, prints a summary, and exits 0 when rebuilt == live', async () => {
    const out = await ledger(['replay'], env);
    expect(out.code).toBe(0);
    const events = await head(path);
    expect(out.stdout).toContain(`replayed ${events} events in`);
    expect(out.stdout).toMatch(/centre-directory\s+v\d+\s+equals the live view/);
    expect(out.stdout).not.toContain('DIFFERS');
    expect(out.stderr).toContain(`${events}/${events}`); // the progress bar reached the end
  });

  it('an unknown command prints usage and exits 2; no command prints usage and exits 0', async () => {
    const bad = await ledger(['frobnicate'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('usage: ledger <command>');
    const none = await ledger([], env);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('token --role ROLE');
  });

  it('an option the command does not know is refused with exit 2 and the command\'s usage, before anything is done', async () => {
    const verify = await ledger(['verify', '--bogus'], env);
    expect(verify.code).toBe(2);
    expect(verify.stderr).toContain('unknown option --bogus');
    expect(verify.stderr).toContain(`usage: ledger ${verifyHelp}`);
    // A misspelt --up-to would otherwise have exported everything.
    const to = join(dir, 'export-upto');
    const exp = await ledger(['export', '--to', to, '--upto', '50'], env);
    expect(exp.code).toBe(2);
    expect(exp.stderr).toContain('unknown option --upto');
    expect(existsSync(to)).toBe(false);
    const two = await ledger(['seed', '--force', '--dry-run'], env);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('unknown options --force, --dry-run');
    // A command's usage line is the one list of the options it takes.
    expect(optionsOf(exportHelp)).toEqual(['to', 'up-to']);
    expect(optionsOf(verifyHelp)).toEqual(['digest', 'position', 'up-to', 'from-export', 'json']);
  });
});
