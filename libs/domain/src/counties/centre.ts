import { addDays, Decider, DomainEvent, IsoDate, refuse, assertNever } from '../shared';
import { CentreFact, earliestClosing, factDetail, factsAfterClosing, fallsAfterClosing, LISTED_FACTS, moneyOpenUntil, openUntilOf } from './centre-facts';
import { DatedName, nameOn, namesInForceBetween, withName } from './centre-names';
import { CountyState } from './county';
import { partyNameKey } from '../parties/party';

export const centreStream = (centreId: string): string => `centre-${centreId}`;

export type CentreEvent =
  | DomainEvent<'CentreRegistered', { centreId: string; countyId: string; name: string; municipality: string; openedOn: IsoDate }>
  | DomainEvent<'CentreRenamed', { centreId: string; name: string; previousName: string; effectiveFrom: IsoDate }>
  | DomainEvent<'CentreClosed', { centreId: string; closedOn: IsoDate; reason: string }>;

export type CentreCommand =
  | {
      type: 'RegisterCentre';
      data: { centreId: string; countyId: string; name: string; municipality: string; openedOn: IsoDate };
      county: CountyState;
      /**
       * Other centres (loaded by the application across centre streams) whose id is this one in another
       * case, or that have (had, or will have) a name written like this one (centreNameKey); none when
       * left out (the decider's own tests).
       */
      alike?: readonly CentreAlike[];
    }
  | {
      type: 'RenameCentre';
      data: { centreId: string; name: string; effectiveFrom: IsoDate };
      /** Other centres that have (had, or will have) a name written like the new one; none when left out (the decider's own tests). */
      alike?: readonly CentreAlike[];
    }
  | {
      type: 'CloseCentre';
      data: { centreId: string; closedOn: IsoDate; reason: string };
      /**
       * What other streams have recorded for the centre on or after `closedOn` (the command path reads
       * it through the CentreActivity port). Left out only where nothing else is recorded (the
       * deciders' own tests and generators): then only the centre's own stream is judged.
       */
      activity?: readonly CentreFact[];
    };

export type CentreState =
  | { status: 'unregistered' }
  | { status: 'open'; centreId: string; countyId: string; name: string; municipality: string; openedOn: IsoDate }
  | { status: 'closed'; centreId: string; countyId: string; name: string; municipality: string; openedOn: IsoDate; closedOn: IsoDate };

/**
 * A centre's name as compared for a duplicate: the same letters whatever their case and whitespace,
 * folded by Unicode NFKC (the parties' rule, partyNameKey): "Karrieresenteret Notodden",
 * "KARRIERESENTERET  notodden" and fullwidth "Ｋａｒｒｉｅｒｅｓｅｎｔｅｒｅｔ Notodden" are one name.
 */
export const centreNameKey = partyNameKey;

/** Another registered centre that a new registration is judged against: its id, county, dates and every name by its first day. */
export interface CentreAlike {
  centreId: string;
  countyId: string;
  openedOn: IsoDate;
  /** The first day closed; null while no closure is recorded. */
  closedOn: IsoDate | null;
  /** By the day each took effect, the registered one first (withName's order). */
  names: readonly DatedName[];
}

/**
 * The name written like `key` that centre `o` has in force on some day from `from` (inclusive) to `to`
 * (exclusive; null: with no end) while it is open, or undefined: the name in force on the window's
 * first open day, then each rename taking effect inside the window.
 */
const nameHeldBetween = (o: CentreAlike, key: string, from: IsoDate, to: IsoDate | null): string | undefined => {
  const start = o.openedOn > from ? o.openedOn : from;
  const end = o.closedOn !== null && (to === null || o.closedOn < to) ? o.closedOn : to;
  if (end !== null && end <= start) return undefined;
  return namesInForceBetween(o.names, start, end).find((n) => centreNameKey(n) === key);
};

const refuseNameTaken = (o: CentreAlike, held: string, countyId: string, when: string): never =>
  refuse('CENTRE.NAME_TAKEN', `A career centre of county ${countyId} named ${held} is already registered as ${o.centreId}, open ${when}; one career centre is registered once: use ${o.centreId}, or give a name that tells the two apart.`, 'conflict', { centreId: o.centreId, name: held, countyId });

