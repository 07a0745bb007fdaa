import { centreOpenOn } from '../../../domain/src/counties/centre';
import { compareDecided, decidedAfter, OwnerShare, PLAN_KINDS, ProposalKind, signedAgreementOn, Tally } from '../../../domain/src/governance';
import { isNavParty, partyNameOn } from '../../../domain/src/parties';
import { IsoDate, periodContains } from '../../../domain/src/shared';
import { centreNameOn, DirectoryView } from '../directory/centre-directory';
import { AgreementEntry, CountyPartnership, OwnerAgreementEntry, OwnerAgreementsView, PartnershipsView } from './agreements-view';
import { BoardDetailView, BoardEntry, CountyLineDetailView, GovernanceDetail, MemberEntry, ProposalEntry } from './board-detail';
import { BoardRegisterView, BoardSummary, MemberRow } from './board-register';
import { currentRow, DecisionRow, INPUT_KINDS, isNavId, titleOf } from './decision-index';
import { EventRef, get, unpackId } from './evidence';
import { agreementKey } from './owner-agreement-ids';
import { MONEY_EVENT_TYPES, NavFinanciersView } from './nav-financiers';
import { countedUntil, dayNo, heldTerms } from '../funding/staff-years';
import { PartyDirectoryView } from './party-directory';
import { CoLocationEntry, coLocationEventOf, CoLocationsView, CountyLineView } from './places-and-lines';

/**
 * The views the governance queries read; pass older views to answer "as recorded then". Boards and
 * county-line decisions are compact here; routes that show one board or one centre's decisions in full
 * also pass a GovernanceDetail folded from those streams (board-detail.ts).
 */
export interface GovernanceViews {
  directory: DirectoryView;
  parties: PartyDirectoryView;
  owners: OwnerAgreementsView;
  partnerships: PartnershipsView;
  boards: BoardRegisterView;
  countyLine: CountyLineView;
  coLocations: CoLocationsView;
  financiers: NavFinanciersView;
}

/** A party's name as on `day` (a reform's rename dated later does not rename the years before it). */
const partyName = (parties: PartyDirectoryView, id: string | null, day: IsoDate): string | null => {
  const p = id ? get(parties, id) : undefined;
  return p ? partyNameOn(p, day) : null;
};
const isNav = (parties: PartyDirectoryView, id: string | null | undefined): boolean => {
  const p = id ? get(parties, id) : undefined;
  return p !== undefined && isNavParty(p.kind);
};

/** '5000' basis points → '50.00' (percent with two decimals, exact). */
export const bpToPercent = (bp: number): string => `${Math.trunc(bp / 100)}.${String(bp % 100).padStart(2, '0')}`;

// ---------- agreements ----------

export interface TermsOnDate<P> {
  effectiveFrom: IsoDate;
  parties: P[];
  period: { from: IsoDate; to: IsoDate | null };
  event: EventRef;
}

/**
 * The terms of an agreement in force on a date (null when not in force): the rule of the partnership
 * answers and the base grant (`signedAgreementOn`: signed on or before the date, not terminated, the
 * terms effective that day covering it), for owner agreements too: one not yet signed is not in force.
 */
export const agreementTermsOn = <P>(a: AgreementEntry<P>, date: IsoDate): TermsOnDate<P> | null => {
  const on = signedAgreementOn(a, date);
  if (!on.inForce) return null;
  const v = on.version;
  return { effectiveFrom: v.effectiveFrom, parties: v.parties, period: v.period, event: v.event };
};

export interface OwnersOnDate {
  agreementId: string;
  signedOn: IsoDate;
  effectiveFrom: IsoDate;
  period: { from: IsoDate; to: IsoDate | null };
  parties: { partyId: string; name: string | null; kind: string | null; shareBp: number; sharePercent: string }[];
  event: EventRef;
}

/** The centre's owner agreement in force on a date, with the shares named. */
export const ownersOn = (owners: OwnerAgreementsView, parties: PartyDirectoryView, centreId: string, date: IsoDate): OwnersOnDate | null => {
  for (const a of ownerAgreementsOfCentre(owners, centreId)) {
    const t = agreementTermsOn<OwnerShare>(a, date);
    if (t) {
      return {
        agreementId: a.agreementId,
        signedOn: a.signedOn,
        effectiveFrom: t.effectiveFrom,
        period: t.period,
        parties: t.parties.map((p) => ({ partyId: p.partyId, name: partyName(parties, p.partyId, date), kind: get(parties, p.partyId)?.kind ?? null, shareBp: p.shareBp, sharePercent: bpToPercent(p.shareBp) })),
        event: t.event,
      };
    }
  }
  return null;
};

