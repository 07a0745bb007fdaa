import { own, RecordedEvent } from '../../../domain/src/shared';

/** A pointer to the recorded event that shows a fact: enough to open it in the log. */
export interface EventRef {
  eventId: string;
  position: number;
  type: string;
}

export const refOf = (e: RecordedEvent): EventRef => ({ eventId: e.eventId, position: e.position, type: e.type });

export const has = <V>(o: Record<string, V>, k: string): boolean => Object.hasOwn(o, k);
/** The own entry under k: the domain's `own` (libs/domain/src/shared/own.ts), under the name the projections use. */
export const get = own;
/** The own entry under k, created when missing (safe for ids such as "constructor"). */
export const slot = <V>(o: Record<string, V>, k: string, make: () => NoInfer<V>): V => (has(o, k) ? o[k] : (o[k] = make()));

const UUID = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})/;
/** Keys JavaScript orders first, by number (array indices). */
const isIndex = (s: string): boolean => /^(?:0|[1-9]\d{0,9})$/.test(s) && Number(s) < 4294967295;

/**
 * An id as compact views keep it, one-to-one: an id that starts with a lowercase UUID keeps those 36
 * characters as 22 base64url ones (then the rest of the id as is); an array index ('42') stays as it is (so
 * an object keyed by ids keeps the order JavaScript gives such keys); anything else gets a leading '!',
 * which base64url never contains.
 */
export const packId = (id: string): string => {
  const m = UUID.exec(id);
  if (m) return Buffer.from(m[1] + m[2] + m[3] + m[4] + m[5], 'hex').toString('base64url') + id.slice(36);
  return isIndex(id) ? id : `!${id}`;
};

/** The id packId packed. */
export const unpackId = (packed: string): string => {
  if (packed.startsWith('!')) return packed.slice(1);
  if (isIndex(packed)) return packed;
  const h = Buffer.from(packed.slice(0, 22), 'base64url').toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}${packed.slice(22)}`;
};
