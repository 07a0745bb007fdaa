import { startTestApp, TestApp } from '../helpers/test-app';
import { centre, get, partyOf, post } from './governance-helpers';

type Auth = { Authorization: string };

describe("Østfold's board adopts a strategic plan by vote; Troms replaces its steering group with a board in 2014", () => {
  let t: TestApp;
  let foOstfold: Auth;
  let foTroms: Auth;
  const member = (personId: string) => t.auth('board-member', [], personId);

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    foOstfold = await t.auth('finance-officer', ['ostfold']);
    foTroms = await t.auth('finance-officer', ['troms']);
    await centre(t, foOstfold, 'ostfold-kc', 'ostfold', 'Karriere Østfold', 'Sarpsborg');
    await partyOf(t, foOstfold, 'ostfold-fk', 'Østfold fylkeskommune', 'county-authority', 'ostfold');
    await partyOf(t, foOstfold, 'nav-ostfold', 'NAV Østfold', 'nav-county-office', 'ostfold');
    await partyOf(t, foOstfold, 'sarpsborg', 'Sarpsborg kommune', 'municipality', 'ostfold');
    await partyOf(t, foOstfold, 'udf', 'Utdanningsforbundet', 'union');
    await centre(t, foTroms, 'troms-kc', 'troms', 'Karrieresenteret i Troms', 'Tromsø');
  });
  afterAll(async () => t?.close());

  it('a Telemark finance officer cannot register a board for Østfold (403)', async () => {
    const res = await t.http().post('/boards').set(await t.auth('finance-officer', ['telemark'])).send({ boardId: 'ostfold-board', countyId: 'ostfold', centreIds: ['ostfold-kc'], name: 'Styret', establishedOn: '2012-01-01' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('ACCESS.OTHER_COUNTY');
    expect((await get(t, await t.auth('auditor'), '/boards')).length).toBe(0);
  });

  it("Østfold's board (county, NAV Østfold, staff representatives, Sarpsborg, the teachers' union) adopts its strategic plan by vote", async () => {
    await post(t, foOstfold, '/boards', { boardId: 'ostfold-board', countyId: 'ostfold', centreIds: ['ostfold-kc'], name: 'Styret for Karriere Østfold', establishedOn: '2012-01-01' });
    const members: [string, string | null, string][] = [
      ['anne', 'ostfold-fk', 'chair'],
      ['nils', 'nav-ostfold', 'deputy-chair'],
      ['siri', 'sarpsborg', 'member'],
      ['ulf', 'udf', 'member'],
      ['stine', null, 'staff-representative'],
      ['sven', null, 'staff-representative'],
    ];
    for (const [personId, partyId, role] of members) {
      await post(t, foOstfold, '/boards/ostfold-board/members', { personId, name: personId, partyId, role, term: { from: '2012-01-01' } });
    }
    await post(t, await member('siri'), '/boards/ostfold-board/proposals', {
      proposalId: 'sp-2014',
      kind: 'strategic-plan',
      year: 2014,
      title: 'Strategisk plan 2014–2017',
      content: { goals: ['Free career guidance for all adults over 19', 'Competence development for counsellors'], targetGroups: ['adults', 'counsellors'], inputFromPartyIds: ['nav-ostfold', 'sarpsborg'] },
      tabledOn: '2014-02-03',
    });
    const votes: [string, string][] = [['anne', 'for'], ['nils', 'for'], ['siri', 'for'], ['ulf', 'against'], ['stine', 'abstain']];
    for (const [who, vote] of votes) await post(t, await member(who), '/boards/ostfold-board/proposals/sp-2014/votes', { vote, castOn: '2014-02-10' });

    const twice = await t.http().post('/boards/ostfold-board/proposals/sp-2014/votes').set(await member('ulf')).send({ vote: 'for', castOn: '2014-02-10' });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('BOARD.ALREADY_VOTED');
    const asOther = await t.http().post('/boards/ostfold-board/proposals/sp-2014/votes').set(await member('sven')).send({ personId: 'anne', vote: 'for' });
    expect(asOther.status).toBe(403);
    expect(asOther.body.code).toBe('BOARD.VOTE_AS_OTHER');
    const notChair = await t.http().post('/boards/ostfold-board/proposals/sp-2014/close').set(await member('siri')).send({ closedOn: '2014-02-10' });
    expect(notChair.status).toBe(403);
    expect(notChair.body.code).toBe('BOARD.NOT_THE_CHAIR');

    const closed = await post(t, await member('anne'), '/boards/ostfold-board/proposals/sp-2014/close', { closedOn: '2014-02-10', outcome: 'adopted' }, 200);
    const reader = await t.auth('auditor');
    const register = await get(t, reader, '/boards/ostfold-board');
    const p = register.proposals.find((x: any) => x.proposalId === 'sp-2014');
    expect(p.votes.map((v: any) => [v.personId, v.vote])).toEqual(votes);
    expect(p.decision).toMatchObject({ outcome: 'adopted', reason: 'MAJORITY_FOR', quorumMet: true, tally: { for: 3, against: 1, abstain: 1, takingPart: 5, seats: 6, quorumRequired: 4 }, closedBy: 'anne' });
    expect(p.decision.event.eventId).toBe(closed.eventIds[0]);
    expect(register.members.find((m: any) => m.personId === 'ulf').partyName).toBe('Utdanningsforbundet');
    expect(register.rules).toEqual({ quorum: { kind: 'more-than-half' }, tieBreak: 'chair-decides' });

    const profile = await get(t, reader, '/centres/ostfold-kc/governance?date=2014-06-01');
    expect(profile.governedBy).toBe('board');
    expect(profile.board.members.map((m: any) => m.personId).sort()).toEqual(['anne', 'nils', 'siri', 'stine', 'sven', 'ulf']);
    expect(profile.currentPlan).toMatchObject({ decisionId: 'sp-2014', kind: 'strategic-plan', governedBy: 'board' });
    expect((await get(t, reader, '/centres/ostfold-kc/governance?date=2014-02-09')).currentPlan).toBeNull();

    const link = await get(t, reader, '/centres/ostfold-kc/nav-link?date=2014-06-01');
    expect(link.grounds.board.holds).toBe(true);
    expect(link.grounds.board.evidence.some((e: any) => e.partyId === 'nav-ostfold' && e.type === 'BoardMemberAppointed')).toBe(true);
    expect(link.grounds.formalInput.holds).toBe(true);
    expect(link.grounds.formalInput.evidence[0]).toMatchObject({ eventId: closed.eventIds[0], partyId: 'nav-ostfold' });
    expect(link.grounds.owner.holds).toBe(false);
  });

  it('a proposal without quorum: adopting is refused (nothing recorded), closing records it rejected for NO_QUORUM', async () => {
    await post(t, await member('anne'), '/boards/ostfold-board/proposals', { proposalId: 'ap-2014', kind: 'action-plan', year: 2014, title: 'Handlingsplan 2014', content: { goals: ['Reach 1000 adults'] }, tabledOn: '2014-03-01' });
    await post(t, await member('anne'), '/boards/ostfold-board/proposals/ap-2014/votes', { vote: 'for', castOn: '2014-03-01' });
    await post(t, await member('nils'), '/boards/ostfold-board/proposals/ap-2014/votes', { vote: 'for', castOn: '2014-03-01' });
    const adopt = await t.http().post('/boards/ostfold-board/proposals/ap-2014/close').set(await member('anne')).send({ closedOn: '2014-03-01', outcome: 'adopted' });
    expect(adopt.status).toBe(422);
    expect(adopt.body.code).toBe('BOARD.NO_QUORUM');
    const reader = await t.auth('auditor');
    expect((await get(t, reader, '/boards/ostfold-board/proposals/ap-2014')).decision).toBeNull();
    await post(t, await member('anne'), '/boards/ostfold-board/proposals/ap-2014/close', { closedOn: '2014-03-01' }, 200);
    const p = await get(t, reader, '/boards/ostfold-board/proposals/ap-2014');
    expect(p.decision).toMatchObject({ outcome: 'rejected', reason: 'NO_QUORUM', quorumMet: false, tally: { takingPart: 2, seats: 6 } });
  });

  it('Troms replaces its 10-party steering group with a board of county, NAV Troms and Tromsø municipality in 2014', async () => {
    const parties: [string, string, string][] = [
      ['troms-fk', 'Troms fylkeskommune', 'county-authority'],
      ['nav-troms', 'NAV Troms', 'nav-county-office'],
      ['tromso', 'Tromsø kommune', 'municipality'],
      ['harstad', 'Harstad kommune', 'municipality'],
      ['nav-tromso', 'NAV Tromsø', 'nav-local-office'],
      ['uit', 'Universitetet i Tromsø', 'university'],
      ['fm-troms', 'Fylkesmannen i Troms', 'county-governor'],
      ['nho-troms', 'NHO Troms', 'employers-organisation'],
      ['lo-troms', 'LO Troms', 'union'],
      ['ks-troms', 'KS Troms', 'regional-council'],
    ];
    for (const [id, name, kind] of parties) await partyOf(t, foTroms, id, name, kind, 'troms');
    await post(t, foTroms, '/boards', { boardId: 'troms-steering', countyId: 'troms', centreIds: ['troms-kc'], name: 'Styringsgruppen', bodyKind: 'steering-group', establishedOn: '2010-01-01' });
    for (const [i, [id]] of parties.entries()) await post(t, foTroms, '/boards/troms-steering/members', { personId: `sg-${i}`, name: `Member ${i}`, partyId: id, role: i === 0 ? 'chair' : 'member', term: { from: '2010-01-01' } });

    await post(t, foTroms, '/boards', { boardId: 'troms-board', countyId: 'troms', centreIds: ['troms-kc'], name: 'Styret for Karrieresenteret i Troms', establishedOn: '2014-01-01', rules: { quorum: 'at-least', quorumMembers: 2, tieBreak: 'rejected' } });
    await post(t, foTroms, '/boards/troms-steering/dissolve', { dissolvedOn: '2014-01-01', reason: 'Replaced by a board', replacedByBoardId: 'troms-board' }, 200);
    for (const [personId, partyId, role] of [['tove', 'troms-fk', 'chair'], ['nora', 'nav-troms', 'member'], ['tor', 'tromso', 'member']]) {
      await post(t, foTroms, '/boards/troms-board/members', { personId, name: personId, partyId, role, term: { from: '2014-01-01' } });
    }
    const reader = await t.auth('vox');
    const in2013 = await get(t, reader, '/centres/troms-kc/governance?date=2013-06-01');
    expect(in2013.governedBy).toBe('steering-group');
    expect(in2013.board.boardId).toBe('troms-steering');
    expect(in2013.board.members).toHaveLength(10);
    const in2014 = await get(t, reader, '/centres/troms-kc/governance?date=2014-06-01');
    expect(in2014.governedBy).toBe('board');
    expect(in2014.board.boardId).toBe('troms-board');
    expect(in2014.board.members.map((m: any) => m.partyName)).toEqual(['Troms fylkeskommune', 'NAV Troms', 'Tromsø kommune']);
    expect(in2014.board.rules).toEqual({ quorum: { kind: 'at-least', members: 2 }, tieBreak: 'rejected' });

    const late = await t.http().post('/boards/troms-steering/members').set(foTroms).send({ personId: 'late', name: 'late', partyId: 'troms-fk', role: 'member', term: { from: '2014-02-01' } });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('BOARD.DISSOLVED');

    // An Østfold board member cannot vote on Troms' board.
    await post(t, await member('tove'), '/boards/troms-board/proposals', { proposalId: 'budget-2015', kind: 'budget', year: 2015, title: 'Budsjett 2015', content: { lines: [{ partyId: 'troms-fk', moneyKind: 'operating-grant', amount: '980773.00' }, { partyId: 'nav-troms', moneyKind: 'earmarked', amount: '550000' }] }, tabledOn: '2014-11-01' });
    const foreign = await t.http().post('/boards/troms-board/proposals/budget-2015/votes').set(await member('anne')).send({ vote: 'for', castOn: '2014-11-20' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('BOARD.NOT_A_MEMBER');
    const formerSg = await t.http().post('/boards/troms-board/proposals/budget-2015/votes').set(await member('sg-3')).send({ vote: 'for', castOn: '2014-11-20' });
    expect(formerSg.status).toBe(403);

    const register = await get(t, reader, '/boards/troms-board');
    expect(register.proposals[0].content.lines).toEqual([{ partyId: 'troms-fk', moneyKind: 'operating-grant', amountOre: 98_077_300 }, { partyId: 'nav-troms', moneyKind: 'earmarked', amountOre: 55_000_000 }]);
    expect(register.proposals[0].votes).toEqual([]);
    const steering = await get(t, reader, '/boards/troms-steering');
    expect(steering.dissolution).toMatchObject({ replacedByBoardId: 'troms-board' });
  });

  it('Vox and auditors read but cannot table, vote or establish', async () => {
    for (const role of ['vox', 'auditor'] as const) {
      const a = await t.auth(role);
      expect((await t.http().post('/boards/ostfold-board/proposals/sp-2014/votes').set(a).send({ vote: 'for' })).status).toBe(403);
      expect((await t.http().post('/boards').set(a).send({ boardId: 'z', countyId: 'ostfold', centreIds: ['ostfold-kc'], name: 'z', establishedOn: '2014-01-01' })).status).toBe(403);
      expect((await t.http().get('/boards/ostfold-board').set(a)).status).toBe(200);
    }
  });
});
