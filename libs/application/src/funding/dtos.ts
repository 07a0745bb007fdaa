import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, IsDefined, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateBy, ValidateIf, ValidateNested } from 'class-validator';
import { EMPLOYER_KINDS, EmployerKind, FISCAL_YEAR_MAX, FISCAL_YEAR_MIN, IN_KIND_KINDS, INCOME_KINDS, IncomeKind, InKindKind } from '../../../domain/src/funding';
import { ID_PATTERN } from '../../../domain/src/shared';
import { Day, Id, ID_CHARACTERS, ID_MESSAGE } from '../counties/dtos';
import { IsNotBlank, IsNotBlankWhenGiven, IsPlainMultilineText, IsPlainText } from '../plain-text';
import { coded, described, IsObjectOf, shown } from '../validation';

/** A field this kind of entry needs, left out or null: ENTRY.FIELD_MISSING, as the domain says it. */
const NeededByKind = () => IsDefined(coded('ENTRY.FIELD_MISSING', '$property is required for this kind of entry'));
/** The period of an earmarked fund or tender award, left out or null: PERIOD.MISSING, as the domain says it. */
const NeedsPeriod = () => IsDefined(coded('PERIOD.MISSING', '$property is required: {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD" or null}'));

/**
 * Ids a client chooses for new entries: like every id, but at most 56 characters and never ending
 * in `.c<digits>` or `.reversal` (those name corrections and reversals, see money-entry.ts).
 */
export const NEW_ENTRY_ID_PATTERN = /^(?!.*(\.c\d+|\.reversal)$)[A-Za-z0-9][A-Za-z0-9._-]{0,55}$/;
/** Ids that refer to an existing entry (a correction's id is longer than a client's). */
export const ENTRY_REF_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,71}$/;
export const NEW_ENTRY_ID_MESSAGE = `$property must be an id of at most 56 characters: ${ID_CHARACTERS}, not ending in ".c<digits>" or ".reversal"`;

/** The form of a period, as a message shows it. */
export const PERIOD_SHAPE = '{"from": "YYYY-MM-DD", "to": "YYYY-MM-DD" or null}';

const AMOUNT_DOC = 'NOK as a decimal string with at most two decimals ("2363000.00"); null when the source says only that money came, not how much ("amount not reported").';

/** The period money is for: from a day, to a last day or open-ended. */
export class FundingPeriodDto {
  @ApiProperty({ example: '2013-01-01' })
  @Day() from!: string;

