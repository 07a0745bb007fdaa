/**
 * Adversarial review of governance, through HTTP only: votes and terms at their boundary days, quorum at
 * the exact boundary (odd seats, `at-least`), ties (chair away, chair abstaining, `tieBreak: 'rejected'`,
 * a deputy standing in for the chair), standing-in deputies voting twice, who closes, votes dated after
 * today, boards dissolved from a later date, owner-agreement terms (10001 bp, duplicate parties, a party
 * of another county, one-day periods), amendments and terminations by date as cost-share compliance
 * weighs them (and as of a recorded time before them), the NAV link's grounds appearing and disappearing
 * by date, closed and unregistered centres, and finance officers of another county (403, nothing recorded,
 * not even through an Idempotency-Key already used).
 *
 * Expected values are computed here from the inputs (README "Cost-share compliance", "The rounding rule",
 * Governance "Defaults we chose"), never read back from the ledger.
 */
import { addDays, osloDateOf } from '../../libs/domain/src/shared';
import { startTestApp, TestApp } from '../helpers/test-app';

type Auth = { Authorization: string };
type Res = { status: number; body: any };

describe('governance: adversarial review (HTTP)', () => {
  let t: TestApp;
  let fo: Auth; // finance officer of Østfold
  let foTel: Auth; // finance officer of Telemark
  let admin: Auth;
  let auditor: Auth;

  const send = (auth: Auth, url: string, body: object, headers: Record<string, string> = {}): Promise<Res> => t.http().post(url).set(auth).set(headers).send(body) as any;
  const ok = async (auth: Auth, url: string, body: object): Promise<any> => {
    const res = await send(auth, url, body);
    if (res.status >= 300) throw new Error(`POST ${url} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const read = async (url: string): Promise<any> => {
    const res = await t.http().get(url).set(auditor);
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const head = () => t.store.headPosition();
  const member = (personId: string) => t.auth('board-member', [], personId);
  const refusal = (res: Res) => [res.status, res.body?.code];
  const mark = async (): Promise<string> => {
    await new Promise((r) => setTimeout(r, 15));
    const at = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 15));
    return at;
  };

  /** A centre of Østfold (opened 2005) and a board for it with the given members (term from the board's establishment unless given). */
  const centre = (centreId: string, countyId = 'ostfold', auth?: Auth) => ok(auth ?? fo, '/centres', { centreId, countyId, name: `Karriere ${centreId}`, municipality: 'Sarpsborg', openedOn: '2005-01-01' });
  const board = async (boardId: string, members: [string, string | null, string, { from: string; to?: string | null }?][], extra: object = {}, establishedOn = '2012-01-01') => {
    await centre(`c-${boardId}`);
    await ok(fo, '/boards', { boardId, countyId: 'ostfold', centreIds: [`c-${boardId}`], name: `Styret ${boardId}`, establishedOn, ...extra });
    for (const [personId, partyId, role, term] of members) await ok(fo, `/boards/${boardId}/members`, { personId, name: personId, partyId, role, term: term ?? { from: establishedOn } });
  };
  const table = async (boardId: string, proposalId: string, by: string, tabledOn = '2014-02-01', body: object = {}) =>
    ok(await member(by), `/boards/${boardId}/proposals`, { proposalId, kind: 'goals', year: 2014, title: `Mål ${proposalId}`, content: { goals: ['Flere voksne får veiledning'] }, tabledOn, ...body });
  const vote = async (boardId: string, proposalId: string, personId: string, v: string, castOn: string, standingInFor?: string): Promise<Res> =>
    send(await member(personId), `/boards/${boardId}/proposals/${proposalId}/votes`, { vote: v, castOn, ...(standingInFor ? { standingInFor } : {}) });
  const close = async (boardId: string, proposalId: string, by: string | Auth, body: object): Promise<Res> =>
    send(typeof by === 'string' ? await member(by) : by, `/boards/${boardId}/proposals/${proposalId}/close`, body);
  const decisionOf = async (boardId: string, proposalId: string) => (await read(`/boards/${boardId}/proposals/${proposalId}`)).decision;

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    fo = await t.auth('finance-officer', ['ostfold'], 'rv-fo-ostfold');
    foTel = await t.auth('finance-officer', ['telemark'], 'rv-fo-telemark');
    admin = await t.auth('admin', [], 'rv-admin');
    auditor = await t.auth('auditor', [], 'rv-auditor');
    await ok(fo, '/parties', { partyId: 'os-fk', name: 'Østfold fylkeskommune', kind: 'county-authority', countyId: 'ostfold' });
    await ok(fo, '/parties', { partyId: 'nav-os', name: 'NAV Østfold', kind: 'nav-county-office', countyId: 'ostfold' });
    await ok(fo, '/parties', { partyId: 'sarpsborg', name: 'Sarpsborg kommune', kind: 'municipality', countyId: 'ostfold' });
    await ok(admin, '/parties', { partyId: 'troms-fk', name: 'Troms fylkeskommune', kind: 'county-authority', countyId: 'troms' });
  });
  afterAll(() => t?.close());

  // =====================================================================================================
  // Votes, terms, quorum, ties, closing
  // =====================================================================================================

  it('terms count on their first and last day: a vote the day after the last day is 403 BOARD.FORMER_MEMBER, the day before the first 403 BOARD.NOT_YET_MEMBER (nothing recorded); both boundary votes count', async () => {
    await board('b-term', [
      ['tm-chair', 'os-fk', 'chair'],
      ['tm-last', 'nav-os', 'member', { from: '2012-01-01', to: '2014-02-10' }],
      ['tm-first', 'sarpsborg', 'member', { from: '2014-02-10' }],
      ['tm-x', 'sarpsborg', 'member'],
    ]);
    await table('b-term', 'tp', 'tm-chair');
    const before = await head();
    expect(refusal(await vote('b-term', 'tp', 'tm-last', 'for', '2014-02-11'))).toEqual([403, 'BOARD.FORMER_MEMBER']);
    expect(refusal(await vote('b-term', 'tp', 'tm-first', 'for', '2014-02-09'))).toEqual([403, 'BOARD.NOT_YET_MEMBER']);
    expect(await head()).toBe(before);
    // Recorded today, after tm-last's term ended, the last day's vote is an administrator's to enter (README: a member whose term has ended no longer acts with their own token).
    expect(refusal(await vote('b-term', 'tp', 'tm-last', 'for', '2014-02-10'))).toEqual([403, 'BOARD.FORMER_MEMBER']);
    expect((await send(admin, '/boards/b-term/proposals/tp/votes', { vote: 'for', castOn: '2014-02-10', personId: 'tm-last' })).status).toBe(201);
    expect((await vote('b-term', 'tp', 'tm-first', 'against', '2014-02-10')).status).toBe(201);
    expect((await vote('b-term', 'tp', 'tm-chair', 'for', '2014-02-10')).status).toBe(201);
    expect((await close('b-term', 'tp', 'tm-chair', { closedOn: '2014-02-10' })).status).toBe(200);
    // On 2014-02-10 all four hold a seat (the last day and the first day both count): 3 of 4 take part, quorum 3.
    expect(await decisionOf('b-term', 'tp')).toMatchObject({ outcome: 'adopted', reason: 'MAJORITY_FOR', quorumMet: true, tally: { for: 2, against: 1, abstain: 0, takingPart: 3, seats: 4, quorumRequired: 3 } });
  });

  it('quorum with an odd number of seats: 3 of 5 is more than half (adopted); 2 of 5 is not (adopting it is 422 BOARD.NO_QUORUM, nothing recorded; closing records NO_QUORUM)', async () => {
    await board('b-five', [
      ['f-chair', 'os-fk', 'chair'],
      ['f-dc', 'nav-os', 'deputy-chair'],
      ['f-m1', 'sarpsborg', 'member'],
      ['f-m2', 'sarpsborg', 'member'],
      ['f-staff', null, 'staff-representative'],
    ]);
    const seats = 5;
    const required = Math.floor(seats / 2) + 1; // more than half
    expect(required).toBe(3);
    await table('b-five', 'p3', 'f-chair');
    for (const [who, v] of [['f-chair', 'for'], ['f-m1', 'for'], ['f-m2', 'against']]) expect((await vote('b-five', 'p3', who, v, '2014-02-10')).status).toBe(201);
    expect((await close('b-five', 'p3', 'f-chair', { closedOn: '2014-02-10', outcome: 'adopted' })).status).toBe(200);
    expect(await decisionOf('b-five', 'p3')).toMatchObject({ outcome: 'adopted', reason: 'MAJORITY_FOR', tally: { for: 2, against: 1, takingPart: 3, seats, quorumRequired: required } });

    await table('b-five', 'p2', 'f-chair');
    for (const who of ['f-chair', 'f-m1']) expect((await vote('b-five', 'p2', who, 'for', '2014-02-10')).status).toBe(201);
    const before = await head();
    const adopt = await close('b-five', 'p2', 'f-chair', { closedOn: '2014-02-10', outcome: 'adopted' });
    expect(refusal(adopt)).toEqual([422, 'BOARD.NO_QUORUM']);
    expect(adopt.body.details.tally).toMatchObject({ takingPart: 2, seats, quorumRequired: required });
    expect(await head()).toBe(before);
    expect(await decisionOf('b-five', 'p2')).toBeNull();
    expect((await close('b-five', 'p2', 'f-chair', { closedOn: '2014-02-10' })).status).toBe(200);
    expect(await decisionOf('b-five', 'p2')).toMatchObject({ outcome: 'rejected', reason: 'NO_QUORUM', quorumMet: false });
  });

  it("a board's own quorum rule ('at-least', 2) is applied at its boundary: 2 of 5 seats is quorum, 1 is not", async () => {
    await board('b-atl', [
      ['a-chair', 'os-fk', 'chair'],
      ['a-m1', 'nav-os', 'member'],
      ['a-m2', 'sarpsborg', 'member'],
      ['a-m3', 'sarpsborg', 'member'],
      ['a-m4', 'sarpsborg', 'member'],
    ], { rules: { quorum: 'at-least', quorumMembers: 2 } });
    await table('b-atl', 'q2', 'a-chair');
    for (const who of ['a-m1', 'a-m2']) expect((await vote('b-atl', 'q2', who, 'for', '2014-02-10')).status).toBe(201);
    expect((await close('b-atl', 'q2', 'a-chair', { closedOn: '2014-02-10', outcome: 'adopted' })).status).toBe(200);
    expect(await decisionOf('b-atl', 'q2')).toMatchObject({ outcome: 'adopted', quorumMet: true, tally: { takingPart: 2, seats: 5, quorumRequired: 2 } });

    await table('b-atl', 'q1', 'a-chair');
    expect((await vote('b-atl', 'q1', 'a-m1', 'for', '2014-02-10')).status).toBe(201);
    const before = await head();
    const adopt = await close('b-atl', 'q1', 'a-chair', { closedOn: '2014-02-10', outcome: 'adopted' });
    expect(refusal(adopt)).toEqual([422, 'BOARD.NO_QUORUM']);
    expect(adopt.body.details.tally).toMatchObject({ takingPart: 1, seats: 5, quorumRequired: 2 });
    expect(await head()).toBe(before);
  });

  it("tie with the chair away: the deputy chair's own vote decides (against → rejected, for → adopted), and the deputy chair closes", async () => {
    await board('b-tie-dc', [
      ['d-chair', 'os-fk', 'chair'],
      ['d-dc', 'nav-os', 'deputy-chair'],
      ['d-m1', 'sarpsborg', 'member'],
      ['d-m2', 'sarpsborg', 'member'],
    ]);
    for (const [pid, dcVote, m1Vote] of [['against-wins', 'against', 'for'], ['for-wins', 'for', 'against']]) {
      await table('b-tie-dc', pid, 'd-m1');
      expect((await vote('b-tie-dc', pid, 'd-dc', dcVote, '2014-02-10')).status).toBe(201);
      expect((await vote('b-tie-dc', pid, 'd-m1', m1Vote, '2014-02-10')).status).toBe(201);
      expect((await vote('b-tie-dc', pid, 'd-m2', 'abstain', '2014-02-10')).status).toBe(201);
      expect((await close('b-tie-dc', pid, 'd-dc', { closedOn: '2014-02-10' })).status).toBe(200);
      expect(await decisionOf('b-tie-dc', pid)).toMatchObject({
        outcome: dcVote === 'for' ? 'adopted' : 'rejected',
        reason: 'TIE_BROKEN_BY_CHAIR',
        tally: { for: 1, against: 1, abstain: 1, takingPart: 3, seats: 4 },
      });
    }
  });

  it('tie with the chair present but abstaining: the chair is the meeting chair, so the deputy chair\'s "for" does not break it (TIE_NOT_BROKEN); the deputy chair may not close (403 BOARD.CHAIR_PRESENT, nothing recorded)', async () => {
    await board('b-tie-abs', [
      ['ab-chair', 'os-fk', 'chair'],
      ['ab-dc', 'nav-os', 'deputy-chair'],
      ['ab-m1', 'sarpsborg', 'member'],
      ['ab-m2', 'sarpsborg', 'member'],
    ]);
    await table('b-tie-abs', 'tp', 'ab-m1');
    for (const [who, v] of [['ab-chair', 'abstain'], ['ab-dc', 'for'], ['ab-m1', 'against']]) expect((await vote('b-tie-abs', 'tp', who, v, '2014-02-10')).status).toBe(201);
    const before = await head();
    expect(refusal(await close('b-tie-abs', 'tp', 'ab-dc', { closedOn: '2014-02-10' }))).toEqual([403, 'BOARD.CHAIR_PRESENT']);
    expect(await head()).toBe(before);
    expect((await close('b-tie-abs', 'tp', 'ab-chair', { closedOn: '2014-02-10' })).status).toBe(200);
    expect(await decisionOf('b-tie-abs', 'tp')).toMatchObject({ outcome: 'rejected', reason: 'TIE_NOT_BROKEN', closedBy: 'ab-chair', tally: { for: 1, against: 1, abstain: 1, takingPart: 3 } });
  });

  it("tieBreak 'rejected': a tie is rejected (TIE_REJECTED) even when the chair voted for; declaring it adopted is 422 BOARD.OUTCOME_MISMATCH, nothing recorded", async () => {
    await board('b-tie-rej', [
      ['r-chair', 'os-fk', 'chair'],
      ['r-m1', 'nav-os', 'member'],
      ['r-m2', 'sarpsborg', 'member'],
    ], { rules: { tieBreak: 'rejected' } });
    await table('b-tie-rej', 'tp', 'r-chair');
    for (const [who, v] of [['r-chair', 'for'], ['r-m1', 'against'], ['r-m2', 'abstain']]) expect((await vote('b-tie-rej', 'tp', who, v, '2014-02-10')).status).toBe(201);
    const before = await head();
    const adopt = await close('b-tie-rej', 'tp', 'r-chair', { closedOn: '2014-02-10', outcome: 'adopted' });
    expect(refusal(adopt)).toEqual([422, 'BOARD.OUTCOME_MISMATCH']);
    expect(adopt.body.details).toMatchObject({ outcome: 'rejected', reason: 'TIE_REJECTED' });
    expect(await head()).toBe(before);
    expect((await close('b-tie-rej', 'tp', 'r-chair', { closedOn: '2014-02-10', outcome: 'rejected' })).status).toBe(200);
    expect(await decisionOf('b-tie-rej', 'tp')).toMatchObject({ outcome: 'rejected', reason: 'TIE_REJECTED' });
  });

  it("a deputy member standing in for the absent chair counts for the chair's seat but does not chair the meeting: in a 2–2 tie the deputy chair's own vote decides, and the deputy chair closes", async () => {
    await board('b-tie-sub', [
      ['s-chair', 'os-fk', 'chair'],
      ['s-dc', 'nav-os', 'deputy-chair'],
      ['s-m1', 'sarpsborg', 'member'],
      ['s-m2', 'sarpsborg', 'member'],
      ['s-dep', 'os-fk', 'deputy-member'],
    ]);
    await table('b-tie-sub', 'tp', 's-m1');
    expect((await vote('b-tie-sub', 'tp', 's-dep', 'against', '2014-02-10', 's-chair')).status).toBe(201);
    for (const [who, v] of [['s-dc', 'for'], ['s-m1', 'for'], ['s-m2', 'against']]) expect((await vote('b-tie-sub', 'tp', who, v, '2014-02-10')).status).toBe(201);
    // The chair did not take part in person: the deputy chair chairs and closes.
    expect((await close('b-tie-sub', 'tp', 's-dc', { closedOn: '2014-02-10' })).status).toBe(200);
    const p = await read('/boards/b-tie-sub/proposals/tp');
    expect(p.decision).toMatchObject({ outcome: 'adopted', reason: 'TIE_BROKEN_BY_CHAIR', tally: { for: 2, against: 2, takingPart: 4, seats: 4 } });
    expect(p.votes.find((v: any) => v.personId === 's-dep')).toMatchObject({ standingInFor: 's-chair', vote: 'against' });
  });

  it('a standing-in deputy votes once: not again for another seat, not even concurrently; the seat holder cannot vote after the deputy did; a member cannot stand in (422 BOARD.NOT_A_DEPUTY); nothing recorded', async () => {
    await board('b-si', [
      ['si-chair', 'os-fk', 'chair'],
      ['si-m1', 'nav-os', 'member'],
      ['si-m2', 'sarpsborg', 'member'],
      ['si-dep', 'os-fk', 'deputy-member'],
    ]);
    await table('b-si', 'p1', 'si-chair');
    expect((await vote('b-si', 'p1', 'si-dep', 'for', '2014-02-10', 'si-m1')).status).toBe(201);
    const before = await head();
    expect(refusal(await vote('b-si', 'p1', 'si-dep', 'for', '2014-02-10', 'si-m2'))).toEqual([409, 'BOARD.ALREADY_VOTED']);
    expect(refusal(await vote('b-si', 'p1', 'si-m1', 'against', '2014-02-10'))).toEqual([409, 'BOARD.ALREADY_VOTED']);
    expect(refusal(await vote('b-si', 'p1', 'si-m2', 'for', '2014-02-10', 'si-chair'))).toEqual([422, 'BOARD.NOT_A_DEPUTY']);
    expect(await head()).toBe(before);
    expect((await vote('b-si', 'p1', 'si-m2', 'for', '2014-02-10')).status).toBe(201);
    expect((await close('b-si', 'p1', 'si-chair', { closedOn: '2014-02-10' })).status).toBe(200);
    const p = await read('/boards/b-si/proposals/p1');
    expect(p.votes.map((v: any) => [v.personId, v.standingInFor, v.vote])).toEqual([['si-dep', 'si-m1', 'for'], ['si-m2', null, 'for']]);
    expect(p.decision.tally).toMatchObject({ for: 2, takingPart: 2, seats: 3, quorumRequired: 2 });

    // Two requests at once, the deputy standing in for two different seats: exactly one is recorded.
    await table('b-si', 'p2', 'si-chair');
    const both = await Promise.all([vote('b-si', 'p2', 'si-dep', 'for', '2014-02-10', 'si-m1'), vote('b-si', 'p2', 'si-dep', 'for', '2014-02-10', 'si-m2')]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect((await read('/boards/b-si/proposals/p2')).votes).toHaveLength(1);
  });

  it('votes entered by an admin from the minutes: without personId 400 BOARD.PERSON_REQUIRED; for a non-member 403 BOARD.NOT_A_MEMBER; nothing recorded; for a member it is recorded as that member', async () => {
    await board('b-min', [['mi-chair', 'os-fk', 'chair'], ['mi-m1', 'nav-os', 'member']]);
    await table('b-min', 'p', 'mi-chair');
    const before = await head();
    expect(refusal(await send(admin, '/boards/b-min/proposals/p/votes', { vote: 'for', castOn: '2014-02-10' }))).toEqual([400, 'BOARD.PERSON_REQUIRED']);
    expect(refusal(await send(admin, '/boards/b-min/proposals/p/votes', { personId: 'stranger', vote: 'for', castOn: '2014-02-10' }))).toEqual([403, 'BOARD.NOT_A_MEMBER']);
    expect(refusal(await send(admin, '/boards/b-min/proposals/p/votes', { personId: 'mi-m1', vote: 'for', castOn: '2014-01-31' }))).toEqual([422, 'BOARD.VOTE_BEFORE_TABLED']);
    expect(await head()).toBe(before);
    expect((await send(admin, '/boards/b-min/proposals/p/votes', { personId: 'mi-m1', vote: 'for', castOn: '2014-02-10' })).status).toBe(201);
    expect((await read('/boards/b-min/proposals/p')).votes.map((v: any) => [v.personId, v.vote])).toEqual([['mi-m1', 'for']]);
  });

  it('a vote dated after today (Norway) is refused with nothing recorded: otherwise the proposal could never be closed (a decision may be dated neither before a vote nor after today)', async () => {
    await board('b-fut', [['fu-chair', 'os-fk', 'chair'], ['fu-m1', 'nav-os', 'member']]);
    await table('b-fut', 'p', 'fu-chair');
    const today = osloDateOf(new Date().toISOString());
    const before = await head();
    const future = await vote('b-fut', 'p', 'fu-m1', 'for', addDays(today, 400));
    const headMoved = (await head()) !== before;
    // Whatever happened to the vote, the chair must be able to close the proposal today.
    const closeToday = await close('b-fut', 'p', 'fu-chair', { closedOn: today });
    expect({ vote: future.status >= 400 && future.status < 500, headMoved, closeToday: closeToday.status }).toEqual({ vote: true, headMoved: false, closeToday: 200 });
    expect(future.body.code).toMatch(/^BOARD\./);
  });

  it("a board dissolved from a date still acts before it (README: dissolvedOn is the first day it no longer acts): the December vote and decision of a board dissolved from 1 January are recorded; a vote from 1 January is refused", async () => {
    await board('b-diss-later', [['dl-chair', 'os-fk', 'chair'], ['dl-m1', 'nav-os', 'member']]);
    await table('b-diss-later', 'goals-2014', 'dl-chair', '2013-12-01');
    await table('b-diss-later', 'late', 'dl-chair', '2013-12-01');
    // Decided in November: the board is replaced from 1 January 2014 (its last activity, 1 December, is before that).
    expect((await send(fo, '/boards/b-diss-later/dissolve', { dissolvedOn: '2014-01-01', reason: 'Erstattes av nytt styre' })).status).toBe(200);
    const december = [
      (await vote('b-diss-later', 'goals-2014', 'dl-chair', 'for', '2013-12-10')).status,
      (await vote('b-diss-later', 'goals-2014', 'dl-m1', 'for', '2013-12-10')).status,
      (await close('b-diss-later', 'goals-2014', 'dl-chair', { closedOn: '2013-12-10', outcome: 'adopted' })).status,
    ];
    const before = await head();
    const january = await vote('b-diss-later', 'late', 'dl-m1', 'for', '2014-01-02');
    expect({ december, january: january.status >= 400 && january.status < 500, headMoved: (await head()) !== before }).toEqual({ december: [201, 201, 200], january: true, headMoved: false });
    expect((await read('/centres/c-b-diss-later/governance?date=2013-12-31')).current.goals).toMatchObject({ decisionId: 'goals-2014' });
  });

  // =====================================================================================================
  // Owner agreements: terms, parties, periods
  // =====================================================================================================

  it('owner terms: 10001 bp (422 SHARES_NOT_100, with the sum), a party named twice among three (400 DUPLICATE_PARTY), one party at 10001 (400 INVALID_SHARE), ending the day before it starts (422), unknown party (404): nothing recorded; a one-day agreement is in force on that day only; amending it to 10001 is refused', async () => {
    await centre('c-terms');
    const url = '/centres/c-terms/owner-agreements';
    const base = { agreementId: 'oa', period: { from: '2013-06-01', to: null }, signedOn: '2013-05-01' };
    const before = await head();
    const over = await send(fo, url, { ...base, parties: [{ partyId: 'os-fk', shareBp: 4999 }, { partyId: 'nav-os', shareBp: 5002 }] });
    expect(refusal(over)).toEqual([422, 'OWNER_AGREEMENT.SHARES_NOT_100']);
    expect(over.body.details.sumBp).toBe(4999 + 5002);
    expect(refusal(await send(fo, url, { ...base, parties: [{ partyId: 'os-fk', shareBp: 5000 }, { partyId: 'nav-os', shareBp: 2500 }, { partyId: 'os-fk', shareBp: 2500 }] }))).toEqual([400, 'OWNER_AGREEMENT.DUPLICATE_PARTY']);
    expect(refusal(await send(fo, url, { ...base, parties: [{ partyId: 'os-fk', shareBp: 10001 }] }))).toEqual([400, 'OWNER_AGREEMENT.INVALID_SHARE']);
    expect(refusal(await send(fo, url, { ...base, parties: [{ partyId: 'os-fk', shareBp: 10000 }], period: { from: '2013-06-01', to: '2013-05-31' } }))).toEqual([422, 'AGREEMENT.ENDS_BEFORE_START']);
    expect(refusal(await send(fo, url, { ...base, parties: [{ partyId: 'os-fk', shareBp: 5000 }, { partyId: 'nobody', shareBp: 5000 }] }))).toEqual([404, 'PARTY.NOT_FOUND']);
    expect(await head()).toBe(before);
    expect((await read(`${url}?date=2013-06-01`)).agreements).toEqual([]);

    // A period of one day (to = from) ends on the day it starts, not before it.
    await ok(fo, url, { ...base, parties: [{ partyId: 'os-fk', shareBp: 10000 }], period: { from: '2013-06-01', to: '2013-06-01' } });
    expect((await read(`${url}?date=2013-06-01`)).inForce).toMatchObject({ agreementId: 'oa' });
    expect((await read(`${url}?date=2013-06-02`)).inForce).toBeNull();
    expect((await read(`${url}?date=2013-05-31`)).inForce).toBeNull();
    const before2 = await head();
    const amend = await send(fo, `${url}/oa/amend`, { effectiveFrom: '2013-06-01', parties: [{ partyId: 'os-fk', shareBp: 5001 }, { partyId: 'nav-os', shareBp: 5000 }], period: { from: '2013-06-01', to: '2013-06-01' } });
    expect(refusal(amend)).toEqual([422, 'OWNER_AGREEMENT.SHARES_NOT_100']);
    expect(await head()).toBe(before2);
  });

  it("an owner agreement naming another county's county authority as owner is refused (DOMAIN: every centre is owned and financed by ITS county authority), nothing recorded", async () => {
    await centre('c-foreign');
    const before = await head();
    const res = await send(fo, '/centres/c-foreign/owner-agreements', { agreementId: 'oa-foreign', parties: [{ partyId: 'os-fk', shareBp: 5000 }, { partyId: 'troms-fk', shareBp: 5000 }], period: { from: '2013-01-01' }, signedOn: '2013-01-01' });
    expect({ status: res.status, headMoved: (await head()) !== before }).toEqual({ status: 422, headMoved: false });
    expect(res.body.code).toMatch(/^OWNER_AGREEMENT\./);
  });

  // =====================================================================================================
  // Amendments and terminations by date, and cost-share compliance
  // =====================================================================================================

  describe('an agreement amended from 1 April and terminated from 1 October 2014, followed by a new one', () => {
    const C = 'c-cs';
    let beforeAmendment: string;
    let registeredEventId: string;
    let amendedEventId: string;

    /** Half away from zero, over exact integers. */
    const roundHalfAway = (num: bigint, den: bigint): bigint => {
      const neg = (num < 0n) !== (den < 0n);
      const a = num < 0n ? -num : num;
      const d = den < 0n ? -den : den;
      const q = (2n * a + d) / (2n * d);
      return neg ? -q : q;
    };
    const tenths = (x: bigint) => `${x < 0n ? '-' : ''}${(x < 0n ? -x : x) / 10n}.${(x < 0n ? -x : x) % 10n}`;
    const nok = (ore: bigint) => `${ore < 0n ? '-' : ''}${(ore < 0n ? -ore : ore) / 100n}.${String((ore < 0n ? -ore : ore) % 100n).padStart(2, '0')}`;
    /**
     * Expected compliance from first principles: the agreed share of a party is Σ(bp × days) / (10000 × Σdays);
     * actual = its money; difference in pp = actual/total − agreed; in NOK = actual − agreed × total (øre).
     */
    const expected = (versions: { days: number; bp: Record<string, number> }[], moneyOre: Record<string, bigint>) => {
      const S = BigInt(versions.reduce((s, v) => s + v.days, 0));
      const total = Object.values(moneyOre).reduce((s, x) => s + x, 0n);
      const out: Record<string, { agreed: string; ppDiff: string; nokDiff: string }> = {};
      for (const party of Object.keys(moneyOre)) {
        const G = versions.reduce((s, v) => s + BigInt(v.bp[party] ?? 0) * BigInt(v.days), 0n); // share = G / (10000 S)
        const agreed = roundHalfAway(G * 1000n, 10000n * S); // tenths of a percent
        // pp: (actual/total − G/(10000 S)) × 100, in tenths: × 1000
        const ppNum = (moneyOre[party] * 10000n * S - G * total) * 1000n;
        const pp = roundHalfAway(ppNum, total * 10000n * S);
        const nokDiff = roundHalfAway(moneyOre[party] * 10000n * S - G * total, 10000n * S);
        out[party] = { agreed: tenths(agreed), ppDiff: tenths(pp), nokDiff: nok(nokDiff) };
      }
      return out;
    };
    const money = { 'nav-os': 30_000_000n, 'os-fk': 70_000_000n }; // NOK 300 000 and NOK 700 000, in øre

    beforeAll(async () => {
      await centre(C);
      registeredEventId = (await ok(fo, `/centres/${C}/owner-agreements`, { agreementId: 'oa-a', parties: [{ partyId: 'nav-os', shareBp: 5000 }, { partyId: 'os-fk', shareBp: 5000 }], period: { from: '2013-01-01', to: null }, signedOn: '2012-12-01' })).eventIds[0];
      await ok(fo, `/centres/${C}/funding/operating-grants`, { entryId: 'cs-nav-2014', fiscalYear: 2014, partyId: 'nav-os', amount: '300000.00', decidedOn: '2014-01-15', reference: null });
      await ok(fo, `/centres/${C}/funding/operating-grants`, { entryId: 'cs-fk-2014', fiscalYear: 2014, partyId: 'os-fk', amount: '700000.00', decidedOn: '2014-01-15', reference: null });
      beforeAmendment = await mark();
    });

    it('terminations: a new agreement overlapping is 409 OWNER_AGREEMENT.OVERLAPS until the old one is terminated; after that the day before the termination still overlaps, the termination day does not; a terminated agreement cannot be amended (409 AGREEMENT.TERMINATED); nothing recorded for the refusals', async () => {
      amendedEventId = (await ok(fo, `/centres/${C}/owner-agreements/oa-a/amend`, { effectiveFrom: '2014-04-01', parties: [{ partyId: 'nav-os', shareBp: 3000 }, { partyId: 'os-fk', shareBp: 7000 }], period: { from: '2013-01-01', to: null }, note: 'NAV trapper ned' })).eventIds[0];
      const newOne = (from: string) => ({ agreementId: 'oa-b', parties: [{ partyId: 'os-fk', shareBp: 10000 }], period: { from, to: null }, signedOn: '2014-09-15' });
      let before = await head();
      expect(refusal(await send(fo, `/centres/${C}/owner-agreements`, newOne('2014-10-01')))).toEqual([409, 'OWNER_AGREEMENT.OVERLAPS']);
      expect(await head()).toBe(before);
      await ok(fo, `/centres/${C}/owner-agreements/oa-a/terminate`, { effectiveFrom: '2014-10-01', reason: 'NAV trer ut' });
      before = await head();
      expect(refusal(await send(fo, `/centres/${C}/owner-agreements`, newOne('2014-09-30')))).toEqual([409, 'OWNER_AGREEMENT.OVERLAPS']);
      expect(refusal(await send(fo, `/centres/${C}/owner-agreements/oa-a/amend`, { effectiveFrom: '2014-11-01', parties: [{ partyId: 'os-fk', shareBp: 10000 }], period: { from: '2013-01-01', to: null } }))).toEqual([409, 'AGREEMENT.TERMINATED']);
      expect(await head()).toBe(before);
      await ok(fo, `/centres/${C}/owner-agreements`, newOne('2014-10-01'));

      const on = async (date: string) => (await read(`/centres/${C}/owner-agreements?date=${date}`)).inForce;
      expect(await on('2014-03-31')).toMatchObject({ agreementId: 'oa-a', effectiveFrom: '2013-01-01', event: { eventId: registeredEventId } });
      expect((await on('2014-03-31')).parties.map((p: any) => [p.partyId, p.shareBp])).toEqual([['nav-os', 5000], ['os-fk', 5000]]);
      expect(await on('2014-04-01')).toMatchObject({ agreementId: 'oa-a', effectiveFrom: '2014-04-01', event: { eventId: amendedEventId } });
      expect((await on('2014-09-30')).parties.map((p: any) => [p.partyId, p.shareBp])).toEqual([['nav-os', 3000], ['os-fk', 7000]]);
      expect(await on('2014-10-01')).toMatchObject({ agreementId: 'oa-b' });
    });

    it('cost-share compliance 2014 weighs the shares in force on each day: 90 days at 50/50 and 183 days at 30/70 for the terminated agreement (273 days), 92 days at 100 % for the new one', async () => {
      const a = await read(`/centres/${C}/owner-agreements/oa-a/cost-share-compliance/2014`);
      // 1 Jan – 31 Mar 2014 = 31 + 28 + 31 days; 1 Apr – 30 Sep = 30 + 31 + 30 + 31 + 31 + 30 days.
      const v1 = 31 + 28 + 31;
      const v2 = 30 + 31 + 30 + 31 + 31 + 30;
      expect(a.daysInForce).toBe(v1 + v2);
      const want = expected([{ days: v1, bp: { 'nav-os': 5000, 'os-fk': 5000 } }, { days: v2, bp: { 'nav-os': 3000, 'os-fk': 7000 } }], money);
      const got = Object.fromEntries(a.parties.map((p: any) => [p.partyId, { agreed: p.agreedSharePercent, ppDiff: p.differencePercentagePoints, nokDiff: p.differenceNok }]));
      expect(got).toEqual(want);
      expect(a.parties.map((p: any) => [p.partyId, p.money, p.actualSharePercent])).toEqual(expect.arrayContaining([['nav-os', '300000.00', '30.0'], ['os-fk', '700000.00', '70.0']]));
      expect(a.ownersActualTotal).toBe('1000000.00');

      const b = await read(`/centres/${C}/owner-agreements/oa-b/cost-share-compliance/2014`);
      expect(b.daysInForce).toBe(31 + 30 + 31);
      expect(b.parties.map((p: any) => [p.partyId, p.agreedSharePercent, p.actualSharePercent, p.differencePercentagePoints, p.differenceNok])).toEqual([['os-fk', '100.0', '100.0', '0.0', '0.00']]);

      const list = (await read('/owner-agreements/cost-share-compliance/2014?countyId=ostfold')).filter((x: any) => x.centreId === C);
      expect(list.map((x: any) => [x.agreementId, x.daysInForce])).toEqual([['oa-a', v1 + v2], ['oa-b', 92]]);
      // The new agreement was in force on no day of 2013.
      expect((await read('/owner-agreements/cost-share-compliance/2013?countyId=ostfold')).filter((x: any) => x.centreId === C).map((x: any) => [x.agreementId, x.daysInForce])).toEqual([['oa-a', 365]]);
    });

    it('as of a recorded time before the amendment and the termination, the owner answers and cost-share compliance say what the ledger said then (365 days at 50/50, no new agreement)', async () => {
      const asOf = encodeURIComponent(beforeAmendment);
      const then = await read(`/centres/${C}/owner-agreements/oa-a/cost-share-compliance/2014?asOf=${asOf}`);
      expect(then.daysInForce).toBe(365);
      const want = expected([{ days: 365, bp: { 'nav-os': 5000, 'os-fk': 5000 } }], money);
      expect(Object.fromEntries(then.parties.map((p: any) => [p.partyId, { agreed: p.agreedSharePercent, ppDiff: p.differencePercentagePoints, nokDiff: p.differenceNok }]))).toEqual(want);
      expect(want['nav-os']).toEqual({ agreed: '50.0', ppDiff: '-20.0', nokDiff: '-200000.00' });
      const listThen = (await read(`/owner-agreements/cost-share-compliance/2014?countyId=ostfold&asOf=${asOf}`)).filter((x: any) => x.centreId === C);
      expect(listThen.map((x: any) => x.agreementId)).toEqual(['oa-a']);
      const ownersThen = await read(`/centres/${C}/owner-agreements?date=2014-11-01&asOf=${asOf}`);
      expect(ownersThen.inForce).toMatchObject({ agreementId: 'oa-a', effectiveFrom: '2013-01-01' });
      expect(ownersThen.inForce.parties.map((p: any) => p.shareBp)).toEqual([5000, 5000]);
      const linkThen = await read(`/centres/${C}/nav-link?date=2014-11-01&asOf=${asOf}`);
      expect([linkThen.grounds.owner.holds, linkThen.grounds.owner.evidence[0]?.eventId]).toEqual([true, registeredEventId]);
      // And now: NAV is no owner from the termination on.
      expect((await read(`/centres/${C}/nav-link?date=2014-11-01`)).grounds.owner.holds).toBe(false);
      expect((await read(`/centres/${C}/nav-link?date=2014-09-30`)).grounds.owner.evidence.map((e: any) => [e.eventId, e.partyId])).toEqual([[amendedEventId, 'nav-os']]);
    });

    it('an amendment from the first day replaces the signed terms on every day; one that shortens the period ends the agreement then: the owner answers, cost-share days and the overlap rule agree', async () => {
      await centre('c-short');
      const url = '/centres/c-short/owner-agreements';
      await ok(fo, url, { agreementId: 'oa-s', parties: [{ partyId: 'nav-os', shareBp: 5000 }, { partyId: 'os-fk', shareBp: 5000 }], period: { from: '2014-01-01', to: null }, signedOn: '2013-12-01' });
      // A typo in the signed terms, corrected from the first day: 20/80.
      await ok(fo, `${url}/oa-s/amend`, { effectiveFrom: '2014-01-01', parties: [{ partyId: 'nav-os', shareBp: 2000 }, { partyId: 'os-fk', shareBp: 8000 }], period: { from: '2014-01-01', to: null } });
      // From 1 April the agreement runs only until 30 June, at 10/90.
      await ok(fo, `${url}/oa-s/amend`, { effectiveFrom: '2014-04-01', parties: [{ partyId: 'nav-os', shareBp: 1000 }, { partyId: 'os-fk', shareBp: 9000 }], period: { from: '2014-01-01', to: '2014-06-30' } });
      await ok(fo, `/centres/c-short/funding/operating-grants`, { entryId: 'sh-fk-2014', fiscalYear: 2014, partyId: 'os-fk', amount: '900000.00', decidedOn: '2014-01-15', reference: null });
      await ok(fo, `/centres/c-short/funding/operating-grants`, { entryId: 'sh-nav-2014', fiscalYear: 2014, partyId: 'nav-os', amount: '100000.00', decidedOn: '2014-01-15', reference: null });
      const shares = async (date: string) => (await read(`${url}?date=${date}`)).inForce?.parties.map((p: any) => p.shareBp) ?? null;
      expect({ jan: await shares('2014-01-01'), mar: await shares('2014-03-31'), apr: await shares('2014-04-01'), jun: await shares('2014-06-30'), jul: await shares('2014-07-01') }).toEqual({ jan: [2000, 8000], mar: [2000, 8000], apr: [1000, 9000], jun: [1000, 9000], jul: null });
      const c = await read('/centres/c-short/owner-agreements/oa-s/cost-share-compliance/2014');
      const q1 = 31 + 28 + 31;
      const q2 = 30 + 31 + 30;
      expect(c.daysInForce).toBe(q1 + q2);
      const want = expected([{ days: q1, bp: { 'nav-os': 2000, 'os-fk': 8000 } }, { days: q2, bp: { 'nav-os': 1000, 'os-fk': 9000 } }], { 'nav-os': 10_000_000n, 'os-fk': 90_000_000n });
      expect(Object.fromEntries(c.parties.map((p: any) => [p.partyId, { agreed: p.agreedSharePercent, ppDiff: p.differencePercentagePoints, nokDiff: p.differenceNok }]))).toEqual(want);
      expect((await read('/centres/c-short/nav-link?date=2014-07-01')).grounds.owner.holds).toBe(false);
      // The agreement ended on 30 June: a new one from 1 July does not overlap it, one from 30 June does.
      const before = await head();
      expect(refusal(await send(fo, url, { agreementId: 'oa-s2', parties: [{ partyId: 'os-fk', shareBp: 10000 }], period: { from: '2014-06-30', to: null }, signedOn: '2014-06-01' }))).toEqual([409, 'OWNER_AGREEMENT.OVERLAPS']);
      expect(await head()).toBe(before);
      expect((await send(fo, url, { agreementId: 'oa-s2', parties: [{ partyId: 'os-fk', shareBp: 10000 }], period: { from: '2014-07-01', to: null }, signedOn: '2014-06-01' })).status).toBe(201);
    });

    it('a termination after the agreement already ended is 422 AGREEMENT.ALREADY_ENDED; nothing recorded', async () => {
      await centre('c-ended');
      await ok(fo, '/centres/c-ended/owner-agreements', { agreementId: 'oa-e', parties: [{ partyId: 'os-fk', shareBp: 10000 }], period: { from: '2013-01-01', to: '2014-06-30' }, signedOn: '2013-01-01' });
      const before = await head();
      expect(refusal(await send(fo, '/centres/c-ended/owner-agreements/oa-e/terminate', { effectiveFrom: '2014-07-02' }))).toEqual([422, 'AGREEMENT.ALREADY_ENDED']);
      expect(await head()).toBe(before);
    });
  });

  // =====================================================================================================
  // The NAV link by date
  // =====================================================================================================

  it('NAV link by date: owner ground until the amendment that drops NAV; formal input from the day a budget with a NAV line is adopted until a later budget without one; a rejected budget with a NAV line does not count; financier false (not unknown) once money is recorded', async () => {
    const C = 'c-b-navt';
    await board('b-navt', [['nt-chair', 'os-fk', 'chair'], ['nt-m1', 'sarpsborg', 'member']]);
    const reg = await ok(fo, `/centres/${C}/owner-agreements`, { agreementId: 'oa-n', parties: [{ partyId: 'nav-os', shareBp: 4000 }, { partyId: 'os-fk', shareBp: 6000 }], period: { from: '2013-01-01', to: null }, signedOn: '2013-01-01' });
    await ok(fo, `/centres/${C}/owner-agreements/oa-n/amend`, { effectiveFrom: '2014-01-01', parties: [{ partyId: 'os-fk', shareBp: 10000 }], period: { from: '2013-01-01', to: null } });
    await ok(fo, `/centres/${C}/funding/operating-grants`, { entryId: 'nt-fk-2014', fiscalYear: 2014, partyId: 'os-fk', amount: '100000.00', decidedOn: '2014-01-15', reference: null });
    const budget = async (pid: string, withNav: boolean, tabledOn: string, closedOn: string, votes: [string, string][]) => {
      const lines = [{ partyId: 'os-fk', moneyKind: 'operating-grant', amount: '100000.00' }, ...(withNav ? [{ partyId: 'nav-os', moneyKind: 'earmarked', amount: '50000.00' }] : [])];
      await table('b-navt', pid, 'nt-chair', tabledOn, { kind: 'budget', title: `Budsjett ${pid}`, content: { lines } });
      for (const [who, v] of votes) expect((await vote('b-navt', pid, who, v, closedOn)).status).toBe(201);
      expect((await close('b-navt', pid, 'nt-chair', { closedOn })).status).toBe(200);
    };
    await budget('bud-nav', true, '2014-03-01', '2014-03-10', [['nt-chair', 'for'], ['nt-m1', 'for']]);
    await budget('bud-plain', false, '2014-08-20', '2014-09-01', [['nt-chair', 'for'], ['nt-m1', 'for']]);
    await budget('bud-nav-rejected', true, '2014-10-01', '2014-10-01', [['nt-chair', 'against'], ['nt-m1', 'against']]);
    expect((await decisionOf('b-navt', 'bud-nav-rejected')).outcome).toBe('rejected');

    const link = async (date: string) => {
      const l = await read(`/centres/${C}/nav-link?date=${date}`);
      return [l.hasNavLink, l.grounds.owner.holds, l.grounds.formalInput.holds, l.grounds.financier.holds];
    };
    expect({
      '2012-12-31': await link('2012-12-31'),
      '2013-01-01': await link('2013-01-01'),
      '2013-12-31': await link('2013-12-31'),
      '2014-01-01': await link('2014-01-01'),
      '2014-03-09': await link('2014-03-09'),
      '2014-03-10': await link('2014-03-10'),
      '2014-08-31': await link('2014-08-31'),
      '2014-09-01': await link('2014-09-01'),
      '2014-10-02': await link('2014-10-02'),
    }).toEqual({
      '2012-12-31': ['unknown', false, false, 'unknown'],
      '2013-01-01': [true, true, false, 'unknown'],
      '2013-12-31': [true, true, false, 'unknown'],
      '2014-01-01': [false, false, false, false],
      '2014-03-09': [false, false, false, false],
      '2014-03-10': [true, false, true, false],
      '2014-08-31': [true, false, true, false],
      '2014-09-01': [false, false, false, false],
      '2014-10-02': [false, false, false, false],
    });
    const l13 = await read(`/centres/${C}/nav-link?date=2013-06-01`);
    expect(l13.grounds.owner.evidence.map((e: any) => [e.eventId, e.partyId])).toEqual([[reg.eventIds[0], 'nav-os']]);
    const l14 = await read(`/centres/${C}/nav-link?date=2014-05-01`);
    expect(l14.grounds.formalInput.evidence.map((e: any) => [e.type, e.partyId])).toEqual([['ProposalClosed', 'nav-os']]);
    // The profile's current budget follows the same rule: the rejected one never counts.
    expect((await read(`/centres/${C}/governance?date=2014-10-02`)).currentBudget).toMatchObject({ decisionId: 'bud-plain' });
  });

  it('NAV link board ground after a later change: a NAV member whose term is ended retroactively no longer gives the link on those days, while an as-of answer from before that change still shows it (with the appointment as evidence)', async () => {
    const C = 'c-b-navm';
    await board('b-navm', [['nm-chair', 'os-fk', 'chair'], ['nm-nav', 'nav-os', 'member']]);
    const appointed = (await read('/boards/b-navm')).members.find((m: any) => m.personId === 'nm-nav');
    const l = await read(`/centres/${C}/nav-link?date=2014-05-01`);
    expect([l.hasNavLink, l.grounds.board.holds]).toEqual([true, true]);
    expect(l.grounds.board.evidence.filter((e: any) => e.type === 'BoardMemberAppointed').map((e: any) => [e.eventId, e.partyId])).toEqual([[appointed.appointed.eventId, 'nav-os']]);
    const beforeEnd = await mark();
    // The minutes show NAV's member left on 31 March 2014.
    await ok(fo, '/boards/b-navm/members/nm-nav/end', { endedOn: '2014-03-31', reason: 'Gikk ut' });
    const at = async (date: string, asOf?: string) => (await read(`/centres/${C}/nav-link?date=${date}${asOf ? `&asOf=${encodeURIComponent(asOf)}` : ''}`)).grounds.board.holds;
    expect({ '2014-03-31': await at('2014-03-31'), '2014-04-01': await at('2014-04-01'), '2014-05-01 as of before the end': await at('2014-05-01', beforeEnd) }).toEqual({
      '2014-03-31': true,
      '2014-04-01': false,
      '2014-05-01 as of before the end': true,
    });
    // The profile's members follow the same dates.
    expect((await read(`/centres/${C}/governance?date=2014-04-01`)).board.members.map((m: any) => m.personId)).toEqual(['nm-chair']);
    expect((await read(`/centres/${C}/governance?date=2014-04-01&asOf=${encodeURIComponent(beforeEnd)}`)).board.members.map((m: any) => m.personId)).toEqual(['nm-chair', 'nm-nav']);
  });

  it('NAV link financier by year: a position NAV paid directly in 2013, paid by the centre from 1 January 2014, makes NAV a financier in 2013 (with its event) and not in 2014', async () => {
    const C = 'c-navfin';
    await centre(C);
    const started = await ok(fo, `/centres/${C}/staff-positions`, { positionId: 'nf-p1', title: 'Veileder', employerKind: 'centre', fte: '1', payer: { kind: 'party', partyId: 'nav-os' }, annualCost: '365000.00', startedOn: '2013-01-01' });
    await ok(fo, `/centres/${C}/staff-positions/nf-p1/changes`, { effectiveFrom: '2014-01-01', payer: { kind: 'centre' } });
    await ok(fo, `/centres/${C}/funding/operating-grants`, { entryId: 'nf-fk-2014', fiscalYear: 2014, partyId: 'os-fk', amount: '1000.00', decidedOn: '2014-01-15', reference: null });
    const l13 = await read(`/centres/${C}/nav-link?date=2013-12-31`);
    expect([l13.hasNavLink, l13.grounds.financier.holds]).toEqual([true, true]);
    expect(l13.grounds.financier.evidence.map((e: any) => [e.eventId, e.type, e.partyId])).toEqual([[started.eventIds[0], 'StaffPositionStarted', 'nav-os']]);
    const l14 = await read(`/centres/${C}/nav-link?date=2014-01-01`);
    expect([l14.hasNavLink, l14.grounds.financier.holds]).toEqual([false, false]);
  });

  // =====================================================================================================
  // Closed and unregistered centres; finance officers of another county
  // =====================================================================================================

  it('a closed centre: an amendment taking effect on or after closedOn is 422 CENTRE.CLOSED (nothing recorded); one the day before is recorded; terminating is never refused; an unregistered centre is 404 CENTRE.NOT_FOUND', async () => {
    const C = 'c-closed';
    await centre(C);
    await ok(fo, `/centres/${C}/owner-agreements`, { agreementId: 'oa-c', parties: [{ partyId: 'nav-os', shareBp: 5000 }, { partyId: 'os-fk', shareBp: 5000 }], period: { from: '2010-01-01', to: null }, signedOn: '2010-01-01' });
    await ok(fo, `/centres/${C}/close`, { closedOn: '2014-07-01', reason: 'Slått sammen' });
    const amend = (effectiveFrom: string) => send(fo, `/centres/${C}/owner-agreements/oa-c/amend`, { effectiveFrom, parties: [{ partyId: 'os-fk', shareBp: 10000 }], period: { from: '2010-01-01', to: null } });
    const before = await head();
    const onClosing = await amend('2014-07-01');
    expect(refusal(onClosing)).toEqual([422, 'CENTRE.CLOSED']);
    expect(onClosing.body.details).toMatchObject({ closedOn: '2014-07-01' });
    expect(refusal(await amend('2015-01-01'))).toEqual([422, 'CENTRE.CLOSED']);
    expect(await head()).toBe(before);
    expect((await amend('2014-06-30')).status).toBe(200);
    expect((await send(fo, `/centres/${C}/owner-agreements/oa-c/terminate`, { effectiveFrom: '2014-07-01', reason: 'Senteret er nedlagt' })).status).toBe(200);
    expect((await read(`/centres/${C}/owner-agreements?date=2014-06-30`)).inForce.parties.map((p: any) => [p.partyId, p.shareBp])).toEqual([['os-fk', 10000]]);
    expect((await read(`/centres/${C}/owner-agreements?date=2014-07-01`)).inForce).toBeNull();

    const before2 = await head();
    for (const [url, body] of [
      ['/centres/c-never/owner-agreements', { agreementId: 'x', parties: [{ partyId: 'os-fk', shareBp: 10000 }], period: { from: '2013-01-01' }, signedOn: '2013-01-01' }],
      ['/centres/c-never/owner-agreements/x/amend', { effectiveFrom: '2014-01-01', parties: [{ partyId: 'os-fk', shareBp: 10000 }], period: { from: '2013-01-01' } }],
      ['/centres/c-never/owner-agreements/x/terminate', { effectiveFrom: '2014-01-01' }],
    ] as [string, object][]) {
      expect([url, ...refusal(await send(fo, url, body))]).toEqual([url, 404, 'CENTRE.NOT_FOUND']);
    }
    expect(await head()).toBe(before2);
  });

  it('a finance officer of another county: 403 ACCESS.OTHER_COUNTY on every governance write for an Østfold centre (a board of their own county for it: 422 BOARD.CENTRE_OF_OTHER_COUNTY), even re-sending an Idempotency-Key the Østfold officer used; nothing recorded', async () => {
    const C = 'c-b-acl';
    await board('b-acl', [['acl-chair', 'os-fk', 'chair']]);
    await ok(fo, `/centres/${C}/owner-agreements`, { agreementId: 'oa-acl', parties: [{ partyId: 'os-fk', shareBp: 10000 }], period: { from: '2013-01-01', to: null }, signedOn: '2013-01-01' });
    const amendBody = { effectiveFrom: '2014-01-01', parties: [{ partyId: 'os-fk', shareBp: 5000 }, { partyId: 'nav-os', shareBp: 5000 }], period: { from: '2013-01-01', to: null } };
    const first = await send(fo, `/centres/${C}/owner-agreements/oa-acl/amend`, amendBody, { 'Idempotency-Key': 'rv-acl-amend' });
    expect(first.status).toBe(200);
    const before = await head();
    const replay = await send(foTel, `/centres/${C}/owner-agreements/oa-acl/amend`, amendBody, { 'Idempotency-Key': 'rv-acl-amend' });
    expect(refusal(replay)).toEqual([403, 'ACCESS.OTHER_COUNTY']);
    expect(JSON.stringify(replay.body)).not.toContain(first.body.eventIds[0]);
    const calls: [string, object, number, string][] = [
      [`/centres/${C}/owner-agreements`, { agreementId: 'oa-tel', parties: [{ partyId: 'os-fk', shareBp: 10000 }], period: { from: '2016-01-01' }, signedOn: '2014-01-01' }, 403, 'ACCESS.OTHER_COUNTY'],
      [`/centres/${C}/owner-agreements/oa-acl/amend`, { ...amendBody, effectiveFrom: '2014-06-01' }, 403, 'ACCESS.OTHER_COUNTY'],
      [`/centres/${C}/owner-agreements/oa-acl/terminate`, { effectiveFrom: '2015-01-01' }, 403, 'ACCESS.OTHER_COUNTY'],
      ['/boards/b-acl/members', { personId: 'tel-x', name: 'x', partyId: 'os-fk', role: 'member', term: { from: '2014-01-01' } }, 403, 'ACCESS.OTHER_COUNTY'],
      ['/boards', { boardId: 'b-tel', countyId: 'telemark', centreIds: [C], name: 'Telemarks styre for Østfold', establishedOn: '2014-01-01' }, 422, 'BOARD.CENTRE_OF_OTHER_COUNTY'],
      [`/centres/${C}/close`, { closedOn: '2015-01-01', reason: 'x' }, 403, 'ACCESS.OTHER_COUNTY'],
      [`/centres/${C}/rename`, { name: 'Kapret', effectiveFrom: '2015-01-01' }, 403, 'ACCESS.OTHER_COUNTY'],
      [`/centres/${C}/funding/operating-grants`, { entryId: 'tel-grant', fiscalYear: 2014, partyId: 'os-fk', amount: '1.00', decidedOn: '2014-01-15', reference: null }, 403, 'ACCESS.OTHER_COUNTY'],
    ];
    for (const [url, body, status, code] of calls) expect([url, ...refusal(await send(foTel, url, body))]).toEqual([url, status, code]);
    expect(await head()).toBe(before);
    expect((await read('/boards?countyId=telemark')).map((b: any) => b.boardId)).not.toContain('b-tel');
  });
});
