import { EVENT_TYPES } from '../../../domain/src/event-types';
import { DomainError } from '../../../domain/src/shared';
import { eventTypesFilter, nearestEventType } from './event-type-filter';

const refusal = (raw: string): DomainError => {
  try {
    eventTypesFilter(raw);
  } catch (e) {
    return e as DomainError;
  }
  throw new Error(`${raw} was not refused`);
};

describe('the audit log\'s event type filter', () => {
  it('passes recorded type names through as given, and no filter as none', () => {
    expect(eventTypesFilter(undefined)).toBeUndefined();
    expect(eventTypesFilter('VoteCast')).toEqual(['VoteCast']);
    expect(eventTypesFilter('OperatingGrantRecorded,EntryReversed')).toEqual(['OperatingGrantRecorded', 'EntryReversed']);
    expect(eventTypesFilter(EVENT_TYPES.slice(0, 20).join(','))).toEqual(EVENT_TYPES.slice(0, 20));
  });

  it('refuses a type the ledger does not record (400 AUDIT.UNKNOWN_EVENT_TYPE), naming the near spelling and every known type', () => {
    const e = refusal('OperatingGrantRecorded,OperatingGrantsRecorded');
    expect(e).toMatchObject({ code: 'AUDIT.UNKNOWN_EVENT_TYPE', kind: 'invalid' });
    expect(e.details).toEqual({ unknown: ['OperatingGrantsRecorded'], didYouMean: { OperatingGrantsRecorded: 'OperatingGrantRecorded' }, known: [...EVENT_TYPES] });
    expect(e.message).toContain('OperatingGrantsRecorded (did you mean OperatingGrantRecorded?)');
  });

  it('suggests the recorded spelling for a different case or a typo, and nothing for a name far from every type', () => {
    expect(nearestEventType('votecast')).toBe('VoteCast');
    expect(nearestEventType('CentreRenammed')).toBe('CentreRenamed');
    expect(nearestEventType('BoardMemberApointed')).toBe('BoardMemberAppointed');
    expect(nearestEventType('Payment')).toBeNull();
    const e = refusal('Payment');
    expect(e.details).toMatchObject({ unknown: ['Payment'], didYouMean: {} });
    expect(e.message).toContain('no event of type Payment;');
  });

  it('lists each type once', () => {
    expect(new Set(EVENT_TYPES).size).toBe(EVENT_TYPES.length);
  });
});
