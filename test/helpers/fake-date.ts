/** Fakes only the Date (Date.now, new Date) at `now`: the server's timers, I/O and microtasks run as usual. Undo with jest.useRealTimers(). */
export const fakeDateOnly = (now: number): void => {
  jest.useFakeTimers({
    doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
    now,
  });
};
