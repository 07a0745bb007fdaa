import { AnyEntryData, EntryReversedData, isEntryEventType, KIND_OF_ENTRY_EVENT, MONEY_KINDS, MoneyKind } from '../../../domain/src/funding/money-entry';
import { EmployerKind, PositionTerms, StaffPositionChangedData, StaffPositionEndedData, StaffPositionStartedData, withTerms } from '../../../domain/src/funding/staff-position';
import { addDays, IsoDate, RecordedEvent } from '../../../domain/src/shared';
import { DatedName, withName } from '../../../domain/src/counties/centre-names';
import { renamedParty, SINCE_REGISTRATION } from '../../../domain/src/parties/party';
import { get, has, slot } from '../governance/evidence';
import { agreementKey, CentresByAgreementId, noteAgreementCentre } from '../governance/owner-agreement-ids';
import { idsOf, indexIds, keepIndex, noteId } from '../ids-by-owner';
import { Projection } from '../projection';
import { adoptedBudgetOf, adoptInYear, YearBudgets } from './adopted-budgets';
import { markChanged, PartsLayout, restoreWithParts, storeWithParts, updateYear } from './lazy-parts';
import { applyContribution, CentreStaff, PositionTimeline, positionContribution, replaceContribution } from './staff-years';

/** Live entries of one party and kind at one centre in one year. */
export interface MoneyCell {
  /** Σ reported amounts in øre (for in-kind: Σ estimated values). */
  ore: number;
  /** Live entries (recorded and not reversed). */
  n: number;
  /** Live entries without an amount (for in-kind: without an estimated value). */
  u: number;
}

export interface UnreportedEntry {
  kind: MoneyKind;
  partyId: string;
  decidedOn: IsoDate;
  reference: string | null;
}

export interface CentreYearMoney {
  k: Partial<Record<MoneyKind, Record<string, MoneyCell>>>;
  /** Live money entries whose amount was not reported, by entry id. */
  unreported: Record<string, UnreportedEntry>;
}

export interface AgreementTerms {
  from: IsoDate;
  to: IsoDate | null;
  parties: { partyId: string; shareBp: number }[];
}

export interface OwnerAgreementTimeline {
  agreementId: string;
  centreId: string;
  countyId: string;
  signedOn: IsoDate | null;
  /** Terms in date order; each ends the day before the next begins (or at `to`). */
  versions: AgreementTerms[];
  terminatedFrom: IsoDate | null;
}

/**
 * Everything the funding questions are answered from, as compact aggregates: money by year →
 * centre → kind → party, staff by centre → year (plus constant tails of open-ended positions),
 * the parties' kinds, the directory, adopted budgets and owner agreements. No event is copied.
 */
export interface FundingView {
  /** Counts the events this view has folded in; answers computed from the view are cached per revision (see memo.ts). */
  rev: number;
  /** Per centre: counts the events that changed its money or staff (finer-grained caching of per-centre figures). */
  centreRev: Record<string, number>;
  /** `names`: by first day (partyNameOn); `name` the latest. */
  parties: Record<string, { name: string; names?: DatedName[]; kind: string; countyId: string | null }>;
  counties: Record<string, { name: string; countyNumber: string; centreIds: string[] }>;
  /** `names`: every name from the day it takes effect, in date order, so a year is reported under the name it had (see libs/domain/src/counties/centre-names.ts). */
  centres: Record<string, { countyId: string; names: DatedName[]; openedOn: IsoDate; closedOn: IsoDate | null }>;
  money: Record<string, Record<string, CentreYearMoney>>;
  staff: Record<string, CentreStaff>;
  positions: Record<string, PositionTimeline>;
  /** Per year: the budget in force for each centre (the latest decided, see adopted-budgets.ts); superseded budgets are dropped. */
  budgets: Record<string, YearBudgets>;
  /** By agreementKey(centreId, agreementId): an id is unique per centre only. */
  agreements: Record<string, OwnerAgreementTimeline>;
  /** Agreement id → the centres that have one of that id (resolves `/owner-agreements/:agreementId/…`). */
  agreementCentres: CentresByAgreementId;
}

export const FUNDING_VIEW = 'funding';

