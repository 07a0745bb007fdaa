import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate, ValidateBy, ValidationArguments, ValidationError, ValidationOptions, ValidatorOptions } from 'class-validator';
import { DomainError } from '../../domain/src/shared';
import type { RefusalCode } from './error-codes';
import { BLANK_CODE, isBlankProblem, isPlainTextProblem, NOT_PLAIN_TEXT_CODE } from './plain-text';

/** One set of rules for every edge: unknown fields are refused, not silently dropped. */
export const VALIDATOR_OPTIONS: ValidatorOptions = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };

/**
 * What a field's problems were, as the answer's `details.fields` lists them: the field (a path such
 * as `parties.0.shareBp`), each problem once, and the domain code they stand for when every problem
 * of the field names the same one (see `coded`).
 */
export interface FieldProblem {
  field: string;
  problems: string[];
  code?: string;
}

/** What a DTO rule's `context` holds when the rule stands for a domain code (see `coded`). */
export interface RuleContext {
  code: RefusalCode;
}

/** A rule's message: a text (`$property`, `$value`… filled in by class-validator) or made from the value. */
export type RuleMessage = string | ((args: ValidationArguments) => string);

/**
 * The options that make a DTO rule stand for a documented domain code: when it is broken, the field's
 * problem names `code`, and a request whose every problem names that same code is answered with it
 * (400, the message the rule gives, as the domain would) rather than `VALIDATION.FAILED`. Pass them
 * to any class-validator decorator (`@IsIn(KINDS, coded('PARTY.UNKNOWN_KIND', …))`, `@ArrayMinSize(1,
 * coded(…))`) or to the helpers that take options (`WholeNumber`, `Day`). The rule runs before the
 * domain sees the command, so without this a documented code the domain also checks could never be
 * answered. The code must be in the catalogue with a 400 meaning (error-codes.ts;
 * test/http/error-code-catalogue.e2e-spec.ts checks every coded rule), and the OpenAPI document lists
 * it for each command whose payload has the rule (`ruleCodes`).
 */
export const coded = (code: RefusalCode, message?: RuleMessage, options: ValidationOptions = {}): ValidationOptions => ({
  ...options,
  ...(message === undefined ? {} : { message }),
  context: { ...(options.context as object | undefined), code } satisfies RuleContext,
});

/** A value as a message may show it: a string as it is, anything else as JSON; at most 80 characters. */
export const shown = (v: unknown): string => {
  const s = v === undefined ? '(none)' : typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  return s.length > 80 ? `${s.slice(0, 79)}…` : s;
};

const codeOf = (e: ValidationError, constraint: string): string | undefined => {
  const named = (e.contexts?.[constraint] as Partial<RuleContext> | undefined)?.code;
  return typeof named === 'string' ? named : undefined;
};

/** One field's problems, each once, with the code they all name (if they all name the same one). */
const fieldProblem = (field: string, problems: string[], codes: (string | undefined)[]): FieldProblem => {
  const unique = [...new Set(problems)];
  const named = codes.length > 0 && codes.every((c) => c !== undefined && c === codes[0]) ? codes[0] : undefined;
  return named === undefined ? { field, problems: unique } : { field, problems: unique, code: named };
};

/** A value as a message names it: `the text "ja"`, `a list`, `the number 5`, `true`, `null`. */
export const described = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'string' ? `the text ${JSON.stringify(shown(v))}` : typeof v === 'number' ? `the number ${v}` : typeof v === 'object' ? 'an object' : shown(v);

/** The rule `IsObjectOf` adds, by name. */
export const IS_OBJECT_OF = 'isObjectOf';

