import { decidedAfter, DecisionContent, ProposalKind } from '../../../domain/src/governance';
import { isNavParty } from '../../../domain/src/parties';
import { IsoDate } from '../../../domain/src/shared';
import { get, has, packId, slot } from './evidence';

/** The kinds whose current adopted decision can show NAV's formal input (the NAV link). */
export const INPUT_KINDS: readonly ProposalKind[] = ['budget', 'goals', 'strategic-plan', 'action-plan'];

/**
 * The registered NAV parties, numbered so compact rows can name them by number: `ids[n]` is party n,
 * `at[partyId]` its number while it is a NAV party (a party's kind never changes in practice).
 */
export interface NavParties {
  ids: string[];
  at: Record<string, number>;
}

export const noNavParties = (): NavParties => ({ ids: [], at: {} });

export const isNavId = (nav: NavParties, partyId: string): boolean => has(nav.at, partyId);

/** Follows PartyRegistered: numbers a NAV party. */
export const noteParty = (nav: NavParties, d: any): void => {
  if (typeof d?.partyId !== 'string') return;
  if (isNavParty(d.kind)) {
    if (!has(nav.at, d.partyId)) nav.at[d.partyId] = nav.ids.push(d.partyId) - 1;
  } else if (has(nav.at, d.partyId)) delete nav.at[d.partyId];
};

/**
 * Titles as `<kind> <year><tail>` share their tail (e.g. " for Karrieresenter Oslo 3"): each tail is kept
 * once, `tails[n]`, and a row names it by number.
 */
export interface TitleTails {
  tails: string[];
  tailAt: Record<string, number>;
}

/** A title as stored: the number of its tail when it reads `<kind> <year><tail>`, else the title itself. */
export type StoredTitle = number | string;

const storeTitle = (t: TitleTails, kind: string, year: number, title: string): StoredTitle => {
  const prefix = `${kind} ${year}`;
  if (typeof title !== 'string' || !title.startsWith(prefix)) return title;
  const tail = title.slice(prefix.length);
  return has(t.tailAt, tail) ? t.tailAt[tail] : (t.tailAt[tail] = t.tails.push(tail) - 1);
};

export const titleOf = (t: TitleTails, kind: string, year: number, stored: StoredTitle): string => (typeof stored === 'number' ? `${kind} ${year}${t.tails[stored]}` : stored);

/**
 * One adopted decision, as compact as the NAV link needs it:
 * `[decidedOn, position]` when its content names no NAV party, else
 * `[decidedOn, position, packed eventId, year, title, navInput, navLines]`: the NAV parties (by number) that
 * gave formal input, and those with a budget line, each once, in their order in the content.
 */
export type DecisionRow = [IsoDate, number] | [IsoDate, number, string, number, StoredTitle, number[], number[]];

/** kind → the adopted decisions of that kind (input kinds only), in the order they were recorded. */
export type KindIndex = Partial<Record<ProposalKind, DecisionRow[]>>;

/** The NAV parties a decision's content names, by number: [formal input, budget lines], each once, in order. */
export const navPartiesOf = (content: DecisionContent | undefined, nav: NavParties): [number[], number[]] => {
  const numbers = (ids: string[]) => [...new Set(ids.filter((id) => isNavId(nav, id)).map((id) => nav.at[id]))];
  return [numbers(content?.inputFromPartyIds ?? []), numbers((content?.lines ?? []).map((l) => l.partyId))];
};

export const isInputKind = (kind: unknown): kind is ProposalKind => INPUT_KINDS.includes(kind as ProposalKind);

/** Adds an adopted decision to a centre's index. */
export const indexDecision = (index: KindIndex, titles: TitleTails, kind: ProposalKind, decidedOn: IsoDate, position: number, eventId: string, year: number, title: string, navInput: number[], navLines: number[]): void => {
  const rows = slot(index as Record<string, DecisionRow[]>, kind, () => []);
  rows.push(navInput.length + navLines.length === 0 ? [decidedOn, position] : [decidedOn, position, packId(eventId), year, storeTitle(titles, kind, year, title), navInput, navLines]);
};

/** The decision of a kind current on a date: the latest decided on or before it (ties: the later recorded; see current-decision.ts). */
export const currentRow = (index: KindIndex | undefined, kind: ProposalKind, date: IsoDate): DecisionRow | null => {
  let best: DecisionRow | null = null;
  for (const r of (index ? get(index as Record<string, DecisionRow[]>, kind) : undefined) ?? []) {
    if (r[0] <= date && (best === null || decidedAfter(r[0], r[1], best[0], best[1]))) best = r;
  }
  return best;
};
