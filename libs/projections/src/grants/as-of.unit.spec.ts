import fc from 'fast-check';
import { allEligibility } from '.';
import { grantsProjection } from './grants-view';
import { TestLog } from './test-log';

const day = fc.integer({ min: 0, max: 800 }).map((n) => new Date(Date.UTC(2012, 6, 1) + n * 86_400_000).toISOString().slice(0, 10));
const GROUPS = ['primary-lower-secondary-counsellors', 'upper-secondary-counsellors', 'nav-staff', 'others'];

type Step = (log: TestLog) => void;
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.tuple(day, fc.integer({ min: 16, max: 30 }), fc.boolean()).map(([d, age, free]) => (l: TestLog) => l.declare('telemark-kc', 'telemark', d, age, free)),
  fc.tuple(day, fc.subarray(GROUPS, { minLength: 1 })).map(([d, gs]) => (l: TestLog) => l.activity('telemark-kc', 'telemark', d, gs)),
  fc.tuple(day, fc.integer({ min: 0, max: 400 })).map(([d, len]) => (l: TestLog) => l.survey('telemark-kc', 'telemark', d, new Date(Date.parse(d) + len * 86_400_000).toISOString().slice(0, 10))),
  fc.tuple(fc.integer({ min: 2012, max: 2014 }), day).map(([y, d]) => (l: TestLog) => l.report('telemark-kc', 'telemark', y, d)),
  day.map((d) => (l: TestLog) => l.terminatePartnership('telemark', 'p1', d)),
  day.map((d) => (l: TestLog) => l.endCoordinating('telemark', 'telemark-county', d)),
  // renames recorded in any date order, some after the year judged (they must not rename it)
  fc.tuple(fc.constantFrom('Karriere Telemark', 'Karrieresenteret i Telemark', 'Fremtid'), fc.oneof(day, fc.constant('2099-01-01'))).map(([name, d]) => (l: TestLog) => l.renameCentre('telemark-kc', name, d)),
);

describe('eligibility as of any position', () => {
  it('property: the live view (folded in place, queried between events) answers exactly as a view folded only up to that position', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 25 }), (steps) => {
        const log = new TestLog();
        log.county('telemark', 'Telemark', '08');
        log.party('telemark-county', 'county-authority', 'telemark');
        log.party('nav-telemark', 'nav-county-office', 'telemark');
        log.centre('telemark-kc', 'telemark');
        log.partnership('telemark', 'p1', ['telemark-county', 'nav-telemark'], '2012-07-01', '2012-07-01', null);
        log.coordinating('telemark', 'telemark-county', '2012-07-01', null);
        log.scheme(2014, '2014-03-01');
        for (const s of steps) s(log);
        const live = grantsProjection.initial();
        for (const e of log.events) {
          grantsProjection.evolve(live, e);
          if (e.position < 7) continue;
          expect(allEligibility(live, 2014)).toEqual(allEligibility(log.view(e.position), 2014));
        }
      }),
      { numRuns: 100 },
    );
  });
});