/**
 * A nested object (used beside `@ValidateNested()` and `@Type()`): one object, not a list, text or a
 * number. Its message shows the form expected, `shape` (`{"from": "YYYY-MM-DD", "to": …}`), and what
 * was sent instead; `options` may name a code and a message of its own (`coded(…)`). When it is broken
 * it is the field's one problem (see `flattenValidationErrors`): class-validator's own word for it
 * ("nested property period must be either object or array") names a list as allowed when a list was
 * refused, and the problems it finds in each item of a list are of a list that should not be there.
 */
export const IsObjectOf = (shape: string, options: ValidationOptions = {}): PropertyDecorator =>
  ValidateBy(
    {
      name: IS_OBJECT_OF,
      validator: {
        validate: (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v),
        defaultMessage: (a?: ValidationArguments) =>
          a === undefined || a.value === undefined || a.value === null ? `$property must be an object ${shape}` : `$property must be one object ${shape}, not ${described(a.value)}`,
      },
    },
    options,
  );

/** What is said of a field left out or null, by the rule that would say what it should be. */
const REQUIRED_FORM: [string, (message: string) => string | undefined][] = [
  [IS_OBJECT_OF, (m) => /\bmust be (.+)$/.exec(m)?.[1]],
  ['matches', (m) => /\bmust be (.+)$/.exec(m)?.[1]],
  ['isIn', (m) => /\bmust be (.+)$/.exec(m)?.[1]],
  ['isBoolean', () => 'true or false'],
  ['isInt', (m) => /\bmust be (a whole .+)$/.exec(m)?.[1] ?? 'a whole number'],
  ['isString', () => 'a text'],
  ['isArray', () => 'a list'],
];

/**
 * A required field left out or null, said once: `<field> is required: <its form>` (an id of…, a date
 * written as YYYY-MM-DD, a text, true or false…), rather than every rule of a value never sent ("must
 * be shorter than or equal to 2000 characters; should not be empty; must be a string").
 */
const requiredProblem = (field: string, messages: Record<string, string>): string => {
  for (const [name, form] of REQUIRED_FORM) {
    const message = messages[name];
    // A message that shows the value ends "…, not null" or "…, not (none)": the form is what comes before.
    const said = message === undefined ? undefined : form(message)?.replace(/,? not (null|\(none\)|undefined)$/, '');
    if (said) return `${field} is required: ${said}`;
  }
  return `${field} is required`;
};

/** The problem said of a field the request does not take (code VALIDATION.UNKNOWN_FIELD). */
const UNKNOWN_FIELD_PROBLEM = 'is not a field of this request';
const isUnknownFieldProblem = (message: string): boolean => message.includes(` ${UNKNOWN_FIELD_PROBLEM}`);

/** class-validator's words for a rule, in words a finance officer reads (by the rule's name); others are kept. */
const plainProblem = (e: ValidationError, field: string, name: string, message: string): string => {
  switch (name) {
    case 'whitelistValidation':
      return `${field} ${UNKNOWN_FIELD_PROBLEM}: leave it out`;
    case 'nestedValidation':
      return `${field} must be an object with its own fields, not ${described(e.value)}`;
    case 'isBoolean':
      // Only class-validator's own message ("must be a boolean value"); a rule's own message is kept.
      return /must be a boolean value$/.test(message) ? `${field} must be true or false (written as JSON true or false, without quotes), not ${described(e.value)}` : message;
    default:
      return message;
  }
};

