import { CentreFact, moneyOpenUntil, openUntilOf } from '../../../domain/src/counties/centre-facts';
import { EntryReversedData, isEntryEventType, KIND_OF_ENTRY_EVENT, MoneyKind } from '../../../domain/src/funding/money-entry';
import { positionStream } from '../../../domain/src/funding/staff-position';
import { boardStream } from '../../../domain/src/governance/board';
import { coLocationStream } from '../../../domain/src/governance/co-location';
import { countyLineStream } from '../../../domain/src/governance/county-line';
import { ownerAgreementsStream } from '../../../domain/src/governance/owner-agreement';
import { grantEvidenceStream } from '../../../domain/src/grants/evidence';
import { stimulusGrantStream } from '../../../domain/src/grants/stimulus';
import { formatOre, IsoDate, own, RecordedEvent } from '../../../domain/src/shared';
import { BULK_PAGE, EventStore, MAX_PAGE, NothingAfter } from '../../../event-store/src/port';
import { FUNDING_VIEW, FundingView, moneyOf, positionIdsOf } from '../../../projections/src/funding/funding-view';
import { BOARD_REGISTER, BoardRegisterView } from '../../../projections/src/governance/board-register';
import { COUNTY_LINE_DECISIONS, CountyLineView } from '../../../projections/src/governance/places-and-lines';
import { GRANTS_VIEW, GrantsView, stimulusIdsOf } from '../../../projections/src/grants/grants-view';
import type { ProjectionEngine } from '../projection-engine';

/**
 * The port the close-centre command reads other streams through: what is already recorded for a
 * centre elsewhere (money, staff positions, boards, county-line decisions, premises, owner
 * agreements, grant evidence, stimulus-grant applications) that needs it open on a day. Reversed money,
 * withdrawn evidence and withdrawn premises are left out, as every total and verdict leaves them out.
 */
export interface CentreActivity {
  /**
   * Every such fact that needs the centre open on `from` or later (a closing from `from` would put
   * it after the closure), and the condition the closing's append must meet: nothing recorded
   * after what was read names the centre or lands in a stream that was read for it.
   */
  factsFrom(centre: { centreId: string; countyId: string }, from: IsoDate): Promise<{ facts: CentreFact[]; unchangedSince: NothingAfter }>;
}

/** Live money of one kind from one party in one fiscal year (øre; `u` entries without an amount). */
interface MoneyCell {
  kind: MoneyKind;
  year: number;
  partyId: string;
  n: number;
  ore: number;
  u: number;
}

/**
 * What a base (the views, or a scan of the log) knows of one centre: the streams that hold its
 * positions, boards and stimulus-grant applications (read whole: a fact may need the rest of its
 * stream, e.g. the proposal a vote is on), its county-line decisions (each event says all it
 * needs), and its money as cells (the views keep no entry ids).
 */
interface Known {
  /** The log was read up to here (at least): what lands after it was not seen. */
  at: number;
  streams: Set<string>;
  decisions: RecordedEvent[];
  money: Map<string, MoneyCell>;
}

/** Finds what is known of a centre, for facts needing it open on `from` or later (it may return more). */
export type ActivityBase = (centre: { centreId: string; countyId: string }, from: IsoDate) => Promise<Known>;

const emptyKnown = (at: number): Known => ({ at, streams: new Set(), decisions: [], money: new Map() });

const mentions = (d: any, centreId: string): boolean => d?.centreId === centreId || (Array.isArray(d?.centreIds) && d.centreIds.includes(centreId));

const addMoney = (known: Known, kind: MoneyKind, year: number, partyId: string, value: number | null, sign: 1 | -1): void => {
  const key = `${kind}\u0000${year}\u0000${partyId}`;
  let cell = known.money.get(key);
  if (!cell) known.money.set(key, (cell = { kind, year, partyId, n: 0, ore: 0, u: 0 }));
  cell.n += sign;
  if (value === null) cell.u += sign;
  else cell.ore += sign * value;
  if (cell.n <= 0) known.money.delete(key);
};

