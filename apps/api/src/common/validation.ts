import { ValidationError, ValidationPipe } from '@nestjs/common';
import { badRequest, ProblemDetails } from './problem';

function flatten(errors: ValidationError[], parent = ''): NonNullable<ProblemDetails['errors']> {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([rule, message]) => ({
      field,
      rule: rule === 'whitelistValidation' ? 'unknown_field' : rule,
      message: rule === 'whitelistValidation' ? `${field} is not a known field` : message,
    }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Validates bodies and queries; unknown fields are refused and every bad field is named. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => {
      const list = flatten(errors);
      return badRequest(`Invalid request: ${list.map((e) => `${e.field} (${e.rule})`).join(', ')}`, list);
    },
  });
}
