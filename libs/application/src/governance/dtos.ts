import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateIf, ValidateNested, ValidationArguments } from 'class-validator';
import { BOARD_ROLES, BODY_KINDS, CO_LOCATION_KINDS, MONEY_KINDS, PROPOSAL_KINDS } from '../../../domain/src/governance';
import { ID_PATTERN } from '../../../domain/src/shared';
import { Day, Id, ID_MESSAGE, WholeNumber } from '../counties/dtos';
import { IsNotBlank, IsNotBlankWhenGiven, IsPlainMultilineText, IsPlainText, OptionalLongText } from '../plain-text';
import { coded, IsObjectOf, RuleMessage, shown } from '../validation';

const oneOf = (values: readonly string[]) => IsIn(values as string[], { message: `$property must be one of: ${values.join(', ')}` });
/** One of `values`, standing for a domain code: the message names the value given, as the domain does. */
const codedOneOf = (values: readonly string[], code: Parameters<typeof coded>[0], message: RuleMessage = (a) => `${a.property} ${shown(a.value)} is not one of: ${values.join(', ')}`) =>
  IsIn(values as string[], coded(code, message));
const Ids = () => Matches(ID_PATTERN, { message: ID_MESSAGE, each: true });
/** A required free text on one line (a name, title, premises): a string, not empty, not only whitespace (VALIDATION.BLANK), plain text (VALIDATION.NOT_PLAIN_TEXT), at most `max` long. */
const Text = (max = 200) => [IsString(), IsNotEmpty(), IsNotBlank(), MaxLength(max), IsPlainText()];
/** A required long text (a description, reason): as Text, but line breaks and tabs are allowed. */
const LongText = (max = 2000) => [IsString(), IsNotEmpty(), IsNotBlank(), MaxLength(max), IsPlainMultilineText()];
const apply = (...ds: PropertyDecorator[]): PropertyDecorator => (t, k) => ds.forEach((d) => d(t, k));
const NullableOptional = () => apply(IsOptional(), ValidateIf((_, v) => v !== null));

/** The forms of the nested objects, as a message shows them. */
const PERIOD_SHAPE = '{"from": "YYYY-MM-DD", "to": "YYYY-MM-DD" or null}';
const RULES_SHAPE = 'such as {"quorum": "at-least", "quorumMembers": 3, "tieBreak": "chair-decides"}';
const CONTENT_SHAPE = 'with the fields its kind uses, such as {"lines": [{"partyId": …, "moneyKind": …, "amount": "690400.00"}]} or {"goals": […], "targetGroups": […]}';

/** A period in force: from a day, open-ended or to a last day (agreements, board terms). */
export class GovernancePeriodDto {
  @ApiProperty({ example: '2009-01-01' }) @Day() from!: string;
  @ApiPropertyOptional({ example: null, nullable: true, type: String, description: 'Last day in force (inclusive); leave out or null for open-ended' })
  @NullableOptional() @Day() to?: string | null;
}

/** The domain's words for a share that is not 1–10000 basis points, naming the party when it is given. */
const shareMessage = (a: ValidationArguments): string => {
  const partyId = (a.object as { partyId?: unknown }).partyId;
  return `${typeof partyId === 'string' ? `Party ${partyId}'s share` : 'A share'} must be a whole number of basis points between 1 and 10000 (100 % = 10000), not ${shown(a.value)}`;
};

export class OwnerShareDto {
  @ApiProperty({ example: 'nav-telemark' }) @Id() partyId!: string;
  @ApiProperty({ example: 5000, description: 'Cost share in basis points: 10000 = 100 %, 5000 = 50 %, 3333 = 33.33 %' })
  @WholeNumber(1, 10000, coded('OWNER_AGREEMENT.INVALID_SHARE', shareMessage)) shareBp!: number;
}

