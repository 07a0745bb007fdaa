import { MoneyKind } from '../../../domain/src/funding/money-entry';
import { decidedAfter } from '../../../domain/src/governance/current-decision';
import { IsoDate, isIsoDate, own } from '../../../domain/src/shared';

export interface BudgetLine {
  partyId: string;
  moneyKind: MoneyKind;
  amountOre: number | null;
}

/**
 * Which decision adopted a budget, as the funding mix names it (`budget.decisionIds`): a proposal id
 * is unique per board only, a county-line decision id per county only, so the id alone is not enough.
 */
export type BudgetDecisionRef = { source: 'board'; boardId: string; proposalId: string } | { source: 'county-line'; countyId: string; decisionId: string };

export interface AdoptedBudget {
  ref: BudgetDecisionRef;
  centreIds: string[];
  lines: BudgetLine[];
  /** The decision's date (a board: the proposal's closedOn; the county line: decidedOn). */
  decidedOn: IsoDate;
  position: number;
}

export interface YearBudgets {
  /** By budgetKey; only budgets some centre still has in force. */
  decisions: Record<string, AdoptedBudget>;
  /** Centre → the key of its budget in force. */
  latestByCentre: Record<string, string>;
}

/** Unique across the ledger: `board:<boardId>:<proposalId>` or `county-line:<countyId>:<decisionId>` (ids never contain ':'). */
export const budgetKey = (ref: BudgetDecisionRef): string => (ref.source === 'board' ? `board:${ref.boardId}:${ref.proposalId}` : `county-line:${ref.countyId}:${ref.decisionId}`);

const budgetLines = (content: any): BudgetLine[] =>
  Array.isArray(content?.lines)
    ? content.lines
        .filter((l: any) => l && typeof l.partyId === 'string' && typeof l.moneyKind === 'string')
        .map((l: any) => ({ partyId: l.partyId, moneyKind: l.moneyKind, amountOre: typeof l.amountOre === 'number' ? l.amountOre : null }))
    : [];

const refOf = (type: string, d: any): BudgetDecisionRef | null => {
  if (type === 'ProposalClosed' && d.outcome === 'adopted' && typeof d.boardId === 'string' && typeof d.proposalId === 'string') return { source: 'board', boardId: d.boardId, proposalId: d.proposalId };
  if (type === 'CountyLineDecisionRecorded' && typeof d.countyId === 'string' && typeof d.decisionId === 'string') return { source: 'county-line', countyId: d.countyId, decisionId: d.decisionId };
  return null;
};

/**
 * The budget a ProposalClosed (adopted) or CountyLineDecisionRecorded event adopts, with its year;
 * null for other decisions. Without a decision date it cannot be ordered, and the governance profile
 * would not show it either, so it is skipped like any event missing a field.
 */
export const adoptedBudgetOf = (type: string, d: any, position: number): { year: number; budget: AdoptedBudget } | null => {
  if (d?.kind !== 'budget' || typeof d.year !== 'number' || !Array.isArray(d.centreIds)) return null;
  const ref = refOf(type, d);
  const decidedOn = type === 'ProposalClosed' ? d.closedOn : d.decidedOn;
  if (ref === null || !isIsoDate(decidedOn)) return null;
  return { year: d.year, budget: { ref, centreIds: [...d.centreIds], lines: budgetLines(d.content), decidedOn, position } };
};

/**
 * Puts a newly adopted budget in force for each of its centres whose budget in force was not decided
 * after it (decidedAfter: the governance profile's rule, so both agree whatever order the decisions
 * were recorded in, board and county line alike). A budget no centre has in force is not kept.
 */
export const adoptInYear = (y: YearBudgets, b: AdoptedBudget): void => {
  const key = budgetKey(b.ref);
  const replaced = new Set<string>();
  for (const c of b.centreIds) {
    const k = own(y.latestByCentre, c);
    const current = k === undefined || k === key ? undefined : y.decisions[k];
    if (current && !decidedAfter(b.decidedOn, b.position, current.decidedOn, current.position)) continue;
    if (k !== undefined && k !== key) replaced.add(k);
    y.latestByCentre[c] = key;
  }
  if (b.centreIds.some((c) => y.latestByCentre[c] === key)) y.decisions[key] = b;
  for (const k of replaced) if (!y.decisions[k]?.centreIds.some((c) => y.latestByCentre[c] === k)) delete y.decisions[k];
};

/** The budget in force for a centre in a year, if one was adopted. */
export const budgetInForce = (y: YearBudgets | undefined, centreId: string): AdoptedBudget | null => {
  const key = y && own(y.latestByCentre, centreId);
  return key === undefined ? null : (y!.decisions[key] ?? null);
};
