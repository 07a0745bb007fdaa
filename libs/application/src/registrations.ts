import { PartyKind, PartyNamedAlike, partyNameKey, partyNamesAfter, SINCE_REGISTRATION } from '../../domain/src/parties';
import { CommandIO } from './command-definition';

/**
 * The uniqueness rules that look across streams: a county number (the base grant's remainder rule
 * orders counties by it) and an organisation number (one organisation is one party) belong to one
 * registration each, and a party's name to one party of its kind and county. Each reads every registration of its kind through `io.eventsOfTypes` (read once
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
