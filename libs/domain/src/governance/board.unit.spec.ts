import { CentreState } from '../counties';
import { deciderSpec, testContext } from '../shared/decider-spec';
import { BoardCommand, boardDecider, BoardEvent, BoardRules, BoardState, DEFAULT_RULES, MemberTerm, requireSomeTerm } from './board';
import { closedCentre, openCentre, parties, party } from './test-fixtures';

const spec = deciderSpec(boardDecider);
const centres = { 'ostfold-kc': openCentre('ostfold-kc', 'ostfold'), 'troms-kc': openCentre('troms-kc', 'troms') };
const known = parties(party('ostfold-fk', 'county-authority', 'ostfold'), party('nav-ostfold', 'nav-county-office', 'ostfold'), party('sarpsborg', 'municipality', 'ostfold'), party('udf', 'union'));

const established = (rules: BoardRules = DEFAULT_RULES): BoardEvent => ({
  type: 'BoardEstablished',
  data: { boardId: 'ob', countyId: 'ostfold', centreIds: ['ostfold-kc'], name: 'Østfold board', bodyKind: 'board', establishedOn: '2012-01-01', rules },
});
const member = (personId: string, role: MemberTerm['role'], partyId: string | null, term = { from: '2012-01-01', to: null as string | null }): BoardEvent => ({
  type: 'BoardMemberAppointed',
  data: { boardId: 'ob', countyId: 'ostfold', personId, name: personId, partyId, role, term },
});
// Chair (county), deputy chair (NAV), three members, a deputy member: five seats.
const board = (rules?: BoardRules): BoardEvent[] => [
  established(rules),
  member('chair', 'chair', 'ostfold-fk'),
  member('vice', 'deputy-chair', 'nav-ostfold'),
  member('sarp', 'member', 'sarpsborg'),
  member('union', 'member', 'udf'),
  member('staff', 'staff-representative', null),
  member('dep', 'deputy-member', 'ostfold-fk'),
];
const tabled: BoardEvent = {
  type: 'ProposalTabled',
  data: { boardId: 'ob', countyId: 'ostfold', proposalId: 'sp', centreIds: ['ostfold-kc'], kind: 'strategic-plan', year: 2014, title: 'Strategic plan', content: { goals: ['g'], targetGroups: ['adults'], inputFromPartyIds: ['nav-ostfold'], summary: null }, tabledBy: 'chair', tabledOn: '2014-02-01' },
};
const voted = (personId: string, vote: 'for' | 'against' | 'abstain', standingInFor: string | null = null, castOn = '2014-02-10'): BoardEvent => ({
  type: 'VoteCast',
  data: { boardId: 'ob', countyId: 'ostfold', proposalId: 'sp', personId, vote, standingInFor, castOn },
});
const vote = (personId: string, v: 'for' | 'against' | 'abstain', standingInFor: string | null = null, castOn = '2014-02-10', c: Record<string, CentreState> = centres): BoardCommand => ({
  type: 'CastVote',
  data: { boardId: 'ob', proposalId: 'sp', personId, vote: v, standingInFor, castOn },
  issuer: { personId, isAdmin: false },
  centres: c,
});
const close = (by = 'chair', expectedOutcome: 'adopted' | 'rejected' | null = null, c: Record<string, CentreState> = centres, closedOn = '2014-02-10'): BoardCommand => ({
  type: 'CloseProposal',
  data: { boardId: 'ob', proposalId: 'sp', closedOn, expectedOutcome },
  issuer: { personId: by, isAdmin: false },
  centres: c,
});
const closed = (events: BoardEvent[], by = 'chair', closedOn = '2014-02-10') =>
  spec.given(events).when(close(by, null, centres, closedOn)).events()[0].data as Extract<BoardEvent, { type: 'ProposalClosed' }>['data'];
const ended = (personId: string, endedOn: string): BoardEvent => ({ type: 'BoardMemberEnded', data: { boardId: 'ob', countyId: 'ostfold', personId, endedOn, reason: null } });
const dissolve = (dissolvedOn: string): BoardCommand => ({ type: 'DissolveBoard', data: { boardId: 'ob', dissolvedOn, reason: null, replacedByBoardId: null }, replacement: null });