export class RegisterOwnerAgreementDto {
  @ApiProperty({ example: 'telemark-owners-2009' }) @Id() agreementId!: string;
  @ApiProperty({ example: 'telemark' }) @Id() centreId!: string;
  @ApiProperty({ type: [OwnerShareDto], example: [{ partyId: 'telemark-fk', shareBp: 5000 }, { partyId: 'nav-telemark', shareBp: 5000 }] }) @IsArray() @ArrayMinSize(1, coded('OWNER_AGREEMENT.NO_PARTIES', 'An owner agreement names at least one party')) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => OwnerShareDto) parties!: OwnerShareDto[];
  @ApiProperty({ type: GovernancePeriodDto }) @IsObjectOf(PERIOD_SHAPE) @ValidateNested() @Type(() => GovernancePeriodDto) period!: GovernancePeriodDto;
  @ApiProperty({ example: '2009-03-01' }) @Day() signedOn!: string;
}

export class AmendOwnerAgreementDto {
  @Id() agreementId!: string;
  @Id() centreId!: string;
  @ApiProperty({ example: '2013-01-01', description: 'The new terms hold from this date' }) @Day() effectiveFrom!: string;
  @ApiProperty({ type: [OwnerShareDto], description: 'The full new shares', example: [{ partyId: 'telemark-fk', shareBp: 6000 }, { partyId: 'nav-telemark', shareBp: 4000 }] }) @IsArray() @ArrayMinSize(1, coded('OWNER_AGREEMENT.NO_PARTIES', 'An owner agreement names at least one party')) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => OwnerShareDto) parties!: OwnerShareDto[];
  @ApiProperty({ type: GovernancePeriodDto, description: 'The full new period' }) @IsObjectOf(PERIOD_SHAPE) @ValidateNested() @Type(() => GovernancePeriodDto) period!: GovernancePeriodDto;
  @ApiPropertyOptional() @OptionalLongText() note?: string;
}

export class TerminateOwnerAgreementDto {
  @Id() agreementId!: string;
  @Id() centreId!: string;
  @ApiProperty({ example: '2015-01-01', description: 'First day no longer in force' }) @Day() effectiveFrom!: string;
  @ApiPropertyOptional() @OptionalLongText() reason?: string;
}

export class SignPartnershipAgreementDto {
  @ApiProperty({ example: 'telemark-partnership-2014' }) @Id() partnershipId!: string;
  @Id() countyId!: string;
  @ApiProperty({ type: [String], example: ['telemark-county', 'nav-telemark'] }) @IsArray() @ArrayMinSize(2, coded('PARTNERSHIP.TOO_FEW_PARTIES', 'A partnership agreement is made between at least two parties (at least the county authority and the NAV county office)')) @ArrayMaxSize(100) @Ids() parties!: string[];
  @ApiProperty({ example: '2014-02-01' }) @Day() signedOn!: string;
  @ApiProperty({ type: GovernancePeriodDto }) @IsObjectOf(PERIOD_SHAPE) @ValidateNested() @Type(() => GovernancePeriodDto) period!: GovernancePeriodDto;
}

export class AmendPartnershipAgreementDto {
  @Id() partnershipId!: string;
  @Id() countyId!: string;
  @ApiProperty({ example: '2015-01-01' }) @Day() effectiveFrom!: string;
  @ApiProperty({ type: [String], example: ['telemark-county', 'nav-telemark'] }) @IsArray() @ArrayMinSize(2, coded('PARTNERSHIP.TOO_FEW_PARTIES', 'A partnership agreement is made between at least two parties (at least the county authority and the NAV county office)')) @ArrayMaxSize(100) @Ids() parties!: string[];
  @ApiProperty({ type: GovernancePeriodDto }) @IsObjectOf(PERIOD_SHAPE) @ValidateNested() @Type(() => GovernancePeriodDto) period!: GovernancePeriodDto;
  @ApiPropertyOptional() @OptionalLongText() note?: string;
}

export class TerminatePartnershipAgreementDto {
  @Id() partnershipId!: string;
  @Id() countyId!: string;
  @ApiProperty({ example: '2016-01-01', description: 'First day no longer in force' }) @Day() effectiveFrom!: string;
  @ApiPropertyOptional() @OptionalLongText() reason?: string;
}

