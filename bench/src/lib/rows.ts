import { COUNTIES_2014 } from '../../../libs/application/src/seed/counties-2014';

/** The streams every write benchmark spreads its events over. */
export const STREAMS = 2_000;

export const centreIdOf = (i: number): string => `bench-centre-${i}`;
/** The i-th centre of a generated ledger (generate.ts names each county's centres kc-<county>-1, -2, …; centre i is in county i % 19). */
export const generatedCentreIdOf = (i: number): string => `kc-${COUNTIES_2014[i % COUNTIES_2014.length].countyId}-${Math.floor(i / COUNTIES_2014.length) + 1}`;
export const countyOf = (i: number): string => COUNTIES_2014[i % COUNTIES_2014.length].countyId;
export const countyAuthorityOf = (countyId: string): string => `${countyId}-fylkeskommune`;

/** One operating grant as docs/event-catalogue.md describes it: the event every write benchmark writes. */
export const operatingGrantData = (i: number, n: number): Record<string, unknown> => {
  const countyId = countyOf(i);
  return {
    entryId: `entry-${i}-${n}`,
    centreId: centreIdOf(i),
    countyId,
    fiscalYear: 2014,
    partyId: countyAuthorityOf(countyId),
    amountOre: 125_000_000 + n,
    decidedOn: '2014-01-15',
    reference: `2014/${n}`,
    note: 'Driftsmidler 2014',
    correctsEntryId: null,
  };
};

export const metadataOf = (n: number): Record<string, unknown> => ({
  actorId: 'fo-bench',
  actorRole: 'finance-officer',
  correlationId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  causationId: null,
  idempotencyKey: null,
});