describe('boards: establishing and members', () => {
  it('establishes a board with default rules for a centre of its county', () => {
    const cmd: BoardCommand = { type: 'EstablishBoard', data: { boardId: 'ob', countyId: 'ostfold', centreIds: ['ostfold-kc'], name: 'Østfold board', bodyKind: 'board', establishedOn: '2012-01-01', rules: DEFAULT_RULES }, countyRegistered: true, centres };
    spec.given([]).when(cmd).then([established()]);
    spec.given([]).when({ ...cmd, data: { ...cmd.data, centreIds: ['troms-kc'] } }).thenThrows('BOARD.CENTRE_OF_OTHER_COUNTY', 'rule');
    // Closed from the day it would be established: refused; a closure recorded for a later date leaves it open then.
    spec.given([]).when({ ...cmd, centres: { 'ostfold-kc': closedCentre('ostfold-kc', 'ostfold', '2012-01-01') } }).thenThrows('CENTRE.CLOSED');
    spec.given([]).when({ ...cmd, centres: { 'ostfold-kc': closedCentre('ostfold-kc', 'ostfold', '2012-01-02') } }).then([established()]);
  });

  it('appoints members representing non-owners; refuses a second chair and a double appointment', () => {
    const appoint = (personId: string, role: MemberTerm['role'], partyId: string | null): BoardCommand => ({ type: 'AppointBoardMember', data: { boardId: 'ob', personId, name: personId, partyId, role, term: { from: '2012-01-01', to: null } }, parties: known });
    spec.given([established()]).when(appoint('union', 'member', 'udf')).then([member('union', 'member', 'udf')]);
    spec.given(board()).when(appoint('other', 'chair', 'sarpsborg')).thenThrows('BOARD.ROLE_TAKEN', 'conflict');
    spec.given(board()).when(appoint('sarp', 'member', 'sarpsborg')).thenThrows('BOARD.ALREADY_A_MEMBER', 'conflict');
    spec.given([established()]).when(appoint('x', 'member', null)).thenThrows('BOARD.PARTY_REQUIRED', 'invalid');
    spec.given([established()]).when(appoint('x', 'member', 'ghost')).thenThrows('PARTY.NOT_FOUND');
  });

  it('refuses a member representing another county\'s NAV office (BOARD.NAV_OF_OTHER_COUNTY: a board ground of the NAV link); another county\'s other parties and national ones may sit', () => {
    const withTroms = { ...known, ...parties(party('nav-troms', 'nav-county-office', 'troms'), party('tromso', 'municipality', 'troms')) };
    const appoint = (personId: string, partyId: string): BoardCommand => ({ type: 'AppointBoardMember', data: { boardId: 'ob', personId, name: personId, partyId, role: 'member', term: { from: '2012-01-01', to: null } }, parties: withTroms });
    const e = spec.given([established()]).when(appoint('nt', 'nav-troms')).thenThrows('BOARD.NAV_OF_OTHER_COUNTY', 'rule');
    expect(e.details).toEqual({ partyId: 'nav-troms', partyCountyId: 'troms', countyId: 'ostfold' });
    spec.given([established()]).when(appoint('tk', 'tromso')).then([member('tk', 'member', 'tromso')]);
    spec.given([established()]).when(appoint('no', 'nav-ostfold')).then([member('no', 'member', 'nav-ostfold')]);
  });

  it('refuses formal input from another county\'s party on any proposal (PROPOSAL.PARTY_OF_OTHER_COUNTY, field inputFromPartyIds)', () => {
    const withTroms = { ...known, ...parties(party('nav-troms', 'nav-county-office', 'troms')) };
    const proposal = (partyId: string): BoardCommand => ({
      type: 'TableProposal',
      data: { boardId: 'ob', proposalId: `in-${partyId}`, kind: 'goals', year: 2014, title: 'Goals', content: { goals: ['g'], inputFromPartyIds: [partyId] }, centreIds: null, tabledOn: '2014-02-01' },
      issuer: { personId: 'sarp', isAdmin: false },
      parties: withTroms,
      centres,
    });
    const e = spec.given(board()).when(proposal('nav-troms')).thenThrows('PROPOSAL.PARTY_OF_OTHER_COUNTY', 'rule');
    expect(e.details).toEqual({ partyId: 'nav-troms', partyCountyId: 'troms', countyId: 'ostfold', field: 'inputFromPartyIds' });
    expect(spec.given(board()).when(proposal('nav-ostfold')).events()).toMatchObject([{ type: 'ProposalTabled' }]);
  });
});