export class AssignCoordinatingFunctionDto {
  @Id() countyId!: string;
  @ApiProperty({ example: 'telemark-county' }) @Id() holderPartyId!: string;
  @ApiProperty({ example: 'Coordinates the guidance actors of the county (schools, NAV, the career centre)' }) @apply(...LongText()) description!: string;
  @ApiProperty({ example: '2014-01-01' }) @Day() from!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @NullableOptional() @Day() to?: string | null;
}

export class EndCoordinatingFunctionDto {
  @Id() countyId!: string;
  @ApiProperty() @Id() holderPartyId!: string;
  @ApiProperty({ example: '2016-12-31', description: 'Last day held' }) @Day() endedOn!: string;
}

export class BoardRulesDto {
  @ApiPropertyOptional({ enum: ['more-than-half', 'at-least'], default: 'more-than-half', description: 'more-than-half: more than half of the seats take part; at-least: quorumMembers seats take part' })
  @IsOptional() @codedOneOf(['more-than-half', 'at-least'], 'BOARD.INVALID_QUORUM', (a) => `The quorum rule is 'more-than-half' or 'at-least', not ${shown(a.value)}`) quorum?: 'more-than-half' | 'at-least';
  @ApiPropertyOptional({ example: 3, description: "Only with quorum 'at-least'" })
  @IsOptional() @WholeNumber(1, 100, coded('BOARD.INVALID_QUORUM', (a) => `A fixed quorum is a whole number of members from 1 to 100, not ${shown(a.value)}`)) quorumMembers?: number;
  @ApiPropertyOptional({ enum: ['chair-decides', 'rejected'], default: 'chair-decides', description: "On a tie: the chair's vote decides, or the proposal is rejected" })
  @IsOptional() @oneOf(['chair-decides', 'rejected']) tieBreak?: 'chair-decides' | 'rejected';
}

export class EstablishBoardDto {
  @ApiProperty({ example: 'ostfold-board' }) @Id() boardId!: string;
  @ApiProperty({ example: 'ostfold' }) @Id() countyId!: string;
  @ApiProperty({ type: [String], example: ['ostfold-karrieresenter'] }) @IsArray() @ArrayMinSize(1, coded('BOARD.NO_CENTRES', 'A board governs at least one career centre')) @ArrayMaxSize(50) @Ids() centreIds!: string[];
  @ApiProperty({ example: 'Styret for Karriere Østfold' }) @apply(...Text()) name!: string;
  @ApiPropertyOptional({ enum: BODY_KINDS, default: 'board' }) @IsOptional() @oneOf(BODY_KINDS) bodyKind?: (typeof BODY_KINDS)[number];
  @ApiProperty({ example: '2012-01-01' }) @Day() establishedOn!: string;
  @ApiPropertyOptional({ type: BoardRulesDto, description: 'Rules of procedure; defaults: more than half take part, chair decides a tie' })
  @IsOptional() @IsObjectOf(RULES_SHAPE) @ValidateNested() @Type(() => BoardRulesDto) rules?: BoardRulesDto;
}

export class DissolveBoardDto {
  @Id() boardId!: string;
  @ApiProperty({ example: '2014-03-31', description: 'The day the body was dissolved; it no longer acts from that day' }) @Day() dissolvedOn!: string;
  @ApiPropertyOptional() @OptionalLongText() reason?: string;
  @ApiPropertyOptional({ example: 'troms-board' }) @IsOptional() @Id() replacedByBoardId?: string;
}

export class AppointBoardMemberDto {
  @Id() boardId!: string;
  @ApiProperty({ example: 'kari.nordmann', description: "The person's id: the `sub` of their sign-in token, so they vote as themselves" }) @Id() personId!: string;
  @ApiProperty({ example: 'Kari Nordmann' }) @apply(...Text()) name!: string;
  @ApiPropertyOptional({ example: 'nav-ostfold', nullable: true, type: String, description: 'The party represented (may be left out only for staff representatives)' })
  @NullableOptional() @Id() partyId?: string | null;
  @ApiProperty({ enum: BOARD_ROLES }) @oneOf(BOARD_ROLES) role!: (typeof BOARD_ROLES)[number];
  @ApiProperty({ type: GovernancePeriodDto }) @IsObjectOf(PERIOD_SHAPE) @ValidateNested() @Type(() => GovernancePeriodDto) term!: GovernancePeriodDto;
}

