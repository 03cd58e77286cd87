import { Module } from '@nestjs/common';
import { OrganizationsController } from './organizations.controller';
import { PolicyService } from './policy.service';

@Module({ controllers: [OrganizationsController], providers: [PolicyService], exports: [PolicyService] })
export class OrganizationsModule {}
