import { Module } from '@nestjs/common';
import { DirectoryModule } from '../auth/directory.module';
import { AbsencesService } from './absences.service';
import { DirectoryChain } from './directory-chain';
import { FunctionsController } from './functions.controller';
import { FunctionsService } from './functions.service';
import { PeopleController } from './people.controller';
import { PeopleService } from './people.service';

@Module({
  imports: [DirectoryModule],
  controllers: [PeopleController, FunctionsController],
  providers: [PeopleService, FunctionsService, AbsencesService, DirectoryChain],
})
export class PeopleModule {}