// Records keyed by ids go through get/slot (governance/evidence.ts): a centre or party may be called
// "constructor" or "toString", and `??=` would find Object.prototype's member instead of creating one.
const cellOf = (byCentre: Record<string, CentreYearMoney>, centreId: string, kind: MoneyKind, partyId: string): MoneyCell => {
  const m = slot(byCentre, centreId, () => ({ k: {}, unreported: {} }));
  const byParty = (m.k[kind] ??= {});
  return slot(byParty, partyId, () => ({ ore: 0, n: 0, u: 0 }));
};

const dropEmptyCell = (byCentre: Record<string, CentreYearMoney>, centreId: string, kind: MoneyKind, partyId: string): void => {
  const m = get(byCentre, centreId);
  const byParty = m?.k[kind];
  const cell = byParty && get(byParty, partyId);
  if (!m || !byParty || !cell || cell.n !== 0) return;
  delete byParty[partyId];
  if (Object.keys(byParty).length === 0) delete m.k[kind];
};

/**
 * Changes one fiscal year's money through updateYear: an as-of view folding forward applies it
 * only if someone reads that year (lazy-parts.ts), so the change may depend on that year alone.
 */
const updateMoney = (view: FundingView, year: number, change: (byCentre: Record<string, CentreYearMoney>) => void): void =>
  updateYear(view.money, String(year), (byCentre = {}) => {
    change(byCentre);
    return byCentre;
  });

const KINDS = new Set<string>(MONEY_KINDS);

/** A centre's money in a fiscal year, if any (own entries only: a centre may be called "toString"). */
export const moneyOf = (view: FundingView, year: number, centreId: string): CentreYearMoney | undefined => {
  const byCentre = view.money[year];
  return byCentre === undefined ? undefined : get(byCentre, centreId);
};

/** Events written by other tools may lack a field; such an event is skipped rather than folded into garbage. */
const usable = (d: { centreId?: unknown; fiscalYear?: unknown; partyId?: unknown }): boolean =>
  typeof d?.centreId === 'string' && typeof d.fiscalYear === 'number' && typeof d.partyId === 'string';

const touch = (view: FundingView, centreId: string): void => {
  view.centreRev[centreId] = (get(view.centreRev, centreId) ?? 0) + 1;
};

const applyEntry = (view: FundingView, kind: MoneyKind, d: AnyEntryData): void => {
  if (!usable(d)) return;
  touch(view, d.centreId);
  const value = kind === 'in-kind' ? (d.estimatedValueOre ?? null) : d.amountOre;
  updateMoney(view, d.fiscalYear, (byCentre) => {
    const cell = cellOf(byCentre, d.centreId, kind, d.partyId);
    cell.n += 1;
    if (value === null) cell.u += 1;
    else cell.ore += value;
    if (kind !== 'in-kind' && d.amountOre === null) {
      byCentre[d.centreId].unreported[d.entryId] = { kind, partyId: d.partyId, decidedOn: d.decidedOn, reference: d.reference };
    }
  });
};

const applyReversal = (view: FundingView, d: EntryReversedData): void => {
  // The reversed entry's kind, party and amounts travel with the reversal (see the event catalogue).
  if (!usable(d) || !KINDS.has(d.entryKind) || d.amountOre === undefined) return;
  touch(view, d.centreId);
  const kind = d.entryKind;
  const value = kind === 'in-kind' ? d.estimatedValueOre : d.amountOre;
  updateMoney(view, d.fiscalYear, (byCentre) => {
    const cell = cellOf(byCentre, d.centreId, kind, d.partyId);
    cell.n -= 1;
    if (value === null) cell.u -= 1;
    else cell.ore -= value;
    delete byCentre[d.centreId].unreported[d.reversedEntryId];
    dropEmptyCell(byCentre, d.centreId, kind, d.partyId);
  });
};

/** The centre's first day closed, if a closing is recorded: a position counts no day from it on (staff-years.ts, countedUntil). */
const closedOnOf = (view: FundingView, centreId: string): IsoDate | null => {
  const closedOn = get(view.centres, centreId)?.closedOn;
  return isDate(closedOn) ? closedOn : null;
};

