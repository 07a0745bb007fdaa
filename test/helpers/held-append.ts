import { RecordedEvent } from '../../libs/domain/src/shared';
import { EventStore } from '../../libs/event-store/src/port';

/**
 * A view of the store whose first append to `streamId` runs `meanwhile` (to completion) before it
 * goes on: the command appending there has decided, and the other write lands in between (a race
 * staged exactly). `state.attempts` counts the appends to that stream.
 */
export const holdFirstAppend = (store: EventStore, streamId: string, meanwhile: () => Promise<unknown>) => {
  const state = { attempts: 0 };
  const view = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'append') {
        return async (...a: Parameters<EventStore['append']>) => {
          if (a[0] === streamId && state.attempts++ === 0) await meanwhile();
          return target.append(...a);
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { view, state };
};

/** The whole (small) log of a test store. */
export const allEvents = async (store: EventStore): Promise<RecordedEvent[]> => store.readAll({ after: 0, maxCount: 10_000 });
