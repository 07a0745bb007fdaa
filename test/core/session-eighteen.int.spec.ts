/**
 * Session eighteen's changes that need the CLI: `ledger import` stopped by a failure that is not
 * the ledger's answer (a full disk, an I/O error) no longer tells the operator to "fix the line".
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importCommand } from '../../apps/cli/src/commands/import';
import { seedCommand } from '../../apps/cli/src/commands/seed';
import { cliHarness } from '../helpers/cli-harness';
import { centreLine, headOf, jsonl, whileAppendFails } from '../helpers/import-lines';

const { root, out, err, run, freshLedger } = cliHarness('session-eighteen-');

describe('`ledger import` stopped by an unexpected error (int)', () => {
  it('a store failure that is not a refusal is named "not applied: unexpected error", says the line is not at fault, and advises running the same file again, which goes on from that line', async () => {
    const path = freshLedger('unexpected');
    expect(await run(seedCommand as any, ['seed'])).toBe(0);
    const base = headOf(path);
    const file = join(root, 'unexpected.jsonl');
    writeFileSync(file, jsonl([centreLine('kc-x1'), centreLine('kc-x2'), centreLine('kc-x3')]));
    // Line 2's write fails as SQLite does when the disk is full (nothing recorded: the transaction rolls back).
    const code = await whileAppendFails('centre-kc-x', 2, () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }), () => run(importCommand, ['import', file]));
    const stderr = err.join('\n');
    expect(code).toBe(1);
    expect(stderr).toContain('line 2 (RegisterCentre) not applied: unexpected error: database or disk is full');
    expect(stderr).toMatch(/not a refusal by the ledger's rules and nothing is known to be wrong with the line/);
    expect(stderr).toContain('1 line(s) before it were applied.');
    expect(stderr).toMatch(/Fix the cause and run the same file again/);
    expect(stderr).not.toMatch(/Fix the line/);
    expect(headOf(path)).toBe(base + 1);
    // As advised: the same file again applies the rest, line 1 not twice.
    expect(await run(importCommand, ['import', file])).toBe(0);
    expect(out.join('\n')).toContain('3 line(s): 2 applied (2 events), 1 already applied earlier.');
    expect(headOf(path)).toBe(base + 3);
  });
  // The refusal by the rules ("refused" … "Fix the line") is checked in readme-claims-c.int.spec.ts.
});

describe('the local jwt-secret beside the ledger (int)', () => {
  const { execFileSync, spawn } = require('node:child_process') as typeof import('node:child_process');
  const { mkdtempSync, readdirSync, utimesSync } = require('node:fs') as typeof import('node:fs');
  const { localJwtSecret } = require('../../apps/api/src/config') as typeof import('../../apps/api/src/config');

  it('a draft a killed start left (jwt-secret.<pid>.<hex>, its process gone, over ten minutes old) is removed at the next start; a running process\'s draft, and a young one, are left alone', async () => {
    const dir = mkdtempSync(join(root, 'drafts-'));
    // A pid that was a process and is no more: a child that has exited.
    const gonePid = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString());
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dir, `jwt-secret.${gonePid}.0a1b2c3d`), 'x'.repeat(64), { mode: 0o600 });
      writeFileSync(join(dir, `jwt-secret.${live.pid}.deadbeef`), 'y'.repeat(64), { mode: 0o600 });
      writeFileSync(join(dir, 'jwt-secret.notes'), 'not a draft');
      // Written by starts killed over ten minutes ago (a younger draft may be a start under way in another container).
      const old = new Date(Date.now() - 11 * 60_000);
      for (const f of readdirSync(dir)) utimesSync(join(dir, f), old, old);
      // And one just written by a pid this process cannot see: kept.
      writeFileSync(join(dir, `jwt-secret.${gonePid}.feedf00d`), 'z'.repeat(64), { mode: 0o600 });
      const secret = localJwtSecret(join(dir, 'ledger.sqlite'));
      expect(secret).toMatch(/^[0-9a-f]{64}$/);
      expect(readdirSync(dir).sort()).toEqual(['jwt-secret', `jwt-secret.${gonePid}.feedf00d`, `jwt-secret.${live.pid}.deadbeef`, 'jwt-secret.notes'].sort());
    } finally {
      live.kill('SIGKILL');
    }
  });

  it('an empty jwt-secret that another process fills a moment later (a file system without hard links) is read, not refused as empty', async () => {
    const dir = mkdtempSync(join(root, 'empty-'));
    const file = join(dir, 'jwt-secret');
    writeFileSync(file, '', { mode: 0o600 });
    const later = 'f'.repeat(64);
    // The reader (a child: the wait blocks its thread) says READY right before it reads; this process
    // fills the file 300 ms after hearing it, so the reader finds it empty first.
    const src = `const c = require(${JSON.stringify(join(__dirname, '../../apps/api/src/config.ts'))}); console.log('READY'); const t0 = Date.now(); const s = c.localJwtSecret(${JSON.stringify(join(dir, 'ledger.sqlite'))}); console.log(JSON.stringify({ s, ms: Date.now() - t0 }));`;
    const reader = spawn(process.execPath, ['-r', join(__dirname, '../helpers/swc-register.js'), '-e', src], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let errText = '';
    reader.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    reader.stderr!.on('data', (c: Buffer) => (errText += c.toString()));
    const exited = new Promise<number>((r) => reader.on('exit', (c) => r(c ?? 1)));
    for (const t0 = Date.now(); !out.includes('READY'); await new Promise((r) => setTimeout(r, 5))) if (Date.now() - t0 > 30_000) throw new Error(`reader never started: ${errText}`);
    await new Promise((r) => setTimeout(r, 300));
    writeFileSync(file, later);
    const code = await exited;
    expect({ code, errText }).toEqual({ code: 0, errText: '' });
    const answer = JSON.parse(out.trim().split('\n').pop()!) as { s: string; ms: number };
    expect(answer.s).toBe(later);
    expect(answer.ms).toBeGreaterThanOrEqual(250); // it waited for the other process's write
  });

  it('a jwt-secret that stays empty is still refused, after that wait, with the one line that says what to do', () => {
    const dir = mkdtempSync(join(root, 'stays-empty-'));
    writeFileSync(join(dir, 'jwt-secret'), '');
    const t0 = Date.now();
    expect(() => localJwtSecret(join(dir, 'ledger.sqlite'))).toThrow(/jwt-secret is empty: delete it .* or set LEDGER_JWT_SECRET/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  });
});
