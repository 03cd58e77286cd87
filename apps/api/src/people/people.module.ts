import { Module } from '@nestjs/common';
import { DirectoryModule } from '../auth/directory.module';
import { PeopleController } from './people.controller';
import { PeopleService } from './people.service';

@Module({ imports: [DirectoryModule], controllers: [PeopleController], providers: [PeopleService] })
export class PeopleModule {}
