import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsBoolean, IsDefined, IsIn, IsString, MaxLength, ValidateNested } from 'class-validator';
import { Day, Id, WholeNumber } from './counties/dtos';
import { RecordEarmarkedFundsDto, RecordOtherIncomeDto, StartStaffPositionDto } from './funding/dtos';
import { RegisterOwnerAgreementDto } from './governance/dtos';
import { RegisterPartyDto } from './governance/party-dtos';
import { RecordCompetenceDevelopmentDto } from './grants/dtos';
import { coded, IsObjectOf, ruleCodes, shown, validatePayload } from './validation';

class Probe {
  @IsIn(['a', 'b'], coded('PARTY.UNKNOWN_KIND', (a) => `Party kind ${shown(a.value)} is not one of: a, b`)) kind!: string;
  @IsArray() @ArrayMinSize(1, coded('BOARD.NO_CENTRES', 'A board governs at least one career centre')) centreIds!: string[];
  @IsDefined(coded('ENTRY.FIELD_MISSING', '$property is required for this kind of entry')) @IsString() purpose!: string;
  @IsString() name!: string;
}

const good = { kind: 'a', centreIds: ['c'], purpose: 'p', name: 'n' };
const refusal = (cls: new () => object, body: unknown) =>
  validatePayload(cls, body).then(
    () => null,
    (e: { code: string; message: string; details: unknown }) => ({ code: e.code, message: e.message, details: e.details }),
  );