/**
 * Folds events the base does not hold (a scan's pages, a dry run's own appends) into what is known:
 * the same arithmetic as the funding view (an entry adds its amount, a reversal takes it away), and
 * the streams and decisions that name the centre.
 */
export const noteEvents = (known: Known, events: readonly RecordedEvent[], centreId: string): Known => {
  for (const e of events) {
    const d = e.data as any;
    if (!mentions(d, centreId)) continue;
    if (isEntryEventType(e.type)) {
      const kind = KIND_OF_ENTRY_EVENT[e.type];
      if (typeof d.fiscalYear === 'number' && typeof d.partyId === 'string') addMoney(known, kind, d.fiscalYear, d.partyId, kind === 'in-kind' ? (d.estimatedValueOre ?? null) : (d.amountOre ?? null), 1);
      continue;
    }
    switch (e.type) {
      case 'EntryReversed': {
        const r = d as EntryReversedData;
        if (typeof r.fiscalYear === 'number' && typeof r.partyId === 'string' && typeof r.entryKind === 'string') {
          addMoney(known, r.entryKind, r.fiscalYear, r.partyId, r.entryKind === 'in-kind' ? (r.estimatedValueOre ?? null) : (r.amountOre ?? null), -1);
        }
        break;
      }
      case 'StaffPositionStarted':
      case 'StaffPositionChanged':
      case 'StaffPositionEnded':
      case 'BoardEstablished':
      case 'StimulusGrantApplied':
        known.streams.add(e.streamId);
        break;
      case 'CountyLineDecisionRecorded':
        known.decisions.push(e);
        break;
    }
  }
  return known;
};

/** Every event type a scan of the log reads for one centre. */
const SCANNED = [...Object.keys(KIND_OF_ENTRY_EVENT), 'EntryReversed', 'StaffPositionStarted', 'BoardEstablished', 'StimulusGrantApplied', 'CountyLineDecisionRecorded'];

/**
 * From the store directly: reads the whole log's events of these types (the store has no index by
 * centre). Correct anywhere, but 3.3 s per close on the 1,000,000-event bench ledger (412,000 events
 * of these types): only for a command path without a projection engine (tests, generators, a dry
 * run without one).
 */
export const scanBase = (store: EventStore): ActivityBase => async ({ centreId }) => {
  const head = await store.headPosition();
  const known = emptyKnown(head);
  for (let after = 0; after < head; ) {
    const page = await store.readAll({ after, upTo: head, maxCount: BULK_PAGE, types: SCANNED });
    if (page.length === 0) break;
    noteEvents(known, page, centreId);
    after = page[page.length - 1].position;
  }
  return known;
};

const NEEDED_VIEWS = [FUNDING_VIEW, BOARD_REGISTER, COUNTY_LINE_DECISIONS, GRANTS_VIEW];

/**
 * From the views the engine keeps, once they include everything the store holds (the writes of
 * this process and of any other on the same store: read-your-writes as the read routes wait, with
 * the same 503 VIEWS.CATCHING_UP after the engine's timeout). The funding view gives the centre's
 * money by year, kind and party (years that still need it open only) and its positions (those
 * dated `from` or later only); the board register the boards that govern it; the county-line view
 * the revisions of the decisions that name it; the grants view its stimulus-grant applications.
 */
