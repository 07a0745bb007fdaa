import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ACTIVITY_KINDS, TARGET_GROUPS } from '../../../domain/src/grants/criteria';
import { STIMULUS_PURPOSES } from '../../../domain/src/grants/stimulus';
import { ID_PATTERN } from '../../../domain/src/shared';
import { DATE_MESSAGE, DATE_PATTERN, ID_MESSAGE } from '../counties/dtos';

const YEAR = { min: 2000, max: 2100 };

// ---------- scheme windows (every field optional: defaults come from the criteria set) ----------

export class DateWindowOverrideDto {
  /** First day of the window (YYYY-MM-DD). */
  @IsOptional() @Matches(DATE_PATTERN, { message: DATE_MESSAGE }) from?: string;
  /** Last day of the window, inclusive (YYYY-MM-DD). */
  @IsOptional() @Matches(DATE_PATTERN, { message: DATE_MESSAGE }) to?: string;
}

export class FreeGuidanceOverrideDto extends DateWindowOverrideDto {
  /** The highest "from age" a declaration may name and still serve all adults over 19 (default 19). */
  @IsOptional() @IsInt() @Min(16) @Max(67) maxFromAge?: number;
}

export class AnnualReportOverrideDto {
  /** Which year's annual report must be in (default: the year before the scheme year). */
  @IsOptional() @IsInt() @Min(YEAR.min) @Max(YEAR.max) reportYear?: number;
  /** Last day the report may have been submitted (default: the judging date). */
  @IsOptional() @Matches(DATE_PATTERN, { message: DATE_MESSAGE }) deadline?: string;
}

export class WindowOverridesDto {
  @IsOptional() @ValidateNested() @Type(() => DateWindowOverrideDto) partnershipAgreement?: DateWindowOverrideDto;
  @IsOptional() @ValidateNested() @Type(() => DateWindowOverrideDto) coordinatingFunction?: DateWindowOverrideDto;
  @IsOptional() @ValidateNested() @Type(() => FreeGuidanceOverrideDto) freeGuidance?: FreeGuidanceOverrideDto;
  @IsOptional() @ValidateNested() @Type(() => DateWindowOverrideDto) competenceDevelopment?: DateWindowOverrideDto;
  @IsOptional() @ValidateNested() @Type(() => DateWindowOverrideDto) userSurvey?: DateWindowOverrideDto;
  @IsOptional() @ValidateNested() @Type(() => AnnualReportOverrideDto) annualReport?: AnnualReportOverrideDto;
}

export class PublishGrantSchemeDto {
  @IsInt() @Min(YEAR.min) @Max(YEAR.max) year!: number;
  /** The base-grant sum to share, in NOK as a decimal string, e.g. "26600000.00". */
  @IsDefined() baseGrant!: string;
  /** The criteria set in force, e.g. "criteria-2014" (GET /grant-criteria-sets lists them). */
  @IsString() @IsNotEmpty() @MaxLength(64) criteriaSetId!: string;
  /** The date on which the criteria are judged (YYYY-MM-DD). */
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE }) judgingDate!: string;
  /** Windows that differ from the criteria set's defaults; omitted fields keep the default. */
  @IsOptional() @ValidateNested() @Type(() => WindowOverridesDto) windows?: WindowOverridesDto;
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class AmendGrantSchemeDto {
  @IsInt() @Min(YEAR.min) @Max(YEAR.max) year!: number;
  @IsOptional() baseGrant?: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) criteriaSetId?: string;
  @IsOptional() @Matches(DATE_PATTERN, { message: DATE_MESSAGE }) judgingDate?: string;
  /** Overrides laid over the scheme's current overrides, field by field. */
  @IsOptional() @ValidateNested() @Type(() => WindowOverridesDto) windows?: WindowOverridesDto;
  @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;
}

// ---------- allocation (the eligibility snapshot is computed by the server, never sent by a client over HTTP) ----------

export class CountyVerdictDto {
  @Matches(ID_PATTERN, { message: ID_MESSAGE }) countyId!: string;
  @IsString() @MaxLength(8) countyNumber!: string;
  @IsString() @MaxLength(200) name!: string;
  @IsBoolean() eligible!: boolean;
  @IsArray() @IsString({ each: true }) failedCriteria!: string[];
  @IsArray() @IsString({ each: true }) qualifyingCentreIds!: string[];
}

export class VerdictOverrideDto {
  @Matches(ID_PATTERN, { message: ID_MESSAGE }) countyId!: string;
  @IsBoolean() eligible!: boolean;
  @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;
}

export class AllocateBaseGrantDto {
  @IsInt() @Min(YEAR.min) @Max(YEAR.max) year!: number;
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
  @IsInt() @Min(1) schemeVersion!: number;
  @IsInt() @Min(0) basedOnPosition!: number;
  @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => CountyVerdictDto) verdicts!: CountyVerdictDto[];
}

