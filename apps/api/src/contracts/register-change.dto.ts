import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { CHANGE_GROUNDS, type ChangeGround, type SubstantialTests } from '@tenderflow/domain/contract-changes';
import type { RegisterChangePayload } from '@tenderflow/temporal-common/contract-types';

/** The four tests of a substantial change (17 kap. 14 § andra stycket 1–4 LOU), each answered. */
export class SubstantialTestsDto implements SubstantialTests {
  @ApiProperty({
    description:
      'Brings conditions that would have let others take part, other tenders be accepted, or drawn more interest',
  })
  @IsBoolean()
  changesCompetition!: boolean;

  @ApiProperty({ description: "Shifts the economic balance in the supplier's favour" })
  @IsBoolean()
  favoursSupplier!: boolean;

  @ApiProperty({ description: "Extends the contract's scope considerably" })
  @IsBoolean()
  extendsScope!: boolean;

  @ApiProperty({ description: 'Replaces the supplier (other than a succession under 13 §)' })
  @IsBoolean()
  replacesSupplier!: boolean;
}

/** A change to the contract under 17 kap. 9–14 §§ LOU (issue 31). */
export class RegisterChangeDto implements RegisterChangePayload {
  @ApiProperty({
    enum: CHANGE_GROUNDS,
    description:
      'The paragraph the change rests on: low_value 9 §, review_clause 10 §, additional 11 §, unforeseen 12 §, supplier_succession 13 §, not_substantial 14 § (17 kap. LOU)',
  })
  @IsIn(CHANGE_GROUNDS)
  ground!: ChangeGround;

  @ApiProperty({
    example: 150_000,
    description: 'Whole SEK excluding VAT: positive an increase, negative a decrease, 0 none',
  })
  @IsInt()
  @Min(-1_000_000_000_000)
  @Max(1_000_000_000_000)
  valueChangeSek!: number;

  @ApiProperty({
    description: "Whether the change alters the contract's overall nature (refused under 9, 10, 12 and 14 §§)",
  })
  @IsBoolean()
  overallNatureChanged!: boolean;

  @ApiProperty({ example: 'Ytterligare en leveransadress i Visby från 1 mars', maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  description!: string;

  @ApiPropertyOptional({
    example: 'AV 9.2',
    maxLength: 300,
    description: '10 §: where the original documents state the review clause',
  })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  clauseReference?: string;

  @ApiPropertyOptional({ example: 'Kemlab Nordic AB', maxLength: 300, description: '13 §: the supplier who succeeds' })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  newSupplier?: string;

  @ApiPropertyOptional({ type: SubstantialTestsDto, description: '14 §: each test of a substantial change, answered' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SubstantialTestsDto)
  substantial?: SubstantialTestsDto;

  @ApiPropertyOptional({
    example: 4_200_000,
    description: "17 kap. 15 §: the value before the change under the contract's indexation clause, whole SEK",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000_000)
  indexedValueSek?: number;
}
