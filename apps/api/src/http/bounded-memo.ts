/** At most this many distinct arguments remembered (then all forgotten at once). */
const MEMO_MAX = 1_000;

/**
 * `f` remembered per argument, for at most MEMO_MAX distinct arguments at a time: clients send the
 * same header values (Accept-Encoding, a token) on every request, so each is parsed once.
 */
export const memoOf = <T>(f: (arg: string) => T): ((arg: string) => T) => {
  const memo = new Map<string, T>();
  return (arg) => {
    if (memo.has(arg)) return memo.get(arg) as T;
    if (memo.size >= MEMO_MAX) memo.clear();
    const value = f(arg);
    memo.set(arg, value);
    return value;
  };
};
