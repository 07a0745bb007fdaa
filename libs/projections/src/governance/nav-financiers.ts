import { IsoDate, RecordedEvent } from '../../../domain/src/shared';
import { withTerms } from '../../../domain/src/funding/staff-position';
import { Projection } from '../projection';
import { isNavId, NavParties, noNavParties, noteParty } from './decision-index';
import { get, has, packId, slot } from './evidence';

/** Funding event types (issue 4) whose `partyId` is the party the money comes from. */
export const MONEY_EVENT_TYPES = ['OperatingGrantRecorded', 'EarmarkedFundsRecorded', 'TenderAwardRecorded', 'OtherIncomeRecorded', 'InKindContributionRecorded'] as const;

/** A NAV party's money entry (keyed by its packed entryId): `[packed eventId, position, index of its type in MONEY_EVENT_TYPES, the party's number in nav.ids]`. */
export type NavMoneyRow = [string, number, number, number];

/**
 * A centre's fiscal year: how many money entries were recorded net of reversals, and, once a NAV party
 * has an entry, `[count, {entryId → NavMoneyRow}]` (reversed NAV entries removed).
 */
export type CentreYearFunding = number | [number, Record<string, NavMoneyRow>];

/**
 * A version of a staff position's terms as far as the NAV link needs it: its first day and, when a party
 * pays directly (not the centre's own budget), `by`: `[partyId, packed eventId, position, started ? 1 : 0]`,
 * the event being the one that recorded these terms (cited as evidence).
 */
export interface PayerTerms {
  from: IsoDate;
  by?: [string, string, number, 0 | 1];
}

/**
 * A staff position: `[packed positionId, startedOn, endedOn, its payer terms by date]`. The terms are
 * kept by date, one per date (withTerms, as the funding view keeps them), not in recording order; the
 * days each held are worked out when asked (heldTerms, capped at the centre's closing by countedUntil),
 * by the rule the funding figures use.
 */
export type PositionRow = [string, IsoDate, IsoDate | null, PayerTerms[]];

/**
 * Who financed each centre each year, as far as the NAV link needs it: how many money entries were
 * recorded, which came from a NAV party, and which staff positions a party paid for directly.
 */
export interface NavFinanciersView {
  nav: NavParties;
  /** centreId → fiscal year → its funding. */
  centres: Record<string, Record<string, CentreYearFunding>>;
  /** centreId → its staff positions, in the order they started. */
  staff: Record<string, PositionRow[]>;
}

export const NAV_FINANCIERS = 'nav-financiers';

const isDate = (v: unknown): v is IsoDate => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);

const payerOf = (payer: any): string | null => (payer && payer.kind === 'party' && typeof payer.partyId === 'string' ? payer.partyId : null);

const positionOf = (view: NavFinanciersView, centreId: unknown, positionId: unknown): PositionRow | undefined => {
  if (typeof centreId !== 'string' || typeof positionId !== 'string') return undefined;
  const id = packId(positionId);
  return get(view.staff, centreId)?.find((p) => p[0] === id);
};

/** The payer terms from `from` on, recorded by `e`; terms of the same date are replaced (a change on the start day replaces the start's). */
const withPayer = (p: PositionRow, from: IsoDate, payerPartyId: string | null, e: RecordedEvent, started: 0 | 1): void => {
  p[3] = withTerms(p[3], payerPartyId === null ? { from } : { from, by: [payerPartyId, packId(e.eventId), e.position, started] });
};

export const navFinanciersProjection: Projection<NavFinanciersView> = {
  name: NAV_FINANCIERS,
  // 4: a position keeps its payer terms by date (withTerms), not the periods in recording order; the
  //    days they held are worked out when asked, as the funding figures count them (heldTerms, countedUntil).
  version: 4,
  eventTypes: ['PartyRegistered', 'StaffPositionStarted', 'StaffPositionChanged', 'StaffPositionEnded', 'EntryReversed', ...MONEY_EVENT_TYPES],
  initial: () => ({ nav: noNavParties(), centres: {}, staff: {} }),
  evolve: (view, e: RecordedEvent) => {
    const d = e.data as any;
    switch (e.type) {
      case 'PartyRegistered':
        noteParty(view.nav, d);
        return view;
      case 'StaffPositionStarted': {
        // A position belongs to one centre for its whole life (the domain refuses changes from another
        // centre), and starts once: a second start of the same id is ignored, as the funding view does.
        if (!isDate(d?.startedOn) || !d.payer || typeof d.fteMilli !== 'number' || typeof d.centreId !== 'string' || typeof d.positionId !== 'string' || positionOf(view, d.centreId, d.positionId)) return view;
        const p: PositionRow = [packId(d.positionId), d.startedOn, null, []];
        withPayer(p, d.startedOn, payerOf(d.payer), e, 1);
        slot(view.staff, d.centreId, () => [] as PositionRow[]).push(p);
        return view;
      }
      case 'StaffPositionChanged': {
        // Every change carries the full terms (FTE, payer, cost) from its date, as the funding view reads it.
        const p = positionOf(view, d?.centreId, d?.positionId);
        if (p && isDate(d.effectiveFrom) && d.payer && typeof d.fteMilli === 'number') withPayer(p, d.effectiveFrom, payerOf(d.payer), e, 0);
        return view;
      }
      case 'StaffPositionEnded': {
        const p = positionOf(view, d?.centreId, d?.positionId);
        if (p && isDate(d.endedOn)) p[2] = d.endedOn;
        return view;
      }
      case 'EntryReversed': {
        // A reversal carries the reversed entry's centre and fiscal year (copied by the domain).
        const cy = get(view.centres, d.centreId);
        const year = String(d.fiscalYear);
        const f = cy ? get(cy, year) : undefined;
        if (cy && f !== undefined) {
          if (typeof f === 'number') cy[year] = Math.max(0, f - 1);
          else {
            f[0] = Math.max(0, f[0] - 1);
            const key = typeof d.reversedEntryId === 'string' ? packId(d.reversedEntryId) : null;
            if (key !== null && has(f[1], key)) delete f[1][key];
          }
        }
        return view;
      }
    }
    const type = (MONEY_EVENT_TYPES as readonly string[]).indexOf(e.type);
    if (type >= 0 && typeof d?.centreId === 'string') {
      const year = String(d.fiscalYear);
      const cy = slot(view.centres, d.centreId, () => ({} as Record<string, CentreYearFunding>));
      const f = get(cy, year) ?? 0;
      const isNav = typeof d.partyId === 'string' && isNavId(view.nav, d.partyId) && typeof d.entryId === 'string';
      const row: NavMoneyRow | null = isNav ? [packId(e.eventId), e.position, type, view.nav.at[d.partyId]] : null;
      if (typeof f === 'number') cy[year] = row ? [f + 1, { [packId(d.entryId)]: row }] : f + 1;
      else {
        f[0]++;
        if (row) f[1][packId(d.entryId)] = row;
      }
    }
    return view;
  },
};