/** A centre's agreement's full history: every version of its terms and its termination, oldest first. */
export const ownerAgreementHistory = (owners: OwnerAgreementsView, centreId: string, agreementId: string, date?: IsoDate): (OwnerAgreementEntry & { inForceOn?: { date: IsoDate; terms: TermsOnDate<OwnerShare> | null } }) | null => {
  const a = get(owners.agreements, agreementKey(centreId, agreementId));
  if (!a) return null;
  return date ? { ...a, inForceOn: { date, terms: agreementTermsOn(a, date) } } : a;
};

export const ownerAgreementsOfCentre = (owners: OwnerAgreementsView, centreId: string): OwnerAgreementEntry[] => (get(owners.byCentre, centreId) ?? []).map((id) => owners.agreements[agreementKey(centreId, id)]);

// ---------- partnerships ----------

export interface PartnershipOnDate {
  countyId: string;
  countyName: string | null;
  date: IsoDate;
  agreement: { partnershipId: string; signedOn: IsoDate; effectiveFrom: IsoDate; period: { from: IsoDate; to: IsoDate | null }; parties: { partyId: string; name: string | null; kind: string | null }[]; event: EventRef } | null;
  coordinatingFunction: { holderPartyId: string; holderName: string | null; description: string; from: IsoDate; to: IsoDate | null; event: EventRef } | null;
  history: CountyPartnership;
}

export const partnershipOn = (views: Pick<GovernanceViews, 'partnerships' | 'parties' | 'directory'>, countyId: string, date: IsoDate): PartnershipOnDate => {
  const cp = get(views.partnerships, countyId) ?? { countyId, agreements: {}, coordinating: [] };
  let agreement: PartnershipOnDate['agreement'] = null;
  for (const a of Object.values(cp.agreements)) {
    // The same rule as the base-grant criterion: signed by the date, not terminated, within its period.
    const on = signedAgreementOn(a, date);
    if (on.inForce) {
      const t = on.version;
      agreement = {
        partnershipId: a.partnershipId,
        signedOn: a.signedOn,
        effectiveFrom: t.effectiveFrom,
        period: t.period,
        parties: t.parties.map((id) => ({ partyId: id, name: partyName(views.parties, id, date), kind: get(views.parties, id)?.kind ?? null })),
        event: t.event,
      };
    }
  }
  const c = cp.coordinating.find((x) => x.from <= date && (x.to === null || date <= x.to));
  return {
    countyId,
    countyName: get(views.directory.counties, countyId)?.name ?? null,
    date,
    agreement,
    coordinatingFunction: c ? { holderPartyId: c.holderPartyId, holderName: partyName(views.parties, c.holderPartyId, date), description: c.description, from: c.from, to: c.to, event: c.assigned } : null,
    history: cp,
  };
};

/** Every registered county's partnership on a date (counties with none say so). */
export const everyCountysPartnership = (views: Pick<GovernanceViews, 'partnerships' | 'parties' | 'directory'>, date: IsoDate): PartnershipOnDate[] => {
  const ids = new Set([...Object.keys(views.directory.counties), ...Object.keys(views.partnerships)]);
  return [...ids].sort((a, b) => (get(views.directory.counties, a)?.countyNumber ?? a).localeCompare(get(views.directory.counties, b)?.countyNumber ?? b)).map((id) => partnershipOn(views, id, date));
};

// ---------- boards ----------

type Lifetime = { establishedOn: IsoDate; dissolvedOn: IsoDate | null };

export const boardActiveOn = (b: Lifetime, date: IsoDate): boolean => b.establishedOn <= date && (b.dissolvedOn === null || date < b.dissolvedOn);

export const membersOn = (b: BoardEntry, date: IsoDate): MemberEntry[] => b.members.filter((m) => periodContains(m.term, date));

/** The compact view's members whose term includes the date. */
export const memberRowsOn = (b: BoardSummary, date: IsoDate): MemberRow[] => b.members.filter((m) => periodContains({ from: m[4], to: m[5] }, date));

