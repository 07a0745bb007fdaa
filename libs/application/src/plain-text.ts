import { IsOptional, IsString, MaxLength, ValidateBy, ValidationOptions } from 'class-validator';

/**
 * Text that ends up in reports, spreadsheets and XML: no C0 or C1 control characters (DEL
 * included), no U+FFFE or U+FFFF, no surrogate without its pair. None of them is ever part of a
 * real name, title or reference; in a workbook they cannot even be written (XML 1.0), and in a CSV a
 * tab or CR can start a formula. With the `u` flag a paired surrogate is read as one character, so
 * only lone ones match.
 */
const NOT_PLAIN = /[\p{Cc}\uFFFE\uFFFF\uD800-\uDFFF]/u;
/** The same, but for line feed, carriage return and tab: long texts (notes, reasons, descriptions…) are multi-line by nature. */
const NOT_PLAIN_MULTILINE = /(?![\n\r\t])[\p{Cc}\uFFFE\uFFFF\uD800-\uDFFF]/u;

const PROBLEM = 'must be plain text';
const PLAIN_TEXT_MESSAGE = `$property ${PROBLEM} (no control characters, no U+FFFE or U+FFFF, no unpaired surrogates)`;
const PLAIN_MULTILINE_MESSAGE = `$property ${PROBLEM} (no control characters but line breaks and tabs, no U+FFFE or U+FFFF, no unpaired surrogates)`;

/** The answer's code when a field breaks the rule (see validationFailed). */
export const NOT_PLAIN_TEXT_CODE = 'VALIDATION.NOT_PLAIN_TEXT';

/** Whether a validation message is this rule's (messages are all the flattened errors keep). */
export const isPlainTextProblem = (message: string): boolean => message.includes(` ${PROBLEM} (`);

/** The rule's name in class-validator's metadata (both variants); the multi-line one has the constraint MULTILINE. */
export const PLAIN_TEXT_RULE = 'isPlainText';
export const MULTILINE = 'multiline';

/** Whether a string holds plain text only (NOT_PLAIN), or with `multiline` plain text that may also hold line feeds, carriage returns and tabs. */
export const isPlainText = (v: string, multiline = false): boolean => !(multiline ? NOT_PLAIN_MULTILINE : NOT_PLAIN).test(v);

/**
 * A string that holds plain text only (see NOT_PLAIN), on one line: names, titles, references,
 * premises… Other types are left to @IsString; with `each`, every string of an array.
 */
export const IsPlainText = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy({ name: PLAIN_TEXT_RULE, constraints: [], validator: { validate: (v: unknown) => typeof v !== 'string' || isPlainText(v), defaultMessage: () => PLAIN_TEXT_MESSAGE } }, options);

/**
 * A long text (a note, reason, description, purpose, summary, goal): plain text as IsPlainText says,
 * but line feed, carriage return and tab are allowed.
 */
export const IsPlainMultilineText = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy({ name: PLAIN_TEXT_RULE, constraints: [MULTILINE], validator: { validate: (v: unknown) => typeof v !== 'string' || isPlainText(v, true), defaultMessage: () => PLAIN_MULTILINE_MESSAGE } }, options);

/**
 * Text made only of whitespace (any Unicode White_Space: spaces, tabs, line breaks, NBSP, the
 * U+2000–U+200A spaces, U+3000…) and invisible characters (Default_Ignorable_Code_Point: zero-width
 * spaces and joiners, U+FEFF, Hangul fillers…) says nothing: a name, reason or description must
 * hold at least one other character. The empty string is left to @IsNotEmpty (its own message).
 */
const BLANK = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}]+$/u;

const BLANK_PROBLEM = 'must not be blank';
const BLANK_MESSAGE = `$property ${BLANK_PROBLEM} (it needs a character other than spaces, line breaks and other whitespace or invisible characters)`;

/** The answer's code when a required text field is blank (see validationFailed). */
export const BLANK_CODE = 'VALIDATION.BLANK';

/** Whether a validation message is the blank rule's. */
export const isBlankProblem = (message: string): boolean => message.includes(` ${BLANK_PROBLEM} (`);

/** Whether a text holds only whitespace and invisible characters (and is not empty). */
export const isBlank = (v: string): boolean => BLANK.test(v);

/** A string with at least one character that is neither whitespace nor invisible; other types are left to @IsString. */
export const IsNotBlank = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy({ name: 'isNotBlank', validator: { validate: (v: unknown) => typeof v !== 'string' || !isBlank(v), defaultMessage: () => BLANK_MESSAGE } }, options);

/**
 * An optional text given as "" or as only whitespace says nothing either, yet would be recorded for
 * good as a note or reason that is there: leaving the field out (or null, where it takes null) is how
 * to give none, and `hint` says so. Other types are left to @IsString.
 */
export const IsNotBlankWhenGiven = (hint = 'leave it out to give none'): PropertyDecorator =>
  ValidateBy({ name: 'isNotBlank', validator: { validate: (v: unknown) => typeof v !== 'string' || (v !== '' && !isBlank(v)), defaultMessage: () => `${BLANK_MESSAGE}; ${hint}` } });

/** Whitespace (and zero-width spaces, U+FEFF) at either end; an emoji's variation selector or joiner stays. */
const EDGE_SPACE = /^[\p{White_Space}\u200B\uFEFF]+|[\p{White_Space}\u200B\uFEFF]+$/gu;

/**
 * A name as the ledger keeps it: Unicode NFC (so "Ø" typed as O + combining stroke is the same name)
 * without leading or trailing whitespace (any Unicode space, zero-width space, U+FEFF). Applied when
 * a command is made from its payload, so a rename to the same name written another way records nothing.
 */
export const normalName = (name: string): string => name.normalize('NFC').replace(EDGE_SPACE, '');

/**
 * An optional long text (a note, reason, summary): left out for none, never empty or blank, at most
 * `max` long, plain text with line breaks and tabs. One definition, so a rule for such texts lands on
 * every one of them.
 */
export const OptionalLongText = (max = 2000): PropertyDecorator => {
  const rules = [IsOptional(), IsString(), IsNotBlankWhenGiven(), MaxLength(max), IsPlainMultilineText()];
  return (target, key) => rules.forEach((rule) => rule(target, key));
};
