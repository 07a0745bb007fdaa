import { ArgumentMetadata, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import type { ValidationError, ValidatorOptions } from 'class-validator';
import { droppedKeyProblems, flattenValidationErrors, problemsOf, validationFailed, VALIDATOR_OPTIONS } from '../../../../libs/application/src/validation';
import { cachedValidate } from './cached-validator';
import { flatInstance, hasNoTransformerMetadata, isFlatPlainObject } from './flat-body';

/**
 * Nest's ValidationPipe, cheaper per request (issue 7) and answering the same:
 * - it validates with `cachedValidate` (class-validator's own executor, each class's rules looked up
 *   once instead of on every request);
 * - a body of strings, numbers, booleans and nulls for a DTO class without class-transformer
 *   decorators is turned into the DTO by `flatInstance` (what `plainToInstance` does for it) and
 *   then handled as Nest's pipe handles it; every other value goes through Nest's pipe unchanged.
 */
export class LedgerValidationPipe extends ValidationPipe {
  private readonly flatBodies: boolean;

  constructor(options: ValidationPipeOptions) {
    super(options);
    const t = options.transformOptions ?? {};
    // The fast path is what Nest's pipe does with `transform: true` and class-transformer's default
    // options (implicit conversion off); any other option set goes through Nest's pipe.
    this.flatBodies = options.transform === true && !options.expectedType && Object.entries(t).every(([k, v]) => k === 'enableImplicitConversion' && v === false);
  }

  protected override validate(object: object, validatorOptions?: ValidatorOptions): Promise<ValidationError[]> {
    return cachedValidate(object, validatorOptions);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const metatype = metadata.metatype;
    if (!this.flatBodies || !metatype || !this.toValidate(metadata) || !isFlatPlainObject(value) || !hasNoTransformerMetadata(metatype)) return super.transform(value, metadata);
    const entity = flatInstance(metatype as new () => object, value);
    const errors = await this.validate(entity, {
      ...this.validatorOptions,
      validationError: { target: false, ...this.validatorOptions.validationError },
    });
    if (errors.length > 0) {
      if (this.validatorOptions.validationError?.value === undefined) this.stripParentErrorValues(errors);
      throw await this.exceptionFactory(errors);
    }
    return entity;
  }
}

/** The global pipe's options: the same rules as `ledger import` (whitelist, forbid unknown fields), our error shape. */
export const LEDGER_PIPE_OPTIONS: ValidationPipeOptions = {
  ...VALIDATOR_OPTIONS,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  exceptionFactory: (errors) => validationFailed(flattenValidationErrors(errors)),
};

/**
 * LedgerValidationPipe, which answers as Nest's pipe does, and one rule more: a field named like a
 * member every object has (`?toString=1`, a body's `valueOf`, `period.hasOwnProperty`) is refused as
 * unknown, as `ledger import` refuses it. Nest's pipe (and class-transformer) dropped such a field on
 * the way to the request's object, so the check that refuses unknown fields never saw it.
 */
export class LedgerRequestPipe extends LedgerValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const metatype = metadata.metatype;
    const checked = metatype && this.toValidate(metadata) && value !== null && typeof value === 'object' && !Array.isArray(value);
    const dropped = checked ? droppedKeyProblems(metatype as new () => object, value) : [];
    if (dropped.length === 0) return super.transform(value, metadata);
    // Told with the request's other problems, as any unknown field is (after them, as class-validator puts unknown fields).
    let others: unknown = null;
    try {
      await super.transform(value, metadata);
    } catch (e) {
      if (!problemsOf(e)) throw e;
      others = e;
    }
    throw validationFailed([...(problemsOf(others) ?? []), ...dropped]);
  }
}

/** The global pipe. */
export const ledgerValidationPipe = (): ValidationPipe => new LedgerRequestPipe(LEDGER_PIPE_OPTIONS);