/**
 * The board (or steering group) governing a centre on a date (from the compact view or a detail): of the
 * boards active that day, the most recently established (latest establishedOn; on the same day, the one
 * recorded later). `byCentre` is in recording order, and a board may be entered later from the archive,
 * so the last one recorded is not necessarily the newest.
 */
export const boardOfCentreOn = <B extends Lifetime & { established: { position: number } }>(boards: { boards: Record<string, B>; byCentre: Record<string, string[]> }, centreId: string, date: IsoDate): B | null => {
  let found: B | null = null;
  for (const id of get(boards.byCentre, centreId) ?? []) {
    const b = boards.boards[id];
    if (!b || !boardActiveOn(b, date)) continue;
    if (found === null || b.establishedOn > found.establishedOn || (b.establishedOn === found.establishedOn && b.established.position > found.established.position)) found = b;
  }
  return found;
};

export interface RegisterQuery {
  year?: number;
  kind?: string;
}

/** A board's register: rules, every member and term, every proposal with its votes and decision (from the board's detail). */
export const boardRegister = (views: { boards: BoardDetailView; parties: PartyDirectoryView }, boardId: string, q: RegisterQuery = {}) => {
  const b = get(views.boards.boards, boardId);
  if (!b) return null;
  const proposals = Object.values(b.proposals)
    .filter((p) => (q.year === undefined || p.year === q.year) && (q.kind === undefined || p.kind === q.kind))
    .sort((x, y) => (x.tabledOn === y.tabledOn ? x.tabled.position - y.tabled.position : x.tabledOn < y.tabledOn ? -1 : 1));
  return {
    boardId: b.boardId,
    countyId: b.countyId,
    centreIds: b.centreIds,
    name: b.name,
    bodyKind: b.bodyKind,
    establishedOn: b.establishedOn,
    dissolvedOn: b.dissolvedOn,
    dissolution: b.dissolution,
    rules: b.rules,
    established: b.established,
    // Each member's party as named when the term began.
    members: b.members.map((m) => ({ ...m, partyName: partyName(views.parties, m.partyId, m.term.from) })),
    proposals,
    agenda: proposals.filter((p) => p.decision === null).map((p) => p.proposalId),
  };
};

export const listBoards = (boards: BoardRegisterView, countyId?: string) =>
  Object.values(boards.boards)
    .filter((b) => countyId === undefined || b.countyId === countyId)
    .map((b) => ({ boardId: b.boardId, countyId: b.countyId, centreIds: b.centreIds, name: b.name, bodyKind: b.bodyKind, establishedOn: b.establishedOn, dissolvedOn: b.dissolvedOn, members: b.members.length, proposals: b.proposals }));

/** One proposal with its votes and decision (from the board's detail), or why there is none. */
export const proposalOf = (boards: BoardDetailView, boardId: string, proposalId: string): { board: BoardEntry | null; proposal: (ProposalEntry & { boardId: string }) | null } => {
  const b = get(boards.boards, boardId) ?? null;
  const p = b ? get(b.proposals, proposalId) : undefined;
  return { board: b, proposal: p ? { boardId, ...p } : null };
};

// ---------- decisions ----------

export interface AdoptedDecision {
  governedBy: 'board' | 'county-line';
  boardId: string | null;
  decisionId: string;
  kind: ProposalKind;
  year: number;
  title: string;
  decidedOn: IsoDate;
  content: ProposalEntry['content'];
  tally: Tally | null;
  reason: string | null;
  event: EventRef;
}

