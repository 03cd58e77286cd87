import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { GateAuthority } from '@tenderflow/temporal-common/tender-types';

class PersonRefDto {
  @ApiProperty({ example: 'eva' })
  sub!: string;

  @ApiProperty({ example: 'Eva Ek' })
  name!: string;
}

/** The authority the caller has today under the delegation order for a gate (issue 29). */
export class GateAuthorityDto implements GateAuthority {
  @ApiProperty({ example: '3.4', description: "The delegation order's item, as numbered in the document" })
  item!: string;

  @ApiProperty({ example: 'upphandlingschef', description: 'The function the caller decides as' })
  function!: string;

  @ApiProperty({
    enum: ['delegate', 'further', 'substitute'],
    description:
      "delegate: holds the item's function; further: a function the item delegates on to; substitute: stands in for an absent holder (ersättare)",
  })
  via!: GateAuthority['via'];

  @ApiPropertyOptional({ type: PersonRefDto, description: 'A substitute: the absent holder they stand in for' })
  asSubstituteFor?: PersonRefDto;
}
