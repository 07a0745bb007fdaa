import { CommandRegistry } from '../../libs/application/src/command-registry';
import { dryRunImport, parseImportFile } from '../../libs/application/src/import-file';
import { Actor } from '../../libs/domain/src/shared';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { appendAsOldLedger } from '../helpers/append-as-old-ledger';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * The rules the review of the less-covered command areas (less-covered-review.e2e-spec.ts) led to,
 * each with its stable code: blank text, future and before-opening dates, co-location parties,
 * uniqueness across streams, county-level parties, renaming national parties, name normalisation,
 * scheme windows, and the one "in force" rule for partnership agreements. README documents each.
 */
describe('less-covered command areas: the rules and their codes', () => {
  const store = new MemoryEventStore();
  let t: TestApp;
  let admin: { Authorization: string };
  let vox: { Authorization: string };
  let auditor: { Authorization: string };
  let fo: { Authorization: string };
  const post = (path: string, body: object, auth: { Authorization: string }) => t.http().post(path).set(auth).send(body);
  const get = (path: string) => t.http().get(path).set(auditor);
  const ok = async (p: Promise<any>) => {
    const res = await p;
    if (res.status >= 300) throw new Error(`answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res;
  };
  const refused = async (p: Promise<any>, status: number, code: string) => {
    const before = await store.headPosition();
    const res = await p;
    expect([res.status, res.body.code]).toEqual([status, code]);
    expect(await store.headPosition()).toBe(before);
    return res;
  };
  const member = (personId: string) => t.auth('board-member', [], personId);

  beforeAll(async () => {
    t = await startTestApp({ store, seed: true });
    admin = await t.auth('admin', [], 'fx-admin');
    vox = await t.auth('vox', [], 'fx-vox');
    auditor = await t.auth('auditor', [], 'fx-auditor');
    fo = await t.auth('finance-officer', ['oppland'], 'fx-fo');
    await ok(post('/parties', { partyId: 'fx-fk', name: 'Oppland fylkeskommune', kind: 'county-authority', countyId: 'oppland' }, fo));
    await ok(post('/parties', { partyId: 'fx-nav', name: 'NAV Oppland', kind: 'nav-county-office', countyId: 'oppland' }, fo));
    await ok(post('/parties', { partyId: 'fx-nav-lok', name: 'NAV Gjøvik', kind: 'nav-local-office', countyId: 'oppland' }, fo));
    await ok(post('/parties', { partyId: 'fx-kommune', name: 'Gjøvik kommune', kind: 'municipality', countyId: 'oppland' }, fo));
    await ok(post('/centres', { centreId: 'fx-gjovik', countyId: 'oppland', name: 'KC Gjøvik', municipality: 'Gjøvik', openedOn: '2012-06-01' }, fo));
  });
  afterAll(() => t.close());

  it('blank text: only whitespace (NBSP, U+3000, zero-width space, line breaks…) is 400 VALIDATION.BLANK on every required text; the empty string stays VALIDATION.FAILED', async () => {
    for (const blank of [' ', '\u00a0', '\u3000\u2003', '\u200b', '\ufeff\u202f']) {
      await refused(post('/parties', { partyId: 'fx-blank', name: blank, kind: 'union' }, admin), 400, 'VALIDATION.BLANK');
    }
    // A name with a tab or line break is not plain text first (VALIDATION.NOT_PLAIN_TEXT); other texts are blank.
    await refused(post('/parties', { partyId: 'fx-blank', name: ' \t ', kind: 'union' }, admin), 400, 'VALIDATION.NOT_PLAIN_TEXT');
    await refused(post('/counties/oppland/coordinating-function', { holderPartyId: 'fx-fk', description: ' \t\n ', from: '2013-01-01' }, fo), 400, 'VALIDATION.BLANK');
    await refused(post('/parties', { partyId: 'fx-blank', name: '', kind: 'union' }, admin), 400, 'VALIDATION.FAILED');
    await refused(post('/counties/oppland/coordinating-function', { holderPartyId: 'fx-fk', description: '\u00a0', from: '2013-01-01' }, fo), 400, 'VALIDATION.BLANK');
    await refused(post('/centres/fx-gjovik/co-locations', { from: '2013-01-01', premises: ' ', sharedWith: [] }, fo), 400, 'VALIDATION.BLANK');
    await refused(post('/centres/fx-gjovik/co-locations', { from: '2013-01-01', premises: 'Rådhuset', sharedWith: [{ kind: 'other', name: '  ' }] }, fo), 400, 'VALIDATION.BLANK');
    await refused(post('/centres', { centreId: 'fx-blank', countyId: 'oppland', name: '\u2003', municipality: 'Gjøvik', openedOn: '2012-06-01' }, fo), 400, 'VALIDATION.BLANK');
    await refused(post('/centres/fx-gjovik/grant-evidence/competence-development', { deliveredOn: '2013-03-15', kind: 'course', targetGroups: ['nav-staff'], participants: 5, description: ' ' }, fo), 400, 'VALIDATION.BLANK');
    await refused(post('/centres/fx-gjovik/funding/earmarked-funds', { fiscalYear: 2013, partyId: 'fx-fk', amount: '1.00', decidedOn: '2013-01-01', purpose: ' ', period: { from: '2013-01-01', to: '2013-12-31' } }, fo), 400, 'VALIDATION.BLANK');
    // Text around the spaces is kept as it is, only the edges of a name are trimmed (below).
    await ok(post('/centres/fx-gjovik/co-locations', { from: '2012-06-01', premises: ' Rådhuset ', sharedWith: [] }, fo));
  });

  it('partnership: signed after today (Norway) is 422 PARTNERSHIP.SIGNED_IN_FUTURE; the answer on a day before signing shows no agreement, as the eligibility says', async () => {
    await refused(post('/counties/oppland/partnership-agreements', { partnershipId: 'fx-p-future', parties: ['fx-fk', 'fx-nav'], signedOn: '2099-01-01', period: { from: '2014-01-01', to: null } }, fo), 422, 'PARTNERSHIP.SIGNED_IN_FUTURE');
    await ok(post('/counties/oppland/partnership-agreements', { partnershipId: 'fx-p', parties: ['fx-fk', 'fx-nav'], signedOn: '2014-02-15', period: { from: '2014-01-01', to: null } }, fo));
    expect((await get('/counties/oppland/partnership?date=2014-02-14')).body.agreement).toBeNull();
    expect((await get('/counties/oppland/partnership?date=2014-02-15')).body.agreement).toMatchObject({ partnershipId: 'fx-p', signedOn: '2014-02-15' });
    const all = await get('/partnerships?date=2014-02-14');
    expect(all.body.find((p: any) => p.countyId === 'oppland').agreement).toBeNull();
  });

  it('co-location: before opening 422 CO_LOCATION.BEFORE_OPENING; a NAV kind naming a party of another kind 422 CO_LOCATION.KIND_MISMATCH; an entry with neither party nor name 400 CO_LOCATION.SHARED_WITH_UNNAMED', async () => {
    await refused(post('/centres/fx-gjovik/co-locations', { from: '2012-05-31', premises: 'NAV-huset', sharedWith: [] }, fo), 422, 'CO_LOCATION.BEFORE_OPENING');
    await refused(post('/centres/fx-gjovik/co-locations', { from: '2013-01-01', premises: 'NAV-huset', sharedWith: [{ kind: 'nav-local-office', partyId: 'fx-kommune' }] }, fo), 422, 'CO_LOCATION.KIND_MISMATCH');
    // The county office is NAV, but not a NAV local office: the kind must be the party's own.
    await refused(post('/centres/fx-gjovik/co-locations', { from: '2013-01-01', premises: 'NAV-huset', sharedWith: [{ kind: 'nav-local-office', partyId: 'fx-nav' }] }, fo), 422, 'CO_LOCATION.KIND_MISMATCH');
    await refused(post('/centres/fx-gjovik/co-locations', { from: '2013-01-01', premises: 'NAV-huset', sharedWith: [{ kind: 'other' }] }, fo), 400, 'CO_LOCATION.SHARED_WITH_UNNAMED');
    await ok(post('/centres/fx-gjovik/co-locations', { from: '2013-01-01', premises: 'NAV-huset', sharedWith: [{ kind: 'nav-local-office', partyId: 'fx-nav-lok' }, { kind: 'other', partyId: 'fx-kommune' }] }, fo));
    const link = await get('/centres/fx-gjovik/nav-link?date=2013-06-01');
    expect(link.body.grounds.coLocated.holds).toBe(true);
  });

  it('county line: before a named centre opened 422 COUNTY_LINE.BEFORE_OPENING; dated after today 422 COUNTY_LINE.DECIDED_IN_FUTURE', async () => {
    const body = (decidedOn: string) => ({ decisionId: `fx-${decidedOn}`, centreIds: ['fx-gjovik'], kind: 'goals', year: 2013, title: 'Mål', content: { goals: ['Flere voksne'] }, decidedOn });
    await refused(post('/counties/oppland/county-line-decisions', body('2012-05-31'), fo), 422, 'COUNTY_LINE.BEFORE_OPENING');
    await refused(post('/counties/oppland/county-line-decisions', body('2099-01-15'), fo), 422, 'COUNTY_LINE.DECIDED_IN_FUTURE');
    await ok(post('/counties/oppland/county-line-decisions', body('2012-06-01'), fo));
  });

  it('board: a proposal closed with a decision date after today is 422 BOARD.DECIDED_IN_FUTURE', async () => {
    await ok(post('/boards', { boardId: 'fx-board', countyId: 'oppland', centreIds: ['fx-gjovik'], name: 'Styret', establishedOn: '2013-01-01' }, fo));
    await ok(post('/boards/fx-board/members', { personId: 'fx-chair', name: 'Leder', partyId: 'fx-fk', role: 'chair', term: { from: '2013-01-01' } }, fo));
    const chair = await member('fx-chair');
    await ok(post('/boards/fx-board/proposals', { proposalId: 'fx-goals', kind: 'goals', year: 2014, title: 'Mål 2014', content: { goals: ['g'] }, tabledOn: '2014-01-10' }, chair));
    await ok(post('/boards/fx-board/proposals/fx-goals/votes', { vote: 'for', castOn: '2014-01-10' }, chair));
    await refused(post('/boards/fx-board/proposals/fx-goals/close', { closedOn: '2099-01-10' }, chair), 422, 'BOARD.DECIDED_IN_FUTURE');
    await ok(post('/boards/fx-board/proposals/fx-goals/close', { closedOn: '2014-01-10' }, chair));
  });

  it('stimulus: development applied for before the centre opened 422 STIMULUS_GRANT.BEFORE_OPENING; establishing a centre names none, 400 STIMULUS_GRANT.CENTRE_NOT_EXPECTED', async () => {
    await refused(post('/stimulus-grants', { applicationId: 'fx-dev', countyId: 'oppland', year: 2012, purpose: 'development', amountAsked: '1.00', description: 'Utvikling', centreId: 'fx-gjovik', appliedOn: '2012-05-31' }, fo), 422, 'STIMULUS_GRANT.BEFORE_OPENING');
    await refused(post('/stimulus-grants', { applicationId: 'fx-est', countyId: 'oppland', year: 2014, purpose: 'establish-centre', amountAsked: '1.00', description: 'Etablering', centreId: 'fx-gjovik', appliedOn: '2014-01-10' }, fo), 400, 'STIMULUS_GRANT.CENTRE_NOT_EXPECTED');
    await ok(post('/stimulus-grants', { applicationId: 'fx-dev', countyId: 'oppland', year: 2012, purpose: 'development', amountAsked: '1.00', description: 'Utvikling', centreId: 'fx-gjovik', appliedOn: '2012-06-01' }, fo));
  });

  it('scheme: a window ending after the judging date is 422 GRANT_SCHEME.WINDOW_AFTER_JUDGING_DATE, on publishing and on amending', async () => {
    const scheme = (windows: object, judgingDate = '2018-03-01') => ({ year: 2018, baseGrant: '100.00', criteriaSetId: 'criteria-2014', judgingDate, windows });
    await refused(post('/grant-schemes', scheme({ userSurvey: { to: '2018-03-02' } }), vox), 422, 'GRANT_SCHEME.WINDOW_AFTER_JUDGING_DATE');
    // A judging date inside the surveyed year leaves the default user-survey window (all of 2017) unfinished.
    await refused(post('/grant-schemes', scheme({}, '2017-06-01'), vox), 422, 'GRANT_SCHEME.WINDOW_AFTER_JUDGING_DATE');
    // The annual report's deadline is no window: it may still fall after the judging date.
    await ok(post('/grant-schemes', scheme({ competenceDevelopment: { to: '2018-03-01' }, annualReport: { deadline: '2018-03-15' } }), vox));
    await refused(post('/grant-schemes/2018/amendments', { judgingDate: '2018-02-01', reason: 'Tidligere' }, vox), 422, 'GRANT_SCHEME.WINDOW_AFTER_JUDGING_DATE');
  });

  it('uniqueness: a county number taken is 409 COUNTY.NUMBER_TAKEN; an organisation number taken is 409 PARTY.ORGANISATION_NUMBER_TAKEN naming the party', async () => {
    await refused(post('/counties', { countyId: 'fx-oppland-2', name: 'Oppland II', countyNumber: '05' }, admin), 409, 'COUNTY.NUMBER_TAKEN');
    await ok(post('/parties', { partyId: 'fx-org-a', name: 'Org A', kind: 'other', organisationNumber: '912345688' }, admin));
    const dup = await refused(post('/parties', { partyId: 'fx-org-b', name: 'Org B', kind: 'other', countyId: 'oppland', organisationNumber: '912345688' }, fo), 409, 'PARTY.ORGANISATION_NUMBER_TAKEN');
    expect(dup.body.details).toMatchObject({ organisationNumber: '912345688', partyId: 'fx-org-a' });
    // Parties without an organisation number are not compared.
    await ok(post('/parties', { partyId: 'fx-org-c', name: 'Org C', kind: 'other' }, admin));
    await ok(post('/parties', { partyId: 'fx-org-d', name: 'Org D', kind: 'other' }, admin));
  });

  it('uniqueness in `ledger import`: the dry run sees the file\'s own earlier registrations', async () => {
    const s = new MemoryEventStore();
    const registry = new CommandRegistry();
    const ADMIN: Actor = { id: 'ops', name: 'Ops', roles: ['admin'], counties: [], actingRole: 'admin' };
    const line = (command: string, payload: object) => JSON.stringify({ command, payload });
    const file = [
      line('RegisterCounty', { countyId: 'a', name: 'A', countyNumber: '01' }),
      line('RegisterCounty', { countyId: 'b', name: 'B', countyNumber: '01' }),
      line('RegisterParty', { partyId: 'p1', name: 'P1', kind: 'other', organisationNumber: '999999999' }),
      line('RegisterParty', { partyId: 'p2', name: 'P2', kind: 'other', organisationNumber: '999999999' }),
    ].join('\n');
    const { lines, problems } = await parseImportFile(file, registry);
    expect(problems).toEqual([]);
    const dry = await dryRunImport(s, registry, lines, ADMIN);
    expect(dry.map((p) => [p.line, p.code])).toEqual([
      [2, 'COUNTY.NUMBER_TAKEN'],
      [4, 'PARTY.ORGANISATION_NUMBER_TAKEN'],
    ]);
    expect(await s.headPosition()).toBe(0);
  });

  it('parties: a county authority or NAV county office without a county is 400 PARTY.COUNTY_REQUIRED; renaming a national party is for admins (403 ACCESS.ROLE_NOT_ALLOWED)', async () => {
    await refused(post('/parties', { partyId: 'fx-ca', name: 'Fylkeskommunen', kind: 'county-authority' }, fo), 400, 'PARTY.COUNTY_REQUIRED');
    await refused(post('/parties', { partyId: 'fx-navc', name: 'NAV fylke', kind: 'nav-county-office', countyId: null }, admin), 400, 'PARTY.COUNTY_REQUIRED');
    // A finance officer may still register a party of no county, but not rename it for every county.
    await ok(post('/parties', { partyId: 'fx-union', name: 'Utdanningsforbundet', kind: 'union' }, fo));
    await refused(post('/parties/fx-union/rename', { name: 'Utdanningsforbundet Oppland' }, fo), 403, 'ACCESS.ROLE_NOT_ALLOWED');
    await ok(post('/parties/fx-union/rename', { name: 'Utdanningsforbundet (nasjonalt)' }, admin));
    // Their own county's parties they rename as before; an unknown party is 404.
    await ok(post('/parties/fx-kommune/rename', { name: 'Gjøvik kommune (ny)' }, fo));
    await refused(post('/parties/fx-nobody/rename', { name: 'X' }, fo), 404, 'PARTY.NOT_FOUND');
  });

  it('names: a party name is kept NFC and trimmed, so the same name written another way records no rename', async () => {
    const nfd = 'Nord-Østerdal  '.normalize('NFD');
    await ok(post('/parties', { partyId: 'fx-nfd', name: ` ${nfd}\u00a0`, kind: 'other', countyId: 'oppland' }, fo));
    const one = await get('/parties/fx-nfd');
    expect(one.body.name).toBe('Nord-Østerdal');
    const before = await store.headPosition();
    await ok(post('/parties/fx-nfd/rename', { name: 'Nord-Østerdal' }, fo));
    await ok(post('/parties/fx-nfd/rename', { name: '\u3000Nord-Østerdal'.normalize('NFD') }, fo));
    expect(await store.headPosition()).toBe(before);
  });

  it('eligibility: a county authority recorded without a county (before PARTY.COUNTY_REQUIRED) is no county\'s authority', async () => {
    // Written straight to the store, as the API no longer takes it.
    await appendAsOldLedger(store, 'party-fx-legacy-fk', 'PartyRegistered',
      { partyId: 'fx-legacy-fk', name: 'Fylkeskommunen', kind: 'county-authority', countyId: null, organisationNumber: null },
      { actorRole: 'admin', expected: 'no_stream' });
    const fin = await t.auth('finance-officer', ['finnmark']);
    await ok(post('/parties', { partyId: 'fx-nav-fm', name: 'NAV Finnmark', kind: 'nav-county-office', countyId: 'finnmark' }, fin));
    await ok(post('/counties/finnmark/partnership-agreements', { partnershipId: 'fx-fm', parties: ['fx-legacy-fk', 'fx-nav-fm'], signedOn: '2013-09-01', period: { from: '2013-09-01', to: null } }, fin));
    await ok(post('/grant-schemes', { year: 2019, baseGrant: '100.00', criteriaSetId: 'criteria-2014', judgingDate: '2019-03-01' }, vox));
    const e = await get('/counties/finnmark/eligibility/2019');
    const c1 = e.body.criteria.find((c: any) => c.id === '1');
    expect(c1.passed).toBe(false);
    expect(c1.reason.en).toContain('does not have the county authority as a party');
  });
});
