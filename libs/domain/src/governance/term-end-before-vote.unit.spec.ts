import { deciderSpec } from '../shared/decider-spec';
import { BoardCommand, boardDecider, BoardEvent, DEFAULT_RULES, MemberTerm } from './board';

/**
 * Ending a member's term (EndBoardMember, also when it ends a term again with an earlier day to correct
 * it) may not leave a vote already recorded outside the term it was cast in: the rule is the vote
 * check's own (CastVote: the voter is a member on castOn, and a deputy's absent member holds a seat on
 * castOn; both ends of a term inclusive), read backwards. Refused 422 BOARD.TERM_ENDS_BEFORE_VOTE.
 */
const spec = deciderSpec(boardDecider);

const established: BoardEvent = {
  type: 'BoardEstablished',
  data: { boardId: 'ob', countyId: 'ostfold', centreIds: ['ostfold-kc'], name: 'Østfold board', bodyKind: 'board', establishedOn: '2012-01-01', rules: DEFAULT_RULES },
};
const member = (personId: string, role: MemberTerm['role'], term: { from: string; to: string | null } = { from: '2012-01-01', to: null }, name = personId): BoardEvent => ({
  type: 'BoardMemberAppointed',
  data: { boardId: 'ob', countyId: 'ostfold', personId, name, partyId: role === 'staff-representative' ? null : 'ostfold-fk', role, term },
});
const tabled = (proposalId: string, tabledOn = '2014-02-01'): BoardEvent => ({
  type: 'ProposalTabled',
  data: { boardId: 'ob', countyId: 'ostfold', proposalId, centreIds: ['ostfold-kc'], kind: 'goals', year: 2014, title: `Goals ${proposalId}`, content: { goals: ['g'], targetGroups: [], inputFromPartyIds: [], summary: null }, tabledBy: 'chair', tabledOn },
});
const voted = (proposalId: string, personId: string, castOn: string, standingInFor: string | null = null): BoardEvent => ({
  type: 'VoteCast',
  data: { boardId: 'ob', countyId: 'ostfold', proposalId, personId, vote: 'for', standingInFor, castOn },
});
const closedOn = (proposalId: string, on: string): BoardEvent => ({
  type: 'ProposalClosed',
  data: {
    boardId: 'ob',
    countyId: 'ostfold',
    proposalId,
    centreIds: ['ostfold-kc'],
    kind: 'goals',
    year: 2014,
    title: `Goals ${proposalId}`,
    outcome: 'adopted',
    reason: 'MAJORITY_FOR',
    tally: { for: 2, against: 0, abstain: 0, takingPart: 2, seats: 3, quorumRequired: 2 },
    quorumMet: true,
    content: { goals: ['g'], targetGroups: [], inputFromPartyIds: [], summary: null },
    closedBy: 'chair',
    closedOn: on,
    governedBy: 'board',
  },
});
const ended = (personId: string, endedOn: string): BoardEvent => ({ type: 'BoardMemberEnded', data: { boardId: 'ob', countyId: 'ostfold', personId, endedOn, reason: null } });
const end = (personId: string, endedOn: string): BoardCommand => ({ type: 'EndBoardMember', data: { boardId: 'ob', personId, endedOn, reason: null } });

const board: BoardEvent[] = [established, member('chair', 'chair'), member('kari', 'member', undefined, 'Kari Nordmann'), member('ola', 'member'), member('dep', 'deputy-member')];

