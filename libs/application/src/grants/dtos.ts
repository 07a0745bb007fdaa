import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
  ValidationArguments,
} from 'class-validator';
import { ACTIVITY_KINDS, TARGET_GROUPS } from '../../../domain/src/grants/criteria';
import { STIMULUS_OUTCOMES, STIMULUS_PURPOSES } from '../../../domain/src/grants/stimulus';
import { Day, Id, WholeNumber } from '../counties/dtos';
import { IsNotBlank, IsPlainMultilineText, IsPlainText, OptionalLongText } from '../plain-text';
import { coded, IsObjectOf, shown } from '../validation';

const YEAR = { min: 2000, max: 2100 };

/** A window's date that is not written YYYY-MM-DD: GRANT_SCHEME.WINDOW_INVALID_DATE, as the domain says it. */
const WindowDay = () => Day(coded('GRANT_SCHEME.WINDOW_INVALID_DATE', (a) => `A window's ${a.property} (${shown(a.value)}) is not a real calendar date written as YYYY-MM-DD`));
/** The scheme's year out of range: GRANT_SCHEME.YEAR_OUT_OF_RANGE. */
const SchemeYear = () => WholeNumber(YEAR.min, YEAR.max, coded('GRANT_SCHEME.YEAR_OUT_OF_RANGE', (a) => `The grant year must be a whole year from ${YEAR.min} to ${YEAR.max}, not ${shown(a.value)}`));
/** The target groups given that the ledger does not know, in the domain's words. */
const unknownTargetGroups = (a: ValidationArguments): string => {
  const unknown = (Array.isArray(a.value) ? a.value : [a.value]).filter((g) => !(TARGET_GROUPS as readonly unknown[]).includes(g));
  return `Target group ${unknown.map(shown).join(', ')} is not one of ${TARGET_GROUPS.join(', ')}`;
};
/** The scheme's judging date not written YYYY-MM-DD: GRANT_SCHEME.JUDGING_DATE_INVALID. */
const JudgingDay = () => Day(coded('GRANT_SCHEME.JUDGING_DATE_INVALID', (a) => `The judging date (${shown(a.value)}) is not a real calendar date written as YYYY-MM-DD`));

/** The forms of the nested objects, as a message shows them. */
const WINDOW_SHAPE = '{"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"} (either may be left out)';
const FREE_GUIDANCE_SHAPE = '{"from": "YYYY-MM-DD", "to": "YYYY-MM-DD", "maxFromAge": 19} (any may be left out)';
const ANNUAL_REPORT_SHAPE = '{"reportYear": 2013, "deadline": "YYYY-MM-DD"} (either may be left out)';
const WINDOWS_SHAPE = 'naming only the windows that differ, such as {"userSurvey": {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}}';
const SURVEY_PERIOD_SHAPE = '{"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}';

// ---------- scheme windows (every field optional: defaults come from the criteria set) ----------

export class DateWindowOverrideDto {
  /** First day of the window (YYYY-MM-DD). */
  @ApiPropertyOptional({ example: '2013-01-01', description: 'First day of the window' }) @IsOptional() @WindowDay() from?: string;
  /** Last day of the window, inclusive (YYYY-MM-DD). */
  @ApiPropertyOptional({ example: '2014-03-01', description: 'Last day of the window (inclusive)' }) @IsOptional() @WindowDay() to?: string;
}

export class FreeGuidanceOverrideDto extends DateWindowOverrideDto {
  /** The highest "from age" a declaration may name and still serve all adults over 19 (default 19). */
  @ApiPropertyOptional({ example: 19, description: 'Highest from-age that still counts as serving all adults over 19 (default 19)' }) @IsOptional() @WholeNumber(16, 67, coded('GRANT_SCHEME.WINDOW_INVALID_AGE', (a) => `windows.freeGuidance.maxFromAge must be a whole age from 16 to 67, not ${shown(a.value)}`)) maxFromAge?: number;
}

