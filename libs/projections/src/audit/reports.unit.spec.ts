import { PARTY_KINDS } from '../../../domain/src/parties';
import { foldEvents } from '../projection';
import { centreFundingMix } from '../funding/funding-mix';
import { fundingProjection } from '../funding/funding-view';
import { keyFigures } from '../funding/key-figures';
import { recorded } from '../funding/test-events';
import { fundingMixTable, keyFiguresTable, PARTY_KIND_NB, ReportCell, tableCsv } from './reports';

const grant = (entryId: string, centreId: string, countyId: string, partyId: string, amountOre: number | null) => ({
  type: 'OperatingGrantRecorded',
  data: { entryId, centreId, countyId, fiscalYear: 2013, partyId, amountOre, decidedOn: '2013-01-01', reference: null, note: null, correctsEntryId: null },
});
const view = foldEvents(fundingProjection, recorded([
  { type: 'CountyRegistered', data: { countyId: 'telemark', name: 'Telemark', countyNumber: '08' } },
  { type: 'CountyRegistered', data: { countyId: 'troms', name: 'Troms', countyNumber: '19' } },
  { type: 'CentreRegistered', data: { centreId: 'tm', countyId: 'telemark', name: 'Telemark', municipality: 'Skien', openedOn: '2009-01-01' } },
  { type: 'CentreRegistered', data: { centreId: 'tr', countyId: 'troms', name: 'Tromsø', municipality: 'Tromsø', openedOn: '2009-01-01' } },
  { type: 'PartyRegistered', data: { partyId: 'tm-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark', organisationNumber: null } },
  { type: 'PartyRegistered', data: { partyId: 'tr-fk', name: 'Troms fylkeskommune', kind: 'county-authority', countyId: 'troms', organisationNumber: null } },
  { type: 'PartyRegistered', data: { partyId: 'union', name: '-1+1 forbundet', kind: 'union', countyId: null, organisationNumber: null } },
  grant('tm-1', 'tm', 'telemark', 'tm-fk', 2_363_000_00),
  grant('tm-2', 'tm', 'telemark', 'tm-fk', null),
  grant('tm-3', 'tm', 'telemark', 'union', 5_00),
  grant('tr-1', 'tr', 'troms', 'tr-fk', 100_00),
]));
const kf = keyFigures(view, 2013);
const row = (rows: ReportCell[][], label: string) => rows.findIndex((r) => r[0] === label);

describe('reports', () => {
  it('has a Norwegian label for every party kind', () => {
    expect(Object.keys(PARTY_KIND_NB).sort()).toEqual([...PARTY_KINDS].sort());
    const mix = fundingMixTable(centreFundingMix(view, 'tm', 2013)!, 'xlsx');
    expect(mix.rows.find((r) => r[0] === '-1+1 forbundet')![1]).toBe('Fagforening');
  });

  it('key-figures CSV: a total that leaves out unreported amounts says so in its cell, with a decimal comma; no row of counts', () => {
    const lines = tableCsv(keyFiguresTable(kf, 'csv')).slice(1).split('\r\n');
    expect(lines).toContain('Driftsmidler fra fylkeskommunen, kr;2363000,00 + ikke oppgitt;100,00');
    expect(lines.some((l) => l.includes('poster uten oppgitt beløp'))).toBe(false);
  });

  it('key-figures XLSX table: NOK cells stay numbers, and a row after them counts the unreported entries per county', () => {
    const t = keyFiguresTable(kf, 'xlsx');
    const at = row(t.rows, 'Driftsmidler fra fylkeskommunen, kr');
    expect(t.rows[at].slice(1)).toEqual([{ v: 2363000, f: 'nok', exact: '2363000.00' }, { v: 100, f: 'nok', exact: '100.00' }]);
    expect(t.rows[at + 1]).toEqual(['Driftsmidler fra fylkeskommunen: poster uten oppgitt beløp', { v: 1, f: 'int' }, { v: 0, f: 'int' }]);
    expect(t.rows.filter((r) => typeof r[0] === 'string' && r[0].endsWith('poster uten oppgitt beløp'))).toHaveLength(1);
  });

  it('CSV: text is defused (a name starting with "-" and a digit too), numbers and the bare "-" are not', () => {
    const csv = tableCsv({ name: 'x', rows: [['-1+1 forbundet', { v: -5, f: 'nok' }, '-', { v: '=A1', f: 'bold' }]], widths: [], freezeRows: 0 });
    expect(csv).toBe("\uFEFF'-1+1 forbundet;-5,00;-;'=A1\r\n");
  });
});