const updatePosition = (view: FundingView, positionId: string, change: (p: PositionTimeline) => void): void => {
  const p = get(view.positions, positionId);
  if (!p) return;
  markChanged(view.positions, positionId);
  const staff = slot(view.staff, p.centreId, () => ({ years: {}, tails: {} }));
  // Its tails may change (its years say so themselves, through updateYear).
  markChanged(view.staff, p.centreId);
  touch(view, p.centreId);
  const closedOn = closedOnOf(view, p.centreId);
  const before = positionContribution(positionId, p, closedOn);
  change(p);
  replaceContribution(staff, before, positionContribution(positionId, p, closedOn));
};

/**
 * Each centre's position ids, kept beside the view and never stored (ids-by-owner.ts): snapshots stay
 * as they are. A new view (initial) has it empty and the fold keeps it; the live view read from a
 * snapshot builds it once from its positions (a live restore reads every position anyway); any other
 * view (an as-of view restored lazily, a copy) builds it the first time it is asked, by the one walk
 * over every position that each such question made before. Positions are never removed nor moved
 * to another centre, so per centre the ids stay in the order a walk over `view.positions` meets them.
 */
const POSITIONS_BY_CENTRE = Symbol('fundingPositionsByCentre');
const centreOfPosition = (p: PositionTimeline): string => p.centreId;
const indexPositions = (view: FundingView): void => {
  indexIds(view, POSITIONS_BY_CENTRE, view.positions, centreOfPosition);
};

/** The ids of a centre's positions, in the order a walk over `view.positions` meets them: the work is the centre's positions, not the ledger's. Read only. */
export const positionIdsOf = (view: FundingView, centreId: string): readonly string[] => idsOf(view, POSITIONS_BY_CENTRE, centreId, () => view.positions, centreOfPosition);

/**
 * A closing recorded (after positions, or with positions left open): each of the centre's positions
 * is counted again up to the day before the new `closedOn`. The positions are the centre's own
 * (positionIdsOf), in the order the walk over every position met them, so the aggregates they are
 * added to come out the same.
 */
