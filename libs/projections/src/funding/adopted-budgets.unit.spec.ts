import { foldEvents } from '../projection';
import { adoptedBudgetOf, adoptInYear, budgetInForce, YearBudgets } from './adopted-budgets';
import { budgetAgainstActual } from './funding-mix';
import { fundingProjection } from './funding-view';
import { recorded } from './test-events';

const lines = (amountOre: number) => ({ lines: [{ partyId: 'fk', moneyKind: 'operating-grant', amountOre }] });
const board = (boardId: string, proposalId: string, centreIds: string[], closedOn: string, amountOre = 100, extra: object = {}) => ({
  type: 'ProposalClosed',
  data: { boardId, proposalId, countyId: 'a', centreIds, kind: 'budget', year: 2014, outcome: 'adopted', content: lines(amountOre), closedOn, governedBy: 'board', ...extra },
});
const countyLine = (countyId: string, decisionId: string, centreIds: string[], decidedOn: string, amountOre = 100) => ({
  type: 'CountyLineDecisionRecorded',
  data: { decisionId, countyId, centreIds, kind: 'budget', year: 2014, content: lines(amountOre), decidedOn, governedBy: 'county-line' },
});
const directory = [
  { type: 'CountyRegistered', data: { countyId: 'a', name: 'A', countyNumber: '01' } },
  { type: 'CountyRegistered', data: { countyId: 'b', name: 'B', countyNumber: '02' } },
  ...['a1', 'a2', 'b1'].map((c) => ({ type: 'CentreRegistered', data: { centreId: c, countyId: c[0], name: c, municipality: 'm', openedOn: '2000-01-01' } })),
];
const fold = (events: { type: string; data: object }[]) => foldEvents(fundingProjection, recorded([...directory, ...events]));
const inForce = (events: { type: string; data: object }[], centreId: string) => budgetInForce(fold(events).budgets[2014], centreId)?.ref ?? null;

describe('adopted budgets: keyed by who decided, the latest decided in force', () => {
  it('two boards reusing a proposal id, and a county line reusing it too, keep three budgets', () => {
    const view = fold([board('b-1', 'budsjett-2014', ['a1'], '2013-12-01', 1), board('b-2', 'budsjett-2014', ['a2'], '2013-12-02', 2), countyLine('b', 'budsjett-2014', ['b1'], '2013-12-03', 3)]);
    expect(Object.keys(view.budgets[2014].decisions).sort()).toEqual(['board:b-1:budsjett-2014', 'board:b-2:budsjett-2014', 'county-line:b:budsjett-2014']);
    expect(budgetAgainstActual(view, 2014, ['a1', 'a2', 'b1'])!.decisionIds).toEqual([
      { source: 'board', boardId: 'b-1', proposalId: 'budsjett-2014' },
      { source: 'board', boardId: 'b-2', proposalId: 'budsjett-2014' },
      { source: 'county-line', countyId: 'b', decisionId: 'budsjett-2014' },
    ]);
  });

  it('a decision recorded later but decided earlier is neither in force nor kept; on the same day the later recorded wins', () => {
    const view = fold([countyLine('a', 'june', ['a1'], '2014-06-01'), board('b-1', 'december', ['a1'], '2013-12-10')]);
    expect(budgetInForce(view.budgets[2014], 'a1')!.ref).toEqual({ source: 'county-line', countyId: 'a', decisionId: 'june' });
    expect(Object.keys(view.budgets[2014].decisions)).toEqual(['county-line:a:june']);
    expect(inForce([board('b-1', 'first', ['a1'], '2014-06-01'), countyLine('a', 'second', ['a1'], '2014-06-01')], 'a1')).toEqual({ source: 'county-line', countyId: 'a', decisionId: 'second' });
    expect(inForce([countyLine('a', 'first', ['a1'], '2014-06-01'), board('b-1', 'second', ['a1'], '2014-06-01')], 'a1')).toEqual({ source: 'board', boardId: 'b-1', proposalId: 'second' });
  });

  it('a superseded budget stays while any centre still has it in force, then leaves', () => {
    const y: YearBudgets = { decisions: {}, latestByCentre: {} };
    const adopt = (type: string, d: object, position: number) => adoptInYear(y, adoptedBudgetOf(type, d, position)!.budget);
    const both = countyLine('a', 'both', ['a1', 'a2'], '2013-12-01');
    const one = board('b-1', 'one', ['a1'], '2014-02-01');
    const other = board('b-2', 'other', ['a2'], '2014-03-01');
    adopt(both.type, both.data, 1);
    adopt(one.type, one.data, 2);
    expect(y.latestByCentre).toEqual({ a1: 'board:b-1:one', a2: 'county-line:a:both' });
    expect(Object.keys(y.decisions).sort()).toEqual(['board:b-1:one', 'county-line:a:both']);
    adopt(other.type, other.data, 3);
    expect(Object.keys(y.decisions).sort()).toEqual(['board:b-1:one', 'board:b-2:other']);
    expect(y.decisions['board:b-2:other'].decidedOn).toBe('2014-03-01');
  });

  it('only adopted budgets with a decision date count', () => {
    expect(adoptedBudgetOf('ProposalClosed', board('b-1', 'p', ['a1'], '2014-01-01', 1, { outcome: 'rejected' }).data, 1)).toBeNull();
    expect(adoptedBudgetOf('ProposalClosed', board('b-1', 'p', ['a1'], '2014-01-01', 1, { kind: 'goals' }).data, 1)).toBeNull();
    expect(adoptedBudgetOf('ProposalClosed', board('b-1', 'p', ['a1'], '2014-02-30').data, 1)).toBeNull();
    expect(adoptedBudgetOf('CountyLineDecisionRecorded', { ...countyLine('a', 'd', ['a1'], '2014-01-01').data, decidedOn: undefined }, 1)).toBeNull();
    expect(adoptedBudgetOf('CountyLineDecisionRecorded', null, 1)).toBeNull();
    expect(adoptedBudgetOf('ProposalClosed', board('b-1', 'p', ['a1'], '2014-01-01').data, 7)).toEqual({
      year: 2014,
      budget: { ref: { source: 'board', boardId: 'b-1', proposalId: 'p' }, centreIds: ['a1'], lines: [{ partyId: 'fk', moneyKind: 'operating-grant', amountOre: 100 }], decidedOn: '2014-01-01', position: 7 },
    });
  });
});