export const viewBase = (engine: ProjectionEngine, store: EventStore): ActivityBase => {
  if (!NEEDED_VIEWS.every((name) => engine.projections.some((p) => p.name === name))) return scanBase(store);
  return async ({ centreId, countyId }, from) => {
    const head = await store.headPosition();
    await engine.caughtUp(head);
    const known = emptyKnown(head);
    const funding = engine.view<FundingView>(FUNDING_VIEW);
    for (const y of Object.keys(funding.money)) {
      const year = Number(y);
      if (moneyOpenUntil(year) < from) continue;
      const m = moneyOf(funding, year, centreId);
      if (!m) continue;
      for (const [kind, byParty] of Object.entries(m.k) as [MoneyKind, Record<string, { ore: number; n: number; u: number }>][]) {
        for (const [partyId, cell] of Object.entries(byParty)) {
          if (cell.n > 0) known.money.set(`${kind}\u0000${year}\u0000${partyId}`, { kind, year, partyId, n: cell.n, ore: cell.ore, u: cell.u });
        }
      }
    }
    // The centre's own positions and applications (indexes the views keep), not every one of the ledger.
    for (const id of positionIdsOf(funding, centreId)) {
      const p = funding.positions[id];
      const latest = [p.startedOn, p.endedOn ?? '', ...p.terms.map((t) => t.from)].reduce((a, b) => (b > a ? b : a));
      if (latest >= from) known.streams.add(positionStream(id));
    }
    for (const boardId of own(engine.view<BoardRegisterView>(BOARD_REGISTER).byCentre, centreId) ?? []) known.streams.add(boardStream(boardId));
    const grants = engine.view<GrantsView>(GRANTS_VIEW);
    for (const applicationId of stimulusIdsOf(grants, centreId)) {
      const s = grants.stimulus[applicationId];
      if (s.centreId === centreId && s.appliedOn >= from) known.streams.add(stimulusGrantStream(s.applicationId));
    }
    const county = own(engine.view<CountyLineView>(COUNTY_LINE_DECISIONS).centres, countyId);
    const line = county ? own(county, centreId) : undefined;
    for (const revision of line?.r ?? []) {
      const [e] = await store.readStream(countyLineStream(countyId), { fromRevision: revision, maxCount: 1 });
      if (e && e.revision === revision) known.decisions.push(e);
    }
    return known;
  };
};

const MONEY_LABEL: Record<MoneyKind, string> = {
  'operating-grant': 'operating grant',
  earmarked: 'earmarked funds',
  tender: 'tender award',
  'other-income': 'other income',
  'in-kind': 'in-kind contribution',
};

const moneyFact = (c: MoneyCell): CentreFact => {
  const entries = `${c.n} ${c.n === 1 ? 'entry' : 'entries'}`;
  const value = c.u === c.n ? null : formatOre(c.ore);
  return {
    kind: 'money',
    id: null,
    date: null,
    fiscalYear: c.year,
    openUntil: moneyOpenUntil(c.year),
    what: `money for ${c.year} (${MONEY_LABEL[c.kind]} from ${c.partyId}, ${entries})`,
    streamId: null,
    position: null,
    more: { moneyKind: c.kind, partyId: c.partyId, liveEntries: c.n, [c.kind === 'in-kind' ? 'estimatedValue' : 'amount']: value, entriesWithoutAmount: c.u },
  };
};

/** A dated fact: it needs the centre open until the day `openUntilOf` says, the one rule the recording commands apply too. */
const fact = (e: RecordedEvent, kind: CentreFact['kind'], id: string | null, date: IsoDate, what: string, more?: Record<string, unknown>): CentreFact => ({
  kind,
  id,
  date,
  fiscalYear: null,
  openUntil: openUntilOf(e) as IsoDate,
  what,
  streamId: e.streamId,
  position: e.position,
  ...(more ? { more } : {}),
});

const later = (a: IsoDate, b: IsoDate | null | undefined): IsoDate => (b && b > a ? b : a);

/**
 * The facts one stream holds for the centre, from its whole history in order: a staff position as
 * one fact dated by its latest day (its last end recorded, else its latest start or change: a closed
 * centre's open position can still be ended, with a last day before the closing date, but only on or
 * after its start);
 * a board's establishment, proposals, votes and decisions about the centre; premises; owner agreements
 * (their start or signing) and amendments (a termination only ends one), premises unless withdrawn; the grant evidence the
 * base grant is judged on, by the same date the opening rule checks, unless withdrawn; applications.
 */
