/**
 * Answers computed from a view, kept until the view folds another event. Keyed by the view object
 * itself (a live view, or an older one rebuilt for an "as of" question) and its `rev`, so an
 * answer is never served from a different state than the one it was computed from. Pure callers:
 * `memo(view, key, () => f(view, …))` returns exactly what `f` returns.
 */
interface Slot {
  rev: number;
  answers: Map<string, unknown>;
}

const slots = new WeakMap<object, Slot>();
const MAX_ANSWERS = 256;

export const memo = <T>(view: { rev: number }, key: string, compute: () => T): T => {
  let slot = slots.get(view);
  if (!slot || slot.rev !== view.rev) {
    slot = { rev: view.rev, answers: new Map() };
    slots.set(view, slot);
  }
  if (slot.answers.has(key)) return slot.answers.get(key) as T;
  const answer = compute();
  if (slot.answers.size >= MAX_ANSWERS) slot.answers.clear();
  slot.answers.set(key, answer);
  return answer;
};

const pieces = new WeakMap<object, Map<string, { rev: number; value: unknown }>>();
const MAX_PIECES = 100_000;

/**
 * A piece of an answer (e.g. one centre's figures for one year) kept until its own revision
 * changes, across other writes to the view: after one write, only the pieces it touched are recomputed.
 */
export const memoPiece = <T>(view: object, key: string, rev: number, compute: () => T): T => {
  let map = pieces.get(view);
  if (!map) pieces.set(view, (map = new Map()));
  const hit = map.get(key);
  if (hit && hit.rev === rev) return hit.value as T;
  const value = compute();
  if (map.size >= MAX_PIECES) map.clear();
  map.set(key, { rev, value });
  return value;
};
