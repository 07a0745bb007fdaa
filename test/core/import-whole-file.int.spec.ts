import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { cliHarness } from '../helpers/cli-harness';
import { importCommand } from '../../apps/cli/src/commands/import';
import { seedCommand } from '../../apps/cli/src/commands/seed';
import { tokenCommand } from '../../apps/cli/src/commands/token';
import { CommandExecutor, ExecuteRequest } from '../../libs/application/src/command-executor';
import { DryRunStore } from '../../libs/application/src/dry-run-store';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';

/**
 * `ledger import` checks the whole file before applying anything: every line's shape, then a dry
 * run of the whole file through the command path. Copied from the review of the CLI
 * (test/review/cli-core-review.int.spec.ts, first block); commands run in process against a temp
 * LEDGER_SQLITE_PATH.
 */

const { root, out, err, run, freshLedger } = cliHarness('ledger-import-whole-file-');

const headOf = async (path: string): Promise<number> => {
  const s = new SqliteEventStore({ path });
  try {
    return await s.headPosition();
  } finally {
    await s.close();
  }
};

const centre = (id: string, countyId = 'telemark', openedOn = '2014-03-01') => ({ command: 'RegisterCentre', payload: { centreId: id, countyId, name: `KC ${id}`, municipality: 'Skien', openedOn } });
const jsonl = (lines: unknown[]): string => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');