/** Every adopted decision for a centre decided on or before `date` (board and county line, from the detail), newest first. */
export const adoptedDecisionsFor = (views: { boards: BoardDetailView; countyLine: CountyLineDetailView; directory: DirectoryView }, centreId: string, date: IsoDate): AdoptedDecision[] => {
  const out: AdoptedDecision[] = [];
  for (const id of get(views.boards.byCentre, centreId) ?? []) {
    const b = views.boards.boards[id];
    for (const p of Object.values(b.proposals)) {
      const d = p.decision;
      if (d && d.outcome === 'adopted' && d.closedOn <= date && p.centreIds.includes(centreId)) {
        out.push({ governedBy: 'board', boardId: b.boardId, decisionId: p.proposalId, kind: p.kind, year: p.year, title: p.title, decidedOn: d.closedOn, content: p.content, tally: d.tally, reason: d.reason, event: d.event });
      }
    }
  }
  const countyId = get(views.directory.centres, centreId)?.countyId;
  for (const d of (countyId ? get(views.countyLine, countyId) : undefined) ?? []) {
    if (d.decidedOn <= date && d.centreIds.includes(centreId)) {
      out.push({ governedBy: 'county-line', boardId: null, decisionId: d.decisionId, kind: d.kind, year: d.year, title: d.title, decidedOn: d.decidedOn, content: d.content, tally: null, reason: null, event: d.event });
    }
  }
  return out.sort((a, b) => compareDecided(b.decidedOn, b.event.position, a.decidedOn, a.event.position));
};

/** The current adopted decision of each kind (budget, strategic plan, ...): the first of its kind in `decisions`, newest first by compareDecided. */
export const currentDecisions = (decisions: AdoptedDecision[]): Partial<Record<ProposalKind, AdoptedDecision>> => {
  const out: Partial<Record<ProposalKind, AdoptedDecision>> = {};
  for (const d of decisions) if (!out[d.kind]) out[d.kind] = d;
  return out;
};

export const coLocationOn = (coLocations: CoLocationsView, centreId: string, date: IsoDate): CoLocationEntry | null => {
  let found: CoLocationEntry | null = null;
  // The records standing (corrected as they are now; a withdrawn one no longer counts), in date order.
  for (const c of get(coLocations, centreId)?.records ?? []) if (c.from <= date) found = c;
  return found;
};

// ---------- governance profile ----------

/**
 * A centre's governance profile on a date. `detail` holds (at least) the streams of the boards that have
 * governed the centre and of its county's county line, folded up to the same position as `views`.
 */
export const governanceProfile = (views: GovernanceViews, centreId: string, date: IsoDate, detail: GovernanceDetail) => {
  const centre = get(views.directory.centres, centreId);
  if (!centre) return null;
  const board = boardOfCentreOn(detail.boards, centreId, date);
  const decisions = adoptedDecisionsFor({ boards: detail.boards, countyLine: detail.countyLine, directory: views.directory }, centreId, date);
  const current = currentDecisions(decisions);
  const plans = decisions.filter((d) => PLAN_KINDS.includes(d.kind));
  const governedBy = board ? (board.bodyKind === 'steering-group' ? 'steering-group' : 'board') : decisions.some((d) => d.governedBy === 'county-line') ? 'county-line' : 'not-recorded';
  return {
    centreId,
    name: centreNameOn(centre, date),
    countyId: centre.countyId,
    date,
    open: centreOpenOn(centre, date),
    owners: ownersOn(views.owners, views.parties, centreId, date),
    governedBy,
    board: board
      ? {
          boardId: board.boardId,
          name: board.name,
          bodyKind: board.bodyKind,
          establishedOn: board.establishedOn,
          rules: board.rules,
          members: membersOn(board, date).map((m) => ({ personId: m.personId, name: m.name, role: m.role, partyId: m.partyId, partyName: partyName(views.parties, m.partyId, date), term: m.term })),
        }
      : null,
    currentPlan: plans[0] ?? null,
    currentBudget: current.budget ?? null,
    current,
    decisions,
    coLocation: coLocationOn(views.coLocations, centreId, date),
    partnership: (() => {
      const p = partnershipOn(views, centre.countyId, date);
      return { agreement: p.agreement, coordinatingFunction: p.coordinatingFunction };
    })(),
  };
};

// ---------- NAV link ----------

export type GroundValue = true | false | 'unknown';

export interface Ground {
  holds: GroundValue;
  why: string;
  evidence: (EventRef & { partyId?: string | null; detail?: string })[];
}

export interface NavLink {
  centreId: string;
  name: string;
  countyId: string;
  date: IsoDate;
  year: number;
  /** True when any ground holds; 'unknown' when none holds but financier is not yet known. */
  hasNavLink: GroundValue;
  grounds: { board: Ground; owner: Ground; financier: Ground; formalInput: Ground; coLocated: Ground };
}

