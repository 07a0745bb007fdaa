/**
 * Closing a centre from a date before facts already recorded for it in other streams (money for a
 * later year, staff positions, board proposals, votes and decisions, county-line decisions, grant
 * evidence) is refused: 409 CENTRE.CLOSE_BEFORE_ACTIVITY, naming the latest such fact and the earliest
 * day the centre can be closed from, and nothing is recorded. Without it the funding view silently left
 * that money out of county and country totals (they count only centres open in the year).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importCommand } from '../../apps/cli/src/commands/import';
import { seedCommand } from '../../apps/cli/src/commands/seed';
import { dryRunImport, parseImportFile } from '../../libs/application/src/import-file';
import { CommandRegistry } from '../../libs/application/src/command-registry';
import { ProjectionEngine } from '../../libs/application/src/projection-engine';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { cliHarness } from '../helpers/cli-harness';
import { startTestApp, TestApp } from '../helpers/test-app';

type Auth = { Authorization: string };

describe('closing a centre before activity recorded for it (e2e)', () => {
  let t: TestApp;
  let fo: Auth; // finance officer of Telemark
  let admin: Auth;

  const post = (path: string, body: object, auth: Auth = fo) => t.http().post(path).set(auth).send(body);
  const ok = async (path: string, body: object, status = 201, auth: Auth = fo) => {
    const res = await post(path, body, auth);
    if (res.status !== status) throw new Error(`POST ${path} answered ${res.status}, expected ${status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const get = async (path: string) => (await t.http().get(path).set(admin)).body;
  const centre = (centreId: string, openedOn = '2010-01-01', countyId = 'telemark', auth: Auth = fo) =>
    ok('/centres', { centreId, countyId, name: `Karrieresenter ${centreId}`, municipality: 'Skien', openedOn }, 201, auth);
  const grant = (centreId: string, entryId: string, fiscalYear: number, amount: string, partyId = 'tm-fk', auth: Auth = fo) =>
    ok(`/centres/${centreId}/funding/operating-grants`, { entryId, fiscalYear, partyId, amount, decidedOn: `${fiscalYear}-01-10`, reference: null }, 201, auth);
  const position = (centreId: string, positionId: string, startedOn: string) =>
    ok(`/centres/${centreId}/staff-positions`, { positionId, title: 'Karriereveileder', employerKind: 'centre', fte: '1', payer: { kind: 'centre' }, startedOn });
  const close = (centreId: string, closedOn: string, auth: Auth = fo) => post(`/centres/${centreId}/close`, { closedOn, reason: 'nedlagt' }, auth);
  /** Closing refused: the answer, after checking that nothing at all was recorded. */
  const refusedClose = async (centreId: string, closedOn: string) => {
    const before = await t.store.headPosition();
    const res = await close(centreId, closedOn);
    expect([res.status, res.body.code]).toEqual([409, 'CENTRE.CLOSE_BEFORE_ACTIVITY']);
    expect(await t.store.headPosition()).toBe(before);
    expect((await t.store.readStream(`centre-${centreId}`)).map((e) => e.type)).not.toContain('CentreClosed');
    return res.body;
  };

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    fo = await t.auth('finance-officer', ['telemark'], 'fo-telemark');
    admin = await t.auth('admin');
    await ok('/parties', { partyId: 'tm-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' });
    await ok('/parties', { partyId: 'nav-tm', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark' });
  });
  afterAll(() => t?.close());

  it('close before a later year\'s operating grant: 409 naming the grant and the earliest closing date, nothing recorded; the earliest date is then accepted', async () => {
    await centre('kc-money');
    await grant('kc-money', 'money-2013', 2013, '100000.00');
    await grant('kc-money', 'money-2016', 2016, '500000.00', 'nav-tm');
    const body = await refusedClose('kc-money', '2015-06-30');
    expect(body.message).toContain('2015-06-30');
    expect(body.message).toContain('money for 2016 (operating grant from nav-tm, 1 entry)');
    expect(body.message).toContain('2016-01-02');
    expect(body.details).toMatchObject({ centreId: 'kc-money', closedOn: '2015-06-30', earliestClosedOn: '2016-01-02', conflictCount: 1 });
    expect(body.details.conflicts).toEqual([
      expect.objectContaining({ kind: 'money', id: null, fiscalYear: 2016, moneyKind: 'operating-grant', partyId: 'nav-tm', liveEntries: 1, amount: '500000.00' }),
    ]);
    expect(body.details.latest).toEqual(body.details.conflicts[0]);
    // Closed from 1 January 2016 it is not one of 2016's centres either: still refused.
    await refusedClose('kc-money', '2016-01-01');
    expect((await get('/centres/kc-money')).closedOn).toBeNull();
    expect((await close('kc-money', '2016-01-02')).status).toBe(200);
    expect((await get('/centres/kc-money')).closedOn).toBe('2016-01-02');
  });

  it('close after all activity recorded for the centre: 200', async () => {
    await centre('kc-done');
    await grant('kc-done', 'done-2013', 2013, '250000.00');
    await position('kc-done', 'done-p', '2011-01-01');
    await ok('/centres/kc-done/staff-positions/done-p/end', { endedOn: '2013-12-31' }, 200);
    // submitted after the closing date: a report for 2013 needs the centre open on some day of 2013 only
    await ok('/centres/kc-done/grant-evidence/annual-reports', { reportId: 'done-rep', year: 2013, submittedOn: '2014-02-20' });
    const res = await close('kc-done', '2014-01-01');
    expect([res.status, res.body.code]).toEqual([200, undefined]);
  });

  it('close before (or on) a staff position\'s start: 409 naming the position; closed after it starts, the open position can still be ended', async () => {
    await centre('kc-staff');
    await position('kc-staff', 'late-p', '2014-03-01');
    const body = await refusedClose('kc-staff', '2014-01-01');
    expect(body.details).toMatchObject({ earliestClosedOn: '2014-03-02', conflictCount: 1 });
    const started = (await t.store.readStream('position-late-p'))[0];
    expect(body.details.conflicts).toEqual([expect.objectContaining({ kind: 'staff-position', id: 'late-p', date: '2014-03-01', startedOn: '2014-03-01', endedOn: null, streamId: 'position-late-p', position: started.position })]);
    expect(body.message).toContain('staff position late-p, which started on 2014-03-01');
    await refusedClose('kc-staff', '2014-03-01');
    expect((await close('kc-staff', '2014-03-02')).status).toBe(200);
    // The repair the closing rule keeps possible: a last day before the closing date.
    await ok('/centres/kc-staff/staff-positions/late-p/end', { endedOn: '2014-03-01' }, 200);
  });

  it('a position ended before the closing date does not block; one whose last day is on or after it does', async () => {
    await centre('kc-ended');
    await position('kc-ended', 'ended-p', '2012-01-01');
    await ok('/centres/kc-ended/staff-positions/ended-p/end', { endedOn: '2013-06-30' }, 200);
    const body = await refusedClose('kc-ended', '2013-06-30');
    expect(body.details.conflicts).toEqual([expect.objectContaining({ kind: 'staff-position', id: 'ended-p', date: '2013-06-30', endedOn: '2013-06-30' })]);
    expect(body.details.earliestClosedOn).toBe('2013-07-01');
    expect((await close('kc-ended', '2013-07-01')).status).toBe(200);
  });

  it('reversed money does not block, nor money corrected into an earlier year', async () => {
    await centre('kc-rev');
    await grant('kc-rev', 'rev-2016', 2016, '300000.00');
    await ok('/centres/kc-rev/funding/entries/rev-2016/reversal', { reason: 'feil senter' });
    await grant('kc-rev', 'rev-2017', 2017, '400000.00');
    await refusedClose('kc-rev', '2015-01-01');
    await ok('/centres/kc-rev/funding/entries/rev-2017/correction', { reason: 'feil år', fiscalYear: 2014 });
    expect((await close('kc-rev', '2015-01-01')).status).toBe(200);
  });

  it('close before a board\'s vote and decision about the centre: 409 listing them, latest first', async () => {
    await centre('kc-board');
    await ok('/boards', { boardId: 'b-close', countyId: 'telemark', centreIds: ['kc-board'], name: 'Styret', establishedOn: '2012-01-01' });
    await ok('/boards/b-close/members', { personId: 'chair-1', name: 'Kari', partyId: 'tm-fk', role: 'chair', term: { from: '2012-01-01' } });
    const chair = await t.auth('board-member', [], 'chair-1');
    await ok('/boards/b-close/proposals', { proposalId: 'goals-2014', kind: 'goals', year: 2014, title: 'Mål 2014', content: { goals: ['veiledning'] }, tabledOn: '2014-02-01' }, 201, chair);
    await ok('/boards/b-close/proposals/goals-2014/votes', { vote: 'for', castOn: '2014-02-05' }, 201, chair);
    await ok('/boards/b-close/proposals/goals-2014/close', { closedOn: '2014-02-10' }, 200, chair);
    const decision = await refusedClose('kc-board', '2014-02-07');
    expect(decision.details).toMatchObject({ conflictCount: 1, earliestClosedOn: '2014-02-11' });
    expect(decision.details.conflicts).toEqual([expect.objectContaining({ kind: 'board-decision', id: 'goals-2014', date: '2014-02-10', boardId: 'b-close', outcome: 'adopted', streamId: 'board-b-close' })]);
    expect(decision.message).toContain("board b-close's decision on proposal goals-2014 (adopted), taken on 2014-02-10");
    const earlier = await refusedClose('kc-board', '2014-02-01');
    expect(earlier.details.conflicts.map((f: any) => [f.kind, f.date])).toEqual([
      ['board-decision', '2014-02-10'],
      ['vote-cast', '2014-02-05'],
      ['proposal-tabled', '2014-02-01'],
    ]);
    expect((await close('kc-board', '2014-02-11')).status).toBe(200);
  });

  it('close before a county-line decision for the centre: 409', async () => {
    await centre('kc-line');
    await ok('/counties/telemark/county-line-decisions', { decisionId: 'cl-2014', centreIds: ['kc-line'], kind: 'goals', year: 2014, title: 'Mål', content: { goals: ['g'] }, decidedOn: '2014-05-01' });
    const body = await refusedClose('kc-line', '2014-04-01');
    expect(body.details.conflicts).toEqual([expect.objectContaining({ kind: 'county-line-decision', id: 'cl-2014', date: '2014-05-01', streamId: 'county-line-telemark' })]);
    expect((await close('kc-line', '2014-05-02')).status).toBe(200);
  });

  it('close before grant evidence (an annual report, a user survey): 409; withdrawn evidence does not block', async () => {
    await centre('kc-evid');
    await ok('/centres/kc-evid/grant-evidence/annual-reports', { reportId: 'rep-2013', year: 2013, submittedOn: '2014-02-20' });
    await ok('/centres/kc-evid/grant-evidence/user-survey-participations', { participationId: 'survey-2013', period: { from: '2013-09-01', to: '2013-10-31' } });
    // The report for 2013 needs the centre open on some day of 2013 (1 January at least), not on the day it was submitted.
    const body = await refusedClose('kc-evid', '2013-01-01');
    expect(body.details.conflicts.map((f: any) => [f.kind, f.id, f.date, f.openUntil])).toEqual([
      ['user-survey-participation', 'survey-2013', '2013-09-01', '2013-09-01'],
      ['annual-report', 'rep-2013', '2014-02-20', '2013-01-01'],
    ]);
    expect(body.details.earliestClosedOn).toBe('2013-09-02');
    expect(body.message).toContain('2 facts already recorded');
    const afterReport = await refusedClose('kc-evid', '2013-06-01');
    expect(afterReport.details.conflicts.map((f: any) => f.id)).toEqual(['survey-2013']);
    await ok('/centres/kc-evid/grant-evidence/survey-2013/withdrawal', { reason: 'feil senter' }, 200);
    const still = await refusedClose('kc-evid', '2013-01-01');
    expect(still.details.conflicts.map((f: any) => f.id)).toEqual(['rep-2013']);
    await ok('/centres/kc-evid/grant-evidence/rep-2013/withdrawal', { reason: 'feil senter' }, 200);
    expect((await close('kc-evid', '2013-01-01')).status).toBe(200);
  });

  it('the county funding mix still equals the sum of the money recorded after a valid close, and a close that would drop money is refused', async () => {
    const vf = await t.auth('finance-officer', ['vestfold'], 'fo-vestfold');
    await ok('/parties', { partyId: 'vf-fk', name: 'Vestfold fylkeskommune', kind: 'county-authority', countyId: 'vestfold' }, 201, vf);
    await centre('vf-a', '2010-01-01', 'vestfold', vf);
    await centre('vf-b', '2010-01-01', 'vestfold', vf);
    const recorded: Record<number, number> = {};
    const money = async (centreId: string, entryId: string, year: number, nok: number) => {
      await grant(centreId, entryId, year, `${nok}.00`, 'vf-fk', vf);
      recorded[year] = (recorded[year] ?? 0) + nok;
    };
    await money('vf-a', 'vf-a-2014', 2014, 1000000);
    await money('vf-a', 'vf-a-2015', 2015, 700000);
    await money('vf-b', 'vf-b-2014', 2014, 600000);
    await money('vf-b', 'vf-b-2015', 2015, 400000);
    // vf-a cannot be closed in 2014: its 2015 money would leave the county's 2015 totals.
    const refused = await close('vf-a', '2014-07-01', vf);
    expect([refused.status, refused.body.code, refused.body.details.earliestClosedOn]).toEqual([409, 'CENTRE.CLOSE_BEFORE_ACTIVITY', '2015-01-02']);
    // A valid close: during 2015, after the money it holds.
    expect((await close('vf-a', '2015-07-01', vf)).status).toBe(200);
    for (const year of [2014, 2015]) {
      const county = await get(`/counties/vestfold/funding-mix/${year}`);
      expect([year, county.total.amount]).toEqual([year, `${recorded[year]}.00`]);
      expect(county.parts.map((p: any) => p.id).sort()).toEqual(['vf-a', 'vf-b']);
      const country = await get(`/funding-mix/${year}`);
      expect(country.parts.find((p: any) => p.id === 'vestfold').total.amount).toBe(`${recorded[year]}.00`);
    }
  });

  it('ledger import\'s dry run refuses a file that records money and then closes the centre before it (with the views, and without an engine)', async () => {
    await centre('kc-import');
    const file = [
      { command: 'RecordOperatingGrant', payload: { entryId: 'imp-2016', centreId: 'kc-import', fiscalYear: 2016, partyId: 'tm-fk', amount: '1000.00', decidedOn: '2016-01-10' } },
      { command: 'StartStaffPosition', payload: { positionId: 'imp-p', centreId: 'kc-import', title: 'Leder', employerKind: 'centre', fte: '1', startedOn: '2015-09-01' } },
      { command: 'CloseCentre', payload: { centreId: 'kc-import', closedOn: '2015-06-30', reason: 'nedlagt' } },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const registry = t.app.get(CommandRegistry);
    const { lines, problems } = await parseImportFile(file, registry);
    expect(problems).toEqual([]);
    const actor = { id: 'fo-telemark', name: 'FO', roles: ['finance-officer' as const], counties: ['telemark'], actingRole: 'finance-officer' as const };
    const before = await t.store.headPosition();
    for (const engine of [t.app.get(ProjectionEngine), null]) {
      const refused = await dryRunImport(t.store, registry, lines, actor, engine);
      expect(refused.map((p) => [p.line, p.code])).toEqual([[3, 'CENTRE.CLOSE_BEFORE_ACTIVITY']]);
      expect(refused[0].message).toContain('money for 2016 (operating grant from tm-fk, 1 entry)');
      expect(refused[0].message).toContain('2 facts');
    }
    expect(await t.store.headPosition()).toBe(before);
  });

  it('ledger import\'s dry run counts its own reversal of money already in the ledger: reversing it and then closing before its year passes', async () => {
    await centre('kc-import2');
    await grant('kc-import2', 'imp2-2016', 2016, '2000.00');
    const file = [
      { command: 'ReverseEntry', payload: { entryId: 'imp2-2016', centreId: 'kc-import2', reason: 'feil senter' } },
      { command: 'CloseCentre', payload: { centreId: 'kc-import2', closedOn: '2015-06-30', reason: 'nedlagt' } },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const registry = t.app.get(CommandRegistry);
    const { lines } = await parseImportFile(file, registry);
    const actor = { id: 'fo-telemark', name: 'FO', roles: ['finance-officer' as const], counties: ['telemark'], actingRole: 'finance-officer' as const };
    for (const engine of [t.app.get(ProjectionEngine), null]) expect(await dryRunImport(t.store, registry, lines, actor, engine)).toEqual([]);
    // Without the reversal line the close alone is refused.
    for (const engine of [t.app.get(ProjectionEngine), null]) {
      expect((await dryRunImport(t.store, registry, lines.slice(1), actor, engine)).map((p) => p.code)).toEqual(['CENTRE.CLOSE_BEFORE_ACTIVITY']);
    }
  });
});

