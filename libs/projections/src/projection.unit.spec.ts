import { RecordedEvent } from '../../domain/src/shared';
import { foldEvents, Projection, skippedEvents } from './projection';

const event = (type: string, position: number): RecordedEvent =>
  ({ eventId: `e${position}`, streamId: 's', revision: position - 1, position, type, schemaVersion: 1, data: {}, metadata: {} as any, recordedAt: '2014-01-01T00:00:00.000Z', prevHash: null, hash: 'h' });

describe('foldEvents', () => {
  it('skips an event whose evolve throws, counts it, and goes on with the next', () => {
    const counting: Projection<{ n: number }> = {
      name: 'throwing-test',
      version: 1,
      initial: () => ({ n: 0 }),
      evolve: (v, e) => {
        if (e.type === 'Bad') throw new Error('malformed');
        v.n++;
        return v;
      },
    };
    const view = foldEvents(counting, [event('Good', 1), event('Bad', 2), event('Good', 3)]);
    expect(view.n).toBe(2);
    expect(skippedEvents['throwing-test']).toBe(1);
  });
});
