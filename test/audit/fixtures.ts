import { randomUUID } from 'node:crypto';
import { EventMetadata } from '../../libs/domain/src/shared';
import { EventStore, EventToAppend } from '../../libs/event-store/src/port';

/** The deterministic PRNG (mulberry32) the benchmark generator uses, so every trial can be replayed from its seed. */
import { prng } from '../../bench/src/lib/stats';

export { prng };

export const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
export const intBetween = (rnd: () => number, lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));

/** A clock that moves forward one second per call (or as told), for pinned recorded times. */
export const steppingClock = (startIso = '2013-01-01T08:00:00.000Z', stepMs = 1000) => {
  let t = Date.parse(startIso);
  const clock = () => new Date(t);
  return {
    clock,
    advance: (ms: number) => {
      t += ms;
    },
    tick: () => {
      t += stepMs;
    },
    now: () => new Date(t).toISOString(),
  };
};

const meta = (actorId: string, role: string): EventMetadata => ({ actorId, actorRole: role, correlationId: randomUUID(), causationId: null, idempotencyKey: null });

/**
 * Fills a store with a realistic mixed log written straight to the store port: counties, centres,
 * money entries and reversals interleaved across streams, with unicode in the data.
 */
export const fillLedger = async (store: EventStore, seed: number, events: number, onAppend?: () => void): Promise<void> => {
  const rnd = prng(seed);
  const counties = ['telemark', 'troms', 'ostfold', 'vest-agder', 'nordland'];
  const centres: { id: string; county: string }[] = [];
  let written = 0;
  const append = async (stream: string, list: Omit<EventToAppend, 'eventId' | 'schemaVersion' | 'metadata'>[], actor: string, role: string) => {
    await store.append(stream, list.map((e) => ({ ...e, eventId: randomUUID(), schemaVersion: 1, metadata: meta(actor, role) })), 'any');
    written += list.length;
    onAppend?.();
  };
  for (const c of counties) await append(`county-${c}`, [{ type: 'CountyRegistered', data: { countyId: c, name: c === 'ostfold' ? 'Østfold' : c, countyNumber: String(counties.indexOf(c) + 1).padStart(2, '0') } }], 'seed', 'admin');
  while (written < events) {
    const r = rnd();
    if (centres.length < 3 || r < 0.1) {
      const county = pick(rnd, counties);
      const id = `${county}-kc-${centres.length + 1}`;
      centres.push({ id, county });
      await append(`centre-${id}`, [{ type: 'CentreRegistered', data: { centreId: id, countyId: county, name: `Karrieresenter ${id}`, municipality: 'Bø i Telemark', openedOn: '2010-01-01' } }], `fo-${county}`, 'finance-officer');
    } else if (r < 0.8) {
      const c = pick(rnd, centres);
      const year = intBetween(rnd, 2012, 2014);
      await append(`funding-${c.id}-${year}`, [{ type: 'OperatingGrantRecorded', data: { entryId: randomUUID(), centreId: c.id, countyId: c.county, fiscalYear: year, partyId: `${c.county}-fk`, amountOre: intBetween(rnd, 1, 500_000_000), decidedOn: `${year}-02-01`, reference: 'vedtak', note: 'Driftsmidler «æøå»', correctsEntryId: null } }], `fo-${c.county}`, 'finance-officer');
    } else {
      const c = pick(rnd, centres);
      await append(`centre-${c.id}`, [{ type: 'CentreRenamed', data: { centreId: c.id, name: `Karrieresenter ${c.id} ${written}`, previousName: 'x', effectiveFrom: '2013-06-01' } }], `fo-${c.county}`, 'finance-officer');
    }
  }
};