const factsOfStream = (events: readonly RecordedEvent[], centreId: string): CentreFact[] => {
  const out: CentreFact[] = [];
  const proposalCentres = new Map<string, string[]>();
  const evidence = new Map<string, CentreFact>();
  const premises = new Map<IsoDate, CentreFact>();
  const positions: { id: string; startedOn: IsoDate; endedOn: IsoDate | null; latest: IsoDate; event: RecordedEvent }[] = [];
  for (const e of events) {
    const d = e.data as any;
    switch (e.type) {
      case 'StaffPositionStarted':
        if (d.centreId === centreId && positions.length === 0) positions.push({ id: d.positionId, startedOn: d.startedOn, endedOn: null, latest: openUntilOf(e) as IsoDate, event: e });
        break;
      case 'StaffPositionChanged': {
        const p = positions[0];
        const until = openUntilOf(e);
        if (p && until !== null && until >= p.latest) Object.assign(p, { latest: until, event: e });
        break;
      }
      case 'StaffPositionEnded': {
        // The last end recorded is the position's last day (it replaces the one before, earlier or later),
        // and no start or change counts after it: a change dated after it takes no effect while it stands.
        const p = positions[0];
        if (p) Object.assign(p, { endedOn: d.endedOn, latest: openUntilOf(e) ?? p.latest, event: e });
        break;
      }
      case 'BoardEstablished':
        if (mentions(d, centreId)) out.push(fact(e, 'board-established', d.boardId, d.establishedOn, `board ${d.boardId}, established on ${d.establishedOn}`, { boardId: d.boardId }));
        break;
      case 'ProposalTabled':
        proposalCentres.set(d.proposalId, d.centreIds ?? []);
        if (mentions(d, centreId)) out.push(fact(e, 'proposal-tabled', d.proposalId, d.tabledOn, `proposal ${d.proposalId} of board ${d.boardId}, tabled on ${d.tabledOn}`, { boardId: d.boardId }));
        break;
      case 'VoteCast':
        if (proposalCentres.get(d.proposalId)?.includes(centreId)) {
          out.push(fact(e, 'vote-cast', d.proposalId, d.castOn, `a vote by ${d.personId} on proposal ${d.proposalId} of board ${d.boardId}, cast on ${d.castOn}`, { boardId: d.boardId, personId: d.personId }));
        }
        break;
      case 'ProposalClosed':
        if (mentions(d, centreId)) {
          out.push(fact(e, 'board-decision', d.proposalId, d.closedOn, `board ${d.boardId}'s decision on proposal ${d.proposalId} (${d.outcome}), taken on ${d.closedOn}`, { boardId: d.boardId, outcome: d.outcome }));
        }
        break;
      case 'CountyLineDecisionRecorded':
        if (mentions(d, centreId)) out.push(fact(e, 'county-line-decision', d.decisionId, d.decidedOn, `county-line decision ${d.decisionId} of ${d.countyId}, taken on ${d.decidedOn}`, { countyId: d.countyId }));
        break;
      case 'CoLocationRecorded':
        if (d.centreId === centreId) premises.set(d.from, fact(e, 'co-location', null, d.from, `premises recorded from ${d.from}`));
        break;
      case 'CoLocationWithdrawn':
        // A withdrawn premises record no longer stands (a correction keeps its date, so changes nothing here).
        if (d.centreId === centreId) premises.delete(d.from);
        break;
      case 'OwnerAgreementRegistered':
        if (d.centreId === centreId) {
          const date = later(d.period?.from, d.signedOn);
          out.push(fact(e, 'owner-agreement', d.agreementId, date, `owner agreement ${d.agreementId}, signed on ${d.signedOn} and in force from ${d.period?.from}`));
        }
        break;
      case 'OwnerAgreementAmended':
        if (d.centreId === centreId) out.push(fact(e, 'owner-agreement-amendment', d.agreementId, d.effectiveFrom, `an amendment of owner agreement ${d.agreementId}, in force from ${d.effectiveFrom}`));
        break;
      case 'ServiceDeclared':
        if (d.centreId === centreId) evidence.set(d.declarationId, fact(e, 'service-declaration', d.declarationId, d.effectiveFrom, `service declaration ${d.declarationId}, in effect from ${d.effectiveFrom}`));
        break;
      case 'CompetenceDevelopmentDelivered':
        if (d.centreId === centreId) evidence.set(d.activityId, fact(e, 'competence-development', d.activityId, d.deliveredOn, `competence-development activity ${d.activityId}, delivered on ${d.deliveredOn}`));
        break;
      case 'UserSurveyParticipationRecorded':
        if (d.centreId === centreId) evidence.set(d.participationId, fact(e, 'user-survey-participation', d.participationId, d.period?.from, `user-survey participation ${d.participationId}, from ${d.period?.from}`));
        break;
      case 'AnnualReportSubmitted':
        if (d.centreId === centreId) evidence.set(d.reportId, fact(e, 'annual-report', d.reportId, d.submittedOn, `annual report ${d.reportId} for ${d.year}, submitted on ${d.submittedOn}`, { year: d.year }));
        break;
      case 'GrantEvidenceWithdrawn':
        evidence.delete(d.evidenceId);
        break;
      case 'StimulusGrantApplied':
        if (d.centreId === centreId) out.push(fact(e, 'stimulus-grant-application', d.applicationId, d.appliedOn, `stimulus-grant application ${d.applicationId}, made on ${d.appliedOn}`));
        break;
    }
  }
  for (const p of positions) {
    const what = p.endedOn !== null ? `staff position ${p.id}, which ended on ${p.endedOn}` : p.latest === p.startedOn ? `staff position ${p.id}, which started on ${p.startedOn}` : `staff position ${p.id}, changed from ${p.latest}`;
    out.push({ ...fact(p.event, 'staff-position', p.id, p.latest, what, { startedOn: p.startedOn, endedOn: p.endedOn }), openUntil: p.latest });
  }
  return [...out, ...premises.values(), ...evidence.values()].filter((f) => typeof f.openUntil === 'string');
};

