import { CommandRegistry } from '../../libs/application/src/command-registry';
import { dryRunImport, parseImportFile } from '../../libs/application/src/import-file';
import { Actor } from '../../libs/domain/src/shared';
import { OTHER, OWN, World } from './world';

/**
 * Adversarial review of authorization and scoping, INDIRECT routes only (the access matrix already
 * checks every route × role × own/other county by the route's direct ids): targets named inside
 * bodies or reached through another object's path, ids shared between counties, former members
 * acting with a backdated date, multi-county tokens, idempotency keys across users, import dry
 * runs and the one read route that serves raw events to every reader.
 *
 * OWN = telemark (the officer's county), OTHER = ostfold. The review found 10 of these 28 failing
 * (money, staff and partnerships naming another county's party; a replacing board unchecked; former
 * members acting by backdating; membership checked after the key; the acting role taken from the
 * token's order; keys shared by all senders); each was fixed and the test now asserts the decision.
 */
type Auth = { Authorization: string };

describe('authorization review: indirect ways around county and board scoping', () => {
  let w: World;
  let foOwn: Auth; // finance officer of telemark
  let foOther: Auth; // finance officer of ostfold
  let auditor: Auth;

  beforeAll(async () => {
    w = await World.create();
    foOwn = await w.t.auth('finance-officer', [OWN], 'review-fo-telemark');
    foOther = await w.t.auth('finance-officer', [OTHER], 'review-fo-ostfold');
    auditor = await w.t.auth('auditor', [], 'review-auditor');
  }, 180_000);
  afterAll(() => w?.close());

  const head = () => w.t.store.headPosition();
  const post = (auth: Auth, path: string, body: object, headers: Record<string, string> = {}) => w.t.http().post(path).set(auth).set(headers).send(body);
  const read = async (path: string) => {
    const res = await w.t.http().get(path).set(auditor);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const refusal = (res: { status: number; body: any }) => [res.status, res.body?.code];
  const member = (personId: string) => w.t.auth('board-member', [], personId);
  /** A money entry of the other county's main centre (as admin). */
  const otherEntry = async (fiscalYear = 2013): Promise<string> => {
    const entryId = w.id('rv-other-entry');
    await w.must('POST', `/centres/${w.centres.other}/funding/operating-grants`, { entryId, fiscalYear, partyId: w.fk('other'), amount: '5000.00', decidedOn: `${fiscalYear}-01-10` });
    return entryId;
  };
  /** A board of the own county (as admin) with the given members, each [personId, role, from, to]. */
  const ownBoard = async (members: [string, string, string, string | null][]): Promise<string> => {
    const boardId = w.id('rv-board');
    await w.must('POST', '/boards', { boardId, countyId: OWN, centreIds: [await w.freshCentre('own')], name: `Styre ${boardId}`, establishedOn: '2010-01-01' });
    for (const [personId, role, from, to] of members) {
      await w.must('POST', `/boards/${boardId}/members`, { personId, name: personId, partyId: w.fk('own'), role, term: { from, to } });
    }
    return boardId;
  };

  // ------------------------------------------------------------------ funding: reversal and correction targets

  it("a reversal sent through the officer's own centre cannot reach another county's entry or its correction (422 ENTRY.OTHER_CENTRE); nothing recorded; the other county's total stays", async () => {
    const entryId = await otherEntry(2012);
    // The other county corrects it: the live entry is now <id>.c1 in the same stream.
    await w.must('POST', `/centres/${w.centres.other}/funding/entries/${entryId}/correction`, { reason: 'Feil beløp', amount: '6000.00' });
    const totalBefore = (await read(`/counties/${OTHER}/funding-mix/2012`)).total.amount;
    const before = await head();
    const viaOwn = await post(foOwn, `/centres/${w.centres.own}/funding/entries/${entryId}.c1/reversal`, { reason: 'Kapring' });
    const original = await post(foOwn, `/centres/${w.centres.own}/funding/entries/${entryId}/reversal`, { reason: 'Kapring' });
    expect([refusal(viaOwn), refusal(original)]).toEqual([
      [422, 'ENTRY.OTHER_CENTRE'],
      [422, 'ENTRY.OTHER_CENTRE'],
    ]);
    expect(await head()).toBe(before);
    expect((await read(`/counties/${OTHER}/funding-mix/2012`)).total.amount).toBe(totalBefore);
    expect(totalBefore).toBe('6000.00');
  });

  it("a correction sent through the officer's own centre cannot rewrite another county's entry (422 ENTRY.OTHER_CENTRE), whatever fields it changes; nothing recorded", async () => {
    const entryId = await otherEntry();
    const before = await head();
    const results = [];
    for (const body of [{ reason: 'x', amount: '1.00' }, { reason: 'x', partyId: w.fk('own') }, { reason: 'x', fiscalYear: 2014 }]) {
      results.push(refusal(await post(foOwn, `/centres/${w.centres.own}/funding/entries/${entryId}/correction`, body)));
    }
    expect(results).toEqual([
      [422, 'ENTRY.OTHER_CENTRE'],
      [422, 'ENTRY.OTHER_CENTRE'],
      [422, 'ENTRY.OTHER_CENTRE'],
    ]);
    expect(await head()).toBe(before);
    const stream = await w.must('GET', `/audit/streams/funding-entry-${entryId}`);
    expect(stream.events.map((e: any) => e.type)).toEqual(['OperatingGrantRecorded']);
  });

  it('a correction of an own entry cannot move it to another centre or county: centreId / countyId in the body are 400 VALIDATION.UNKNOWN_FIELD, nothing recorded', async () => {
    const entryId = w.id('rv-own-entry');
    const rec = await post(foOwn, `/centres/${w.centres.own}/funding/operating-grants`, { entryId, fiscalYear: 2013, partyId: w.fk('own'), amount: '100.00', decidedOn: '2013-01-10' });
    expect(rec.status).toBe(201);
    const before = await head();
    const moved = await post(foOwn, `/centres/${w.centres.own}/funding/entries/${entryId}/correction`, { reason: 'Flytt', centreId: w.centres.other });
    const county = await post(foOwn, `/centres/${w.centres.own}/funding/entries/${entryId}/correction`, { reason: 'Flytt', countyId: OTHER });
    expect([refusal(moved), refusal(county)]).toEqual([
      [400, 'VALIDATION.UNKNOWN_FIELD'],
      [400, 'VALIDATION.UNKNOWN_FIELD'],
    ]);
    expect(await head()).toBe(before);
  });

  it("a staff position of another county cannot be changed or ended through the officer's own centre (422 STAFF.OTHER_CENTRE); nothing recorded, its staff-years stay", async () => {
    const positionId = await w.position('other');
    const before = await head();
    const change = await post(foOwn, `/centres/${w.centres.own}/staff-positions/${positionId}/changes`, { effectiveFrom: '2013-07-01', fte: '0.1' });
    const end = await post(foOwn, `/centres/${w.centres.own}/staff-positions/${positionId}/end`, { endedOn: '2013-01-31' });
    expect([refusal(change), refusal(end)]).toEqual([
      [422, 'STAFF.OTHER_CENTRE'],
      [422, 'STAFF.OTHER_CENTRE'],
    ]);
    expect(await head()).toBe(before);
    const positions = await read(`/centres/${w.centres.other}/staff-positions?year=2013`);
    const p = positions.positions?.find((x: any) => x.positionId === positionId) ?? positions.find?.((x: any) => x.positionId === positionId);
    expect(p).toBeDefined();
    expect(JSON.stringify(p)).not.toContain('2013-01-31');
  });

  it("ids are one namespace across counties: reusing another county's entry or position id for an own write is 409 and appends nothing to the other county's stream", async () => {
    const entryId = await otherEntry();
    const positionId = await w.position('other');
    const before = await head();
    const entry = await post(foOwn, `/centres/${w.centres.own}/funding/operating-grants`, { entryId, fiscalYear: 2013, partyId: w.fk('own'), amount: '1.00', decidedOn: '2013-01-10' });
    const position = await post(foOwn, `/centres/${w.centres.own}/staff-positions`, w.positionBody(positionId));
    expect([refusal(entry), refusal(position)]).toEqual([
      [409, 'ENTRY.ALREADY_EXISTS'],
      [409, 'STAFF.ALREADY_STARTED'],
    ]);
    expect(await head()).toBe(before);
  });

  // ------------------------------------------------------------------ parties of another county named in an own write

  it("money for an own centre cannot be recorded as paid by another county's county authority (it would put money in that authority's name); nothing recorded", async () => {
    const centreId = await w.freshCentre('own');
    const before = await head();
    const res = await post(foOwn, `/centres/${centreId}/funding/operating-grants`, { entryId: w.id('rv-foreign-payer'), fiscalYear: 2011, partyId: w.fk('other'), amount: '777000.00', decidedOn: '2011-01-10' });
    const recorded = (await head()) - before;
    const country = await read('/funding-mix/2011');
    const ostfoldFk = country.byParty.find((p: any) => p.partyId === w.fk('other'));
    expect({ refusal: refusal(res), recorded, ostfoldAuthorityInCountryMix: ostfoldFk?.amount ?? null }).toEqual({ refusal: [422, 'ENTRY.PARTY_OF_OTHER_COUNTY'], recorded: 0, ostfoldAuthorityInCountryMix: null });
  });

  it("a staff position at an own centre cannot be recorded as paid directly by another county's NAV county office; nothing recorded", async () => {
    const centreId = await w.freshCentre('own');
    const before = await head();
    const res = await post(foOwn, `/centres/${centreId}/staff-positions`, { positionId: w.id('rv-foreign-paid'), title: 'Rådgiver', employerKind: 'nav-county-office', employerPartyId: w.nav('other'), fte: '1.0', payer: { kind: 'party', partyId: w.nav('other') }, annualCost: '600000.00', startedOn: '2011-01-01' });
    expect({ status: res.status, recorded: (await head()) - before }).toEqual({ status: 422, recorded: 0 });
  });

  it("an owner agreement's amendment naming another county's party is refused like its registration (422 OWNER_AGREEMENT.PARTY_OF_OTHER_COUNTY); nothing recorded", async () => {
    const a = await w.ownerAgreement('own');
    const before = await head();
    const res = await post(foOwn, `/centres/${a.centreId}/owner-agreements/${a.agreementId}/amend`, { effectiveFrom: '2013-01-01', parties: [{ partyId: w.fk('own'), shareBp: 5000 }, { partyId: w.nav('other'), shareBp: 5000 }], period: { from: '2009-01-01', to: null } });
    expect(refusal(res)).toEqual([422, 'OWNER_AGREEMENT.PARTY_OF_OTHER_COUNTY']);
    expect(await head()).toBe(before);
  });

  it("a county's partnership agreement cannot name another county's county authority and NAV county office as its parties (as the coordinating function's holder cannot be another county's); nothing recorded", async () => {
    const year = w.freshYear();
    const before = await head();
    const res = await post(foOwn, `/counties/${OWN}/partnership-agreements`, { partnershipId: w.id('rv-pa'), parties: [w.fk('other'), w.nav('other')], signedOn: `${year}-01-01`, period: { from: `${year}-01-01`, to: `${year}-12-31` } });
    expect({ refusal: refusal(res), recorded: (await head()) - before }).toEqual({ refusal: [422, 'PARTNERSHIP.PARTY_OF_OTHER_COUNTY'], recorded: 0 });
  });

  // ------------------------------------------------------------------ other objects named inside own bodies

  it("an own proposal, county-line decision or stimulus application cannot name another county's centre (422 BOARD.CENTRE_NOT_GOVERNED / COUNTY_LINE.CENTRE_OF_OTHER_COUNTY / STIMULUS_GRANT.CENTRE_OF_OTHER_COUNTY); nothing recorded", async () => {
    const chair = await member(w.boards.own.chair);
    const before = await head();
    const proposal = await post(chair, `/boards/${w.boards.own.boardId}/proposals`, { ...(w.proposalBody(w.id('rv-prop')) as object), centreIds: [w.centres.other] });
    const countyLine = await post(foOwn, `/counties/${OWN}/county-line-decisions`, { decisionId: w.id('rv-cld'), centreIds: [w.centres.own, w.centres.other], kind: 'goals', year: 2013, title: 'Mål', content: { goals: ['Mål'] }, decidedOn: '2012-12-12' });
    const stimulus = await post(foOwn, '/stimulus-grants', { ...(w.stimulusBody('own', w.id('rv-stim')) as object), centreId: w.centres.other });
    expect([refusal(proposal), refusal(countyLine), refusal(stimulus)]).toEqual([
      [422, 'BOARD.CENTRE_NOT_GOVERNED'],
      [422, 'COUNTY_LINE.CENTRE_OF_OTHER_COUNTY'],
      [422, 'STIMULUS_GRANT.CENTRE_OF_OTHER_COUNTY'],
    ]);
    expect(await head()).toBe(before);
  });

  it("withdrawals, terminations and ends addressed through an own path never reach another county's object of the same id (404, nothing recorded)", async () => {
    const ev = await w.evidence('other');
    const oa = await w.ownerAgreement('other');
    const pa = await w.partnership('other');
    const before = await head();
    const evidence = await post(foOwn, `/centres/${w.centres.own}/grant-evidence/${ev.reportId}/withdrawal`, { reason: 'Kapring' });
    const agreement = await post(foOwn, `/centres/${w.centres.own}/owner-agreements/${oa.agreementId}/terminate`, { effectiveFrom: '2015-01-01', reason: 'Kapring' });
    const partnership = await post(foOwn, `/counties/${OWN}/partnership-agreements/${pa.partnershipId}/terminate`, { effectiveFrom: `${pa.year}-07-01` });
    const memberEnd = await post(foOwn, `/boards/${w.boards.own.boardId}/members/${w.boards.other.member}/end`, { endedOn: '2013-12-31' });
    expect([refusal(evidence), refusal(agreement), refusal(partnership), refusal(memberEnd)]).toEqual([
      [404, 'GRANT_EVIDENCE.NOT_FOUND'],
      [404, 'OWNER_AGREEMENT.NOT_FOUND'],
      [404, 'PARTNERSHIP.NOT_FOUND'],
      [404, 'BOARD.NOT_A_MEMBER'],
    ]);
    expect(await head()).toBe(before);
  });

  it("dissolving an own board 'replaced by' another county's board, or by a board that does not exist, is refused; nothing recorded", async () => {
    const boardA = await w.board('own');
    const boardB = await w.board('own');
    const before = await head();
    const other = await post(foOwn, `/boards/${boardA}/dissolve`, { dissolvedOn: '2014-03-31', reason: 'Erstattet', replacedByBoardId: w.boards.other.boardId });
    const none = await post(foOwn, `/boards/${boardB}/dissolve`, { dissolvedOn: '2014-03-31', reason: 'Erstattet', replacedByBoardId: 'no-such-board' });
    expect({ other: refusal(other), none: refusal(none), recorded: (await head()) - before }).toEqual({ other: [422, 'BOARD.REPLACEMENT_OF_OTHER_COUNTY'], none: [404, 'BOARD.NOT_FOUND'], recorded: 0 });
  });

  // ------------------------------------------------------------------ board members: as whom, how often, when

  it('a board member cannot vote as another member (403 BOARD.VOTE_AS_OTHER, nothing recorded); voting as themselves is recorded under the token subject', async () => {
    const p = await w.proposal('own');
    const before = await head();
    const asOther = await post(await member(w.boards.own.member), `/boards/${p.boardId}/proposals/${p.proposalId}/votes`, { vote: 'for', castOn: '2014-02-02', personId: w.boards.own.chair });
    expect(refusal(asOther)).toEqual([403, 'BOARD.VOTE_AS_OTHER']);
    expect(await head()).toBe(before);
    const self = await post(await member(w.boards.own.member), `/boards/${p.boardId}/proposals/${p.proposalId}/votes`, { vote: 'for', castOn: '2014-02-02', personId: w.boards.own.member });
    expect(self.status).toBe(201);
    const detail = await read(`/boards/${p.boardId}/proposals/${p.proposalId}`);
    expect(detail.votes.map((v: any) => v.personId)).toEqual([w.boards.own.member]);
  });

  it("a member's own vote cannot be doubled through another path: an admin entering a 'recorded vote' for them afterwards is 409 BOARD.ALREADY_VOTED, nothing recorded", async () => {
    const p = await w.proposal('own');
    expect((await post(await member(w.boards.own.member), `/boards/${p.boardId}/proposals/${p.proposalId}/votes`, { vote: 'against', castOn: '2014-02-02' })).status).toBe(201);
    const before = await head();
    const again = await post(w.admin, `/boards/${p.boardId}/proposals/${p.proposalId}/votes`, { vote: 'for', castOn: '2014-02-03', personId: w.boards.own.member });
    expect(refusal(again)).toEqual([409, 'BOARD.ALREADY_VOTED']);
    expect(await head()).toBe(before);
  });

  it("a member of one board cannot reach another board's proposal: under their own board's path it is 404 BOARD.PROPOSAL_NOT_FOUND, under its own path 403 BOARD.NOT_A_MEMBER; nothing recorded", async () => {
    const p = await w.proposal('other');
    const m = await member(w.boards.own.member);
    const before = await head();
    const viaOwnBoard = await post(m, `/boards/${w.boards.own.boardId}/proposals/${p.proposalId}/votes`, { vote: 'for', castOn: '2014-02-02' });
    const direct = await post(m, `/boards/${p.boardId}/proposals/${p.proposalId}/votes`, { vote: 'for', castOn: '2014-02-02' });
    const close = await post(await member(w.boards.own.chair), `/boards/${p.boardId}/proposals/${p.proposalId}/close`, { closedOn: '2014-02-03' });
    expect([refusal(viaOwnBoard), refusal(direct), refusal(close)]).toEqual([
      [404, 'BOARD.PROPOSAL_NOT_FOUND'],
      [403, 'BOARD.NOT_A_MEMBER'],
      [403, 'BOARD.NOT_A_MEMBER'],
    ]);
    expect(await head()).toBe(before);
  });

  it('a member who has left the board cannot vote with their own token by dating the vote inside their old term (403 BOARD.FORMER_MEMBER), so the decision is not swung by a former member', async () => {
    const [chair, m1, m2, leaver] = ['rv-chair', 'rv-m1', 'rv-m2', 'rv-leaver'].map((x) => w.id(x));
    const boardId = await ownBoard([
      [chair, 'chair', '2010-01-01', null],
      [m1, 'member', '2010-01-01', null],
      [m2, 'member', '2010-01-01', null],
      [leaver, 'member', '2010-01-01', '2014-03-31'],
    ]);
    const proposalId = w.id('rv-prop');
    expect((await post(await member(chair), `/boards/${boardId}/proposals`, w.proposalBody(proposalId))).status).toBe(201);
    const votes = `/boards/${boardId}/proposals/${proposalId}/votes`;
    expect((await post(await member(chair), votes, { vote: 'for', castOn: '2014-03-15' })).status).toBe(201);
    expect((await post(await member(m1), votes, { vote: 'against', castOn: '2014-03-15' })).status).toBe(201);
    expect((await post(await member(m2), votes, { vote: 'against', castOn: '2014-03-15' })).status).toBe(201);
    // Today, years after the term ended on 2014-03-31, the former member casts a vote dated 2014-03-15.
    const late = await post(await member(leaver), votes, { vote: 'for', castOn: '2014-03-15' });
    const closed = await post(await member(chair), `/boards/${boardId}/proposals/${proposalId}/close`, { closedOn: '2014-03-20' });
    const detail = await read(`/boards/${boardId}/proposals/${proposalId}`);
    expect({ lateVote: refusal(late), closed: closed.status, outcome: detail.outcome ?? detail.decision?.outcome }).toEqual({ lateVote: [403, 'BOARD.FORMER_MEMBER'], closed: 200, outcome: 'rejected' });
  });

  it('a chair who has left cannot close a proposal with their own token by dating the decision inside their old term, while a new chair holds the seat (403 BOARD.FORMER_MEMBER); nothing recorded', async () => {
    const [oldChair, newChair, m1, m2] = ['rv-oldchair', 'rv-newchair', 'rv-m1', 'rv-m2'].map((x) => w.id(x));
    const boardId = await ownBoard([
      [oldChair, 'chair', '2010-01-01', '2014-06-30'],
      [newChair, 'chair', '2014-07-01', null],
      [m1, 'member', '2010-01-01', null],
      [m2, 'member', '2010-01-01', null],
    ]);
    const proposalId = w.id('rv-prop');
    expect((await post(await member(m1), `/boards/${boardId}/proposals`, w.proposalBody(proposalId))).status).toBe(201);
    for (const who of [m1, m2]) expect((await post(await member(who), `/boards/${boardId}/proposals/${proposalId}/votes`, { vote: 'for', castOn: '2014-02-10' })).status).toBe(201);
    const before = await head();
    const res = await post(await member(oldChair), `/boards/${boardId}/proposals/${proposalId}/close`, { closedOn: '2014-06-15' });
    expect({ close: refusal(res), recorded: (await head()) - before }).toEqual({ close: [403, 'BOARD.FORMER_MEMBER'], recorded: 0 });
  });

  it('a member who has left cannot table a proposal with their own token by dating it inside their old term (403 BOARD.FORMER_MEMBER); nothing recorded', async () => {
    const [chair, leaver] = ['rv-chair', 'rv-leaver'].map((x) => w.id(x));
    const boardId = await ownBoard([
      [chair, 'chair', '2010-01-01', null],
      [leaver, 'member', '2010-01-01', '2014-03-31'],
    ]);
    const before = await head();
    const res = await post(await member(leaver), `/boards/${boardId}/proposals`, { ...(w.proposalBody(w.id('rv-prop')) as object), tabledOn: '2014-03-01' });
    expect({ table: refusal(res), recorded: (await head()) - before }).toEqual({ table: [403, 'BOARD.FORMER_MEMBER'], recorded: 0 });
  });

  it('a deputy member cannot stand in for a seat that already voted, nor vote twice by standing in for two seats (409 BOARD.ALREADY_VOTED); nothing recorded', async () => {
    const [chair, m1, m2, deputy] = ['rv-chair', 'rv-m1', 'rv-m2', 'rv-dep'].map((x) => w.id(x));
    const boardId = await ownBoard([
      [chair, 'chair', '2010-01-01', null],
      [m1, 'member', '2010-01-01', null],
      [m2, 'member', '2010-01-01', null],
      [deputy, 'deputy-member', '2010-01-01', null],
    ]);
    const proposalId = w.id('rv-prop');
    expect((await post(await member(chair), `/boards/${boardId}/proposals`, w.proposalBody(proposalId))).status).toBe(201);
    const votes = `/boards/${boardId}/proposals/${proposalId}/votes`;
    expect((await post(await member(m1), votes, { vote: 'for', castOn: '2014-02-02' })).status).toBe(201);
    const before = await head();
    const forVoted = await post(await member(deputy), votes, { vote: 'against', castOn: '2014-02-02', standingInFor: m1 });
    expect(refusal(forVoted)).toEqual([409, 'BOARD.ALREADY_VOTED']);
    expect(await head()).toBe(before);
    expect((await post(await member(deputy), votes, { vote: 'against', castOn: '2014-02-02', standingInFor: m2 })).status).toBe(201);
    const after = await head();
    const second = await post(await member(deputy), votes, { vote: 'against', castOn: '2014-02-02', standingInFor: chair });
    const seatHolder = await post(await member(m2), votes, { vote: 'for', castOn: '2014-02-03' });
    expect([refusal(second), refusal(seatHolder)]).toEqual([
      [409, 'BOARD.ALREADY_VOTED'],
      [409, 'BOARD.ALREADY_VOTED'],
    ]);
    expect(await head()).toBe(after);
  });

  it("a board member who may not act on a board learns nothing about its members' Idempotency-Keys: reusing a member's key to vote, table or close there is 403, as README promises (access before the key)", async () => {
    const p = await w.proposal('own');
    const base = `/boards/${p.boardId}/proposals/${p.proposalId}`;
    const voteKey = w.id('rv-vote-key');
    const tableKey = w.id('rv-table-key');
    const closeKey = w.id('rv-close-key');
    const proposalBody = w.proposalBody(w.id('rv-prop'));
    expect((await post(await member(w.boards.own.member), `${base}/votes`, { vote: 'for', castOn: '2014-02-02' }, { 'Idempotency-Key': voteKey })).status).toBe(201);
    expect((await post(await member(w.boards.own.member), `/boards/${p.boardId}/proposals`, proposalBody, { 'Idempotency-Key': tableKey })).status).toBe(201);
    expect((await post(await member(w.boards.own.chair), `${base}/close`, { closedOn: '2014-02-03' }, { 'Idempotency-Key': closeKey })).status).toBe(200);
    const outsider = await member(w.boards.other.member);
    const before = await head();
    const vote = await post(outsider, `${base}/votes`, { vote: 'for', castOn: '2014-02-02' }, { 'Idempotency-Key': voteKey });
    const table = await post(outsider, `/boards/${p.boardId}/proposals`, proposalBody, { 'Idempotency-Key': tableKey });
    const close = await post(outsider, `${base}/close`, { closedOn: '2014-02-03' }, { 'Idempotency-Key': closeKey });
    expect(await head()).toBe(before);
    expect([vote.status, table.status, close.status]).toEqual([403, 403, 403]);
  });

  it("a person who is both admin and a board member votes as themselves whatever the order of the token's roles claim (same answer, same acting role in the audit trail)", async () => {
    const subs = [w.id('rv-admin-member-a'), w.id('rv-admin-member-b')];
    const boardId = await ownBoard([
      [w.id('rv-chair'), 'chair', '2010-01-01', null],
      [subs[0], 'member', '2010-01-01', null],
      [subs[1], 'member', '2010-01-01', null],
    ]);
    const proposalId = w.id('rv-prop');
    await w.must('POST', `/boards/${boardId}/proposals`, w.proposalBody(proposalId));
    const votes = `/boards/${boardId}/proposals/${proposalId}/votes`;
    const memberFirst = await post(await w.t.auth(['board-member', 'admin'], [], subs[0]), votes, { vote: 'for', castOn: '2014-02-02' });
    const adminFirst = await post(await w.t.auth(['admin', 'board-member'], [], subs[1]), votes, { vote: 'for', castOn: '2014-02-02' });
    const roles = (await w.must('GET', `/audit/streams/board-${boardId}`)).events.filter((e: any) => e.type === 'VoteCast').map((e: any) => e.metadata.actorRole);
    expect({ memberFirst: refusal(memberFirst), adminFirst: refusal(adminFirst), roles }).toEqual({ memberFirst: [201, undefined], adminFirst: [201, undefined], roles: ['board-member', 'board-member'] });
  });

  it('a person who is both admin and a board member acts as a member voting as themselves (no personId, or their own) and as admin entering another member\'s vote from the minutes; the audit trail says which', async () => {
    const chair = w.id('rv-chair-admin');
    const other = w.id('rv-other-member');
    const boardId = await ownBoard([
      [chair, 'chair', '2010-01-01', null],
      [other, 'member', '2010-01-01', null],
    ]);
    const proposalId = w.id('rv-prop');
    await w.must('POST', `/boards/${boardId}/proposals`, w.proposalBody(proposalId));
    const votes = `/boards/${boardId}/proposals/${proposalId}/votes`;
    const both = await w.t.auth(['admin', 'board-member'], [], chair);
    const forOther = await post(both, votes, { vote: 'against', castOn: '2014-02-02', personId: other });
    const own = await post(both, votes, { vote: 'for', castOn: '2014-02-02', personId: chair });
    const cast = (await w.must('GET', `/audit/streams/board-${boardId}`)).events.filter((e: any) => e.type === 'VoteCast').map((e: any) => [e.data.personId, e.metadata.actorRole]);
    expect({ forOther: refusal(forOther), own: refusal(own), cast }).toEqual({ forOther: [201, undefined], own: [201, undefined], cast: [[other, 'admin'], [chair, 'board-member']] });
  });

  // ------------------------------------------------------------------ tokens

  it('a token serving two counties acts in each, but never mixes them: a board of one county for a centre of the other, or a correction of one county\'s entry through the other\'s centre, is refused; nothing recorded', async () => {
    const both = await w.t.auth('finance-officer', [OWN, OTHER], 'review-fo-both');
    const entryId = await otherEntry();
    const before = await head();
    const board = await post(both, '/boards', { boardId: w.id('rv-mixed-board'), countyId: OWN, centreIds: [w.centres.other], name: 'Blandet styre', establishedOn: '2012-01-01' });
    const correction = await post(both, `/centres/${w.centres.own}/funding/entries/${entryId}/correction`, { reason: 'x', amount: '1.00' });
    const countyLine = await post(both, `/counties/${OTHER}/county-line-decisions`, { decisionId: w.id('rv-cld'), centreIds: [w.centres.own], kind: 'goals', year: 2013, title: 'Mål', content: { goals: ['Mål'] }, decidedOn: '2012-12-12' });
    expect([refusal(board), refusal(correction), refusal(countyLine)]).toEqual([
      [422, 'BOARD.CENTRE_OF_OTHER_COUNTY'],
      [422, 'ENTRY.OTHER_CENTRE'],
      [422, 'COUNTY_LINE.CENTRE_OF_OTHER_COUNTY'],
    ]);
    expect(await head()).toBe(before);
    // …and it does act in each county on its own.
    expect((await post(both, `/centres/${w.centres.other}/funding/entries/${entryId}/reversal`, { reason: 'Dobbeltført' })).status).toBe(201);
  });

  it('a token with the board-member role and a county claim gets no finance rights in that county; a finance officer\'s token gets no vote on a board it is not on, even with the subject of a member', async () => {
    const boardCounty = await w.t.auth('board-member', [OWN], w.boards.own.chair);
    const financeAsMember = await w.t.auth('finance-officer', [OWN], w.boards.own.member);
    const p = await w.proposal('own');
    const before = await head();
    const money = await post(boardCounty, `/centres/${w.centres.own}/funding/operating-grants`, { entryId: w.id('rv-bm-money'), fiscalYear: 2013, partyId: w.fk('own'), amount: '1.00', decidedOn: '2013-01-10' });
    const vote = await post(financeAsMember, `/boards/${p.boardId}/proposals/${p.proposalId}/votes`, { vote: 'for', castOn: '2014-02-02' });
    expect([refusal(money), refusal(vote)]).toEqual([
      [403, 'ACCESS.ROLE_NOT_ALLOWED'],
      [403, 'ACCESS.ROLE_NOT_ALLOWED'],
    ]);
    // Each says whose role it is and who may (so the caller knows whom to ask).
    expect(money.body.message).toMatch(/^Your role \(board-member\) may not use this route; it is open to the roles? [a-z, -]*finance-officer/);
    expect(vote.body.message).toMatch(/^Your role \(finance-officer\) may not use this route; it is open to the roles? [a-z, -]*board-member/);
    expect(await head()).toBe(before);
  });

  // ------------------------------------------------------------------ idempotency keys across users

  it("an admin (who may make that write) sending a finance officer's Idempotency-Key with the same body makes a write of their own (keys are per user): recorded as the admin's, never answered with the officer's answer; each retry gets its own sender's first answer", async () => {
    const key = w.id('rv-key-admin');
    // No entryId: each sender's is derived from their own key (as a client that leaves it to the ledger).
    const body = { fiscalYear: 2013, partyId: w.fk('own'), amount: '250.00', decidedOn: '2013-01-10' };
    const first = await post(foOwn, `/centres/${w.centres.own}/funding/operating-grants`, body, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    const before = await head();
    const admins = await post(w.admin, `/centres/${w.centres.own}/funding/operating-grants`, body, { 'Idempotency-Key': key });
    expect(refusal(admins)).toEqual([201, undefined]);
    expect(admins.body.entryId).not.toBe(first.body.entryId);
    expect(JSON.stringify(admins.body)).not.toContain(first.body.eventIds[0]);
    expect(await head()).toBe(before + 1);
    const recorded = (await w.must('GET', `/audit/streams/${admins.body.streamId}`)).events;
    expect(recorded.map((e: any) => [e.eventId, e.metadata.actorId, e.metadata.actorRole, e.metadata.idempotencyKey])).toEqual([[admins.body.eventIds[0], 'matrix-admin', 'admin', key]]);
    // The officer's own retry still gets the first answer, and the admin's theirs; nothing more recorded.
    const retry = await post(foOwn, `/centres/${w.centres.own}/funding/operating-grants`, body, { 'Idempotency-Key': key });
    expect([retry.status, retry.body.eventIds]).toEqual([201, first.body.eventIds]);
    const adminRetry = await post(w.admin, `/centres/${w.centres.own}/funding/operating-grants`, body, { 'Idempotency-Key': key });
    expect([adminRetry.status, adminRetry.body.eventIds]).toEqual([201, admins.body.eventIds]);
    expect(await head()).toBe(before + 1);
    // With the officer's explicit entryId, the admin's own write is refused by the rules (that entry exists), still never the officer's answer.
    const entryId = w.id('rv-key-entry');
    const key2 = w.id('rv-key-admin');
    const officers = await post(foOwn, `/centres/${w.centres.own}/funding/operating-grants`, { ...body, entryId }, { 'Idempotency-Key': key2 });
    expect(officers.status).toBe(201);
    const sameEntry = await post(w.admin, `/centres/${w.centres.own}/funding/operating-grants`, { ...body, entryId }, { 'Idempotency-Key': key2 });
    expect(sameEntry.status).toBeGreaterThanOrEqual(400);
    expect(sameEntry.body.code).not.toBe('IDEMPOTENCY_KEY_REUSED');
    expect(JSON.stringify(sameEntry.body)).not.toContain(officers.body.eventIds[0]);
    expect(await head()).toBe(before + 2);
  });

  it("a finance officer's own first write is not refused because an officer of another county already used the same Idempotency-Key (keys are per user)", async () => {
    const key = 'tilskudd-2013-drift';
    const own = await post(foOwn, `/centres/${w.centres.own}/funding/operating-grants`, { fiscalYear: 2013, partyId: w.fk('own'), amount: '300.00', decidedOn: '2013-01-10' }, { 'Idempotency-Key': key });
    expect(own.status).toBe(201);
    const other = await post(foOther, `/centres/${w.centres.other}/funding/operating-grants`, { fiscalYear: 2013, partyId: w.fk('other'), amount: '400.00', decidedOn: '2013-01-10' }, { 'Idempotency-Key': key });
    expect(refusal(other)).toEqual([201, undefined]);
  });

  it('entry ids derived from an Idempotency-Key are per user: two users with the same key never name the same entry', async () => {
    const key = w.id('rv-derived');
    const a = await post(foOwn, `/centres/${w.centres.own}/funding/operating-grants`, { fiscalYear: 2013, partyId: w.fk('own'), amount: '10.00', decidedOn: '2013-01-10' }, { 'Idempotency-Key': key });
    expect(a.status).toBe(201);
    const adminKey = `${key}-admin`;
    const b = await post(w.admin, `/centres/${w.centres.own}/funding/operating-grants`, { fiscalYear: 2013, partyId: w.fk('own'), amount: '10.00', decidedOn: '2013-01-10' }, { 'Idempotency-Key': adminKey });
    expect(b.status).toBe(201);
    expect(a.body.entryId).toMatch(/^k-[0-9a-f]{40}$/);
    expect(b.body.entryId).not.toBe(a.body.entryId);
    // Reversing the officer's derived entry through the other county's centre is still refused.
    const hijack = await post(foOther, `/centres/${w.centres.other}/funding/entries/${a.body.entryId}/reversal`, { reason: 'Kapring' });
    expect(refusal(hijack)).toEqual([422, 'ENTRY.OTHER_CENTRE']);
  });

  // ------------------------------------------------------------------ import dry run

  it("the import's dry run applies the same indirect scoping as HTTP (another county's entry and position through an own centre, another county's party as owner, a vote as another member); nothing written", async () => {
    const registry = w.t.app.get(CommandRegistry);
    const entryId = await otherEntry();
    const positionId = await w.position('other');
    const p = await w.proposal('own');
    const centreId = await w.freshCentre('own');
    const line = (command: string, payload: object) => JSON.stringify({ command, payload });
    const officer: Actor = { id: 'review-import-fo', name: 'Import', roles: ['finance-officer'], counties: [OWN], actingRole: 'finance-officer' };
    const file = [
      line('ReverseEntry', { entryId, centreId: w.centres.own, reason: 'Kapring' }),
      line('CorrectEntry', { entryId, centreId: w.centres.own, reason: 'Kapring', amount: '1.00' }),
      line('EndStaffPosition', { positionId, centreId: w.centres.own, endedOn: '2013-06-30' }),
      line('RegisterOwnerAgreement', { agreementId: 'rv-import-oa', centreId, parties: [{ partyId: w.fk('own'), shareBp: 5000 }, { partyId: w.fk('other'), shareBp: 5000 }], period: { from: '2009-01-01', to: null }, signedOn: '2009-01-01' }),
      line('ReverseEntry', { entryId, centreId: w.centres.other, reason: 'Kapring' }),
    ].join('\n');
    const parsed = await parseImportFile(file, registry);
    expect(parsed.problems).toEqual([]);
    const before = await head();
    const problems = await dryRunImport(w.t.store, registry, parsed.lines, officer);
    expect(problems.map((x) => [x.line, x.code])).toEqual([
      [1, 'ENTRY.OTHER_CENTRE'],
      [2, 'ENTRY.OTHER_CENTRE'],
      [3, 'STAFF.OTHER_CENTRE'],
      [4, 'OWNER_AGREEMENT.PARTY_OF_OTHER_COUNTY'],
      [5, 'ACCESS.OTHER_COUNTY'],
    ]);
    const memberActor: Actor = { id: w.boards.own.member, name: 'Medlem', roles: ['board-member'], counties: [], actingRole: 'board-member' };
    const votes = await parseImportFile(line('CastVote', { boardId: p.boardId, proposalId: p.proposalId, vote: 'for', castOn: '2014-02-02', personId: w.boards.own.chair }), registry);
    expect((await dryRunImport(w.t.store, registry, votes.lines, memberActor)).map((x) => x.code)).toEqual(['BOARD.VOTE_AS_OTHER']);
    expect(await head()).toBe(before);
  });

  // ------------------------------------------------------------------ reads

  it('the cited-event route every reader may use serves only grant facts and never their metadata: a funding entry or a vote is 400 GRANT_EVIDENCE.NOT_CITABLE, a grant event has no actor or Idempotency-Key', async () => {
    const reader = await w.t.auth('finance-officer', [OTHER], 'review-reader');
    const entryId = await otherEntry();
    const p = await w.proposal('other');
    await w.must('POST', `/boards/${p.boardId}/proposals/${p.proposalId}/votes`, { vote: 'for', castOn: '2014-02-02', personId: w.boards.other.member });
    const ev = await w.evidence('own');
    // A county-line decision lives in county-line-<id>: a stream whose name starts with a citable prefix (county-).
    await w.must('POST', `/counties/${OWN}/county-line-decisions`, { decisionId: w.id('rv-cld-read'), centreIds: [w.centres.own], kind: 'goals', year: 2013, title: 'Mål', content: { goals: ['Mål'] }, decidedOn: '2012-12-12' });
    const get = (path: string) => w.t.http().get(path).set(reader);
    const entry = await get(`/grant-evidence/streams/funding-entry-${entryId}/revisions/0`);
    const board = await get(`/grant-evidence/streams/board-${p.boardId}/revisions/0`);
    const countyLine = await get(`/grant-evidence/streams/county-line-${OWN}/revisions/0`);
    expect([refusal(entry), refusal(board), refusal(countyLine)]).toEqual([
      [400, 'GRANT_EVIDENCE.NOT_CITABLE'],
      [400, 'GRANT_EVIDENCE.NOT_CITABLE'],
      [400, 'GRANT_EVIDENCE.NOT_CITABLE'],
    ]);
    const cited = await get(`/grant-evidence/streams/grant-evidence-${ev.centreId}/revisions/0`);
    expect(cited.status).toBe(200);
    expect(cited.body.type).toBe('AnnualReportSubmitted');
    expect(Object.keys(cited.body)).not.toContain('metadata');
    expect(JSON.stringify(cited.body)).not.toMatch(/matrix-admin|actorId|idempotencyKey/);
  });
});
