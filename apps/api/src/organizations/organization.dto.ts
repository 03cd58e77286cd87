import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { CATEGORY_CODE } from '@tenderflow/domain/policy';
import { ORGANIZATION_CODE } from '../tenders/commands/params';

export { CATEGORY_CODE };

/** An organisation as reference data: a wholly-owned company names its group as parent. */
export class SaveOrganizationDto {
  @ApiProperty({ example: 'Regionfastigheter AB' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({
    example: 'REGION',
    description: "The group (the region) that wholly owns this company; its policy's rules are inherited. Absent: the organisation is a group of its own",
  })
  @IsOptional()
  @IsString()
  @Matches(ORGANIZATION_CODE, { message: 'parent must be 2–32 characters of A–Z, 0–9, _ or -' })
  parent?: string;
}

export class PersonDto {
  @ApiProperty({ example: 'karin', description: "The person's sub (as in their token)" })
  @IsString()
  @Length(1, 200)
  sub!: string;

  @ApiProperty({ example: 'Karin Kategoriansvarig' })
  @IsString()
  @Length(1, 200)
  name!: string;
}

/** A category of the organisation (category management) and its category manager. */
export class SaveCategoryDto {
  @ApiProperty({ example: 'Laboratory supplies' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ type: PersonDto, description: 'The category manager (kategoriansvarig); absent: none named yet' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PersonDto)
  manager?: PersonDto;
}