describe('rules that stand for a domain code (coded)', () => {
  it('one problem whose rule names a code: that code, with the rule\'s message as the domain words it', async () => {
    expect(await refusal(Probe, { ...good, kind: 'guild' })).toEqual({
      code: 'PARTY.UNKNOWN_KIND',
      message: 'Party kind guild is not one of: a, b.',
      details: { field: 'kind', fields: [{ field: 'kind', problems: ['Party kind guild is not one of: a, b'], code: 'PARTY.UNKNOWN_KIND' }] },
    });
    expect((await refusal(Probe, { ...good, centreIds: [] }))?.code).toBe('BOARD.NO_CENTRES');
  });

  it('a required field left out or null is its one problem (the type rules after it only follow from it)', async () => {
    for (const purpose of [undefined, null]) {
      expect(await refusal(Probe, { ...good, purpose })).toEqual({
        code: 'ENTRY.FIELD_MISSING',
        message: 'purpose is required for this kind of entry.',
        details: { field: 'purpose', fields: [{ field: 'purpose', problems: ['purpose is required for this kind of entry'], code: 'ENTRY.FIELD_MISSING' }] },
      });
    }
    // Present but of the wrong type: the type rule, which names no code.
    expect((await refusal(Probe, { ...good, purpose: 5 }))?.code).toBe('VALIDATION.FAILED');
  });

  it('problems naming different codes, or one naming none, are VALIDATION.FAILED with each field\'s code where it has one', async () => {
    const two = await refusal(Probe, { ...good, kind: 'guild', centreIds: [] });
    expect(two?.code).toBe('VALIDATION.FAILED');
    expect(two?.details).toEqual({
      fields: [
        { field: 'kind', problems: ['Party kind guild is not one of: a, b'], code: 'PARTY.UNKNOWN_KIND' },
        { field: 'centreIds', problems: ['A board governs at least one career centre'], code: 'BOARD.NO_CENTRES' },
      ],
    });
    const mixed = await refusal(Probe, { ...good, kind: 'guild', name: 5 });
    expect(mixed?.code).toBe('VALIDATION.FAILED');
    expect(mixed?.details).toEqual({ fields: [{ field: 'kind', problems: ['Party kind guild is not one of: a, b'], code: 'PARTY.UNKNOWN_KIND' }, { field: 'name', problems: ['name must be a string'] }] });
    // An unknown field keeps its own code.
    expect((await refusal(Probe, { ...good, kind: 'guild', extra: 1 }))?.code).toBe('VALIDATION.UNKNOWN_FIELD');
  });

  it('the same code on several fields (nested ones too) is still that code; each message once', async () => {
    const body = { agreementId: 'oa', centreId: 'kc', period: { from: '2013-01-01', to: null }, signedOn: '2013-01-01', parties: [{ partyId: 'a', shareBp: 0 }, { partyId: 'b', shareBp: 1.5 }] };
    const r = await refusal(RegisterOwnerAgreementDto, body);
    expect(r?.code).toBe('OWNER_AGREEMENT.INVALID_SHARE');
    expect(r?.message).toBe(
      "Party a's share must be a whole number of basis points between 1 and 10000 (100 % = 10000), not 0. Party b's share must be a whole number of basis points between 1 and 10000 (100 % = 10000), not 1.5.",
    );
    expect(r?.details).toEqual({
      fields: [
        { field: 'parties.0.shareBp', problems: ["Party a's share must be a whole number of basis points between 1 and 10000 (100 % = 10000), not 0"], code: 'OWNER_AGREEMENT.INVALID_SHARE' },
        { field: 'parties.1.shareBp', problems: ["Party b's share must be a whole number of basis points between 1 and 10000 (100 % = 10000), not 1.5"], code: 'OWNER_AGREEMENT.INVALID_SHARE' },
      ],
    });
  });

  it('`ledger import` (validatePayload) answers the documented codes of the real payloads', async () => {
    const entry = { entryId: 'e-1', centreId: 'kc', fiscalYear: 2013, partyId: 'p', decidedOn: '2013-01-01', amount: '1.00' };
    expect((await refusal(RegisterPartyDto, { partyId: 'p', name: 'P', kind: 'guild' }))?.code).toBe('PARTY.UNKNOWN_KIND');
    expect((await refusal(RecordEarmarkedFundsDto, { ...entry, period: { from: '2013-01-01', to: null } }))?.code).toBe('ENTRY.FIELD_MISSING');
    expect((await refusal(RecordEarmarkedFundsDto, { ...entry, purpose: 'Prosjekt' }))?.code).toBe('PERIOD.MISSING');
    expect((await refusal(RecordEarmarkedFundsDto, { ...entry, purpose: 'Prosjekt', period: null }))?.code).toBe('PERIOD.MISSING');
    expect((await refusal(RecordOtherIncomeDto, entry))?.code).toBe('ENTRY.FIELD_MISSING');
    // An unknown kind is not a missing one: that stays VALIDATION.FAILED.
    expect((await refusal(RecordOtherIncomeDto, { ...entry, incomeKind: 'lottery' }))?.code).toBe('VALIDATION.FAILED');
    // Both missing: two codes, so VALIDATION.FAILED naming each.
    const both = await refusal(RecordEarmarkedFundsDto, entry);
    expect(both?.code).toBe('VALIDATION.FAILED');
    expect(both?.details).toEqual({ fields: [expect.objectContaining({ field: 'purpose', code: 'ENTRY.FIELD_MISSING' }), expect.objectContaining({ field: 'period', code: 'PERIOD.MISSING' })] });
    const cd = { centreId: 'kc', deliveredOn: '2013-03-15', kind: 'course', targetGroups: ['nav-staff'], participants: 4, description: 'Kurs' };
    expect(await refusal(RecordCompetenceDevelopmentDto, { ...cd, targetGroups: ['nav-staff', 'parents'] })).toMatchObject({ code: 'GRANT_EVIDENCE.UNKNOWN_TARGET_GROUP', message: expect.stringMatching(/^Target group parents is not one of /) });
  });

  it('ruleCodes names the codes a payload\'s rules stand for, nested ones included', () => {
    expect(ruleCodes(Probe)).toEqual(expect.arrayContaining(['PARTY.UNKNOWN_KIND', 'BOARD.NO_CENTRES', 'ENTRY.FIELD_MISSING']));
    expect(ruleCodes(RegisterOwnerAgreementDto)).toEqual(expect.arrayContaining(['OWNER_AGREEMENT.NO_PARTIES', 'OWNER_AGREEMENT.INVALID_SHARE']));
    expect(ruleCodes(RecordEarmarkedFundsDto)).toEqual(expect.arrayContaining(['VALIDATION.BLANK', 'ENTRY.FIELD_MISSING', 'PERIOD.MISSING']));
  });

  it('shows a value briefly', () => {
    expect(shown('guild')).toBe('guild');
    expect(shown(undefined)).toBe('(none)');
    expect(shown({ a: 1 })).toBe('{"a":1}');
    expect(shown('x'.repeat(200))).toHaveLength(80);
  });
});

class Span {
  @Day() from!: string;
}

/** A payload with one field of each kind whose words a finance officer reads (validation.ts, flattenValidationErrors). */
class Words {
  @Id() partyId!: string;
  @IsString() @MaxLength(20) reason!: string;
  @IsBoolean() freeOfCharge!: boolean;
  @WholeNumber(0, 120, coded('GRANT_EVIDENCE.AGE_OUT_OF_RANGE', (a) => `fromAge must be a whole age from 0 to 120, not ${shown(a.value)}`)) fromAge!: number;
  @WholeNumber(1990, 2100) year!: number;
  @IsObjectOf('{"from": "YYYY-MM-DD"}') @ValidateNested() @Type(() => Span) span!: Span;
}

