import { ValidationPipe } from '@nestjs/common';
import { flattenValidationErrors, validationFailed, VALIDATOR_OPTIONS } from '../../../../libs/application/src/validation';

/** The global pipe: the same rules as `ledger import` (whitelist, forbid unknown fields), our error shape. */
export const ledgerValidationPipe = (): ValidationPipe =>
  new ValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => validationFailed(flattenValidationErrors(errors)),
  });
