import { CloseCentreDto, RegisterCentreDto, RegisterCountyDto, RenameCentreDto } from '../../libs/application/src/counties/dtos';
import { RegisterPartyDto, RenamePartyDto } from '../../libs/application/src/governance/party-dtos';
import { validatePayload } from '../../libs/application/src/validation';

/** Names in the registers: plain text only, refused with one stable code at every edge (HTTP and `ledger import` share validatePayload's rules). */
describe('IsPlainText on the register names', () => {
  const bodies: [string, new () => object, object][] = [
    ['county', RegisterCountyDto, { countyId: 'c', countyNumber: '01' }],
    ['centre', RegisterCentreDto, { centreId: 'kc', countyId: 'c', municipality: 'm', openedOn: '2010-01-01' }],
    ['centre rename', RenameCentreDto, { centreId: 'kc', effectiveFrom: '2013-01-01' }],
    ['party', RegisterPartyDto, { partyId: 'p', kind: 'other' }],
    ['party rename', RenamePartyDto, { partyId: 'p' }],
  ];
  const bad = ['\u0000', '\u0001', '\t', '\n', '\r', '\u001f', '\u007f', '\u0080', '\u009f', '\uFFFE', '\uFFFF', '\uD800', '\uDBFF', '\uDC00'];

  it.each(bodies)('%s: a name with a control character, U+FFFE/U+FFFF or a lone surrogate is 400 VALIDATION.NOT_PLAIN_TEXT', async (_, cls, rest) => {
    for (const c of bad) {
      await expect(validatePayload(cls, { ...rest, name: `Navn${c}her` })).rejects.toMatchObject({ code: 'VALIDATION.NOT_PLAIN_TEXT', kind: 'invalid', details: { fields: [{ field: 'name', problems: [expect.stringContaining('name must be plain text')] }] } });
    }
  });

  it.each(bodies)('%s: any other name passes, letters of every script and emoji included', async (_, cls, rest) => {
    for (const name of ['Østfold fylkeskommune & <NAV> "sammen"', 'Sámi allaskuvla 😀', '=HYPERLINK("x")', '  mellomrom  ', 'NBSP\u00A0og\u200Bzero-width', '\uFFFD']) {
      await expect(validatePayload(cls, { ...rest, name })).resolves.toMatchObject({ name });
    }
  });

  it('the other one-line texts are plain text too; a long text may hold line breaks and tabs (test/security/plain-text-fields.e2e-spec.ts: every field)', async () => {
    await expect(validatePayload(RegisterCentreDto, { centreId: 'kc', countyId: 'c', name: 'Navn', municipality: 'Linje\nto', openedOn: '2010-01-01' })).rejects.toMatchObject({ code: 'VALIDATION.NOT_PLAIN_TEXT', details: { fields: [{ field: 'municipality' }] } });
    await expect(validatePayload(CloseCentreDto, { centreId: 'kc', closedOn: '2014-06-30', reason: 'Slått sammen\r\nmed\tSkien' })).resolves.toBeDefined();
    await expect(validatePayload(CloseCentreDto, { centreId: 'kc', closedOn: '2014-06-30', reason: 'Slått sammen\u0000' })).rejects.toMatchObject({ code: 'VALIDATION.NOT_PLAIN_TEXT' });
  });

  it('an unknown field or a broken rule elsewhere still names the code it did', async () => {
    await expect(validatePayload(RegisterPartyDto, { partyId: 'p', kind: 'other', name: 'a\u0001', extra: 1 })).rejects.toMatchObject({ code: 'VALIDATION.UNKNOWN_FIELD' });
    await expect(validatePayload(RegisterPartyDto, { partyId: 'not an id', kind: 'other', name: 'ok' })).rejects.toMatchObject({ code: 'VALIDATION.FAILED' });
    // A rule that stands for a documented code answers that code alone, and VALIDATION.FAILED beside another problem.
    await expect(validatePayload(RegisterPartyDto, { partyId: 'p', kind: 'nobody', name: 'ok' })).rejects.toMatchObject({ code: 'PARTY.UNKNOWN_KIND' });
    await expect(validatePayload(RegisterPartyDto, { partyId: 'not an id', kind: 'nobody', name: 'ok' })).rejects.toMatchObject({ code: 'VALIDATION.FAILED' });
  });
});
