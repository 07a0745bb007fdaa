import { isNavParty, PartyKind } from '../../../domain/src/parties';
import { IsoDate, RecordedEvent } from '../../../domain/src/shared';
import { Projection } from '../projection';
import { EventRef, get, has, refOf, slot } from './evidence';

/** Funding event types (issue 4) whose `partyId` is the party the money comes from. */
export const MONEY_EVENT_TYPES = ['OperatingGrantRecorded', 'EarmarkedFundsRecorded', 'TenderAwardRecorded', 'OtherIncomeRecorded', 'InKindContributionRecorded'] as const;

export interface NavMoneyEntry {
  partyId: string;
  event: EventRef;
}

export interface CentreYearFunding {
  /** Money entries recorded for the centre and fiscal year, net of reversals. */
  entries: number;
  /** The NAV parties' entries, by entryId (reversed ones removed). */
  nav: Record<string, NavMoneyEntry>;
}

export interface PayerSegment {
  from: IsoDate;
  payerPartyId: string | null;
  event: EventRef;
}

export interface PositionEntry {
  centreId: string;
  segments: PayerSegment[];
  endedOn: IsoDate | null;
}

/**
 * Who financed each centre each year, as far as the NAV link needs it: how many money entries were
 * recorded, which came from a NAV party, and which staff positions a party paid for directly.
 * Compact: only NAV entries are kept by id; other entries are counted.
 */
export interface NavFinanciersView {
  partyKinds: Record<string, PartyKind>;
  centres: Record<string, Record<string, CentreYearFunding>>;
  /** entryId → where a NAV entry is kept, so a reversal can remove it. */
  navEntryAt: Record<string, { centreId: string; year: string }>;
  positions: Record<string, PositionEntry>;
  /** centreId → its position ids, so a centre's query reads only its own positions. */
  positionsByCentre: Record<string, string[]>;
}

export const NAV_FINANCIERS = 'nav-financiers';

const payerOf = (payer: any): string | null => (payer && payer.kind === 'party' && typeof payer.partyId === 'string' ? payer.partyId : null);

export const navFinanciersProjection: Projection<NavFinanciersView> = {
  name: NAV_FINANCIERS,
  version: 2,
  initial: () => ({ partyKinds: {}, centres: {}, navEntryAt: {}, positions: {}, positionsByCentre: {} }),
  evolve: (view, e: RecordedEvent) => {
    const d = e.data as any;
    switch (e.type) {
      case 'PartyRegistered':
        view.partyKinds[d.partyId] = d.kind;
        return view;
      case 'StaffPositionStarted':
        if (!has(view.positions, d.positionId)) slot(view.positionsByCentre, d.centreId, () => [] as string[]).push(d.positionId);
        view.positions[d.positionId] = { centreId: d.centreId, segments: [{ from: d.startedOn, payerPartyId: payerOf(d.payer), event: refOf(e) }], endedOn: null };
        return view;
      case 'StaffPositionChanged': {
        const p = get(view.positions, d.positionId);
        if (p && d.payer !== undefined) p.segments.push({ from: d.effectiveFrom, payerPartyId: payerOf(d.payer), event: refOf(e) });
        return view;
      }
      case 'StaffPositionEnded': {
        const p = get(view.positions, d.positionId);
        if (p) p.endedOn = d.endedOn;
        return view;
      }
      case 'EntryReversed': {
        const at = get(view.navEntryAt, d.reversedEntryId);
        const year = String(at?.year ?? d.fiscalYear);
        const cy = get(view.centres, at?.centreId ?? d.centreId);
        const f = cy ? get(cy, year) : undefined;
        if (f) {
          f.entries = Math.max(0, f.entries - 1);
          if (has(f.nav, d.reversedEntryId)) delete f.nav[d.reversedEntryId];
        }
        if (at) delete view.navEntryAt[d.reversedEntryId];
        return view;
      }
    }
    if ((MONEY_EVENT_TYPES as readonly string[]).includes(e.type) && typeof d?.centreId === 'string') {
      const year = String(d.fiscalYear);
      const f = slot(slot(view.centres, d.centreId, () => ({} as Record<string, CentreYearFunding>)), year, () => ({ entries: 0, nav: {} }));
      f.entries++;
      const kind = typeof d.partyId === 'string' ? get(view.partyKinds, d.partyId) : undefined;
      if (kind && isNavParty(kind) && typeof d.entryId === 'string') {
        f.nav[d.entryId] = { partyId: d.partyId, event: refOf(e) };
        view.navEntryAt[d.entryId] = { centreId: d.centreId, year };
      }
    }
    return view;
  },
};