export const flattenValidationErrors = (errors: ValidationError[], prefix = ''): FieldProblem[] =>
  errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const constraints = e.constraints ?? {};
    const names = Object.keys(constraints);
    const children = e.children ?? [];
    // A required field left out (or null): that is its one problem, the rest (not a string, empty,
    // not an object…) only follow from it. Said by the rule's own message where it has one (@IsDefined),
    // else as "<field> is required: <its form>". (A value is absent from an error only when the pipe
    // took it out of an error with children, never for a field left out.)
    if (names.includes('isDefined')) {
      // class-validator's own words ("should not be null or undefined") are said as any required field's.
      const message = constraints.isDefined;
      return [fieldProblem(field, [/should not be null or undefined$/.test(message) ? requiredProblem(field, constraints) : message], [codeOf(e, 'isDefined')])];
    }
    const leftOut = children.length === 0 && 'value' in e && (e.value === undefined || e.value === null);
    if (leftOut && names.length && !names.includes('whitelistValidation')) {
      return [fieldProblem(field, [requiredProblem(field, constraints)], names.map((n) => codeOf(e, n)))];
    }
    // Not one object where one is expected: that is its one problem, and the problems of the items of
    // a list sent in its place are not looked at.
    if (names.includes(IS_OBJECT_OF)) return [fieldProblem(field, [constraints[IS_OBJECT_OF]], [codeOf(e, IS_OBJECT_OF)])];
    const own = names.length ? [fieldProblem(field, names.map((n) => plainProblem(e, field, n, constraints[n])), names.map((n) => codeOf(e, n)))] : [];
    return [...own, ...flattenValidationErrors(children, field)];
  });

/** The domain code every problem names, when they all name the same one. */
const sharedCode = (problems: FieldProblem[]): string | undefined => {
  const first = problems[0]?.code;
  return first !== undefined && problems.every((p) => p.code === first) ? first : undefined;
};

/** A problem as a sentence: the domain's messages end with a full stop, class-validator's do not. */
const sentence = (m: string): string => (/[.!?]$/.test(m) ? m : `${m}.`);

export const validationFailed = (problems: FieldProblem[]): DomainError => {
  // Every problem stands for the same documented code: answer it, as the domain would have.
  const shared = sharedCode(problems);
  if (shared !== undefined) {
    const message = [...new Set(problems.flatMap((p) => p.problems))].map(sentence).join(' ');
    // One field: named as `details.field` too, as the ledger's own refusals name it (DATE.INVALID,
    // MONEY.INVALID…), so a code's details have one shape whichever check refused the value.
    const fields = [...new Set(problems.map((p) => p.field))];
    return new DomainError(shared, message, 'invalid', fields.length === 1 ? { field: fields[0], fields: problems } : { fields: problems });
  }
  const any = (test: (message: string) => boolean) => problems.some((p) => p.problems.some(test));
  // The most specific problem names the code: an unknown field first, then a name that is not plain
  // text, then a required text that is blank (only whitespace or invisible characters).
  const code = any(isUnknownFieldProblem) ? 'VALIDATION.UNKNOWN_FIELD' : any(isPlainTextProblem) ? NOT_PLAIN_TEXT_CODE : any(isBlankProblem) ? BLANK_CODE : 'VALIDATION.FAILED';
  const summary = problems.map((p) => `${p.field}: ${p.problems.join('; ')}`).join(' | ');
  return new DomainError(code, `The request is not valid. ${summary}`, 'invalid', { fields: problems });
};

/**
 * The keys of a request object that turning it into its DTO drops without a word, so the whitelist
 * never sees them: `__proto__`, `constructor`, `prototype`, and names of something every object (or
 * the DTO's prototype) already has, a method or a read-only accessor (`toString`, `valueOf`,
 * `hasOwnProperty`…: class-transformer, and flatInstance after it, skip those). No DTO field is one.
 */
export const keysDroppedByTransform = (cls: new () => object, value: object): string[] => {
  let probe: Record<string, unknown> | undefined;
  /** A method or read-only accessor the DTO (or every object) already has under this name. */
  const heldByPrototype = (key: string): boolean => {
    if (!(key in cls.prototype)) return false;
    probe ??= new cls() as Record<string, unknown>;
    const own = Object.getOwnPropertyDescriptor(cls.prototype, key);
    return (own !== undefined && !own.set) || probe[key] instanceof Function;
  };
  const dropped: string[] = [];
  for (const key of Object.keys(value)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype' || heldByPrototype(key)) dropped.push(key);
    else nestedObjectMembers((value as Record<string, unknown>)[key], key, dropped);
  }
  return dropped;
};

