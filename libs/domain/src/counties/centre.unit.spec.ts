import { deciderSpec } from '../shared/decider-spec';
import { centreDecider, CentreEvent, centreStream, requireCentre } from './centre';
import { CountyState } from './county';

const spec = deciderSpec(centreDecider);
const county: CountyState = { status: 'registered', countyId: 'telemark', name: 'Telemark', countyNumber: '08' };
const noCounty: CountyState = { status: 'unregistered' };
const reg = { centreId: 'kc-skien', countyId: 'telemark', name: 'Karrieresenteret Skien', municipality: 'Skien', openedOn: '2014-03-01' };
const registered: CentreEvent = { type: 'CentreRegistered', data: reg };
const renamed: CentreEvent = { type: 'CentreRenamed', data: { centreId: 'kc-skien', name: 'Karriere Telemark', previousName: 'Karrieresenteret Skien', effectiveFrom: '2016-01-01' } };
const closed: CentreEvent = { type: 'CentreClosed', data: { centreId: 'kc-skien', closedOn: '2019-12-31', reason: 'County merger' } };

describe('centre decider', () => {
  describe('RegisterCentre', () => {
    it('given nothing and a registered county, then CentreRegistered', () => {
      spec.given([]).when({ type: 'RegisterCentre', data: reg, county }).then([registered]);
    });
    it('given nothing and an unregistered county, then COUNTY.NOT_FOUND (not-found)', () => {
      spec.given([]).when({ type: 'RegisterCentre', data: reg, county: noCounty }).thenThrows('COUNTY.NOT_FOUND', 'not-found');
    });
    it('given a registered centre, then CENTRE.ALREADY_REGISTERED (conflict)', () => {
      spec.given([registered]).when({ type: 'RegisterCentre', data: reg, county }).thenThrows('CENTRE.ALREADY_REGISTERED', 'conflict');
    });
  });

  describe('RenameCentre', () => {
    it('given an open centre, then CentreRenamed carrying the previous name', () => {
      spec.given([registered]).when({ type: 'RenameCentre', data: { centreId: 'kc-skien', name: 'Karriere Telemark', effectiveFrom: '2016-01-01' } }).then([renamed]);
    });
    it('a second rename carries the name from the first as previous name', () => {
      spec.given([registered, renamed])
        .when({ type: 'RenameCentre', data: { centreId: 'kc-skien', name: 'KT', effectiveFrom: '2017-01-01' } })
        .then([{ type: 'CentreRenamed', data: { centreId: 'kc-skien', name: 'KT', previousName: 'Karriere Telemark', effectiveFrom: '2017-01-01' } }]);
    });
    it('renaming to the current name records nothing (idempotent)', () => {
      spec.given([registered]).when({ type: 'RenameCentre', data: { centreId: 'kc-skien', name: reg.name, effectiveFrom: '2016-01-01' } }).then([]);
    });
    it('a rename is a no-op only when that name is already in force on its date: the latest name from an earlier date is recorded', () => {
      const rename = (name: string, effectiveFrom: string) => ({ type: 'RenameCentre' as const, data: { centreId: 'kc-skien', name, effectiveFrom } });
      // the latest name (from 2016), now from 2015: before, 2015 had the registered name
      spec.given([registered, renamed]).when(rename('Karriere Telemark', '2015-01-01')).then([{ type: 'CentreRenamed', data: { centreId: 'kc-skien', name: 'Karriere Telemark', previousName: 'Karrieresenteret Skien', effectiveFrom: '2015-01-01' } }]);
      // already in force on that day: nothing to record
      spec.given([registered, renamed]).when(rename('Karriere Telemark', '2017-06-01')).then([]);
      spec.given([registered, renamed]).when(rename('Karrieresenteret Skien', '2015-12-31')).then([]);
      // back to the registered name from a day the later name is in force: recorded, the name it replaces as previous name
      spec.given([registered, renamed]).when(rename('Karrieresenteret Skien', '2018-01-01')).then([{ type: 'CentreRenamed', data: { centreId: 'kc-skien', name: 'Karrieresenteret Skien', previousName: 'Karriere Telemark', effectiveFrom: '2018-01-01' } }]);
      // a rename recorded out of date order is placed by its date
      const midway: CentreEvent = { type: 'CentreRenamed', data: { centreId: 'kc-skien', name: 'Midt', previousName: 'Karrieresenteret Skien', effectiveFrom: '2015-01-01' } };
      spec.given([registered, renamed, midway]).when(rename('Midt', '2015-06-01')).then([]);
      spec.given([registered, renamed, midway]).when(rename('Midt', '2016-06-01')).then([{ type: 'CentreRenamed', data: { centreId: 'kc-skien', name: 'Midt', previousName: 'Karriere Telemark', effectiveFrom: '2016-06-01' } }]);
    });
    it('a rename effective before the opening date is CENTRE.DATE_BEFORE_OPENING (rule)', () => {
      spec.given([registered]).when({ type: 'RenameCentre', data: { centreId: 'kc-skien', name: 'X', effectiveFrom: '2014-02-28' } }).thenThrows('CENTRE.DATE_BEFORE_OPENING', 'rule');
    });
    it('given no centre, then CENTRE.NOT_FOUND (not-found)', () => {
      spec.given([]).when({ type: 'RenameCentre', data: { centreId: 'kc-skien', name: 'X', effectiveFrom: '2016-01-01' } }).thenThrows('CENTRE.NOT_FOUND', 'not-found');
    });
    it('given a closed centre, then CENTRE.CLOSED (rule)', () => {
      spec.given([registered, closed]).when({ type: 'RenameCentre', data: { centreId: 'kc-skien', name: 'X', effectiveFrom: '2020-01-01' } }).thenThrows('CENTRE.CLOSED', 'rule');
    });
  });

  describe('CloseCentre', () => {
    it('given an open centre, then CentreClosed', () => {
      spec.given([registered, renamed]).when({ type: 'CloseCentre', data: closed.data as { centreId: string; closedOn: string; reason: string } }).then([closed]);
    });
    it('closing before opening is CENTRE.DATE_BEFORE_OPENING', () => {
      spec.given([registered]).when({ type: 'CloseCentre', data: { centreId: 'kc-skien', closedOn: '2013-01-01', reason: 'x' } }).thenThrows('CENTRE.DATE_BEFORE_OPENING', 'rule');
    });
    it('closing twice is CENTRE.CLOSED', () => {
      spec.given([registered, closed]).when({ type: 'CloseCentre', data: { centreId: 'kc-skien', closedOn: '2020-01-01', reason: 'again' } }).thenThrows('CENTRE.CLOSED', 'rule');
    });
    it('closing an unknown centre is CENTRE.NOT_FOUND', () => {
      spec.given([]).when({ type: 'CloseCentre', data: { centreId: 'kc-skien', closedOn: '2020-01-01', reason: 'x' } }).thenThrows('CENTRE.NOT_FOUND', 'not-found');
    });
  });

  describe('evolve', () => {
    it('folds register, rename and close into the closed state with the latest name and every name by date', () => {
      expect(spec.given([registered, renamed, closed]).state()).toEqual({
        status: 'closed',
        ...reg,
        name: 'Karriere Telemark',
        names: [{ name: reg.name, from: '2014-03-01' }, { name: 'Karriere Telemark', from: '2016-01-01' }],
        closedOn: '2019-12-31',
      });
    });
    it('ignores a rename or close before registration (never throws)', () => {
      expect(spec.given([renamed, closed]).state()).toEqual({ status: 'unregistered' });
    });
    it('requireCentre returns the registered state', () => {
      expect(requireCentre(spec.given([registered]).state(), 'kc-skien')).toEqual({ status: 'open', ...reg, names: [{ name: reg.name, from: reg.openedOn }] });
    });
    it('the stream name is centre-<id>', () => {
      expect(centreStream('kc-skien')).toBe('centre-kc-skien');
    });
  });
});
