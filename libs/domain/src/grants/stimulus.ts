import { CentreState, requireCentre, requireOpenFor } from '../counties/centre';
import { CountyState } from '../counties/county';
import { assertNever, Decider, DomainEvent, isIsoDate, IsoDate, osloDateOf, refuse, refuseDate, sentAsText } from '../shared';

/** One stream per stimulus-grant application. */
export const stimulusGrantStream = (applicationId: string): string => `stimulus-grant-${applicationId}`;

export const STIMULUS_PURPOSES = ['establish-centre', 'development'] as const;
export type StimulusPurpose = (typeof STIMULUS_PURPOSES)[number];

/** What Vox decided on an application (a correction names the decision that replaces the one in force). */
export const STIMULUS_OUTCOMES = ['awarded', 'rejected'] as const;
export type StimulusOutcome = (typeof STIMULUS_OUTCOMES)[number];

/** A decision as a correction records it: the amount (and note) of an award, the reason of a rejection. */
export type StimulusDecision = {
  outcome: StimulusOutcome;
  amountOre: number | null;
  note: string | null;
  reason: string | null;
};

export type StimulusGrantEvent =
  | DomainEvent<
      'StimulusGrantApplied',
      { applicationId: string; countyId: string; year: number; purpose: StimulusPurpose; amountAskedOre: number; description: string; centreId: string | null; appliedOn: IsoDate }
    >
  | DomainEvent<'StimulusGrantAwarded', { applicationId: string; countyId: string; year: number; amountOre: number; decidedOn: IsoDate; note: string | null }>
  | DomainEvent<'StimulusGrantRejected', { applicationId: string; countyId: string; year: number; reason: string; decidedOn: IsoDate }>
  /** A decided application's decision replaced by another (the earlier one stays in the log; `previous` is the one replaced). */
  | DomainEvent<
      'StimulusGrantDecisionCorrected',
      StimulusDecision & { applicationId: string; countyId: string; year: number; correctionReason: string; correctedOn: IsoDate; previous: StimulusDecision }
    >;

export type StimulusGrantCommand =
  | {
      type: 'ApplyForStimulusGrant';
      data: { applicationId: string; countyId: string; year: number; purpose: StimulusPurpose; amountAskedOre: number; description: string; centreId: string | null; appliedOn: IsoDate | null };
      county: CountyState;
      /** The centre named for development work (unregistered state when none is named). */
      centre: CentreState;
    }
  | { type: 'AwardStimulusGrant'; data: { applicationId: string; amountOre: number; note: string | null } }
  | { type: 'RejectStimulusGrant'; data: { applicationId: string; reason: string } }
  | { type: 'CorrectStimulusGrantDecision'; data: StimulusDecision & { applicationId: string; correctionReason: string } };

interface Application {
  applicationId: string;
  countyId: string;
  year: number;
  purpose: StimulusPurpose;
  amountAskedOre: number;
}

export type StimulusGrantState =
  | { status: 'none' }
  | ({ status: 'applied' } & Application)
  | ({ status: 'awarded'; amountOre: number; note: string | null } & Application)
  | ({ status: 'rejected'; reason: string } & Application);

const requireApplied = (state: StimulusGrantState, applicationId: string): Extract<StimulusGrantState, { status: 'applied' }> => {
  if (state.status === 'none') return refuse('STIMULUS_GRANT.NOT_FOUND', `No stimulus-grant application with id ${applicationId} exists.`, 'not-found', { applicationId });
  if (state.status !== 'applied') return refuse('STIMULUS_GRANT.ALREADY_DECIDED', `Application ${applicationId} was already ${state.status}; a decision is made once (correct it instead).`, 'conflict', { applicationId, status: state.status });
  return state;
};

const requireDecided = (state: StimulusGrantState, applicationId: string): Extract<StimulusGrantState, { status: 'awarded' | 'rejected' }> => {
  if (state.status === 'none') return refuse('STIMULUS_GRANT.NOT_FOUND', `No stimulus-grant application with id ${applicationId} exists.`, 'not-found', { applicationId });
  if (state.status === 'applied') return refuse('STIMULUS_GRANT.NOT_DECIDED', `Application ${applicationId} is not decided yet, so there is no decision to correct: decide it first: award or reject.`, 'conflict', { applicationId, status: state.status });
  return state;
};

