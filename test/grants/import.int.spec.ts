import { CommandExecutor } from '../../libs/application/src/command-executor';
import { CommandRegistry } from '../../libs/application/src/command-registry';
import { parseImportFile } from '../../libs/application/src/import-file';
import { Actor } from '../../libs/domain/src/shared';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { foldEvents } from '../../libs/projections/src/projection';
import { centreEvidence, countyEligibility, grantsProjection } from '../../libs/projections/src/grants';

const ADMIN: Actor = { id: 'ops', name: 'Ops', roles: ['admin'], counties: [], actingRole: 'admin' };
const VOX: Actor = { id: 'vox-1', name: 'Vox', roles: ['vox'], counties: [], actingRole: 'vox' };

const line = (command: string, payload: object) => JSON.stringify({ command, payload });

/** The grants commands go through the same registry and validation as `ledger import`. */
describe('grants commands through the import path (registry + validation + command path)', () => {
  it('validates nested scheme windows and evidence, applies them, and the projection sees them', async () => {
    const registry = new CommandRegistry();
    const store = new MemoryEventStore();
    const executor = new CommandExecutor(store, registry, null);
    const file = [
      line('RegisterCounty', { countyId: 'telemark', name: 'Telemark', countyNumber: '08' }),
      line('RegisterCentre', { centreId: 'telemark-kc', countyId: 'telemark', name: 'Karriere Telemark', municipality: 'Skien', openedOn: '2010-01-01' }),
      line('DeclareService', { centreId: 'telemark-kc', declarationId: 'd1', effectiveFrom: '2013-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: 19 }),
      line('RecordCompetenceDevelopment', { centreId: 'telemark-kc', deliveredOn: '2013-04-01', kind: 'course', targetGroups: ['nav-staff', 'upper-secondary-counsellors'], participants: 9, description: 'Kurs' }),
      line('RecordUserSurveyParticipation', { centreId: 'telemark-kc', period: { from: '2013-01-01', to: '2013-12-31' } }),
      line('RecordAnnualReport', { centreId: 'telemark-kc', year: 2013, submittedOn: '2014-03-10' }),
    ].join('\n');
    const { lines, problems } = await parseImportFile(file, registry);
    expect(problems).toEqual([]);
    for (const l of lines) await executor.execute({ command: l.command, payload: l.payload, actor: ADMIN, idempotencyKey: l.idempotencyKey });

    const scheme = await parseImportFile(line('PublishGrantScheme', { year: 2014, baseGrant: '26600000.00', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01', windows: { annualReport: { deadline: '2014-03-15' } } }), registry);
    expect(scheme.problems).toEqual([]);
    const refused = executor.execute({ command: 'PublishGrantScheme', payload: scheme.lines[0].payload, actor: ADMIN });
    await expect(refused).rejects.toMatchObject({ code: 'ACCESS.ROLE_NOT_ALLOWED' });
    await executor.execute({ command: 'PublishGrantScheme', payload: scheme.lines[0].payload, actor: VOX });

    const view = foldEvents(grantsProjection, await store.readAll());
    const r = countyEligibility(view, 2014, 'telemark');
    expect(r.scheme.windows.annualReport).toEqual({ reportYear: 2013, deadline: '2014-03-15' });
    expect(r.scheme.windows.userSurvey).toEqual({ from: '2013-01-01', to: '2013-12-31' });
    expect(r.centres[0].criteria.map((c) => [c.id, c.passed])).toEqual([
      ['3a', true],
      ['3b', false],
      ['3c', true],
    ]);
    expect(centreEvidence(view, 'telemark-kc', '2014-06-01').competenceDevelopment[0].targetGroups).toEqual(['nav-staff', 'upper-secondary-counsellors']);
  });

  it('rejects a bad file whole, naming the line and the code', async () => {
    const registry = new CommandRegistry();
    const file = [
      line('PublishGrantScheme', { year: 2014, baseGrant: '1.00', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01', windows: { annualReport: { due: '2014-03-15' } } }),
      line('RecordCompetenceDevelopment', { centreId: 'x', deliveredOn: '2013-04-01', kind: 'seminar', targetGroups: ['nav'], participants: 0, description: 'x' }),
    ].join('\n');
    const { problems } = await parseImportFile(file, registry);
    expect(problems.map((p) => [p.line, p.code])).toEqual([
      [1, 'VALIDATION.UNKNOWN_FIELD'],
      [2, 'VALIDATION.FAILED'],
    ]);
  });

  it('refuses allocating or correcting the base grant (the decider trusts the snapshot the HTTP route computes), naming the route', async () => {
    const registry = new CommandRegistry();
    const verdicts = [{ countyId: 'telemark', countyNumber: '08', name: 'Telemark', eligible: true, failedCriteria: [], qualifyingCentreIds: [] }];
    const file = [
      line('PublishGrantScheme', { year: 2014, baseGrant: '1.00', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01' }),
      line('AllocateBaseGrant', { year: 2014, schemeVersion: 1, basedOnPosition: 1, verdicts }),
      line('CorrectBaseGrantAllocation', { year: 2014, reason: 'x', overrides: [], schemeVersion: 1, basedOnPosition: 1, verdicts }),
    ].join('\n');
    const { lines, problems } = await parseImportFile(file, registry);
    expect(problems.map((p) => [p.line, p.code])).toEqual([
      [2, 'IMPORT.COMMAND_NOT_IMPORTABLE'],
      [3, 'IMPORT.COMMAND_NOT_IMPORTABLE'],
    ]);
    expect(problems[0].message).toContain('use the HTTP route POST /grant-schemes/:year/allocation');
    expect(problems[1].message).toContain('use the HTTP route POST /grant-schemes/:year/allocation/corrections');
    expect(lines.map((l) => l.command)).toEqual(['PublishGrantScheme']);
  });
});