export class EndBoardMemberDto {
  @Id() boardId!: string;
  @Id() personId!: string;
  @ApiProperty({ example: '2015-12-31', description: 'Last day as a member' }) @Day() endedOn!: string;
  @ApiPropertyOptional() @OptionalLongText() reason?: string;
}

export class BudgetLineDto {
  @ApiProperty({ example: 'nav-ostfold' }) @Id() partyId!: string;
  @ApiProperty({ enum: MONEY_KINDS }) @codedOneOf(MONEY_KINDS, 'PROPOSAL.UNKNOWN_MONEY_KIND') moneyKind!: (typeof MONEY_KINDS)[number];
  @ApiProperty({ example: '690400.00', description: 'NOK as a decimal string (at most two decimals)' }) @IsString() amount!: string;
}

export class DecisionContentDto {
  @ApiPropertyOptional({ type: [BudgetLineDto], description: 'Budget only: lines by party and kind of money' })
  @IsOptional() @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => BudgetLineDto) lines?: BudgetLineDto[];
  @ApiPropertyOptional({ type: [String], description: 'Plans and goals: the goals' }) @IsOptional() @IsArray() @ArrayMaxSize(200) @IsString({ each: true }) @IsNotEmpty({ each: true }) @IsNotBlank({ each: true }) @MaxLength(2000, { each: true }) @IsPlainMultilineText({ each: true }) goals?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Plans and goals: the target groups' }) @IsOptional() @IsArray() @ArrayMaxSize(200) @IsString({ each: true }) @IsNotEmpty({ each: true }) @IsNotBlank({ each: true }) @MaxLength(500, { each: true }) @IsPlainText({ each: true }) targetGroups?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Parties that gave formal input' }) @IsOptional() @IsArray() @ArrayMaxSize(100) @Ids() inputFromPartyIds?: string[];
  @ApiPropertyOptional() @OptionalLongText(10000) summary?: string;
}

export class TableProposalDto {
  @Id() boardId!: string;
  @ApiProperty({ example: 'ostfold-strategy-2014' }) @Id() proposalId!: string;
  @ApiProperty({ enum: PROPOSAL_KINDS }) @oneOf(PROPOSAL_KINDS) kind!: (typeof PROPOSAL_KINDS)[number];
  @ApiProperty({ example: 2014 }) @WholeNumber(1990, 2100) year!: number;
  @ApiProperty({ example: 'Strategic plan 2014–2017' }) @apply(...Text(500)) title!: string;
  @ApiProperty({ type: DecisionContentDto }) @IsObjectOf(CONTENT_SHAPE) @ValidateNested() @Type(() => DecisionContentDto) content!: DecisionContentDto;
  @ApiPropertyOptional({ type: [String], description: "Default: every centre the board governs" }) @IsOptional() @IsArray() @ArrayMinSize(1) @Ids() centreIds?: string[];
  @ApiPropertyOptional({ example: '2014-02-10', description: 'Default: today' }) @IsOptional() @Day() tabledOn?: string;
}

export class CastVoteDto {
  @Id() boardId!: string;
  @Id() proposalId!: string;
  @ApiPropertyOptional({ description: 'Board members vote as themselves (their token); only an admin entering minutes names the person' }) @IsOptional() @Id() personId?: string;
  @ApiProperty({ enum: ['for', 'against', 'abstain'] }) @oneOf(['for', 'against', 'abstain']) vote!: 'for' | 'against' | 'abstain';
  @ApiPropertyOptional({ description: 'Deputy members only: the member whose seat they take' }) @IsOptional() @Id() standingInFor?: string;
  @ApiPropertyOptional({ example: '2014-02-10', description: 'Default: today' }) @IsOptional() @Day() castOn?: string;
}

