import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate, ValidationError, ValidatorOptions } from 'class-validator';
import { DomainError } from '../../domain/src/shared';
import { BLANK_CODE, isBlankProblem, isPlainTextProblem, NOT_PLAIN_TEXT_CODE } from './plain-text';

/** One set of rules for every edge: unknown fields are refused, not silently dropped. */
export const VALIDATOR_OPTIONS: ValidatorOptions = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };

export interface FieldProblem {
  field: string;
  problems: string[];
}

export const flattenValidationErrors = (errors: ValidationError[], prefix = ''): FieldProblem[] =>
  errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });

export const validationFailed = (problems: FieldProblem[]): DomainError => {
  const any = (test: (message: string) => boolean) => problems.some((p) => p.problems.some(test));
  // The most specific problem names the code: an unknown field first, then a name that is not plain
  // text, then a required text that is blank (only whitespace or invisible characters).
  const code = any((m) => m.includes('should not exist')) ? 'VALIDATION.UNKNOWN_FIELD' : any(isPlainTextProblem) ? NOT_PLAIN_TEXT_CODE : any(isBlankProblem) ? BLANK_CODE : 'VALIDATION.FAILED';
  const summary = problems.map((p) => `${p.field}: ${p.problems.join('; ')}`).join(' | ');
  return new DomainError(code, `The request is not valid. ${summary}`, 'invalid', { fields: problems });
};

/** Validates a plain object against a DTO class, as the HTTP pipe does; throws a 400 DomainError. */
export const validatePayload = async <T extends object>(cls: new () => T, raw: unknown): Promise<T> => {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new DomainError('VALIDATION.FAILED', 'The request body must be a JSON object.', 'invalid');
  }
  const instance = plainToInstance(cls, raw, { enableImplicitConversion: false });
  const errors = await validate(instance as object, VALIDATOR_OPTIONS);
  if (errors.length) throw validationFailed(flattenValidationErrors(errors));
  return instance;
};

/** Where class-transformer keeps what @Type() names (not part of its typed entry point). */
const transformerMetadata = (require('class-transformer/cjs/storage') as { defaultMetadataStorage: { findTypeMetadata(target: Function, property: string): { typeFunction: () => unknown } | undefined } })
  .defaultMetadataStorage;

/** The validation codes a DTO's text rules can answer, nested objects included: VALIDATION.BLANK (@IsNotBlank), VALIDATION.NOT_PLAIN_TEXT (@IsPlainText). */
export const textRuleCodes = (cls: Function): ('VALIDATION.BLANK' | 'VALIDATION.NOT_PLAIN_TEXT')[] => {
  const names = new Set<string>();
  const seen = new Set<Function>();
  const visit = (c: Function): void => {
    if (seen.has(c)) return;
    seen.add(c);
    for (const m of getMetadataStorage().getTargetValidationMetadatas(c, '', true, false)) {
      if (m.name) names.add(m.name);
      if (m.type !== 'nestedValidation') continue;
      const nested = transformerMetadata.findTypeMetadata(c, m.propertyName)?.typeFunction() ?? Reflect.getMetadata('design:type', c.prototype, m.propertyName);
      if (typeof nested === 'function' && nested !== Array && nested !== Object) visit(nested as Function);
    }
  };
  visit(cls);
  return [...(names.has('isNotBlank') ? (['VALIDATION.BLANK'] as const) : []), ...(names.has('isPlainText') ? (['VALIDATION.NOT_PLAIN_TEXT'] as const) : [])];
};
