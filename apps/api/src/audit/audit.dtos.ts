import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';

const INT = /^\d{1,15}$/;
const INT_MSG = '$property must be a whole number ≥ 0';
const LIMIT = /^(500|[1-4]\d{2}|[1-9]\d?)$/;
const LIMIT_MSG = '$property must be a whole number from 1 to 500';
const TEXT = /^[A-Za-z0-9._:@+-]{1,200}$/;
const TEXT_MSG = '$property must be 1–200 characters: the letters a–z and A–Z (not æ, ø or å), digits or . _ : @ + -';
// Who and under which correlation id, as recorded: a token's subject (1–255 characters, e.g. `auth0|5f7c…`) and an
// X-Correlation-Id header are taken as sent, so these filters take any one line of text, not only the ids' usual letters.
const RECORDED_TEXT = (max: number) => new RegExp(`^[^\\p{Cc}\\p{Cs}\\uFFFE\\uFFFF]{1,${max}}$`, 'u');
const RECORDED_TEXT_MSG = (max: number) => `$property must be 1–${max} characters without control characters, as recorded`;
// Checked by parseAsOf in the read-cut guard (http/read-cuts.ts) before this DTO is validated, so a malformed asOf, or one
// given twice, is 400 REQUEST.BAD_AS_OF as on every other read route (@IsString below never sees one that is not a string).
const AS_OF_DOC = 'Recorded-time instant (ISO-8601 with a zone, or a date meaning the end of that day in Norway): only events recorded at or before it';

export class StreamHistoryQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'First revision to return (default 0)' }) @IsOptional() @Matches(INT, { message: INT_MSG }) fromRevision?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, description: 'Page size, 1–500 (default 100)' }) @IsOptional() @Matches(LIMIT, { message: LIMIT_MSG }) limit?: string;
  @ApiPropertyOptional({ description: AS_OF_DOC }) @IsOptional() @IsString() asOf?: string;
}

export class EventQuery {
  @ApiPropertyOptional({ description: `${AS_OF_DOC} (an event recorded after it is 404)` }) @IsOptional() @IsString() asOf?: string;
}

export class LogQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'Events after this global position (default 0); use nextAfter from the previous page' }) @IsOptional() @Matches(INT, { message: INT_MSG }) after?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, description: 'Page size, 1–500 (default 100)' }) @IsOptional() @Matches(LIMIT, { message: LIMIT_MSG }) limit?: string;
  @ApiPropertyOptional({ description: 'Who: metadata.actorId (the token subject)' }) @IsOptional() @Matches(RECORDED_TEXT(255), { message: RECORDED_TEXT_MSG(255) }) actor?: string;
  @ApiPropertyOptional({ description: 'In which role: metadata.actorRole' }) @IsOptional() @Matches(TEXT, { message: TEXT_MSG }) role?: string;
  @ApiPropertyOptional({ description: 'Events about this centre (data.centreId or data.centreIds)' }) @IsOptional() @Matches(TEXT, { message: TEXT_MSG }) centre?: string;
  @ApiPropertyOptional({ description: 'Events about this county (data.countyId, or the county of the event\'s centre)' }) @IsOptional() @Matches(TEXT, { message: TEXT_MSG }) county?: string;
  @ApiPropertyOptional({ description: 'Event types, comma separated (any of)' }) @IsOptional() @Matches(/^[A-Za-z0-9]{1,80}(,[A-Za-z0-9]{1,80}){0,19}$/, { message: '$property must be up to 20 event type names separated by commas' }) type?: string;
  @ApiPropertyOptional({ description: 'metadata.correlationId' }) @IsOptional() @Matches(RECORDED_TEXT(1000), { message: RECORDED_TEXT_MSG(1000) }) correlation?: string;
  @ApiPropertyOptional({ description: 'Stream id prefix, e.g. funding-' }) @IsOptional() @Matches(TEXT, { message: TEXT_MSG }) stream?: string;
  // from and to are checked by the controller with asOf's parser (a malformed one, or one given twice, is 400 REQUEST.BAD_AS_OF,
  // as README says; a class-validator @Matches here answered VALIDATION.FAILED for some malformed values and BAD_AS_OF for others).
  @ApiPropertyOptional({ description: 'Recorded at or after this instant (a date alone: from 00:00 that day in Norway; finer than a millisecond: from the next millisecond)' }) @IsOptional() from?: string;
  @ApiPropertyOptional({ description: 'Recorded at or before this instant (a date alone: to the end of that day in Norway)' }) @IsOptional() to?: string;
}

export class VerifyQuery {
  @ApiPropertyOptional({ description: 'A digest kept outside the ledger (64 hex characters); goes with position' }) @IsOptional() @Matches(/^[0-9a-f]{64}$/, { message: '$property must be 64 lower-case hex characters' }) digest?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'The global position the digest was taken at' }) @IsOptional() @Matches(INT, { message: INT_MSG }) position?: string;
}

export class DigestQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'Global position (default: the head of the log)' }) @IsOptional() @Matches(INT, { message: INT_MSG }) position?: string;
}

export class PositionAtQuery {
  // Required (no @IsOptional: ApiQueryResponses reads that as asOfRequired): the read-cut guard refuses it missing, and checks its shape
  // with parseAsOf, before this DTO is validated: 400 REQUEST.BAD_AS_OF naming the parameter (given twice too), as asOf everywhere.
  @ApiProperty({ example: '2014-05-09T23:59:59Z', description: 'A recorded-time instant (ISO-8601 with a zone, or a date meaning the end of that day in Norway); required: without it, 400 REQUEST.BAD_AS_OF' }) @IsString() asOf!: string;
}