describe('boards: votes', () => {
  it('records a current member voting as themselves', () => {
    spec.given([...board(), tabled]).when(vote('sarp', 'for')).then([voted('sarp', 'for')]);
  });

  it('refuses a vote from a non-member (BOARD.NOT_A_MEMBER, 403)', () => {
    spec.given([...board(), tabled]).when(vote('troms-person', 'for')).thenThrows('BOARD.NOT_A_MEMBER', 'forbidden');
  });

  it('authorize refuses only a person who never had a term on the board (BOARD.NOT_A_MEMBER, 403)', () => {
    const members = (spec.given([...board(), ended('sarp', '2013-12-31')]).state() as Exclude<BoardState, { status: 'none' }>).members;
    expect(() => requireSomeTerm(members, 'sarp', 'Østfold board')).not.toThrow();
    expect(() => requireSomeTerm(members, 'troms-person', 'Østfold board')).toThrow(expect.objectContaining({ code: 'BOARD.NOT_A_MEMBER', kind: 'forbidden' }));
  });

  it('refuses a vote from a former member (BOARD.FORMER_MEMBER, 403)', () => {
    spec.given([...board(), ended('sarp', '2013-12-31'), tabled]).when(vote('sarp', 'for')).thenThrows('BOARD.FORMER_MEMBER', 'forbidden');
  });

  it('refuses a second vote (BOARD.ALREADY_VOTED)', () => {
    spec.given([...board(), tabled, voted('sarp', 'for')]).when(vote('sarp', 'against')).thenThrows('BOARD.ALREADY_VOTED', 'conflict');
  });

  it('refuses a deputy voting without standing in for anyone (BOARD.DEPUTY_NOT_STANDING_IN)', () => {
    spec.given([...board(), tabled]).when(vote('dep', 'for')).thenThrows('BOARD.DEPUTY_NOT_STANDING_IN', 'rule');
  });

  it('lets a deputy stand in for a named member, whose seat then has voted', () => {
    spec.given([...board(), tabled]).when(vote('dep', 'for', 'union')).then([voted('dep', 'for', 'union')]);
    spec.given([...board(), tabled, voted('dep', 'for', 'union')]).when(vote('union', 'against')).thenThrows('BOARD.ALREADY_VOTED');
    spec.given([...board(), tabled]).when(vote('dep', 'for', 'nobody')).thenThrows('BOARD.STANDING_IN_FOR_NON_MEMBER');
    spec.given([...board(), tabled]).when(vote('sarp', 'for', 'union')).thenThrows('BOARD.NOT_A_DEPUTY');
  });

  it('refuses votes on unknown or closed proposals', () => {
    spec.given(board()).when(vote('sarp', 'for')).thenThrows('BOARD.PROPOSAL_NOT_FOUND', 'not-found');
    const done = spec.given([...board(), tabled, voted('chair', 'for'), voted('sarp', 'for'), voted('union', 'for')]).when(close()).events();
    spec.given([...board(), tabled, voted('chair', 'for'), voted('sarp', 'for'), voted('union', 'for'), ...done]).when(vote('vice', 'for')).thenThrows('BOARD.PROPOSAL_CLOSED', 'conflict');
  });

  it('refuses a vote on a proposal for a closed centre (CENTRE.CLOSED), as a close is refused', () => {
    const closedKc = { ...centres, 'ostfold-kc': closedCentre('ostfold-kc', 'ostfold', '2014-02-10') };
    const err = spec.given([...board(), tabled]).when(vote('sarp', 'for', null, '2014-02-10', closedKc)).thenThrows('CENTRE.CLOSED', 'rule');
    expect(err.message).toBe('Career centre ostfold-kc is closed from 2014-02-10; a vote by sarp on proposal sp of board ob dated 2014-02-10 falls after that.');
    // the day before the closing date the centre is open: the vote is recorded
    expect(spec.given([...board(), tabled]).when(vote('sarp', 'for', null, '2014-02-10', { ...centres, 'ostfold-kc': closedCentre('ostfold-kc', 'ostfold', '2014-02-11') })).events()).toHaveLength(1);
    spec.given([...board(), tabled]).when(vote('sarp', 'for', null, '2014-02-10', {})).thenThrows('CENTRE.NOT_FOUND');
  });
});