export class AnnualReportOverrideDto {
  /** Which year's annual report must be in (default: the year before the scheme year). */
  @ApiPropertyOptional({ example: 2013, description: 'Which year\'s annual report must be in (default: the year before the scheme year)' }) @IsOptional() @WholeNumber(YEAR.min, YEAR.max, coded('GRANT_SCHEME.WINDOW_INVALID_REPORT_YEAR', (a) => `windows.annualReport.reportYear must be a year within the five years up to the scheme year, not ${shown(a.value)}`)) reportYear?: number;
  /** Last day the report may have been submitted (default: the judging date). */
  @ApiPropertyOptional({ example: '2014-03-01', description: 'Last day it may have been submitted (default: the judging date)' }) @IsOptional() @WindowDay() deadline?: string;
}

export class WindowOverridesDto {
  @ApiPropertyOptional({ type: () => DateWindowOverrideDto }) @IsOptional() @IsObjectOf(WINDOW_SHAPE) @ValidateNested() @Type(() => DateWindowOverrideDto) partnershipAgreement?: DateWindowOverrideDto;
  @ApiPropertyOptional({ type: () => DateWindowOverrideDto }) @IsOptional() @IsObjectOf(WINDOW_SHAPE) @ValidateNested() @Type(() => DateWindowOverrideDto) coordinatingFunction?: DateWindowOverrideDto;
  @ApiPropertyOptional({ type: () => FreeGuidanceOverrideDto }) @IsOptional() @IsObjectOf(FREE_GUIDANCE_SHAPE) @ValidateNested() @Type(() => FreeGuidanceOverrideDto) freeGuidance?: FreeGuidanceOverrideDto;
  @ApiPropertyOptional({ type: () => DateWindowOverrideDto }) @IsOptional() @IsObjectOf(WINDOW_SHAPE) @ValidateNested() @Type(() => DateWindowOverrideDto) competenceDevelopment?: DateWindowOverrideDto;
  @ApiPropertyOptional({ type: () => DateWindowOverrideDto }) @IsOptional() @IsObjectOf(WINDOW_SHAPE) @ValidateNested() @Type(() => DateWindowOverrideDto) userSurvey?: DateWindowOverrideDto;
  @ApiPropertyOptional({ type: () => AnnualReportOverrideDto }) @IsOptional() @IsObjectOf(ANNUAL_REPORT_SHAPE) @ValidateNested() @Type(() => AnnualReportOverrideDto) annualReport?: AnnualReportOverrideDto;
}

export class PublishGrantSchemeDto {
  @ApiProperty({ example: 2014 }) @SchemeYear() year!: number;
  /** The base-grant sum to share, in NOK as a decimal string, e.g. "26600000.00". */
  @ApiProperty({ example: '26600000.00', description: 'The sum to share, NOK as a decimal string' }) @IsDefined() baseGrant!: string;
  /** The criteria set in force, e.g. "criteria-2014" (GET /grant-criteria-sets lists them). */
  @ApiProperty({ example: 'criteria-2014', description: 'GET /grant-criteria-sets lists the sets' }) @IsString() @IsNotEmpty() @MaxLength(64) @IsPlainText() criteriaSetId!: string;
  /** The date on which the criteria are judged (YYYY-MM-DD). */
  @ApiProperty({ example: '2014-03-01' }) @JudgingDay() judgingDate!: string;
  /** Windows that differ from the criteria set's defaults; omitted fields keep the default. */
  @ApiPropertyOptional({ type: () => WindowOverridesDto, description: 'Only the windows (or fields) that differ from the criteria set\'s defaults' }) @IsOptional() @IsObjectOf(WINDOWS_SHAPE) @ValidateNested() @Type(() => WindowOverridesDto) windows?: WindowOverridesDto;
  @ApiPropertyOptional({ example: 'Grunntilskudd 2014' }) @OptionalLongText() note?: string;
}

