import { newEventId } from './event-id';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newEventId (UUID v7)', () => {
  it('is a version-7, RFC-variant UUID carrying the millisecond it was made', () => {
    const at = Date.UTC(2026, 10, 26, 10, 30);
    const id = newEventId(at + 1_000_000); // later than any id made so far in this test file
    expect(id).toMatch(V7);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at + 1_000_000);
  });

  it('keeps ids strictly increasing, within one millisecond, across 10,000 ids and when the clock steps back', () => {
    const t = Date.UTC(2030, 0, 1);
    const ids = [...Array.from({ length: 10_000 }, () => newEventId(t)), newEventId(t - 5_000), newEventId(t + 1)];
    for (const id of ids) expect(id).toMatch(V7);
    for (let i = 1; i < ids.length; i++) expect(ids[i] > ids[i - 1]).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
