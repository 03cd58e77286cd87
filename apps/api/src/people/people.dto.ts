import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { FUNCTION_CODE } from '@tenderflow/domain/absences';
import { ROLES, type Role } from '@tenderflow/domain/types';
import { IsIsoDate } from '../common/params';

export const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const SCIM_LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
/** Tenderflow's extension of the SCIM User (RFC 7643 3.3): what procurement needs beyond the core. */
export const PROCUREMENT_EXTENSION = 'urn:tenderflow:params:scim:schemas:extension:procurement:2.0:User';

export class ScimEmailDto {
  @ApiProperty({ example: 'bo@hsn.example' })
  @IsString()
  @IsEmail({}, { message: 'value must be an e-mail address' })
  @Length(3, 254)
  value!: string;

  @ApiPropertyOptional({ description: 'The address notifications go to; without one, the first' })
  @IsOptional()
  @IsBoolean()
  primary?: boolean;

  @ApiPropertyOptional({ example: 'work' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  type?: string;
}

export class ScimRoleDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  value!: Role;
}

/** A function the person holds (issue 29), for a period that includes both its days. */
export class PersonFunctionDto {
  @ApiProperty({ example: 'upphandlingschef', pattern: FUNCTION_CODE.source, description: 'A registered function' })
  @IsString()
  @Matches(FUNCTION_CODE, { message: 'code must be a function code: a-z first, then 1–63 of a-z, 0-9, _ or -' })
  code!: string;

  @ApiPropertyOptional({
    example: '2026-01-01',
    format: 'date',
    description: 'First day held; without it, the day already recorded for this function, or today',
  })
  @IsOptional()
  @IsIsoDate()
  validFrom?: string;

  @ApiPropertyOptional({ example: '2026-12-31', format: 'date', description: 'Last day held; open-ended without it' })
  @IsOptional()
  @IsIsoDate()
  validTo?: string;
}

export class ProcurementExtensionDto {
  @ApiPropertyOptional({ example: 10_000_000, description: 'Approvers: the highest value (SEK) they may decide' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  approvalLimitSek?: number;

  @ApiPropertyOptional({
    type: [String],
    example: ['lab-supplies'],
    description: 'Category managers: their categories',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  categories?: string[];

  @ApiPropertyOptional({
    type: [PersonFunctionDto],
    description:
      'The functions the person holds (registered ones); the list replaces what they held. Without it the import leaves their functions as they are',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PersonFunctionDto)
  functions?: PersonFunctionDto[];
}

/** A SCIM User (RFC 7643 4.1), the parts the directory keeps. `userName` is the person's token subject. */
export class ScimUserDto {
  @ApiPropertyOptional({ type: [String], example: [SCIM_USER, PROCUREMENT_EXTENSION] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsIn([SCIM_USER, PROCUREMENT_EXTENSION], { each: true })
  schemas?: string[];

  @ApiProperty({ example: 'bo', description: "The person's `sub` in their tokens" })
  @IsString()
  @Length(1, 200)
  userName!: string;

  @ApiPropertyOptional({ example: 'e-1042', description: "The identity provider's own id" })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  externalId?: string;

  @ApiProperty({ example: 'Bo Beslutsfattare' })
  @IsString()
  @Length(1, 200)
  displayName!: string;

  @ApiPropertyOptional({ type: [ScimEmailDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ScimEmailDto)
  emails?: ScimEmailDto[];

  @ApiPropertyOptional({ example: 'sv', description: 'sv (default) or en, optionally with a region (sv-SE)' })
  @IsOptional()
  @IsString()
  @Matches(/^(sv|en)(-[A-Za-z]{2})?$/, {
    message: 'preferredLanguage must be sv or en (optionally with a region, e.g. sv-SE)',
  })
  preferredLanguage?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ type: [ScimRoleDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ROLES.length)
  @ValidateNested({ each: true })
  @Type(() => ScimRoleDto)
  roles?: ScimRoleDto[];

  @ApiPropertyOptional({ type: ProcurementExtensionDto, name: PROCUREMENT_EXTENSION })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProcurementExtensionDto)
  'urn:tenderflow:params:scim:schemas:extension:procurement:2.0:User'?: ProcurementExtensionDto;
}

/** The organisation's people, as a SCIM ListResponse (RFC 7644 3.4.2) of Users. */
export class PeopleImportDto {
  @ApiPropertyOptional({ type: [String], example: [SCIM_LIST] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1)
  @IsIn([SCIM_LIST], { each: true })
  schemas?: string[];

  @ApiProperty({
    type: [ScimUserDto],
    description: 'Every person of the organisation the import knows; imported people not listed become inactive',
  })
  @IsArray()
  @ArrayMaxSize(5000)
  @ValidateNested({ each: true })
  @Type(() => ScimUserDto)
  Resources!: ScimUserDto[];
}

/** PUT /organizations/{org}/people/{sub}/functions: the person's functions, replacing what they held. */
export class PersonFunctionsDto {
  @ApiProperty({ type: [PersonFunctionDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PersonFunctionDto)
  functions!: PersonFunctionDto[];
}

/** PUT /organizations/{org}/functions/{code}: a function of the organisation's delegation order. */
export class SaveFunctionDto {
  @ApiProperty({ example: 'Upphandlingschef' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({
    example: 'forvaltningschef',
    pattern: FUNCTION_CODE.source,
    description: 'The function above it (the nearest superior stands in when no substitute is named)',
  })
  @IsOptional()
  @IsString()
  @Matches(FUNCTION_CODE, { message: 'superior must be a function code' })
  superior?: string;
}

/** POST /organizations/{org}/people/{sub}/absences */
export class RecordAbsenceDto {
  @ApiProperty({ example: '2026-07-01', format: 'date', description: 'First day away' })
  @IsIsoDate()
  from!: string;

  @ApiProperty({ example: '2026-07-31', format: 'date', description: 'Last day away (on or after from)' })
  @IsIsoDate()
  to!: string;

  @ApiPropertyOptional({ example: 'sam', description: 'The sub of an active person of the organisation who stands in' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  substitute?: string;

  @ApiPropertyOptional({ example: 'Semester', description: 'Shown to the person and administrators only' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}

export class AbsencesOnQuery {
  @ApiPropertyOptional({ example: '2026-07-15', format: 'date', description: 'The day; today (Sweden) without it' })
  @IsOptional()
  @IsIsoDate()
  on?: string;
}
