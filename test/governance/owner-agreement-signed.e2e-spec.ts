/**
 * An owner agreement is in force on a date only once signed (signedOn ≤ date), by the one rule the
 * partnership answers and the base-grant criterion 1 use (`signedAgreementOn`): README says a centre's
 * owner agreement and a county's partnership agreement are "in force" alike. Before, an owner agreement
 * whose period was backdated to before its signing showed as in force on days it was not yet signed, in
 * the owner answers, the profile, the NAV link's owner ground and cost-share compliance. And one is
 * recorded once signed: signedOn after today (in Norway) is 422 OWNER_AGREEMENT.SIGNED_IN_FUTURE.
 */
import { addDays, osloDateOf } from '../../libs/domain/src/shared';
import { startTestApp, TestApp } from '../helpers/test-app';

type Auth = { Authorization: string };

describe('owner agreements are in force from their signing (e2e)', () => {
  let t: TestApp;
  let fo: Auth;
  let auditor: Auth;

  const post = (path: string, body: object) => t.http().post(path).set(fo).send(body);
  const ok = async (path: string, body: object, status = 201) => {
    const res = await post(path, body);
    if (res.status !== status) throw new Error(`POST ${path} answered ${res.status}, expected ${status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const get = async (path: string) => {
    const res = await t.http().get(path).set(auditor);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const fiftyFifty = [{ partyId: 'os-nav', shareBp: 5000 }, { partyId: 'os-fk', shareBp: 5000 }];

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    fo = await t.auth('finance-officer', ['telemark'], 'os-fo');
    auditor = await t.auth('auditor', [], 'os-auditor');
    await ok('/parties', { partyId: 'os-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' });
    await ok('/parties', { partyId: 'os-nav', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark' });
    await ok('/centres', { centreId: 'os-kc', countyId: 'telemark', name: 'KC Notodden', municipality: 'Notodden', openedOn: '2010-01-01' });
    // Signed on 2014-06-01, with a period backdated to 2014-01-01.
    await ok('/centres/os-kc/owner-agreements', { agreementId: 'os-2014', parties: fiftyFifty, period: { from: '2014-01-01' }, signedOn: '2014-06-01' });
    await ok('/centres/os-kc/funding/operating-grants', { entryId: 'os-g-fk', fiscalYear: 2014, partyId: 'os-fk', amount: '600000.00', decidedOn: '2014-01-10', reference: null });
    await ok('/centres/os-kc/funding/operating-grants', { entryId: 'os-g-nav', fiscalYear: 2014, partyId: 'os-nav', amount: '400000.00', decidedOn: '2014-01-10', reference: null });
  });
  afterAll(() => t?.close());

  it('the owner answers show no agreement in force before the signing, and the agreement from its signing day', async () => {
    const before = await get('/centres/os-kc/owner-agreements?date=2014-03-01');
    expect(before.inForce).toBeNull();
    expect(before.agreements.map((a: { agreementId: string }) => a.agreementId)).toEqual(['os-2014']); // the history is still listed
    expect((await get('/centres/os-kc/owner-agreements?date=2014-05-31')).inForce).toBeNull();
    expect((await get('/centres/os-kc/owner-agreements?date=2014-06-01')).inForce).toMatchObject({ agreementId: 'os-2014', signedOn: '2014-06-01', effectiveFrom: '2014-01-01' });
    for (const path of ['/owner-agreements/os-2014', '/centres/os-kc/owner-agreements/os-2014']) {
      expect((await get(`${path}?date=2014-03-01`)).inForceOn).toEqual({ date: '2014-03-01', terms: null });
      expect((await get(`${path}?date=2014-06-01`)).inForceOn.terms).toMatchObject({ effectiveFrom: '2014-01-01', period: { from: '2014-01-01', to: null } });
    }
  });

  it('the governance profile and the NAV link (owner ground) follow the same rule', async () => {
    expect((await get('/centres/os-kc/governance?date=2014-03-01')).owners).toBeNull();
    expect((await get('/centres/os-kc/governance?date=2014-06-01')).owners).toMatchObject({ agreementId: 'os-2014' });
    expect((await get('/centres/os-kc/nav-link?date=2014-03-01')).grounds.owner.holds).toBe(false);
    expect((await get('/centres/os-kc/nav-link?date=2014-06-01')).grounds.owner.holds).toBe(true);
  });

  it('cost-share compliance weighs the agreed shares by the days from the signing on; an agreement signed after its year is not in force in it', async () => {
    const one = await get('/centres/os-kc/owner-agreements/os-2014/cost-share-compliance/2014');
    expect(one.daysInForce).toBe(214); // 1 June – 31 December 2014
    expect(one.parties.map((p: { partyId: string; agreedSharePercent: string }) => [p.partyId, p.agreedSharePercent])).toEqual([
      ['os-nav', '50.0'],
      ['os-fk', '50.0'],
    ]);
    // A second centre's agreement for 2013 only, signed in 2014: in force on no day of 2013.
    await ok('/centres', { centreId: 'os-late', countyId: 'telemark', name: 'KC Rjukan', municipality: 'Tinn', openedOn: '2010-01-01' });
    await ok('/centres/os-late/owner-agreements', { agreementId: 'os-late-2013', parties: fiftyFifty, period: { from: '2013-01-01', to: '2013-12-31' }, signedOn: '2014-02-01' });
    const all2013 = await get('/owner-agreements/cost-share-compliance/2013?countyId=telemark');
    expect(all2013.map((a: { agreementId: string }) => a.agreementId)).not.toContain('os-late-2013');
    const late = await t.http().get('/centres/os-late/owner-agreements/os-late-2013/cost-share-compliance/2013').set(auditor);
    expect([late.status, late.body.code]).toEqual([404, 'OWNER_AGREEMENT.NOT_IN_FORCE']);
    expect((await get('/centres/os-late/owner-agreements?date=2013-06-01')).inForce).toBeNull();
  });

  it('signing in the future (after today in Norway) is 422 OWNER_AGREEMENT.SIGNED_IN_FUTURE, nothing recorded; signed today is recorded', async () => {
    await ok('/centres', { centreId: 'os-new', countyId: 'telemark', name: 'KC Kragerø', municipality: 'Kragerø', openedOn: '2010-01-01' });
    const today = osloDateOf(new Date().toISOString());
    const tomorrow = addDays(today, 1);
    const before = await t.store.headPosition();
    const res = await post('/centres/os-new/owner-agreements', { agreementId: 'os-future', parties: fiftyFifty, period: { from: '2014-01-01' }, signedOn: tomorrow });
    expect([res.status, res.body.code]).toEqual([422, 'OWNER_AGREEMENT.SIGNED_IN_FUTURE']);
    // today is read when the request is handled: around midnight in Norway it may have moved on by one day
    expect(res.body.details.signedOn).toBe(tomorrow);
    expect([today, tomorrow]).toContain(res.body.details.today);
    expect(res.body.message).toContain(`signedOn (${tomorrow}) is after today`);
    expect(await t.store.headPosition()).toBe(before);
    await ok('/centres/os-new/owner-agreements', { agreementId: 'os-today', parties: fiftyFifty, period: { from: '2014-01-01' }, signedOn: today });
  });
});
