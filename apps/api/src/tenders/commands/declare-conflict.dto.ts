import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsString, MaxLength } from 'class-validator';
import type { DeclareConflictPayload } from '@tenderflow/temporal-common/tender-types';

/** The caller's own conflict-of-interest declaration (jävsdeklaration). */
export class DeclareConflictDto implements DeclareConflictPayload {
  @ApiProperty({ description: 'true removes the caller from the evaluation (4 kap. 4 § LOU)' })
  @IsBoolean()
  hasConflict!: boolean;

  @ApiProperty({ maxLength: 5000, description: 'Required (non-empty) when hasConflict is true' })
  @IsString()
  @MaxLength(5000)
  statement!: string;
}
