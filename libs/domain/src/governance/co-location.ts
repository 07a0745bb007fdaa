import { CentreState, requireCentre, requireOpenFor } from '../counties';
import { PartyState, requireParty } from '../parties';
import { assertNever, Decider, DomainEvent, IsoDate, refuse } from '../shared';

/**
 * A centre's premises over time: each record holds from its date until the next one. A record entered
 * wrongly is corrected (CoLocationCorrected: its full new contents) or withdrawn (CoLocationWithdrawn);
 * neither erases it, and only the records still standing are judged.
 */
export const coLocationStream = (centreId: string): string => `co-location-${centreId}`;

export const CO_LOCATION_KINDS = ['nav-county-office', 'nav-local-office', 'upper-secondary-school', 'opus-centre', 'other'] as const;
export type CoLocationKind = (typeof CO_LOCATION_KINDS)[number];

export type SharedWith = { kind: CoLocationKind; partyId: string | null; name: string | null };

/** What a premises record says: the premises and whom they are shared with. */
export type CoLocationContents = { premises: string; sharedWith: SharedWith[] };

export type CoLocationEvent =
  | DomainEvent<'CoLocationRecorded', { centreId: string; countyId: string; from: IsoDate; premises: string; sharedWith: SharedWith[] }>
  /** The record from `from` says this instead (the full new contents); `previous` is what it said before. */
  | DomainEvent<'CoLocationCorrected', { centreId: string; countyId: string; from: IsoDate; premises: string; sharedWith: SharedWith[]; reason: string; previous: CoLocationContents }>
  /** The record from `from` was entered by mistake: it no longer stands (it stays in the log). */
  | DomainEvent<'CoLocationWithdrawn', { centreId: string; countyId: string; from: IsoDate; reason: string }>;

export type CoLocationCommand =
  | {
      type: 'RecordCoLocation';
      data: { centreId: string; from: IsoDate; premises: string; sharedWith: SharedWith[] };
      centre: CentreState;
      parties: Record<string, PartyState>;
    }
  | {
      type: 'CorrectCoLocation';
      /** `from` names the record corrected; premises and sharedWith are its full new contents. */
      data: { centreId: string; from: IsoDate; premises: string; sharedWith: SharedWith[]; reason: string };
      centre: CentreState;
      parties: Record<string, PartyState>;
    }
  | { type: 'WithdrawCoLocation'; data: { centreId: string; from: IsoDate; reason: string }; centre: CentreState };

/** A record still standing (not withdrawn), with its contents as last corrected. */
export type StandingCoLocation = CoLocationContents & { from: IsoDate };

export interface CoLocationState {
  /** The records standing, in date order (a withdrawn one is left out). */
  records: StandingCoLocation[];
}

/** The latest record still standing: a new record starts after it. */
export const latestStanding = (state: CoLocationState): StandingCoLocation | null => state.records[state.records.length - 1] ?? null;

const requireRecord = (state: CoLocationState, centreId: string, from: IsoDate): StandingCoLocation => {
  const record = state.records.find((r) => r.from === from);
  if (!record) {
    const standing = state.records.map((r) => r.from);
    return refuse('CO_LOCATION.NOT_FOUND', `No premises record from ${from} stands for centre ${centreId}${standing.length ? ` (records stand from ${standing.join(', ')})` : ''}.`, 'not-found', { centreId, from, standing });
  }
  return record;
};

/** The rules every sharedWith entry follows, when recorded and when corrected. */
const requireSharedWith = (sharedWith: readonly SharedWith[], parties: Record<string, PartyState>, countyId: string): void => {
  for (const s of sharedWith) {
    if (!CO_LOCATION_KINDS.includes(s.kind)) refuse('CO_LOCATION.UNKNOWN_KIND', `kind ${String(s.kind)} is not one of: ${CO_LOCATION_KINDS.join(', ')}.`, 'invalid');
    // An entry names whom the premises are shared with: a registered party, or at least a name.
    if (s.partyId === null && (s.name === null || s.name.trim() === '')) {
      refuse('CO_LOCATION.SHARED_WITH_UNNAMED', `Each sharedWith entry names a party (partyId) or a name; a ${s.kind} entry with neither says nothing.`, 'invalid', { kind: s.kind });
    }
    if (s.partyId !== null) {
      const party = requireParty(parties[s.partyId] ?? { status: 'unregistered' }, s.partyId);
      // A NAV kind names a party of that NAV kind, so the NAV link never counts a municipality as NAV.
      if ((s.kind === 'nav-county-office' || s.kind === 'nav-local-office') && party.kind !== s.kind) {
        refuse('CO_LOCATION.KIND_MISMATCH', `sharedWith names ${party.name} (${s.partyId}), a ${party.kind}, as a ${s.kind}; name a party of that kind, or give another kind.`, 'rule', { partyId: s.partyId, kind: s.kind, partyKind: party.kind });
      }
      // Another county's NAV office would become this centre's co-located NAV-link ground, as its money or budget lines may not.
      if ((party.kind === 'nav-county-office' || party.kind === 'nav-local-office') && party.countyId !== null && party.countyId !== countyId) {
        refuse('CO_LOCATION.NAV_OF_OTHER_COUNTY', `sharedWith names ${party.name} (${s.partyId}), a NAV office of county ${party.countyId}; this centre is in county ${countyId}, so its premises are shared with that county's NAV offices.`, 'rule', { partyId: s.partyId, partyCountyId: party.countyId, countyId });
      }
    }
  }
};

