import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import type { ProcurementDocument, RegisterDocumentsPayload } from '../../../../../workflows/tender/tender.messages';

/** A reference to a document kept elsewhere (the system registers references, not files). */
export class ProcurementDocumentDto implements ProcurementDocument {
  @ApiProperty({ example: 'Administrative provisions' })
  @IsString()
  @Length(1, 300)
  title!: string;

  @ApiProperty({ example: 'dms://HSN/2026/123' })
  @IsString()
  @Length(1, 500)
  reference!: string;

  @ApiPropertyOptional({ example: '1.2' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  version?: string;
}

export class RegisterDocumentsDto implements RegisterDocumentsPayload {
  @ApiProperty({ type: [ProcurementDocumentDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ProcurementDocumentDto)
  documents!: ProcurementDocumentDto[];
}