/**
 * One centre, one id; one name per county at a time. A centre id that is another centre's in another
 * case ("KC-Notodden" beside "kc-notodden") is that centre registered again (CENTRE.ALREADY_REGISTERED,
 * naming it). A name (centreNameKey) that another centre of the same county has on a day both are open
 * is a second entry of that centre (CENTRE.NAME_TAKEN, naming it): from the later of the two openings
 * until the other's closing, the other's names in force are compared. A centre closed from the day
 * this one opens or earlier (a merger's old centre) leaves its name free, as does a name it no longer
 * had when this one opened.
 */
const requireNewCentre = (data: { centreId: string; countyId: string; name: string; openedOn: IsoDate }, alike: readonly CentreAlike[]): void => {
  const id = data.centreId.toLowerCase();
  const sameId = alike.find((o) => o.centreId !== data.centreId && o.centreId.toLowerCase() === id);
  if (sameId) {
    const name = sameId.names[sameId.names.length - 1]?.name ?? sameId.centreId;
    refuse('CENTRE.ALREADY_REGISTERED', `A career centre with id ${sameId.centreId} (${name}) is already registered; centre ids are compared without regard to case, so ${data.centreId} would be a second entry of it: use ${sameId.centreId}.`, 'conflict', { centreId: sameId.centreId });
  }
  const key = centreNameKey(data.name);
  for (const o of alike) {
    if (o.centreId === data.centreId || o.countyId !== data.countyId) continue;
    const held = nameHeldBetween(o, key, data.openedOn, null);
    if (held !== undefined) refuseNameTaken(o, held, data.countyId, 'while this one would be');
  }
};

/**
 * The same rule for a rename: the new name holds from `effectiveFrom` until the centre's next rename
 * after that day or its closing, and no other centre of the county may have it in force on a day of
 * that window while open. Renaming a centre to a name only a closed centre (or one that had given it
 * up) had is free, as registering is.
 */
const requireNameFreeForRename = (self: Exclude<CentreRecord, { status: 'unregistered' }>, name: string, from: IsoDate, alike: readonly CentreAlike[]): void => {
  const key = centreNameKey(name);
  const next = self.names.find((n) => n.from > from)?.from ?? null;
  const closedOn = self.status === 'closed' ? self.closedOn : null;
  const until = closedOn !== null && (next === null || closedOn < next) ? closedOn : next;
  for (const o of alike) {
    if (o.centreId === self.centreId || o.countyId !== self.countyId) continue;
    const held = nameHeldBetween(o, key, from, until);
    if (held !== undefined) refuseNameTaken(o, held, self.countyId, `while ${self.centreId} would have that name`);
  }
};

/** A centre's business dates: `closedOn` is the FIRST day it is closed ("close a centre from a date"). */
export type CentreDates = { openedOn: IsoDate; closedOn: IsoDate | null };

/** Open on some day from `from` to `to` (inclusive): opened by `to`, not closed from `from` or earlier. */
export const centreOpenBetween = (c: CentreDates, from: IsoDate, to: IsoDate): boolean => c.openedOn <= to && (c.closedOn === null || c.closedOn > from);

/** Open on a day: openedOn ≤ day < closedOn. Every answer that says whether a centre is open uses these. */
export const centreOpenOn = (c: CentreDates, day: IsoDate): boolean => centreOpenBetween(c, day, day);

/** Open on some day of a year (which centres a year's key figures and funding mixes count). */
export const centreOpenInYear = (c: CentreDates, year: number): boolean => centreOpenBetween(c, `${year}-01-01`, `${year}-12-31`);

/**
 * What the centre decider itself folds: the state above plus every name from the day it takes effect,
 * in date order, because a rename is judged by the name in force on its own date. Kept out of
 * CentreState so the other deciders, which are handed a centre, need not carry it.
 */
export type CentreRecord = { status: 'unregistered' } | (Exclude<CentreState, { status: 'unregistered' }> & { names: DatedName[] });

/** Refuses unless the centre is registered (CENTRE.NOT_FOUND). Whether it is open for what is recorded is judged per fact: `requireOpenFor`. */
export const requireCentre = <S extends CentreState>(state: S, centreId: string): Exclude<S, { status: 'unregistered' }> => {
  if (state.status === 'unregistered') return refuse('CENTRE.NOT_FOUND', `No career centre with id ${centreId} is registered.`, 'not-found', { centreId });
  return state as Exclude<S, { status: 'unregistered' }>;
};

