import { boardDetailReads } from '../../libs/projections/src/governance';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { governanceDetailOf, governanceViews } from '../../apps/api/src/governance/governance-views';
import { QueryGate } from '../../apps/api/src/ledger/query-gate';
import { startTestApp, TestApp } from '../helpers/test-app';
import { centre, get, partyOf, post } from './governance-helpers';

type Auth = { Authorization: string };

/*
 * A board's register, one proposal, a centre's profile and the county-line decisions are folded from their
 * own streams on demand (the live views keep only what the NAV link and the lists need). These answers
 * must still follow `asOf` exactly: only events recorded up to that instant count.
 */
describe('governance detail read from the streams follows asOf', () => {
  let t: TestApp;
  let fo: Auth;
  let foVa: Auth;
  let reader: Auth;
  let now = new Date('2020-01-01T00:00:00Z');
  const at = (iso: string) => (now = new Date(iso));
  const member = (personId: string) => t.auth('board-member', [], personId);
  let closedEventId = '';
  let firstVoteEventId = '';

  beforeAll(async () => {
    t = await startTestApp({ seed: true, store: new MemoryEventStore(() => now) });
    fo = await t.auth('finance-officer', ['ostfold']);
    foVa = await t.auth('finance-officer', ['vest-agder']);
    reader = await t.auth('auditor');
    at('2020-02-01T00:00:00Z');
    await centre(t, fo, 'ost-kc', 'ostfold', 'Karriere Østfold', 'Sarpsborg');
    await centre(t, foVa, 'va-krs', 'vest-agder', 'Karrieresenteret Kristiansand', 'Kristiansand');
    await partyOf(t, fo, 'ost-fk', 'Østfold fylkeskommune', 'county-authority', 'ostfold');
    await partyOf(t, fo, 'nav-ost', 'NAV Østfold', 'nav-county-office', 'ostfold');
    await partyOf(t, foVa, 'va-fk', 'Vest-Agder fylkeskommune', 'county-authority', 'vest-agder');
    await partyOf(t, foVa, 'nav-va', 'NAV Vest-Agder', 'nav-county-office', 'vest-agder');
    await post(t, fo, '/boards', { boardId: 'ost-board', countyId: 'ostfold', centreIds: ['ost-kc'], name: 'Styret', establishedOn: '2019-01-01' });
    await post(t, fo, '/boards/ost-board/members', { personId: 'anne', name: 'Anne', partyId: 'ost-fk', role: 'chair', term: { from: '2019-01-01' } });
    await post(t, fo, '/boards/ost-board/members', { personId: 'nils', name: 'Nils', partyId: 'nav-ost', role: 'member', term: { from: '2019-01-01' } });
    await post(t, await member('anne'), '/boards/ost-board/proposals', {
      proposalId: 'budget-2021',
      kind: 'budget',
      year: 2021,
      title: 'Budsjett 2021',
      content: { lines: [{ partyId: 'ost-fk', moneyKind: 'operating-grant', amount: '1000000' }, { partyId: 'nav-ost', moneyKind: 'operating-grant', amount: '500000' }], inputFromPartyIds: ['nav-ost'] },
      tabledOn: '2020-02-01',
    });
    await post(t, foVa, '/counties/vest-agder/county-line-decisions', {
      decisionId: 'va-budget-2021',
      centreIds: ['va-krs'],
      kind: 'budget',
      year: 2021,
      title: 'Budsjett 2021',
      content: { lines: [{ partyId: 'va-fk', moneyKind: 'operating-grant', amount: '2000000' }], inputFromPartyIds: ['nav-va'] },
      decidedOn: '2020-02-01',
    });
    at('2020-03-01T00:00:00Z');
    firstVoteEventId = (await post(t, await member('anne'), '/boards/ost-board/proposals/budget-2021/votes', { vote: 'for', castOn: '2020-03-01' })).eventIds[0];
    at('2020-04-01T00:00:00Z');
    await post(t, await member('nils'), '/boards/ost-board/proposals/budget-2021/votes', { vote: 'for', castOn: '2020-04-01' });
    closedEventId = (await post(t, await member('anne'), '/boards/ost-board/proposals/budget-2021/close', { closedOn: '2020-04-01', outcome: 'adopted' }, 200)).eventIds[0];
    at('2020-05-01T00:00:00Z');
    await post(t, await member('nils'), '/boards/ost-board/proposals', { proposalId: 'accounts-2020', kind: 'accounts', year: 2020, title: 'Regnskap 2020', content: {}, tabledOn: '2020-05-01' });
    await post(t, foVa, '/counties/vest-agder/county-line-decisions', {
      decisionId: 'va-goals-2021',
      centreIds: ['va-krs'],
      kind: 'goals',
      year: 2021,
      title: 'Mål 2021',
      content: { goals: ['Guidance for all adults'] },
      decidedOn: '2020-05-01',
    });
  });
  afterAll(async () => t?.close());

  it("a board's register now, and as recorded on 15 March 2020 (one vote, no decision, one proposal)", async () => {
    const live = await get(t, reader, '/boards/ost-board');
    expect(live.proposals.map((p: any) => p.proposalId)).toEqual(['budget-2021', 'accounts-2020']);
    expect(live.agenda).toEqual(['accounts-2020']);
    expect(live.proposals[0].decision).toMatchObject({ outcome: 'adopted', event: { eventId: closedEventId, type: 'ProposalClosed' } });
    expect(live.members.map((m: any) => [m.personId, m.partyName])).toEqual([['anne', 'Østfold fylkeskommune'], ['nils', 'NAV Østfold']]);

    const then = await get(t, reader, '/boards/ost-board?asOf=2020-03-15T00:00:00Z');
    expect(then.proposals.map((p: any) => p.proposalId)).toEqual(['budget-2021']);
    expect(then.proposals[0].votes).toEqual([{ personId: 'anne', vote: 'for', standingInFor: null, castOn: '2020-03-01', event: expect.objectContaining({ eventId: firstVoteEventId, type: 'VoteCast' }) }]);
    expect(then.proposals[0].decision).toBeNull();
    expect(then.agenda).toEqual(['budget-2021']);
    expect((await get(t, reader, '/boards/ost-board?year=2020&kind=accounts')).proposals.map((p: any) => p.proposalId)).toEqual(['accounts-2020']);
    expect((await get(t, reader, '/boards')).find((b: any) => b.boardId === 'ost-board')).toMatchObject({ members: 2, proposals: 2 });
    expect((await get(t, reader, '/boards?asOf=2020-03-15T00:00:00Z')).find((b: any) => b.boardId === 'ost-board')).toMatchObject({ members: 2, proposals: 1 });
  });

  it('one proposal as recorded then; a proposal tabled later is not found as of then', async () => {
    expect(await get(t, reader, '/boards/ost-board/proposals/budget-2021?asOf=2020-03-15T00:00:00Z')).toMatchObject({ boardId: 'ost-board', proposalId: 'budget-2021', votes: [{ personId: 'anne' }], decision: null });
    expect((await get(t, reader, '/boards/ost-board/proposals/budget-2021')).votes.map((v: any) => v.personId)).toEqual(['anne', 'nils']);
    const later = await get(t, reader, '/boards/ost-board/proposals/accounts-2020?asOf=2020-03-15T00:00:00Z', 404);
    expect(later.code).toBe('BOARD.PROPOSAL_NOT_FOUND');
    expect((await get(t, reader, '/boards/nowhere/proposals/x', 404)).code).toBe('BOARD.NOT_FOUND');
    expect((await get(t, reader, '/boards/ost-board?asOf=2020-01-15T00:00:00Z', 404)).code).toBe('BOARD.NOT_FOUND');
  });

  it("a centre's profile and NAV link: the adopted budget counts only once it is recorded", async () => {
    const live = await get(t, reader, '/centres/ost-kc/governance?date=2021-01-01');
    expect(live.currentBudget).toMatchObject({ decisionId: 'budget-2021', governedBy: 'board', tally: { for: 2 }, content: { inputFromPartyIds: ['nav-ost'] }, event: { eventId: closedEventId } });
    expect(live.board.members.map((m: any) => m.personId)).toEqual(['anne', 'nils']);
    const then = await get(t, reader, '/centres/ost-kc/governance?date=2021-01-01&asOf=2020-03-15T00:00:00Z');
    expect(then.currentBudget).toBeNull();
    expect(then.decisions).toEqual([]);
    expect(then.governedBy).toBe('board');

    const link = await get(t, reader, '/centres/ost-kc/nav-link?date=2021-01-01');
    expect(link.grounds.formalInput.evidence).toEqual([{ eventId: closedEventId, position: expect.any(Number), type: 'ProposalClosed', partyId: 'nav-ost', detail: 'gave formal input to the budget "Budsjett 2021" (2021)' }]);
    expect(link.grounds.board.evidence.map((e: any) => [e.type, e.partyId ?? null])).toEqual([['BoardEstablished', null], ['BoardMemberAppointed', 'nav-ost']]);
    expect((await get(t, reader, '/centres/ost-kc/nav-link?date=2021-01-01&asOf=2020-03-15T00:00:00Z')).grounds.formalInput.holds).toBe(false);
  });

  it('county-line decisions (and the profile of a centre governed along the county line) as recorded then', async () => {
    expect((await get(t, reader, '/counties/vest-agder/county-line-decisions')).map((d: any) => d.decisionId)).toEqual(['va-budget-2021', 'va-goals-2021']);
    expect((await get(t, reader, '/counties/vest-agder/county-line-decisions?asOf=2020-03-15T00:00:00Z')).map((d: any) => d.decisionId)).toEqual(['va-budget-2021']);
    expect(await get(t, reader, '/counties/vest-agder/county-line-decisions?asOf=2020-01-15T00:00:00Z')).toEqual([]);
    expect(await get(t, reader, '/counties/ostfold/county-line-decisions')).toEqual([]);
    const live = await get(t, reader, '/centres/va-krs/governance?date=2021-01-01');
    expect(live.governedBy).toBe('county-line');
    expect(Object.keys(live.current).sort()).toEqual(['budget', 'goals']);
    const then = await get(t, reader, '/centres/va-krs/governance?date=2021-01-01&asOf=2020-03-15T00:00:00Z');
    expect(Object.keys(then.current)).toEqual(['budget']);
    expect((await get(t, reader, '/centres/va-krs/nav-link?date=2021-01-01')).grounds.formalInput.evidence).toEqual([
      expect.objectContaining({ type: 'CountyLineDecisionRecorded', partyId: 'nav-va', detail: 'gave formal input to the budget "Budsjett 2021" (2021)' }),
    ]);
  });

  it('without asOf, the views and the detail read from the streams describe one position: a write landing in between is left out of both', async () => {
    const gate = t.app.get(QueryGate);
    const v = await governanceViews(gate, { headers: {}, query: {} });
    expect(v.position).toBe(gate.engine.position);
    // Every view was read at that one position (the same objects the engine serves there).
    expect(v.boards).toBe(gate.engine.view('board-register'));
    expect(v.directory).toBe(gate.engine.view('centre-directory'));
    const before = (await governanceDetailOf(t.store, boardDetailReads('ost-board'), v.position)).boards;
    // A vote lands after the views were read (as a concurrent write would, while the stream is read).
    at('2020-06-01T00:00:00Z');
    const late = (await post(t, await member('anne'), '/boards/ost-board/proposals/accounts-2020/votes', { vote: 'for', castOn: '2020-06-01' })).eventIds[0];
    await gate.ready();
    expect(gate.engine.position).toBeGreaterThan(v.position);
    const asRead = await governanceDetailOf(t.store, boardDetailReads('ost-board'), v.position);
    expect(asRead.boards).toEqual(before);
    expect(JSON.stringify(asRead)).not.toContain(late);
    // At the newer position the vote is there: the filter, not the stream, left it out.
    expect(JSON.stringify(await governanceDetailOf(t.store, boardDetailReads('ost-board'), gate.engine.position))).toContain(late);
  });

  it('with asOf, every governance view is read at the position asOf names', async () => {
    const gate = t.app.get(QueryGate);
    const v = await governanceViews(gate, { headers: {}, query: { asOf: '2020-03-15T00:00:00Z' } });
    expect(v.position).toBe(await gate.engine.positionAt('2020-03-15T00:00:00.000Z'));
    expect(v.boards).toEqual(await gate.engine.viewAt('board-register', v.position));
    expect(v.parties).toEqual(await gate.engine.viewAt('party-directory', v.position));
  });

  it('an answer whose stream read is held while a write is folded is the answer at the position it started at, at the head and as of the head\'s instant (the live views changed in place meanwhile)', async () => {
    const gate = t.app.get(QueryGate);
    let renames = 0;
    for (const [path, withAsOf] of [['/boards/ost-board', false], ['/boards/ost-board', true], ['/centres/ost-kc/governance?date=2020-06-01', false], ['/centres/ost-kc/governance?date=2020-06-01', true]] as const) {
      const [last] = await t.store.readAll({ after: (await t.store.headPosition()) - 1, maxCount: 1 });
      const url = withAsOf ? `${path}${path.includes('?') ? '&' : '?'}asOf=${encodeURIComponent(last.recordedAt)}` : path;
      const before = await get(t, reader, url);
      expect(JSON.stringify(before)).toContain('Nils');
      let release!: () => void;
      const gate2 = new Promise<void>((r) => (release = r));
      let held = false;
      const readStream = t.store.readStream.bind(t.store);
      const spy = jest.spyOn(t.store, 'readStream').mockImplementation(async (streamId, options) => {
        if (!held && streamId.includes('ost-board')) {
          held = true;
          await gate2;
        }
        return readStream(streamId, options);
      });
      try {
        // A cache buster: the board's register is a cached answer, and this one must be computed.
        const pending = t.http().get(`${url}&_=${renames}`.replace(/^([^?&]*)&/, '$1?')).set(reader).then((r) => r);
        for (let i = 0; i < 200 && !held; i++) await new Promise((r) => setTimeout(r, 5));
        expect([url, held]).toEqual([url, true]);
        // Recorded while the answer's stream read waits: the party Nils represents renamed from before his term.
        const name = `NAV Østfold ${++renames}`;
        at(`2020-07-0${renames}T00:00:00Z`);
        await post(t, fo, '/parties/nav-ost/rename', { name, effectiveFrom: '2015-01-01' }, 200);
        await gate.ready();
        expect(JSON.stringify(gate.engine.view('party-directory'))).toContain(name);
        release();
        const during = await pending;
        expect([url, during.status]).toEqual([url, 200]);
        // As of the instant: the answer given before the write. At the head: the answer at one position, here the
        // new head's (built again from the live views once they moved), as asked now.
        const now = await get(t, reader, url);
        expect([url, JSON.stringify(now).includes(name)]).toEqual([url, !withAsOf]);
        expect([url, during.body]).toEqual([url, withAsOf ? before : now]);
      } finally {
        release();
        spy.mockRestore();
      }
    }
  });
});
