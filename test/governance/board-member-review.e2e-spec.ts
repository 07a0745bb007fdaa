/**
 * Adversarial review from a BOARD MEMBER's point of view (and the county finance officer who sets the
 * board up), through HTTP only: what a member sees and may do with their own token (role
 * `board-member`, `sub` = their personId); tabling and voting on a budget and an action plan; who may
 * vote (members, deputies standing in, members whose term has ended or not yet begun, people on no or
 * another board); votes on decisions already closed, double votes, votes dated after today or before
 * the term; the decision's outcome and its evidence afterwards (register, governance profile, NAV link,
 * funding mix); what another county's finance officer and a member of another board cannot do (403 and
 * nothing recorded: the store's head does not move); Idempotency-Key retries answered with the first
 * answer; clear 4xx codes with messages that say what went wrong in plain words.
 *
 * Expected values are computed here from the inputs and README "Governance" (Defaults we chose, Who may
 * do what, Dates) and "Idempotency, permanently", never read back from the ledger.
 */
import { addDays, osloDateOf } from '../../libs/domain/src/shared';
import { startTestApp, TestApp } from '../helpers/test-app';

type Auth = { Authorization: string };
type Res = { status: number; body: any };
type Term = { from: string; to?: string | null };
type Member = [personId: string, partyId: string | null, role: string, term?: Term];

/** README: chair, deputy chair, members and staff representatives hold a seat; deputy members hold none. */
const SEAT_ROLES = ['chair', 'deputy-chair', 'member', 'staff-representative'];
const holds = (term: Term, date: string) => term.from <= date && (term.to == null || date <= term.to);
/** Seats on a date from the members as appointed (both ends of a term count). */
const seatsOn = (members: Member[], date: string, established = '2012-01-01') =>
  members.filter(([, , role, term]) => SEAT_ROLES.includes(role) && holds(term ?? { from: established }, date)).length;
/** README: quorum is more than half of the seats. */
const moreThanHalf = (seats: number) => Math.floor(seats / 2) + 1;
/** NOK as a decimal string to whole øre (at most two decimals), exactly. */
const ore = (nok: string): bigint => {
  const [whole, frac = ''] = nok.split('.');
  return BigInt(whole) * 100n + BigInt((frac + '00').slice(0, 2));
};
const nokOf = (o: bigint): string => `${o < 0n ? '-' : ''}${(o < 0n ? -o : o) / 100n}.${String((o < 0n ? -o : o) % 100n).padStart(2, '0')}`;

