import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * Names that end up in reports, spreadsheets and XML: no C0 or C1 control characters (DEL
 * included), no U+FFFE or U+FFFF, no surrogate without its pair. None of them is ever part of a
 * real name; in a workbook they cannot even be written (XML 1.0), and in a CSV a tab or CR can
 * start a formula. With the `u` flag a paired surrogate is read as one character, so only lone ones match.
 */
const NOT_PLAIN = /[\p{Cc}\uFFFE\uFFFF\uD800-\uDFFF]/u;

const PROBLEM = 'must be plain text';
const PLAIN_TEXT_MESSAGE = `$property ${PROBLEM} (no control characters, no U+FFFE or U+FFFF, no unpaired surrogates)`;

/** The answer's code when a field breaks the rule (see validationFailed). */
export const NOT_PLAIN_TEXT_CODE = 'VALIDATION.NOT_PLAIN_TEXT';

/** Whether a validation message is this rule's (messages are all the flattened errors keep). */
export const isPlainTextProblem = (message: string): boolean => message.includes(` ${PROBLEM} (`);

/** A string that holds plain text only (see NOT_PLAIN); other types are left to @IsString. */
export const IsPlainText = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy({ name: 'isPlainText', validator: { validate: (v: unknown) => typeof v !== 'string' || !NOT_PLAIN.test(v), defaultMessage: () => PLAIN_TEXT_MESSAGE } }, options);
