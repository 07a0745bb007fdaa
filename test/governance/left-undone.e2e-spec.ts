/**
 * Findings earlier reviews left open, each through the real HTTP app:
 * 1. a member's term ended (or its end corrected) to a day before a vote already cast in it: 422
 *    BOARD.TERM_ENDS_BEFORE_VOTE, nothing recorded (README "Governance", Dates);
 * 2. the user-survey criterion judges a centre closed during the window only on the days it was open
 *    (README "Vox base grant", Default windows);
 * 3. `GET /audit/position-at` without `asOf`: 400 REQUEST.BAD_AS_OF naming the parameter, as every other
 *    missing or malformed cut (README "Auditing"), and documented so.
 */
import { startTestApp, TestApp } from '../helpers/test-app';
import { centre, get, partyOf, post } from './governance-helpers';

type Auth = { Authorization: string };

describe('findings left open by earlier reviews (e2e)', () => {
  let t: TestApp;
  let fo: Auth; // finance officer of Østfold
  let auditor: Auth;
  const member = (personId: string) => t.auth('board-member', [], personId);
  const head = () => t.store.headPosition();

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    fo = await t.auth('finance-officer', ['ostfold']);
    auditor = await t.auth('auditor');
    await centre(t, fo, 'lu-kc', 'ostfold', 'Karriere Sarpsborg', 'Sarpsborg');
    await partyOf(t, fo, 'lu-fk', 'Østfold fylkeskommune', 'county-authority', 'ostfold');
    await partyOf(t, fo, 'lu-nav', 'NAV Østfold', 'nav-county-office', 'ostfold');
  });
  afterAll(async () => t?.close());

  describe('1: a term cannot end before a vote already cast in it', () => {
    const end = (personId: string, endedOn: string) => t.http().post(`/boards/lu-board/members/${personId}/end`).set(fo).send({ endedOn, reason: 'Protokollen viser at hun gikk ut' });

    beforeAll(async () => {
      await post(t, fo, '/boards', { boardId: 'lu-board', countyId: 'ostfold', centreIds: ['lu-kc'], name: 'Styret for Karriere Sarpsborg', establishedOn: '2012-01-01' });
      const appoint = (personId: string, name: string, partyId: string, role: string) => post(t, fo, '/boards/lu-board/members', { personId, name, partyId, role, term: { from: '2012-01-01' } });
      await appoint('lu-chair', 'Per Leder', 'lu-fk', 'chair');
      await appoint('lu-kari', 'Kari Nordmann', 'lu-nav', 'member');
      await appoint('lu-ola', 'Ola Nordmann', 'lu-fk', 'member');
      await appoint('lu-dep', 'Dina Vara', 'lu-fk', 'deputy-member');
      await post(t, await member('lu-chair'), '/boards/lu-board/proposals', { proposalId: 'lu-goals', kind: 'goals', year: 2014, title: 'Mål for 2014', content: { goals: ['Flere voksne får veiledning'] }, tabledOn: '2014-02-01' });
      await post(t, await member('lu-kari'), '/boards/lu-board/proposals/lu-goals/votes', { vote: 'for', castOn: '2014-02-10' });
      await post(t, await member('lu-dep'), '/boards/lu-board/proposals/lu-goals/votes', { vote: 'for', castOn: '2014-02-12', standingInFor: 'lu-ola' });
    });

    it('an end the day before the member\'s vote: 422 naming the proposal and the vote\'s day, nothing recorded; the vote\'s own day is accepted', async () => {
      const before = await head();
      const res = await end('lu-kari', '2014-02-09');
      expect([res.status, res.body.code]).toEqual([422, 'BOARD.TERM_ENDS_BEFORE_VOTE']);
      expect(res.body.details).toEqual({ personId: 'lu-kari', endedOn: '2014-02-09', proposalId: 'lu-goals', castOn: '2014-02-10', castBy: 'lu-kari', earliestEndedOn: '2014-02-10', voteCount: 1 });
      expect(res.body.message).toContain('Kari Nordmann');
      expect(res.body.message).toContain('lu-goals');
      expect(res.body.message).toContain('2014-02-10');
      expect(await head()).toBe(before);
      expect((await get(t, auditor, '/boards/lu-board')).members.find((m: any) => m.personId === 'lu-kari').term).toEqual({ from: '2012-01-01', to: null });
      expect((await end('lu-kari', '2014-02-10')).status).toBe(200);
    });

    it('correcting the end to an earlier day is held to the same rule', async () => {
      const before = await head();
      const res = await end('lu-kari', '2014-01-31');
      expect([res.status, res.body.code, res.body.details.earliestEndedOn]).toEqual([422, 'BOARD.TERM_ENDS_BEFORE_VOTE', '2014-02-10']);
      expect(await head()).toBe(before);
    });

    it('the member a deputy stood in for: the seat\'s term cannot end before the deputy\'s vote for it either', async () => {
      const before = await head();
      const res = await end('lu-ola', '2014-02-11');
      expect([res.status, res.body.code]).toEqual([422, 'BOARD.TERM_ENDS_BEFORE_VOTE']);
      expect(res.body.details).toMatchObject({ personId: 'lu-ola', proposalId: 'lu-goals', castOn: '2014-02-12', castBy: 'lu-dep' });
      expect(await head()).toBe(before);
    });

    it('the end route documents the code under 422 in /docs-json', async () => {
      const doc = (await t.http().get('/docs-json')).body;
      expect(doc.paths['/boards/{boardId}/members/{personId}/end'].post.responses['422'].description).toContain('BOARD.TERM_ENDS_BEFORE_VOTE');
    });
  });

  describe('2: the user-survey window is cut at a centre\'s closing', () => {
    let vox: Auth;
    let telemark: Auth;

    beforeAll(async () => {
      vox = await t.auth('vox');
      telemark = await t.auth('finance-officer', ['telemark']);
      const ok = (path: string, body: object) => post(t, telemark, path, body, path.endsWith('/close') ? 200 : 201);
      await ok('/parties', { partyId: 'lu-tm-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' });
      await ok('/parties', { partyId: 'lu-tm-nav', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark' });
      await ok('/counties/telemark/partnership-agreements', { partnershipId: 'lu-tm-partnerskap', parties: ['lu-tm-fk', 'lu-tm-nav'], signedOn: '2013-09-01', period: { from: '2013-09-01', to: null } });
      await ok('/counties/telemark/coordinating-function', { holderPartyId: 'lu-tm-fk', description: 'Koordinerer veiledningsaktørene i fylket', from: '2013-01-01' });
      await ok('/centres', { centreId: 'lu-kragero', countyId: 'telemark', name: 'Karriere Kragerø', municipality: 'Kragerø', openedOn: '2010-01-01' });
      const base = '/centres/lu-kragero/grant-evidence';
      await ok(`${base}/service-declarations`, { effectiveFrom: '2013-01-01', freeOfCharge: true, openToAllAdults: true, fromAge: 19 });
      for (const [i, g] of ['primary-lower-secondary-counsellors', 'upper-secondary-counsellors', 'nav-staff'].entries()) {
        await ok(`${base}/competence-development`, { deliveredOn: `2013-0${i + 3}-15`, kind: 'course', targetGroups: [g], participants: 10, description: `Kurs for ${g}` });
      }
      await ok(`${base}/user-survey-participations`, { period: { from: '2013-01-01', to: '2013-06-30' } });
      // Closed from 1 July 2013 (merged with Skien): its final annual report for 2013 is filed afterwards.
      await ok('/centres/lu-kragero/close', { closedOn: '2013-07-01', reason: 'Slått sammen med Skien' });
      await ok(`${base}/annual-reports`, { year: 2013, submittedOn: '2014-02-15' });
      // With the default windows a centre closed by J is not considered: this scheme judges free guidance over the first half of 2013.
      await post(t, vox, '/grant-schemes', { year: 2014, baseGrant: '1000000.00', criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01', windows: { freeGuidance: { from: '2013-01-01', to: '2013-06-30' } } });
    });

    it('a centre surveyed every day it was open in the window passes 3c-i (it failed for the days after its closing), citing its closure, and the county is eligible', async () => {
      const res = await get(t, vox, '/grant-schemes/2014/eligibility/telemark');
      const c = res.centres.find((x: any) => x.centreId === 'lu-kragero');
      const find = (cs: any[], id: string): any => cs.map((x) => (x.id === id ? x : x.subCriteria ? find(x.subCriteria, id) : undefined)).find((x) => x);
      const survey = find(c.criteria, '3c-i');
      expect([survey.passed, survey.reason.en]).toEqual([true, 'Karriere Kragerø took part in the user survey throughout 2013-01-01 – 2013-06-30 (closed from 2013-07-01).']);
      expect(survey.evidence.map((e: any) => res.events.find((x: any) => x.position === e.position).type)).toEqual(['UserSurveyParticipationRecorded', 'CentreClosed']);
      expect(c.qualifies).toBe(true);
      expect(res.eligible).toBe(true);
    });
  });

  describe('3: GET /audit/position-at without asOf', () => {
    it('is 400 REQUEST.BAD_AS_OF naming the parameter, as an empty or malformed asOf is', async () => {
      const missing = await t.http().get('/audit/position-at').set(auditor);
      expect([missing.status, missing.body.code]).toEqual([400, 'REQUEST.BAD_AS_OF']);
      expect(missing.body.details).toEqual({ parameter: 'asOf', asOf: null });
      expect(missing.body.message).toMatch(/^asOf is required/);
      for (const q of ['?asOf=', '?asOf=yesterday', '?asOf=2014-01-01&asOf=2014-01-02']) {
        const res = await t.http().get(`/audit/position-at${q}`).set(auditor);
        expect([q, res.status, res.body.code]).toEqual([q, 400, 'REQUEST.BAD_AS_OF']);
      }
      // Who may ask is still checked first.
      expect((await t.http().get('/audit/position-at')).status).toBe(401);
      expect((await t.http().get('/audit/position-at').set(fo)).body.code).toBe('ACCESS.ROLE_NOT_ALLOWED');
      expect((await t.http().get('/audit/position-at?asOf=2014-01-01').set(auditor)).status).toBe(200);
    });

    it('the route documents REQUEST.BAD_AS_OF under 400 (its missing asOf included) and asOf as required, and no longer VALIDATION.FAILED, which it cannot answer', async () => {
      const doc = (await t.http().get('/docs-json')).body;
      const op = doc.paths['/audit/position-at'].get;
      expect(op.parameters.find((p: any) => p.name === 'asOf').required).toBe(true);
      const bad = op.responses['400'].description as string;
      expect(bad).toContain('REQUEST.BAD_AS_OF');
      expect(bad).toMatch(/REQUEST\.BAD_AS_OF` — [^\n]*missing/);
      expect(bad).not.toContain('VALIDATION.FAILED');
    });
  });
});