describe('governance: a board member\'s review (HTTP)', () => {
  let t: TestApp;
  let fo: Auth; // finance officer of Østfold, who sets up Østfold's boards
  let foTel: Auth; // finance officer of Telemark
  let admin: Auth;
  let auditor: Auth;

  const send = (auth: Auth, url: string, body: object, headers: Record<string, string> = {}): Promise<Res> => t.http().post(url).set(auth).set(headers).send(body) as any;
  const ok = async (auth: Auth, url: string, body: object, headers: Record<string, string> = {}): Promise<any> => {
    const res = await send(auth, url, body, headers);
    if (res.status >= 300) throw new Error(`POST ${url} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const readAs = async (auth: Auth, url: string): Promise<any> => {
    const res = await t.http().get(url).set(auth);
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const read = (url: string) => readAs(auditor, url);
  const head = () => t.store.headPosition();
  const member = (personId: string) => t.auth('board-member', [], personId);
  const refusal = (res: Res) => [res.status, res.body?.code];
  /** A refusal a lay person can read: the one error shape, a sentence, no stack trace or internal names. */
  const plain = (res: Res) => {
    expect(Object.keys(res.body).sort()).toEqual(['code', 'details', 'message', 'statusCode']);
    expect(res.body.statusCode).toBe(res.status);
    expect(typeof res.body.message).toBe('string');
    expect(res.body.message.length).toBeGreaterThan(15);
    expect(res.body.message).not.toMatch(/\bat \S+\.(ts|js):\d+|TypeError|undefined|\[object Object\]|null/);
    return res.body.message as string;
  };

  const today = () => osloDateOf(new Date().toISOString());

  const centre = (centreId: string, countyId = 'ostfold', auth?: Auth) =>
    ok(auth ?? fo, '/centres', { centreId, countyId, name: `Karriere ${centreId}`, municipality: countyId === 'ostfold' ? 'Sarpsborg' : 'Skien', openedOn: '2005-01-01' });
  /** A board for one new centre, set up by the county's finance officer, with the members as given (term from the establishment unless given). */
  const board = async (boardId: string, members: Member[], opts: { countyId?: string; auth?: Auth; establishedOn?: string } = {}) => {
    const countyId = opts.countyId ?? 'ostfold';
    const auth = opts.auth ?? fo;
    const establishedOn = opts.establishedOn ?? '2012-01-01';
    await centre(`c-${boardId}`, countyId, auth);
    await ok(auth, '/boards', { boardId, countyId, centreIds: [`c-${boardId}`], name: `Styret ${boardId}`, establishedOn });
    for (const [personId, partyId, role, term] of members) await ok(auth, `/boards/${boardId}/members`, { personId, name: `Person ${personId}`, partyId, role, term: term ?? { from: establishedOn } });
  };
  const goals = (boardId: string, proposalId: string, by: string, tabledOn = '2014-02-01', extra: object = {}) =>
    member(by).then((a) => ok(a, `/boards/${boardId}/proposals`, { proposalId, kind: 'goals', year: 2014, title: `Mål ${proposalId}`, content: { goals: ['Flere voksne får veiledning'] }, tabledOn, ...extra }));
  const vote = async (boardId: string, proposalId: string, personId: string, v: string, castOn?: string, extra: object = {}, headers: Record<string, string> = {}): Promise<Res> =>
    send(await member(personId), `/boards/${boardId}/proposals/${proposalId}/votes`, { vote: v, ...(castOn ? { castOn } : {}), ...extra }, headers);
  const close = async (boardId: string, proposalId: string, by: string, body: object, headers: Record<string, string> = {}): Promise<Res> =>
    send(await member(by), `/boards/${boardId}/proposals/${proposalId}/close`, body, headers);

  // The main board: Østfold's, as DOMAIN.md describes it (county, NAV Østfold, Sarpsborg, staff), with a deputy,
  // a member whose term ended at the end of 2013 and one who joins from June 2014.
  const B = 'bm';
  const C = `c-${B}`;
  const MAIN: Member[] = [
    ['bm-chair', 'os-fk', 'chair'],
    ['bm-dc', 'nav-os', 'deputy-chair'],
    ['bm-m1', 'sarpsborg', 'member'],
    ['bm-staff', null, 'staff-representative'],
    ['bm-dep', 'os-fk', 'deputy-member'],
    ['bm-gone', 'sarpsborg', 'member', { from: '2012-01-01', to: '2013-12-31' }],
    ['bm-late', 'nav-os', 'member', { from: '2014-06-01' }],
  ];

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    fo = await t.auth('finance-officer', ['ostfold'], 'bmr-fo-ostfold');
    foTel = await t.auth('finance-officer', ['telemark'], 'bmr-fo-telemark');
    admin = await t.auth('admin', [], 'bmr-admin');
    auditor = await t.auth('auditor', [], 'bmr-auditor');
    await ok(fo, '/parties', { partyId: 'os-fk', name: 'Østfold fylkeskommune', kind: 'county-authority', countyId: 'ostfold' });
    await ok(fo, '/parties', { partyId: 'nav-os', name: 'NAV Østfold', kind: 'nav-county-office', countyId: 'ostfold' });
    await ok(fo, '/parties', { partyId: 'sarpsborg', name: 'Sarpsborg kommune', kind: 'municipality', countyId: 'ostfold' });
    await ok(foTel, '/parties', { partyId: 'tel-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' });
    await board(B, MAIN);
    await board('bm-other', [['other-chair', 'os-fk', 'chair'], ['other-m', 'sarpsborg', 'member']]);
    await board('tel-board', [['tel-chair', 'tel-fk', 'chair']], { countyId: 'telemark', auth: foTel });
  });
  afterAll(() => t?.close());

  // =====================================================================================================
  // What a board member sees and may do
  // =====================================================================================================

  it('a member reads their board with their own token: the members as appointed, the agenda (open proposals, by the day tabled), and the board in the county list', async () => {
    const members: Member[] = [['ag-chair', 'os-fk', 'chair'], ['ag-m', 'nav-os', 'member'], ['ag-dep', 'sarpsborg', 'deputy-member']];
    await board('bm-ag', members);
    // Tabled out of order: the March proposal is typed in first.
    await goals('bm-ag', 'ag-march', 'ag-m', '2014-03-01');
    await goals('bm-ag', 'ag-feb', 'ag-chair', '2014-02-15');
    await goals('bm-ag', 'ag-jan', 'ag-chair', '2014-01-20');
    for (const who of ['ag-chair', 'ag-m']) expect((await vote('bm-ag', 'ag-jan', who, 'for', '2014-01-20')).status).toBe(201);
    expect((await close('bm-ag', 'ag-jan', 'ag-chair', { closedOn: '2014-01-20' })).status).toBe(200);

    const me = await member('ag-m');
    const reg = await readAs(me, '/boards/bm-ag');
    expect(reg.agenda).toEqual(['ag-feb', 'ag-march']);
    expect(reg.members.map((m: any) => [m.personId, m.partyId, m.role, m.term])).toEqual(members.map(([p, party, role]) => [p, party, role, { from: '2012-01-01', to: null }]));
    expect(reg.proposals.find((p: any) => p.proposalId === 'ag-march')).toMatchObject({ tabledBy: 'ag-m', tabledOn: '2014-03-01', decision: null });
    const listed = (await readAs(me, '/boards?countyId=ostfold')).find((b: any) => b.boardId === 'bm-ag');
    expect(listed).toMatchObject({ countyId: 'ostfold', centreIds: ['c-bm-ag'], members: members.length, proposals: 3 });
    expect((await readAs(me, '/boards/bm-ag/proposals/ag-jan')).decision).toMatchObject({ outcome: 'adopted', closedBy: 'ag-chair', closedOn: '2014-01-20' });
  });

  it('a member cannot set up or change the board, nor record money: 403 ACCESS.ROLE_NOT_ALLOWED on every finance-officer write, nothing recorded', async () => {
    const me = await member('bm-m1');
    const before = await head();
    const calls: [string, object][] = [
      ['/boards', { boardId: 'bm-mine', countyId: 'ostfold', centreIds: [C], name: 'Mitt eget styre', establishedOn: '2014-01-01' }],
      [`/boards/${B}/members`, { personId: 'bm-m1-friend', name: 'Venn', partyId: 'sarpsborg', role: 'member', term: { from: '2014-01-01' } }],
      [`/boards/${B}/members/bm-chair/end`, { endedOn: '2014-01-31', reason: 'Kupp' }],
      [`/boards/${B}/dissolve`, { dissolvedOn: '2015-01-01' }],
      [`/centres/${C}/funding/operating-grants`, { entryId: 'bm-m1-grant', fiscalYear: 2014, partyId: 'os-fk', amount: '1.00', decidedOn: '2014-01-15', reference: null }],
    ];
    for (const [url, body] of calls) {
      const res = await send(me, url, body);
      expect([url, ...refusal(res)]).toEqual([url, 403, 'ACCESS.ROLE_NOT_ALLOWED']);
      plain(res);
    }
    expect(await head()).toBe(before);
    expect((await read(`/boards/${B}`)).members.map((m: any) => m.personId)).toEqual(MAIN.map(([p]) => p));
  });

  it('without a token nobody votes: 401 with WWW-Authenticate, nothing recorded', async () => {
    await goals(B, 'no-token', 'bm-chair', '2014-02-01');
    const before = await head();
    const res = await t.http().post(`/boards/${B}/proposals/no-token/votes`).send({ vote: 'for', castOn: '2014-02-10' });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="ledger"/);
    expect(await head()).toBe(before);
  });

  // =====================================================================================================
  // A budget and an action plan, adopted by vote, and what the ledger shows afterwards
  // =====================================================================================================

  describe('the 2014 budget, tabled by a member and adopted by vote', () => {
    const LINES = [
      { partyId: 'os-fk', moneyKind: 'operating-grant', amount: '690400.00' },
      { partyId: 'nav-os', moneyKind: 'operating-grant', amount: '125000.50' },
    ];
    const VOTES: [string, string][] = [['bm-chair', 'for'], ['bm-dc', 'against'], ['bm-m1', 'for'], ['bm-staff', 'abstain']];
    const ON = '2014-02-10';
    let tabled: any;
    const voted: Record<string, any> = {};
    let closed: any;

    it('tabling: recorded with the member who tabled it and every amount in whole øre as typed; it is on the agenda', async () => {
      tabled = await ok(await member('bm-m1'), `/boards/${B}/proposals`, { proposalId: 'bud-2014', kind: 'budget', year: 2014, title: 'Budsjett 2014', content: { lines: LINES }, tabledOn: '2014-01-20' });
      const p = await readAs(await member('bm-dc'), `/boards/${B}/proposals/bud-2014`);
      expect(p).toMatchObject({ boardId: B, proposalId: 'bud-2014', kind: 'budget', year: 2014, tabledBy: 'bm-m1', tabledOn: '2014-01-20', centreIds: [C], votes: [], decision: null });
      expect(p.tabled.eventId).toBe(tabled.eventIds[0]);
      expect(p.content.lines).toEqual(LINES.map((l) => ({ partyId: l.partyId, moneyKind: l.moneyKind, amountOre: Number(ore(l.amount)) })));
      expect((await read(`/boards/${B}`)).agenda).toContain('bud-2014');
    });

    it('a budget that is not a budget gets a clear 4xx naming the problem, and nothing is recorded', async () => {
      const me = await member('bm-m1');
      const before = await head();
      const body = (content: object, proposalId = 'bud-bad') => ({ proposalId, kind: 'budget', year: 2014, title: 'Budsjett', content, tabledOn: '2014-01-20' });
      const cases: [string, object, number, string | RegExp][] = [
        ['a float where a decimal string is expected', { lines: [{ partyId: 'os-fk', moneyKind: 'operating-grant', amount: 690400 }] }, 400, /^(VALIDATION\.FAILED|MONEY\.NOT_A_DECIMAL_STRING)$/],
        ['a fraction of an øre', { lines: [{ partyId: 'os-fk', moneyKind: 'operating-grant', amount: '1.005' }] }, 400, 'MONEY.FRACTIONAL_ORE'],
        ['a negative amount', { lines: [{ partyId: 'os-fk', moneyKind: 'operating-grant', amount: '-5.00' }] }, 400, 'MONEY.NEGATIVE'],
        ['no lines', { lines: [] }, 400, 'PROPOSAL.BUDGET_WITHOUT_LINES'],
        ['goals in a budget', { lines: LINES, goals: ['g'] }, 400, 'PROPOSAL.CONTENT_NOT_FOR_KIND'],
        ['an unknown kind of money', { lines: [{ partyId: 'os-fk', moneyKind: 'gave', amount: '5.00' }] }, 400, 'PROPOSAL.UNKNOWN_MONEY_KIND'],
        ['a party never registered', { lines: [{ partyId: 'nav-ostfoldd', moneyKind: 'operating-grant', amount: '5.00' }] }, 404, 'PARTY.NOT_FOUND'],
      ];
      for (const [what, content, status, code] of cases) {
        const res = await send(me, `/boards/${B}/proposals`, body(content));
        expect([what, res.status]).toEqual([what, status]);
        expect([what, res.body.code]).toEqual([what, typeof code === 'string' ? code : expect.stringMatching(code)]);
        plain(res);
      }
      // The same id as the tabled budget: 409, naming the proposal.
      const dup = await send(me, `/boards/${B}/proposals`, body({ lines: LINES }, 'bud-2014'));
      expect(refusal(dup)).toEqual([409, 'BOARD.PROPOSAL_EXISTS']);
      expect(plain(dup)).toContain('bud-2014');
      expect(await head()).toBe(before);
    });

    it('voting and adopting: 2 for, 1 against, 1 abstaining of the seats held that day is quorum and a majority for; the chair declares it adopted', async () => {
      for (const [who, v] of VOTES) {
        const res = await vote(B, 'bud-2014', who, v, ON);
        expect([who, res.status]).toEqual([who, 201]);
        voted[who] = res.body;
      }
      const seats = seatsOn(MAIN, ON);
      const count = (v: string) => VOTES.filter(([, x]) => x === v).length;
      const tally = { for: count('for'), against: count('against'), abstain: count('abstain'), takingPart: VOTES.length, seats, quorumRequired: moreThanHalf(seats) };
      expect(tally).toEqual({ for: 2, against: 1, abstain: 1, takingPart: 4, seats: 4, quorumRequired: 3 });
      const res = await close(B, 'bud-2014', 'bm-chair', { closedOn: ON, outcome: 'adopted' });
      expect(res.status).toBe(200);
      closed = res.body;
      const p = await readAs(await member('bm-staff'), `/boards/${B}/proposals/bud-2014`);
      expect(p.decision).toMatchObject({ outcome: 'adopted', reason: 'MAJORITY_FOR', quorumMet: true, tally, closedBy: 'bm-chair', closedOn: ON });
      expect(p.decision.event.eventId).toBe(closed.eventIds[0]);
      // Each vote stands as cast, with the event its answer named.
      expect(p.votes.map((v: any) => [v.personId, v.vote, v.standingInFor, v.castOn, v.event.eventId])).toEqual(VOTES.map(([who, v]) => [who, v, null, ON, voted[who].eventIds[0]]));
      expect((await read(`/boards/${B}`)).agenda).not.toContain('bud-2014');
    });

    it('afterwards: the centre\'s current budget from the decision\'s day (not the day before), NAV\'s formal input with the decision as evidence, and budget against actual by line', async () => {
      const before = await read(`/centres/${C}/governance?date=${addDays(ON, -1)}`);
      expect(before.currentBudget).toBeNull();
      const profile = await read(`/centres/${C}/governance?date=${ON}`);
      expect(profile.currentBudget).toMatchObject({ governedBy: 'board', boardId: B, decisionId: 'bud-2014', kind: 'budget', year: 2014, decidedOn: ON, reason: 'MAJORITY_FOR' });
      expect(profile.currentBudget.event.eventId).toBe(closed.eventIds[0]);
      // A NAV budget line adopted is formal input from NAV (README: NAV link, formal input).
      const link = await read(`/centres/${C}/nav-link?date=${ON}`);
      expect(link.grounds.formalInput.holds).toBe(true);
      expect(link.grounds.formalInput.evidence.map((e: any) => [e.type, e.eventId, e.partyId])).toEqual([['ProposalClosed', closed.eventIds[0], 'nav-os']]);
      expect((await read(`/centres/${C}/nav-link?date=${addDays(ON, -1)}`)).grounds.formalInput.holds).toBe(false);

      // The money that came: the county 700 000.00, NAV 100 000.00.
      const actual: Record<string, string> = { 'os-fk': '700000.00', 'nav-os': '100000.00' };
      for (const [partyId, amount] of Object.entries(actual)) {
        await ok(fo, `/centres/${C}/funding/operating-grants`, { entryId: `bm-${partyId}-2014`, fiscalYear: 2014, partyId, amount, decidedOn: '2014-03-01', reference: null });
      }
      const mix = await read(`/centres/${C}/funding-mix/2014`);
      expect(mix.budget.decisionIds).toEqual([{ source: 'board', boardId: B, proposalId: 'bud-2014' }]);
      const want = LINES.map((l) => ({ partyId: l.partyId, moneyKind: l.moneyKind, budget: nokOf(ore(l.amount)), actual: nokOf(ore(actual[l.partyId])), difference: nokOf(ore(actual[l.partyId]) - ore(l.amount)) }));
      expect(want.map((w) => w.difference)).toEqual(['9600.00', '-25000.50']);
      expect(mix.budget.lines.map((l: any) => ({ partyId: l.partyId, moneyKind: l.moneyKind, budget: l.budget, actual: l.actual, difference: l.difference }))).toEqual(expect.arrayContaining(want));
    });

    it('a revised budget voted down (majority against) does not replace the adopted one: the profile and the funding mix still name bud-2014', async () => {
      await ok(await member('bm-dc'), `/boards/${B}/proposals`, { proposalId: 'bud-2014-rev', kind: 'budget', year: 2014, title: 'Revidert budsjett 2014', content: { lines: [{ partyId: 'os-fk', moneyKind: 'operating-grant', amount: '1.00' }] }, tabledOn: '2014-03-01' });
      const votes: [string, string][] = [['bm-chair', 'against'], ['bm-dc', 'for'], ['bm-m1', 'against']];
      for (const [who, v] of votes) expect((await vote(B, 'bud-2014-rev', who, v, '2014-03-05')).status).toBe(201);
      const before = await head();
      const adopt = await close(B, 'bud-2014-rev', 'bm-chair', { closedOn: '2014-03-05', outcome: 'adopted' });
      expect(refusal(adopt)).toEqual([422, 'BOARD.OUTCOME_MISMATCH']);
      expect(adopt.body.details).toMatchObject({ outcome: 'rejected', reason: 'MAJORITY_AGAINST' });
      expect(plain(adopt)).toContain('rejected');
      expect(await head()).toBe(before);
      expect((await close(B, 'bud-2014-rev', 'bm-chair', { closedOn: '2014-03-05' })).status).toBe(200);
      const seats = seatsOn(MAIN, '2014-03-05');
      expect((await read(`/boards/${B}/proposals/bud-2014-rev`)).decision).toMatchObject({ outcome: 'rejected', reason: 'MAJORITY_AGAINST', tally: { for: 1, against: 2, abstain: 0, takingPart: 3, seats, quorumRequired: moreThanHalf(seats) } });
      expect((await read(`/centres/${C}/governance?date=2014-12-31`)).currentBudget).toMatchObject({ decisionId: 'bud-2014' });
      expect((await read(`/centres/${C}/funding-mix/2014`)).budget.decisionIds).toEqual([{ source: 'board', boardId: B, proposalId: 'bud-2014' }]);
    });
  });

  it('an action plan adopted by vote becomes the centre\'s current action plan from its day, with the goals and target groups as tabled', async () => {
    const content = { goals: ['Gratis karriereveiledning for alle voksne over 19', 'Kompetanseheving for rådgivere i skole og NAV'], targetGroups: ['Voksne', 'Rådgivere'] };
    await ok(await member('bm-staff'), `/boards/${B}/proposals`, { proposalId: 'hp-2014', kind: 'action-plan', year: 2014, title: 'Handlingsplan 2014', content, tabledOn: '2014-04-01' });
    for (const who of ['bm-chair', 'bm-dc', 'bm-staff']) expect((await vote(B, 'hp-2014', who, 'for', '2014-04-10')).status).toBe(201);
    const res = await close(B, 'hp-2014', 'bm-chair', { closedOn: '2014-04-10', outcome: 'adopted' });
    expect(res.status).toBe(200);
    const seats = seatsOn(MAIN, '2014-04-10');
    expect((await read(`/boards/${B}/proposals/hp-2014`)).decision).toMatchObject({ outcome: 'adopted', reason: 'MAJORITY_FOR', tally: { for: 3, against: 0, takingPart: 3, seats, quorumRequired: moreThanHalf(seats) } });
    const p = await read(`/centres/${C}/governance?date=2014-04-10`);
    expect(p.current['action-plan']).toMatchObject({ decisionId: 'hp-2014', decidedOn: '2014-04-10', content: { goals: content.goals, targetGroups: content.targetGroups } });
    expect(p.current['action-plan'].event.eventId).toBe(res.body.eventIds[0]);
    expect((await read(`/centres/${C}/governance?date=2014-04-09`)).current['action-plan']).toBeUndefined();
  });

  // =====================================================================================================
  // Who may vote
  // =====================================================================================================

  it('a person on no board: 403 BOARD.NOT_A_MEMBER on voting, tabling and closing, in words naming them and the board; nothing recorded', async () => {
    await goals(B, 'who-1', 'bm-chair', '2014-02-01');
    const stranger = await member('kari.utenfor');
    const before = await head();
    const attempts: [string, object][] = [
      [`/boards/${B}/proposals/who-1/votes`, { vote: 'for', castOn: '2014-02-10' }],
      [`/boards/${B}/proposals`, { proposalId: 'stranger-p', kind: 'goals', year: 2014, title: 'Mitt forslag', content: { goals: ['g'] }, tabledOn: '2014-02-10' }],
      [`/boards/${B}/proposals/who-1/close`, { closedOn: '2014-02-10' }],
    ];
    for (const [url, body] of attempts) {
      const res = await send(stranger, url, body);
      expect([url, ...refusal(res)]).toEqual([url, 403, 'BOARD.NOT_A_MEMBER']);
      expect(res.body.details).toMatchObject({ personId: 'kari.utenfor' });
      const msg = plain(res);
      expect(msg).toContain('kari.utenfor');
      expect(msg).toContain(`Styret ${B}`);
    }
    expect(await head()).toBe(before);
    expect((await read(`/boards/${B}/proposals/who-1`)).votes).toEqual([]);
  });

  it('a member of another board (of the same county, or of Telemark) cannot vote, table or close on this one: 403 BOARD.NOT_A_MEMBER, nothing recorded', async () => {
    await goals(B, 'who-2', 'bm-chair', '2014-02-01');
    const before = await head();
    for (const outsider of ['other-chair', 'other-m', 'tel-chair']) {
      const a = await member(outsider);
      for (const [url, body] of [
        [`/boards/${B}/proposals/who-2/votes`, { vote: 'against', castOn: '2014-02-10' }],
        [`/boards/${B}/proposals`, { proposalId: `p-${outsider}`, kind: 'goals', year: 2014, title: 't', content: { goals: ['g'] }, tabledOn: '2014-02-10' }],
        [`/boards/${B}/proposals/who-2/close`, { closedOn: '2014-02-10', outcome: 'rejected' }],
      ] as [string, object][]) {
        expect([outsider, url, ...refusal(await send(a, url, body))]).toEqual([outsider, url, 403, 'BOARD.NOT_A_MEMBER']);
      }
    }
    expect(await head()).toBe(before);
    // Their own board takes their votes as usual.
    await goals('bm-other', 'own-1', 'other-chair', '2014-02-01');
    expect((await vote('bm-other', 'own-1', 'other-m', 'for', '2014-02-10')).status).toBe(201);
  });

  it('a member votes only as themselves: naming another member is 403 BOARD.VOTE_AS_OTHER (nothing recorded); naming themselves is their own vote', async () => {
    await goals(B, 'who-3', 'bm-chair', '2014-02-01');
    const before = await head();
    const res = await vote(B, 'who-3', 'bm-m1', 'for', '2014-02-10', { personId: 'bm-chair' });
    expect(refusal(res)).toEqual([403, 'BOARD.VOTE_AS_OTHER']);
    const msg = plain(res);
    expect(msg).toContain('bm-m1');
    expect(msg).toContain('bm-chair');
    expect(await head()).toBe(before);
    expect((await vote(B, 'who-3', 'bm-m1', 'against', '2014-02-10', { personId: 'bm-m1' })).status).toBe(201);
    expect((await read(`/boards/${B}/proposals/who-3`)).votes.map((v: any) => [v.personId, v.vote])).toEqual([['bm-m1', 'against']]);
  });

  it('a deputy member votes only standing in for a seat holder: without standingInFor 422 (saying what to add); standing in for the staff representative, the vote counts for that seat and the deputy holds none', async () => {
    await goals(B, 'dep-1', 'bm-chair', '2014-02-01');
    const before = await head();
    const bare = await vote(B, 'dep-1', 'bm-dep', 'for', '2014-02-10');
    expect(refusal(bare)).toEqual([422, 'BOARD.DEPUTY_NOT_STANDING_IN']);
    expect(plain(bare)).toContain('standingInFor');
    // A deputy cannot stand in for another person who holds no seat (the member who left in 2013).
    expect(refusal(await vote(B, 'dep-1', 'bm-dep', 'for', '2014-02-10', { standingInFor: 'bm-gone' }))).toEqual([422, 'BOARD.STANDING_IN_FOR_NON_MEMBER']);
    expect(await head()).toBe(before);
    expect((await vote(B, 'dep-1', 'bm-dep', 'for', '2014-02-10', { standingInFor: 'bm-staff' })).status).toBe(201);
    const taken = await vote(B, 'dep-1', 'bm-staff', 'against', '2014-02-10');
    expect(refusal(taken)).toEqual([409, 'BOARD.ALREADY_VOTED']);
    expect(plain(taken)).toContain('bm-staff');
    for (const [who, v] of [['bm-chair', 'for'], ['bm-m1', 'against']]) expect((await vote(B, 'dep-1', who, v, '2014-02-10')).status).toBe(201);
    expect((await close(B, 'dep-1', 'bm-chair', { closedOn: '2014-02-10' })).status).toBe(200);
    const seats = seatsOn(MAIN, '2014-02-10');
    const p = await read(`/boards/${B}/proposals/dep-1`);
    expect(p.votes.map((v: any) => [v.personId, v.standingInFor, v.vote])).toEqual([['bm-dep', 'bm-staff', 'for'], ['bm-chair', null, 'for'], ['bm-m1', null, 'against']]);
    expect(p.decision).toMatchObject({ outcome: 'adopted', reason: 'MAJORITY_FOR', tally: { for: 2, against: 1, abstain: 0, takingPart: 3, seats, quorumRequired: moreThanHalf(seats) } });
  });

  it('a member whose term ended (31 Dec 2013) cannot vote with their own token, neither dated inside the old term nor after it: 403 BOARD.FORMER_MEMBER saying when the term ended; an administrator enters the vote from the minutes', async () => {
    await goals(B, 'old-1', 'bm-chair', '2013-12-01');
    const before = await head();
    const inside = await vote(B, 'old-1', 'bm-gone', 'for', '2013-12-10');
    expect(refusal(inside)).toEqual([403, 'BOARD.FORMER_MEMBER']);
    expect(inside.body.details).toEqual({ personId: 'bm-gone', endedOn: '2013-12-31', today: today() });
    expect(plain(inside)).toMatch(/2013-12-31.*administrator/);
    const after = await vote(B, 'old-1', 'bm-gone', 'for', '2014-01-05');
    expect(refusal(after)).toEqual([403, 'BOARD.FORMER_MEMBER']);
    // The member asks "when did my term end?": the answer says so.
    expect(after.body.details).toMatchObject({ personId: 'bm-gone', endedOn: '2013-12-31' });
    expect(plain(after)).toContain('2013-12-31');
    expect(await head()).toBe(before);
    expect((await send(admin, `/boards/${B}/proposals/old-1/votes`, { personId: 'bm-gone', vote: 'for', castOn: '2013-12-10' })).status).toBe(201);
    expect((await read(`/boards/${B}/proposals/old-1`)).votes.map((v: any) => [v.personId, v.castOn])).toEqual([['bm-gone', '2013-12-10']]);
  });

  it('a member whose term has not begun (from 1 June 2014) is 403 BOARD.NOT_YET_MEMBER before it and votes from its first day, when the board has one seat more', async () => {
    await goals(B, 'late-1', 'bm-chair', '2014-05-20');
    const before = await head();
    const early = await vote(B, 'late-1', 'bm-late', 'for', '2014-05-31');
    expect(refusal(early)).toEqual([403, 'BOARD.NOT_YET_MEMBER']);
    expect(plain(early)).toContain('2014-05-31');
    expect(await head()).toBe(before);
    const votes: [string, string][] = [['bm-late', 'for'], ['bm-chair', 'for'], ['bm-m1', 'against']];
    for (const [who, v] of votes) expect((await vote(B, 'late-1', who, v, '2014-06-01')).status).toBe(201);
    expect((await close(B, 'late-1', 'bm-chair', { closedOn: '2014-06-01' })).status).toBe(200);
    const seats = seatsOn(MAIN, '2014-06-01');
    expect(seats).toBe(seatsOn(MAIN, '2014-05-31') + 1);
    expect((await read(`/boards/${B}/proposals/late-1`)).decision).toMatchObject({ outcome: 'adopted', tally: { for: 2, against: 1, takingPart: 3, seats, quorumRequired: moreThanHalf(seats) } });
  });

  it('a term ending today still votes today; one that ended yesterday does not (403 BOARD.FORMER_MEMBER, nothing recorded)', async () => {
    const d = today();
    const yesterday = addDays(d, -1);
    await board('bm-now', [['now-chair', 'os-fk', 'chair'], ['now-today', 'nav-os', 'member', { from: '2014-01-01', to: d }], ['now-yday', 'sarpsborg', 'member', { from: '2014-01-01', to: yesterday }]]);
    await goals('bm-now', 'now-1', 'now-chair', '2014-02-01');
    expect((await vote('bm-now', 'now-1', 'now-today', 'for', d)).status).toBe(201);
    const before = await head();
    const res = await vote('bm-now', 'now-1', 'now-yday', 'for', yesterday);
    expect(refusal(res)).toEqual([403, 'BOARD.FORMER_MEMBER']);
    expect(res.body.details).toEqual({ personId: 'now-yday', endedOn: yesterday, today: d });
    expect(await head()).toBe(before);
  });

  // =====================================================================================================
  // Dates
  // =====================================================================================================

  it('a vote dated after today (Norway) is 422 BOARD.VOTED_IN_FUTURE naming both days, nothing recorded; a vote with no date is cast today', async () => {
    await board('bm-date', [['dt-chair', 'os-fk', 'chair'], ['dt-m', 'nav-os', 'member']]);
    await goals('bm-date', 'dt-1', 'dt-chair', '2014-02-01');
    const d = today();
    const before = await head();
    const tomorrow = addDays(d, 1);
    const res = await vote('bm-date', 'dt-1', 'dt-m', 'for', tomorrow);
    expect(refusal(res)).toEqual([422, 'BOARD.VOTED_IN_FUTURE']);
    expect(res.body.details).toEqual({ castOn: tomorrow, today: d });
    const msg = plain(res);
    expect(msg).toContain(tomorrow);
    expect(msg).toContain(d);
    expect(await head()).toBe(before);
    const undated = await vote('bm-date', 'dt-1', 'dt-m', 'for');
    expect(undated.status).toBe(201);
    const after = today();
    const cast = (await read('/boards/bm-date/proposals/dt-1')).votes[0].castOn;
    expect([d, after]).toContain(cast);
  });

  it('a vote dated before the proposal was tabled is 422 BOARD.VOTE_BEFORE_TABLED naming both days; impossible dates, unknown choices and unknown fields are 400 naming the field; nothing recorded', async () => {
    await goals(B, 'dt-2', 'bm-chair', '2014-02-05');
    const before = await head();
    const early = await vote(B, 'dt-2', 'bm-m1', 'for', '2014-02-04');
    expect(refusal(early)).toEqual([422, 'BOARD.VOTE_BEFORE_TABLED']);
    expect(plain(early)).toMatch(/2014-02-04.*2014-02-05/);
    const bad: [object, number, string, string][] = [
      [{ vote: 'for', castOn: '2014-02-30' }, 400, 'DATE.INVALID', 'castOn'],
      [{ vote: 'for', castOn: '10.02.2014' }, 400, 'DATE.INVALID', 'castOn'],
      [{ vote: 'ja', castOn: '2014-02-10' }, 400, 'VALIDATION.FAILED', 'vote'],
      [{ vote: 'for', castOn: '2014-02-10', comment: 'Enig' }, 400, 'VALIDATION.UNKNOWN_FIELD', 'comment'],
      [{ castOn: '2014-02-10' }, 400, 'VALIDATION.FAILED', 'vote'],
    ];
    const me = await member('bm-m1');
    for (const [body, status, code, field] of bad) {
      const res = await send(me, `/boards/${B}/proposals/dt-2/votes`, body);
      expect([JSON.stringify(body), ...refusal(res)]).toEqual([JSON.stringify(body), status, code]);
      expect(plain(res)).toContain(field);
    }
    expect(await head()).toBe(before);
  });

  it('a board dissolved from 1 May takes a vote dated 30 April, not one dated 1 May (409 BOARD.DISSOLVED, "dissolved from 2014-05-01"), nothing recorded', async () => {
    await board('bm-diss', [['ds-chair', 'os-fk', 'chair'], ['ds-m', 'nav-os', 'member']]);
    await goals('bm-diss', 'ds-1', 'ds-chair', '2014-04-01');
    await ok(fo, '/boards/bm-diss/dissolve', { dissolvedOn: '2014-05-01', reason: 'Erstattet av nytt styre' });
    const before = await head();
    const res = await vote('bm-diss', 'ds-1', 'ds-m', 'for', '2014-05-01');
    expect(refusal(res)).toEqual([409, 'BOARD.DISSOLVED']);
    expect(plain(res)).toContain('dissolved from 2014-05-01');
    expect(await head()).toBe(before);
    expect((await vote('bm-diss', 'ds-1', 'ds-m', 'for', '2014-04-30')).status).toBe(201);
  });

  // =====================================================================================================
  // Closed decisions, double votes, closing
  // =====================================================================================================

  it('on a decision already closed a member is told 409 BOARD.PROPOSAL_CLOSED, a stranger only 403 (learning nothing); an unknown proposal is 404 to a member and 403 to a stranger; nothing recorded', async () => {
    await board('bm-cl', [['cl-chair', 'os-fk', 'chair'], ['cl-m', 'nav-os', 'member'], ['cl-m2', 'sarpsborg', 'member']]);
    await goals('bm-cl', 'cl-1', 'cl-chair', '2014-02-01');
    for (const who of ['cl-chair', 'cl-m']) expect((await vote('bm-cl', 'cl-1', who, 'for', '2014-02-10')).status).toBe(201);
    expect((await close('bm-cl', 'cl-1', 'cl-chair', { closedOn: '2014-02-10' })).status).toBe(200);
    const before = await head();
    const late = await vote('bm-cl', 'cl-1', 'cl-m2', 'against', '2014-02-10');
    expect(refusal(late)).toEqual([409, 'BOARD.PROPOSAL_CLOSED']);
    expect(plain(late)).toContain('already closed');
    expect(refusal(await vote('bm-cl', 'cl-1', 'other-m', 'against', '2014-02-10'))).toEqual([403, 'BOARD.NOT_A_MEMBER']);
    expect(refusal(await vote('bm-cl', 'no-such', 'cl-m2', 'for', '2014-02-10'))).toEqual([404, 'BOARD.PROPOSAL_NOT_FOUND']);
    expect(refusal(await vote('bm-cl', 'no-such', 'other-m', 'for', '2014-02-10'))).toEqual([403, 'BOARD.NOT_A_MEMBER']);
    const noBoard = await vote('bm-nowhere', 'cl-1', 'cl-m2', 'for', '2014-02-10');
    expect(refusal(noBoard)).toEqual([404, 'BOARD.NOT_FOUND']);
    expect(plain(noBoard)).toContain('bm-nowhere');
    const again = await close('bm-cl', 'cl-1', 'cl-chair', { closedOn: '2014-02-11', outcome: 'rejected' });
    expect(refusal(again)).toEqual([409, 'BOARD.PROPOSAL_CLOSED']);
    expect(await head()).toBe(before);
    const seats = 3;
    expect((await read('/boards/bm-cl/proposals/cl-1')).decision).toMatchObject({ outcome: 'adopted', closedOn: '2014-02-10', tally: { for: 2, takingPart: 2, seats, quorumRequired: moreThanHalf(seats) } });
  });

  it('a member votes once: changing one\'s mind is 409 BOARD.ALREADY_VOTED ("votes once"), and the first vote stands', async () => {
    await goals(B, 'twice', 'bm-chair', '2014-02-01');
    const first = await vote(B, 'twice', 'bm-m1', 'for', '2014-02-10');
    expect(first.status).toBe(201);
    const before = await head();
    for (const [v, on] of [['against', '2014-02-10'], ['for', '2014-02-11'], ['abstain', '2014-02-12']]) {
      const res = await vote(B, 'twice', 'bm-m1', v, on);
      expect([v, ...refusal(res)]).toEqual([v, 409, 'BOARD.ALREADY_VOTED']);
      expect(plain(res)).toContain('votes once');
    }
    expect(await head()).toBe(before);
    expect((await read(`/boards/${B}/proposals/twice`)).votes.map((v: any) => [v.personId, v.vote, v.castOn, v.event.eventId])).toEqual([['bm-m1', 'for', '2014-02-10', first.body.eventIds[0]]]);
  });

  it('only the chair closes (the deputy chair when the chair is away): a member is 403 BOARD.NOT_THE_CHAIR saying so, a deputy member standing in for the chair too; nothing recorded', async () => {
    await goals(B, 'who-closes', 'bm-chair', '2014-02-01');
    expect((await vote(B, 'who-closes', 'bm-dep', 'for', '2014-02-10', { standingInFor: 'bm-chair' })).status).toBe(201);
    for (const who of ['bm-m1', 'bm-staff']) expect((await vote(B, 'who-closes', who, 'for', '2014-02-10')).status).toBe(201);
    const before = await head();
    for (const who of ['bm-m1', 'bm-dep']) {
      const res = await close(B, 'who-closes', who, { closedOn: '2014-02-10' });
      expect([who, ...refusal(res)]).toEqual([who, 403, 'BOARD.NOT_THE_CHAIR']);
      expect(plain(res)).toContain('chair');
    }
    expect(await head()).toBe(before);
    // The chair did not vote in person: the deputy chair closes.
    expect((await close(B, 'who-closes', 'bm-dc', { closedOn: '2014-02-10' })).status).toBe(200);
    expect((await read(`/boards/${B}/proposals/who-closes`)).decision).toMatchObject({ outcome: 'adopted', closedBy: 'bm-dc', tally: { for: 3, takingPart: 3 } });
  });

  // =====================================================================================================
  // Idempotency-Key retries
  // =====================================================================================================

  it('a vote retried with its Idempotency-Key gets the first answer and records nothing, also after the proposal is closed; the same key with another choice is 409 IDEMPOTENCY_KEY_REUSED', async () => {
    await board('bm-idem', [['id-chair', 'os-fk', 'chair'], ['id-m', 'nav-os', 'member'], ['id-m2', 'sarpsborg', 'member']]);
    await goals('bm-idem', 'id-1', 'id-chair', '2014-02-01');
    const key = { 'Idempotency-Key': 'stemme-id-1' };
    const first = await vote('bm-idem', 'id-1', 'id-m', 'for', '2014-02-10', {}, key);
    expect(first.status).toBe(201);
    const before = await head();
    const retry = await vote('bm-idem', 'id-1', 'id-m', 'for', '2014-02-10', {}, key);
    expect([retry.status, retry.body]).toEqual([201, first.body]);
    expect(await head()).toBe(before);
    const other = await vote('bm-idem', 'id-1', 'id-m', 'against', '2014-02-10', {}, key);
    expect(refusal(other)).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
    plain(other);
    // The same key on another route (tabling) is the same mistake.
    const elsewhere = await send(await member('id-m'), '/boards/bm-idem/proposals', { proposalId: 'id-x', kind: 'goals', year: 2014, title: 't', content: { goals: ['g'] }, tabledOn: '2014-02-10' }, key);
    expect(refusal(elsewhere)).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await head()).toBe(before);

    expect((await vote('bm-idem', 'id-1', 'id-chair', 'for', '2014-02-10')).status).toBe(201);
    const closeKey = { 'Idempotency-Key': 'vedtak-id-1' };
    const closed = await close('bm-idem', 'id-1', 'id-chair', { closedOn: '2014-02-10', outcome: 'adopted' }, closeKey);
    expect(closed.status).toBe(200);
    const afterClose = await head();
    // Retries after the decision: the first answers, not "already closed".
    const lateRetry = await vote('bm-idem', 'id-1', 'id-m', 'for', '2014-02-10', {}, key);
    expect([lateRetry.status, lateRetry.body]).toEqual([201, first.body]);
    const closeRetry = await close('bm-idem', 'id-1', 'id-chair', { closedOn: '2014-02-10', outcome: 'adopted' }, closeKey);
    expect([closeRetry.status, closeRetry.body]).toEqual([200, closed.body]);
    expect(await head()).toBe(afterClose);
    expect((await read('/boards/bm-idem/proposals/id-1')).votes.map((v: any) => v.personId)).toEqual(['id-m', 'id-chair']);
  });

  it('keys are each sender\'s own: two members sending the same key each have their vote recorded; a member of another board sending it is 403 and is told nothing of the first vote', async () => {
    await goals('bm-idem', 'id-2', 'id-chair', '2014-02-01');
    const key = { 'Idempotency-Key': 'min-stemme' };
    const a = await vote('bm-idem', 'id-2', 'id-m', 'for', '2014-02-10', {}, key);
    const b = await vote('bm-idem', 'id-2', 'id-m2', 'for', '2014-02-10', {}, key);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.eventIds[0]).not.toBe(a.body.eventIds[0]);
    const before = await head();
    const outsider = await vote('bm-idem', 'id-2', 'other-m', 'for', '2014-02-10', {}, key);
    expect(refusal(outsider)).toEqual([403, 'BOARD.NOT_A_MEMBER']);
    expect(JSON.stringify(outsider.body)).not.toContain(a.body.eventIds[0]);
    expect(JSON.stringify(outsider.body)).not.toContain(b.body.eventIds[0]);
    expect(await head()).toBe(before);
    expect((await read('/boards/bm-idem/proposals/id-2')).votes.map((v: any) => [v.personId, v.event.eventId])).toEqual([['id-m', a.body.eventIds[0]], ['id-m2', b.body.eventIds[0]]]);
  });

  it('a member whose term the finance officer would end retroactively before their vote: refused (422 BOARD.TERM_ENDS_BEFORE_VOTE); ended on the day of the vote, the retried vote still gets its first answer, and a decision taken after the member left does not count it (no quorum)', async () => {
    const members: Member[] = [['rt-chair', 'os-fk', 'chair'], ['rt-m', 'nav-os', 'member'], ['rt-m2', 'sarpsborg', 'member']];
    await board('bm-retro', members);
    await goals('bm-retro', 'rt-1', 'rt-chair', '2014-02-01');
    const key = { 'Idempotency-Key': 'rt-stemme' };
    const first = await vote('bm-retro', 'rt-1', 'rt-m', 'for', '2014-02-10', {}, key);
    expect(first.status).toBe(201);
    expect((await vote('bm-retro', 'rt-1', 'rt-chair', 'for', '2014-02-10')).status).toBe(201);
    // The minutes seem to show rt-m left on 5 February: a vote cast on the 10th would then sit outside the term.
    const early = await send(fo, '/boards/bm-retro/members/rt-m/end', { endedOn: '2014-02-05', reason: 'Gikk ut av styret' });
    expect(refusal(early)).toEqual([422, 'BOARD.TERM_ENDS_BEFORE_VOTE']);
    expect(early.body.details).toMatchObject({ proposalId: 'rt-1', castOn: '2014-02-10', earliestEndedOn: '2014-02-10' });
    // rt-m left after the meeting of the 10th (a term includes its last day).
    expect((await send(fo, '/boards/bm-retro/members/rt-m/end', { endedOn: '2014-02-10', reason: 'Gikk ut av styret' })).status).toBe(200);
    const before = await head();
    const retry = await vote('bm-retro', 'rt-1', 'rt-m', 'for', '2014-02-10', {}, key);
    expect([retry.status, retry.body]).toEqual([201, first.body]);
    expect(await head()).toBe(before);
    // Decided on 11 February, when only rt-chair and rt-m2 hold a seat: only the chair's vote counts, 1 of 2, quorum 2.
    const ended: Member[] = members.map(([p, party, role]) => [p, party, role, p === 'rt-m' ? { from: '2012-01-01', to: '2014-02-10' } : undefined]);
    const seats = seatsOn(ended, '2014-02-11');
    const adopt = await close('bm-retro', 'rt-1', 'rt-chair', { closedOn: '2014-02-11', outcome: 'adopted' });
    expect(refusal(adopt)).toEqual([422, 'BOARD.NO_QUORUM']);
    expect(adopt.body.details.tally).toEqual({ for: 1, against: 0, abstain: 0, takingPart: 1, seats, quorumRequired: moreThanHalf(seats) });
    expect(plain(adopt)).toMatch(/1 of 2 seats/);
    expect(await head()).toBe(before);
  });

  it('who sits on the board on a day, as the centre\'s governance profile shows it: seat holders and deputies whose term covers that day, with the party they represent', async () => {
    const on = async (date: string) => (await readAs(await member('bm-m1'), `/centres/${C}/governance?date=${date}`)).board.members.map((m: any) => [m.personId, m.role, m.partyId]);
    for (const date of ['2013-12-31', '2014-01-01', '2014-05-31', '2014-06-01']) {
      const want = MAIN.filter(([, , , term]) => holds(term ?? { from: '2012-01-01' }, date)).map(([p, party, role]) => [p, role, party]);
      expect([date, await on(date)]).toEqual([date, want]);
    }
  });

  // =====================================================================================================
  // Finance officers: the own county's sets up, another county's cannot touch
  // =====================================================================================================

  it('setting up a board: a second chair in the same period (409 BOARD.ROLE_TAKEN naming the chair), the same person twice (409 BOARD.ALREADY_A_MEMBER), a term before the board (422), a member for no party (400); nothing recorded', async () => {
    const before = await head();
    const cases: [object, number, string, string][] = [
      [{ personId: 'new-chair', name: 'Ny leder', partyId: 'os-fk', role: 'chair', term: { from: '2014-01-01' } }, 409, 'BOARD.ROLE_TAKEN', 'bm-chair'],
      [{ personId: 'bm-m1', name: 'Person bm-m1', partyId: 'sarpsborg', role: 'member', term: { from: '2014-01-01' } }, 409, 'BOARD.ALREADY_A_MEMBER', 'bm-m1'],
      [{ personId: 'early', name: 'Tidlig', partyId: 'sarpsborg', role: 'member', term: { from: '2011-12-31' } }, 422, 'BOARD.DATE_BEFORE_ESTABLISHED', '2012-01-01'],
      [{ personId: 'noparty', name: 'Uten part', partyId: null, role: 'member', term: { from: '2014-01-01' } }, 400, 'BOARD.PARTY_REQUIRED', 'party'],
      [{ personId: 'backwards', name: 'Baklengs', partyId: 'sarpsborg', role: 'member', term: { from: '2014-06-01', to: '2014-05-31' } }, 422, 'BOARD.TERM_ENDS_BEFORE_START', '2014-05-31'],
    ];
    for (const [body, status, code, named] of cases) {
      const res = await send(fo, `/boards/${B}/members`, body);
      expect([code, res.status, res.body.code]).toEqual([code, status, code]);
      expect(plain(res)).toContain(named);
    }
    expect(await head()).toBe(before);
    // A staff representative is the one member who needs no party.
    expect((await send(fo, '/boards/bm-ag/members', { personId: 'ag-staff', name: 'Ansattrepresentant', partyId: null, role: 'staff-representative', term: { from: '2014-09-01' } })).status).toBe(201);
  });

  it('finance officers do not vote, table or close (403 ACCESS.ROLE_NOT_ALLOWED, own county or not), and another county\'s officer reads the board but cannot change it, even re-sending the Østfold officer\'s Idempotency-Key; nothing recorded', async () => {
    await goals(B, 'fo-1', 'bm-chair', '2014-02-01');
    const appoint = { personId: 'bm-new', name: 'Ny i styret', partyId: 'sarpsborg', role: 'member', term: { from: '2015-01-01' } };
    const first = await send(fo, `/boards/${B}/members`, appoint, { 'Idempotency-Key': 'oppnevning-bm-new' });
    expect(first.status).toBe(201);
    const before = await head();
    for (const [who, a] of [['ostfold', fo], ['telemark', foTel]] as [string, Auth][]) {
      for (const [url, body] of [
        [`/boards/${B}/proposals/fo-1/votes`, { vote: 'for', castOn: '2014-02-10', personId: 'bm-m1' }],
        [`/boards/${B}/proposals`, { proposalId: `fo-${who}`, kind: 'goals', year: 2014, title: 't', content: { goals: ['g'] }, tabledOn: '2014-02-10' }],
        [`/boards/${B}/proposals/fo-1/close`, { closedOn: '2014-02-10' }],
      ] as [string, object][]) {
        expect([who, url, ...refusal(await send(a, url, body))]).toEqual([who, url, 403, 'ACCESS.ROLE_NOT_ALLOWED']);
      }
    }
    const replay = await send(foTel, `/boards/${B}/members`, appoint, { 'Idempotency-Key': 'oppnevning-bm-new' });
    expect(refusal(replay)).toEqual([403, 'ACCESS.OTHER_COUNTY']);
    expect(JSON.stringify(replay.body)).not.toContain(first.body.eventIds[0]);
    for (const [url, body] of [
      [`/boards/${B}/members`, { personId: 'tel-plant', name: 'Innplantet', partyId: 'tel-fk', role: 'member', term: { from: '2014-01-01' } }],
      [`/boards/${B}/members/bm-chair/end`, { endedOn: '2014-01-31' }],
      [`/boards/${B}/dissolve`, { dissolvedOn: '2015-06-01' }],
    ] as [string, object][]) {
      const res = await send(foTel, url, body);
      expect([url, ...refusal(res)]).toEqual([url, 403, 'ACCESS.OTHER_COUNTY']);
      plain(res);
    }
    expect(await head()).toBe(before);
    // Reads never answer ACCESS.OTHER_COUNTY: Telemark's officer sees Østfold's register as it is.
    const reg = await readAs(foTel, `/boards/${B}`);
    expect(reg.members.map((m: any) => m.personId)).toEqual([...MAIN.map(([p]) => p), 'bm-new']);
    expect(reg.dissolvedOn).toBeNull();
  });

  it('a proposal tabled after today is 422 BOARD.TABLED_IN_FUTURE and a budget line naming another county\'s party is 422 PROPOSAL.PARTY_OF_OTHER_COUNTY; nothing recorded, and the board can still be dissolved', async () => {
    await ok(foTel, '/parties', { partyId: 'nav-tel', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark' });
    await board('bm-fut', [['fut-chair', 'os-fk', 'chair'], ['fut-m', 'sarpsborg', 'member']]);
    const before = await head();
    const future = addDays(today(), 1);
    const late = await send(await member('fut-m'), '/boards/bm-fut/proposals', { proposalId: 'fut-1', kind: 'goals', year: 2014, title: 'Mål', content: { goals: ['g'] }, tabledOn: future });
    expect(refusal(late)).toEqual([422, 'BOARD.TABLED_IN_FUTURE']);
    expect(plain(late)).toContain(future);
    expect(late.body.details).toEqual({ tabledOn: future, today: today() });
    const budget = (partyId: string) => ({ proposalId: `fut-b-${partyId}`, kind: 'budget', year: 2014, title: 'Budsjett', content: { lines: [{ partyId, moneyKind: 'in-kind', amount: '150000.00' }] }, tabledOn: '2014-02-01' });
    const other = await send(await member('fut-m'), '/boards/bm-fut/proposals', budget('nav-tel'));
    expect(refusal(other)).toEqual([422, 'PROPOSAL.PARTY_OF_OTHER_COUNTY']);
    expect(plain(other)).toContain('NAV Telemark');
    expect(other.body.details).toEqual({ partyId: 'nav-tel', partyCountyId: 'telemark', countyId: 'ostfold' });
    expect(await head()).toBe(before);
    // The own county's NAV office is a budget line like any other; the board is dissolved today, nothing ahead of it.
    expect((await send(await member('fut-m'), '/boards/bm-fut/proposals', budget('nav-os'))).status).toBe(201);
    expect((await send(fo, '/boards/bm-fut/dissolve', { dissolvedOn: today() })).status).toBe(200);
  });
});
