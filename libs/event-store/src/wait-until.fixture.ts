/** Test helpers: a pause, and a wait for a condition (polled every 10 ms) that tells whether it came true in time. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const until = async (cond: () => boolean, timeoutMs: number): Promise<boolean> => {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) return false;
    await sleep(10);
  }
  return true;
};