describe('the words of a refusal: what is wrong and the form expected, in plain words', () => {
  const fine = { partyId: 'p', reason: 'r', freeOfCharge: true, fromAge: 19, year: 2014, span: { from: '2014-01-01' } };
  const problems = async (over: Record<string, unknown>) => ((await refusal(Words, { ...fine, ...over }))?.details as { fields: { field: string; problems: string[] }[] }).fields;

  it('a field left out or null is "<field> is required" with its form, never the rules of a value not sent', async () => {
    expect(await problems({ reason: undefined })).toEqual([{ field: 'reason', problems: ['reason is required: a text'] }]);
    expect(await problems({ partyId: null })).toEqual([{ field: 'partyId', problems: [expect.stringMatching(/^partyId is required: an id of at most 64 characters: the letters a–z and A–Z \(not æ, ø, å/)] }]);
    expect(await problems({ freeOfCharge: null })).toEqual([{ field: 'freeOfCharge', problems: ['freeOfCharge is required: true or false'] }]);
    expect(await problems({ span: undefined })).toEqual([{ field: 'span', problems: ['span is required: an object {"from": "YYYY-MM-DD"}'] }]);
    // A coded rule keeps its code when the value is left out.
    expect(await refusal(Words, { ...fine, fromAge: undefined })).toMatchObject({ code: 'GRANT_EVIDENCE.AGE_OUT_OF_RANGE', message: 'fromAge is required: a whole age from 0 to 120.' });
  });

  it('an unknown field is "<field> is not a field of this request", VALIDATION.UNKNOWN_FIELD, even when null', async () => {
    for (const currency of ['NOK', null]) {
      expect(await refusal(Words, { ...fine, currency })).toEqual({
        code: 'VALIDATION.UNKNOWN_FIELD',
        message: 'The request is not valid. currency: currency is not a field of this request: leave it out',
        details: { fields: [{ field: 'currency', problems: ['currency is not a field of this request: leave it out'] }] },
      });
    }
  });

  it('yes/no as text is told true or false', async () => {
    expect(await problems({ freeOfCharge: 'ja' })).toEqual([{ field: 'freeOfCharge', problems: ['freeOfCharge must be true or false (written as JSON true or false, without quotes), not the text "ja"'] }]);
  });

  it('a whole number in range sent as text is told to send it as a number; out of range, the rule\'s own words', async () => {
    expect(await refusal(Words, { ...fine, fromAge: '19' })).toMatchObject({ code: 'GRANT_EVIDENCE.AGE_OUT_OF_RANGE', message: 'fromAge must be sent as a number (19), not as text ("19").' });
    expect(await refusal(Words, { ...fine, fromAge: '200' })).toMatchObject({ code: 'GRANT_EVIDENCE.AGE_OUT_OF_RANGE', message: 'fromAge must be a whole age from 0 to 120, not 200.' });
    expect(await problems({ year: '2014' })).toEqual([{ field: 'year', problems: ['year must be sent as a number (2014), not as text ("2014")'] }]);
    expect(await problems({ year: 1900 })).toEqual([{ field: 'year', problems: ['year must not be less than 1990'] }]);
  });

  it('an object sent as a list or text shows the form expected, once, without class-validator\'s "nested property"', async () => {
    expect(await problems({ span: ['2014-01-01', '2014-12-31'] })).toEqual([{ field: 'span', problems: ['span must be one object {"from": "YYYY-MM-DD"}, not a list'] }]);
    expect(await problems({ span: '2014-01-01' })).toEqual([{ field: 'span', problems: ['span must be one object {"from": "YYYY-MM-DD"}, not the text "2014-01-01"'] }]);
  });

  it('a payer given as a party id alone is STAFF.PAYER_INVALID showing both forms and the one that names it', async () => {
    const position = { positionId: 'p', centreId: 'kc', title: 'T', employerKind: 'centre', fte: '1', startedOn: '2013-01-01' };
    expect(await refusal(StartStaffPositionDto, { ...position, payer: 'nav-telemark' })).toMatchObject({
      code: 'STAFF.PAYER_INVALID',
      message: 'The payer is {"kind": "centre"} or {"kind": "party", "partyId": …}, not the text "nav-telemark"; a party that pays directly is written {"kind": "party", "partyId": "nav-telemark"}.',
      details: { field: 'payer' },
    });
  });
});
