import { startTestApp, TestApp } from '../helpers/test-app';
import { centre, get, partyOf, post } from './governance-helpers';

describe("Telemark's 50/50 owner agreement of 2009", () => {
  let t: TestApp;
  let fo: { Authorization: string };
  let registeredEventId: string;
  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    fo = await t.auth('finance-officer', ['telemark']);
    await centre(t, fo, 'telemark-kc', 'telemark', 'Karrieresenteret i Telemark', 'Skien');
    await partyOf(t, fo, 'telemark-fk', 'Telemark fylkeskommune', 'county-authority', 'telemark');
    await partyOf(t, fo, 'nav-telemark', 'NAV Telemark', 'nav-county-office', 'telemark');
  });
  afterAll(async () => t?.close());

  it('refuses shares that do not sum to 100 % and an agreement that ends before it starts; nothing is recorded', async () => {
    const bad = await t.http().post('/centres/telemark-kc/owner-agreements').set(fo).send({ agreementId: 'x', parties: [{ partyId: 'telemark-fk', shareBp: 6000 }, { partyId: 'nav-telemark', shareBp: 3000 }], period: { from: '2009-01-01' }, signedOn: '2009-03-01' });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('OWNER_AGREEMENT.SHARES_NOT_100');
    const ends = await t.http().post('/centres/telemark-kc/owner-agreements').set(fo).send({ agreementId: 'x', parties: [{ partyId: 'telemark-fk', shareBp: 10000 }], period: { from: '2009-01-01', to: '2008-01-01' }, signedOn: '2009-03-01' });
    expect(ends.status).toBe(422);
    expect(ends.body.code).toBe('AGREEMENT.ENDS_BEFORE_START');
    const float = await t.http().post('/centres/telemark-kc/owner-agreements').set(fo).send({ agreementId: 'x', parties: [{ partyId: 'telemark-fk', shareBp: 50.5 }, { partyId: 'nav-telemark', shareBp: 9949.5 }], period: { from: '2009-01-01' }, signedOn: '2009-03-01' });
    expect(float.status).toBe(400);
    const list = await get(t, await t.auth('auditor'), '/centres/telemark-kc/owner-agreements?date=2010-01-01');
    expect(list.agreements).toEqual([]);
  });

  it('records the agreement, amends it from 2013, and answers as of business dates before and after', async () => {
    const reg = await post(t, fo, '/centres/telemark-kc/owner-agreements', { agreementId: 'tm-2009', parties: [{ partyId: 'nav-telemark', shareBp: 5000 }, { partyId: 'telemark-fk', shareBp: 5000 }], period: { from: '2009-01-01' }, signedOn: '2009-03-01' });
    expect(reg.streamId).toBe('owner-agreements-telemark-kc');
    registeredEventId = reg.eventIds[0];
    const overlap = await t.http().post('/centres/telemark-kc/owner-agreements').set(fo).send({ agreementId: 'tm-2011', parties: [{ partyId: 'nav-telemark', shareBp: 5000 }, { partyId: 'telemark-fk', shareBp: 5000 }], period: { from: '2011-01-01' }, signedOn: '2011-01-01' });
    expect(overlap.status).toBe(409);
    expect(overlap.body.code).toBe('OWNER_AGREEMENT.OVERLAPS');

    const amend = await t.http().post('/centres/telemark-kc/owner-agreements/tm-2009/amend').set(fo).send({ effectiveFrom: '2013-01-01', parties: [{ partyId: 'nav-telemark', shareBp: 4000 }, { partyId: 'telemark-fk', shareBp: 6000 }], period: { from: '2009-01-01' }, note: 'NAV reduces its share' });
    expect(amend.status).toBe(200);

    const reader = await t.auth('vox');
    const before = await get(t, reader, '/centres/telemark-kc/owner-agreements?date=2012-12-31');
    expect(before.inForce.parties.map((p: any) => [p.partyId, p.shareBp, p.sharePercent])).toEqual([['nav-telemark', 5000, '50.00'], ['telemark-fk', 5000, '50.00']]);
    expect(before.inForce.event.eventId).toBe(registeredEventId);
    const after = await get(t, reader, '/centres/telemark-kc/owner-agreements?date=2013-01-01');
    expect(after.inForce.parties.map((p: any) => p.shareBp)).toEqual([4000, 6000]);
    expect(after.inForce.effectiveFrom).toBe('2013-01-01');
    const beforeStart = await get(t, reader, '/centres/telemark-kc/owner-agreements?date=2008-12-31');
    expect(beforeStart.inForce).toBeNull();

    const history = await get(t, reader, '/owner-agreements/tm-2009');
    expect(history.versions.map((v: any) => [v.effectiveFrom, v.parties.map((p: any) => p.shareBp)])).toEqual([['2009-01-01', [5000, 5000]], ['2013-01-01', [4000, 6000]]]);
    expect(history.signedOn).toBe('2009-03-01');

    const profile = await get(t, reader, '/centres/telemark-kc/governance?date=2010-06-01');
    expect(profile.owners.parties.map((p: any) => p.name)).toEqual(['NAV Telemark', 'Telemark fylkeskommune']);
    expect(profile.governedBy).toBe('not-recorded');

    const link = await get(t, reader, '/centres/telemark-kc/nav-link?date=2010-06-01');
    expect(link.grounds.owner.holds).toBe(true);
    expect(link.grounds.owner.evidence[0]).toMatchObject({ eventId: registeredEventId, type: 'OwnerAgreementRegistered', partyId: 'nav-telemark' });
    expect(link.grounds.financier.holds).toBe('unknown');
    expect(link.grounds.board.holds).toBe(false);
    expect(link.hasNavLink).toBe(true);
  });

  it('terminates the agreement from a date: in force the day before, not from that day', async () => {
    await post(t, fo, '/centres/telemark-kc/owner-agreements/tm-2009/terminate', { effectiveFrom: '2015-01-01', reason: 'new agreement' }, 200);
    const reader = await t.auth('auditor');
    expect((await get(t, reader, '/centres/telemark-kc/owner-agreements?date=2014-12-31')).inForce.agreementId).toBe('tm-2009');
    expect((await get(t, reader, '/centres/telemark-kc/owner-agreements?date=2015-01-01')).inForce).toBeNull();
    const again = await t.http().post('/centres/telemark-kc/owner-agreements/tm-2009/terminate').set(fo).send({ effectiveFrom: '2016-01-01' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('AGREEMENT.TERMINATED');
  });

  it('lets no one else write: another county (403), Vox and auditors (403)', async () => {
    const body = { agreementId: 'y', parties: [{ partyId: 'telemark-fk', shareBp: 10000 }], period: { from: '2016-01-01' }, signedOn: '2016-01-01' };
    const other = await t.http().post('/centres/telemark-kc/owner-agreements').set(await t.auth('finance-officer', ['ostfold'])).send(body);
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('ACCESS.OTHER_COUNTY');
    expect((await t.http().post('/centres/telemark-kc/owner-agreements').set(await t.auth('vox')).send(body)).status).toBe(403);
    expect((await t.http().post('/centres/telemark-kc/owner-agreements').set(await t.auth('auditor')).send(body)).status).toBe(403);
    expect((await t.http().get('/centres/telemark-kc/owner-agreements?date=2014-13-01').set(await t.auth('auditor'))).status).toBe(400);
  });
});
