import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GRANTS_VIEW_EVENT_TYPES, grantsProjection } from './grants-view';

describe('GRANTS_VIEW_EVENT_TYPES', () => {
  it('names exactly the event types the grants view folds (an allocation rests on them)', () => {
    const source = readFileSync(join(__dirname, 'grants-view.ts'), 'utf8');
    const cases = [...new Set([...source.matchAll(/case '([A-Za-z]+)'/g)].map((m) => m[1]))].sort();
    expect([...GRANTS_VIEW_EVENT_TYPES].sort()).toEqual(cases);
  });

  it('an event of another type leaves the view as it was (but for its position)', () => {
    const view = grantsProjection.initial();
    const before = JSON.stringify({ ...view, position: 0 });
    const after = grantsProjection.evolve(view, { type: 'OperatingGrantRecorded', position: 7, data: { centreId: 'x', countyId: 'y', fiscalYear: 2014, amountOre: 1 } } as never);
    expect(JSON.stringify({ ...after, position: 0 })).toBe(before);
  });
});