const MONEY_WHAT: Record<string, string> = {
  OperatingGrantRecorded: 'an operating grant',
  EarmarkedFundsRecorded: 'earmarked funds',
  TenderAwardRecorded: 'a tender award',
  OtherIncomeRecorded: 'other income',
  InKindContributionRecorded: 'an in-kind contribution',
};

/** What an event records, for a CENTRE.CLOSED refusal ("… dated D falls after that"). */
const whatOf = (event: { type: string; data: unknown }): string => {
  const d = event.data as any;
  switch (event.type) {
    case 'StaffPositionStarted': return `the start of staff position ${d.positionId}`;
    case 'StaffPositionChanged': return `a change of staff position ${d.positionId}`;
    case 'StaffPositionEnded': return `the end of staff position ${d.positionId}`;
    case 'BoardEstablished': return `board ${d.boardId}, established`;
    case 'ProposalTabled': return `proposal ${d.proposalId} of board ${d.boardId}, tabled`;
    case 'VoteCast': return `a vote by ${d.personId} on proposal ${d.proposalId} of board ${d.boardId}`;
    case 'ProposalClosed': return `board ${d.boardId}'s decision on proposal ${d.proposalId}`;
    case 'CountyLineDecisionRecorded': return `county-line decision ${d.decisionId}`;
    case 'CoLocationRecorded': return 'premises';
    case 'OwnerAgreementRegistered': return `owner agreement ${d.agreementId} (signed on ${d.signedOn}, in force from ${d.period?.from})`;
    case 'OwnerAgreementAmended': return `an amendment of owner agreement ${d.agreementId}`;
    case 'ServiceDeclared': return 'a service declaration';
    case 'CompetenceDevelopmentDelivered': return 'a competence-development activity';
    case 'UserSurveyParticipationRecorded': return 'a user-survey participation';
    case 'AnnualReportSubmitted': return `the annual report for ${d.year}`;
    case 'StimulusGrantApplied': return `stimulus-grant application ${d.applicationId}`;
    default: return MONEY_WHAT[event.type] ?? event.type;
  }
};

/**
 * THE closed-centre rule for recording: a fact is refused (CENTRE.CLOSED) only when the centre is not
 * open on the day it needs it (`openUntilOf`: its date; for money of fiscal year Y, 1 January of Y, so
 * money is refused only for a year the centre is open on no day of), i.e. exactly when closing from
 * `closedOn` would be refused for that fact already recorded (CENTRE.CLOSE_BEFORE_ACTIVITY): both read
 * `openUntilOf` and `fallsAfterClosing`. A centre whose closure is recorded for a later date is open
 * until then, and everything dated before it is recorded as for any open centre (an open position is
 * ended with a last day before `closedOn`). An event that needs no day open (a reversal, a withdrawal,
 * a termination) is never refused here. Checks every event a command would record, for the centre.
 */
export const requireOpenFor = (state: CentreState, centreId: string, events: readonly { type: string; data: unknown }[]): void => {
  requireCentre(state, centreId);
  if (state.status !== 'closed') return;
  for (const event of events) {
    const openUntil = openUntilOf(event);
    if (openUntil === null || !fallsAfterClosing(openUntil, state.closedOn)) continue;
    const fiscalYear = (event.data as any)?.fiscalYear;
    const money = typeof fiscalYear === 'number' && openUntil === moneyOpenUntil(fiscalYear) && MONEY_WHAT[event.type] !== undefined;
    // An annual report is about its year, as money is: refused for a year the centre is open on no day of.
    const year = event.type === 'AnnualReportSubmitted' ? (event.data as any)?.year : undefined;
    const dated = money
      ? `${whatOf(event)} for ${fiscalYear} falls after that: the centre is open on no day of ${fiscalYear}`
      : typeof year === 'number'
        ? `${whatOf(event)} falls after that: the centre is open on no day of ${year}`
        : `${whatOf(event)} dated ${openUntil} falls after that`;
    refuse('CENTRE.CLOSED', `Career centre ${state.name} is closed from ${state.closedOn}; ${dated}.`, 'rule', {
      centreId,
      closedOn: state.closedOn,
      ...(money ? { fiscalYear } : typeof year === 'number' ? { year } : { date: openUntil }),
      latestDate: addDays(state.closedOn, -1),
    });
  }
};