describe('boards: closing', () => {
  it('adopts by majority with quorum (3 of 5 seats take part)', () => {
    const d = closed([...board(), tabled, voted('chair', 'for'), voted('sarp', 'for'), voted('union', 'against')]);
    expect(d).toMatchObject({ outcome: 'adopted', reason: 'MAJORITY_FOR', quorumMet: true, tally: { for: 2, against: 1, abstain: 0, takingPart: 3, seats: 5, quorumRequired: 3 }, governedBy: 'board', kind: 'strategic-plan', year: 2014 });
    expect(d.content.inputFromPartyIds).toEqual(['nav-ostfold']);
  });

  it('records a close without quorum as rejected with NO_QUORUM', () => {
    const d = closed([...board(), tabled, voted('chair', 'for'), voted('sarp', 'for')]);
    expect(d).toMatchObject({ outcome: 'rejected', reason: 'NO_QUORUM', quorumMet: false, tally: { takingPart: 2, seats: 5, quorumRequired: 3 } });
  });

  it('refuses to adopt without quorum (BOARD.NO_QUORUM) and records nothing', () => {
    spec.given([...board(), tabled, voted('chair', 'for'), voted('sarp', 'for')]).when(close('chair', 'adopted')).thenThrows('BOARD.NO_QUORUM', 'rule');
  });

  it("breaks a tie with the chair's vote", () => {
    const four = [voted('chair', 'for'), voted('sarp', 'for'), voted('union', 'against'), voted('staff', 'against')];
    expect(closed([...board(), tabled, ...four])).toMatchObject({ outcome: 'adopted', reason: 'TIE_BROKEN_BY_CHAIR', tally: { for: 2, against: 2 } });
    const against = [voted('chair', 'against'), voted('sarp', 'for'), voted('union', 'against'), voted('staff', 'for')];
    expect(closed([...board(), tabled, ...against])).toMatchObject({ outcome: 'rejected', reason: 'TIE_BROKEN_BY_CHAIR' });
  });

  it('a deputy member standing in for the absent deputy chair does not break a tie: TIE_NOT_BROKEN', () => {
    // chair and deputy chair away; dep takes the deputy chair's seat
    const votes = [voted('dep', 'for', 'vice'), voted('sarp', 'against'), voted('union', 'abstain')];
    expect(closed([...board(), tabled, ...votes], 'vice')).toMatchObject({ outcome: 'rejected', reason: 'TIE_NOT_BROKEN', tally: { for: 1, against: 1, abstain: 1, takingPart: 3 } });
    // the deputy chair voting in person, with the chair away, does break it
    const inPerson = [voted('vice', 'for'), voted('sarp', 'against'), voted('union', 'abstain')];
    expect(closed([...board(), tabled, ...inPerson], 'vice')).toMatchObject({ outcome: 'adopted', reason: 'TIE_BROKEN_BY_CHAIR' });
  });

  it('refuses a close dated before votes already cast (BOARD.CLOSE_BEFORE_VOTES) and records nothing', () => {
    const votes = [voted('chair', 'for', null, '2014-02-05'), voted('sarp', 'for', null, '2014-02-12'), voted('union', 'for', null, '2014-02-08')];
    const err = spec.given([...board(), tabled, ...votes]).when(close('chair', 'adopted', centres, '2014-02-10')).thenThrows('BOARD.CLOSE_BEFORE_VOTES', 'rule');
    expect(err.message).toContain('latest vote on 2014-02-12');
    expect(closed([...board(), tabled, ...votes], 'chair', '2014-02-12')).toMatchObject({ outcome: 'adopted', tally: { takingPart: 3 } });
  });

  it('a term ended retroactively before its vote: the vote no longer counts towards quorum or the tally', () => {
    const votes = [voted('chair', 'for'), voted('sarp', 'for'), voted('union', 'for')];
    // the minutes show sarp left on 5 February, before voting on the 10th
    const d = closed([...board(), tabled, ...votes, ended('sarp', '2014-02-05')]);
    expect(d).toMatchObject({ outcome: 'rejected', reason: 'NO_QUORUM', quorumMet: false, tally: { for: 2, takingPart: 2, seats: 4, quorumRequired: 3 } });
    spec.given([...board(), tabled, ...votes, ended('sarp', '2014-02-05')]).when(close('chair', 'adopted')).thenThrows('BOARD.NO_QUORUM', 'rule');
    // a deputy who stood in for a member whose term had (retroactively) ended before the vote: not counted either
    const standIn = [voted('chair', 'for'), voted('union', 'for'), voted('dep', 'for', 'sarp')];
    expect(closed([...board(), tabled, ...standIn, ended('sarp', '2014-02-05')])).toMatchObject({ reason: 'NO_QUORUM', tally: { for: 2, takingPart: 2 } });
  });

  it('votes of members who left before the close do not count: only seats held on the closing day', () => {
    const votes = [voted('chair', 'for'), voted('sarp', 'for'), voted('union', 'for')];
    const d = closed([...board(), tabled, ...votes, ended('sarp', '2014-02-11'), ended('union', '2014-02-11')], 'chair', '2014-02-20');
    expect(d).toMatchObject({ outcome: 'rejected', reason: 'NO_QUORUM', quorumMet: false, tally: { for: 1, takingPart: 1, seats: 3, quorumRequired: 2 } });
    expect(d.tally.takingPart).toBeLessThanOrEqual(d.tally.seats);
  });

  it("honours a board's own rules: ties rejected, fixed quorum", () => {
    const rules: BoardRules = { quorum: { kind: 'at-least', members: 2 }, tieBreak: 'rejected' };
    expect(closed([...board(rules), tabled, voted('chair', 'for'), voted('sarp', 'against')])).toMatchObject({ outcome: 'rejected', reason: 'TIE_REJECTED', quorumMet: true, tally: { quorumRequired: 2 } });
  });

  it('is closed by the chair, or the deputy chair only when the chair is away', () => {
    const votes = [voted('vice', 'for'), voted('sarp', 'for'), voted('union', 'for')];
    expect(closed([...board(), tabled, ...votes], 'vice')).toMatchObject({ outcome: 'adopted', closedBy: 'vice' });
    spec.given([...board(), tabled, voted('chair', 'for'), ...votes]).when(close('vice')).thenThrows('BOARD.CHAIR_PRESENT', 'forbidden');
    spec.given([...board(), tabled, ...votes]).when(close('sarp')).thenThrows('BOARD.NOT_THE_CHAIR', 'forbidden');
    spec.given([...board(), tabled, ...votes]).when(close('stranger')).thenThrows('BOARD.NOT_A_MEMBER', 'forbidden');
  });

  it('refuses a decision for a closed centre (CENTRE.CLOSED)', () => {
    const votes = [voted('chair', 'for'), voted('sarp', 'for'), voted('union', 'for')];
    spec.given([...board(), tabled, ...votes]).when(close('chair', null, { ...centres, 'ostfold-kc': closedCentre('ostfold-kc', 'ostfold', '2014-02-10') })).thenThrows('CENTRE.CLOSED', 'rule');
    expect(spec.given([...board(), tabled, ...votes]).when(close('chair', null, { ...centres, 'ostfold-kc': closedCentre('ostfold-kc', 'ostfold', '2014-02-11') })).events()).toHaveLength(1);
  });
});

