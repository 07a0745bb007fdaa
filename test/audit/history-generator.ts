import { EventMetadata } from '../../libs/domain/src/shared';
import { EventStore, EventToAppend } from '../../libs/event-store/src/port';
import { intBetween, pick, prng } from './fixtures';

export interface GeneratedStep {
  stream: string;
  events: Omit<EventToAppend, 'metadata' | 'schemaVersion'>[];
  /** Milliseconds the clock moves before this append (0: same recorded instant as the previous one). */
  advanceMs: number;
}

const meta = (i: number): EventMetadata => ({ actorId: `actor-${i % 3}`, actorRole: 'finance-officer', correlationId: `corr-${i}`, causationId: null, idempotencyKey: null });

/**
 * A random but realistic history, in the catalogue's event shapes: counties, parties, centres
 * (registered, renamed, closed), money entries of every kind for several fiscal years, and
 * reversals (corrections) of earlier entries, recorded at random instants (several per instant too).
 */
export const generateHistory = (seed: number, steps: number): GeneratedStep[] => {
  const rnd = prng(seed);
  const out: GeneratedStep[] = [];
  const counties = ['telemark', 'troms', 'ostfold', 'vest-agder'];
  let n = 0;
  const id = (p: string) => `${p}-${seed}-${n++}`;
  const advance = () => (rnd() < 0.25 ? 0 : intBetween(rnd, 1, 40) * 3_600_000);
  for (const c of counties) {
    out.push({ stream: `county-${c}`, advanceMs: advance(), events: [{ eventId: id('e'), type: 'CountyRegistered', data: { countyId: c, name: c, countyNumber: String(counties.indexOf(c) + 1).padStart(2, '0') } }] });
    out.push({ stream: `party-${c}-fk`, advanceMs: advance(), events: [{ eventId: id('e'), type: 'PartyRegistered', data: { partyId: `${c}-fk`, name: `${c} fylkeskommune`, kind: 'county-authority', countyId: c, organisationNumber: null } }] });
    out.push({ stream: `party-nav-${c}`, advanceMs: advance(), events: [{ eventId: id('e'), type: 'PartyRegistered', data: { partyId: `nav-${c}`, name: `NAV ${c}`, kind: 'nav-county-office', countyId: c, organisationNumber: null } }] });
  }
  const centres: { id: string; county: string; closed: boolean }[] = [];
  const entries: { entryId: string; centreId: string; countyId: string; year: number; stream: string; reversed: boolean }[] = [];
  const kinds = ['OperatingGrantRecorded', 'EarmarkedFundsRecorded', 'TenderAwardRecorded', 'OtherIncomeRecorded'];
  while (out.length < steps) {
    const r = rnd();
    const open = centres.filter((c) => !c.closed);
    if (open.length === 0 || r < 0.12) {
      const county = pick(rnd, counties);
      const centreId = id('kc');
      centres.push({ id: centreId, county, closed: false });
      out.push({ stream: `centre-${centreId}`, advanceMs: advance(), events: [{ eventId: id('e'), type: 'CentreRegistered', data: { centreId, countyId: county, name: `Karrieresenter ${centreId}`, municipality: 'Skien', openedOn: '2010-01-01' } }] });
    } else if (r < 0.2) {
      const c = pick(rnd, open);
      out.push({ stream: `centre-${c.id}`, advanceMs: advance(), events: [{ eventId: id('e'), type: 'CentreRenamed', data: { centreId: c.id, name: `Nytt navn ${n}`, previousName: 'x', effectiveFrom: '2013-03-01' } }] });
    } else if (r < 0.23) {
      const c = pick(rnd, open);
      c.closed = true;
      out.push({ stream: `centre-${c.id}`, advanceMs: advance(), events: [{ eventId: id('e'), type: 'CentreClosed', data: { centreId: c.id, closedOn: '2014-06-30', reason: 'nedlagt' } }] });
    } else if (r < 0.85 || entries.every((e) => e.reversed)) {
      const c = pick(rnd, open);
      const year = intBetween(rnd, 2012, 2014);
      const entryId = id('entry');
      const stream = `funding-${c.id}-${year}`;
      const type = pick(rnd, kinds);
      const extra: Record<string, unknown> =
        type === 'EarmarkedFundsRecorded' ? { purpose: 'prosjekt', period: { from: `${year}-01-01`, to: `${year}-12-31` } } : type === 'TenderAwardRecorded' ? { contractReference: 'NAV-1', period: { from: `${year}-01-01`, to: null } } : type === 'OtherIncomeRecorded' ? { incomeKind: 'course-fees' } : {};
      entries.push({ entryId, centreId: c.id, countyId: c.county, year, stream, reversed: false });
      out.push({
        stream,
        advanceMs: advance(),
        events: [{ eventId: id('e'), type, data: { entryId, centreId: c.id, countyId: c.county, fiscalYear: year, partyId: pick(rnd, [`${c.county}-fk`, `nav-${c.county}`]), amountOre: rnd() < 0.1 ? null : intBetween(rnd, 1, 300_000_000), decidedOn: `${year}-02-0${intBetween(rnd, 1, 9)}`, reference: 'vedtak', note: 'æøå', correctsEntryId: null, ...extra } }],
      });
    } else {
      const e = pick(rnd, entries.filter((x) => !x.reversed));
      e.reversed = true;
      out.push({ stream: e.stream, advanceMs: advance(), events: [{ eventId: id('e'), type: 'EntryReversed', data: { entryId: id('entry'), reversedEntryId: e.entryId, centreId: e.centreId, countyId: e.countyId, fiscalYear: e.year, reason: 'feilføring' } }] });
    }
  }
  return out;
};

/** Appends the steps to a store whose clock is `clock` (moved by each step's advanceMs). */
export const writeHistory = async (store: EventStore, steps: GeneratedStep[], advance: (ms: number) => void): Promise<void> => {
  let i = 0;
  for (const s of steps) {
    advance(s.advanceMs);
    await store.append(s.stream, s.events.map((e) => ({ ...e, schemaVersion: 1, metadata: meta(i++) })), 'any');
  }
};