export class CloseProposalDto {
  @Id() boardId!: string;
  @Id() proposalId!: string;
  @ApiPropertyOptional({ example: '2014-02-10', description: 'Default: today' }) @IsOptional() @Day() closedOn?: string;
  @ApiPropertyOptional({ enum: ['adopted', 'rejected'], description: 'The outcome the chair declares; refused (nothing recorded) if the votes do not give it, e.g. BOARD.NO_QUORUM' })
  @IsOptional() @oneOf(['adopted', 'rejected']) outcome?: 'adopted' | 'rejected';
}

export class RecordCountyLineDecisionDto {
  @ApiProperty({ example: 'vest-agder-budget-2013' }) @Id() decisionId!: string;
  @Id() countyId!: string;
  @ApiProperty({ type: [String] }) @IsArray() @ArrayMinSize(1, coded('COUNTY_LINE.NO_CENTRES', 'A county-line decision names the centres it is for')) @ArrayMaxSize(50) @Ids() centreIds!: string[];
  @ApiProperty({ enum: PROPOSAL_KINDS }) @oneOf(PROPOSAL_KINDS) kind!: (typeof PROPOSAL_KINDS)[number];
  @ApiProperty({ example: 2013 }) @WholeNumber(1990, 2100) year!: number;
  @ApiProperty({ example: 'Budget 2013 for the career centres' }) @apply(...Text(500)) title!: string;
  @ApiProperty({ type: DecisionContentDto }) @IsObjectOf(CONTENT_SHAPE) @ValidateNested() @Type(() => DecisionContentDto) content!: DecisionContentDto;
  @ApiPropertyOptional({ example: '2012-12-12', description: 'Default: today' }) @IsOptional() @Day() decidedOn?: string;
}

export class SharedWithDto {
  @ApiProperty({ enum: CO_LOCATION_KINDS }) @codedOneOf(CO_LOCATION_KINDS, 'CO_LOCATION.UNKNOWN_KIND') kind!: (typeof CO_LOCATION_KINDS)[number];
  @ApiPropertyOptional({ nullable: true, type: String }) @NullableOptional() @Id() partyId?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'Kongsberg videregående skole' }) @NullableOptional() @IsString() @IsNotBlankWhenGiven('leave it out (or null) when a party is named') @MaxLength(200) @IsPlainText() name?: string | null;
}

export class RecordCoLocationDto {
  @Id() centreId!: string;
  @ApiProperty({ example: '2012-08-01' }) @Day() from!: string;
  @ApiProperty({ example: 'NAV-huset, Skien' }) @apply(...Text(500)) premises!: string;
  @ApiProperty({ type: [SharedWithDto], description: 'Empty: not co-located from that date' }) @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => SharedWithDto) sharedWith!: SharedWithDto[];
}

/** A premises record corrected: `from` names the record; premises and sharedWith are what it should say (in full). */
export class CorrectCoLocationDto {
  @Id() centreId!: string;
  @ApiProperty({ example: '2012-08-01', description: 'The date of the record corrected (it keeps its date)' }) @Day() from!: string;
  @ApiProperty({ example: 'NAV-huset, Kristiansand' }) @apply(...Text(500)) premises!: string;
  @ApiProperty({ type: [SharedWithDto], description: 'The full sharedWith it should say; empty: not co-located' }) @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => SharedWithDto) sharedWith!: SharedWithDto[];
  @ApiProperty({ example: 'Feil NAV-kontor oppgitt' }) @apply(...LongText()) reason!: string;
}

/** A premises record entered by mistake, withdrawn: it stays in the log and no longer counts. */
export class WithdrawCoLocationDto {
  @Id() centreId!: string;
  @ApiProperty({ example: '2014-01-01', description: 'The date of the record withdrawn' }) @Day() from!: string;
  @ApiProperty({ example: 'Ført med feil dato' }) @apply(...LongText()) reason!: string;
}
