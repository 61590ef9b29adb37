import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { badInput } from '../errors/domain-error.js';

function flatten(errors: ValidationError[], path = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((e) => {
    const field = path ? `${path}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** class-validator on every input; unknown fields rejected; failures become BAD_USER_INPUT. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      return badInput(fields.map((f) => f.problems.join(', ')).join('; ') || 'Invalid input', { fields });
    },
  });
}
