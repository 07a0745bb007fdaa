import { PartyState, requireParty } from '../parties';
import { refuse } from '../shared';

/** What a board (or the county line) decides on. */
export const PROPOSAL_KINDS = ['budget', 'accounts', 'annual-report', 'action-plan', 'strategic-plan', 'goals', 'other'] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

/** Kinds whose content is a plan: goals, target groups and which parties gave input. */
export const PLAN_KINDS: readonly ProposalKind[] = ['action-plan', 'strategic-plan', 'goals'];

export const MONEY_KINDS = ['operating-grant', 'earmarked', 'tender', 'other-income', 'in-kind'] as const;
export type MoneyKind = (typeof MONEY_KINDS)[number];

export interface BudgetLine {
  partyId: string;
  moneyKind: MoneyKind;
  amountOre: number;
}

/**
 * A decision's content. Budget: `lines` by party and kind of money. Plans: `goals`, `targetGroups`.
 * Every kind: `inputFromPartyIds` (formal input) and an optional `summary`.
 */
export interface DecisionContent {
  lines?: BudgetLine[];
  goals?: string[];
  targetGroups?: string[];
  inputFromPartyIds: string[];
  summary: string | null;
}

/** The content as given, before it is checked against its kind. */
export interface ContentInput {
  lines?: BudgetLine[];
  goals?: string[];
  targetGroups?: string[];
  inputFromPartyIds?: string[];
  summary?: string | null;
}

/** Every party id the content names (for loading their state). */
export const partiesNamedIn = (c: ContentInput): string[] => [...new Set([...(c.lines ?? []).map((l) => l.partyId), ...(c.inputFromPartyIds ?? [])])];

/**
 * Checks the content fits its kind and names registered parties; returns it in its stored shape.
 * A budget line's party belongs to the deciding county or to none (a national party): a line naming
 * another county's party would make that county's NAV office a financier of this county's centres.
 */
export const normaliseContent = (kind: ProposalKind, c: ContentInput, parties: Record<string, PartyState>, countyId: string): DecisionContent => {
  const inputFromPartyIds = [...new Set(c.inputFromPartyIds ?? [])];
  for (const id of partiesNamedIn(c)) requireParty(parties[id] ?? { status: 'unregistered' }, id);
  // Formal input is a NAV-link ground too: held to the deciding county (or a national party), as budget lines are.
  for (const id of inputFromPartyIds) {
    const party = parties[id];
    if (party?.status === 'registered' && party.countyId !== null && party.countyId !== countyId) {
      refuse('PROPOSAL.PARTY_OF_OTHER_COUNTY', `inputFromPartyIds names ${party.name} (${id}), a party of county ${party.countyId}; this decision is for county ${countyId}, so formal input is recorded from that county's parties or national ones.`, 'rule', { partyId: id, partyCountyId: party.countyId, countyId, field: 'inputFromPartyIds' });
    }
  }
  const summary = c.summary ?? null;
  if (kind === 'budget') {
    if (c.goals !== undefined || c.targetGroups !== undefined) refuse('PROPOSAL.CONTENT_NOT_FOR_KIND', 'A budget carries lines by party and kind of money, not goals or target groups.', 'invalid', { kind });
    if (!c.lines || c.lines.length === 0) refuse('PROPOSAL.BUDGET_WITHOUT_LINES', 'A budget needs at least one line {partyId, moneyKind, amount}.', 'invalid');
    for (const l of c.lines!) {
      if (!MONEY_KINDS.includes(l.moneyKind)) refuse('PROPOSAL.UNKNOWN_MONEY_KIND', `moneyKind ${String(l.moneyKind)} is not one of: ${MONEY_KINDS.join(', ')}.`, 'invalid');
      if (!Number.isSafeInteger(l.amountOre) || l.amountOre <= 0) refuse('MONEY.INVALID', 'Budget line amounts must be positive whole øre.', 'invalid', { partyId: l.partyId });
      const party = parties[l.partyId];
      if (party?.status === 'registered' && party.countyId !== null && party.countyId !== countyId) {
        refuse('PROPOSAL.PARTY_OF_OTHER_COUNTY', `A budget line names ${party.name} (${l.partyId}), a party of county ${party.countyId}; this budget is for county ${countyId}, so its lines name that county's parties or national ones.`, 'rule', { partyId: l.partyId, partyCountyId: party.countyId, countyId });
      }
    }
    return { lines: c.lines!.map((l) => ({ partyId: l.partyId, moneyKind: l.moneyKind, amountOre: l.amountOre })), inputFromPartyIds, summary };
  }
  if (c.lines !== undefined) refuse('PROPOSAL.CONTENT_NOT_FOR_KIND', `Only a budget carries budget lines, not a ${kind}.`, 'invalid', { kind });
  if (PLAN_KINDS.includes(kind)) {
    if (!c.goals || c.goals.length === 0) refuse('PROPOSAL.PLAN_WITHOUT_GOALS', `A ${kind} states at least one goal.`, 'invalid', { kind });
    return { goals: [...c.goals!], targetGroups: [...(c.targetGroups ?? [])], inputFromPartyIds, summary };
  }
  if (c.goals !== undefined || c.targetGroups !== undefined) refuse('PROPOSAL.CONTENT_NOT_FOR_KIND', `Goals and target groups belong to a plan or goals, not to a ${kind}.`, 'invalid', { kind });
  return { inputFromPartyIds, summary };
};