describe('boards: dissolving', () => {
  const votes = [voted('chair', 'for', null, '2014-03-01'), voted('sarp', 'for', null, '2014-03-01'), voted('union', 'for', null, '2014-03-01')];
  const decided = () => {
    const given = [...board(), tabled, ...votes];
    return [...given, ...spec.given(given).when(close('chair', null, centres, '2014-03-05')).events()];
  };

  it('refuses a dissolution on or before the latest day the board acted (BOARD.DISSOLVED_BEFORE_ACTIVITY)', () => {
    const err = spec.given(decided()).when(dissolve('2013-01-01')).thenThrows('BOARD.DISSOLVED_BEFORE_ACTIVITY', 'rule');
    expect(err.message).toContain('2014-03-05');
    spec.given(decided()).when(dissolve('2014-03-05')).thenThrows('BOARD.DISSOLVED_BEFORE_ACTIVITY', 'rule');
    // an open proposal: its latest vote counts, then its tabling
    spec.given([...board(), tabled, ...votes]).when(dissolve('2014-03-01')).thenThrows('BOARD.DISSOLVED_BEFORE_ACTIVITY', 'rule');
    spec.given([...board(), tabled]).when(dissolve('2014-02-01')).thenThrows('BOARD.DISSOLVED_BEFORE_ACTIVITY', 'rule');
  });

  it('dissolves from the day after the board last acted, or any day after it was established when it never acted', () => {
    expect(spec.given(decided()).when(dissolve('2014-03-06')).events()).toMatchObject([{ type: 'BoardDissolved', data: { dissolvedOn: '2014-03-06' } }]);
    expect(spec.given(board()).when(dissolve('2012-06-01')).events()).toMatchObject([{ type: 'BoardDissolved', data: { dissolvedOn: '2012-06-01' } }]);
    spec.given(board()).when(dissolve('2011-12-31')).thenThrows('BOARD.DATE_BEFORE_ESTABLISHED', 'rule');
  });
});

describe('boards: the replacing board', () => {
  const boardOf = (boardId: string, countyId: string): BoardState => ({
    status: 'active', boardId, countyId, centreIds: [`${countyId}-kc`], name: `Board ${boardId}`, bodyKind: 'board', establishedOn: '2014-01-01', dissolvedOn: null, rules: DEFAULT_RULES, members: [], proposals: {},
  });
  const replacedBy = (replacedByBoardId: string, replacement: BoardState): BoardCommand => ({ type: 'DissolveBoard', data: { boardId: 'ob', dissolvedOn: '2014-01-01', reason: 'replaced', replacedByBoardId }, replacement });

  it('records a board of the same county as the replacement', () => {
    expect(spec.given(board()).when(replacedBy('new', boardOf('new', 'ostfold'))).events()).toMatchObject([{ type: 'BoardDissolved', data: { replacedByBoardId: 'new' } }]);
  });

  it('refuses a replacement that is not established (404 BOARD.NOT_FOUND), of another county, or the board itself (422); nothing decided', () => {
    const none = spec.given(board()).when(replacedBy('ghost', { status: 'none' })).thenThrows('BOARD.NOT_FOUND', 'not-found');
    expect(none.details).toEqual({ boardId: 'ghost' });
    const other = spec.given(board()).when(replacedBy('troms-board', boardOf('troms-board', 'troms'))).thenThrows('BOARD.REPLACEMENT_OF_OTHER_COUNTY', 'rule');
    expect(other.details).toEqual({ replacedByBoardId: 'troms-board', replacementCountyId: 'troms', countyId: 'ostfold' });
    const self = spec.given(board()).when(replacedBy('ob', spec.given(board()).state())).thenThrows('BOARD.REPLACED_BY_ITSELF', 'rule');
    expect(self.message).toContain('cannot be replaced by itself');
  });
});