describe('ledger import: a bad file is rejected whole, before anything is applied', () => {
  let path: string;
  beforeAll(async () => {
    path = freshLedger('import');
    expect(await run(seedCommand as any, ['seed'])).toBe(0);
  });

  it('two lines naming the same idempotencyKey for different requests: the file is rejected whole, nothing applied', async () => {
    const file = join(root, 'dup-key.jsonl');
    writeFileSync(file, jsonl([{ ...centre('kc-dup-a'), idempotencyKey: 'same-key' }, { ...centre('kc-dup-b'), idempotencyKey: 'same-key' }]));
    const before = await headOf(path);
    const code = await run(importCommand, ['import', file]);
    const applied = (await headOf(path)) - before;
    expect({ code, applied, stderr: err.join('\n') }).toMatchObject({ code: 1, applied: 0 });
    expect(err.join('\n')).toContain('rejected, nothing applied');
    expect(err.join('\n')).toMatch(/line 2:/);
  });

  it('a date that is no calendar date (2014-02-30) on line 2: the file is rejected whole, line 2 named, nothing applied', async () => {
    const file = join(root, 'bad-date.jsonl');
    writeFileSync(file, jsonl([centre('kc-date-a'), centre('kc-date-b', 'telemark', '2014-02-30')]));
    const before = await headOf(path);
    const code = await run(importCommand, ['import', file]);
    const applied = (await headOf(path)) - before;
    expect({ code, applied }).toEqual({ code: 1, applied: 0 });
    expect(err.join('\n')).toContain('rejected, nothing applied');
    expect(err.join('\n')).toMatch(/line 2: DATE.INVALID/);
  });

  it('an operating grant with an amount that is no NOK amount ("12,50") on line 3: the file is rejected whole, nothing applied', async () => {
    const setup = join(root, 'money-setup.jsonl');
    writeFileSync(setup, jsonl([centre('kc-money'), { command: 'RegisterParty', payload: { partyId: 'telemark-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' } }]));
    expect(await run(importCommand, ['import', setup])).toBe(0);
    const grant = (entryId: string, amount: string) => ({ command: 'RecordOperatingGrant', payload: { entryId, centreId: 'kc-money', fiscalYear: 2013, partyId: 'telemark-fk', decidedOn: '2012-12-12', amount } });
    const file = join(root, 'money.jsonl');
    writeFileSync(file, jsonl([grant('tm-2013-a', '1000000.00'), grant('tm-2013-b', '250000.00'), grant('tm-2013-c', '12,50')]));
    const before = await headOf(path);
    const code = await run(importCommand, ['import', file]);
    const applied = (await headOf(path)) - before;
    expect({ code, applied }).toEqual({ code: 1, applied: 0 });
    expect(err.join('\n')).toMatch(/line 3: MONEY.INVALID/);
  });

  it('a field named twice on a line (the payload\'s amount, or the command): the file is rejected whole, naming the line and the field, nothing applied', async () => {
    // JSON.parse would keep the last value: NOK 5,000,000 recorded where the line also says 5.00.
    const grant = JSON.stringify({ command: 'RecordOperatingGrant', payload: { entryId: 'tm-dup-field', centreId: 'kc-money', fiscalYear: 2013, partyId: 'telemark-fk', decidedOn: '2012-12-12', amount: '5.00' } });
    const twiceAmount = grant.replace('"amount":"5.00"', '"amount":"5.00","amount":"5000000.00"');
    const twiceCommand = JSON.stringify(centre('kc-dup-cmd')).replace('{"command":"RegisterCentre"', '{"command":"RegisterCentre","command":"RegisterCentre"');
    const file = join(root, 'dup-field.jsonl');
    writeFileSync(file, [JSON.stringify(centre('kc-dup-ok')), twiceAmount, twiceCommand].join('\n'));
    const before = await headOf(path);
    expect(await run(importCommand, ['import', file])).toBe(1);
    const e = err.join('\n');
    expect(e).toMatch(/line 2: IMPORT.DUPLICATE_FIELD .*payload\.amount/);
    expect(e).toMatch(/line 3: IMPORT.DUPLICATE_FIELD .*command/);
    expect(e).not.toMatch(/line 1:/);
    expect(await headOf(path)).toBe(before);
  });

  it('line numbers count every physical line (BOM, CRLF, comments, blank lines) and every bad line is named', async () => {
    const file = join(root, 'numbers.jsonl');
    const text = '\uFEFF# header\r\n\r\n' + JSON.stringify(centre('kc-n1')) + '\r\n   \r\n{oops}\r\n# c\r\n' + JSON.stringify({ command: 'RegisterCentre', payload: { centreId: 'kc-n2' } }) + '\r\n';
    writeFileSync(file, text);
    const before = await headOf(path);
    expect(await run(importCommand, ['import', file])).toBe(1);
    const e = err.join('\n');
    expect(e).toMatch(/line 5: IMPORT.INVALID_JSON/);
    expect(e).toMatch(/line 7: VALIDATION.FAILED/);
    expect(e).not.toMatch(/line 3:/);
    expect(await headOf(path)).toBe(before);
  });

  it('re-running a file whose lines were re-serialised (key order, whitespace) applies nothing twice', async () => {
    const a = join(root, 'rerun-a.jsonl');
    const b = join(root, 'rerun-b.jsonl');
    const l1 = centre('kc-rr-1');
    const l2 = { command: 'RenameCentre', payload: { centreId: 'kc-rr-1', name: 'Ny «æøå» 😀', effectiveFrom: '2015-01-01' } };
    const l3 = { command: 'RenameCentre', payload: { centreId: 'kc-rr-1', name: 'Tredje', effectiveFrom: '2016-01-01' } };
    writeFileSync(a, jsonl([l1, l2, l3]));
    const before = await headOf(path);
    expect(await run(importCommand, ['import', a])).toBe(0);
    expect(await headOf(path)).toBe(before + 3);
    // Same lines, keys in another order, extra spaces.
    const re = (o: any) => JSON.stringify({ payload: Object.fromEntries(Object.entries(o.payload).reverse()), command: o.command }, null, 0).replace(/,/g, ' , ');
    writeFileSync(b, [re(l1), re(l2), re(l3)].join('\n'));
    expect(await run(importCommand, ['import', b])).toBe(0);
    expect(out.join('\n')).toContain('0 applied (0 events), 3 already applied earlier');
    expect(await headOf(path)).toBe(before + 3);
  });

  // Changed from the review's test, which expected line 1 applied before line 2 was refused: the
  // dry run now finds the rule refusal (county not registered) before anything is applied.
  it('a line refused by the rules mid-file: rejected whole; fixing the line and re-running applies every line once', async () => {
    const file = join(root, 'fix.jsonl');
    // line 2 is refused by the rules (centre in a county that is not registered)
    writeFileSync(file, jsonl([centre('kc-fx-1'), centre('kc-fx-2', 'atlantis'), centre('kc-fx-3')]));
    const before = await headOf(path);
    expect(await run(importCommand, ['import', file])).toBe(1);
    expect(err.join('\n')).toContain('rejected, nothing applied. 1 problem(s)');
    expect(err.join('\n')).toMatch(/line 2: COUNTY.NOT_FOUND/);
    expect(await headOf(path)).toBe(before);
    writeFileSync(file, jsonl([centre('kc-fx-1'), centre('kc-fx-2'), centre('kc-fx-3')]));
    expect(await run(importCommand, ['import', file])).toBe(0);
    expect(out.join('\n')).toContain('3 line(s): 3 applied (3 events), 0 already applied earlier');
    expect(await run(importCommand, ['import', file])).toBe(0);
    expect(out.join('\n')).toContain('3 line(s): 0 applied (0 events), 3 already applied earlier');
    expect(await headOf(path)).toBe(before + 3);
  });

  it('every line refused in the dry run is named, and later lines see earlier lines\' effects', async () => {
    const file = join(root, 'several.jsonl');
    const rename = (id: string, effectiveFrom: string) => ({ command: 'RenameCentre', payload: { centreId: id, name: `Ny ${id}`, effectiveFrom } });
    // line 2 renames the centre line 1 registers (only possible if the dry run sees line 1);
    // line 3 renames before the opening date; line 5 registers a centre line 4 already registered.
    writeFileSync(file, jsonl([centre('kc-sv-1'), rename('kc-sv-1', '2015-01-01'), rename('kc-sv-1', '2013-01-01'), centre('kc-sv-2'), centre('kc-sv-2', 'vestfold')]));
    const before = await headOf(path);
    expect(await run(importCommand, ['import', file])).toBe(1);
    const e = err.join('\n');
    expect(e).toContain('rejected, nothing applied. 2 problem(s)');
    expect(e).toMatch(/line 3: CENTRE.DATE_BEFORE_OPENING/);
    expect(e).toMatch(/line 5: CENTRE.ALREADY_REGISTERED/);
    expect(e).not.toMatch(/line [124]:/);
    expect(await headOf(path)).toBe(before);
  });

  it('a line refused only while applying (someone wrote after the dry run): earlier lines stay, and re-running applies nothing twice', async () => {
    const file = join(root, 'race.jsonl');
    writeFileSync(file, jsonl([centre('kc-race-1'), centre('kc-race-2'), centre('kc-race-3')]));
    // Another writer registers kc-race-2 between the dry run and the real apply.
    const original = CommandExecutor.prototype.execute;
    let raced = false;
    const spy = jest.spyOn(CommandExecutor.prototype, 'execute').mockImplementation(async function (this: CommandExecutor, req: ExecuteRequest) {
      if (!raced && !((this as any).store instanceof DryRunStore)) {
        raced = true;
        const other = new SqliteEventStore({ path });
        const metadata = { actorId: 'someone-else', actorRole: 'admin', correlationId: 'race', causationId: null, idempotencyKey: null };
        await other.append('centre-kc-race-2', [{ eventId: randomUUID(), type: 'CentreRegistered', schemaVersion: 1, data: { centreId: 'kc-race-2', countyId: 'telemark', name: 'Other', municipality: 'Skien', openedOn: '2014-03-01' }, metadata }], 'no_stream');
        await other.close();
      }
      return original.call(this, req);
    });
    const before = await headOf(path);
    try {
      expect(await run(importCommand, ['import', file])).toBe(1);
    } finally {
      spy.mockRestore();
    }
    const e = err.join('\n');
    expect(e).toMatch(/line 2 \(RegisterCentre\) refused: CENTRE.ALREADY_REGISTERED/);
    expect(e).toContain('1 line(s) before it were applied');
    expect(e).toContain('not applied twice');
    expect(await headOf(path)).toBe(before + 2); // line 1 and the other writer's event
    writeFileSync(file, jsonl([centre('kc-race-1'), centre('kc-race-2b'), centre('kc-race-3')]));
    expect(await run(importCommand, ['import', file])).toBe(0);
    expect(out.join('\n')).toContain('3 line(s): 2 applied (2 events), 1 already applied earlier');
    expect(await headOf(path)).toBe(before + 4);
  });

  it('--token: the token user\'s role and counties are used (never the CLI\'s admin)', async () => {
    expect(await run(tokenCommand, ['token', '--role', 'finance-officer', '--county', 'telemark', '--sub', 'kari'])).toBe(0);
    const token = out[0].trim();
    const file = join(root, 'as-kari.jsonl');
    writeFileSync(file, jsonl([{ command: 'RegisterCounty', payload: { countyId: 'atlantis', name: 'Atlantis', countyNumber: '99' } }]));
    const before = await headOf(path);
    expect(await run(importCommand, ['import', file, '--token', token])).toBe(1);
    expect(err.join('\n')).toMatch(/ACCESS.ROLE_NOT_ALLOWED/);
    expect(await headOf(path)).toBe(before);
  });

  it('--token of a user with a role that may not run a later line: the file is rejected before line 1 is applied', async () => {
    expect(await run(tokenCommand, ['token', '--role', 'finance-officer', '--county', 'telemark', '--sub', 'kari'])).toBe(0);
    const token = out[0].trim();
    const file = join(root, 'role-later.jsonl');
    writeFileSync(file, jsonl([centre('kc-role-1'), { command: 'RegisterCounty', payload: { countyId: 'atlantis', name: 'Atlantis', countyNumber: '99' } }]));
    const before = await headOf(path);
    const code = await run(importCommand, ['import', file, '--token', token]);
    expect({ code, applied: (await headOf(path)) - before }).toEqual({ code: 1, applied: 0 });
  });

  it('an allocation or a correction of the base grant (HTTP only: the route computes the eligibility snapshot) rejects the file whole, even for a Vox token', async () => {
    expect(await run(tokenCommand, ['token', '--role', 'vox', '--sub', 'vox-1'])).toBe(0);
    const token = out[0].trim();
    const verdicts = [{ countyId: 'telemark', countyNumber: '08', name: 'Telemark', eligible: true, failedCriteria: [], qualifyingCentreIds: [] }];
    const file = join(root, 'allocation.jsonl');
    writeFileSync(
      file,
      jsonl([
        { command: 'PublishGrantScheme', payload: { year: 2014, baseGrant: '100.00', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01' } },
        { command: 'AllocateBaseGrant', payload: { year: 2014, schemeVersion: 1, basedOnPosition: 1, verdicts } },
        { command: 'CorrectBaseGrantAllocation', payload: { year: 2014, reason: 'x', schemeVersion: 1, basedOnPosition: 1, verdicts } },
      ]),
    );
    const before = await headOf(path);
    const code = await run(importCommand, ['import', file, '--token', token]);
    expect({ code, applied: (await headOf(path)) - before }).toEqual({ code: 1, applied: 0 });
    const e = err.join('\n');
    expect(e).toContain('rejected, nothing applied. 2 problem(s)');
    expect(e).toMatch(/line 2: IMPORT.COMMAND_NOT_IMPORTABLE .*POST \/grant-schemes\/:year\/allocation$/m);
    expect(e).toMatch(/line 3: IMPORT.COMMAND_NOT_IMPORTABLE .*POST \/grant-schemes\/:year\/allocation\/corrections$/m);
  });
});
