/**
 * Runs `one` back to back, each awaited before the next (one command at a time, as the raw
 * single-event baseline commits), until `seconds` have passed; returns the seconds it really took.
 */
export const backToBackFor = async (seconds: number, one: () => Promise<unknown>): Promise<number> => {
  const t0 = process.hrtime.bigint();
  const end = t0 + BigInt(Math.round(seconds * 1e9));
  let now = t0;
  while (now < end) {
    await one();
    now = process.hrtime.bigint();
  }
  return Number(now - t0) / 1e9;
};