export class AmendGrantSchemeDto {
  @ApiProperty({ example: 2014 }) @SchemeYear() year!: number;
  @ApiPropertyOptional({ example: '27000000.00' }) @IsOptional() baseGrant?: string;
  @ApiPropertyOptional({ example: 'criteria-2014' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) @IsPlainText() criteriaSetId?: string;
  @ApiPropertyOptional({ example: '2014-04-01' }) @IsOptional() @JudgingDay() judgingDate?: string;
  /** Overrides laid over the scheme's current overrides, field by field. */
  @ApiPropertyOptional({ type: () => WindowOverridesDto }) @IsOptional() @IsObjectOf(WINDOWS_SHAPE) @ValidateNested() @Type(() => WindowOverridesDto) windows?: WindowOverridesDto;
  @ApiProperty({ example: 'Later judging date' }) @IsString() @IsNotEmpty() @IsNotBlank() @MaxLength(2000) @IsPlainMultilineText() reason!: string;
}

// ---------- allocation (the eligibility snapshot is computed by the server, never sent by a client over HTTP) ----------

export class CountyVerdictDto {
  @Id() countyId!: string;
  @IsString() @MaxLength(8) countyNumber!: string;
  @IsString() @MaxLength(200) name!: string;
  @IsBoolean() eligible!: boolean;
  @IsArray() @IsString({ each: true }) failedCriteria!: string[];
  @IsArray() @IsString({ each: true }) qualifyingCentreIds!: string[];
}

export class VerdictOverrideDto {
  @ApiProperty({ example: 'troms' }) @Id() countyId!: string;
  @ApiProperty({ example: true }) @IsBoolean() eligible!: boolean;
  @ApiProperty({ example: 'Agreement signed in time, recorded late' }) @IsString() @IsNotEmpty() @IsNotBlank() @MaxLength(2000) @IsPlainMultilineText() reason!: string;
}

export class AllocateBaseGrantDto {
  @WholeNumber(YEAR.min, YEAR.max) year!: number;
  @OptionalLongText() note?: string;
  @WholeNumber(1) schemeVersion!: number;
  @WholeNumber(0) basedOnPosition!: number;
  @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => CountyVerdictDto) verdicts!: CountyVerdictDto[];
}

export class CorrectBaseGrantAllocationDto {
  @WholeNumber(YEAR.min, YEAR.max) year!: number;
  @IsString() @IsNotEmpty() @IsNotBlank() @MaxLength(2000) @IsPlainMultilineText() reason!: string;
  /** Verdicts Vox sets by hand (each with its reason); other counties keep the verdict recomputed now. */
  @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => VerdictOverrideDto) overrides?: VerdictOverrideDto[];
  @WholeNumber(1) schemeVersion!: number;
  @WholeNumber(0) basedOnPosition!: number;
  @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => CountyVerdictDto) verdicts!: CountyVerdictDto[];
}

/** What Vox sends to allocate: the rest is computed by the ledger. */
export class AllocateBaseGrantBody {
  @ApiPropertyOptional({ example: 'Grunntilskudd 2014' }) @OptionalLongText() note?: string;
}

/** What Vox sends to correct an allocation. */
export class CorrectBaseGrantAllocationBody {
  @ApiProperty({ example: 'Troms documented competence development for NAV after the allocation' }) @IsString() @IsNotEmpty() @IsNotBlank() @MaxLength(2000) @IsPlainMultilineText() reason!: string;
  @ApiPropertyOptional({ type: () => [VerdictOverrideDto] }) @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => VerdictOverrideDto) overrides?: VerdictOverrideDto[];
}

// ---------- evidence ----------

export class DeclareServiceDto {
  @ApiProperty({ example: 'telemark-kc' }) @Id() centreId!: string;
  @ApiPropertyOptional({ description: 'Generated when left out' }) @IsOptional() @Id() declarationId?: string;
  /** The declaration applies from this date until a later declaration replaces it. */
  @ApiProperty({ example: '2013-01-01' }) @Day() effectiveFrom!: string;
  @ApiProperty({ example: true }) @IsBoolean() freeOfCharge!: boolean;
  @ApiProperty({ example: true }) @IsBoolean() openToAllAdults!: boolean;
  /** The lowest age served. */
  @ApiProperty({ example: 19 }) @WholeNumber(0, 120, coded('GRANT_EVIDENCE.AGE_OUT_OF_RANGE', (a) => `fromAge must be a whole age from 0 to 120, not ${shown(a.value)}`)) fromAge!: number;
  @ApiPropertyOptional({}) @OptionalLongText() note?: string;
}

