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
import { ROLES, type Role } from '@tenderflow/domain/types';

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
