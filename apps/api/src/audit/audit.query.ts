import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';

/** A page of an audit trail (a tender's, an organisation's, a person's): where the previous page ended. */
export class AuditQuery {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9]{1,9}$/, { message: 'cursor must be the nextCursor of the previous page (a whole number)' })
  cursor?: string;
}