export class CorrectBaseGrantAllocationDto {
  @IsInt() @Min(YEAR.min) @Max(YEAR.max) year!: number;
  @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;
  /** Verdicts Vox sets by hand (each with its reason); other counties keep the verdict recomputed now. */
  @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => VerdictOverrideDto) overrides?: VerdictOverrideDto[];
  @IsInt() @Min(1) schemeVersion!: number;
  @IsInt() @Min(0) basedOnPosition!: number;
  @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => CountyVerdictDto) verdicts!: CountyVerdictDto[];
}

/** What Vox sends to allocate: the rest is computed by the ledger. */
export class AllocateBaseGrantBody {
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

/** What Vox sends to correct an allocation. */
export class CorrectBaseGrantAllocationBody {
  @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;
  @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => VerdictOverrideDto) overrides?: VerdictOverrideDto[];
}

// ---------- evidence ----------

export class DeclareServiceDto {
  @Matches(ID_PATTERN, { message: ID_MESSAGE }) centreId!: string;
  @IsOptional() @Matches(ID_PATTERN, { message: ID_MESSAGE }) declarationId?: string;
  /** The declaration applies from this date until a later declaration replaces it. */
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE }) effectiveFrom!: string;
  @IsBoolean() freeOfCharge!: boolean;
  @IsBoolean() openToAllAdults!: boolean;
  /** The lowest age served. */
  @IsInt() @Min(0) @Max(120) fromAge!: number;
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class RecordCompetenceDevelopmentDto {
  @Matches(ID_PATTERN, { message: ID_MESSAGE }) centreId!: string;
  @IsOptional() @Matches(ID_PATTERN, { message: ID_MESSAGE }) activityId?: string;
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE }) deliveredOn!: string;
  @IsIn(ACTIVITY_KINDS as unknown as string[]) kind!: (typeof ACTIVITY_KINDS)[number];
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(TARGET_GROUPS.length) @IsIn(TARGET_GROUPS as unknown as string[], { each: true }) targetGroups!: (typeof TARGET_GROUPS)[number][];
  @IsInt() @Min(1) @Max(100_000) participants!: number;
  @IsString() @IsNotEmpty() @MaxLength(2000) description!: string;
}

export class PeriodDto {
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE }) from!: string;
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE }) to!: string;
}

export class RecordUserSurveyParticipationDto {
  @Matches(ID_PATTERN, { message: ID_MESSAGE }) centreId!: string;
  @IsOptional() @Matches(ID_PATTERN, { message: ID_MESSAGE }) participationId?: string;
  @ValidateNested() @Type(() => PeriodDto) @IsDefined() period!: PeriodDto;
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class RecordAnnualReportDto {
  @Matches(ID_PATTERN, { message: ID_MESSAGE }) centreId!: string;
  @IsOptional() @Matches(ID_PATTERN, { message: ID_MESSAGE }) reportId?: string;
  /** The year the report covers. */
  @IsInt() @Min(YEAR.min) @Max(YEAR.max) year!: number;
  /** The day it was submitted to Vox. */
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE }) submittedOn!: string;
}

export class WithdrawGrantEvidenceDto {
  @Matches(ID_PATTERN, { message: ID_MESSAGE }) centreId!: string;
  /** The declarationId, activityId, participationId or reportId to withdraw. */
  @Matches(ID_PATTERN, { message: ID_MESSAGE }) evidenceId!: string;
  @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;
}

// ---------- stimulus grants ----------

export class ApplyForStimulusGrantDto {
  @Matches(ID_PATTERN, { message: ID_MESSAGE }) applicationId!: string;
  @Matches(ID_PATTERN, { message: ID_MESSAGE }) countyId!: string;
  @IsInt() @Min(YEAR.min) @Max(YEAR.max) year!: number;
  @IsIn(STIMULUS_PURPOSES as unknown as string[]) purpose!: (typeof STIMULUS_PURPOSES)[number];
  /** NOK as a decimal string, e.g. "500000.00". */
  @IsDefined() amountAsked!: string;
  @IsString() @IsNotEmpty() @MaxLength(4000) description!: string;
  /** The centre the development work is for (required for purpose "development"). */
  @IsOptional() @Matches(ID_PATTERN, { message: ID_MESSAGE }) centreId?: string;
  /** Defaults to today. */
  @IsOptional() @Matches(DATE_PATTERN, { message: DATE_MESSAGE }) appliedOn?: string;
}

export class AwardStimulusGrantDto {
  @Matches(ID_PATTERN, { message: ID_MESSAGE }) applicationId!: string;
  /** NOK as a decimal string, at most the amount asked. */
  @IsDefined() amount!: string;
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class RejectStimulusGrantDto {
  @Matches(ID_PATTERN, { message: ID_MESSAGE }) applicationId!: string;
  @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;
}