const entryKey = (s: SharedWith): string => JSON.stringify([s.kind, s.partyId, s.name]);
/** Whether two contents say the same: the same premises and the same sharedWith entries, in any order. */
export const sameContents = (a: CoLocationContents, b: CoLocationContents): boolean => {
  if (a.premises !== b.premises || a.sharedWith.length !== b.sharedWith.length) return false;
  const x = a.sharedWith.map(entryKey).sort();
  const y = b.sharedWith.map(entryKey).sort();
  return x.every((k, i) => k === y[i]);
};

const contentsOf = (r: CoLocationContents): CoLocationContents => ({ premises: r.premises, sharedWith: r.sharedWith });

/**
 * Where the record from `from` stands, or would stand, in records in date order: the first index whose
 * date is not before it. The dates standing are distinct (a record replaces one of its own date), so
 * this is the record of that date when one stands.
 */
const positionOf = (records: readonly StandingCoLocation[], from: IsoDate): number => {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (records[mid].from < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

export const coLocationDecider: Decider<CoLocationCommand, CoLocationEvent, CoLocationState> = {
  initialState: () => ({ records: [] }),
  // Updates the list in place (it is always a fresh fold from initialState), so loading a centre with
  // many records stays linear: the list is kept in date order with one record per date, so a record
  // finds its place by binary search (a new one, the latest, is appended). Records are replaced, never
  // changed: their sharedWith is the event's own.
  evolve: (state, event) => {
    const records = state.records;
    switch (event.type) {
      case 'CoLocationRecorded': {
        const { from, premises, sharedWith } = event.data;
        // A new record starts after the latest standing one, so the list stays in date order; one of a
        // date already standing replaces it.
        const i = positionOf(records, from);
        if (i === records.length) records.push({ from, premises, sharedWith });
        else if (records[i].from === from) records[i] = { from, premises, sharedWith };
        else records.splice(i, 0, { from, premises, sharedWith });
        return state;
      }
      case 'CoLocationCorrected': {
        const { from, premises, sharedWith } = event.data;
        const i = positionOf(records, from);
        if (i < records.length && records[i].from === from) records[i] = { from, premises, sharedWith };
        return state;
      }
      case 'CoLocationWithdrawn': {
        const i = positionOf(records, event.data.from);
        if (i < records.length && records[i].from === event.data.from) records.splice(i, 1);
        return state;
      }
      default:
        return state;
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'RecordCoLocation': {
        const d = command.data;
        const centre = requireCentre(command.centre, d.centreId);
        if (d.from < centre.openedOn) {
          refuse('CO_LOCATION.BEFORE_OPENING', `Premises cannot be recorded from ${d.from}, before centre ${centre.name} opened (${centre.openedOn}).`, 'rule', { from: d.from, openedOn: centre.openedOn });
        }
        // Only the records still standing count: after a withdrawal the right record can be entered for that date.
        const latestFrom = latestStanding(state)?.from ?? null;
        if (latestFrom !== null && d.from <= latestFrom) {
          refuse('CO_LOCATION.OUT_OF_ORDER', `The premises recorded from ${latestFrom} are the latest; a new record must start after that date (correct or withdraw a record instead).`, 'rule', { latestFrom, from: d.from });
        }
        requireSharedWith(d.sharedWith, command.parties, centre.countyId);
        const events: CoLocationEvent[] = [{ type: 'CoLocationRecorded', data: { centreId: d.centreId, countyId: centre.countyId, from: d.from, premises: d.premises, sharedWith: d.sharedWith } }];
        // Premises from a day the centre is open are recorded, also when its closure is recorded for a later date.
        requireOpenFor(command.centre, d.centreId, events);
        return events;
      }
      case 'CorrectCoLocation': {
        const d = command.data;
        // A correction records no new activity of the centre (the record's date, on which it was open, stays): allowed
        // for a closed centre too, as reversals and withdrawals are elsewhere in the ledger.
        const centre = requireCentre(command.centre, d.centreId);
        const record = requireRecord(state, d.centreId, d.from);
        requireSharedWith(d.sharedWith, command.parties, centre.countyId);
        const next: CoLocationContents = { premises: d.premises, sharedWith: d.sharedWith };
        if (sameContents(next, record)) {
          refuse('CO_LOCATION.CORRECTION_CHANGES_NOTHING', `The correction of the premises record from ${d.from} changes nothing: it already says ${record.premises}, shared with the same. Give the premises and sharedWith it should say.`, 'rule', { centreId: d.centreId, from: d.from });
        }
        return [{ type: 'CoLocationCorrected', data: { centreId: d.centreId, countyId: centre.countyId, from: d.from, premises: d.premises, sharedWith: d.sharedWith, reason: d.reason, previous: contentsOf(record) } }];
      }
      case 'WithdrawCoLocation': {
        const d = command.data;
        // A withdrawal records no activity on a day: never refused for a closed centre.
        const centre = requireCentre(command.centre, d.centreId);
        requireRecord(state, d.centreId, d.from);
        return [{ type: 'CoLocationWithdrawn', data: { centreId: d.centreId, countyId: centre.countyId, from: d.from, reason: d.reason } }];
      }
      default:
        return assertNever(command);
    }
  },
};
