import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { ID_PATTERN } from '../../../domain/src/shared';
import { IsPlainText } from '../plain-text';

export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
export const DATE_MESSAGE = '$property must be a date written as YYYY-MM-DD';
export const ID_MESSAGE = '$property must be an id of letters, digits, dot, dash or underscore (at most 64)';

export class RegisterCountyDto {
  @Matches(ID_PATTERN, { message: ID_MESSAGE }) countyId!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) @IsPlainText() name!: string;
  /** The official two-digit county number of 2014 (e.g. "08" for Telemark). */
  @Matches(/^\d{2}$/, { message: '$property must be the two-digit county number, such as "08"' }) countyNumber!: string;
}

export class RegisterCentreDto {
  @Matches(ID_PATTERN, { message: ID_MESSAGE }) centreId!: string;
  @Matches(ID_PATTERN, { message: ID_MESSAGE }) countyId!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) @IsPlainText() name!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) municipality!: string;
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE }) openedOn!: string;
}

export class RenameCentreDto {
  @Matches(ID_PATTERN, { message: ID_MESSAGE }) centreId!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) @IsPlainText() name!: string;
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE }) effectiveFrom!: string;
}

export class CloseCentreDto {
  @Matches(ID_PATTERN, { message: ID_MESSAGE }) centreId!: string;
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE }) closedOn!: string;
  @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;
}