/** The decision in force on a decided application. */
const decisionOf = (state: Extract<StimulusGrantState, { status: 'awarded' | 'rejected' }>): StimulusDecision =>
  state.status === 'awarded' ? { outcome: 'awarded', amountOre: state.amountOre, note: state.note, reason: null } : { outcome: 'rejected', amountOre: null, note: null, reason: state.reason };

export const stimulusGrantDecider: Decider<StimulusGrantCommand, StimulusGrantEvent, StimulusGrantState> = {
  initialState: () => ({ status: 'none' }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'StimulusGrantApplied': {
        const { applicationId, countyId, year, purpose, amountAskedOre } = event.data;
        return { status: 'applied', applicationId, countyId, year, purpose, amountAskedOre };
      }
      case 'StimulusGrantAwarded':
        return state.status === 'applied' ? { ...state, status: 'awarded', amountOre: event.data.amountOre, note: event.data.note ?? null } : state;
      case 'StimulusGrantRejected':
        return state.status === 'applied' ? { ...state, status: 'rejected', reason: event.data.reason } : state;
      case 'StimulusGrantDecisionCorrected': {
        if (state.status !== 'awarded' && state.status !== 'rejected') return state;
        const { applicationId, countyId, year, purpose, amountAskedOre } = state;
        const app = { applicationId, countyId, year, purpose, amountAskedOre };
        const d = event.data;
        return d.outcome === 'awarded' ? { ...app, status: 'awarded', amountOre: d.amountOre ?? 0, note: d.note ?? null } : { ...app, status: 'rejected', reason: d.reason ?? '' };
      }
      default:
        return state;
    }
  },
  decide: (command, state, ctx) => {
    switch (command.type) {
      case 'ApplyForStimulusGrant': {
        const d = command.data;
        if (state.status !== 'none') refuse('STIMULUS_GRANT.ALREADY_EXISTS', `An application with id ${d.applicationId} already exists.`, 'conflict', { applicationId: d.applicationId });
        if (command.county.status !== 'registered') refuse('COUNTY.NOT_FOUND', `County ${d.countyId} is not registered.`, 'not-found', { countyId: d.countyId });
        if (!Number.isInteger(d.year) || d.year < 2000 || d.year > 2100) refuse('FISCAL_YEAR.OUT_OF_RANGE', `${sentAsText('The grant year', d.year, 2000, 2100) ?? `The grant year must be a whole year from 2000 to 2100, not ${d.year}`}.`, 'invalid', { field: 'year', year: d.year });
        if (!STIMULUS_PURPOSES.includes(d.purpose)) refuse('STIMULUS_GRANT.UNKNOWN_PURPOSE', `purpose must be one of ${STIMULUS_PURPOSES.join(', ')}.`, 'invalid');
        // Today is the date in Norway (Europe/Oslo), as for every "today" in the ledger.
        const today = osloDateOf(ctx.now);
        const appliedOn = d.appliedOn ?? today;
        if (!isIsoDate(appliedOn)) refuseDate('appliedOn', `appliedOn (${appliedOn}) is not a real calendar date.`);
        if (appliedOn > today) refuse('STIMULUS_GRANT.IN_FUTURE', `appliedOn (${appliedOn}) is in the future (today is ${today}).`, 'rule', { appliedOn, today });
        if (d.purpose === 'development' && d.centreId === null) {
          refuse('STIMULUS_GRANT.CENTRE_REQUIRED', 'Development work is done within a centre: name the centre (centreId).', 'invalid');
        }
        // Establishing is for a centre that does not exist yet: the application names none.
        if (d.purpose === 'establish-centre' && d.centreId !== null) {
          refuse('STIMULUS_GRANT.CENTRE_NOT_EXPECTED', `An application to establish a centre names no existing centre; leave centreId (${d.centreId}) out, or apply for development work in it.`, 'invalid', { centreId: d.centreId });
        }
        if (d.centreId !== null) {
          const centre = requireCentre(command.centre, d.centreId);
          if (centre.countyId !== d.countyId) refuse('STIMULUS_GRANT.CENTRE_OF_OTHER_COUNTY', `Centre ${d.centreId} belongs to county ${centre.countyId}, not ${d.countyId}.`, 'rule', { centreId: d.centreId });
          if (appliedOn < centre.openedOn) {
            refuse('STIMULUS_GRANT.BEFORE_OPENING', `Development work in centre ${centre.name} cannot be applied for on ${appliedOn}, before it opened (${centre.openedOn}).`, 'rule', { centreId: d.centreId, appliedOn, openedOn: centre.openedOn });
          }
        }
        const events: StimulusGrantEvent[] = [{ type: 'StimulusGrantApplied', data: { applicationId: d.applicationId, countyId: d.countyId, year: d.year, purpose: d.purpose, amountAskedOre: d.amountAskedOre, description: d.description, centreId: d.centreId, appliedOn } }];
        // Development in a centre closed on appliedOn is refused (the date rule); one whose closure is later is open then.
        if (d.centreId !== null) requireOpenFor(command.centre, d.centreId, events);
        return events;
      }
      case 'AwardStimulusGrant': {
        const app = requireApplied(state, command.data.applicationId);
        if (command.data.amountOre > app.amountAskedOre) {
          refuse('STIMULUS_GRANT.AWARD_ABOVE_ASKED', `The award (${command.data.amountOre} øre) is more than the county asked for (${app.amountAskedOre} øre).`, 'rule', { amountAskedOre: app.amountAskedOre });
        }
        return [{ type: 'StimulusGrantAwarded', data: { applicationId: app.applicationId, countyId: app.countyId, year: app.year, amountOre: command.data.amountOre, decidedOn: osloDateOf(ctx.now), note: command.data.note } }];
      }
      case 'RejectStimulusGrant': {
        const app = requireApplied(state, command.data.applicationId);
        return [{ type: 'StimulusGrantRejected', data: { applicationId: app.applicationId, countyId: app.countyId, year: app.year, reason: command.data.reason, decidedOn: osloDateOf(ctx.now) } }];
      }
      case 'CorrectStimulusGrantDecision': {
        const d = command.data;
        if (!STIMULUS_OUTCOMES.includes(d.outcome)) refuse('STIMULUS_GRANT.UNKNOWN_OUTCOME', `outcome must be one of ${STIMULUS_OUTCOMES.join(', ')}.`, 'invalid');
        // An award names its amount (and may have a note), a rejection its reason; neither names the other's.
        if (d.outcome === 'awarded' && (d.amountOre === null || d.reason !== null)) {
          refuse('STIMULUS_GRANT.DECISION_FIELDS', 'An award names its amount (and may have a note), and no reason: the reason is a rejection\'s (correctionReason says why you correct).', 'invalid');
        }
        if (d.outcome === 'rejected' && (d.reason === null || d.amountOre !== null || d.note !== null)) {
          refuse('STIMULUS_GRANT.DECISION_FIELDS', 'A rejection names its reason, and no amount or note: those are an award\'s.', 'invalid');
        }
        const app = requireDecided(state, d.applicationId);
        if (d.amountOre !== null && d.amountOre > app.amountAskedOre) {
          refuse('STIMULUS_GRANT.AWARD_ABOVE_ASKED', `The award (${d.amountOre} øre) is more than the county asked for (${app.amountAskedOre} øre).`, 'rule', { amountAskedOre: app.amountAskedOre });
        }
        const previous = decisionOf(app);
        const next: StimulusDecision = { outcome: d.outcome, amountOre: d.amountOre, note: d.note, reason: d.reason };
        if (next.outcome === previous.outcome && next.amountOre === previous.amountOre && next.note === previous.note && next.reason === previous.reason) {
          refuse('STIMULUS_GRANT.CORRECTION_CHANGES_NOTHING', `The correction gives application ${d.applicationId} the decision it already has (${previous.outcome}); nothing to correct.`, 'rule', { applicationId: d.applicationId, outcome: previous.outcome });
        }
        return [
          {
            type: 'StimulusGrantDecisionCorrected',
            data: { applicationId: app.applicationId, countyId: app.countyId, year: app.year, ...next, correctionReason: d.correctionReason, correctedOn: osloDateOf(ctx.now), previous },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },
};
