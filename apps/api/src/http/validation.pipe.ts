import { ValidationPipe } from '@nestjs/common';
import type { ValidationError, ValidatorOptions } from 'class-validator';
import { flattenValidationErrors, validationFailed, VALIDATOR_OPTIONS } from '../../../../libs/application/src/validation';
import { cachedValidate } from './cached-validator';

/**
 * Nest's ValidationPipe, validating with `cachedValidate` (class-validator's own executor with each
 * class's rules looked up once, not on every request: issue 7). Everything else is Nest's.
 */
export class LedgerValidationPipe extends ValidationPipe {
  protected override validate(object: object, validatorOptions?: ValidatorOptions): Promise<ValidationError[]> {
    return cachedValidate(object, validatorOptions);
  }
}

/** The global pipe: the same rules as `ledger import` (whitelist, forbid unknown fields), our error shape. */
export const ledgerValidationPipe = (): ValidationPipe =>
  new LedgerValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => validationFailed(flattenValidationErrors(errors)),
  });
