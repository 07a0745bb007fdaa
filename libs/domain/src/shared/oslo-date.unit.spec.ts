import * as dates from './dates';
import { osloDateOf } from './dates';

describe("today's date in Norway (Europe/Oslo)", () => {
  it('is the next day from 23:00 UTC in winter and from 22:00 UTC in summer, where the UTC date is not', () => {
    const cases: [string, string][] = [
      ['2026-11-27T22:59:59.999Z', '2026-11-27'],
      ['2026-11-27T23:00:00.000Z', '2026-11-28'],
      ['2026-07-01T21:59:59.999Z', '2026-07-01'],
      ['2026-07-01T22:00:00.000Z', '2026-07-02'],
      ['2026-12-31T23:30:00.000Z', '2027-01-01'],
      ['2024-02-28T23:00:00.000Z', '2024-02-29'],
      // the clocks change: 2026-03-29 01:00 UTC (to summer time), 2026-10-25 01:00 UTC (back)
      ['2026-03-28T22:59:59.000Z', '2026-03-28'],
      ['2026-03-28T23:00:00.000Z', '2026-03-29'],
      ['2026-10-24T21:59:59.000Z', '2026-10-24'],
      ['2026-10-24T22:00:00.000Z', '2026-10-25'],
    ];
    expect(cases.map(([at]) => [at, osloDateOf(at)])).toEqual(cases);
    // There is one "today": the UTC one (todayOf) is gone, so no caller can reach for it again.
    expect('todayOf' in dates).toBe(false);
  });
});