describe('boards: members whose term has ended, acting with their own token', () => {
  // testContext's today is 2026-01-15; sarp's term ended on 2014-03-31, union's ends today.
  const history = [...board(), ended('sarp', '2014-03-31'), ended('union', '2026-01-15'), tabled];
  const admin = (c: BoardCommand): BoardCommand => ({ ...c, issuer: { personId: 'admin-1', isAdmin: true } }) as BoardCommand;

  it('refuses a vote, a tabling or a close dated inside the ended term (403 BOARD.FORMER_MEMBER, naming the end)', () => {
    const e = spec.given(history).when(vote('sarp', 'for')).thenThrows('BOARD.FORMER_MEMBER', 'forbidden');
    expect(e.message).toBe("sarp's term on Østfold board ended on 2014-03-31; an administrator records acts from it.");
    expect(e.details).toEqual({ personId: 'sarp', endedOn: '2014-03-31', today: '2026-01-15' });
    const table: BoardCommand = { type: 'TableProposal', data: { boardId: 'ob', proposalId: 'x', kind: 'goals', year: 2014, title: 'Goals', content: { goals: ['g'] }, centreIds: null, tabledOn: '2014-03-01' }, issuer: { personId: 'sarp', isAdmin: false }, parties: known, centres };
    spec.given(history).when(table).thenThrows('BOARD.FORMER_MEMBER', 'forbidden');
    const chairLeft = [...board(), ended('chair', '2014-03-31'), tabled, voted('sarp', 'for'), voted('union', 'for'), voted('vice', 'for')];
    spec.given(chairLeft).when(close('chair')).thenThrows('BOARD.FORMER_MEMBER', 'forbidden');
  });

  it('takes the same acts from a term that ends today, and from an admin recording them for the former member', () => {
    expect(spec.given(history).when(vote('union', 'for')).events()).toHaveLength(1);
    expect(spec.given(history).when(admin(vote('sarp', 'for'))).events()).toMatchObject([{ type: 'VoteCast', data: { personId: 'sarp' } }]);
    const chairLeft = [...board(), ended('chair', '2014-03-31'), tabled, voted('sarp', 'for'), voted('union', 'for'), voted('vice', 'for')];
    expect(spec.given(chairLeft).when(admin(close('chair'))).events()).toMatchObject([{ type: 'ProposalClosed', data: { outcome: 'adopted' } }]);
  });
});

