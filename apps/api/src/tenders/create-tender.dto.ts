import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { CONTRACT_TYPES, ContractType, Procedure, PROCEDURES } from '@tenderflow/domain/types';

export class InvitedBodyDto {
  @ApiProperty({ example: 'KOMMUN1', description: 'Organisation code of the invited public body' })
  @IsString()
  @Matches(/^[A-Z0-9_-]{2,32}$/, { message: 'organization must be 2–32 characters of A–Z, 0–9, _ or -' })
  organization!: string;

  @ApiProperty({ example: 'Kommun Ett' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'upphandling@kommun1.se' })
  @IsEmail()
  contactEmail!: string;
}

export class CreateTenderDto {
  @ApiProperty({ example: 'Laboratory reagents 2027–2030' })
  @IsString()
  @Length(3, 300)
  title!: string;

  @ApiProperty({ example: 'HSN', description: "The caller's own organisation unless the caller is admin" })
  @IsString()
  @Matches(/^[A-Z0-9_-]{2,32}$/, { message: 'organization must be 2–32 characters of A–Z, 0–9, _ or -' })
  organization!: string;

  @ApiProperty({ example: 'lab-supplies' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_-]{1,63}$/, { message: 'category must be a lower-case code of 2–64 characters' })
  category!: string;

  @ApiProperty({
    enum: CONTRACT_TYPES,
    description: 'social_services and welfare_services are bilaga 2 services (välfärdstjänster: bilaga 2 since 2022-02-01, formerly bilaga 2 a)',
  })
  @IsIn(CONTRACT_TYPES)
  contractType!: ContractType;

  @ApiProperty({ example: 4_000_000, description: 'Whole term including options, in whole SEK' })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_000)
  estimatedValueSek!: number;

  @ApiPropertyOptional({
    enum: PROCEDURES,
    description: 'Derived from the classification when absent. Below the threshold (19 kap.) every shape is allowed; simplified and selective only for tenders started before 2022-02-01',
  })
  @IsOptional()
  @IsIn(PROCEDURES)
  procedure?: Procedure;

  @ApiPropertyOptional({ description: 'Recorded ground for a negotiated procedure (6 kap. 11–12 §§; below the threshold 6 kap. 12–19 §§ with 19 a kap.)' })
  @IsOptional()
  @IsString()
  @Length(10, 2000)
  negotiationGround?: string;

  @ApiPropertyOptional({
    maxLength: 4000,
    description: 'Below the threshold: how the procedure is organised, as described in the documents (19 kap. 9 § LOU); a description of the chosen shape when absent',
  })
  @IsOptional()
  @IsString()
  @Length(10, 4000)
  procedureDescription?: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  frameworkAgreement?: boolean;

  @ApiPropertyOptional({ default: false, description: 'A call-off from an existing framework agreement' })
  @IsOptional()
  @IsBoolean()
  frameworkCallOff?: boolean;

  @ApiPropertyOptional({ description: 'Special reasons for a framework agreement over 4 years (7 kap. 2 §)' })
  @IsOptional()
  @IsString()
  @Length(10, 2000)
  frameworkSpecialReasons?: string;

  @ApiPropertyOptional({ example: 24 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(600)
  contractTermMonths?: number;

  @ApiPropertyOptional({ default: 0, example: 24 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(600)
  extensionOptionMonths?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  electronicSubmission?: boolean;

  @ApiPropertyOptional({ type: [InvitedBodyDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => InvitedBodyDto)
  invitedBodies?: InvitedBodyDto[];

  @ApiPropertyOptional({ description: 'Free-text description of the need', maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;
}
