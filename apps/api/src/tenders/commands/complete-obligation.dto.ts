import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { CompleteObligationPayload } from '../../../../../workflows/tender/tender.messages';

/** The obligation comes from the path (`obligation` of CompleteObligationPayload). */
export class CompleteObligationDto implements Omit<CompleteObligationPayload, 'obligation'> {
  @ApiProperty({ example: 'TED 2026/S 200-123456', description: 'Where it was published or filed' })
  @IsString()
  @Length(1, 500)
  reference!: string;
}