describe('boards: acts dated before a recorded dissolution', () => {
  // Dissolved from 1 March 2014 (recorded in advance, or before the minutes of February were entered).
  const dissolved: BoardEvent = { type: 'BoardDissolved', data: { boardId: 'ob', countyId: 'ostfold', centreIds: ['ostfold-kc'], dissolvedOn: '2014-03-01', reason: null, replacedByBoardId: null } };
  const history = [...board(), tabled, dissolved];
  const table = (tabledOn: string): BoardCommand => ({
    type: 'TableProposal',
    data: { boardId: 'ob', proposalId: 'late', kind: 'goals', year: 2014, title: 'Goals', content: { goals: ['g'] }, centreIds: null, tabledOn },
    issuer: { personId: 'sarp', isAdmin: false },
    parties: known,
    centres,
  });
  const appoint = (from: string): BoardCommand => ({ type: 'AppointBoardMember', data: { boardId: 'ob', personId: 'new', name: 'new', partyId: 'sarpsborg', role: 'member', term: { from, to: null } }, parties: known });
  const endTerm = (endedOn: string): BoardCommand => ({ type: 'EndBoardMember', data: { boardId: 'ob', personId: 'union', endedOn, reason: null } });

  it('takes votes, a decision, a tabling, an appointment and a term ended, each dated before dissolvedOn, recorded after the dissolution', () => {
    const votes = [voted('chair', 'for', null, '2014-02-28'), voted('sarp', 'for', null, '2014-02-28'), voted('union', 'for', null, '2014-02-28')];
    spec.given(history).when(vote('chair', 'for', null, '2014-02-28')).then([votes[0]]);
    expect(spec.given([...history, ...votes]).when(close('chair', 'adopted', centres, '2014-02-28')).events()).toMatchObject([{ type: 'ProposalClosed', data: { outcome: 'adopted', closedOn: '2014-02-28' } }]);
    expect(spec.given(history).when(table('2014-02-28')).events()).toMatchObject([{ type: 'ProposalTabled', data: { proposalId: 'late', tabledOn: '2014-02-28' } }]);
    expect(spec.given(history).when(appoint('2014-02-28')).events()).toMatchObject([{ type: 'BoardMemberAppointed', data: { personId: 'new' } }]);
    expect(spec.given(history).when(endTerm('2014-02-28')).events()).toEqual([ended('union', '2014-02-28')]);
  });

  it('refuses every act dated on or after dissolvedOn (BOARD.DISSOLVED, "from" the date), and a second dissolution', () => {
    const votes = [voted('chair', 'for', null, '2014-02-28'), voted('sarp', 'for', null, '2014-02-28'), voted('union', 'for', null, '2014-02-28')];
    const e = spec.given(history).when(vote('chair', 'for', null, '2014-03-01')).thenThrows('BOARD.DISSOLVED', 'conflict');
    expect(e.message).toContain('dissolved from 2014-03-01');
    expect(e.details).toMatchObject({ dissolvedOn: '2014-03-01', date: '2014-03-01' });
    spec.given([...history, ...votes]).when(close('chair', 'adopted', centres, '2014-03-01')).thenThrows('BOARD.DISSOLVED', 'conflict');
    spec.given(history).when(table('2014-03-02')).thenThrows('BOARD.DISSOLVED', 'conflict');
    spec.given(history).when(appoint('2014-03-01')).thenThrows('BOARD.DISSOLVED', 'conflict');
    spec.given(history).when(endTerm('2014-03-01')).thenThrows('BOARD.DISSOLVED', 'conflict');
    spec.given(history).when(dissolve('2014-04-01')).thenThrows('BOARD.DISSOLVED', 'conflict');
    spec.given(history).when(dissolve('2014-03-01')).thenThrows('BOARD.DISSOLVED', 'conflict');
  });
});

describe('boards: votes dated after today', () => {
  it('refuses a vote dated after today in Norway (BOARD.VOTED_IN_FUTURE): no decision could follow it, being dated neither before it nor after today', () => {
    // 23:30 UTC on 15 January 2026 is already 16 January in Norway.
    const late = testContext({ now: '2026-01-15T23:30:00.000Z' });
    expect(spec.given([...board(), tabled]).when(vote('sarp', 'for', null, '2026-01-16'), late).events()).toMatchObject([{ type: 'VoteCast', data: { castOn: '2026-01-16' } }]);
    const e = spec.given([...board(), tabled]).when(vote('sarp', 'for', null, '2026-01-17'), late).thenThrows('BOARD.VOTED_IN_FUTURE', 'rule');
    expect(e.details).toEqual({ castOn: '2026-01-17', today: '2026-01-16' });
    expect(e.message).toContain('A vote is recorded once cast');
    spec.given([...board(), tabled]).when(vote('sarp', 'for', null, '2026-01-16'), testContext()).thenThrows('BOARD.VOTED_IN_FUTURE', 'rule');
  });
});

