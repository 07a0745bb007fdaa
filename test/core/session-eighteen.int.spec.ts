/**
 * Session eighteen's changes that need the CLI: `ledger import` stopped by a failure that is not
 * the ledger's answer (a full disk, an I/O error) no longer tells the operator to "fix the line".
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importCommand } from '../../apps/cli/src/commands/import';
import { seedCommand } from '../../apps/cli/src/commands/seed';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { cliHarness } from '../helpers/cli-harness';

const { root, out, err, run, freshLedger } = cliHarness('session-eighteen-');

const centreLine = (id: string) => ({ command: 'RegisterCentre', payload: { centreId: id, countyId: 'telemark', name: `KC ${id}`, municipality: 'Skien', openedOn: '2014-03-01' }, idempotencyKey: `reg-${id}` });
const jsonl = (lines: unknown[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
const headOf = (path: string): number => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT COALESCE(MAX(position), 0) FROM events').pluck().get() as number;
  } finally {
    db.close();
  }
};

describe('`ledger import` stopped by an unexpected error (int)', () => {
  it('a store failure that is not a refusal is named "not applied: unexpected error", says the line is not at fault, and advises running the same file again, which goes on from that line', async () => {
    const path = freshLedger('unexpected');
    expect(await run(seedCommand as any, ['seed'])).toBe(0);
    const base = headOf(path);
    const file = join(root, 'unexpected.jsonl');
    writeFileSync(file, jsonl([centreLine('kc-x1'), centreLine('kc-x2'), centreLine('kc-x3')]));
    const original = SqliteEventStore.prototype.append;
    let calls = 0;
    // Line 2's write fails as SQLite does when the disk is full (nothing recorded: the transaction rolls back).
    const spy = jest.spyOn(SqliteEventStore.prototype, 'append').mockImplementation(async function (this: SqliteEventStore, ...a: Parameters<SqliteEventStore['append']>) {
      if (String(a[0]).startsWith('centre-kc-x') && ++calls === 2) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      return original.apply(this, a);
    });
    let code: number;
    try {
      code = await run(importCommand, ['import', file]);
    } finally {
      spy.mockRestore();
    }
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
