import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { badInput } from '../errors/domain-error.js';
import { assertCleanStrings, assertListSizes, applyNulls } from './input-guards.js';

function flatten(errors: ValidationError[], path = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((e) => {
    const field = path ? `${path}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * class-validator on every input; unknown fields rejected; failures become BAD_USER_INPUT.
 * First, on the raw value of every argument: no NUL or lone surrogate in any string, and no
 * list longer than declared (checked before the element-by-element work); explicit nulls (applyNulls).
 */
class InputValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata) {
    // A top-level list argument (syncVulns findings) is, as for class-validator, its owner's to
    // check item by item: one bad record is rejected alone, the rest of the chunk kept.
    if (metadata.type !== 'custom' && metadata.metatype !== Array) {
      assertCleanStrings(value, metadata.data ?? 'input');
      assertListSizes(value, metadata.metatype as never, metadata.data ?? '');
      applyNulls(value, metadata.metatype as never);
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new InputValidationPipe({
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
