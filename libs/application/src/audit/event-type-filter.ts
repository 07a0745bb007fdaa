import { EVENT_TYPES } from '../../../domain/src/event-types';
import { DomainError } from '../../../domain/src/shared';

const KNOWN: ReadonlySet<string> = new Set(EVENT_TYPES);

/** Edits (insert, delete, replace) between two short names, case ignored. */
const distance = (a: string, b: string): number => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[y.length];
};

/** The recorded type a misspelling most likely meant: the nearest within 3 edits (case ignored), or none. */
export const nearestEventType = (name: string): string | null => {
  let best: string | null = null;
  let bestD = 4;
  for (const t of EVENT_TYPES) {
    const d = distance(name, t);
    if (d < bestD) {
      best = t;
      bestD = d;
    }
  }
  return best;
};

/**
 * The event types a `type` filter names (comma separated), each one the ledger records. A name it
 * does not record would match nothing, and an auditor would read the empty page as "none recorded":
 * 400 AUDIT.UNKNOWN_EVENT_TYPE instead, naming the near spelling when there is one.
 */
export const eventTypesFilter = (raw: string | undefined): string[] | undefined => {
  if (raw === undefined) return undefined;
  const names = raw.split(',');
  const unknown = names.filter((n) => !KNOWN.has(n));
  if (unknown.length === 0) return names;
  const didYouMean = Object.fromEntries(unknown.map((n) => [n, nearestEventType(n)]).filter(([, t]) => t !== null));
  const hints = unknown.map((n) => (didYouMean[n] ? `${n} (did you mean ${didYouMean[n]}?)` : n)).join(', ');
  throw new DomainError(
    'AUDIT.UNKNOWN_EVENT_TYPE',
    `The ledger records no event of type ${hints}; nothing was filtered. Event types are written as recorded, e.g. OperatingGrantRecorded, VoteCast (details.known lists them all).`,
    'invalid',
    { unknown, didYouMean, known: [...EVENT_TYPES] },
  );
};