const boardGround = (views: GovernanceViews, centreId: string, date: IsoDate): Ground => {
  const b = boardOfCentreOn(views.boards, centreId, date);
  if (!b) return { holds: false, why: 'No board governs the centre on this date.', evidence: [] };
  const nav = memberRowsOn(b, date).filter((m) => isNav(views.parties, m[2]));
  if (nav.length === 0) return { holds: false, why: `No member of ${b.name} represents NAV on this date.`, evidence: [] };
  return {
    holds: true,
    why: `${nav.map((m) => `${m[1]} (${partyName(views.parties, m[2], date)})`).join(', ')} sit${nav.length === 1 ? 's' : ''} on ${b.name}.`,
    evidence: [{ ...b.established, detail: b.name }, ...nav.map((m) => ({ eventId: unpackId(m[6]), position: m[7], type: 'BoardMemberAppointed', partyId: m[2], detail: `${m[1]}, ${m[3]}` }))],
  };
};

const ownerGround = (views: GovernanceViews, centreId: string, date: IsoDate): Ground => {
  const o = ownersOn(views.owners, views.parties, centreId, date);
  if (!o) return { holds: false, why: 'No owner agreement is in force on this date.', evidence: [] };
  const nav = o.parties.filter((p) => isNav(views.parties, p.partyId));
  if (nav.length === 0) return { holds: false, why: `Owner agreement ${o.agreementId} names no NAV party.`, evidence: [] };
  return { holds: true, why: `${nav.map((p) => `${p.name} owns ${p.sharePercent} %`).join(', ')} under owner agreement ${o.agreementId}.`, evidence: nav.map((p) => ({ ...o.event, partyId: p.partyId, detail: `${p.sharePercent} %` })) };
};

const financierGround = (views: GovernanceViews, centreId: string, date: IsoDate): Ground => {
  const year = Number(date.slice(0, 4));
  const yearStart = `${year}-01-01`;
  const yearEnd = `${year}-12-31`;
  const funding = get(get(views.financiers.centres, centreId) ?? {}, String(year));
  const evidence: Ground['evidence'] = [];
  if (Array.isArray(funding)) for (const [eventId, position, type, party] of Object.values(funding[1])) evidence.push({ eventId: unpackId(eventId), position, type: MONEY_EVENT_TYPES[type], partyId: views.financiers.nav.ids[party], detail: `money for ${year}` });
  const entries = funding === undefined ? 0 : Array.isArray(funding) ? funding[0] : funding;
  let partyPaidStaff = false;
  // The days each payer paid, as the funding figures count them (heldTerms, countedUntil): by the terms'
  // dates whatever order they were recorded in, a version replaced on its own first day paid no day, nor
  // did one from after the position's last day, and no day counts from the centre's closing on.
  const ys = dayNo(yearStart);
  const ye = dayNo(yearEnd);
  const closedOn = get(views.directory.centres, centreId)?.closedOn ?? null;
  for (const [, startedOn, endedOn, terms] of get(views.financiers.staff, centreId) ?? []) {
    for (const { terms: t, from, to } of heldTerms(startedOn, terms, countedUntil(endedOn, closedOn))) {
      if (t.by === undefined || from > ye || (to !== null && to < ys)) continue;
      const [partyId, eventId, position, started] = t.by;
      partyPaidStaff = true;
      if (isNavId(views.financiers.nav, partyId)) evidence.push({ eventId: unpackId(eventId), position, type: started ? 'StaffPositionStarted' : 'StaffPositionChanged', partyId, detail: `pays a staff position in ${year}` });
    }
  }
  if (evidence.length) {
    const names = [...new Set(evidence.map((e) => partyName(views.parties, e.partyId ?? null, date) ?? e.partyId))];
    return { holds: true, why: `${names.join(', ')} financed the centre in ${year}.`, evidence };
  }
  if (entries > 0 || partyPaidStaff) return { holds: false, why: `Funding is recorded for ${year}, none of it from NAV.`, evidence: [] };
  return { holds: 'unknown', why: `No funding is recorded for the centre in ${year} yet, so whether NAV is a financier is not known.`, evidence: [] };
};

/** The later of two decisions (by decision date, then by recorded position). */
const later = (a: DecisionRow | null, b: DecisionRow | null): DecisionRow | null => (a === null ? b : b === null ? a : decidedAfter(b[0], b[1], a[0], a[1]) ? b : a);