/**
 * Inside a field's value (a nested object, the items of a list): keys named like a member every
 * object has (`toString`, `constructor`, `__proto__`…) or `prototype`, which no nested request
 * object has as a field either; named as the checks name nested fields (`period.toString`, `parties.0.valueOf`).
 */
const nestedObjectMembers = (value: unknown, path: string, out: string[]): void => {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => nestedObjectMembers(item, `${path}.${i}`, out));
    return;
  }
  for (const key of Object.keys(value)) {
    if (key === 'prototype' || key in Object.prototype) out.push(`${path}.${key}`);
    else nestedObjectMembers((value as Record<string, unknown>)[key], `${path}.${key}`, out);
  }
};

/**
 * Unknown fields are refused, not dropped: the problems of those keysDroppedByTransform finds, said
 * as any unknown field's (400 VALIDATION.UNKNOWN_FIELD), to be told with the request's other problems.
 */
export const droppedKeyProblems = (cls: new () => object, value: object): FieldProblem[] =>
  flattenValidationErrors(keysDroppedByTransform(cls, value).map((property) => Object.assign(new ValidationError(), { property, children: [], constraints: { whitelistValidation: `property ${property} should not exist` } })));

/** The problems of a refusal made by validationFailed (its `details.fields`), or null for any other error. */
export const problemsOf = (e: unknown): FieldProblem[] | null => {
  const fields = e instanceof DomainError ? (e.details as { fields?: unknown }).fields : undefined;
  return Array.isArray(fields) ? (fields as FieldProblem[]) : null;
};

/** Validates a plain object against a DTO class, as the HTTP pipe does; throws a 400 DomainError. */
export const validatePayload = async <T extends object>(cls: new () => T, raw: unknown): Promise<T> => {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new DomainError('VALIDATION.FAILED', 'The request body must be a JSON object.', 'invalid');
  }
  const dropped = droppedKeyProblems(cls, raw);
  const instance = plainToInstance(cls, raw, { enableImplicitConversion: false });
  const errors = await validate(instance as object, VALIDATOR_OPTIONS);
  if (errors.length || dropped.length) throw validationFailed([...flattenValidationErrors(errors), ...dropped]);
  return instance;
};

/** Where class-transformer keeps what @Type() names (not part of its typed entry point). */
const transformerMetadata = (require('class-transformer/cjs/storage') as { defaultMetadataStorage: { findTypeMetadata(target: Function, property: string): { typeFunction: () => unknown } | undefined } })
  .defaultMetadataStorage;

/**
 * The codes a DTO's rules can answer, nested objects included: VALIDATION.BLANK (@IsNotBlank),
 * VALIDATION.NOT_PLAIN_TEXT (@IsPlainText), and the domain code of every rule that names one (`coded`).
 */
export const ruleCodes = (cls: Function): string[] => {
  const names = new Set<string>();
  const codes = new Set<string>();
  const seen = new Set<Function>();
  const visit = (c: Function): void => {
    if (seen.has(c)) return;
    seen.add(c);
    for (const m of getMetadataStorage().getTargetValidationMetadatas(c, '', true, false)) {
      if (m.name) names.add(m.name);
      const named = (m.context as Partial<RuleContext> | undefined)?.code;
      if (typeof named === 'string') codes.add(named);
      if (m.type !== 'nestedValidation') continue;
      const nested = transformerMetadata.findTypeMetadata(c, m.propertyName)?.typeFunction() ?? Reflect.getMetadata('design:type', c.prototype, m.propertyName);
      if (typeof nested === 'function' && nested !== Array && nested !== Object) visit(nested as Function);
    }
  };
  visit(cls);
  return [...(names.has('isNotBlank') ? [BLANK_CODE] : []), ...(names.has('isPlainText') ? [NOT_PLAIN_TEXT_CODE] : []), ...codes];
};
