import { CommandIO } from './command-definition';

/**
 * The uniqueness rules that look across streams: a county number (the base grant's remainder rule
 * orders counties by it) and an organisation number (one organisation is one party) belong to one
 * registration each. Each reads every registration of its kind through `io.eventsOfTypes` (read once
 * per store, then only what is new). Two registrations racing each other (decided at the same
 * moment, on different streams) can both pass: the README says so.
 */

const registrations = async (io: CommandIO, type: string): Promise<readonly { data: unknown }[]> => {
  if (!io.eventsOfTypes) throw new Error(`A uniqueness rule needs the command path's IO (eventsOfTypes) to read every ${type}.`);
  return io.eventsOfTypes([type]);
};

/** The county already registered with this county number (another id), or null. */
export const countyNumberTakenBy = async (io: CommandIO, countyId: string, countyNumber: string): Promise<{ countyId: string; name: string } | null> => {
  for (const e of await registrations(io, 'CountyRegistered')) {
    const d = e.data as { countyId?: unknown; name?: unknown; countyNumber?: unknown };
    if (d.countyNumber === countyNumber && d.countyId !== countyId) return { countyId: String(d.countyId), name: String(d.name) };
  }
  return null;
};

/** The party already registered with this organisation number (another id), or null; null too when no number is given. */
export const organisationNumberTakenBy = async (io: CommandIO, partyId: string, organisationNumber: string | null): Promise<{ partyId: string; name: string } | null> => {
  if (organisationNumber === null) return null;
  for (const e of await registrations(io, 'PartyRegistered')) {
    const d = e.data as { partyId?: unknown; name?: unknown; organisationNumber?: unknown };
    if (d.organisationNumber === organisationNumber && d.partyId !== partyId) return { partyId: String(d.partyId), name: String(d.name) };
  }
  return null;
};
