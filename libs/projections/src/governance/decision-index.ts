import { DecisionContent, ProposalKind } from '../../../domain/src/governance';
import { isNavParty } from '../../../domain/src/parties';
import { IsoDate } from '../../../domain/src/shared';
import { get, has, slot } from './evidence';

/** The kinds whose current adopted decision can show NAV's formal input (the NAV link). */
export const INPUT_KINDS: readonly ProposalKind[] = ['budget', 'goals', 'strategic-plan', 'action-plan'];

/**
 * One adopted decision, as compact as the NAV link needs it:
 * `[decidedOn, position]` when its content names no NAV party, else
 * `[decidedOn, position, eventId, year, title, navInput, navLines]` (the NAV parties that gave formal
 * input, and those with a budget line, each in their order in the content).
 */
export type DecisionRow = [IsoDate, number] | [IsoDate, number, string, number, string, string[], string[]];

/** kind → the adopted decisions of that kind (input kinds only), in the order they were recorded. */
export type KindIndex = Partial<Record<ProposalKind, DecisionRow[]>>;

/** partyId → 1 for every registered NAV party (a party's kind never changes). */
export type NavParties = Record<string, 1>;

export const noteParty = (nav: NavParties, d: any): void => {
  if (typeof d?.partyId !== 'string') return;
  if (isNavParty(d.kind)) nav[d.partyId] = 1;
  else if (has(nav, d.partyId)) delete nav[d.partyId];
};

/** The NAV parties a decision's content names: [formal input, budget lines], each once, in order. */
export const navPartiesOf = (content: DecisionContent | undefined, nav: NavParties): [string[], string[]] => {
  const input = [...new Set((content?.inputFromPartyIds ?? []).filter((id) => has(nav, id)))];
  const lines = [...new Set((content?.lines ?? []).map((l) => l.partyId).filter((id) => has(nav, id)))];
  return [input, lines];
};

export const isInputKind = (kind: unknown): kind is ProposalKind => INPUT_KINDS.includes(kind as ProposalKind);

/** Adds an adopted decision to a centre's index. */
export const indexDecision = (index: KindIndex, kind: ProposalKind, decidedOn: IsoDate, position: number, eventId: string, year: number, title: string, navInput: string[], navLines: string[]): void => {
  const rows = slot(index as Record<string, DecisionRow[]>, kind, () => []);
  rows.push(navInput.length + navLines.length === 0 ? [decidedOn, position] : [decidedOn, position, eventId, year, title, navInput, navLines]);
};

/** The decision of a kind current on a date: the latest decided on or before it (ties: the later recorded). */
export const currentRow = (index: KindIndex | undefined, kind: ProposalKind, date: IsoDate): DecisionRow | null => {
  let best: DecisionRow | null = null;
  for (const r of (index ? get(index as Record<string, DecisionRow[]>, kind) : undefined) ?? []) {
    if (r[0] <= date && (best === null || r[0] > best[0] || (r[0] === best[0] && r[1] > best[1]))) best = r;
  }
  return best;
};
