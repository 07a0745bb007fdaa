import { deciderSpec } from '../shared/decider-spec';
import { centreDecider, CentreEvent } from './centre';
import { CentreFact, moneyOpenUntil } from './centre-facts';

const spec = deciderSpec(centreDecider);
const registered: CentreEvent = { type: 'CentreRegistered', data: { centreId: 'kc', countyId: 'telemark', name: 'Karrieresenteret Skien', municipality: 'Skien', openedOn: '2010-01-01' } };
const close = (closedOn: string, activity: CentreFact[]) => ({ type: 'CloseCentre' as const, data: { centreId: 'kc', closedOn, reason: 'nedlagt' }, activity });

const money = (fiscalYear: number): CentreFact => ({ kind: 'money', id: null, date: null, fiscalYear, openUntil: moneyOpenUntil(fiscalYear), what: `money for ${fiscalYear}`, streamId: null, position: null });
const dated = (kind: CentreFact['kind'], id: string, date: string, position: number): CentreFact => ({ kind, id, date, fiscalYear: null, openUntil: date, what: `${kind} ${id} on ${date}`, streamId: `s-${id}`, position });

describe('closing a centre: facts recorded in other streams (CENTRE.CLOSE_BEFORE_ACTIVITY)', () => {
  it('money for Y needs the centre open on 1 January of Y: closing from that day is refused, from 2 January accepted', () => {
    const err = spec.given([registered]).when(close('2016-01-01', [money(2016), money(2013)])).thenThrows('CENTRE.CLOSE_BEFORE_ACTIVITY', 'conflict');
    expect(err.details).toMatchObject({ closedOn: '2016-01-01', earliestClosedOn: '2016-01-02', conflictCount: 1 });
    expect(err.message).toBe(
      'Karrieresenteret Skien cannot be closed from 2016-01-01: a fact already recorded for it needs it open on or after that day: money for 2016. Close it from 2016-01-02 at the earliest, or first reverse or correct what was recorded by mistake.',
    );
    spec.given([registered]).when(close('2016-01-02', [money(2016), money(2013)])).then([{ type: 'CentreClosed', data: { centreId: 'kc', closedOn: '2016-01-02', reason: 'nedlagt' } }]);
  });

  it('a dated fact blocks a closing on or before its date; the refusal lists at most 10, latest first, and counts them all', () => {
    const facts = Array.from({ length: 12 }, (_, i) => dated('vote-cast', `v${i}`, `2014-02-${String(i + 10).padStart(2, '0')}`, 100 + i));
    const err = spec.given([registered]).when(close('2014-02-10', facts)).thenThrows('CENTRE.CLOSE_BEFORE_ACTIVITY', 'conflict');
    const d = err.details as any;
    expect([d.conflictCount, d.conflicts.length, d.earliestClosedOn, d.latest.id]).toEqual([12, 10, '2014-02-22', 'v11']);
    expect(d.conflicts.map((f: any) => f.id)).toEqual(['v11', 'v10', 'v9', 'v8', 'v7', 'v6', 'v5', 'v4', 'v3', 'v2']);
    expect(d.conflicts[0]).toMatchObject({ kind: 'vote-cast', id: 'v11', date: '2014-02-21', streamId: 's-v11', position: 111 });
    expect(err.message).toContain('12 facts already recorded for it need it open on or after that day; the latest is vote-cast v11 on 2014-02-21');
    spec.given([registered]).when(close('2014-02-22', facts)).events();
  });

  it('checks its own stream first: a closed or unknown centre, or a date before opening, is refused as before whatever the facts', () => {
    const facts = [money(2030)];
    spec.given([]).when(close('2014-01-01', facts)).thenThrows('CENTRE.NOT_FOUND', 'not-found');
    spec.given([registered]).when(close('2009-01-01', facts)).thenThrows('CENTRE.DATE_BEFORE_OPENING', 'rule');
    spec.given([registered, { type: 'CentreClosed', data: { centreId: 'kc', closedOn: '2031-01-01', reason: 'x' } }]).when(close('2032-01-01', facts)).thenThrows('CENTRE.CLOSED', 'rule');
  });
});