/** Reads a stream's whole history (every page) through a store: the command path's, so a dry run sees its own appends. */
export const historyReader = (store: EventStore) => async (streamId: string): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readStream(streamId, { fromRevision: events.length === 0 ? 0 : events[events.length - 1].revision + 1 });
    events.push(...page);
    if (page.length < MAX_PAGE) return events;
  }
};

/**
 * The port: what a base knows, plus events it does not hold yet (`extra`: a dry run's own appends),
 * then the centre's own streams (owner agreements, premises, grant evidence) and the streams the base
 * named, read whole through `read` (the command path's store). Per close with the views: the money
 * of the years from the closing year on (a lookup per year), the centre's own positions and
 * applications (by the indexes the funding and grants views keep beside them), and the
 * histories of the centre's three streams, its positions dated from the closing date, boards and
 * applications, and its county-line decisions (one read each). Measured on a copy of the
 * 1,000,000-event bench ledger: 11–74 ms per close (150–760 facts), the same facts as the scan.
 */
export const centreActivity = (base: ActivityBase, read: (streamId: string) => Promise<readonly RecordedEvent[]>, extra?: () => readonly RecordedEvent[]): CentreActivity => ({
  async factsFrom(centre, from) {
    const known = await base(centre, from);
    let after = known.at;
    if (extra) {
      const own = extra();
      noteEvents(known, own, centre.centreId);
      // A dry run's own events were read too: only what lands after them was not seen.
      if (own.length > 0) after = Math.max(after, own[own.length - 1].position);
    }
    const { centreId } = centre;
    const streams = [ownerAgreementsStream(centreId), coLocationStream(centreId), grantEvidenceStream(centreId), ...known.streams];
    const histories = await Promise.all(streams.map((s) => read(s)));
    const facts = [...[...known.money.values()].map(moneyFact), ...factsOfStream(known.decisions, centreId), ...histories.flatMap((h) => factsOfStream(h, centreId))];
    const readStreams = new Set(streams);
    return {
      facts: facts.filter((f) => f.openUntil >= from),
      // Every fact the closing weighs names the centre (money, positions, boards, decisions, premises,
      // agreements, evidence, applications) or lies in a stream read for it (a board's votes).
      unchangedSince: { after, affects: (e) => readStreams.has(e.streamId) || mentions(e.data, centreId) },
    };
  },
});