export class RecordCompetenceDevelopmentDto {
  @ApiProperty({ example: 'telemark-kc' }) @Id() centreId!: string;
  @ApiPropertyOptional({ description: 'Generated when left out' }) @IsOptional() @Id() activityId?: string;
  @ApiProperty({ example: '2013-11-20' }) @Day() deliveredOn!: string;
  @ApiProperty({ enum: ACTIVITY_KINDS, example: 'triangle-conversation' }) @IsIn(ACTIVITY_KINDS as unknown as string[], coded('GRANT_EVIDENCE.UNKNOWN_KIND', (a) => `kind must be one of ${ACTIVITY_KINDS.join(', ')}, not ${shown(a.value)}`)) kind!: (typeof ACTIVITY_KINDS)[number];
  @ApiProperty({ enum: TARGET_GROUPS, isArray: true, example: ['nav-staff'] }) @IsArray() @ArrayMinSize(1, coded('GRANT_EVIDENCE.NO_TARGET_GROUP', 'Name at least one target group the activity reached')) @ArrayMaxSize(TARGET_GROUPS.length, coded('GRANT_EVIDENCE.DUPLICATE_TARGET_GROUP', (a) => `targetGroups names ${Array.isArray(a.value) ? a.value.length : 'more'} groups, but there are only ${TARGET_GROUPS.length} (${TARGET_GROUPS.join(', ')}): name each at most once`))
  @IsIn(TARGET_GROUPS as unknown as string[], coded('GRANT_EVIDENCE.UNKNOWN_TARGET_GROUP', unknownTargetGroups, { each: true }))
  targetGroups!: (typeof TARGET_GROUPS)[number][];
  @ApiProperty({ example: 4 }) @WholeNumber(1, 100_000, coded('GRANT_EVIDENCE.NO_PARTICIPANTS', (a) => `participants must be a whole number from 1 to 100000, not ${shown(a.value)}`)) participants!: number;
  @ApiProperty({ example: 'Trekantsamtale med NAV-veileder og bruker' }) @IsString() @IsNotEmpty() @IsNotBlank() @MaxLength(2000) @IsPlainMultilineText() description!: string;
}

/** The period a user survey covered: both days required. */
export class SurveyPeriodDto {
  @ApiProperty({ example: '2013-01-01' }) @Day() from!: string;
  @ApiProperty({ example: '2013-12-31' }) @Day() to!: string;
}

export class RecordUserSurveyParticipationDto {
  @ApiProperty({ example: 'telemark-kc' }) @Id() centreId!: string;
  @ApiPropertyOptional({ description: 'Generated when left out' }) @IsOptional() @Id() participationId?: string;
  @ApiProperty({ type: () => SurveyPeriodDto }) @ValidateNested() @Type(() => SurveyPeriodDto) @IsObjectOf(SURVEY_PERIOD_SHAPE) @IsDefined() period!: SurveyPeriodDto;
  @ApiPropertyOptional({}) @OptionalLongText() note?: string;
}

export class RecordAnnualReportDto {
  @ApiProperty({ example: 'telemark-kc' }) @Id() centreId!: string;
  @ApiPropertyOptional({ description: 'Generated when left out' }) @IsOptional() @Id() reportId?: string;
  /** The year the report covers. */
  @ApiProperty({ example: 2013 }) @WholeNumber(YEAR.min, YEAR.max, coded('FISCAL_YEAR.OUT_OF_RANGE', (a) => `The report year must be a whole year from ${YEAR.min} to ${YEAR.max}, not ${shown(a.value)}`)) year!: number;
  /** The day it was submitted to Vox. */
  @ApiProperty({ example: '2014-02-20' }) @Day() submittedOn!: string;
}

export class WithdrawGrantEvidenceDto {
  @ApiProperty({ example: 'telemark-kc' }) @Id() centreId!: string;
  /** The declarationId, activityId, participationId or reportId to withdraw. */
  @ApiProperty({ example: 'rep-2013' }) @Id() evidenceId!: string;
  @ApiProperty({ example: 'Wrong date; recorded again' }) @IsString() @IsNotEmpty() @IsNotBlank() @MaxLength(2000) @IsPlainMultilineText() reason!: string;
}

// ---------- stimulus grants ----------

/** Where a stimulus-grant application stands (the list's `?status=` filter). */
export const STIMULUS_STATUSES = ['applied', 'awarded', 'rejected'] as const;