export const centreDecider: Decider<CentreCommand, CentreEvent, CentreRecord> = {
  initialState: () => ({ status: 'unregistered' }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'CentreRegistered':
        return { status: 'open', ...event.data, names: [{ name: event.data.name, from: event.data.openedOn }] };
      case 'CentreRenamed':
        return state.status === 'unregistered' ? state : { ...state, name: event.data.name, names: withName(state.names, event.data.name, event.data.effectiveFrom) };
      case 'CentreClosed':
        return state.status === 'open' ? { ...state, status: 'closed', closedOn: event.data.closedOn } : state;
      default:
        return state;
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'RegisterCentre': {
        if (state.status !== 'unregistered') refuse('CENTRE.ALREADY_REGISTERED', `A career centre with id ${command.data.centreId} is already registered.`, 'conflict');
        if (command.county.status !== 'registered') refuse('COUNTY.NOT_FOUND', `County ${command.data.countyId} is not registered.`, 'not-found', { countyId: command.data.countyId });
        requireNewCentre(command.data, command.alike ?? []);
        return [{ type: 'CentreRegistered', data: { ...command.data } }];
      }
      case 'RenameCentre': {
        const open = requireCentre(state, command.data.centreId);
        if (command.data.effectiveFrom < open.openedOn) refuse('CENTRE.DATE_BEFORE_OPENING', `The new name cannot take effect before the centre opened (${open.openedOn}).`);
        // A name from a day the centre is closed names nothing: the date rule, as for every fact.
        if (open.status === 'closed' && fallsAfterClosing(command.data.effectiveFrom, open.closedOn)) {
          refuse('CENTRE.CLOSED', `Career centre ${open.name} is closed from ${open.closedOn}; a new name dated ${command.data.effectiveFrom} falls after that.`, 'rule', {
            centreId: command.data.centreId,
            closedOn: open.closedOn,
            date: command.data.effectiveFrom,
            latestDate: addDays(open.closedOn, -1),
          });
        }
        // Compared with the name in force on that day, not the latest recorded: a rename to the latest
        // name from an earlier date still changes the earlier days.
        const inForce = nameOn(open.names, command.data.effectiveFrom);
        if (inForce === command.data.name) return [];
        requireNameFreeForRename(open, command.data.name, command.data.effectiveFrom, command.alike ?? []);
        return [{ type: 'CentreRenamed', data: { ...command.data, previousName: inForce } }];
      }
      case 'CloseCentre': {
        const open = requireCentre(state, command.data.centreId);
        // A closure is recorded once (whatever its date): closing again is refused.
        if (open.status === 'closed') refuse('CENTRE.CLOSED', `Career centre ${open.name} is already closed from ${open.closedOn}; a closure is recorded once.`, 'rule', { centreId: open.centreId, closedOn: open.closedOn });
        const { centreId, closedOn } = command.data;
        if (closedOn < open.openedOn) refuse('CENTRE.DATE_BEFORE_OPENING', `A centre cannot close (${closedOn}) before it opened (${open.openedOn}).`);
        // Closing must not put facts already recorded for the centre (money, staff, governance, grant
        // evidence) after the closure: every other command refuses to record them for a closed centre,
        // and a county's or the country's totals would leave them out.
        const after = factsAfterClosing(command.activity ?? [], closedOn);
        if (after.length > 0) {
          const earliest = earliestClosing(after);
          const facts = after.length === 1 ? 'a fact already recorded for it needs it open on or after that day: ' : `${after.length} facts already recorded for it need it open on or after that day; the latest is `;
          refuse(
            'CENTRE.CLOSE_BEFORE_ACTIVITY',
            `${open.name} cannot be closed from ${closedOn}: ${facts}${after[0].what}. Close it from ${earliest} at the earliest, or first reverse or correct what was recorded by mistake.`,
            'conflict',
            { centreId, closedOn, earliestClosedOn: earliest, conflictCount: after.length, latest: factDetail(after[0]), conflicts: after.slice(0, LISTED_FACTS).map(factDetail) },
          );
        }
        return [{ type: 'CentreClosed', data: { ...command.data } }];
      }
      default:
        return assertNever(command);
    }
  },
};
