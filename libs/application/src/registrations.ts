import { CentreAlike, centreNameKey, withName } from '../../domain/src/counties';
import { PartyKind, PartyNamedAlike, partyNameKey, partyNamesAfter, SINCE_REGISTRATION } from '../../domain/src/parties';
import { CommandIO } from './command-definition';

/**
 * The uniqueness rules that look across streams: a county number (the base grant's remainder rule
 * orders counties by it) and an organisation number (one organisation is one party) belong to one
 * registration each, a party's name to one party of its kind and county, a party's or centre's id
 * (compared without regard to case) to one party or centre, and a centre's name to one open centre of
 * its county. Each reads every registration of its kind through `io.eventsOfTypes` (read once
 * per store, then only what is new). A registration of the same number recorded while one is decided
 * makes it decide again (`relevant`, see handleCommand's decisionIo); others do not disturb it.
 */

const registrations = async (io: CommandIO, type: string, relevant: (data: any) => boolean): Promise<readonly { data: unknown }[]> => {
  if (!io.eventsOfTypes) throw new Error(`A uniqueness rule needs the command path's IO (eventsOfTypes) to read every ${type}.`);
  return io.eventsOfTypes([type], relevant);
};

/** The county already registered with this county number (another id), or null. */
export const countyNumberTakenBy = async (io: CommandIO, countyId: string, countyNumber: string): Promise<{ countyId: string; name: string } | null> => {
  for (const e of await registrations(io, 'CountyRegistered', (d) => d?.countyNumber === countyNumber && d?.countyId !== countyId)) {
    const d = e.data as { countyId?: unknown; name?: unknown; countyNumber?: unknown };
    if (d.countyNumber === countyNumber && d.countyId !== countyId) return { countyId: String(d.countyId), name: String(d.name) };
  }
  return null;
};

/** The party already registered with this organisation number (another id), or null; null too when no number is given. */
export const organisationNumberTakenBy = async (io: CommandIO, partyId: string, organisationNumber: string | null): Promise<{ partyId: string; name: string } | null> => {
  if (organisationNumber === null) return null;
  for (const e of await registrations(io, 'PartyRegistered', (d) => d?.organisationNumber === organisationNumber && d?.partyId !== partyId)) {
    const d = e.data as { partyId?: unknown; name?: unknown; organisationNumber?: unknown };
    if (d.organisationNumber === organisationNumber && d.partyId !== partyId) return { partyId: String(d.partyId), name: String(d.name) };
  }
  return null;
};

/**
 * Every other party with a name (of any day) written like `name` (partyNameKey), with its kind, county
 * and dated names, for the duplicate-name rule (the party decider judges which of them clash). Reads
 * registrations and renames; one recorded meanwhile with such a name makes the decision run again.
 */
export const partiesNamedAlike = async (io: CommandIO, partyId: string, name: string): Promise<PartyNamedAlike[]> => {
  const key = partyNameKey(name);
  const alike = (d: any): boolean => typeof d?.name === 'string' && partyNameKey(d.name) === key;
  if (!io.eventsOfTypes) throw new Error('The duplicate-name rule needs the command path\'s IO (eventsOfTypes) to read every party.');
  const parties = new Map<string, PartyNamedAlike>();
  for (const e of await io.eventsOfTypes(['PartyRegistered', 'PartyRenamed'], alike)) {
    const d = e.data as { partyId: string; name: string; kind?: PartyKind; countyId?: string | null; effectiveFrom?: string };
    if (e.type === 'PartyRegistered') parties.set(d.partyId, { partyId: d.partyId, kind: d.kind as PartyKind, countyId: d.countyId ?? null, names: [{ name: d.name, from: SINCE_REGISTRATION }] });
    else {
      const p = parties.get(d.partyId);
      if (p) parties.set(d.partyId, { ...p, names: partyNamesAfter(p.names, d) });
    }
  }
  return [...parties.values()].filter((p) => p.partyId !== partyId && p.names.some((n) => partyNameKey(n.name) === key));
};

/**
 * The party already registered with this id in another case ("NAV-Telemark" beside "nav-telemark"),
 * or null: ids are compared without regard to case, so it would be that party registered again.
 */
export const partyIdTakenBy = async (io: CommandIO, partyId: string): Promise<{ partyId: string; name: string } | null> => {
  const lower = partyId.toLowerCase();
  const other = (d: any): boolean => typeof d?.partyId === 'string' && d.partyId !== partyId && d.partyId.toLowerCase() === lower;
  for (const e of await registrations(io, 'PartyRegistered', other)) {
    const d = e.data as { partyId?: unknown; name?: unknown };
    if (other(d)) return { partyId: String(d.partyId), name: String(d.name) };
  }
  return null;
};

/**
 * Every other centre whose id is `centreId` in another case, or that has had (or will have, by a
 * rename dated later) a name written like `name` (centreNameKey), with its county, dates and names,
 * for the centre decider's id and name rules. Reads every registration, rename and closure of a
 * centre; a registration or rename recorded meanwhile with such an id or name makes the decision run
 * again (a closure or a rename to another name can only free a name).
 */
export const centresAlike = async (io: CommandIO, centreId: string, name: string): Promise<CentreAlike[]> => {
  const id = centreId.toLowerCase();
  const key = centreNameKey(name);
  const sameId = (other: unknown): boolean => typeof other === 'string' && other !== centreId && other.toLowerCase() === id;
  const relevant = (d: any): boolean => sameId(d?.centreId) || (typeof d?.name === 'string' && centreNameKey(d.name) === key);
  if (!io.eventsOfTypes) throw new Error('The centre id and name rules need the command path\'s IO (eventsOfTypes) to read every centre.');
  const events = await io.eventsOfTypes(['CentreRegistered', 'CentreRenamed', 'CentreClosed'], relevant);
  // Only the centres some event of which has such an id or name are put together (a few of thousands).
  const wanted = new Set<string>();
  for (const e of events) {
    const d = e.data as { centreId: string };
    if (d.centreId !== centreId && relevant(d)) wanted.add(d.centreId);
  }
  if (wanted.size === 0) return [];
  const centres = new Map<string, CentreAlike>();
  for (const e of events) {
    const d = e.data as { centreId: string; countyId?: string; name?: string; openedOn?: string; effectiveFrom?: string; closedOn?: string };
    if (!wanted.has(d.centreId)) continue;
    const c = centres.get(d.centreId);
    if (e.type === 'CentreRegistered') centres.set(d.centreId, { centreId: d.centreId, countyId: d.countyId!, openedOn: d.openedOn!, closedOn: null, names: [{ name: d.name!, from: d.openedOn! }] });
    else if (c && e.type === 'CentreRenamed') centres.set(d.centreId, { ...c, names: withName(c.names, d.name!, d.effectiveFrom!) });
    else if (c && e.type === 'CentreClosed') centres.set(d.centreId, { ...c, closedOn: d.closedOn! });
  }
  return [...centres.values()].filter((c) => c.centreId !== centreId && (sameId(c.centreId) || c.names.some((n) => centreNameKey(n.name) === key)));
};
