import { Module } from '@nestjs/common';
import { DocumentNumbersService } from './document-numbers.service';

/** Notices as official documents: their numbers (文号). The notice model itself is pure code (notice-document). */
@Module({
  providers: [DocumentNumbersService],
  exports: [DocumentNumbersService],
})
export class DocumentsModule {}
