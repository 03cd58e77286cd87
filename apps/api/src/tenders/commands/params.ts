import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { registerDecorator, ValidationOptions } from 'class-validator';
import { badRequest } from '../../common/problem';

/** `ORG-YYYY-NNNNN`, as TenderIdsService allocates them. */
export const TENDER_ID = /^[A-Z0-9_-]{2,32}-\d{4}-\d{5,}$/;
/** An organisation code, as CreateTenderDto accepts it. */
export const ORGANIZATION_CODE = /^[A-Z0-9_-]{2,32}$/;
/** Ids the workflow hands out (Q1, R1) or a caller chooses for a review. */
export const LOCAL_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const REVIEW_OUTCOMES = ['rejected', 'correction', 'redo'] as const;
export const NOTICE_CHANNELS = ['electronic', 'other'] as const;
export const INVITATION_ANSWERS = ['join', 'decline'] as const;

/** A path parameter that must match a pattern; a miss is a 400 naming the parameter. */
@Injectable()
export class PathPattern implements PipeTransform<string, string> {
  constructor(
    private readonly field: string,
    private readonly pattern: RegExp,
    private readonly expected: string,
  ) {}

  transform(value: string, _meta: ArgumentMetadata): string {
    if (typeof value !== 'string' || !this.pattern.test(value)) {
      throw badRequest(`"${value}" is not a valid ${this.field}: expected ${this.expected}`, [{ field: this.field, rule: 'format', message: `expected ${this.expected}` }]);
    }
    return value;
  }
}

/** A path parameter that must be one of a fixed list; a miss is a 400 naming the parameter. */
@Injectable()
export class PathOneOf<T extends string> implements PipeTransform<string, T> {
  constructor(
    private readonly field: string,
    private readonly values: readonly T[],
  ) {}

  transform(value: string, _meta: ArgumentMetadata): T {
    if (!(this.values as readonly string[]).includes(value)) {
      throw badRequest(`"${value}" is not a valid ${this.field}: one of ${this.values.join(', ')}`, [
        { field: this.field, rule: 'isIn', message: `${this.field} must be one of ${this.values.join(', ')}` },
      ]);
    }
    return value as T;
  }
}

export const TenderIdParam = new PathPattern('id', TENDER_ID, 'ORG-YYYY-NNNNN');

/**
 * `YYYY-MM-DD` and a day that exists (no 2026-02-30). The workflow checks the same, but a
 * malformed date is the caller's error and is named here with the other fields.
 */
export function IsIsoDate(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isIsoDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be a date YYYY-MM-DD`, ...options },
      validator: {
        validate(value: unknown): boolean {
          if (typeof value !== 'string' || !ISO_DATE.test(value)) return false;
          const [y, m, d] = value.split('-').map(Number);
          return new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10) === value;
        },
      },
    });
}
