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
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CONTRACT_TYPES, ContractType, Procedure, PROCEDURES } from '@tenderflow/domain/types';
import { WITHOUT_NOTICE_GROUNDS, type WithoutNoticeGround } from '@tenderflow/domain/procedures';
import { ORGANIZATION_CODE, ORGANIZATION_CODE_WORDS } from '../common/params';

export class InvitedBodyDto {
  @ApiProperty({ example: 'KOMMUN1', description: 'Organisation code of the invited public body' })
  @IsString()
  @Matches(ORGANIZATION_CODE, { message: `organization must be ${ORGANIZATION_CODE_WORDS}` })
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
  @Matches(ORGANIZATION_CODE, { message: `organization must be ${ORGANIZATION_CODE_WORDS}` })
  organization!: string;

  @ApiProperty({ example: 'lab-supplies' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_-]{1,63}$/, { message: 'category must be a lower-case code of 2–64 characters' })
  category!: string;

  @ApiProperty({
    enum: CONTRACT_TYPES,
    description:
      'social_services and welfare_services are bilaga 2 services (välfärdstjänster: bilaga 2 since 2022-02-01, formerly bilaga 2 a)',
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
    description:
      'Derived from the classification when absent. Below the threshold (19 kap.) every shape is allowed; simplified and selective only for tenders started before 2022-02-01',
  })
  @IsOptional()
  @IsIn(PROCEDURES)
  procedure?: Procedure;

  @ApiPropertyOptional({
    description:
      'Why the procedure may be used: negotiation or dialogue above the threshold (6 kap. 11 § LOU); an award without prior notice, why the named ' +
      '`withoutNoticeGround` applies',
  })
  @IsOptional()
  @IsString()
  @Length(10, 2000)
  negotiationGround?: string;

  @ApiPropertyOptional({
    enum: WITHOUT_NOTICE_GROUNDS,
    description:
      'negotiated_without_notice above the direct-award limit: the ground of the statute. Above the threshold 6 kap. 12–19 §§ LOU ' +
      '(not exceptional_reasons or pending_review); below it a direct award on a ground of 19 a kap. 3–6 §§ LOU, run under 19 a kap. (regime direct). ' +
      'Missing: 422 negotiated_ground_missing; not a ground in the regime: 422 without_notice_ground_not_available',
  })
  @IsOptional()
  @IsIn(WITHOUT_NOTICE_GROUNDS)
  withoutNoticeGround?: WithoutNoticeGround;

  @ApiPropertyOptional({
    description:
      "A call-off (frameworkCallOff) with renewed competition among the framework's suppliers (7 kap. 7–8 §§ LOU): an individual report is required " +
      '(12 kap. 15 § LOU exempts only call-offs under 7 kap. 4 or 6 §). Only with frameworkCallOff',
  })
  @IsOptional()
  @IsBoolean()
  renewedCompetition?: boolean;

  @ApiPropertyOptional({
    maxLength: 4000,
    description:
      'Below the threshold: how the procedure is organised, as described in the documents (19 kap. 9 § LOU); a description of the chosen shape when absent',
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
