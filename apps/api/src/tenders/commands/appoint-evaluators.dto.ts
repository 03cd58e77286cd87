import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Length, ValidateNested } from 'class-validator';
import type { AppointEvaluatorsPayload, PersonRef } from '@tenderflow/temporal-common/tender-types';

export class PersonRefDto implements PersonRef {
  @ApiProperty({ example: 'eva', description: "The person's token subject" })
  @IsString()
  @Length(1, 200)
  sub!: string;

  @ApiProperty({ example: 'Eva Evaluator' })
  @IsString()
  @Length(1, 200)
  name!: string;
}

export class AppointEvaluatorsDto implements AppointEvaluatorsPayload {
  @ApiProperty({ type: [PersonRefDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PersonRefDto)
  evaluators!: PersonRefDto[];
}
