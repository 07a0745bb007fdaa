import { RecordedEvent } from '../../../domain/src/shared';

/** A pointer to the recorded event that shows a fact: enough to open it in the log. */
export interface EventRef {
  eventId: string;
  position: number;
  type: string;
}

export const refOf = (e: RecordedEvent): EventRef => ({ eventId: e.eventId, position: e.position, type: e.type });

export const has = <V>(o: Record<string, V>, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
export const get = <V>(o: Record<string, V>, k: string): V | undefined => (has(o, k) ? o[k] : undefined);
/** The own entry under k, created when missing (safe for ids such as "constructor"). */
export const slot = <V>(o: Record<string, V>, k: string, make: () => NoInfer<V>): V => (has(o, k) ? o[k] : (o[k] = make()));
