/**
 * Edge cases of the governance rules (owner agreements, partnerships, boards, votes, quorum, tie-break,
 * decisions, dissolution, closed centres, NAV link), driven through the real HTTP app. Started as an
 * adversarial review; the rules it pinned down are in README "Governance".
 */
import { startTestApp, TestApp } from '../helpers/test-app';
import { centre, get, partyOf, post } from './governance-helpers';

type Auth = { Authorization: string };

describe('governance: board rules edge cases', () => {
  let t: TestApp;
  let fo: Auth; // finance officer of Østfold
  let admin: Auth;
  let reader: Auth;
  const member = (personId: string) => t.auth('board-member', [], personId);

  /** Establishes a board for `centreId` (Østfold) with the given members (all from 2012-01-01 unless a term is given). */
  const board = async (boardId: string, centreIds: string[], members: [string, string | null, string, { from: string; to?: string }?][], extra: object = {}, establishedOn = '2012-01-01') => {
    await post(t, fo, '/boards', { boardId, countyId: 'ostfold', centreIds, name: `Board ${boardId}`, establishedOn, ...extra });
    for (const [personId, partyId, role, term] of members) {
      await post(t, fo, `/boards/${boardId}/members`, { personId, name: personId, partyId, role, term: term ?? { from: establishedOn } });
    }
  };
  const table = (boardId: string, proposalId: string, by: Auth, tabledOn = '2014-02-01', centreIds?: string[]) =>
    t.http().post(`/boards/${boardId}/proposals`).set(by).send({ proposalId, kind: 'goals', year: 2014, title: `Goals ${proposalId}`, content: { goals: ['g'] }, tabledOn, ...(centreIds ? { centreIds } : {}) });
  const vote = async (boardId: string, proposalId: string, personId: string, v: string, castOn: string, standingInFor?: string) =>
    t.http().post(`/boards/${boardId}/proposals/${proposalId}/votes`).set(await member(personId)).send({ vote: v, castOn, ...(standingInFor ? { standingInFor } : {}) });
  const eventCount = async () => t.store.headPosition();

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    fo = await t.auth('finance-officer', ['ostfold']);
    admin = await t.auth('admin');
    reader = await t.auth('auditor');
    await centre(t, fo, 'os-kc', 'ostfold', 'Karriere Østfold', 'Sarpsborg');
    await centre(t, fo, 'os-kc2', 'ostfold', 'Karriere Fredrikstad', 'Fredrikstad');
    await centre(t, fo, 'os-kc3', 'ostfold', 'Karriere Halden', 'Halden');
    await centre(t, fo, 'os-closing', 'ostfold', 'Karriere Moss', 'Moss');
    await partyOf(t, fo, 'os-fk', 'Østfold fylkeskommune', 'county-authority', 'ostfold');
    await partyOf(t, fo, 'nav-os', 'NAV Østfold', 'nav-county-office', 'ostfold');
    await partyOf(t, fo, 'sarpsborg', 'Sarpsborg kommune', 'municipality', 'ostfold');
    for (let i = 0; i < 51; i++) await partyOf(t, fo, `muni-${i}`, `Kommune ${i}`, 'municipality', 'ostfold');
  });
  afterAll(async () => t?.close());

  // ---------------------------------------------------------------- owner agreements

  it('cost shares: 3333+3333+3334 accepted, 3 × 3333 refused, 50 × 200 accepted, amendment to 9999 refused; nothing recorded for bad input', async () => {
    const three = (bp: number[]) => bp.map((shareBp, i) => ({ partyId: ['os-fk', 'nav-os', 'sarpsborg'][i], shareBp }));
    const bad = await t.http().post('/centres/os-kc/owner-agreements').set(fo).send({ agreementId: 'oa-bad', parties: three([3333, 3333, 3333]), period: { from: '2009-01-01', to: '2009-12-31' }, signedOn: '2009-01-01' });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('OWNER_AGREEMENT.SHARES_NOT_100');
    const over = await t.http().post('/centres/os-kc/owner-agreements').set(fo).send({ agreementId: 'oa-bad', parties: three([5000, 5000, 1]), period: { from: '2009-01-01', to: '2009-12-31' }, signedOn: '2009-01-01' });
    expect(over.status).toBe(422);
    await post(t, fo, '/centres/os-kc/owner-agreements', { agreementId: 'oa-1', parties: three([3333, 3333, 3334]), period: { from: '2009-01-01', to: '2009-12-31' }, signedOn: '2009-01-01' });
    const before = await eventCount();
    const amendBad = await t.http().post('/centres/os-kc/owner-agreements/oa-1/amend').set(fo).send({ effectiveFrom: '2009-06-01', parties: three([3333, 3333, 3333]), period: { from: '2009-01-01', to: '2009-12-31' } });
    expect(amendBad.status).toBe(422);
    expect(amendBad.body.code).toBe('OWNER_AGREEMENT.SHARES_NOT_100');
    const amendZero = await t.http().post('/centres/os-kc/owner-agreements/oa-1/amend').set(fo).send({ effectiveFrom: '2009-06-01', parties: [{ partyId: 'os-fk', shareBp: 10000 }, { partyId: 'nav-os', shareBp: 0 }], period: { from: '2009-01-01', to: '2009-12-31' } });
    expect(amendZero.status).toBe(400);
    const amendNeg = await t.http().post('/centres/os-kc/owner-agreements/oa-1/amend').set(fo).send({ effectiveFrom: '2009-06-01', parties: [{ partyId: 'os-fk', shareBp: 10100 }, { partyId: 'nav-os', shareBp: -100 }], period: { from: '2009-01-01', to: '2009-12-31' } });
    expect(amendNeg.status).toBe(400);
    const amendDup = await t.http().post('/centres/os-kc/owner-agreements/oa-1/amend').set(fo).send({ effectiveFrom: '2009-06-01', parties: [{ partyId: 'os-fk', shareBp: 5000 }, { partyId: 'os-fk', shareBp: 5000 }], period: { from: '2009-01-01', to: '2009-12-31' } });
    expect(amendDup.status).toBe(400);
    expect(amendDup.body.code).toBe('OWNER_AGREEMENT.DUPLICATE_PARTY');
    expect(await eventCount()).toBe(before);
    const fifty = Array.from({ length: 50 }, (_, i) => ({ partyId: `muni-${i}`, shareBp: 200 }));
    await post(t, fo, '/centres/os-kc/owner-agreements', { agreementId: 'oa-50', parties: fifty, period: { from: '2010-01-01', to: '2010-12-31' }, signedOn: '2010-01-01' });
    const fiftyOne = Array.from({ length: 51 }, (_, i) => ({ partyId: `muni-${i}`, shareBp: i === 0 ? 200 : 196 }));
    const r51 = await t.http().post('/centres/os-kc/owner-agreements').set(fo).send({ agreementId: 'oa-51', parties: fiftyOne, period: { from: '2011-01-01', to: '2011-12-31' }, signedOn: '2011-01-01' });
    expect(r51.status).toBeGreaterThanOrEqual(400);
    expect(r51.status).toBeLessThan(500);
    const v = await get(t, reader, '/centres/os-kc/owner-agreements?date=2009-07-01');
    expect(v.inForce.parties.reduce((s: number, p: any) => s + p.shareBp, 0)).toBe(10000);
  });

  it('agreement periods: amendment ending before it starts, amendment that would overlap the next agreement, termination before start are refused', async () => {
    await post(t, fo, '/centres/os-kc2/owner-agreements', { agreementId: 'p-a', parties: [{ partyId: 'os-fk', shareBp: 10000 }], period: { from: '2009-01-01', to: '2012-12-31' }, signedOn: '2009-01-01' });
    await post(t, fo, '/centres/os-kc2/owner-agreements', { agreementId: 'p-b', parties: [{ partyId: 'os-fk', shareBp: 5000 }, { partyId: 'nav-os', shareBp: 5000 }], period: { from: '2013-01-01' }, signedOn: '2013-01-01' });
    const ends = await t.http().post('/centres/os-kc2/owner-agreements/p-a/amend').set(fo).send({ effectiveFrom: '2010-01-01', parties: [{ partyId: 'os-fk', shareBp: 10000 }], period: { from: '2010-01-01', to: '2009-12-31' } });
    expect(ends.status).toBe(422);
    expect(ends.body.code).toBe('AGREEMENT.ENDS_BEFORE_START');
    const extend = await t.http().post('/centres/os-kc2/owner-agreements/p-a/amend').set(fo).send({ effectiveFrom: '2012-06-01', parties: [{ partyId: 'os-fk', shareBp: 10000 }], period: { from: '2009-01-01' } });
    expect(extend.status).toBe(409);
    expect(extend.body.code).toBe('OWNER_AGREEMENT.OVERLAPS');
    const earlyB = await t.http().post('/centres/os-kc2/owner-agreements/p-b/amend').set(fo).send({ effectiveFrom: '2013-01-01', parties: [{ partyId: 'os-fk', shareBp: 10000 }], period: { from: '2012-06-01' } });
    // the version takes effect 2013-01-01; its period's earlier start does not make it in force in 2012
    if (earlyB.status === 200) expect((await get(t, reader, '/centres/os-kc2/owner-agreements?date=2012-07-01')).inForce.agreementId).toBe('p-a');
    const term = await t.http().post('/centres/os-kc2/owner-agreements/p-a/terminate').set(fo).send({ effectiveFrom: '2008-12-31' });
    expect(term.status).toBe(422);
    expect(term.body.code).toBe('AGREEMENT.TERMINATION_BEFORE_START');
    const unknownCentre = await t.http().post('/centres/nowhere/owner-agreements').set(fo).send({ agreementId: 'z', parties: [{ partyId: 'os-fk', shareBp: 10000 }], period: { from: '2009-01-01' }, signedOn: '2009-01-01' });
    expect(unknownCentre.status).toBe(404);
    expect(unknownCentre.body.code).toBe('CENTRE.NOT_FOUND');
  });

  it('a finance officer of another county cannot amend, terminate, appoint, end a member or dissolve for Østfold', async () => {
    const other = await t.auth('finance-officer', ['telemark']);
    await board('b-acl', ['os-kc3'], [['acl-chair', 'os-fk', 'chair']]);
    const calls = [
      t.http().post('/centres/os-kc2/owner-agreements/p-b/terminate').set(other).send({ effectiveFrom: '2015-01-01' }),
      t.http().post('/boards/b-acl/members').set(other).send({ personId: 'x', name: 'x', partyId: 'os-fk', role: 'member', term: { from: '2013-01-01' } }),
      t.http().post('/boards/b-acl/members/acl-chair/end').set(other).send({ endedOn: '2013-01-01' }),
      t.http().post('/boards/b-acl/dissolve').set(other).send({ dissolvedOn: '2013-01-01' }),
      t.http().post('/counties/ostfold/county-line-decisions').set(other).send({ decisionId: 'd', centreIds: ['os-kc3'], kind: 'goals', year: 2014, title: 't', content: { goals: ['g'] }, decidedOn: '2014-01-01' }),
      t.http().post('/centres/os-kc3/co-locations').set(other).send({ from: '2014-01-01', premises: 'NAV-huset', sharedWith: [{ kind: 'nav-county-office', partyId: 'nav-os' }] }),
      t.http().post('/counties/ostfold/partnership-agreements').set(other).send({ partnershipId: 'p', parties: ['os-fk', 'nav-os'], signedOn: '2014-01-01', period: { from: '2014-01-01' } }),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('ACCESS.OTHER_COUNTY');
    }
  });

  // ---------------------------------------------------------------- votes and membership

  it('refuses votes from a stranger, a member of another board, before joining and after leaving; a second vote; a deputy for a deputy', async () => {
    await board('b-v', ['os-kc'], [
      ['v-chair', 'os-fk', 'chair'],
      ['v-m1', 'nav-os', 'member'],
      ['v-late', 'sarpsborg', 'member', { from: '2014-03-01' }],
      ['v-gone', 'sarpsborg', 'member', { from: '2012-01-01', to: '2014-01-31' }],
      ['v-dep', 'sarpsborg', 'deputy-member'],
      ['v-dep2', 'sarpsborg', 'deputy-member'],
    ]);
    await board('b-other', ['os-kc2'], [['o-chair', 'os-fk', 'chair']]);
    expect((await table('b-v', 'pv', await member('v-chair'))).status).toBe(201);
    const cases: [string, string, number, string, string?][] = [
      ['stranger', '2014-02-10', 403, 'BOARD.NOT_A_MEMBER'],
      ['o-chair', '2014-02-10', 403, 'BOARD.NOT_A_MEMBER'],
      ['v-late', '2014-02-10', 403, 'BOARD.NOT_YET_MEMBER'],
      ['v-gone', '2014-02-10', 403, 'BOARD.FORMER_MEMBER'],
      ['v-dep', '2014-02-10', 422, 'BOARD.DEPUTY_NOT_STANDING_IN'],
      ['v-dep', '2014-02-10', 422, 'BOARD.STANDING_IN_FOR_NON_MEMBER', 'v-dep2'],
      ['v-dep', '2014-02-10', 422, 'BOARD.STANDING_IN_FOR_NON_MEMBER', 'v-gone'],
      ['v-m1', '2014-01-31', 422, 'BOARD.VOTE_BEFORE_TABLED'],
    ];
    for (const [who, on, status, code, standIn] of cases) {
      const res = await vote('b-v', 'pv', who, 'for', on, standIn);
      expect([who, res.status, res.body.code]).toEqual([who, status, code]);
    }
    // the other board's chair cannot table or close on this board either
    expect((await table('b-v', 'pv-x', await member('o-chair'))).body.code).toBe('BOARD.NOT_A_MEMBER');
    const closeOther = await t.http().post('/boards/b-v/proposals/pv/close').set(await member('o-chair')).send({ closedOn: '2014-02-10' });
    expect(closeOther.status).toBe(403);
    // two concurrent votes from the same member: exactly one recorded
    const both = await Promise.all([vote('b-v', 'pv', 'v-m1', 'for', '2014-02-10'), vote('b-v', 'pv', 'v-m1', 'against', '2014-02-10')]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    // deputy standing in for a member who already voted
    const dep = await vote('b-v', 'pv', 'v-dep', 'for', '2014-02-10', 'v-m1');
    expect(dep.status).toBe(409);
    const p = await get(t, reader, '/boards/b-v/proposals/pv');
    expect(p.votes.length).toBe(1);
  });

  it('a proposal is decided once: a second close is refused; votes after closing are refused', async () => {
    await board('b-twice', ['os-kc'], [['tw-chair', 'os-fk', 'chair'], ['tw-m', 'nav-os', 'member'], ['tw-m2', 'sarpsborg', 'member']]);
    expect((await table('b-twice', 'p1', await member('tw-chair'))).status).toBe(201);
    expect((await vote('b-twice', 'p1', 'tw-chair', 'for', '2014-02-10')).status).toBe(201);
    expect((await vote('b-twice', 'p1', 'tw-m', 'for', '2014-02-10')).status).toBe(201);
    const closes = await Promise.all([1, 2].map(async () => t.http().post('/boards/b-twice/proposals/p1/close').set(await member('tw-chair')).send({ closedOn: '2014-02-10' })));
    expect(closes.map((r) => r.status).sort()).toEqual([200, 409]);
    const late = await vote('b-twice', 'p1', 'tw-m2', 'against', '2014-02-10');
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('BOARD.PROPOSAL_CLOSED');
    const p = await get(t, reader, '/boards/b-twice/proposals/p1');
    expect(p.decision).toMatchObject({ outcome: 'adopted', reason: 'MAJORITY_FOR', tally: { for: 2, takingPart: 2, seats: 3, quorumRequired: 2 } });
  });

  // ---------------------------------------------------------------- quorum and tie-break

  it('quorum boundaries: 4 seats need 3 (2 is not enough), abstentions count, deputy members hold no seat', async () => {
    await board('b-q', ['os-kc'], [
      ['q-chair', 'os-fk', 'chair'],
      ['q-dc', 'nav-os', 'deputy-chair'],
      ['q-m', 'sarpsborg', 'member'],
      ['q-staff', null, 'staff-representative'],
      ['q-dep', 'sarpsborg', 'deputy-member'],
    ]);
    expect((await table('b-q', 'q1', await member('q-chair'))).status).toBe(201);
    await vote('b-q', 'q1', 'q-chair', 'for', '2014-02-10');
    await vote('b-q', 'q1', 'q-m', 'for', '2014-02-10');
    const adopt = await t.http().post('/boards/b-q/proposals/q1/close').set(await member('q-chair')).send({ closedOn: '2014-02-10', outcome: 'adopted' });
    expect(adopt.status).toBe(422);
    expect(adopt.body.code).toBe('BOARD.NO_QUORUM');
    expect(adopt.body.details.tally).toMatchObject({ seats: 4, quorumRequired: 3, takingPart: 2 });
    await vote('b-q', 'q1', 'q-staff', 'abstain', '2014-02-10');
    await post(t, await member('q-chair'), '/boards/b-q/proposals/q1/close', { closedOn: '2014-02-10', outcome: 'adopted' }, 200);
    // tie: chair for, deputy chair against, chair present → chair decides
    expect((await table('b-q', 'q2', await member('q-chair'))).status).toBe(201);
    await vote('b-q', 'q2', 'q-chair', 'for', '2014-02-10');
    await vote('b-q', 'q2', 'q-dc', 'against', '2014-02-10');
    await vote('b-q', 'q2', 'q-staff', 'abstain', '2014-02-10');
    await post(t, await member('q-chair'), '/boards/b-q/proposals/q2/close', { closedOn: '2014-02-10' }, 200);
    expect((await get(t, reader, '/boards/b-q/proposals/q2')).decision).toMatchObject({ outcome: 'adopted', reason: 'TIE_BROKEN_BY_CHAIR' });
    // all abstain with quorum: rejected NO_VOTES_FOR; declaring adopted is an outcome mismatch
    expect((await table('b-q', 'q3', await member('q-chair'))).status).toBe(201);
    for (const who of ['q-chair', 'q-dc', 'q-m']) await vote('b-q', 'q3', who, 'abstain', '2014-02-10');
    const mism = await t.http().post('/boards/b-q/proposals/q3/close').set(await member('q-chair')).send({ closedOn: '2014-02-10', outcome: 'adopted' });
    expect(mism.status).toBe(422);
    expect(mism.body.code).toBe('BOARD.OUTCOME_MISMATCH');
  });

  it("tie-break: a deputy member standing in for the absent deputy chair does not cast the meeting chair's deciding vote (README: the deputy chair's own vote; else TIE_NOT_BROKEN)", async () => {
    await board('b-tie', ['os-kc'], [
      ['t-chair', 'os-fk', 'chair'],
      ['t-dc', 'nav-os', 'deputy-chair'],
      ['t-m1', 'sarpsborg', 'member'],
      ['t-m2', 'sarpsborg', 'member'],
      ['t-dep', 'sarpsborg', 'deputy-member'],
    ]);
    expect((await table('b-tie', 'tie1', await member('t-m1'))).status).toBe(201);
    // chair and deputy chair are both away; the deputy member takes the deputy chair's seat
    expect((await vote('b-tie', 'tie1', 't-dep', 'for', '2014-02-10', 't-dc')).status).toBe(201);
    expect((await vote('b-tie', 'tie1', 't-m1', 'against', '2014-02-10')).status).toBe(201);
    expect((await vote('b-tie', 'tie1', 't-m2', 'abstain', '2014-02-10')).status).toBe(201);
    // closed from the minutes by an admin (neither chair took part)
    await post(t, admin, '/boards/b-tie/proposals/tie1/close', { closedOn: '2014-02-10' }, 200);
    const p = await get(t, reader, '/boards/b-tie/proposals/tie1');
    expect(p.decision.tally).toMatchObject({ for: 1, against: 1, abstain: 1, takingPart: 3, seats: 4 });
    // Neither the chair nor the deputy chair voted in person: the tie is not broken.
    expect(p.decision).toMatchObject({ outcome: 'rejected', reason: 'TIE_NOT_BROKEN' });
  });

  it('a decision cannot count votes cast after the date it was decided (close dated before the votes)', async () => {
    await board('b-date', ['os-kc'], [
      ['d-chair', 'os-fk', 'chair'],
      ['d-m1', 'nav-os', 'member'],
      ['d-m2', 'sarpsborg', 'member'],
      ['d-new', 'sarpsborg', 'member', { from: '2014-02-20' }],
    ]);
    expect((await table('b-date', 'dp', await member('d-chair'))).status).toBe(201);
    expect((await vote('b-date', 'dp', 'd-chair', 'for', '2014-03-01')).status).toBe(201);
    expect((await vote('b-date', 'dp', 'd-new', 'for', '2014-03-01')).status).toBe(201);
    // The chair closes the proposal with a decision dated 15 February, before any vote was cast.
    const before = await eventCount();
    const res = await t.http().post('/boards/b-date/proposals/dp/close').set(await member('d-chair')).send({ closedOn: '2014-02-15', outcome: 'adopted' });
    const p = await get(t, reader, '/boards/b-date/proposals/dp');
    // On 15 February nobody had voted (and d-new was not yet a member): adopting it then is adoption without quorum.
    expect({ status: res.status, decision: p.decision && { outcome: p.decision.outcome, takingPart: p.decision.tally.takingPart } }).not.toEqual({ status: 200, decision: { outcome: 'adopted', takingPart: 2 } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect([res.status, res.body.code]).toEqual([422, 'BOARD.CLOSE_BEFORE_VOTES']);
    expect(res.body.message).toContain('latest vote on 2014-03-01');
    expect(await eventCount()).toBe(before);
  });

  it('quorum counts only seats held on the closing day: votes of members who have since left do not make quorum', async () => {
    await board('b-left', ['os-kc'], [
      ['l-chair', 'os-fk', 'chair'],
      ['l-m1', 'nav-os', 'member'],
      ['l-m2', 'sarpsborg', 'member'],
      ['l-m3', 'sarpsborg', 'member'],
      ['l-m4', 'sarpsborg', 'member'],
    ]);
    expect((await table('b-left', 'lp', await member('l-chair'))).status).toBe(201);
    for (const who of ['l-m1', 'l-m2', 'l-m3']) expect((await vote('b-left', 'lp', who, 'for', '2014-02-10')).status).toBe(201);
    for (const who of ['l-m1', 'l-m2', 'l-m3']) await post(t, fo, `/boards/b-left/members/${who}/end`, { endedOn: '2014-02-11' }, 200);
    // On 2014-03-01 the board has two seats (chair, l-m4); neither took part.
    const res = await t.http().post('/boards/b-left/proposals/lp/close').set(await member('l-chair')).send({ closedOn: '2014-03-01' });
    expect(res.status).toBe(200);
    const p = await get(t, reader, '/boards/b-left/proposals/lp');
    expect(p.decision.tally.seats).toBe(2);
    expect(p.decision.tally.takingPart).toBeLessThanOrEqual(p.decision.tally.seats);
    expect(p.decision).toMatchObject({ outcome: 'rejected', reason: 'NO_QUORUM', quorumMet: false });
  });

  // ---------------------------------------------------------------- closed / unregistered centres

  it('nothing dated on or after a centre\'s closedOn is recorded for it: no board, proposal, vote, agreement, county-line decision or co-location; what is dated before it still is', async () => {
    await board('b-closing', ['os-closing'], [['c-chair', 'os-fk', 'chair'], ['c-m', 'nav-os', 'member']]);
    // Tabled before the closing date: a proposal tabled after it would make the close itself refused (CENTRE.CLOSE_BEFORE_ACTIVITY).
    expect((await table('b-closing', 'cp', await member('c-chair'), '2014-01-10')).status).toBe(201);
    await post(t, fo, '/centres/os-closing/close', { closedOn: '2014-01-15', reason: 'merged' }, 200).catch(async () => {
      const r = await t.http().post('/centres/os-closing/close').set(fo).send({ closedOn: '2014-01-15', reason: 'merged' });
      throw new Error(`close centre: ${r.status} ${JSON.stringify(r.body)}`);
    });
    const before = await eventCount();
    const attempts = [
      await t.http().post('/boards').set(fo).send({ boardId: 'b-closed2', countyId: 'ostfold', centreIds: ['os-closing'], name: 'x', establishedOn: '2014-02-01' }),
      await table('b-closing', 'cp2', await member('c-chair')),
      await t.http().post('/centres/os-closing/owner-agreements').set(fo).send({ agreementId: 'oc', parties: [{ partyId: 'os-fk', shareBp: 10000 }], period: { from: '2009-01-01' }, signedOn: '2014-01-15' }),
      await t.http().post('/counties/ostfold/county-line-decisions').set(fo).send({ decisionId: 'cl-closed', centreIds: ['os-closing'], kind: 'goals', year: 2014, title: 't', content: { goals: ['g'] }, decidedOn: '2014-01-15' }),
      await t.http().post('/centres/os-closing/co-locations').set(fo).send({ from: '2014-01-15', premises: 'NAV-huset', sharedWith: [] }),
      await t.http().post('/boards/b-closing/proposals/cp/close').set(await member('c-chair')).send({ closedOn: '2014-02-10' }),
    ];
    for (const r of attempts) expect([r.status, r.body.code]).toEqual([422, 'CENTRE.CLOSED']);
    // A vote on a proposal about the closed centre is an event for that centre too
    const v = await vote('b-closing', 'cp', 'c-m', 'for', '2014-02-10');
    expect(v.status).toBe(422);
    expect(v.body.code).toBe('CENTRE.CLOSED');
    expect(await eventCount()).toBe(before);
    // The closure is from 2014-01-15: facts dated before it are recorded (a closed centre's history can still be completed).
    await post(t, fo, '/centres/os-closing/owner-agreements', { agreementId: 'oc', parties: [{ partyId: 'os-fk', shareBp: 10000 }], period: { from: '2009-01-01' }, signedOn: '2009-01-01' });
    await post(t, fo, '/counties/ostfold/county-line-decisions', { decisionId: 'cl-closed', centreIds: ['os-closing'], kind: 'goals', year: 2014, title: 't', content: { goals: ['g'] }, decidedOn: '2014-01-14' });
    await post(t, fo, '/centres/os-closing/co-locations', { from: '2014-01-01', premises: 'NAV-huset', sharedWith: [] });
  });

  // ---------------------------------------------------------------- views, NAV link

  it('profile and NAV link use the most recently ESTABLISHED active board, whatever order the boards were recorded in', async () => {
    // the newer board (2014) is recorded first, the older one (2010) is entered later from the archive
    await centre(t, fo, 'os-two', 'ostfold', 'Karriere Askim', 'Askim');
    await board('b-new', ['os-two'], [['n-chair', 'os-fk', 'chair']], {}, '2014-01-01');
    await board('b-old', ['os-two'], [['old-chair', 'os-fk', 'chair'], ['old-nav', 'nav-os', 'member']], {}, '2010-01-01');
    const profile = await get(t, reader, '/centres/os-two/governance?date=2014-06-01');
    expect(profile.board.boardId).toBe('b-new');
    const link = await get(t, reader, '/centres/os-two/nav-link?date=2014-06-01');
    // b-new has no NAV member: the board ground follows the same board as the profile
    expect(link.grounds.board.holds).toBe(false);
  });

  it('NAV link board ground: not on the day the board is dissolved, and not for a NAV member whose term has ended', async () => {
    await centre(t, fo, 'os-nav', 'ostfold', 'Karriere Rakkestad', 'Rakkestad');
    await board('b-nav', ['os-nav'], [['nv-chair', 'os-fk', 'chair'], ['nv-nav', 'nav-os', 'member', { from: '2012-01-01', to: '2013-06-30' }]]);
    expect((await get(t, reader, '/centres/os-nav/nav-link?date=2013-06-30')).grounds.board.holds).toBe(true);
    expect((await get(t, reader, '/centres/os-nav/nav-link?date=2013-07-01')).grounds.board.holds).toBe(false);
    await post(t, fo, '/boards/b-nav/members', { personId: 'nv-nav2', name: 'n', partyId: 'nav-os', role: 'member', term: { from: '2014-01-01' } });
    await post(t, fo, '/boards/b-nav/dissolve', { dissolvedOn: '2015-01-01' }, 200);
    expect((await get(t, reader, '/centres/os-nav/nav-link?date=2014-12-31')).grounds.board.holds).toBe(true);
    expect((await get(t, reader, '/centres/os-nav/nav-link?date=2015-01-01')).grounds.board.holds).toBe(false);
    // co-located with NAV from 2016: co-located ground and hasNavLink
    await post(t, fo, '/centres/os-nav/co-locations', { from: '2016-01-01', premises: 'NAV-huset', sharedWith: [{ kind: 'nav-local-office', name: 'NAV Rakkestad' }] });
    const l16 = await get(t, reader, '/centres/os-nav/nav-link?date=2016-02-01');
    expect(l16.grounds.coLocated.holds).toBe(true);
    expect(l16.hasNavLink).toBe(true);
    const l15 = await get(t, reader, '/centres/os-nav/nav-link?date=2015-06-01');
    expect(l15.hasNavLink).toBe('unknown');
  });

  it('partnership: one agreement and one coordinating function at a time; the view follows the events', async () => {
    await post(t, fo, '/counties/ostfold/partnership-agreements', { partnershipId: 'op-1', parties: ['os-fk', 'nav-os'], signedOn: '2014-01-10', period: { from: '2014-01-01', to: '2014-12-31' } });
    const dup = await t.http().post('/counties/ostfold/partnership-agreements').set(fo).send({ partnershipId: 'op-2', parties: ['os-fk', 'nav-os'], signedOn: '2014-06-01', period: { from: '2014-06-01' } });
    expect(dup.status).toBe(409);
    const onePart = await t.http().post('/counties/ostfold/partnership-agreements').set(fo).send({ partnershipId: 'op-3', parties: ['os-fk', 'os-fk'], signedOn: '2015-01-01', period: { from: '2015-01-01' } });
    expect(onePart.status).toBeGreaterThanOrEqual(400);
    expect(onePart.status).toBeLessThan(500);
    await post(t, fo, '/counties/ostfold/coordinating-function', { holderPartyId: 'os-fk', description: 'coordinates', from: '2014-01-01' });
    const second = await t.http().post('/counties/ostfold/coordinating-function').set(fo).send({ holderPartyId: 'nav-os', description: 'c', from: '2014-06-01' });
    expect(second.status).toBe(409);
    await post(t, fo, '/counties/ostfold/coordinating-function/end', { holderPartyId: 'os-fk', endedOn: '2014-05-31' }, 200);
    await post(t, fo, '/counties/ostfold/coordinating-function', { holderPartyId: 'nav-os', description: 'c', from: '2014-06-01' });
    const p = await get(t, reader, '/counties/ostfold/partnership?date=2014-05-31');
    expect(p.coordinatingFunction.holderPartyId).toBe('os-fk');
    expect((await get(t, reader, '/counties/ostfold/partnership?date=2014-06-01')).coordinatingFunction.holderPartyId).toBe('nav-os');
    expect((await get(t, reader, '/counties/ostfold/partnership?date=2015-01-01')).agreement).toBeNull();
  });

  it('bad governance bodies get a clear 4xx and record nothing (never 500)', async () => {
    await board('b-bad', ['os-kc2'], [['bad-chair', 'os-fk', 'chair']]);
    const chair = await member('bad-chair');
    const before = await eventCount();
    const attempts: [string, Auth, object][] = [
      ['/boards', fo, { boardId: 'b-bad2', countyId: 'ostfold', centreIds: ['os-kc2'], name: 'x', establishedOn: '2012-01-01', rules: { quorum: 'at-least', quorumMembers: 2.5 } }],
      ['/boards', fo, { boardId: 'b-bad2', countyId: 'ostfold', centreIds: ['os-kc2'], name: 'x', establishedOn: '2012-01-01', rules: { quorum: 'at-least' } }],
      ['/boards', fo, { boardId: 'b-bad2', countyId: 'ostfold', centreIds: ['os-kc2', 'os-kc2'], name: 'x', establishedOn: '2012-01-01' }],
      ['/boards', fo, { boardId: 'b-bad2', countyId: 'ostfold', centreIds: ['nowhere'], name: 'x', establishedOn: '2012-01-01' }],
      ['/boards', fo, { boardId: 'b-bad2', countyId: 'ostfold', centreIds: ['os-kc2'], name: 'x', establishedOn: '2012-02-30' }],
      ['/boards/b-bad/members', fo, { personId: 'p', name: 'p', partyId: 'os-fk', role: 'chair', term: { from: '2013-01-01' } }],
      ['/boards/b-bad/members', fo, { personId: 'p', name: 'p', partyId: 'os-fk', role: 'member', term: { from: '2013-01-01', to: '2012-12-31' } }],
      ['/boards/b-bad/members', fo, { personId: 'p', name: 'p', partyId: 'os-fk', role: 'member', term: { from: '2011-01-01' } }],
      ['/boards/b-bad/members', fo, { personId: 'p', name: 'p', role: 'member', term: { from: '2013-01-01' } }],
      ['/boards/b-bad/members', fo, { personId: 'p', name: 'p', partyId: 'ghost', role: 'member', term: { from: '2013-01-01' } }],
      ['/boards/b-bad/proposals', chair, { proposalId: 'x', kind: 'budget', year: 2014, title: 't', content: { lines: [{ partyId: 'os-fk', moneyKind: 'operating-grant', amount: 100 }] }, tabledOn: '2014-01-01' }],
      ['/boards/b-bad/proposals', chair, { proposalId: 'x', kind: 'budget', year: 2014, title: 't', content: { lines: [{ partyId: 'os-fk', moneyKind: 'operating-grant', amount: '-1.00' }] }, tabledOn: '2014-01-01' }],
      ['/boards/b-bad/proposals', chair, { proposalId: 'x', kind: 'budget', year: 2014, title: 't', content: { lines: [{ partyId: 'os-fk', moneyKind: 'operating-grant', amount: '1.005' }] }, tabledOn: '2014-01-01' }],
      ['/boards/b-bad/proposals', chair, { proposalId: 'x', kind: 'goals', year: 2014, title: 't', content: { goals: ['g'] }, tabledOn: '2011-01-01' }],
      ['/boards/b-bad/proposals', chair, { proposalId: 'x', kind: 'goals', year: 2014, title: 't', content: { goals: ['g'] }, centreIds: ['os-kc'], tabledOn: '2014-01-01' }],
      ['/boards/b-bad/proposals/none/votes', chair, { vote: 'for', castOn: '2014-01-01' }],
      ['/boards/nope/proposals/none/votes', chair, { vote: 'for', castOn: '2014-01-01' }],
      ['/boards/b-bad/proposals/none/close', chair, { closedOn: '2014-01-01' }],
      ['/boards/b-bad/members/nobody/end', fo, { endedOn: '2014-01-01' }],
      ['/boards/b-bad/dissolve', fo, { dissolvedOn: '2011-12-31' }],
      ['/counties/ostfold/coordinating-function', fo, { holderPartyId: 'os-fk', description: 'd', from: '2020-01-01', to: '2019-12-31' }],
      ['/counties/ostfold/coordinating-function/end', fo, { holderPartyId: 'sarpsborg', endedOn: '2019-12-31' }],
      ['/counties/nowhere/partnership-agreements', await t.auth('admin'), { partnershipId: 'p', parties: ['os-fk', 'nav-os'], signedOn: '2014-01-01', period: { from: '2014-01-01' } }],
      ['/counties/ostfold/county-line-decisions', fo, { decisionId: 'cl-x', centreIds: ['nowhere'], kind: 'goals', year: 2014, title: 't', content: { goals: ['g'] }, decidedOn: '2014-01-01' }],
      ['/counties/ostfold/county-line-decisions', fo, { decisionId: 'cl-x', centreIds: ['os-kc'], kind: 'goals', year: 2014, title: 't', content: { lines: [] }, decidedOn: '2014-01-01' }],
      ['/centres/os-kc/co-locations', fo, { from: '2014-01-01', premises: 'p', sharedWith: [{ kind: 'nav-county-office', partyId: 'ghost' }] }],
    ];
    for (const [url, auth, body] of attempts) {
      const res = await t.http().post(url).set(auth).send(body);
      expect([url, res.status >= 400 && res.status < 500, typeof res.body.code]).toEqual([url, true, 'string']);
    }
    expect(await eventCount()).toBe(before);
  });

  it('a term ended (retroactively) before a recorded vote: the end is refused (422 BOARD.TERM_ENDS_BEFORE_VOTE) and the vote stands', async () => {
    await board('b-retro', ['os-kc2'], [['r-chair', 'os-fk', 'chair'], ['r-m', 'nav-os', 'member'], ['r-m2', 'sarpsborg', 'member']]);
    expect((await table('b-retro', 'rp', await member('r-chair'))).status).toBe(201);
    expect((await vote('b-retro', 'rp', 'r-m', 'for', '2014-03-01')).status).toBe(201);
    // the minutes show r-m left on 15 February: the finance officer records the end of the term
    const end = await t.http().post('/boards/b-retro/members/r-m/end').set(fo).send({ endedOn: '2014-02-15' });
    expect((await vote('b-retro', 'rp', 'r-chair', 'for', '2014-03-01')).status).toBe(201);
    const close = await t.http().post('/boards/b-retro/proposals/rp/close').set(await member('r-chair')).send({ closedOn: '2014-03-01', outcome: 'adopted' });
    const p = await get(t, reader, '/boards/b-retro/proposals/rp');
    // The end is refused: the vote stands, 2 of 3 take part, quorum met.
    expect([end.status, end.body.code, end.body.details.castOn]).toEqual([422, 'BOARD.TERM_ENDS_BEFORE_VOTE', '2014-03-01']);
    expect(close.status).toBe(200);
    expect(p.decision).toMatchObject({ outcome: 'adopted' });
  });

  it('a board cannot be dissolved from a date before its own recorded decisions (it no longer acts from that day)', async () => {
    await board('b-diss', ['os-kc2'], [['ds-chair', 'os-fk', 'chair'], ['ds-m', 'nav-os', 'member']]);
    expect((await table('b-diss', 'dsp', await member('ds-chair'))).status).toBe(201);
    expect((await vote('b-diss', 'dsp', 'ds-chair', 'for', '2014-03-01')).status).toBe(201);
    expect((await vote('b-diss', 'dsp', 'ds-m', 'for', '2014-03-01')).status).toBe(201);
    await post(t, await member('ds-chair'), '/boards/b-diss/proposals/dsp/close', { closedOn: '2014-03-01', outcome: 'adopted' }, 200);
    const before = await eventCount();
    const diss = await t.http().post('/boards/b-diss/dissolve').set(fo).send({ dissolvedOn: '2013-01-01' });
    expect(diss.status).toBe(422);
    expect(diss.body.code).toBe('BOARD.DISSOLVED_BEFORE_ACTIVITY');
    expect(diss.body.message).toContain('2014-03-01');
    // the day it last acted is still too early; the day after is fine
    expect((await t.http().post('/boards/b-diss/dissolve').set(fo).send({ dissolvedOn: '2014-03-01' })).body.code).toBe('BOARD.DISSOLVED_BEFORE_ACTIVITY');
    expect(await eventCount()).toBe(before);
    await post(t, fo, '/boards/b-diss/dissolve', { dissolvedOn: '2014-03-02' }, 200);
  });
});