describe('closing a centre before activity: the ledger CLI on a SQLite file (e2e)', () => {
  const { root, err, run, freshLedger } = cliHarness('ledger-close-before-activity-');
  let path: string;
  const headOf = async (): Promise<number> => {
    const s = new SqliteEventStore({ path });
    try {
      return await s.headPosition();
    } finally {
      await s.close();
    }
  };
  const importLines = async (name: string, lines: object[]): Promise<number> => {
    const file = join(root, `${name}.jsonl`);
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
    return run(importCommand, ['import', file]);
  };
  const setup = [
    { command: 'RegisterParty', payload: { partyId: 'cli-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' } },
    { command: 'RegisterCentre', payload: { centreId: 'cli-kc', countyId: 'telemark', name: 'Karrieresenter CLI', municipality: 'Skien', openedOn: '2010-01-01' } },
    { command: 'RecordOperatingGrant', payload: { entryId: 'cli-2016', centreId: 'cli-kc', fiscalYear: 2016, partyId: 'cli-fk', amount: '1000.00', decidedOn: '2016-01-10' } },
  ];
  const closeLine = (closedOn: string) => ({ command: 'CloseCentre', payload: { centreId: 'cli-kc', closedOn, reason: 'nedlagt' } });

  beforeAll(async () => {
    path = freshLedger('close');
    expect(await run(seedCommand as any, ['seed'])).toBe(0);
  });

  it('a file that records money and then closes the centre before it is rejected whole in the dry run', async () => {
    const before = await headOf();
    expect(await importLines('money-then-close', [...setup, closeLine('2015-06-30')])).toBe(1);
    expect(err.join('\n')).toContain('rejected, nothing applied');
    expect(err.join('\n')).toMatch(/line 4: CENTRE.CLOSE_BEFORE_ACTIVITY .*money for 2016 \(operating grant from cli-fk, 1 entry\).*2016-01-02/);
    expect(await headOf()).toBe(before);
  });

  it('money already in the ledger (read from the views) stops a later file that closes before it; the earliest date is accepted', async () => {
    expect(await importLines('setup', setup)).toBe(0);
    const before = await headOf();
    expect(await importLines('close-early', [closeLine('2016-01-01')])).toBe(1);
    expect(err.join('\n')).toMatch(/line 1: CENTRE.CLOSE_BEFORE_ACTIVITY/);
    expect(await headOf()).toBe(before);
    expect(await importLines('close-ok', [closeLine('2016-01-02')])).toBe(0);
    expect(await headOf()).toBe(before + 1);
  });
});
