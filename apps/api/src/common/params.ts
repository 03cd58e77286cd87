import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { registerDecorator, ValidationOptions } from 'class-validator';
import { CONTRACT_ID, ORGANIZATION_CODE, ORGANIZATION_CODE_WORDS, TENDER_ID } from '@tenderflow/temporal-common/ids';
import { badRequest } from './problem';

/** The id patterns are defined once, with the ids themselves (libs/temporal-common ids.ts). */
export { CONTRACT_ID, ORGANIZATION_CODE, ORGANIZATION_CODE_WORDS, TENDER_ID };
/** Ids the workflow hands out (Q1, R1) or a caller chooses for a review. */
export const LOCAL_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** A person's `sub` as their tokens carry it (the import's userName): 1–200 characters, no spaces, slashes or control characters. */
// The C0 and C1 control characters are what the regular expression is about.
// eslint-disable-next-line no-control-regex
export const PERSON_SUB = /^[^\s/\u0000-\u001f\u007f-\u009f]{1,200}$/u;
/** An absence's id: a UUID. */
export const ABSENCE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/**
 * A calendar day YYYY-MM-DD that exists (months of 30 and 31 days, 28 February, 29 February in the
 * Gregorian leap years), as one pattern: the validators and the OpenAPI document use this source.
 */
const DAY = String.raw`[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29`;
export const ISO_DATE = new RegExp(`^(?:${DAY})$`);
/** An ISO 8601 instant on such a day, with seconds and an offset (Z or ±hh:mm). */
export const ISO_INSTANT = new RegExp(
  `^(?:${DAY})T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]{1,9})?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$`,
);

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
      throw badRequest(`"${value}" is not a valid ${this.field}: expected ${this.expected}`, [
        { field: this.field, rule: 'format', message: `expected ${this.expected}` },
      ]).inSwedish({
        detail: `"${value}" är inte giltigt som ${this.field}: förväntat ${this.expected}`,
        messages: [`${this.field}: förväntat ${this.expected}`],
      });
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
      ]).inSwedish({
        detail: `"${value}" är inte giltigt som ${this.field}: ett av ${this.values.join(', ')}`,
        messages: [`${this.field}: ett av ${this.values.join(', ')}`],
      });
    }
    return value as T;
  }
}

export const TenderIdParam = new PathPattern('id', TENDER_ID, 'ORG-YYYY-NNNNN');
export const OrganizationParam = new PathPattern('org', ORGANIZATION_CODE, ORGANIZATION_CODE_WORDS);
export const MilestoneIdParam = new PathPattern('mid', LOCAL_ID, 'a milestone id such as M3');
/** A document's number in its list (1, 2, …), such as an award decision notice's. */
export const NOTICE_NUMBER = /^[1-9][0-9]{0,5}$/;
export const NoticeNumberParam = new PathPattern('n', NOTICE_NUMBER, "the notice's number 1, 2, …");

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
          return typeof value === 'string' && ISO_DATE.test(value);
        },
      },
    });
}

/** An ISO 8601 instant (ISO_INSTANT): a day that exists, a time, an offset. */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `${String(propertyName)} must be an ISO 8601 instant such as 2026-09-30T14:03:00Z`,
        ...options,
      },
      validator: {
        validate: (value: unknown): boolean =>
          typeof value === 'string' && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value)),
      },
    });
}