export class ApplyForStimulusGrantDto {
  @ApiProperty({ example: 'hordaland-etablering-2014' }) @Id() applicationId!: string;
  @ApiProperty({ example: 'hordaland' }) @Id() countyId!: string;
  @ApiProperty({ example: 2014 }) @WholeNumber(YEAR.min, YEAR.max, coded('FISCAL_YEAR.OUT_OF_RANGE', (a) => `The grant year must be a whole year from ${YEAR.min} to ${YEAR.max}, not ${shown(a.value)}`)) year!: number;
  @ApiProperty({ enum: STIMULUS_PURPOSES, example: 'establish-centre' })
  @IsIn(STIMULUS_PURPOSES as unknown as string[], coded('STIMULUS_GRANT.UNKNOWN_PURPOSE', (a) => `purpose must be one of ${STIMULUS_PURPOSES.join(', ')}, not ${shown(a.value)}`)) purpose!: (typeof STIMULUS_PURPOSES)[number];
  /** NOK as a decimal string, e.g. "500000.00". */
  @ApiProperty({ example: '700000.00' }) @IsDefined() amountAsked!: string;
  @ApiProperty({ example: 'Etablere karrieresenter i Bergen' }) @IsString() @IsNotEmpty() @IsNotBlank() @MaxLength(4000) @IsPlainMultilineText() description!: string;
  /** The centre the development work is for (required for purpose "development"). */
  @ApiPropertyOptional({ description: 'Required for purpose development' }) @IsOptional() @Id() centreId?: string;
  /** Defaults to today. */
  @ApiPropertyOptional({ example: '2014-02-10', description: 'Default today' }) @IsOptional() @Day() appliedOn?: string;
}

export class AwardStimulusGrantDto {
  @ApiProperty({ example: 'hordaland-etablering-2014' }) @Id() applicationId!: string;
  /** NOK as a decimal string, at most the amount asked. */
  @ApiProperty({ example: '650000.00' }) @IsDefined() amount!: string;
  @ApiPropertyOptional({}) @OptionalLongText() note?: string;
}

export class RejectStimulusGrantDto {
  @ApiProperty({ example: 'troms-utvikling-2014' }) @Id() applicationId!: string;
  @ApiProperty({ example: 'Rammen er brukt opp' }) @IsString() @IsNotEmpty() @IsNotBlank() @MaxLength(2000) @IsPlainMultilineText() reason!: string;
}

/**
 * The decision that replaces the one in force, whole: an award names its amount (and may have a
 * note; left out, the corrected award has none), a rejection its reason (the domain refuses the
 * other outcome's fields: STIMULUS_GRANT.DECISION_FIELDS); correctionReason says why.
 */
export class CorrectStimulusGrantDecisionDto {
  @ApiProperty({ example: 'hordaland-etablering-2014' }) @Id() applicationId!: string;
  @ApiProperty({ enum: STIMULUS_OUTCOMES, example: 'awarded' })
  @IsIn(STIMULUS_OUTCOMES as unknown as string[], coded('STIMULUS_GRANT.UNKNOWN_OUTCOME', (a) => `outcome must be one of ${STIMULUS_OUTCOMES.join(', ')}, not ${shown(a.value)}`)) outcome!: (typeof STIMULUS_OUTCOMES)[number];
  /** NOK as a decimal string, at most the amount asked (an award only). */
  @ApiPropertyOptional({ example: '600000.00', description: 'For outcome awarded (required), at most the amount asked' }) @IsOptional() amount?: string;
  @ApiPropertyOptional({ description: 'For outcome awarded (optional)' }) @OptionalLongText() note?: string;
  /** The rejection's reason (a rejection only). */
  @ApiPropertyOptional({ description: 'For outcome rejected (required), such as "Rammen er brukt opp"; left out of the example, which corrects an award' }) @IsOptional() @IsString() @IsNotEmpty() @IsNotBlank() @MaxLength(2000) @IsPlainMultilineText() reason?: string;
  /** Why the decision is corrected. */
  @ApiProperty({ example: 'Skrivefeil i beløpet: 650 000 skulle vært 600 000' }) @IsString() @IsNotEmpty() @IsNotBlank() @MaxLength(2000) @IsPlainMultilineText() correctionReason!: string;
}
