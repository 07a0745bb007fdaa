/** Fakes only the Date (Date.now, new Date) at `now`: the server's timers, I/O and microtasks run as usual. Undo with jest.useRealTimers(). */
export const fakeDateOnly = (now: number): void => {
  jest.useFakeTimers({
    doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
    now,
  });
};

/**
 * The first instant (ms) of a date in Norway: midnight Europe/Oslo is 23:00 or 22:00 UTC the day before.
 * Every "today" of the ledger is Norway's date, so tests that cross midnight cross this one.
 */
export const osloMidnight = (day: string): number => {
  const osloDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' });
  for (const hours of [1, 2]) {
    const at = Date.parse(`${day}T00:00:00Z`) - hours * 3600_000;
    if (osloDate.format(new Date(at)) === day && osloDate.format(new Date(at - 1)) !== day) return at;
  }
  throw new Error(`no Oslo midnight found for ${day}`);
};
