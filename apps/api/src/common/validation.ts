import { ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { badRequest, ProblemDetails } from './problem';
import { swedishFieldMessage } from './problem-sv';

type FieldError = NonNullable<ProblemDetails['errors']>[number];
type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

/** The name a constraint's errors carry: a decorator's own (isLength, isIsoDate…) or its type (isDefined, nestedValidation). */
export function constraintName(m: ValidationMetadata): string | undefined {
  if (m.type !== ValidationTypes.CUSTOM_VALIDATION) return m.type;
  return m.name ?? getMetadataStorage().getTargetValidatorConstraints(m.constraintCls)[0]?.name;
}

/** The figures of the constraint a field broke (Length(1, 300) → [1, 300]), read from the DTO's metadata. */
function constraintArgs(e: ValidationError, name: string): readonly unknown[] {
  const target = (e.target as object | undefined)?.constructor;
  if (!target) return [];
  const meta = getMetadataStorage()
    .getTargetValidationMetadatas(target, '', true, false)
    .find((m) => m.propertyName === e.property && constraintName(m) === name);
  return (meta?.constraints as unknown[] | undefined) ?? [];
}

/** Each broken constraint of each field, nested fields by their dotted path, in English and in Swedish. */
function flatten(errors: ValidationError[], parent = ''): { error: FieldError; swedish: string }[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([name, message]) => {
      const unknown = name === 'whitelistValidation';
      const error = {
        field,
        rule: unknown ? 'unknown_field' : name,
        message: unknown ? `${field} is not a known field` : message,
      };
      return { error, swedish: swedishFieldMessage(error, constraintArgs(e, name), e.value) };
    });
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
    // Each error's object, so that a constraint's figures can be read from its DTO's metadata (the
    // Swedish messages); the errors themselves are sent without it.
    validationError: { target: true },
    exceptionFactory: (errors) => {
      const found = flatten(errors);
      const list = found.map((f) => f.error);
      const named = list.map((e) => `${e.field} (${e.rule})`).join(', ');
      return badRequest(`Invalid request: ${named}`, list).inSwedish({
        detail: `Ogiltig begäran: ${named}`,
        messages: found.map((f) => f.swedish),
      });
    },
  });
}