const formalInputGround = (views: GovernanceViews, centreId: string, date: IsoDate): Ground => {
  const countyId = get(views.directory.centres, centreId)?.countyId;
  const byBoard = get(views.boards.decisions, centreId);
  const county = countyId ? get(views.countyLine.centres, countyId) : undefined;
  const byCountyLine = county ? get(county, centreId)?.k : undefined;
  const evidence: Ground['evidence'] = [];
  for (const kind of INPUT_KINDS) {
    // The current adopted decision of this kind, whether a board's or the county line's.
    const fromBoard = currentRow(byBoard, kind, date);
    const d = later(fromBoard, currentRow(byCountyLine, kind, date));
    if (d === null || d.length === 2) continue;
    const [, position, eventId, year, stored, navInput, navLines] = d;
    const source = d === fromBoard ? views.boards : views.countyLine;
    const type = d === fromBoard ? 'ProposalClosed' : 'CountyLineDecisionRecorded';
    const title = titleOf(source, kind, year, stored);
    for (const n of new Set([...navInput, ...navLines])) {
      const id = source.nav.ids[n];
      if (!isNav(views.parties, id)) continue;
      evidence.push({ eventId: unpackId(eventId), position, type, partyId: id, detail: `${navInput.includes(n) ? 'gave formal input to' : 'has a budget line in'} the ${kind} "${title}" (${year})` });
    }
  }
  if (evidence.length === 0) return { holds: false, why: 'No NAV party gave formal input to the current adopted budget, goals or plans.', evidence };
  return { holds: true, why: `NAV gave formal input to ${[...new Set(evidence.map((e) => e.detail!.split('"')[1]))].join(', ')}.`, evidence };
};

const coLocatedGround = (views: GovernanceViews, centreId: string, date: IsoDate): Ground => {
  const c = coLocationOn(views.coLocations, centreId, date);
  if (!c) return { holds: false, why: 'No premises are recorded for the centre on this date.', evidence: [] };
  // A named party is NAV by its own kind (a NAV kind naming another party, refused since, never makes it NAV); a name alone by the kind given.
  const nav = c.sharedWith.filter((s) => (s.partyId !== null ? isNav(views.parties, s.partyId) : s.kind === 'nav-county-office' || s.kind === 'nav-local-office'));
  if (nav.length === 0) return { holds: false, why: `The centre's premises (${c.premises}) are not shared with NAV.`, evidence: [] };
  // The evidence is the event that made the record say so: its latest correction, else its recording.
  const shown = coLocationEventOf(c);
  const corrected = c.corrections.length ? ` (the record from ${c.from}, as corrected)` : '';
  return { holds: true, why: `Shares ${c.premises} with ${nav.map((s) => partyName(views.parties, s.partyId, date) ?? s.name ?? s.kind).join(', ')}${corrected}.`, evidence: nav.map((s) => ({ ...shown, partyId: s.partyId, detail: s.kind })) };
};

/** The centre's NAV link on a date: each of the five grounds, with the events that show it. */
export const navLink = (views: GovernanceViews, centreId: string, date: IsoDate): NavLink | null => {
  const centre = get(views.directory.centres, centreId);
  if (!centre) return null;
  const grounds = {
    board: boardGround(views, centreId, date),
    owner: ownerGround(views, centreId, date),
    financier: financierGround(views, centreId, date),
    formalInput: formalInputGround(views, centreId, date),
    coLocated: coLocatedGround(views, centreId, date),
  };
  const values = Object.values(grounds).map((g) => g.holds);
  const hasNavLink: GroundValue = values.includes(true) ? true : values.includes('unknown') ? 'unknown' : false;
  return { centreId, name: centreNameOn(centre, date), countyId: centre.countyId, date, year: Number(date.slice(0, 4)), hasNavLink, grounds };
};

/** Every centre's NAV link on a date, with the count that has one (the evaluation found 23 of 33). */
export const navLinks = (views: GovernanceViews, date: IsoDate, countyId?: string) => {
  const links = Object.values(views.directory.centres)
    .filter((c) => countyId === undefined || c.countyId === countyId)
    .filter((c) => centreOpenOn(c, date))
    .map((c) => navLink(views, c.centreId, date)!);
  return { date, centres: links.length, withNavLink: links.filter((l) => l.hasNavLink === true).length, unknown: links.filter((l) => l.hasNavLink === 'unknown').length, links };
};
