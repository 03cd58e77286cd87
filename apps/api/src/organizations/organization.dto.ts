import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { CATEGORY_CODE } from '@tenderflow/domain/policy';
import { ORGANIZATION_CODE, ORGANIZATION_CODE_WORDS } from '../common/params';

export { CATEGORY_CODE };

/** The authority's postal address, as the individual report states it. */
export class AddressDto {
  @ApiProperty({ example: 'Box 1234' })
  @IsString()
  @Length(1, 200)
  street!: string;

  @ApiProperty({ example: '111 22', description: 'NNN NN' })
  @IsString()
  @Matches(/^\d{3} \d{2}$/, { message: 'postalCode must be NNN NN' })
  postalCode!: string;

  @ApiProperty({ example: 'Stockholm' })
  @IsString()
  @Length(1, 100)
  city!: string;
}

/** An organisation as reference data: a wholly-owned company names its group as parent. */
export class SaveOrganizationDto {
  @ApiProperty({ example: 'Regionfastigheter AB' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({
    example: 'REGION',
    description:
      "The group (the region) that wholly owns this company; its policy's rules are inherited. Absent: the organisation is a group of its own",
  })
  @IsOptional()
  @IsString()
  @Matches(ORGANIZATION_CODE, { message: `parent must be ${ORGANIZATION_CODE_WORDS}` })
  parent?: string;

  @ApiPropertyOptional({
    example: '232100-0016',
    description:
      "The organisation number (organisationsnummer) NNNNNN-NNNN; a wrong check digit is refused with 422 org_number_check_digit. A direct award's documentation needs it (19 a kap. 11 § LOU)",
  })
  @IsOptional()
  @IsString()
  @Matches(/^\d{6}-\d{4}$/, { message: 'orgNumber must be NNNNNN-NNNN' })
  orgNumber?: string;

  @ApiPropertyOptional({
    type: AddressDto,
    description: 'The postal address the individual report states (upphandlingsförordningen 16 § 1)',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto;
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

  @ApiPropertyOptional({
    type: PersonDto,
    description: 'The category manager (kategoriansvarig); absent: none named yet',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PersonDto)
  manager?: PersonDto;
}