describe('ending a term before a vote already cast in it (BOARD.TERM_ENDS_BEFORE_VOTE)', () => {
  it('refuses an end the day before the vote, naming the proposal and the day of the vote; the day of the vote itself is the earliest end (a term includes its last day, as the vote check reads it)', () => {
    const given = [...board, tabled('p1'), voted('p1', 'kari', '2014-02-10')];
    const e = spec.given(given).when(end('kari', '2014-02-09')).thenThrows('BOARD.TERM_ENDS_BEFORE_VOTE', 'rule');
    expect(e.details).toEqual({ personId: 'kari', endedOn: '2014-02-09', proposalId: 'p1', castOn: '2014-02-10', castBy: 'kari', earliestEndedOn: '2014-02-10', voteCount: 1 });
    expect(e.message).toContain('Kari Nordmann');
    expect(e.message).toContain('p1');
    expect(e.message).toContain('2014-02-10');
    spec.given(given).when(end('kari', '2014-02-10')).then([ended('kari', '2014-02-10')]);
    spec.given(given).when(end('kari', '2014-02-11')).then([ended('kari', '2014-02-11')]);
  });

  it('names the latest vote the end would leave outside the term, and counts them all; a vote on a closed proposal counts as much as one on an open proposal', () => {
    const given = [...board, tabled('p1'), voted('p1', 'kari', '2014-02-10'), closedOn('p1', '2014-02-10'), tabled('p2', '2014-03-01'), voted('p2', 'kari', '2014-03-05'), tabled('p3', '2014-04-01')];
    const e = spec.given(given).when(end('kari', '2014-01-31')).thenThrows('BOARD.TERM_ENDS_BEFORE_VOTE', 'rule');
    expect(e.details).toMatchObject({ proposalId: 'p2', castOn: '2014-03-05', earliestEndedOn: '2014-03-05', voteCount: 2 });
    // Only the closed proposal's vote is after 2014-02-09.
    expect(spec.given([...board, tabled('p1'), voted('p1', 'kari', '2014-02-10'), closedOn('p1', '2014-02-10')]).when(end('kari', '2014-02-09')).thenThrows('BOARD.TERM_ENDS_BEFORE_VOTE').details).toMatchObject({ proposalId: 'p1', voteCount: 1 });
  });

  it('a correction (the term ended again with an earlier day) is held to the same rule', () => {
    const given = [...board, tabled('p1'), voted('p1', 'kari', '2014-02-10'), ended('kari', '2014-06-30')];
    spec.given(given).when(end('kari', '2014-02-09')).thenThrows('BOARD.TERM_ENDS_BEFORE_VOTE', 'rule');
    spec.given(given).when(end('kari', '2014-02-10')).then([ended('kari', '2014-02-10')]);
  });

  it('a deputy\'s vote standing in for a member: the member\'s term, whose seat it counts for, and the deputy\'s own term may not end before it', () => {
    const given = [...board, tabled('p1'), voted('p1', 'dep', '2014-02-10', 'ola')];
    const seat = spec.given(given).when(end('ola', '2014-02-05')).thenThrows('BOARD.TERM_ENDS_BEFORE_VOTE', 'rule');
    expect(seat.details).toMatchObject({ personId: 'ola', proposalId: 'p1', castOn: '2014-02-10', castBy: 'dep' });
    expect(seat.message).toContain('dep');
    const deputy = spec.given(given).when(end('dep', '2014-02-05')).thenThrows('BOARD.TERM_ENDS_BEFORE_VOTE', 'rule');
    expect(deputy.details).toMatchObject({ personId: 'dep', castBy: 'dep' });
    spec.given(given).when(end('ola', '2014-02-10')).then([ended('ola', '2014-02-10')]);
  });

  it('only the term being ended counts: a vote in a later term of the same person does not block ending an earlier one, and another member\'s vote blocks nothing', () => {
    const reappointed = [established, member('chair', 'chair'), member('kari', 'member', { from: '2012-01-01', to: '2013-12-31' }), member('kari', 'member', { from: '2014-02-01', to: null }), tabled('p1'), voted('p1', 'kari', '2014-02-10'), voted('p1', 'chair', '2014-02-10')];
    spec.given(reappointed).when(end('kari', '2013-06-30')).then([ended('kari', '2013-06-30')]);
    spec.given(reappointed).when(end('kari', '2014-02-01')).thenThrows('BOARD.TERM_ENDS_BEFORE_VOTE');
    spec.given([...board, tabled('p1'), voted('p1', 'chair', '2014-02-10')]).when(end('kari', '2014-02-05')).then([ended('kari', '2014-02-05')]);
  });

  it('a vote already outside every term (recorded before this rule, its term ended retroactively then) does not block ending that person\'s term elsewhere', () => {
    const legacy = [...board, tabled('p1'), voted('p1', 'kari', '2014-02-10'), ended('kari', '2014-02-05')];
    spec.given([...legacy, member('kari', 'member', { from: '2014-03-01', to: null })]).when(end('kari', '2014-06-30')).then([ended('kari', '2014-06-30')]);
  });
});