describe('boards: tabling', () => {
  const table = (by: string, over: Partial<Extract<BoardCommand, { type: 'TableProposal' }>['data']> = {}): BoardCommand => ({
    type: 'TableProposal',
    data: { boardId: 'ob', proposalId: 'b14', kind: 'budget', year: 2014, title: 'Budget 2014', content: { lines: [{ partyId: 'ostfold-fk', moneyKind: 'operating-grant', amountOre: 69_040_000 }] }, centreIds: null, tabledOn: null, ...over },
    issuer: { personId: by, isAdmin: false },
    parties: known,
    centres,
  });
  it('tables a budget with lines by party and kind of money, dated today by default', () => {
    const [e] = spec.given(board()).when(table('sarp'), testContext()).events();
    expect(e).toMatchObject({ type: 'ProposalTabled', data: { tabledOn: '2026-01-15', tabledBy: 'sarp', centreIds: ['ostfold-kc'], content: { lines: [{ partyId: 'ostfold-fk', moneyKind: 'operating-grant', amountOre: 69_040_000 }], inputFromPartyIds: [] } } });
  });
  it('refuses non-members, budgets without lines and plans without goals', () => {
    spec.given(board()).when(table('stranger')).thenThrows('BOARD.NOT_A_MEMBER', 'forbidden');
    spec.given(board()).when(table('sarp', { content: {} })).thenThrows('PROPOSAL.BUDGET_WITHOUT_LINES', 'invalid');
    spec.given(board()).when(table('sarp', { kind: 'strategic-plan', content: { goals: [] } })).thenThrows('PROPOSAL.PLAN_WITHOUT_GOALS', 'invalid');
    spec.given(board()).when(table('sarp', { centreIds: ['troms-kc'] })).thenThrows('BOARD.CENTRE_NOT_GOVERNED');
  });
  it('refuses a proposal tabled after today in Norway (BOARD.TABLED_IN_FUTURE): it would keep the board from being dissolved until then', () => {
    const late = testContext({ now: '2026-01-15T23:30:00.000Z' });
    expect(spec.given(board()).when(table('sarp', { tabledOn: '2026-01-16' }), late).events()).toMatchObject([{ type: 'ProposalTabled', data: { tabledOn: '2026-01-16' } }]);
    const e = spec.given(board()).when(table('sarp', { tabledOn: '2099-01-01' }), late).thenThrows('BOARD.TABLED_IN_FUTURE', 'rule');
    expect(e.details).toEqual({ tabledOn: '2099-01-01', today: '2026-01-16' });
    expect(e.message).toContain('A proposal is recorded once it is tabled');
    // The board's own checks come first, as for votes: a dissolved board says so whatever the date.
    const gone: BoardEvent = { type: 'BoardDissolved', data: { boardId: 'ob', countyId: 'ostfold', centreIds: ['ostfold-kc'], dissolvedOn: '2020-01-01', reason: null, replacedByBoardId: null } };
    spec.given([...board(), gone]).when(table('sarp', { tabledOn: '2099-01-01' }), late).thenThrows('BOARD.DISSOLVED');
  });
  it('refuses a budget line naming another county\'s party (PROPOSAL.PARTY_OF_OTHER_COUNTY); a national party (no county) may be named', () => {
    const withTroms = { ...known, ...parties(party('nav-troms', 'nav-county-office', 'troms')) };
    const line = (partyId: string) => ({ content: { lines: [{ partyId, moneyKind: 'in-kind' as const, amountOre: 100_000 }] } });
    const e = spec.given(board()).when({ ...table('sarp', line('nav-troms')), parties: withTroms } as BoardCommand).thenThrows('PROPOSAL.PARTY_OF_OTHER_COUNTY', 'rule');
    expect(e.details).toEqual({ partyId: 'nav-troms', partyCountyId: 'troms', countyId: 'ostfold' });
    expect(spec.given(board()).when(table('sarp', line('udf'))).events()).toMatchObject([{ type: 'ProposalTabled' }]);
    expect(spec.given(board()).when(table('sarp', line('nav-ostfold'))).events()).toMatchObject([{ type: 'ProposalTabled' }]);
  });
});

describe('boards: ids that are built-in property names', () => {
  const table = (proposalId: string): BoardCommand => ({
    type: 'TableProposal',
    data: { boardId: 'ob', proposalId, kind: 'budget', year: 2014, title: 'Budget 2014', content: { lines: [{ partyId: 'ostfold-fk', moneyKind: 'operating-grant', amountOre: 69_040_000 }] }, centreIds: null, tabledOn: '2014-02-01' },
    issuer: { personId: 'sarp', isAdmin: false },
    parties: known,
    centres,
  });
  const voteOn = (proposalId: string): BoardCommand => ({ type: 'CastVote', data: { boardId: 'ob', proposalId, personId: 'sarp', vote: 'for', standingInFor: null, castOn: '2014-02-10' }, issuer: { personId: 'sarp', isAdmin: false }, centres });

  it.each(['constructor', '__proto__'])('tables a proposal called %s once and takes votes on it; never tabled, it is not found', (id) => {
    spec.given(board()).when(voteOn(id)).thenThrows('BOARD.PROPOSAL_NOT_FOUND', 'not-found');
    const tabledId = spec.given(board()).when(table(id)).events();
    spec.given([...board(), ...tabledId]).when(table(id)).thenThrows('BOARD.PROPOSAL_EXISTS', 'conflict');
    expect(spec.given([...board(), ...tabledId]).when(voteOn(id)).events()).toMatchObject([{ type: 'VoteCast', data: { proposalId: id, personId: 'sarp' } }]);
  });

  it.each(['constructor', '__proto__'])('a member called %s votes once', (personId) => {
    const history = [...board(), member(personId, 'member', 'sarpsborg'), tabled];
    const cast = spec.given(history).when(vote(personId, 'for')).then([voted(personId, 'for')]);
    spec.given([...history, ...cast]).when(vote(personId, 'against')).thenThrows('BOARD.ALREADY_VOTED', 'conflict');
  });
});
