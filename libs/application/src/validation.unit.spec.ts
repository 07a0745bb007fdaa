import 'reflect-metadata';
import { ArrayMinSize, IsArray, IsDefined, IsIn, IsString } from 'class-validator';
import { RecordEarmarkedFundsDto, RecordOtherIncomeDto } from './funding/dtos';
import { RegisterOwnerAgreementDto } from './governance/dtos';
import { RegisterPartyDto } from './governance/party-dtos';
import { RecordCompetenceDevelopmentDto } from './grants/dtos';
import { coded, ruleCodes, shown, validatePayload } from './validation';

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
      details: { fields: [{ field: 'kind', problems: ['Party kind guild is not one of: a, b'], code: 'PARTY.UNKNOWN_KIND' }] },
    });
    expect((await refusal(Probe, { ...good, centreIds: [] }))?.code).toBe('BOARD.NO_CENTRES');
  });

  it('a required field left out or null is its one problem (the type rules after it only follow from it)', async () => {
    for (const purpose of [undefined, null]) {
      expect(await refusal(Probe, { ...good, purpose })).toEqual({
        code: 'ENTRY.FIELD_MISSING',
        message: 'purpose is required for this kind of entry.',
        details: { fields: [{ field: 'purpose', problems: ['purpose is required for this kind of entry'], code: 'ENTRY.FIELD_MISSING' }] },
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
