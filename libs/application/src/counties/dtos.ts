import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsString, Matches, Max, MaxLength, Min, ValidationArguments, ValidationOptions } from 'class-validator';
import { ID_PATTERN, sentAsText } from '../../../domain/src/shared';
import { IsNotBlank, IsPlainMultilineText, IsPlainText } from '../plain-text';
import { coded } from '../validation';

export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
export const DATE_MESSAGE = '$property must be a date written as YYYY-MM-DD';
/** The letters an id may hold, said so that a Norwegian reader does not take æ, ø or å for letters it may use. */
export const ID_CHARACTERS = 'the letters a–z and A–Z (not æ, ø, å or other letters), digits, dot, dash or underscore, starting with a letter or digit';
export const ID_MESSAGE = `$property must be an id of at most 64 characters: ${ID_CHARACTERS}`;

/*
 * Validators that also say, in the OpenAPI document, what they accept. They add no `required` of
 * their own: the @ApiProperty or @ApiPropertyOptional beside them still says whether a field may be
 * left out. Their validators are registered in the order TypeScript registers a written list (the
 * last first), so problems are listed as they were when the list was written out on each field.
 * `options` (e.g. `coded(…)`, validation.ts) apply to each rule they add.
 */

/**
 * A business date written as YYYY-MM-DD: OpenAPI `string`, format `date`. A date in another form is
 * `DATE.INVALID`, as a date that is not in the calendar is (the domain's check), unless `options`
 * name another code.
 */
export const Day = (options: ValidationOptions = {}): PropertyDecorator => (target, key) => {
  ApiProperty({ type: String, format: 'date', pattern: DATE_PATTERN.source })(target, key);
  Matches(DATE_PATTERN, { message: DATE_MESSAGE, ...coded('DATE.INVALID'), ...options })(target, key);
};

/**
 * A whole number from `min` (to `max`, when given): OpenAPI `integer` with those bounds. The message
 * of each rule is `options.message` (or class-validator's), except for a number in range sent as text
 * ("2014"): that is told to send it as a number (2014), not as text, where "must be a whole year from
 * 1990 to 2100, not 2014" would contradict itself.
 */
export const WholeNumber = (min: number, max?: number, options: ValidationOptions = {}): PropertyDecorator => (target, key) => {
  ApiProperty({ type: 'integer', minimum: min, maximum: max })(target, key);
  const given = options.message;
  const message =
    (fallback: string) =>
    (a: ValidationArguments): string => {
      const own = typeof given === 'function' ? given(a) : (given ?? fallback);
      // The message's own name for the value ("The grant year", "fromAge"), else the field's.
      const label = /^(.+?) (?:must be|is) /.exec(own)?.[1] ?? a.property;
      return sentAsText(label.includes('$property') ? a.property : label, a.value, min, max) ?? own;
    };
  if (max !== undefined) Max(max, { ...options, message: message('$property must not be greater than $constraint1') })(target, key);
  Min(min, { ...options, message: message('$property must not be less than $constraint1') })(target, key);
  IsInt({ ...options, message: message('$property must be an integer number') })(target, key);
};

/** An id (the letters a–z and A–Z, digits, dot, dash or underscore, at most 64): OpenAPI `string` with that pattern. */
export const Id = (): PropertyDecorator => (target, key) => {
  ApiProperty({ type: String, pattern: ID_PATTERN.source })(target, key);
  Matches(ID_PATTERN, { message: ID_MESSAGE })(target, key);
};

export class RegisterCountyDto {
  @ApiProperty({ example: 'telemark' }) @Id() countyId!: string;
  @ApiProperty({ example: 'Telemark', maxLength: 200 }) @IsString() @IsNotEmpty() @IsNotBlank() @MaxLength(200) @IsPlainText() name!: string;
  /** The official two-digit county number of 2014 (e.g. "08" for Telemark). */
  @ApiProperty({ example: '08', pattern: '^\\d{2}$', description: 'The official two-digit county number of 2014' })
  @Matches(/^\d{2}$/, { message: '$property must be the two-digit county number, such as "08"' }) countyNumber!: string;
}

export class RegisterCentreDto {
  @ApiProperty({ example: 'kc-skien' }) @Id() centreId!: string;
  @ApiProperty({ example: 'telemark', description: 'The county the centre belongs to (registered)' }) @Id() countyId!: string;
  @ApiProperty({ example: 'Karrieresenteret Skien', maxLength: 200 }) @IsString() @IsNotEmpty() @IsNotBlank() @MaxLength(200) @IsPlainText() name!: string;
  @ApiProperty({ example: 'Skien', maxLength: 200 }) @IsString() @IsNotEmpty() @IsNotBlank() @MaxLength(200) @IsPlainText() municipality!: string;
  @ApiProperty({ example: '2014-03-01', description: 'The day the centre opened' }) @Day() openedOn!: string;
}

export class RenameCentreDto {
  @ApiProperty({ example: 'kc-skien' }) @Id() centreId!: string;
  @ApiProperty({ example: 'Karriere Telemark', maxLength: 200 }) @IsString() @IsNotEmpty() @IsNotBlank() @MaxLength(200) @IsPlainText() name!: string;
  @ApiProperty({ example: '2016-01-01', description: 'The new name holds from this date' }) @Day() effectiveFrom!: string;
}

export class CloseCentreDto {
  @ApiProperty({ example: 'kc-skien' }) @Id() centreId!: string;
  @ApiProperty({ example: '2014-06-30', description: 'The first day the centre is closed: nothing can be recorded for it from that day' }) @Day() closedOn!: string;
  @ApiProperty({ example: 'Merged into Karriere Telemark', maxLength: 2000 }) @IsString() @IsNotEmpty() @IsNotBlank() @MaxLength(2000) @IsPlainMultilineText() reason!: string;
}