const closeCentreStaff = (view: FundingView, centreId: string, before: IsoDate | null, after: IsoDate | null): void => {
  const staff = get(view.staff, centreId);
  if (!staff || before === after) return;
  markChanged(view.staff, centreId);
  touch(view, centreId);
  for (const positionId of positionIdsOf(view, centreId)) {
    const p = view.positions[positionId];
    replaceContribution(staff, positionContribution(positionId, p, before), positionContribution(positionId, p, after));
  }
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (v: unknown): v is string => typeof v === 'string' && DATE.test(v);

/** A budget adopted by a board or along the county line (see adopted-budgets.ts for which one is in force). */
const adoptBudget = (view: FundingView, type: string, d: unknown, position: number): void => {
  const adopted = adoptedBudgetOf(type, d, position);
  if (!adopted) return;
  // Through updateYear, like money: an as-of view parses a year's budgets only if asked about that year.
  updateYear(view.budgets, String(adopted.year), (y = { decisions: {}, latestByCentre: {} }) => {
    adoptInYear(y, adopted.budget);
    return y;
  });
};

/** The agreement an amendment or termination names: by its centre and id. */
const agreementOf = (view: FundingView, d: any): { key: string; a: OwnerAgreementTimeline } | null => {
  if (typeof d?.centreId !== 'string' || typeof d.agreementId !== 'string') return null;
  const key = agreementKey(d.centreId, d.agreementId);
  const a = get(view.agreements, key);
  return a ? { key, a } : null;
};

const clipVersions = (a: OwnerAgreementTimeline, from: IsoDate): void => {
  a.versions = a.versions.filter((v) => v.from < from);
  const dayBefore = addDays(from, -1);
  for (const v of a.versions) if (v.to === null || v.to > dayBefore) v.to = dayBefore;
};

/** Every event type this view folds (besides the money entries). */
const FOLDED = new Set([
  'EntryReversed',
  'StaffPositionStarted',
  'StaffPositionChanged',
  'StaffPositionEnded',
  'PartyRegistered',
  'PartyRenamed',
  'CountyRegistered',
  'CentreRegistered',
  'CentreRenamed',
  'CentreClosed',
  'ProposalClosed',
  'CountyLineDecisionRecorded',
  'OwnerAgreementRegistered',
  'OwnerAgreementAmended',
  'OwnerAgreementTerminated',
]);

/**
 * Big sections stored as parts of their own, read when first used (see lazy-parts.ts): money and
 * budgets one part per year, positions in 1,024 buckets (an as-of fold forward touches a few
 * hundred positions of ~14,000 at 1,000,000 events), staff-years one part per year across centres
 * plus one of open-ended tails (key figures read every centre but one year; a fold forward changes
 * the years its events change, see replaceContribution), owner agreements (two thirds of what is
 * left, and read only by cost shares) in 64 buckets.
 */
const PARTS: PartsLayout<FundingView> = { years: ['money', 'budgets'], whole: [], buckets: { positions: 1024, agreements: 64 }, yearsWithin: { staff: 'years' } };

/** The funding ledger's view: every money entry, reversal, position, adopted budget and owner agreement folded into aggregates. */
export const fundingProjection: Projection<FundingView> = {
  name: FUNDING_VIEW,
  // 7: a centre keeps its dated names (centres[id].names) instead of the last recorded one.
  // 8: budgets keyed by board or county line with their decision date, the latest decided in force;
  //    owner agreements keyed by centre and id, plus agreementCentres.
  // 9: ids named like Object.prototype members ("constructor", "toString") get entries of their own.
  // 10: parties' names kept with their first day.
  // 11: a position counts no day its centre is closed (staff-years, persons, directly paid value).
  // 12: a position may name its person (personId): named holdings on 31.12 kept apart, counted per scope.
  version: 12,
  serialize: (view) => storeWithParts(view, PARTS),
  deserialize: (state, purpose, part) => {
    const view = restoreWithParts<FundingView>(state, PARTS, part, purpose === 'as-of');
    // The live view has read every position already; an as-of view reads only the buckets it needs, and builds its index when first asked.
    if (purpose === 'live') indexPositions(view);
    return view;
  },
  eventTypes: [...Object.keys(KIND_OF_ENTRY_EVENT), ...FOLDED],
  // Key figures, funding mixes and cost shares "as of" a date all start from this view's history: keep
  // it 10× finer than the default (history snapshots share unchanged parts, so this costs little room).
  historyEvery: 5_000,
  initial: () => {
    const view: FundingView = { rev: 0, centreRev: {}, parties: {}, counties: {}, centres: {}, money: {}, staff: {}, positions: {}, budgets: {}, agreements: {}, agreementCentres: {} };
    keepIndex(view, POSITIONS_BY_CENTRE, new Map());
    return view;
  },
  evolve: (view, e: RecordedEvent) => {
    const d = e.data as any;
    if (isEntryEventType(e.type)) {
      applyEntry(view, KIND_OF_ENTRY_EVENT[e.type], d as AnyEntryData);
      view.rev += 1;
      return view;
    }
    if (!FOLDED.has(e.type)) return view;
    view.rev += 1;
    switch (e.type) {
      case 'EntryReversed':
        applyReversal(view, d as EntryReversedData);
        break;
      case 'StaffPositionStarted': {
        const s = d as StaffPositionStartedData;
        if (!isDate(s?.startedOn) || typeof s.centreId !== 'string' || typeof s.fteMilli !== 'number' || !s.payer) break;
        const p: PositionTimeline = { centreId: s.centreId, title: s.title, employerPartyId: s.employerPartyId ?? null, countyId: s.countyId, employerKind: s.employerKind as EmployerKind, startedOn: s.startedOn, endedOn: null, terms: [{ from: s.startedOn, fteMilli: s.fteMilli, payer: s.payer, annualCostOre: s.annualCostOre }] };
        // Kept only when named (a string with something in it), so a view without persons stores nothing more.
        if (typeof s.personId === 'string' && s.personId !== '') p.personId = s.personId;
        if (has(view.positions, s.positionId)) break;
        view.positions[s.positionId] = p;
        noteId(view, POSITIONS_BY_CENTRE, s.centreId, s.positionId);
        markChanged(view.positions, s.positionId);
        touch(view, s.centreId);
        markChanged(view.staff, s.centreId);
        applyContribution(slot(view.staff, s.centreId, () => ({ years: {}, tails: {} })), positionContribution(s.positionId, p, closedOnOf(view, s.centreId)), 1);
        break;
      }
      case 'StaffPositionChanged': {
        const c = d as StaffPositionChangedData;
        if (!isDate(c?.effectiveFrom) || typeof c.fteMilli !== 'number' || !c.payer) break;
        const terms: PositionTerms = { from: c.effectiveFrom, fteMilli: c.fteMilli, payer: c.payer, annualCostOre: c.annualCostOre };
        updatePosition(view, c.positionId, (p) => {
          p.terms = withTerms(p.terms, terms);
        });
        break;
      }
      case 'StaffPositionEnded': {
        const x = d as StaffPositionEndedData;
        if (!isDate(x?.endedOn)) break;
        updatePosition(view, x.positionId, (p) => {
          p.endedOn = x.endedOn;
        });
        break;
      }
      case 'PartyRegistered':
        view.parties[d.partyId] = { name: d.name, names: [{ name: d.name, from: SINCE_REGISTRATION }], kind: d.kind, countyId: d.countyId ?? null };
        break;
      case 'PartyRenamed': {
        const p = get(view.parties, d.partyId);
        if (p) Object.assign(p, renamedParty(p, d));
        break;
      }
      case 'CountyRegistered':
        slot(view.counties, d.countyId, () => ({ name: d.name, countyNumber: d.countyNumber, centreIds: [] }));
        break;
      case 'CentreRegistered':
        view.centres[d.centreId] = { countyId: d.countyId, names: [{ name: d.name, from: d.openedOn }], openedOn: d.openedOn, closedOn: null };
        get(view.counties, d.countyId)?.centreIds.push(d.centreId);
        break;
      case 'CentreRenamed': {
        // Kept with its date, not written over the name: a rename from 2099 must not rename 2013.
        const c = get(view.centres, d.centreId);
        if (c && isDate(d.effectiveFrom)) c.names = withName(c.names, d.name, d.effectiveFrom);
        break;
      }
      case 'CentreClosed': {
        const c = get(view.centres, d.centreId);
        if (c) {
          const before = closedOnOf(view, d.centreId);
          c.closedOn = d.closedOn;
          closeCentreStaff(view, d.centreId, before, closedOnOf(view, d.centreId));
        }
        break;
      }
      case 'ProposalClosed':
      case 'CountyLineDecisionRecorded':
        adoptBudget(view, e.type, d, e.position);
        break;
      case 'OwnerAgreementRegistered':
        if (typeof d?.agreementId === 'string' && typeof d.centreId === 'string' && Array.isArray(d.parties) && d.period?.from) {
          const key = agreementKey(d.centreId, d.agreementId);
          markChanged(view.agreements, key);
          noteAgreementCentre(view.agreementCentres, d.agreementId, d.centreId);
          view.agreements[key] = {
            agreementId: d.agreementId,
            centreId: d.centreId,
            countyId: d.countyId,
            signedOn: d.signedOn ?? null,
            versions: [{ from: d.period.from, to: d.period.to ?? null, parties: d.parties.map((p: any) => ({ partyId: p.partyId, shareBp: p.shareBp })) }],
            terminatedFrom: null,
          };
        }
        break;
      case 'OwnerAgreementAmended': {
        const found = agreementOf(view, d);
        if (found && d.effectiveFrom && Array.isArray(d.parties)) {
          const { key, a } = found;
          markChanged(view.agreements, key);
          clipVersions(a, d.effectiveFrom);
          a.versions.push({ from: d.effectiveFrom, to: d.period?.to ?? null, parties: d.parties.map((p: any) => ({ partyId: p.partyId, shareBp: p.shareBp })) });
        }
        break;
      }
      case 'OwnerAgreementTerminated': {
        const found = agreementOf(view, d);
        if (found && d.effectiveFrom) {
          const { key, a } = found;
          markChanged(view.agreements, key);
          clipVersions(a, d.effectiveFrom);
          a.terminatedFrom = d.effectiveFrom;
        }
        break;
      }
    }
    return view;
  },
};
