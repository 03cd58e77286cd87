import { Module } from '@nestjs/common';
import { DirectoryService } from './directory.service';

/** The directory's recorder, apart from its endpoints: the auth guard needs it on every request. */
@Module({ providers: [DirectoryService], exports: [DirectoryService] })
export class DirectoryModule {}