  @ApiPropertyOptional({ example: '2013-12-31', nullable: true, type: String, description: 'Last day (inclusive); null = open-ended' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @Day() to?: string | null;
}

class EntryBaseDto {
  @ApiProperty({ example: 'tm-2013-drift-fk', description: 'Chosen by the client (unique); over HTTP it may be left out and is then derived from the Idempotency-Key or generated.' })
  @Matches(NEW_ENTRY_ID_PATTERN, { message: NEW_ENTRY_ID_MESSAGE }) entryId!: string;

  @ApiProperty({ example: 'telemark-kc' })
  @Id() centreId!: string;

  @ApiProperty({ example: 2013, type: 'integer', minimum: FISCAL_YEAR_MIN, maximum: FISCAL_YEAR_MAX })
  @Allow() fiscalYear!: number;

  @ApiProperty({ example: 'telemark-fk', description: 'The registered party the money comes from' })
  @Id() partyId!: string;

  @ApiProperty({ example: '2012-12-12', description: 'The date the money was decided or received' })
  @Day() decidedOn!: string;

  @ApiPropertyOptional({ example: 'FT-sak 88/12', nullable: true, type: String, description: 'The decision, agreement or contract behind it' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @IsNotBlankWhenGiven('leave it out (or null) to give none') @MaxLength(500) @IsPlainText() reference?: string | null;

  @ApiPropertyOptional({ example: 'Driftstilskudd 2013', nullable: true, type: String })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @IsNotBlankWhenGiven('leave it out (or null) to give none') @MaxLength(2000) @IsPlainMultilineText() note?: string | null;
}

class MoneyEntryDto extends EntryBaseDto {
  @ApiProperty({ example: '2363000.00', nullable: true, type: String, description: AMOUNT_DOC })
  @Allow() amount!: string | null;
}

export class RecordOperatingGrantDto extends MoneyEntryDto {}

export class RecordEarmarkedFundsDto extends MoneyEntryDto {
  @ApiProperty({ example: 'Oppstartsveiledning (prosjekt)' })
  @NeededByKind() @IsString() @IsNotEmpty() @IsNotBlank() @MaxLength(500) @IsPlainMultilineText() purpose!: string;

  @ApiProperty({ type: FundingPeriodDto })
  @NeedsPeriod() @IsObjectOf(PERIOD_SHAPE) @ValidateNested() @Type(() => FundingPeriodDto) period!: FundingPeriodDto;
}

export class RecordTenderAwardDto extends MoneyEntryDto {
  @ApiProperty({ example: 'NAV-2013/417' })
  @NeededByKind() @IsString() @IsNotEmpty() @IsNotBlank() @MaxLength(500) @IsPlainText() contractReference!: string;

  @ApiProperty({ type: FundingPeriodDto })
  @NeedsPeriod() @IsObjectOf(PERIOD_SHAPE) @ValidateNested() @Type(() => FundingPeriodDto) period!: FundingPeriodDto;
}

export class RecordOtherIncomeDto extends MoneyEntryDto {
  @ApiProperty({ enum: INCOME_KINDS, example: 'course-fees' })
  @NeededByKind() @IsIn(INCOME_KINDS as unknown as string[], { message: `$property must be one of: ${INCOME_KINDS.join(', ')}` }) incomeKind!: IncomeKind;
}

export class RecordInKindContributionDto extends EntryBaseDto {
  @ApiProperty({ enum: IN_KIND_KINDS, example: 'premises' })
  @NeededByKind() @IsIn(IN_KIND_KINDS as unknown as string[], { message: `$property must be one of: ${IN_KIND_KINDS.join(', ')}` }) inKindKind!: InKindKind;

  @ApiPropertyOptional({ example: '120000.00', nullable: true, type: String, description: 'Estimated value in NOK (decimal string); kept apart from money in every total' })
  @Allow() estimatedValue?: string | null;

  @ApiPropertyOptional({ description: 'Not allowed: an in-kind contribution has no amount (refused with IN_KIND.NO_AMOUNT)', nullable: true, type: String })
  @Allow() amount?: null;
}

export class ReverseEntryDto {
  @ApiProperty({ example: 'tm-2013-drift-fk' })
  @Matches(ENTRY_REF_PATTERN, { message: ID_MESSAGE }) entryId!: string;

  @ApiProperty({ example: 'telemark-kc' })
  @Id() centreId!: string;

  @ApiProperty({ example: 'Ført på feil senter' })
  @IsString() @IsNotEmpty() @IsNotBlank() @MaxLength(2000) @IsPlainMultilineText() reason!: string;
}

/** A correction: the fields that were wrong; everything else is kept from the corrected entry. */
export class CorrectEntryDto extends ReverseEntryDto {
  @ApiPropertyOptional({ example: 2013, type: 'integer', minimum: FISCAL_YEAR_MIN, maximum: FISCAL_YEAR_MAX }) @IsOptional() @Allow() fiscalYear?: number;
  @ApiPropertyOptional({ example: 'nav-telemark' }) @IsOptional() @Id() partyId?: string;
  @ApiPropertyOptional({ example: '2363500.00', nullable: true, type: String, description: AMOUNT_DOC }) @Allow() amount?: string | null;
  @ApiPropertyOptional({ example: '2012-12-12' }) @IsOptional() @Day() decidedOn?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @IsNotBlankWhenGiven('give null to remove it, or leave it out to keep it as recorded') @MaxLength(500) @IsPlainText() reference?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @IsNotBlankWhenGiven('give null to remove it, or leave it out to keep it as recorded') @MaxLength(2000) @IsPlainMultilineText() note?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @IsNotBlank() @MaxLength(500) @IsPlainMultilineText() purpose?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @IsNotBlank() @MaxLength(500) @IsPlainText() contractReference?: string;
  @ApiPropertyOptional({ type: FundingPeriodDto }) @IsOptional() @IsObjectOf(PERIOD_SHAPE) @ValidateNested() @Type(() => FundingPeriodDto) period?: FundingPeriodDto;
  @ApiPropertyOptional({ enum: INCOME_KINDS }) @IsOptional() @IsIn(INCOME_KINDS as unknown as string[]) incomeKind?: IncomeKind;
  @ApiPropertyOptional({ enum: IN_KIND_KINDS }) @IsOptional() @IsIn(IN_KIND_KINDS as unknown as string[]) inKindKind?: InKindKind;
  @ApiPropertyOptional({ nullable: true, type: String }) @Allow() estimatedValue?: string | null;
}

export class PayerDto {
  @ApiProperty({ enum: ['centre', 'party'], example: 'party', description: '"centre": paid from the centre\'s own budget; "party": paid directly by partyId' })
  @IsIn(['centre', 'party'], coded('STAFF.PAYER_INVALID', (a) => `The payer is {"kind": "centre"} or {"kind": "party", "partyId": …}, not kind ${shown(a.value)}`)) kind!: 'centre' | 'party';

  @ApiPropertyOptional({ example: 'nav-ostfold', nullable: true, type: String })
  @IsOptional() @ValidateIf((_, v) => v !== null) @Id() partyId?: string | null;
}

/**
 * The payer sent as anything but one object (a party id alone, "centre", a list): STAFF.PAYER_INVALID,
 * the message showing both forms, and for a party id the form that names it.
 */
const PayerObject = () =>
  IsObjectOf(
    '{"kind": "centre"} or {"kind": "party", "partyId": …}',
    coded('STAFF.PAYER_INVALID', (a) => {
      const asParty = typeof a.value === 'string' && a.value !== 'centre' && ID_PATTERN.test(a.value) ? `; a party that pays directly is written {"kind": "party", "partyId": ${JSON.stringify(a.value)}}` : '';
      return `The payer is {"kind": "centre"} or {"kind": "party", "partyId": …}, not ${described(a.value)}${asParty}`;
    }),
  );

const FTE_DOC = 'FTE fraction, 0 < FTE ≤ 1, at most three decimals, as a string ("0.5") or a JSON number';

/**
 * A person's id as the office chooses it (an employee number): 1–64 visible characters. No whitespace
 * or invisible characters, which would make "E 104" and "E104" look like one person but count as two.
 */
const PERSON_ID = /^[^\p{White_Space}\p{Default_Ignorable_Code_Point}]{1,64}$/u;
/**
 * A personId is recorded in NFC (staff-position.ts), so its 1–64 characters are counted there: 40 "Å"
 * typed decomposed (A + ring, 80 code points) are the 40 characters recorded, not 80.
 */
const isPersonId = (v: unknown): boolean => typeof v === 'string' && PERSON_ID.test(v.normalize('NFC'));
const PERSON_ID_MESSAGE = '$property must be 1–64 visible characters (no spaces, line breaks or invisible characters), such as an employee number';
const PERSON_ID_DOC =
  'Who holds the position, as the office identifies them (an employee number; 1–64 visible characters, no spaces, counted in its Unicode NFC form, the form recorded): the positions naming one personId (compared exactly, case-sensitive, after NFC) in a county count as one person on 31 December in its key figures, under the employer of the largest of their FTEs, and full time when those FTEs add up to 0.81 or more (README, Staff positions). Left out: the position is a person of its own. Not personal data (no name, no national identity number): the log keeps it for good. Fixed at the start: a wrong one is put right by ending the position and starting a new one.';

export class StartStaffPositionDto {
  @ApiProperty({ example: 'of-nav-veileder-1' }) @Id() positionId!: string;
  @ApiProperty({ example: 'ostfold-kc' }) @Id() centreId!: string;
  @ApiProperty({ example: 'Karriereveileder' }) @IsString() @IsNotEmpty() @IsNotBlank() @MaxLength(200) @IsPlainText() title!: string;
  @ApiProperty({ enum: EMPLOYER_KINDS, example: 'nav-county-office', description: 'Formal employer' })
  @IsIn(EMPLOYER_KINDS as unknown as string[], { message: `$property must be one of: ${EMPLOYER_KINDS.join(', ')}` }) employerKind!: EmployerKind;
  @ApiPropertyOptional({ example: 'nav-ostfold', nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @Id() employerPartyId?: string | null;
  @ApiProperty({ example: '1.0', type: String, description: FTE_DOC }) @Allow() fte!: string | number;
  @ApiPropertyOptional({ type: PayerDto, description: 'Who pays the position; default {"kind": "centre"} (the centre\'s own budget)' }) @IsOptional() @PayerObject() @ValidateNested() @Type(() => PayerDto) payer?: PayerDto;
  @ApiPropertyOptional({ example: '650000.00', nullable: true, type: String, description: 'What the position costs a year (NOK, decimal string); values staff a party pays directly' })
  @Allow() annualCost?: string | null;
  @ApiProperty({ example: '2012-08-01' }) @Day() startedOn!: string;
  @ApiPropertyOptional({ example: 'ans-10423', nullable: true, type: String, description: PERSON_ID_DOC })
  @IsOptional() @IsString() @ValidateBy({ name: 'isPersonId', validator: { validate: isPersonId } }, { message: PERSON_ID_MESSAGE }) @IsPlainText() personId?: string | null;
}

export class ChangeStaffPositionDto {
  @ApiProperty() @Id() positionId!: string;
  @ApiProperty() @Id() centreId!: string;
  @ApiProperty({ example: '2013-07-01' }) @Day() effectiveFrom!: string;
  @ApiPropertyOptional({ example: '0.6', type: String, description: FTE_DOC }) @Allow() fte?: string | number;
  @ApiPropertyOptional({ type: PayerDto }) @IsOptional() @PayerObject() @ValidateNested() @Type(() => PayerDto) payer?: PayerDto;
  @ApiPropertyOptional({ nullable: true, type: String }) @Allow() annualCost?: string | null;
}

export class EndStaffPositionDto {
  @ApiProperty() @Id() positionId!: string;
  @ApiProperty() @Id() centreId!: string;
  @ApiProperty({ example: '2013-12-31', description: 'The last day of the position (inclusive)' }) @Day() endedOn!: string;
}
