import { formatFte } from '../../../domain/src/funding/common';
import { formatOre } from '../../../domain/src/shared/money';
import { daysInYear, formatStaffYears } from './exact';
import { get } from '../governance/evidence';
import { FundingView, positionIdsOf } from './funding-view';
import { applyContribution, CentreStaff, countedUntil, personsOnDecember31, positionContribution, staffOfYear } from './staff-years';

export interface StaffPositionLine {
  positionId: string;
  title: string | null;
  employerKind: string;
  employerPartyId: string | null;
  /** The person holding it, when its start named one. */
  personId: string | null;
  startedOn: string;
  /** Its last day as recorded (the current end: a later end recorded replaces an earlier one, and the reverse). */
  endedOn: string | null;
  /**
   * The last day every figure counts it: `endedOn`, or the day before its centre's closing, whichever is
   * earlier (countedUntil, staff-years.ts); null while it is open at an open centre. A position left open
   * at a closed centre shows `endedOn: null` and the day its counting stops here.
   */
  countedUntil: string | null;
  terms: { from: string; fte: string; payer: { kind: 'centre' } | { kind: 'party'; partyId: string }; annualCost: string | null }[];
  /** With a year: the position's staff-years in it (exact FTE-days and one decimal) and whether it counts on 31 December. */
  year?: { staffYears: string; fteDays: number; denominator: number; onDecember31: boolean };
}

/** The positions of a centre (optionally with their figures for one year), in start order. */
export const centreStaffPositions = (view: FundingView, centreId: string, year?: number): StaffPositionLine[] => {
  const out: StaffPositionLine[] = [];
  // The figures count no day the centre is closed, as its funding mix and the key figures do (staff-years.ts, countedUntil).
  const closedOn = get(view.centres, centreId)?.closedOn ?? null;
  // The centre's own positions (positionIdsOf), not every position of the ledger; sorted below.
  for (const positionId of positionIdsOf(view, centreId)) {
    const p = view.positions[positionId];
    const line: StaffPositionLine = {
      positionId,
      title: p.title ?? null,
      employerKind: p.employerKind,
      employerPartyId: p.employerPartyId ?? null,
      personId: p.personId ?? null,
      startedOn: p.startedOn,
      endedOn: p.endedOn,
      countedUntil: countedUntil(p.endedOn, closedOn),
      // A change planned for after the current last day takes no effect while that end stands (it is kept,
      // and shown again if the end is moved past it), as in every figure.
      terms: p.terms.filter((t, i) => i === 0 || p.endedOn === null || t.from <= p.endedOn).map((t) => ({ from: t.from, fte: formatFte(t.fteMilli), payer: t.payer, annualCost: t.annualCostOre === null ? null : formatOre(t.annualCostOre) })),
    };
    if (year !== undefined) {
      const alone: CentreStaff = { years: {}, tails: {} };
      applyContribution(alone, positionContribution(positionId, p, closedOn), 1);
      const agg = staffOfYear(alone, year);
      line.year = { staffYears: formatStaffYears(agg.fteDays, year), fteDays: agg.fteDays, denominator: daysInYear(year) * 1000, onDecember31: personsOnDecember31(agg).total > 0 };
    }
    out.push(line);
  }
  return out.sort((a, b) => (a.startedOn < b.startedOn ? -1 : a.startedOn > b.startedOn ? 1 : a.positionId < b.positionId ? -1 : 1));
};
